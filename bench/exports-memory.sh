#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `clinsearch index` on the 604-citation MEDLINE XML
# sample and on files of 30,000, 60,000 and 120,000 citations made from it: its citations repeated, each
# copy with a new PMID. PubMed XML is read as a stream, so the peak should not grow with the file.
#   bench/exports-memory.sh        (needs ../shared/data/exports; builds the release binary)
# One thread (--threads 1) and a fixed writer budget (--memory-mb 32; MEMORY_MB= another) so
# that the figures compare files, not thread counts or budgets: the index writer fills its budget
# before it flushes a segment, so up to the budget the peak grows with the input whatever the
# reader does. GNU time (/usr/bin/time -v) measures the peak resident set; /proc/PID/status,
# read every 50 ms, splits it into anonymous memory (what the process allocates) and file pages
# (segment files memory-mapped while tantivy merges them: page cache, given back under pressure).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
sample=../shared/data/exports/pubmed_xml/medline16n0902_sample.xml.gz
need_data "$sample"
# PROFILE=debug measures the debug build instead (memory hardly differs; times do); BIN=path
# measures a binary already built.
profile=${PROFILE:-release}
if [ -z "${BIN:-}" ]; then
  if [ "$profile" = release ]; then cargo build --release -q; else cargo build -q; fi
fi
bin=${BIN:-${CARGO_TARGET_DIR:-target}/$profile/clinsearch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The citations of the sample, repeated to n of them. Copy k of a citation has the PMID
# 90000000 + 1000 * k + (its position in the sample), and its DOI ends in ".copy<k>", so that no
# copy is merged as a duplicate of another: every citation is indexed.
make_file() {
  local n=$1 out=$2
  python3 - "$sample" "$n" "$out" <<'PY'
import gzip, re, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = gzip.open(src, "rt", encoding="utf-8").read()
cites = re.findall(r"<MedlineCitation[ >].*?</MedlineCitation>", text, re.S)
head = text[: re.search(r"<MedlineCitation[ >]", text).start()]
with gzip.open(out, "wt", encoding="utf-8") as f:
    f.write(head)
    for i in range(n):
        k, j = divmod(i, len(cites))
        pmid = 90000000 + 1000 * k + j
        cite = re.sub(r"<PMID([^>]*)>\d+</PMID>", rf"<PMID\g<1>>{pmid}</PMID>", cites[j], count=1)
        if k:
            cite = re.sub(r'(<ELocationID EIdType="doi"[^>]*>)([^<]+)', rf"\g<1>\g<2>.copy{k}", cite)
        f.write(cite)
        f.write("\n")
    f.write("</MedlineCitationSet>\n")
PY
}
memory_mb=${MEMORY_MB:-32}
echo "== clinsearch $(git rev-parse --short HEAD) ($profile); $(nproc) cores; --threads 1 --memory-mb $memory_mb =="
printf '%-28s %10s %10s %9s %10s %10s %10s\n' file citations "size (MB)" "time (s)" "peak RSS" "anon peak" "file peak"
run() {
  local file=$1 label=$2 n=$3
  rm -rf "$work/idx" "$work/src"
  mkdir "$work/src"
  cp "$file" "$work/src/"
  /usr/bin/time -v "$bin" index "$work/src" --index "$work/idx" --threads 1 --memory-mb "$memory_mb" \
    >"$work/out" 2>"$work/time" &
  wait_sampling_memory $!
  local kb secs size
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
  size=$(du -m --apparent-size "$file" | cut -f1)
  printf '%-28s %10s %10s %9s %10s %10s %10s\n' "$label" "$n" "$size" "$secs" "$((kb / 1024))" \
    "$((anon_peak / 1024))" "$((file_peak / 1024))"
  grep -E '^  pubmed |duplicate record' "$work/out" || true
}
run "$sample" "medline16n0902_sample.xml.gz" 604
for n in 30000 60000 120000; do
  make_file "$n" "$work/repeated-$n.xml.gz"
  run "$work/repeated-$n.xml.gz" "repeated-$n.xml.gz" "$n"
done
