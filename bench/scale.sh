#!/usr/bin/env bash
# Growth with the size of the collection: PubMed-like abstracts (one passage each) from
# ../shared/tools/make-scale-corpus.py at 0.2M, 1M and 5M passages, indexed whole and in 2 and 4
# parts (`index --part K/N`, then the parts searched together as one with several `--index`).
# Per size and number of parts (indexing time summed over the parts): indexing passages/s, index bytes per passage, peak RSS while
# indexing and while searching (with the searching process's resident memory split into
# anonymous memory and mapped index files), and the p50/p99 of 200 interactive searches (top 10
# with snippets, natural-language reading, warm, one thread; the same 200 queries at every size),
# in wall time and in the searching thread's CPU time (which a loaded machine does not inflate).
#   bench/scale.sh                           # all sizes: ~15 GB of disk at 5M, an hour or more
#   SIZES="200000 1000000" bench/scale.sh    # the smaller ones
#   PARTS="1 4" QUERIES=100 WORK=/tmp/x bench/scale.sh
#   PARTS_UP_TO=1000000 bench/scale.sh      # larger sizes indexed whole only (saves an hour at 5M)
#   KEEP=1 ...                               # keep the last indexes to search them again
# Corpora and indexes go under WORK (default target/bench-scale) and are deleted as soon as they
# are measured: at most one corpus and one size's indexes exist at a time. BIN / HELPER name
# binaries already built (clinsearch and clinsearch-bench); without them the script builds both.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
gen=../shared/tools/make-scale-corpus.py
need_data ../shared/data/scifact
[ -f "$gen" ] || { echo "skipping: $gen is absent (the shared tools are not on this machine)" >&2; exit 0; }
sizes=${SIZES:-200000 1000000 5000000}
parts=${PARTS:-1 2 4}
parts_up_to=${PARTS_UP_TO:-}   # sizes above this are indexed whole only
nq=${QUERIES:-200}
files=${FILES:-200}   # each corpus is split into this many JSON Lines files: --part splits by file
work=${WORK:-target/bench-scale}
if [ -z "${BIN:-}" ] || [ -z "${HELPER:-}" ]; then
  cargo build --release -q --no-default-features --features bench
fi
cs=${BIN:-${CARGO_TARGET_DIR:-target}/release/clinsearch}
hb=${HELPER:-${CARGO_TARGET_DIR:-target}/release/clinsearch-bench}
mkdir -p "$work"
rows="$work/rows.tsv"
: > "$rows"
load() { cut -d' ' -f1-3 /proc/loadavg; }
gib() { python3 -c "print(f'{$1 / 2**30:.2f}')"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); clinsearch $(git rev-parse --short HEAD); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "sizes: $sizes; parts: $parts; $nq queries; each corpus in $files files"

# The corpus of $1 abstracts in $files files under $work/corpus. The generator writes one
# corpus.jsonl; here it is a pipe that `split` reads, so the corpus is on disk only once.
make_corpus() {
  local docs=$1 per=$(( ($1 + files - 1) / files ))
  rm -rf "$work/corpus" "$work/gen"
  mkdir -p "$work/corpus" "$work/gen"
  mkfifo "$work/gen/corpus.jsonl"
  split -l "$per" -d -a 4 --additional-suffix=.jsonl - "$work/corpus/part-" < "$work/gen/corpus.jsonl" &
  local splitter=$!
  python3 "$gen" jsonl "$work/gen" --docs "$docs" --queries "$nq" > /dev/null
  wait "$splitter"
  # The first size's queries serve every size, so that latencies compare like with like.
  [ -f "$work/queries.jsonl" ] || head -n "$nq" "$work/gen/queries.jsonl" > "$work/queries.jsonl"
  rm -rf "$work/gen"
}

