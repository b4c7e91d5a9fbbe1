#!/usr/bin/env python3
"""Compare two TREC runs query by query: nDCG@10 of each (graded gains, as trec_eval) and a
paired randomisation test of the difference (10,000 sign flips, two-sided, seed 1).

Usage: bench/paired-test.py QRELS RUN_A RUN_B
  QRELS: BEIR-layout judgments (query-id, corpus-id, score; a header line is skipped)
  RUN_A, RUN_B: runs from `clinsearch search --queries FILE --run RUN --limit 1000`

Use it to decide whether a change to the ranking gains more than chance on a tuning set
(e.g. SciFact's qrels/train.tsv): p is the share of random sign assignments whose mean
difference is at least as large as the one observed.
"""
import math
import random
import sys


def read_qrels(path):
    qrels = {}
    for line in open(path):
        f = line.split()
        if len(f) < 3 or f[0] == "query-id":
            continue
        qrels.setdefault(f[0], {})[f[1]] = int(f[2])
    return qrels


def read_run(path):
    run = {}
    for line in open(path):
        f = line.split()
        run.setdefault(f[0], []).append((float(f[4]), f[2]))
    return {q: [d for _, d in sorted(v, key=lambda x: (-x[0], x[1]))] for q, v in run.items()}


def ndcg(ranked, gains, k=10):
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    qrels = read_qrels(sys.argv[1])
    a_run, b_run = read_run(sys.argv[2]), read_run(sys.argv[3])
    queries = [q for q in qrels if any(g > 0 for g in qrels[q].values())]
    a = [ndcg(a_run.get(q, []), qrels[q]) for q in queries]
    b = [ndcg(b_run.get(q, []), qrels[q]) for q in queries]
    diff = [y - x for x, y in zip(a, b)]
    observed = sum(diff) / len(diff)
    random.seed(1)
    trials, extreme = 10000, 0
    for _ in range(trials):
        s = sum(d if random.random() < 0.5 else -d for d in diff) / len(diff)
        extreme += abs(s) >= abs(observed) - 1e-12
    print(
        f"queries {len(queries)}  A {sum(a) / len(a):.4f}  B {sum(b) / len(b):.4f}  "
        f"diff {observed:+.4f}  p={extreme / trials:.3f}  "
        f"wins {sum(d > 0 for d in diff)} losses {sum(d < 0 for d in diff)}"
    )


if __name__ == "__main__":
    main()
