#!/usr/bin/env bash
# Retrieval quality on every judged collection under ../shared/data, with each analysis step on and
# off, beside the published BM25 baselines. All figures measured in this run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
data=../shared/data
need_data "$data"
cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/clinsearch
collections=()
for dir in "$data"/*/; do
  [ -f "$dir/corpus.jsonl" ] && [ -f "$dir/qrels.tsv" ] && collections+=("${dir%/}")
done

run() { # label, flags...
  local label=$1; shift
  echo "-- $label"
  "$bin" eval "${collections[@]}" "$@"
}
run "plain BM25 over the text field (title, section, paragraph), stop words kept" --plain
run "+ query stop words dropped, abbreviation expansions, no feedback (--no-expand)" --no-expand
run "+ RM3 pseudo-relevance feedback  (the default)"
echo
echo "Published BM25 (nDCG@10): SciFact: Anserini flat 0.679, multifield 0.665 (pyserini beir.yaml);"
echo "MED: no published BM25 figure (see ../shared/data/med/SOURCE.md)."