for size in $sizes; do
  started=$(date +%s)
  make_corpus "$size"
  text=$(du -sb "$work/corpus" | cut -f1)
  echo
  echo "== $size abstracts, $(gib "$text") GiB of JSON Lines, made in $(( $(date +%s) - started )) s (load average: $(load)) =="
  for n in $parts; do
    [ "$n" -gt 1 ] && [ -n "$parts_up_to" ] && [ "$size" -gt "$parts_up_to" ] && continue
    rm -rf "$work"/index-*
    secs=0; peak=0; peak_anon=0; peak_file=0; passages=0; dirs=()
    for k in $(seq "$n"); do
      dir="$work/index-$k"
      part=(); [ "$n" -gt 1 ] && part=(--part "$k/$n")
      /usr/bin/time -f "%e %M" -o "$work/time.txt" "$cs" index "$work/corpus" --index "$dir" "${part[@]}" > "$work/out.txt" 2> "$work/err.txt" &
      wait_sampling_memory $! || { cat "$work/err.txt" >&2; exit 1; }
      read -r s kb < "$work/time.txt"
      p=$(awk '$1 == "all" {print $3; exit}' "$work/out.txt")
      [ -n "$p" ] || { echo "no passage count in the index summary:" >&2; cat "$work/out.txt" >&2; exit 1; }
      printf '  index %-4s %9d passages %8.1f s %6d MiB peak RSS = at most %d MiB anonymous + %d MiB mapped files (load %s)\n' \
        "$k/$n" "$p" "$s" $((kb / 1024)) $((anon_peak / 1024)) $((file_peak / 1024)) "$(load)"
      secs=$(python3 -c "print($secs + $s)"); passages=$((passages + p))
      [ $((kb / 1024)) -gt "$peak" ] && peak=$((kb / 1024))
      [ $((anon_peak / 1024)) -gt "$peak_anon" ] && peak_anon=$((anon_peak / 1024))
      [ $((file_peak / 1024)) -gt "$peak_file" ] && peak_file=$((file_peak / 1024))
      dirs+=("$dir")
    done
    bytes=$(du -sbc "${dirs[@]}" | tail -1 | cut -f1)
    # What the bytes are (tantivy's files by extension): postings (idx), positions (pos), term
    # dictionaries (term), fast fields (fast), field norms, the document store (store).
    if [ "$n" = 1 ]; then
      find "${dirs[@]}" -type f -printf '%s %f\n' | awk -v all="$bytes" '
        { ext = $2; sub(/^.*\./, "", ext); if (ext !~ /^(idx|pos|term|fast|fieldnorm|store)$/) ext = "other"; b[ext] += $1 }
        END { printf "  index files:"; for (e in b) printf " %s %.1f%%", e, 100 * b[e] / all; printf "\n" }'
    fi
    also=(); for d in "${dirs[@]:1}"; do also+=(--also "$d"); done
    /usr/bin/time -f "%M" -o "$work/time.txt" "$hb" cs-query "${dirs[0]}" "$work/queries.jsonl" "${also[@]}" --memory > "$work/out.txt" 2> "$work/err.txt" \
      || { cat "$work/err.txt" >&2; exit 1; }
    sed 's/^/  /' "$work/out.txt"
    search_peak=$(( $(cat "$work/time.txt") / 1024 ))
    p50=$(grep '^clinsearch:' "$work/out.txt" | grep -o 'p50 [0-9.]*' | cut -d' ' -f2)
    p99=$(grep '^clinsearch:' "$work/out.txt" | grep -o 'p99 [0-9.]*' | cut -d' ' -f2)
    cpu50=$(grep '^clinsearch CPU' "$work/out.txt" | grep -o 'p50 [0-9.]*' | cut -d' ' -f2)
    cpu99=$(grep '^clinsearch CPU' "$work/out.txt" | grep -o 'p99 [0-9.]*' | cut -d' ' -f2)
    anon=$(grep -o 'anonymous [0-9.]*' "$work/out.txt" | cut -d' ' -f2)
    mapped=$(grep -o 'mapped files [0-9.]*' "$work/out.txt" | cut -d' ' -f3)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$n" "$passages" "$secs" "$bytes" "$peak/$peak_anon/$peak_file" \
      "$search_peak" "$anon" "$mapped" "$p50" "$p99" "$cpu50" "$cpu99" "$(load | cut -d' ' -f1)" >> "$rows"
  done
  rm -rf "$work/corpus"
  # KEEP=1 leaves the last indexes in $work, to be searched again (e.g. on a quieter machine)
  [ -n "${KEEP:-}" ] || rm -rf "$work"/index-*
done

echo
echo "== summary (load average now: $(load)) =="
python3 - "$rows" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("| passages | parts | indexing passages/s | index bytes/passage | peak RSS indexing MiB: all / anonymous / mapped (largest part) | "
      "peak RSS searching MiB | at the end: heap / mapped MiB | p50 / p99 ms | CPU p50 / p99 ms | load |")
print("|---|---|---|---|---|---|---|---|---|---|")
for size, n, p, secs, b, ipeak, speak, anon, mapped, p50, p99, c50, c99, load in rows:
    p, secs, b = int(p), float(secs), int(b)
    print(f"| {p:,} | {n} | {p / secs:,.0f} | {b / p:,.0f} | {ipeak.replace('/', ' / ')} | {speak} | "
          f"{float(anon):,.0f} / {float(mapped):,.0f} | {float(p50):.2f} / {float(p99):.2f} | "
          f"{float(c50):.2f} / {float(c99):.2f} | {load} |")
# Growth between sizes, one index: time per passage, bytes per passage, latency.
ones = [r for r in rows if r[1] == "1"]
if len(ones) > 1:
    base = ones[0]
    b_p, b_s, b_b = int(base[2]), float(base[3]), int(base[4])
    print()
    print("growth against the smallest size, one index (1.00 = linear in the passages; latency is "
          "as a ratio of its own):")
    for r in ones[1:]:
        p, s, b = int(r[2]), float(r[3]), int(r[4])
        print(f"  {p:,} passages = {p / b_p:.1f}x: indexing time per passage {s / p / (b_s / b_p):.2f}x, "
              f"bytes per passage {b / p / (b_b / b_p):.2f}x, p50 {float(r[9]) / float(base[9]):.2f}x, "
              f"p99 {float(r[10]) / float(base[10]):.2f}x, CPU p50 {float(r[11]) / float(base[11]):.2f}x, "
              f"search heap {float(r[7]) / float(base[7]):.2f}x")
PY
