#!/usr/bin/env python3
"""Relevance on three collections, quarry beside bm25s, each scored by the same code.

Run from the repository root, with ../shared beside it:  python3 bench/relevance.py
  - BEIR SciFact (300 test claims) and CISI (76 judged queries), each indexed from its
    `articles/` folder: quarry's ranking by `quarry eval` (what a user gets without flags:
    topics read as prose, one result per article, 1,000 deep); bm25s's TREC run (default
    settings plus English stop words and the English stemmer, over title + text, top 1,000)
    scored by `quarry eval --run`, so that one trec_eval-equivalent evaluator scores both.
  - SQuAD v1.1 dev (10,570 questions over 48 Wikipedia articles): quarry returns passages of
    the indexed articles (`query --batch --format json --limit 5`, questions read as prose);
    a question is answered at 1 (at 5) when one of its answer strings is in the first passage
    (one of the first five). bm25s ranks the 2,067 gold paragraphs (123 words on average) the
    same way: a reference that knows where the paragraphs end.
  - Passage length: the mean and 95th percentile of the words in quarry's passages of each
    collection, from `quarry inspect --format json` (of every file; of 500 files drawn with a
    fixed seed for SciFact).
bm25s 0.3.16 comes from PyPI, in a venv the script makes at target/bench-venv-bm25s; without
it, quarry's rows alone are printed. Prints Markdown tables.
"""
import concurrent.futures
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile

from peers import BM25S, BM25S_CHECK, PYSTEMMER, VENV_BM25S, venv_python

DATA = pathlib.Path("../shared/datasets")
BEIR = {"SciFact": DATA / "scifact", "CISI": DATA / "cisi"}
SQUAD = DATA / "squad-dev"
QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
DEPTH = 1000
SAMPLE = 500

# Runs inside the venv: {"docs": [text], "queries": [text], "k": K} on stdin, the indices and
# scores of the top K documents of each query on stdout.
CHILD = """
import json, sys
import bm25s, Stemmer
job = json.load(sys.stdin)
stemmer = Stemmer.Stemmer("english")
corpus = bm25s.tokenize(job["docs"], stopwords="en", stemmer=stemmer, show_progress=False)
retriever = bm25s.BM25()
retriever.index(corpus, show_progress=False)
tokens = bm25s.tokenize(job["queries"], stopwords="en", stemmer=stemmer, show_progress=False)
k = min(job["k"], len(job["docs"]))
ranked, scores = retriever.retrieve(tokens, k=k, show_progress=False)
json.dump({"ranked": ranked.tolist(), "scores": scores.tolist()}, sys.stdout)
"""


def bm25s(python, docs, queries, k):
    job = json.dumps({"docs": docs, "queries": queries, "k": k})
    result = subprocess.run([python, "-c", CHILD], input=job, capture_output=True, text=True,
                            check=True)
    found = json.loads(result.stdout)
    return found["ranked"], found["scores"]


def quarry(*args, **kwargs):
    return subprocess.run([QUARRY, *map(str, args)], check=True, **kwargs)


def evaluate(args):
    return json.loads(quarry("eval", *args, "--format", "json", capture_output=True,
                             text=True).stdout)


def passage_words(files):
    """Words of each passage quarry makes of `files`."""
    def words(path):
        out = quarry("inspect", "--format", "json", path, capture_output=True, text=True).stdout
        return [len(p["text"].split()) for line in out.splitlines()
                for p in json.loads(line)["passages"]]
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        return [n for counts in pool.map(words, files) for n in counts]


def length(counts):
    counts = sorted(counts)
    return f"{sum(counts) / len(counts):.0f} / {counts[int(len(counts) * 0.95)]}"


