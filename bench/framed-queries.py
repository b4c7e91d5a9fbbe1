#!/usr/bin/env python3
"""Questions asked in prose: does a topic asked about as "where do my articles talk about X?"
find what X alone finds, in interactive search (the CLI, the web page)?

Usage: bench/framed-queries.py [--semantic] [CLINSEARCH ...]
  CLINSEARCH: clinsearch binaries to compare side by side (default: target/release/clinsearch,
  or $CARGO_TARGET_DIR/release/clinsearch).
  --semantic: index with passage vectors, so that searches rank by hybrid fusion (needs the
  model: scripts/fetch-model).

The collection is bench/mesh-topics.py's: 791 MEDLINE records of ../shared/data/exports, and as
topics the 159 MeSH descriptors that are a major topic of two records or more. Each topic is
asked bare and in each template below, through `clinsearch serve`'s API (top 10 passages, one
per record); prints nDCG@10 per template and binary, against the records that have the topic.
The templates were written together with the framing rule (src/search/framing.rs), so they
show what it reaches, not how often users phrase questions so; the last two hold words it does
not know ("research", "need", "evidence").
"""
import importlib.util
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mesh_topics", os.path.join(HERE, "mesh-topics.py"))
mesh_topics = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mesh_topics)

TEMPLATES = [
    "{}",
    "where do my articles talk about {}?",
    "which papers mention {}",
    "what do my studies say about {}?",
    "find articles on {}",
    "{} in my papers",
    "can you show me research on {}?",
    "I need evidence about {}",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ndcg10(ranked, relevant):
    dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(ranked[:10]) if a in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal


def search(port, query):
    url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": query, "limit": 30})
    with urllib.request.urlopen(url, timeout=60) as r:
        hits = json.load(r)["hits"]
    ranked = []
    for hit in hits:
        if hit["article"] not in ranked:
            ranked.append(hit["article"])
    return ranked


def main():
    args = sys.argv[1:]
    semantic = "--semantic" in args
    binaries = [a for a in args if a != "--semantic"] or [mesh_topics.default_binary()]
    with tempfile.TemporaryDirectory() as tmp:
        collection = os.path.join(tmp, "mesh-topics")
        os.mkdir(collection)
        mesh_topics.write_collection(collection)
        queries = [json.loads(line) for line in open(os.path.join(collection, "queries.jsonl"))]
        relevant = {}
        for line in list(open(os.path.join(collection, "qrels.tsv")))[1:]:
            qid, doc, _ = line.split("\t")
            relevant.setdefault(qid, set()).add(doc)
        table = {}
        for b, binary in enumerate(binaries):
            index = os.path.join(tmp, f"index-{b}")
            command = [binary, "index", os.path.join(collection, "corpus.jsonl"), "--index", index]
            subprocess.run(command + (["--semantic"] if semantic else []), check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            port = free_port()
            server = subprocess.Popen([binary, "serve", "--index", index, "--addr",
                                       f"127.0.0.1:{port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                for _ in range(600):
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5)
                        break
                    except OSError:
                        time.sleep(0.1)
                for template in TEMPLATES:
                    scores = [ndcg10(search(port, template.format(q["text"])), relevant[q["_id"]])
                              for q in queries]
                    table[(template, b)] = sum(scores) / len(scores)
            finally:
                server.terminate()
                server.wait()
        ranking = "hybrid" if semantic else "lexical"
        print(f"\nnDCG@10 over {len(queries)} topics, interactive {ranking} search, top 10 records")
        for b, binary in enumerate(binaries):
            print(f"  [{b}] {binary}")
        print(f"{'question':44}" + "".join(f"{f'[{b}]':>9}" for b in range(len(binaries))))
        for template in TEMPLATES:
            print(f"{template.format('X'):44}"
                  + "".join(f"{table[(template, b)]:9.4f}" for b in range(len(binaries))))


if __name__ == "__main__":
    main()
