#!/usr/bin/env python3
"""Are PDF passages given the page they start on? Checked against pdftotext.

Usage: bench/pdf-pages.py [CLINSEARCH]
  CLINSEARCH: the binary (default: $CARGO_TARGET_DIR/release/clinsearch, else target/release/).

Indexes ../shared/data/pdf into a temporary folder, lists every passage of its PDFs, and looks
for the passage's opening words (any run of four words among its first fifteen, letters and
digits only, 15 characters or more) in pdftotext's text of the page the hit names, then of the
three pages before and after it. Prints how many passages are found on their page, on another
page, or not at all (pdftotext reads them otherwise: ligatures, hyphens, table cells), and the
passages found on another page.
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "pdf")


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    return os.path.join(target, "release", "clinsearch")


def norm(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else default_binary()
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([binary, "index", DATA, "--index", index, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run([binary, "search", "--index", index, "--kind", "passage", "--json",
                              "-n", "1000000"], check=True, capture_output=True, text=True)
    hits = [json.loads(line) for line in out.stdout.splitlines()]
    pages = {}

    def page_text(path, n):
        if (path, n) not in pages:
            text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), path, "-"],
                                  capture_output=True, text=True).stdout
            pages[(path, n)] = norm(text)
        return pages[(path, n)]

    counts = collections.Counter()
    elsewhere = []
    for hit in hits:
        if not hit["path"].endswith(".pdf"):
            continue
        counts["PDF passages"] += 1
        if "page" not in hit:
            counts["without a page"] += 1
            continue
        words = hit["text"].split()
        probes = [norm(" ".join(words[i:i + 4])) for i in range(min(len(words) - 3, 12))]
        probes = [p for p in probes if len(p) >= 15]
        if not probes:
            counts["too short to look for"] += 1
            continue
        page = hit["page"]

        def found(n):
            return any(p in page_text(hit["path"], n) for p in probes)

        if found(page):
            counts["on the page named"] += 1
        elif any(found(n) for n in range(max(1, page - 3), page + 4) if n != page):
            counts["on another page"] += 1
            elsewhere.append(f"{hit['id']} (page {page}): {' '.join(words[:8])}")
        else:
            counts["not found by pdftotext nearby"] += 1
    for what, n in counts.items():
        print(f"{what:32} {n}")
    for line in elsewhere:
        print("  on another page:", line)


if __name__ == "__main__":
    main()