def beir(name, folder, work, python):
    """Rows of (system, measures, passage length) for one BEIR collection."""
    index = work / name
    quarry("index", "-q", "--index", index, folder / "articles")
    qrels = folder / "qrels" / "test.tsv"
    files = sorted((folder / "articles").iterdir())
    if len(files) > SAMPLE:
        files = random.Random(20).sample(files, SAMPLE)
    rows = [("quarry `eval`", evaluate(["--index", index, "--queries", folder / "queries.jsonl",
                                        "--qrels", qrels]), length(passage_words(files)))]
    if python:
        judged = {line.split("\t")[0] for line in qrels.read_text().splitlines()[1:] if line}
        queries = [json.loads(line) for line in (folder / "queries.jsonl").read_text().splitlines()]
        queries = [q for q in queries if q["_id"] in judged]
        docs = [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines()]
        ranked, scores = bm25s(python, [f"{d['title']} {d['text']}" for d in docs],
                               [q["text"] for q in queries], DEPTH)
        run = work / f"{name}-bm25s.trec"
        with open(run, "w") as out:
            for query, ids, values in zip(queries, ranked, scores):
                for rank, (doc, score) in enumerate(zip(ids, values), start=1):
                    out.write(f"{query['_id']} Q0 {docs[doc]['_id']} {rank} {score:.6f} bm25s\n")
        rows.append((f"bm25s {BM25S}", evaluate(["--run", run, "--qrels", qrels]),
                     "whole documents"))
    return rows


def answered(texts, answers):
    """(answered at 1, answered at 5) for a ranked list of texts."""
    found = [any(answer in text for answer in answers) for text in texts[:5]]
    return bool(found[:1] and found[0]), any(found)


def squad(work, python):
    """Rows of (system, share answered at 1, at 5, passage length) for SQuAD dev."""
    index = work / "squad"
    quarry("index", "-q", "--index", index, SQUAD / "articles")
    questions = [json.loads(line) for line in (SQUAD / "questions.jsonl").read_text().splitlines()]
    batch = work / "squad-batch.jsonl"
    batch.write_text("".join(json.dumps({"id": q["id"], "query": q["question"],
                                         "syntax": "plain"}) + "\n" for q in questions))
    out = quarry("query", "-q", "--index", index, "--batch", batch, "--format", "json",
                 "--limit", "5", capture_output=True, text=True).stdout
    answers = {q["id"]: q["answers"] for q in questions}
    scores = [answered([hit["passage"] for hit in record["hits"]], answers[record["id"]])
              for record in map(json.loads, out.splitlines())]
    files = sorted((SQUAD / "articles").iterdir())
    rows = [("quarry, passages", sum(s[0] for s in scores) / len(questions),
             sum(s[1] for s in scores) / len(questions), length(passage_words(files)))]
    if python:
        paragraphs = []
        for path in files:
            body = path.read_text().split("\n\n", 1)[1]
            paragraphs += [p.strip() for p in body.split("\n\n") if p.strip()]
        ranked, _ = bm25s(python, paragraphs, [q["question"] for q in questions], 5)
        scores = [answered([paragraphs[i] for i in ids], q["answers"])
                  for q, ids in zip(questions, ranked)]
        words = [len(p.split()) for p in paragraphs]
        rows.append((f"bm25s {BM25S}, the gold paragraphs", sum(s[0] for s in scores) /
                     len(questions), sum(s[1] for s in scores) / len(questions), length(words)))
    return rows


def main():
    for folder in [*BEIR.values(), SQUAD]:
        if not folder.is_dir():
            sys.exit(f"{folder} not found: run from the repository root with ../shared beside it")
    try:
        python = venv_python(VENV_BM25S, [f"bm25s=={BM25S}", f"PyStemmer=={PYSTEMMER}"],
                             BM25S_CHECK)
    except RuntimeError as err:
        print(f"bm25s left out: {err}", file=sys.stderr)
        python = None
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        for name, folder in BEIR.items():
            rows = beir(name, folder, work, python)
            print(f"| {name} | nDCG@10 | Recall@100 | MRR@10 | MAP | passage words, mean / p95 |")
            print("| --- | --- | --- | --- | --- | --- |")
            for system, m, words in rows:
                print(f"| {system} | {m['ndcg']:.4f} | {m['recall_100']:.4f} | "
                      f"{m['mrr_10']:.4f} | {m['map']:.4f} | {words} |")
            print()
        print("| SQuAD dev, 10,570 questions | answer in the top passage | in the top 5 | "
              "passage words, mean / p95 |")
        print("| --- | --- | --- | --- |")
        for system, at1, at5, words in squad(work, python):
            print(f"| {system} | {at1:.1%} | {at5:.1%} | {words} |")


if __name__ == "__main__":
    main()
