#!/usr/bin/env python3
"""Relevance on BEIR SciFact (300 test claims): quarry beside bm25s, scored by the same code.

Run from the repository root, with ../shared beside it:  python3 bench/relevance.py
  - quarry: indexes the folder form (title line + abstract), runs the test queries with
    `quarry eval` (default configuration: what a user gets without flags), and writes its TREC
    run with `quarry query --batch --format trec --limit 1000`;
  - bm25s (from PyPI: `pip install bm25s PyStemmer`), with its default settings plus English
    stop words and the English stemmer, over title + text, top 1,000 per query;
then scores every run with `quarry eval --run`, so that all share one trec_eval-equivalent
evaluator. Prints a Markdown table.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

SCIFACT = pathlib.Path("../shared/datasets/scifact")
QUARRY = pathlib.Path("target/release/quarry").resolve()
QRELS = SCIFACT / "qrels" / "test.tsv"
DEPTH = 1000


def evaluate(run):
    result = subprocess.run([QUARRY, "eval", "--run", run, "--qrels", QRELS, "--format", "json"],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def test_queries():
    judged = {line.split("\t")[0] for line in QRELS.read_text().splitlines()[1:] if line}
    queries = [json.loads(line) for line in (SCIFACT / "queries.jsonl").read_text().splitlines()]
    return [q for q in queries if q["_id"] in judged]


def bm25s_run(path, queries):
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return False
    docs = [json.loads(line) for line in (SCIFACT / "corpus.jsonl").read_text().splitlines()]
    stemmer = Stemmer.Stemmer("english")
    corpus = bm25s.tokenize([f"{d['title']} {d['text']}" for d in docs], stopwords="en",
                            stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    tokens = bm25s.tokenize([q["text"] for q in queries], stopwords="en", stemmer=stemmer,
                            show_progress=False)
    results, scores = retriever.retrieve(tokens, k=DEPTH, show_progress=False)
    with open(path, "w") as run:
        for query, ranked, ranked_scores in zip(queries, results, scores):
            for rank, (doc, score) in enumerate(zip(ranked, ranked_scores), start=1):
                run.write(f"{query['_id']} Q0 {docs[doc]['_id']} {rank} {score:.6f} bm25s\n")
    return True


def main():
    if not SCIFACT.is_dir():
        sys.exit(f"{SCIFACT} not found: run from the repository root with ../shared beside it")
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    queries = test_queries()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        index = work / "index"
        subprocess.run([QUARRY, "index", "-q", "--index", index, SCIFACT / "articles"], check=True)
        batch = work / "queries.jsonl"
        batch.write_text("".join(json.dumps({"id": q["_id"], "query": q["text"]}) + "\n"
                                 for q in queries))
        run = work / "quarry.trec"
        with open(run, "w") as out:
            subprocess.run([QUARRY, "query", "-q", "--index", index, "--batch", batch,
                            "--format", "trec", "--limit", str(DEPTH)], check=True, stdout=out)
        rows.append(("quarry (default configuration)", evaluate(run)))
        peer = work / "bm25s.trec"
        if bm25s_run(peer, queries):
            rows.append(("bm25s (stop words, English stemmer)", evaluate(peer)))
        else:
            print("bm25s is not installed (pip install bm25s PyStemmer): no peer run",
                  file=sys.stderr)
    print(f"| BEIR SciFact, {len(queries)} test queries | nDCG@10 | Recall@100 | MRR@10 | MAP |")
    print("| --- | --- | --- | --- | --- |")
    for name, m in rows:
        print(f"| {name} | {m['ndcg']:.4f} | {m['recall_100']:.4f} | {m['mrr_10']:.4f} | "
              f"{m['map']:.4f} |")


if __name__ == "__main__":
    main()
