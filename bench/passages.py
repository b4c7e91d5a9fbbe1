#!/usr/bin/env python3
"""Which passage of an article a search shows: do hits that show none of the query's words
(the article's title or the section heading matched, not the passage's text) rank above the
article's passages that do?

Usage: bench/passages.py [--semantic] [CLINSEARCH ...]
  CLINSEARCH: clinsearch binaries to compare side by side (default: target/release/clinsearch,
  or $CARGO_TARGET_DIR/release/clinsearch).
  --semantic: index with passage vectors, so that searches rank by hybrid fusion (needs the
  model: scripts/fetch-model).

Indexes the full-text articles of ../shared/data/pdf (each article as PDF and as the
publisher's XML) and ../shared/data/articles once per binary, and searches each distinct author
keyword of their JATS files (<kwd>) as an interactive query, top 10. Prints, per binary:
- hits whose text has no highlighted word, of all hits;
- such hits ranked above a hit of the same article whose text has one (an article's passage
  that talks about the query shown below one that only carries its title);
- queries whose first hit is such a passage, while the same article has a passage with the
  query's words in the top 10;
- as a counter-check, precision at 10 of hits from the articles that list the keyword (each
  article counted as PDF and as XML, so that showing a copy once can lower it), and of those
  hits whose text has a highlighted word;
- repeated hits: hits whose text opens with the same 50 characters of words as a hit above of
  the same work (its DOI, else its folder): one text read twice, from the PDF and the XML.
"""
import glob
import html
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    return os.path.join(target, "release", "clinsearch")


def keywords():
    """Each distinct author keyword → the articles that list it (their folder under pdf/, or
    their file under articles/jats/)."""
    files = glob.glob(os.path.join(DATA, "pdf", "*", "article.nxml"))
    files += glob.glob(os.path.join(DATA, "articles", "jats", "*"))
    found = {}
    for path in sorted(files):
        text = open(path, errors="ignore").read()
        owner = os.path.basename(os.path.dirname(path) if "/pdf/" in path else path)
        for kwd in re.findall(r"<kwd>(.*?)</kwd>", text, re.S):
            kwd = html.unescape(re.sub(r"<[^>]+>", "", kwd))
            kwd = " ".join(kwd.split())
            if kwd:
                found.setdefault(kwd, set()).add(owner)
    return found


def owner(hit):
    """The article a hit belongs to, as keywords() names it: `FOLDER/article.pdf` or
    `FOLDER/article.nxml` of pdf/, `jats/FILE` of articles/."""
    parts = hit["article"].split("/")
    return parts[1] if parts[0] == "jats" else parts[0]


def main():
    args = sys.argv[1:]
    semantic = "--semantic" in args
    binaries = [a for a in args if a != "--semantic"] or [default_binary()]
    queries = keywords()
    print(f"queries: {len(queries)} distinct author keywords of the JATS articles; "
          f"{'hybrid' if semantic else 'lexical'} ranking")
    with tempfile.TemporaryDirectory() as tmp:
        for b, binary in enumerate(binaries):
            index = os.path.join(tmp, f"index-{b}")
            subprocess.run([binary, "index", os.path.join(DATA, "pdf"),
                            os.path.join(DATA, "articles"), "--index", index]
                           + (["--semantic"] if semantic else []),
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            hits = bare = above = first_bare = answered = repeated = 0
            own = own_shown = 0
            for query in sorted(queries):
                out = subprocess.run([binary, "search", query, "--index", index, "-n", "10",
                                      "--json"], capture_output=True, text=True)
                if out.returncode == 2:
                    continue
                ranked = [json.loads(line) for line in out.stdout.splitlines()]
                if not ranked:
                    continue
                answered += 1
                hits += len(ranked)
                shows = [bool(h["highlights"]) for h in ranked]
                mine = [owner(h) in queries[query] for h in ranked]
                own += sum(mine)
                own_shown += sum(m and s for m, s in zip(mine, shows))
                opened = set()
                for h in ranked:
                    key = (h.get("doi") or owner(h),
                           " ".join(re.findall(r"\w+", h["text"].lower()))[:50])
                    repeated += key in opened
                    opened.add(key)
                bare += shows.count(False)
                for i, h in enumerate(ranked):
                    if shows[i]:
                        continue
                    below = [j for j in range(i + 1, len(ranked))
                             if shows[j] and ranked[j]["article"] == h["article"]]
                    if below:
                        above += 1
                        if i == 0:
                            first_bare += 1
            print(f"\n{binary}")
            print(f"  queries answered: {answered} of {len(queries)}")
            print(f"  hits without a highlighted word: {bare} of {hits}")
            print(f"  ... ranked above a passage of the same article with one: {above}")
            print(f"  queries whose first hit is such a passage: {first_bare}")
            print(f"  P@10 of hits from the keyword's articles: {own / (10 * answered):.3f}, "
                  f"of those with a highlighted word: {own_shown / (10 * answered):.3f}")
            print(f"  repeated hits (the same text of one work read twice): {repeated}")


if __name__ == "__main__":
    main()
