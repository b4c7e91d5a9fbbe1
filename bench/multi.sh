#!/usr/bin/env bash
# Several indexes searched as one, against one index over the same articles: SciFact's corpus
# split round-robin by record into 2 and 4 parts, each part indexed on its own; the batch runs of
# all queries (RM3 on, depth 100) must be identical byte for byte. Reports the comparison and the
# run times.
#   bench/multi.sh [BIN]     (needs ../shared/data/scifact; builds the release binary without BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/scifact
[ -d "$data" ] || { echo "skipping: $data is absent (no shared test data here)" >&2; exit 0; }
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release -q
  bin=${CARGO_TARGET_DIR:-target}/release/clinsearch
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
queries=$data/queries.jsonl
echo "== clinsearch $(git rev-parse --short HEAD); $(wc -l < "$data/corpus.jsonl") records, $(wc -l < "$queries") queries =="
mkdir -p "$work/whole"
cp "$data/corpus.jsonl" "$work/whole/corpus.jsonl"
"$bin" index "$work/whole" --index "$work/index-whole" --quiet
timed() { # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" 2>/dev/null
  end=$(date +%s.%N)
  printf '%-28s %6.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}
timed "one index" "$bin" search --queries "$queries" --run "$work/whole.trec" --limit 100 --index "$work/index-whole"
for n in 2 4; do
  args=()
  for k in $(seq 0 $((n - 1))); do
    mkdir -p "$work/files-$n-$k"
    awk -v n="$n" -v k="$k" 'NR % n == k' "$data/corpus.jsonl" > "$work/files-$n-$k/corpus.jsonl"
    "$bin" index "$work/files-$n-$k" --index "$work/index-$n-$k" --quiet
    args+=(--index "$work/index-$n-$k")
  done
  timed "$n indexes as one" "$bin" search --queries "$queries" --run "$work/parts-$n.trec" --limit 100 "${args[@]}"
  if cmp -s "$work/whole.trec" "$work/parts-$n.trec"; then
    echo "$n parts: run identical ($(wc -l < "$work/whole.trec") lines)"
  else
    echo "$n parts: runs DIFFER: $(diff "$work/whole.trec" "$work/parts-$n.trec" | grep -c '^<') lines"
  fi
  # Per-part statistics, for contrast (CONTRAST=1): each part searched alone, merged by score.
  [ "${CONTRAST:-0}" = 1 ] || continue
  for k in $(seq 0 $((n - 1))); do
    "$bin" search --queries "$queries" --run "$work/local-$n-$k.trec" --limit 100 --index "$work/index-$n-$k" 2>/dev/null
  done
  sort -k1,1 -k5,5gr -s "$work"/local-$n-*.trec \
    | awk '{ if ($1 != q) { q = $1; r = 0 } if (++r <= 100) print $1, r, $3 }' > "$work/local-$n.ranks"
  awk '{ print $1, $4, $3 }' "$work/whole.trec" > "$work/whole.ranks"
  differ=$(awk 'NR == FNR { d[$1 " " $2] = $3; next } d[$1 " " $2] != $3 { n++ } END { print n + 0 }' \
    "$work/local-$n.ranks" "$work/whole.ranks")
  echo "$n parts by their own statistics, merged by score: $differ of $(wc -l < "$work/whole.ranks") (query, rank) places hold another article"
done
