#!/usr/bin/env bash
# The PDF reader against the publisher XML of the same articles, pdftotext beside it (same run,
# one file at a time on one core); then pdftotext's text read as clinsearch reads text extracted
# from a PDF (Zotero's .zotero-ft-cache, .txt with form feeds).
#   bench/pdf.sh            (needs ../shared/data/pdf; builds the release binary)
# pdftotext (poppler-utils) is for this comparison only: clinsearch never needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/pdf
if [ ! -d "$data" ]; then
  echo "skipping: $data is absent (the shared test data is not on this machine)" >&2
  exit 0
fi
if ! command -v pdftotext >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q poppler-utils >/dev/null; else sudo apt-get install -y -q poppler-utils >/dev/null; fi
fi
cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/clinsearch
echo "== $(pdftotext -v 2>&1 | head -1); clinsearch $(git rev-parse --short HEAD) =="
taskset -c 0 "$bin" eval-pdf "$data" --detail
echo "== pdftotext's text, read as extracted text (eval-pdf --extracted) =="
taskset -c 0 "$bin" eval-pdf "$data" --extracted
