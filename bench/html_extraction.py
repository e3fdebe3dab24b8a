#!/usr/bin/env python3
"""Main-text extraction from 990 real web pages: quarry beside trafilatura, scored alike.

Run from the repository root, with ../shared beside it:  python3 bench/html_extraction.py
Dataset: ../shared/datasets/html-extraction (trafilatura's evaluation set; see its README.md).
  - quarry: `quarry inspect --format json PAGE` for every page; the extracted text is its
    passage texts joined with newlines (a non-zero exit counts as no text). Speed: wall time of
    `quarry index` of the whole folder into a fresh index, median of RUNS runs (default 3).
  - trafilatura 2.3.1 (PyPI), in a venv the script makes at target/bench-venv-html:
    `trafilatura.extract(raw bytes)` with default options, one thread, extraction calls timed.
Both get the same raw bytes. Each page's "with" segments found in the text are true positives
(missing: false negatives), its "without" segments found are false positives (missing: true
negatives), comparing after collapsing runs of whitespace to one space; precision, recall, F
and accuracy are summed over all pages. Prints a Markdown table.

Options for working on the extraction:
  --pages GLOB          only the page files whose name matches GLOB
  --skip-index-timing   no `quarry index` runs
  --no-peers            no trafilatura
  --cache               keep trafilatura's output in target/bench-trafilatura-cache.json
  --report FILE         per-page counts and wrong segments of each extractor, as JSON
  --worst N             the N pages quarry does worst on, and N where it loses most to
                        trafilatura, with their wrong segments
  -v                    name the pages `quarry inspect` fails on
QUARRY overrides the binary (default target/release/quarry).
"""
import argparse
import concurrent.futures
import fnmatch
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from measure import median, timed
from peers import venv_python

DATA = pathlib.Path("../shared/datasets/html-extraction")
PAGES = DATA / "pages"
QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
RUNS = int(os.environ.get("RUNS", "3"))
VENV = pathlib.Path("target/bench-venv-html")
CACHE = pathlib.Path("target/bench-trafilatura-cache.json")
TRAFILATURA = "2.3.1"

# Runs inside the venv: names on stdin, {name: {"text", "seconds"}} to argv[2]. Only the
# extract() calls are timed, so neither interpreter start-up nor file reading counts; the
# per-page times let a cached run report the time of any subset of pages.
CHILD = """
import json, sys, time, trafilatura
folder, out = sys.argv[1:]
pages = {}
for name in json.load(sys.stdin):
    with open(f"{folder}/{name}", "rb") as page:
        data = page.read()
    start = time.perf_counter()
    text = trafilatura.extract(data)
    pages[name] = {"text": text or "", "seconds": time.perf_counter() - start}
with open(out, "w") as f:
    json.dump(pages, f)
"""


def collapse(text):
    """Runs of whitespace (any Unicode space) as one space, ends stripped."""
    return " ".join(text.split())


def score(text, item):
    text = collapse(text)
    missed = [s for s in item["with"] if collapse(s) not in text]
    found = [s for s in item["without"] if collapse(s) in text]
    return {"tp": len(item["with"]) - len(missed), "fn": len(missed), "fp": len(found),
            "tn": len(item["without"]) - len(found), "missed_with": missed,
            "found_without": found, "no_text": not text}


