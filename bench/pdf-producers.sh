#!/usr/bin/env bash
# The PDF reader on PDFs of other producers: the JATS articles of ../shared/data rendered by
# bench/jats-to-pdf.py and printed with pdfTeX (two columns, Computer Modern Type 1 fonts;
# one column, Times), headless Chromium (HTML, TrueType subsets) and LibreOffice Writer (the
# same HTML opened as a text document and exported, as a word processor does), then scored
# by `clinsearch eval-pdf --detail` against the same XML (the folder prefix is the producer).
#   bench/pdf-producers.sh [PRODUCER...]    (default: latex2col latex1col chromium libreoffice)
# The PDFs go to ${PDF_PRODUCERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/clinsearch/pdf-producers}/
# HASH (the first 12 digits of bench/jats-to-pdf.py's sha256), one folder PRODUCER-ARTICLE with
# article.pdf and article.nxml; PDFs of the same converter are reused (delete the folder to
# render again). pdflatex, chromium and soffice are for this bench only: clinsearch never
# needs them.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
if [ ! -d "$data/pdf" ]; then
  echo "skipping: $data/pdf is absent (the shared test data is not on this machine)" >&2
  exit 0
fi
producers=("$@")
[ ${#producers[@]} -gt 0 ] || producers=(latex2col latex1col chromium libreoffice)
out=${PDF_PRODUCERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/clinsearch/pdf-producers}/$(sha256sum bench/jats-to-pdf.py | cut -c1-12)
mkdir -p "$out"

install() {  # Debian packages, for this bench only
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q --no-install-recommends "$@" >/dev/null
  else sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null; fi
}
for p in "${producers[@]}"; do
  case $p in
    latex*) command -v pdflatex >/dev/null || install texlive-latex-base texlive-fonts-recommended ;;
    chromium) command -v chromium >/dev/null || install chromium ;;
    libreoffice) command -v soffice >/dev/null || install libreoffice-writer-nogui ;;
    *) echo "unknown producer $p (latex2col, latex1col, chromium, libreoffice)" >&2; exit 2 ;;
  esac
done

# Sources: every JATS article (BMC's own article.bmc.xml format is not rendered).
sources=()
for f in "$data"/articles/jats/*.nxml "$data"/articles/jats/*.xml "$data"/pdf/*/article.nxml; do
  [ -f "$f" ] && sources+=("$f")
done

render() {  # render PRODUCER XML FOLDER
  local p=$1 xml=$2 dir=$3 tmp
  tmp=$(mktemp -d)
  case $p in
    latex*)
      python3 bench/jats-to-pdf.py "$p" "$xml" >"$tmp/article.tex"
      # Twice, for the citation numbers; nonstopmode drops what it cannot typeset and goes on.
      for _ in 1 2; do
        (cd "$tmp" && pdflatex -interaction=nonstopmode article.tex >/dev/null 2>&1) || true
      done ;;
    chromium)
      python3 bench/jats-to-pdf.py html "$xml" >"$tmp/article.html"
      timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile" --no-pdf-header-footer \
        --print-to-pdf="$tmp/article.pdf" "file://$tmp/article.html" >/dev/null 2>&1 || true ;;
    libreoffice)
      python3 bench/jats-to-pdf.py html "$xml" >"$tmp/article.html"
      timeout 120 soffice --headless --norestore -env:UserInstallation="file://$tmp/profile" \
        --infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export --outdir "$tmp" \
        "$tmp/article.html" >/dev/null 2>&1 || true ;;
  esac
  if [ -s "$tmp/article.pdf" ]; then
    mkdir -p "$dir"
    cp "$tmp/article.pdf" "$dir/article.pdf"
    cp "$xml" "$dir/article.nxml"
  else
    echo "no PDF from $p for $xml" >&2
  fi
  rm -rf "$tmp"
}

made=0
for p in "${producers[@]}"; do
  for xml in "${sources[@]}"; do
    name=$(basename "$xml")
    [ "$name" = article.nxml ] && name=$(basename "$(dirname "$xml")") || name=${name%.*}
    dir="$out/$p-$name"
    [ -s "$dir/article.pdf" ] && continue
    render "$p" "$xml" "$dir"
    made=$((made + 1))
  done
done
echo "rendered $made PDFs into $out" >&2

cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/clinsearch
echo "== producers: ${producers[*]}; $(pdflatex --version 2>/dev/null | head -1); $(chromium --version 2>/dev/null | head -1); $(soffice --version 2>/dev/null | head -1); clinsearch $(git rev-parse --short HEAD) =="
taskset -c 0 "$bin" eval-pdf "$out" --detail
