#!/usr/bin/env python3
"""A retrieval collection with short queries, built from the MEDLINE records of the shared
literature-search exports: does hybrid ranking hold up on topic queries of a few words over
abstracts (151 of the 159 have one to three), as NFCorpus asks, on data no choice of ours was
made on?

Usage: bench/mesh-topics.py [CLINSEARCH ...]
  CLINSEARCH: clinsearch binaries to compare side by side (default: target/release/clinsearch,
  or $CARGO_TARGET_DIR/release/clinsearch).

The collection (written to a temporary folder in BEIR's layout):
- documents: every record of ../shared/data/exports/pubmed_xml and medline_nbib with an
  abstract (title and abstract);
- queries: each MeSH descriptor that is a major topic (MEDLINE's asterisk, MajorTopicYN="Y")
  of two records or more, as its name ("Depressive Disorder, Major");
- relevant: the records that have it as a major topic. Indexers judged the whole article, so
  the judgements are incomplete but made without any ranking in view.

Runs `clinsearch eval` on it per binary (hybrid when the model is present:
scripts/fetch-model) and prints its table.
"""
import collections
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORTS = os.path.join(HERE, "..", "..", "shared", "data", "exports")


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    return os.path.join(target, "release", "clinsearch")


def pubmed_xml(docs, topics):
    for path in sorted(glob.glob(os.path.join(EXPORTS, "pubmed_xml", "*"))):
        opener = gzip.open if path.endswith(".gz") else open
        try:
            root = ET.parse(opener(path)).getroot()
        except ET.ParseError as e:
            print(f"skipped {path}: {e}", file=sys.stderr)
            continue
        for cit in root.iter("MedlineCitation"):
            pmid = cit.findtext("PMID")
            title = cit.find("Article/ArticleTitle")
            abstract = " ".join("".join(a.itertext()) for a in cit.iter("AbstractText")).strip()
            if not pmid or not abstract or pmid in docs:
                continue
            title = "".join(title.itertext()).strip() if title is not None else ""
            docs[pmid] = {"_id": pmid, "title": title, "text": abstract}
            for heading in cit.iter("MeshHeading"):
                name = heading.find("DescriptorName")
                marks = [name.get("MajorTopicYN")] + [
                    q.get("MajorTopicYN") for q in heading.findall("QualifierName")]
                if name is not None and "Y" in marks:
                    topics[name.text.strip()].add(pmid)


def medline(docs, topics):
    for path in sorted(glob.glob(os.path.join(EXPORTS, "medline_nbib", "*"))):
        text = open(path, errors="ignore").read()
        for record in re.split(r"\n\s*\n", text):
            fields, tag = collections.defaultdict(list), None
            for line in record.splitlines():
                if len(line) > 4 and line[4] == "-" and line[:4].strip():
                    tag = line[:4].strip()
                    fields[tag].append(line[6:].strip())
                elif tag and line.startswith("      "):
                    fields[tag][-1] += " " + line.strip()
            pmid = (fields.get("PMID") or [None])[0]
            abstract = " ".join(fields.get("AB", []))
            if not pmid or not abstract or pmid in docs:
                continue
            docs[pmid] = {"_id": pmid, "title": " ".join(fields.get("TI", [])), "text": abstract}
            for heading in fields.get("MH", []):
                if "*" in heading:
                    topics[heading.split("/")[0].replace("*", "").strip()].add(pmid)


def write_collection(out):
    docs, topics = {}, collections.defaultdict(set)
    pubmed_xml(docs, topics)
    medline(docs, topics)
    queries = sorted((name, ids) for name, ids in topics.items() if len(ids & docs.keys()) >= 2)
    with open(os.path.join(out, "corpus.jsonl"), "w") as f:
        for doc in docs.values():
            f.write(json.dumps(doc) + "\n")
    with open(os.path.join(out, "queries.jsonl"), "w") as f, \
            open(os.path.join(out, "qrels.tsv"), "w") as g:
        g.write("query-id\tcorpus-id\tscore\n")
        for i, (name, ids) in enumerate(queries):
            f.write(json.dumps({"_id": f"q{i}", "text": name}) + "\n")
            for pmid in sorted(ids & docs.keys()):
                g.write(f"q{i}\t{pmid}\t1\n")
    judged = sum(len(ids & docs.keys()) for _, ids in queries)
    print(f"mesh-topics: {len(docs)} records with an abstract, {len(queries)} queries (major "
          f"MeSH topics of two records or more), {judged} relevant records")


def main():
    binaries = sys.argv[1:] or [default_binary()]
    with tempfile.TemporaryDirectory() as tmp:
        collection = os.path.join(tmp, "mesh-topics")
        os.mkdir(collection)
        write_collection(collection)
        for b, binary in enumerate(binaries):
            work = os.path.join(tmp, f"run-{b}")
            os.mkdir(work)
            print(f"\n{binary}", flush=True)
            subprocess.run([binary, "eval", collection], cwd=work, check=True)


if __name__ == "__main__":
    main()
