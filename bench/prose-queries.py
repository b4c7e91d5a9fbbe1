#!/usr/bin/env python3
"""Search every distinct article title of the shared literature-search exports as an
interactive query typed or pasted as it is, and count the queries refused as bad syntax.

Usage: bench/prose-queries.py [CLINSEARCH ...]
  CLINSEARCH: clinsearch binaries to compare side by side (default: target/release/clinsearch,
  or $CARGO_TARGET_DIR/release/clinsearch). The exports are indexed once, by the first.

Prints, per binary, how many titles were answered (exit 0 or 1) and refused (exit 2), and for
how many the first hit is a passage of an article with that very title (known-item search), then
the refused titles of the last binary with the reason.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORTS = os.path.join(HERE, "..", "..", "shared", "data", "exports")


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    return os.path.join(target, "release", "clinsearch")


def main():
    binaries = sys.argv[1:] or [default_binary()]
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([binaries[0], "index", EXPORTS, "--index", index, "--quiet"], check=True)
        listing = subprocess.run(
            [binaries[0], "search", "--index", index, "--kind", "passage", "--limit", "1000000",
             "--json", "--lexical"],
            capture_output=True, text=True, check=True).stdout
        titles = sorted({json.loads(line)["title"] for line in listing.splitlines()})
        refused = []
        for binary in binaries:
            refused, found = [], 0
            for title in titles:
                out = subprocess.run(
                    [binary, "search", "--index", index, "--lexical", "--limit", "1", "--json",
                     "--", title],
                    capture_output=True, text=True)
                if out.returncode == 2:
                    refused.append((title, out.stderr.strip()))
                first = out.stdout.splitlines()[:1]
                found += bool(first) and json.loads(first[0])["title"] == title
            print(f"{binary}: {len(titles)} titles, {len(titles) - len(refused)} answered, "
                  f"{len(refused)} refused; the title's own article first for {found}")
        for title, reason in refused:
            print(f"  {title[:100]!r}: {reason[-90:]}")


if __name__ == "__main__":
    main()
