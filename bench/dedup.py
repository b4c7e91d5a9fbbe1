#!/usr/bin/env python3
"""Duplicates merged across exports: do two fresh builds of one folder rank alike, and what does
merging duplicates cost?

Usage: bench/dedup.py [CLINSEARCH ...]
  CLINSEARCH: clinsearch binaries to compare side by side (default: target/release/clinsearch,
  or $CARGO_TARGET_DIR/release/clinsearch).
  DOCS=100000 REPEAT=2 (environment): size of the worst case below, and runs of it per binary.

For each binary:
1. builds ../shared/data/exports three times afresh and prints, per build, its segments, its
   documents and how many of them are deleted (records indexed before their better duplicate
   arrived), then whether the three builds give the same BM25 run (top 10, no feedback) for the
   exports' titles, and for how many titles they differ;
2. the worst case: DOCS records of ../shared/tools/make-scale-corpus.py written twice as RIS,
   once without abstract in files read first (a_*.ris) and once with it (b_*.ris), so that most
   records are indexed and then replaced by their duplicate. Prints wall and user seconds of a
   fresh build, binaries interleaved.
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")
EXPORTS = os.path.join(SHARED, "data", "exports")


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    return os.path.join(target, "release", "clinsearch")


def segments(index):
    meta = json.load(open(os.path.join(index, "meta.json")))
    docs = sum(s["max_doc"] for s in meta["segments"])
    deleted = sum((s.get("deletes") or {}).get("num_deleted_docs", 0) for s in meta["segments"])
    return len(meta["segments"]), docs, deleted


def titles(path):
    found = []
    for root, _, files in os.walk(EXPORTS):
        for name in sorted(files):
            text = open(os.path.join(root, name), errors="ignore").read()
            found += re.findall(r"^(?:TI|T1)  - (.+)$", text, re.M)
            found += re.findall(r"<ArticleTitle>([^<]+)</ArticleTitle>", text)
    found = list(dict.fromkeys(t.strip() for t in found if t.strip()))
    with open(path, "w") as out:
        for i, t in enumerate(found):
            out.write(json.dumps({"_id": str(i), "text": t}) + "\n")
    return len(found)


def run_lines(path):
    by_query = {}
    for line in open(path):
        q = line.split()[0]
        by_query.setdefault(q, []).append(line)
    return by_query


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime


def worst_case(tmp, docs):
    corpus = os.path.join(tmp, "scale")
    subprocess.run(
        [sys.executable, os.path.join(SHARED, "tools", "make-scale-corpus.py"), "jsonl", corpus,
         "--docs", str(docs)],
        check=True, stdout=subprocess.DEVNULL)
    folder = os.path.join(tmp, "ris")
    os.makedirs(folder)
    records = [json.loads(l) for l in open(os.path.join(corpus, "corpus.jsonl"))]
    for part in range(4):
        with open(os.path.join(folder, f"a_{part}.ris"), "w") as bare, \
                open(os.path.join(folder, f"b_{part}.ris"), "w") as full:
            for r in records[part::4]:
                head = f"TY  - JOUR\nTI  - {r['title']}\nDO  - 10.9999/{r['_id']}\nPY  - 2019\n"
                bare.write(head + "ER  - \n\n")
                full.write(head + f"AB  - {r['text']}\nER  - \n\n")
    return folder


def main():
    binaries = sys.argv[1:] or [default_binary()]
    docs = int(os.environ.get("DOCS", "100000"))
    repeat = int(os.environ.get("REPEAT", "2"))
    with tempfile.TemporaryDirectory() as tmp:
        queries = os.path.join(tmp, "titles.jsonl")
        print(f"titles of the exports as queries: {titles(queries)}")
        for b, binary in enumerate(binaries):
            print(f"\n{binary}")
            runs = []
            for i in range(3):
                index = os.path.join(tmp, f"exports-{b}-{i}")
                subprocess.run([binary, "index", EXPORTS, "--index", index], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                n, total, deleted = segments(index)
                print(f"  build {i + 1}: {n} segments, {total} documents, {deleted} deleted")
                run = os.path.join(tmp, f"run-{b}-{i}")
                subprocess.run([binary, "search", "--queries", queries, "--run", run, "--limit",
                                "10", "--no-expand", "--index", index],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                runs.append(run_lines(run))
            differ = sum(1 for q in runs[0] if any(r.get(q) != runs[0][q] for r in runs[1:]))
            scored_apart = sum(
                1 for q in runs[0]
                if any([l.split()[4] for l in r.get(q, [])] != [l.split()[4] for l in runs[0][q]]
                       for r in runs[1:]))
            print(f"  titles whose top 10 differ between the builds: {differ} of {len(runs[0])}"
                  f" (scores differ: {scored_apart}; the rest are exact ties in another order)")
        folder = worst_case(tmp, docs)
        print(f"\nworst case: {docs} RIS records, each read first without its abstract")
        for r in range(repeat):
            for b, binary in enumerate(binaries):
                index = os.path.join(tmp, f"worst-{b}-{r}")
                wall, user = timed([binary, "index", folder, "--index", index])
                n, total, deleted = segments(index)
                print(f"  {binary}: {wall:.2f} s wall, {user:.2f} s user; {n} segments, "
                      f"{total} documents, {deleted} deleted")
                subprocess.run(["rm", "-rf", index], check=True)


if __name__ == "__main__":
    main()
