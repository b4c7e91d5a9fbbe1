#!/usr/bin/env bash
# Reference and citation parsing: accuracy tables and throughput, all measured in one run.
#   bench/references.sh            (needs ../shared/data; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
data=../shared/data
need_data "$data/references"
cargo build --release -q --bin clinsearch --bin refs-lab
bin=${CARGO_TARGET_DIR:-target}/release/clinsearch
lab=${CARGO_TARGET_DIR:-target}/release/refs-lab

echo "== 1. AnyStyle core: 1,514 hand-labelled references, 5-fold cross-validation =="
echo "   (each reference parsed by a tagger trained on the other four fifths)"
$bin refs eval "$data/references/anystyle-core.xml" --folds 5
echo
echo "== 1a. learning curve: the same folds, each tagger trained on a share of the other four =="
echo "   (share 1 is table 1; how micro-F1 and title F1 grow with the labelled references)"
for share in 0.125 0.25 0.5 0.75; do
  echo "   share $share: $($bin refs eval "$data/references/anystyle-core.xml" --folds 5 --train-share $share \
    | awk '$1 == "title" || $1 == "micro" { printf "%s F1 %s   ", $1, ($1 == "micro" ? $5 : $4) }')"
done
echo
echo "== 1b. the same references, pattern-only parser (no tagger) =="
$bin refs eval "$data/references/anystyle-core.xml" --rules
echo
echo "== 2-3. JATS: structured references rendered in eleven citation styles and parsed back; in-text citations =="
$lab jats "$data/articles/jats"
echo
echo "== 4. throughput: refs parse on one core, 30,280 reference strings (the 1,514 x 20) =="
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.out" "$tmp.one" "$tmp.all"' EXIT
python3 - "$data/references/anystyle-core.xml" > "$tmp" <<'PY'
import sys, xml.etree.ElementTree as ET
lines = []
for seq in ET.parse(sys.argv[1]).getroot().iter("sequence"):
    parts = [" ".join("".join(p.itertext()).split()) for p in seq]
    lines.append(" ".join(p for p in parts if p))
sys.stdout.write("\n".join(lines * 20) + "\n")
PY
n=$(wc -l < "$tmp")
for run in 1 2 3; do
  start=$(date +%s.%N)
  taskset -c 0 "$bin" refs parse "$tmp" > "$tmp.out"
  end=$(date +%s.%N)
  python3 -c "import sys; n,s,e=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'   run {sys.argv[4]}: {n} references in {e-s:.2f} s = {n/(e-s):,.0f} per second')" "$n" "$start" "$end" "$run"
done
echo
echo "== 5. instructions per reference (valgrind; not moved by other load on the machine) =="
if command -v valgrind > /dev/null; then
  # The first copy of the 1,514 strings against one string: the difference is the parsing alone,
  # without the start-up (loading the model, compiling the patterns).
  count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" refs parse "$1" 2>&1 > /dev/null |
      sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
  }
  head -n 1 "$tmp" > "$tmp.one"
  head -n 1514 "$tmp" > "$tmp.all"
  one=$(count "$tmp.one")
  all=$(count "$tmp.all")
  echo "   $(( (all - one) / 1513 )) instructions per reference (1,514 strings: $all; one string: $one)"
  rm -f "$tmp.one" "$tmp.all"
else
  echo "   skipped: valgrind is not installed"
fi
