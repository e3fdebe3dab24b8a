#!/usr/bin/env python3
"""Deep rankings: 1,000 articles a query, quarry beside bm25s, on Reuters-21578 and SciFact.

Run from the repository root, with ../shared beside it:  python3 bench/deep_ranking.py
  - Reuters-21578: bench/reuters-queries.txt (1,200 title queries) as one
    `quarry query --batch --format trec --limit 1000` process: wall time of the whole process
    (open, search, print), median of RUNS runs, and queries per second;
  - Reuters-21578 at top 10: the same queries as `--format json` (passages with highlights),
    beside bm25s's `retrieve(k=10)`;
  - SciFact: `quarry eval` of the 300 test queries (depth 1,000): wall time of the whole
    process, median of RUNS runs, and its nDCG@10;
  - bm25s (PyPI, in a venv the script makes at target/bench-venv-bm25s), English stop words
    and stemmer as in bench/relevance.py: the same queries retrieved at depth 1,000 in one
    `retrieve()` call on an index built beforehand; only that call is timed (median of RUNS),
    on one thread (its default) and, for the same cores as quarry, on every core
    (`n_threads=-1`).
Both sides use every core of the machine (quarry's batch and eval run queries in parallel).
Prints a Markdown table. Environment: RUNS (default 5), QUARRY (default
target/release/quarry).
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

from peers import BM25S, BM25S_CHECK, PYSTEMMER, VENV_BM25S as VENV, venv_python

REUTERS = pathlib.Path("../shared/datasets/reuters21578/articles")
SCIFACT = pathlib.Path("../shared/datasets/scifact")
QUERIES = pathlib.Path("bench/reuters-queries.txt")
QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
RUNS = int(os.environ.get("RUNS", "5"))
DEPTH = 1000

# Runs inside the venv: argv = corpus kind, corpus path, queries path, runs, threads, depth.
# Prints {"seconds": [...], "queries": N} for the retrieve() calls alone.
CHILD = """
import json, pathlib, sys, time
import bm25s, Stemmer
kind, corpus, queries, runs, threads, depth = sys.argv[1:]
if kind == "reuters":
    texts = [p.read_text(errors="replace") for p in sorted(pathlib.Path(corpus).iterdir())]
else:
    docs = [json.loads(line) for line in open(corpus)]
    texts = [f"{d['title']} {d['text']}" for d in docs]
queries = [line for line in open(queries).read().splitlines() if line.strip()]
stemmer = Stemmer.Stemmer("english")
tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
retriever = bm25s.BM25()
retriever.index(tokens, show_progress=False)
seconds = []
for _ in range(int(runs)):
    started = time.perf_counter()
    asked = bm25s.tokenize(queries, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever.retrieve(asked, k=min(int(depth), len(texts)), show_progress=False,
                       n_threads=int(threads))
    seconds.append(time.perf_counter() - started)
print(json.dumps({"seconds": seconds, "queries": len(queries)}))
"""


def bm25s_python():
    """The venv's interpreter with bm25s, or None (and why) when it can't be installed."""
    try:
        return venv_python(VENV, [f"bm25s=={BM25S}", f"PyStemmer=={PYSTEMMER}"], BM25S_CHECK), None
    except RuntimeError as err:
        return None, str(err)


def bm25s_seconds(python, kind, corpus, queries, threads, depth=DEPTH):
    result = subprocess.run([python, "-c", CHILD, kind, corpus, queries, str(RUNS),
                             str(threads), str(depth)], check=True, capture_output=True,
                            text=True)
    measured = json.loads(result.stdout)
    return statistics.median(measured["seconds"]), measured["queries"]


def wall(args, stdout=subprocess.DEVNULL):
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=stdout)
    return time.perf_counter() - started


def scifact_queries(work):
    """The judged test queries of SciFact, one per line, for bm25s."""
    qrels = SCIFACT / "qrels" / "test.tsv"
    judged = {line.split("\t")[0] for line in qrels.read_text().splitlines()[1:] if line}
    path = pathlib.Path(work) / "scifact-queries.txt"
    lines = [json.loads(line) for line in (SCIFACT / "queries.jsonl").read_text().splitlines()]
    path.write_text("".join(q["text"] + "\n" for q in lines if q["_id"] in judged))
    return path


def main():
    for folder in (REUTERS, SCIFACT):
        if not folder.is_dir():
            sys.exit(f"{folder} not found: run from the repository root with ../shared beside it")
    rows = []
    with tempfile.TemporaryDirectory() as work:
        reuters = pathlib.Path(work) / "reuters"
        scifact = pathlib.Path(work) / "scifact"
        subprocess.run([QUARRY, "index", "-q", "--index", reuters, REUTERS], check=True)
        subprocess.run([QUARRY, "index", "-q", "--index", scifact, SCIFACT / "articles"],
                       check=True)
        queries = sum(1 for line in QUERIES.read_text().splitlines() if line.strip())
        batch = [QUARRY, "query", "--index", reuters, "--batch", QUERIES, "--format", "trec",
                 "--limit", str(DEPTH)]
        seconds = statistics.median(wall(batch) for _ in range(RUNS))
        rows.append(("Reuters-21578, 1,200 title queries", "quarry, `query --batch --format "
                     "trec --limit 1000`, whole process", seconds, queries))
        top = [QUARRY, "query", "--index", reuters, "--batch", QUERIES, "--format", "json"]
        seconds = statistics.median(wall(top) for _ in range(RUNS))
        rows.append(("Reuters-21578, 1,200 title queries, top 10", "quarry, `query --batch "
                     "--format json` (passages, highlights), whole process", seconds, queries))
        evaluate = [QUARRY, "eval", "--index", scifact, "--queries", SCIFACT / "queries.jsonl",
                    "--qrels", SCIFACT / "qrels" / "test.tsv", "--format", "json"]
        seconds = statistics.median(wall(evaluate) for _ in range(RUNS))
        report = json.loads(subprocess.run(evaluate, check=True, capture_output=True,
                                           text=True).stdout)
        rows.append(("SciFact, 300 test queries", f"quarry, `eval` (nDCG@10 "
                     f"{report['ndcg']:.4f}), whole process", seconds, report["queries"]))
        python, why = bm25s_python()
        if python is None:
            print(f"bm25s left out: {why}", file=sys.stderr)
        else:
            for threads, label in ((1, "one thread"), (-1, "every core")):
                seconds, count = bm25s_seconds(python, "reuters", REUTERS, QUERIES, threads)
                rows.append(("Reuters-21578, 1,200 title queries",
                             f"bm25s {BM25S}, `retrieve(k=1000)` alone, {label}", seconds, count))
                seconds, count = bm25s_seconds(python, "reuters", REUTERS, QUERIES, threads, 10)
                rows.append(("Reuters-21578, 1,200 title queries, top 10",
                             f"bm25s {BM25S}, `retrieve(k=10)` alone, {label}", seconds, count))
                seconds, count = bm25s_seconds(python, "scifact", SCIFACT / "corpus.jsonl",
                                               scifact_queries(work), threads)
                rows.append(("SciFact, 300 test queries",
                             f"bm25s {BM25S}, `retrieve(k=1000)` alone, {label}", seconds, count))
    print(f"| collection | system | seconds (median of {RUNS}) | queries/s |")
    print("| --- | --- | --- | --- |")
    for collection, system, seconds, count in sorted(rows, key=lambda row: row[0]):
        print(f"| {collection} | {system} | {seconds:.3f} | {count / seconds:,.0f} |")


if __name__ == "__main__":
    main()
