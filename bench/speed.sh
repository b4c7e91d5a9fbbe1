#!/usr/bin/env bash
# Indexing and search speed of clinsearch beside raw tantivy and SQLite FTS5, all measured in this
# run on the same data and the same machine. Corpora come from ../shared/tools/make-scale-corpus.py
# (not committed). Sizes: JSONL_DOCS (default 200000 abstracts) and MD_DOCS (default 20000 articles).
#   bench/speed.sh                      # full size, several minutes
#   JSONL_DOCS=20000 MD_DOCS=2000 REPEAT=1 bench/speed.sh   # a quick look
#   BUILD_FLAGS=--no-default-features bench/speed.sh        # without the model crates (not timed)
# Indexing is compared fairly: raw tantivy indexes the passages clinsearch parsed (title, heading
# and paragraph in one stored text field, the title alone, the article id as a fast field) with
# clinsearch's writer settings (doc store zstd level 1 in 8 KiB blocks, the same number of
# indexing threads and memory budget), and both are timed as whole processes, commit and merges
# included; neither is pinned to a core.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=../shared/tools/make-scale-corpus.py
if [ ! -f "$gen" ]; then
  echo "skipping: $gen is absent (the shared tools are not on this machine)" >&2
  exit 0
fi
jsonl_docs=${JSONL_DOCS:-200000}
md_docs=${MD_DOCS:-20000}
repeat=${REPEAT:-3}   # indexing runs per system (interleaved; the best is compared)
work=target/bench-speed
mkdir -p "$work"
cargo build --release -q --features bench ${BUILD_FLAGS:-}
cs=${CARGO_TARGET_DIR:-target}/release/clinsearch
hb=${CARGO_TARGET_DIR:-target}/release/clinsearch-bench

[ -f "$work/jsonl-$jsonl_docs/corpus.jsonl" ] || python3 "$gen" jsonl "$work/jsonl-$jsonl_docs" --docs "$jsonl_docs" >/dev/null
rm -rf "$work/md-$md_docs"   # always fresh: the incremental step below edits it
python3 "$gen" md "$work/md-$md_docs" --docs "$md_docs" >/dev/null
jsonl="$work/jsonl-$jsonl_docs/corpus.jsonl"
queries="$work/jsonl-$jsonl_docs/queries.jsonl"
md="$work/md-$md_docs"
[ -f "$md/queries.jsonl" ] && mdq="$md/queries.jsonl" || mdq="$queries"

# run LABEL CMD...: wall seconds, CPU seconds (user + system) and peak RSS (MiB) into $secs,
# $cpu and $rss, stdout into $work/out.txt
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  read -r secs kb user sys < "$work/time.txt"
  rss=$((kb / 1024))
  cpu=$(python3 -c "print(round($user + $sys, 2))")
  printf '  %-58s %8.2f s  %6.2f s CPU  %6d MiB peak RSS\n' "$label" "$secs" "$cpu" "$rss"
}
least() { if [ -z "$1" ]; then echo "$2"; else python3 -c "print(min($1, $2))"; fi; }
mb() { du -sb "$1" | awk '{printf "%.1f", $1/1048576}'; }
bytes() { du -sb "$1" | awk '{print $1}'; }

summary=()   # the ratios against raw tantivy, printed again at the end
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
echo

for corpus in jsonl md; do
  if [ $corpus = jsonl ]; then src=$jsonl; n=$jsonl_docs; q=$queries; else src=$md; n=$md_docs; q=$mdq; fi
  raw_mb=$(mb "$src")
  echo "== $corpus corpus: $n articles, $raw_mb MB of text (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)) =="
  # Each indexer runs $repeat times, the three interleaved; the best time of each is compared
  # (the machine is shared: the best run is the one least disturbed).
  cs_secs=""; raw_secs=""; fts_secs=""; cs_cpu=""; raw_cpu=""
  "$hb" passages "$src" "$work/passages-$corpus.jsonl" 2>/dev/null
  for r in $(seq "$repeat"); do
    rm -rf "$work/cs-$corpus" "$work/raw-$corpus" "$work/fts-$corpus.db"
    run "clinsearch index (parse, citations, stored text), run $r" "$cs" index "$src" --index "$work/cs-$corpus"
    cs_secs=$(least "$cs_secs" "$secs"); cs_cpu=$(least "$cs_cpu" "$cpu")
    passages=$(grep -E '^  all ' "$work/out.txt" | awk '{print $3}')
    run "raw tantivy index (same passages, same writer settings), run $r" "$hb" raw-index "$work/passages-$corpus.jsonl" "$work/raw-$corpus"
    raw_secs=$(least "$raw_secs" "$secs"); raw_cpu=$(least "$raw_cpu" "$cpu")
    run "SQLite FTS5 index (same passages, porter), run $r" "$hb" fts-index "$work/passages-$corpus.jsonl" "$work/fts-$corpus.db"
    fts_secs=$(least "$fts_secs" "$secs")
  done
  echo "    best of $repeat:"
  python3 - "$raw_mb" "$passages" "$cs_secs" "$raw_secs" "$fts_secs" <<'PY'
