#!/usr/bin/env bash
# Remote indexes against local ones: SciFact's corpus split round-robin by record into 2 parts,
# each part indexed on its own and served by `clinsearch serve` on a loopback port.
#  1. interactive search (natural-language text, top 10 with snippets) for every query, over the
#     2 servers and over the 2 local indexes as one, alternating in one process: p50/p99 of each
#     and equality of hits and scores (tests/remote.rs, interactive_latency_against_local);
#  2. the batch run (RM3 on, depth 100) over the 2 servers, against the run over one index: must
#     be identical byte for byte.
#   bench/remote.sh [PROFILE]   (PROFILE: release (default) or debug; needs ../shared/data/scifact)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/scifact
[ -d "$data" ] || { echo "skipping: $data is absent (no shared test data here)" >&2; exit 0; }
profile=${1:-release}
flag=(); [ "$profile" = release ] && flag=(--release)
cargo build -q "${flag[@]}"
bin=${CARGO_TARGET_DIR:-target}/$profile/clinsearch
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
queries=$data/queries.jsonl
echo "== clinsearch $(git rev-parse --short HEAD), $profile build; $(wc -l < "$data/corpus.jsonl") records, $(wc -l < "$queries") queries =="
for k in 0 1; do
  mkdir -p "$work/files-$k"
  awk -v k="$k" 'NR % 2 == k' "$data/corpus.jsonl" > "$work/files-$k/corpus.jsonl"
  "$bin" index "$work/files-$k" --index "$work/index-$k" --quiet
done
echo "-- interactive, one process, alternating local and remote per query"
REMOTE_BENCH_PARTS="$work/index-0:$work/index-1" REMOTE_BENCH_QUERIES="$queries" \
  cargo test -q "${flag[@]}" --test remote -- --ignored --nocapture interactive_latency_against_local 2>&1 \
  | grep -E 'queries|same|test result'
echo "-- batch run over 2 servers against one index"
mkdir -p "$work/whole"
cp "$data/corpus.jsonl" "$work/whole/corpus.jsonl"
"$bin" index "$work/whole" --index "$work/index-whole" --quiet
urls=()
for k in 0 1; do
  "$bin" serve --lexical --addr 127.0.0.1:0 --index "$work/index-$k" 2> "$work/serve-$k.log" &
  pids+=($!)
done
for k in 0 1; do
  for _ in $(seq 100); do grep -q serving "$work/serve-$k.log" && break; sleep 0.1; done
  urls+=(--index "$(grep -o 'http://[0-9.:]*' "$work/serve-$k.log" | head -1)")
done
"$bin" search --queries "$queries" --run "$work/whole.trec" --limit 100 --index "$work/index-whole" 2>/dev/null
start=$(date +%s.%N)
"$bin" search --queries "$queries" --run "$work/remote.trec" --limit 100 "${urls[@]}"
echo "remote batch run: $(echo "$(date +%s.%N) - $start" | bc) s"
if cmp -s "$work/whole.trec" "$work/remote.trec"; then
  echo "2 servers: run identical to one index ($(wc -l < "$work/whole.trec") lines)"
else
  echo "2 servers: runs DIFFER: $(diff "$work/whole.trec" "$work/remote.trec" | grep -c '^<') lines"
fi