def metrics(scores):
    tp, fn, fp, tn = (sum(s[k] for s in scores) for k in ("tp", "fn", "fp", "tn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f, (tp + tn) / (tp + fn + fp + tn)


def quarry_inspect(name):
    """(text, passages, error): error is quarry's message when it exits non-zero."""
    result = subprocess.run([QUARRY, "inspect", "--format", "json", PAGES / name],
                            capture_output=True)
    if result.returncode != 0:
        return "", 0, result.stderr.decode(errors="replace").strip() or f"exit {result.returncode}"
    passages = json.loads(result.stdout)["passages"]
    return "\n".join(p["text"] for p in passages), len(passages), None


def quarry_index_seconds():
    """Median wall time of `quarry index` of the whole folder, each run into a fresh index."""
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as work:
            runs.append(timed([QUARRY, "index", "-q", "--index", pathlib.Path(work) / "idx",
                               PAGES]))
    return median(runs)[0]


def trafilatura_python():
    """The venv's interpreter, with trafilatura installed; raises RuntimeError why not."""
    return venv_python(VENV, [f"trafilatura=={TRAFILATURA}"],
                       "import importlib.metadata as m, trafilatura; "
                       f"assert m.version('trafilatura') == {TRAFILATURA!r}")


def trafilatura_pages(names, use_cache):
    """({name: {"text", "seconds"}} for the names, how many came from the cache)."""
    cached = json.loads(CACHE.read_text()) if use_cache and CACHE.exists() else {}
    cached = cached.get(TRAFILATURA, {})  # a cache of another version is not reused
    todo = [name for name in names if name not in cached]
    if todo:
        python = trafilatura_python()
        print(f"trafilatura: extracting {len(todo)} pages...", file=sys.stderr)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            result = subprocess.run([python, "-c", CHILD, PAGES.resolve(), out.name],
                                    input=json.dumps(todo), capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"extraction failed: {result.stderr.strip()[-500:]}")
            cached.update(json.loads(pathlib.Path(out.name).read_text()))
        if use_cache:
            CACHE.write_text(json.dumps({TRAFILATURA: cached}))
    return {name: cached[name] for name in names}, len(names) - len(todo)


def short(segment):
    segment = collapse(segment)
    return segment if len(segment) <= 100 else segment[:99] + "…"


def show(title, pages, key, count):
    print(f"\n## {title}\n")
    for page in sorted(pages, key=key, reverse=True)[:count]:
        q, t = page["quarry"], page.get("trafilatura")
        versus = f"; trafilatura FN {t['fn']} FP {t['fp']}" if t else ""
        print(f"- {page['file']} ({page['url']}): quarry FN {q['fn']} FP {q['fp']}{versus}")
        for kind, label in (("missed_with", "missed"), ("found_without", "wrongly found")):
            for segment in q[kind]:
                both = " [trafilatura too]" if t and segment in t[kind] else ""
                print(f"    - {label}: {short(segment)!r}{both}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", metavar="GLOB", help="only page files matching GLOB")
    parser.add_argument("--skip-index-timing", action="store_true")
    parser.add_argument("--no-peers", action="store_true", help="skip trafilatura")
    parser.add_argument("--cache", action="store_true", help=f"reuse/keep {CACHE}")
    parser.add_argument("--report", metavar="FILE", type=pathlib.Path)
    parser.add_argument("--worst", metavar="N", type=int, default=0)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: run from the repository root with ../shared beside it")
    if not QUARRY.exists():
        sys.exit(f"{QUARRY} not found: build it with cargo build --release")
    os.environ.pop("QUARRY_INDEX", None)  # every quarry run says where its index is, if any

    evaldata = json.loads((DATA / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(({"url": url, **item} for url, item in evaldata.items()),
                   key=lambda item: item["file"])
    if args.pages:
        items = [item for item in items if fnmatch.fnmatch(item["file"], args.pages)]
    if not items:
        sys.exit(f"no page matches {args.pages!r}")
    names = [item["file"] for item in items]

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        inspected = list(pool.map(quarry_inspect, names))
    pages = [{"file": item["file"], "url": item["url"], "quarry": score(text, item)}
             for item, (text, _, _) in zip(items, inspected)]
    failed = [(name, error) for name, (_, _, error) in zip(names, inspected) if error]
    no_passage = sum(1 for _, passages, _ in inspected if passages == 0)
    index_seconds = None if args.skip_index_timing else quarry_index_seconds()

    peer, reused, skipped = None, 0, None
    if not args.no_peers:
        try:
            peer, reused = trafilatura_pages(names, args.cache)
        except RuntimeError as error:
            skipped = f"*** SKIPPED trafilatura: {error} ***"
            print(f"\n{skipped}\n", file=sys.stderr)
    if peer:
        for page, item in zip(pages, items):
            page["trafilatura"] = score(peer[page["file"]]["text"], item)

    if args.report:
        args.report.write_text(json.dumps(pages, ensure_ascii=False, indent=1))
    if args.worst:
        show(f"{args.worst} pages quarry does worst on (FN + FP)", pages,
             lambda p: p["quarry"]["fn"] + p["quarry"]["fp"], args.worst)
        if peer:
            errors = lambda s: s["fn"] + s["fp"]
            show(f"{args.worst} pages quarry loses most on against trafilatura", pages,
                 lambda p: errors(p["quarry"]) - errors(p["trafilatura"]), args.worst)
    if args.verbose:
        for name, error in failed:
            print(f"quarry inspect failed on {name}: {error.splitlines()[-1]}", file=sys.stderr)

    print(f"\n| {len(pages)} pages | precision | recall | F | accuracy | pages with no text "
          "| pages/s (seconds) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    total = sum(1 for _ in PAGES.iterdir())
    rows = [("quarry", "quarry", total, index_seconds)]
    if peer:
        rows.append((f"trafilatura {TRAFILATURA}", "trafilatura", len(pages),
                     sum(page["seconds"] for page in peer.values())))
    for label, key, count, seconds in rows:
        scores = [page[key] for page in pages]
        speed = f"{count / seconds:.1f} ({seconds:.2f} s)" if seconds else "–"
        values = " | ".join(f"{value:.3f}" for value in metrics(scores))
        print(f"| {label} | {values} | {sum(s['no_text'] for s in scores)} | {speed} |")
    print(f"\nquarry: `inspect` fails on {len(failed)} page(s) (-v names them); {no_passage} "
          "page(s) yield no passage, though every page has \"with\" segments.")
    if index_seconds:
        print(f"quarry speed: `quarry index` of all {total} pages into a fresh index (extraction,"
              f" tokenizing and writing included), median of {RUNS} runs.")
    if skipped:
        print(skipped)  # again under the table, where a reader of the results looks
    if peer:
        print("trafilatura speed: `extract()` calls only, one thread"
              + (f" ({reused} pages' times from {CACHE})." if reused else "."))


if __name__ == "__main__":
    main()