import sys
mb, n, cs, raw, fts = float(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
for name, s in (("clinsearch", cs), ("raw tantivy", raw), ("SQLite FTS5", fts)):
    print(f"    {name:<12} {mb/s:7.1f} MB/s {n/s:9.0f} passages/s")
print(f"    clinsearch / raw tantivy throughput: {raw/cs:.2f}x; clinsearch / FTS5: {fts/cs:.2f}x")
PY
  summary+=("indexing $corpus, throughput / raw tantivy's: $(python3 -c "print(f'{$raw_secs/$cs_secs:.2f}x')") by wall time (target >= 0.8x), $(python3 -c "print(f'{$raw_cpu/$cs_cpu:.2f}x')") by CPU time")
  printf '    index size: clinsearch %s MB, raw tantivy %s MB, FTS5 %s MB; text %s MB (clinsearch %.2fx the text)\n' \
    "$(mb "$work/cs-$corpus")" "$(mb "$work/raw-$corpus")" "$(mb "$work/fts-$corpus.db")" "$raw_mb" \
    "$(python3 -c "print($(bytes "$work/cs-$corpus")/$(bytes "$src"))")"
  echo "  queries: $(wc -l < "$q") from $(basename "$(dirname "$q")"), warm, one thread, top 10 with snippets"
  for years in "" "2000..2009"; do
    [ $corpus = jsonl ] && [ -n "$years" ] && continue   # abstracts cite nothing: no years to filter on
    flag=(); [ -n "$years" ] && flag=(--years "$years")
    for sys in cs raw fts; do
      case $sys in
        cs) run "clinsearch ${years:+--year $years}" taskset -c 0 "$hb" cs-query "$work/cs-$corpus" "$q" "${flag[@]}" ;;
        raw) run "raw tantivy ${years:+year range $years}" taskset -c 0 "$hb" raw-query "$work/raw-$corpus" "$q" "${flag[@]}" ;;
        fts) run "SQLite FTS5 ${years:+year range $years}" taskset -c 0 "$hb" fts-query "$work/fts-$corpus.db" "$q" "${flag[@]}" ;;
      esac
      sed 's/^/      /' "$work/out.txt"
    done
    if [ -z "$years" ]; then
      echo "    the same without snippets (search and stored fields only):"
      p50() { grep -o -m1 'p50 [0-9.]*' "$work/out.txt" | awk '{print $2}'; }   # the wall-time p50 (the first)
      run "clinsearch, no snippets" taskset -c 0 "$hb" cs-query "$work/cs-$corpus" "$q" --no-snippets
      sed 's/^/      /' "$work/out.txt"
      cs_p50=$(p50)
      run "raw tantivy, no snippets" taskset -c 0 "$hb" raw-query "$work/raw-$corpus" "$q" --no-snippets
      sed 's/^/      /' "$work/out.txt"
      summary+=("search $corpus, top 10 without snippets, p50: clinsearch $cs_p50 ms, raw tantivy $(p50) ms")
    fi
  done
  if [ $corpus = jsonl ]; then
    # Batch runs (search --queries ... --run ... --limit 100), timed in-process beside raw tantivy
    # (a query parser over title and text, the top 100, article ids from a fast field); best of
    # $repeat interleaved runs each.
    echo "  batch runs: $(wc -l < "$q") queries, top 100 articles, warm, one thread"
    b_raw=""; b_ne=""; b_fb=""
    batch_secs() { awk '{for (i = 1; i < NF; i++) if ($(i+1) == "s,") print $i}' "$work/out.txt"; }
    for r in $(seq "$repeat"); do
      run "raw tantivy batch, run $r" taskset -c 0 "$hb" raw-batch "$work/raw-$corpus" "$q"
      b_raw=$(least "$b_raw" "$(batch_secs)")
      run "clinsearch batch --no-expand, run $r" taskset -c 0 "$hb" cs-batch "$work/cs-$corpus" "$q" --no-expand
      b_ne=$(least "$b_ne" "$(batch_secs)")
      run "clinsearch batch (feedback), run $r" taskset -c 0 "$hb" cs-batch "$work/cs-$corpus" "$q"
      b_fb=$(least "$b_fb" "$(batch_secs)")
    done
    python3 - "$b_raw" "$b_ne" "$b_fb" <<'PY'
import sys
raw, ne, fb = map(float, sys.argv[1:])
print(f"    best of each: raw tantivy {raw:.3f} s, clinsearch --no-expand {ne:.3f} s, with feedback {fb:.3f} s")
print(f"    batch search time / raw tantivy: {ne/raw:.2f}x without feedback, {fb/raw:.2f}x with feedback")
PY
    summary+=("batch search time / raw tantivy's: $(python3 -c "print(f'{$b_ne/$b_raw:.2f}x')") without feedback (target <= 1.3x), $(python3 -c "print(f'{$b_fb/$b_raw:.2f}x')") with feedback (target <= 2.5x)")
  fi
  echo
done

echo "== incremental re-index of the Markdown corpus (full index above: ${cs_secs} s) =="
# (the corpus is regenerated next time: the edits below change it)
run "unchanged corpus" "$cs" index "$md" --index "$work/cs-md"
unchanged=$secs
count=$(find "$md" -name '*.md' | wc -l); touch_n=$(( (count + 99) / 100 ))
find "$md" -name '*.md' | sort > "$work/md-files.txt"
head -n "$touch_n" "$work/md-files.txt" > "$work/md-touch.txt"
while read -r f; do printf '\nAn added sentence about ketamine.\n' >> "$f"; done < "$work/md-touch.txt"
run "after changing $touch_n files (1%)" "$cs" index "$md" --index "$work/cs-md"
python3 -c "f=$cs_secs; print(f'    unchanged: {$unchanged/f*100:.1f}% of the full index time; 1% changed: {$secs/f*100:.1f}%')"
echo

echo "== cold start: clinsearch search NMDA on the bundled corpus (whole process) =="
"$cs" index >/dev/null
for i in 1 2 3 4 5; do run "run $i" "$cs" search NMDA; done
echo

echo "== ratios against raw tantivy, measured side by side above (load average now: $(cut -d' ' -f1-3 /proc/loadavg)) =="
for line in "${summary[@]}"; do echo "  $line"; done
