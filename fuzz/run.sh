#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 600), seeded from the bundled corpus and the
# test fixtures. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain,
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags. Crashes land in fuzz/artifacts/<target>/.
#   fuzz/run.sh              # all targets, 10 minutes each
#   SECONDS_EACH=60 fuzz/run.sh text query
set -euo pipefail
cd "$(dirname "$0")"
each=${SECONDS_EACH:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text jats html jsonl references query)
mkdir -p corpus/text corpus/jats corpus/html corpus/jsonl corpus/references corpus/query
cp ../corpus/*.txt ../tests/fixtures/*.md corpus/text/ 2>/dev/null || true
cp ../tests/fixtures/*.nxml ../tests/fixtures/*.xml corpus/jats/ 2>/dev/null || true
cp ../tests/fixtures/*.html corpus/html/ 2>/dev/null || true
cp ../tests/fixtures/*.jsonl corpus/jsonl/ 2>/dev/null || true
grep -h -E '^[A-Z][a-z]+, [A-Z]\.' ../corpus/*.txt | head -20 | split -l 1 - corpus/references/seed- || true
for q in 'NMDA' '"treatment-resistant depression"' 'author:krystal AND year:[2015 TO 2019]' 'ketamine -dissociation' 'IL-6 TNF-α'; do
  printf '\0%s' "$q" > "corpus/query/$(echo "$q" | md5sum | cut -c1-8)"
done
for t in "${targets[@]}"; do
  echo "== $t: $each s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$each" -print_final_stats=1 2>&1 \
    | grep -E '^(stat::|==|INFO: Running|Done|#[0-9]+ *DONE|artifact_prefix|Test unit written|SUMMARY|thread .* panicked)' || true
done
