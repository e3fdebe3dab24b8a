#!/usr/bin/env python3
"""Text recovery of the .docx, .odt, .epub and .pdf readers: articles converted with pandoc and
LibreOffice, read back by quarry, compared with the plain-text originals; for PDF, also beside
poppler's pdftotext.

Run from the repository root, with ../shared beside it:  python3 bench/formats.py
Needs pandoc, LibreOffice Writer and poppler-utils (pdftotext, pdfinfo) (Debian:
`apt-get install -y pandoc libreoffice-writer-nogui poppler-utils`).
Datasets (see their README.md): the first 200 files of ../shared/datasets/squad-dev/articles
(in name order; the set has only 48) and of ../shared/datasets/reuters21578/articles (in
NEWID order, as the other scripts take them).

Conversion. Each article is made into a pandoc document: the title line becomes the document's
title, and the body's paragraphs its paragraphs (a paragraph ends at an empty line or before an
indented line, Reuters' paragraph mark; the lines of one paragraph are joined as soft breaks).
The Reuters date line is left out: it is metadata, which these formats keep elsewhere or not at
all, and it is left out of the reference words too. pandoc writes DOCX, ODT and EPUB from that;
LibreOffice (`soffice --convert-to`) writes DOCX and EPUB from pandoc's ODT and ODT from
pandoc's DOCX, so every reader also meets a second writer's XML. LibreOffice also writes PDF
from pandoc's ODT, the set "pdf LibreOffice" (pandoc writes PDF only through LaTeX). A control
set, "txt reflowed", holds the same paragraphs as plain text (title line, then each paragraph on
one line, an empty line between): what a perfect reader would hand on, so that differences
between it and the .txt originals come from the reflowing and not from a reader.

Measures, for each set (and for the .txt originals, the baseline):
  - word F1 per file, mean over the files: the words (lowercased, split on non-alphanumerics,
    counted with repeats) of `quarry inspect --format json FILE` against the source's title and
    body words. Quarry's text is its passages' text joined, preceded by quarry's title unless the
    first passage's first line is that title or the source's title line (quarry takes the title
    line out of the text, as it does for .txt; a body that merely begins with the title's words
    does not count as holding it); a non-zero exit counts as no text. "vs .txt" is the same F1
    against what quarry reads of the .txt original, which isolates the reader from what quarry
    does alike to every format (dropping repeated lines, for one).
  - ranking agreement: each set and the .txt originals indexed alone; 300 queries run with
    `--syntax plain --per-article 1 --limit 5`; the share of queries whose rank-1 article (by
    file stem) is the .txt index's, and the mean share of the .txt index's top 5 found in the
    set's top 5; the same against the "txt reflowed" index, which isolates the readers from the
    paragraphing. Queries without a hit in the index compared with are left out. SQuAD: 300
    questions of questions.jsonl about the chosen articles, evenly spread (every k-th; the first
    300 would all be about article 00). Reuters: the chosen articles' titles made into queries as
    bench/make_queries.py does, filled up to 300 with the first other queries of
    bench/reuters-queries.txt (which holds only 14 queries from the first 200 articles).
  - indexing speed: `quarry index` of the set's folder into a fresh index, median of RUNS runs
    (default 3), as files per second.
PDF beside its peer, poppler's pdftotext, on the same PDFs:
  - word F1 per file of `pdftotext FILE OUT` against the same reference. Its text holds the
    title line, so the whole output's words are compared with the title and body words.
  - speed: wall seconds, pages per second and files per second of a shell loop running one
    process per file, as a user would: `pdftotext FILE OUT`, and `quarry inspect --format json
    FILE` (output thrown away), one file after the other; and `quarry index` of the folder (one
    process, on every core, writing an index: the indexing speed above). Pages are counted
    with pdfinfo. Medians of RUNS runs.
Prints two Markdown tables: every set, and PDF beside pdftotext.

Options:
  --work DIR    keep converted files, indexes and LibreOffice's profile in DIR, and reuse the
                converted files found there (default: a temporary folder, removed at the end)
  --worst N     for each set, the N files of lowest F1 with the words lost and added, and up to N
                queries whose rank-1 article differs from the reflowed control's (for PDF, also
                pdftotext's F1 on each of those files, and its own N worst)
  --count N     articles per collection (default 200)
QUARRY overrides the binary (default target/release/quarry).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from measure import median, timed

DATASETS = pathlib.Path("../shared/datasets")
SQUAD = DATASETS / "squad-dev"
REUTERS = DATASETS / "reuters21578"
REUTERS_QUERIES = pathlib.Path("bench/reuters-queries.txt")
QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
RUNS = int(os.environ.get("RUNS", "3"))
QUERIES = 300
THREADS = os.cpu_count() or 1
INSTALL = ("apt-get install -y pandoc libreoffice-writer-nogui poppler-utils"
           "   (as root, on Debian/Ubuntu)")
# The issue holds PDF to a lower word F1 than the other formats (0.99): its text is laid out on
# pages, and the words have to be found again from positioned glyphs.
PDF_TARGET_F1 = 0.97

# (set name, format, writer, the pandoc format LibreOffice converts from)
SETS = [
    ("txt", "txt", None, None),
    ("txt reflowed", "txt", "reflow", None),
    ("docx pandoc", "docx", "pandoc", None),
    ("odt pandoc", "odt", "pandoc", None),
    ("epub pandoc", "epub", "pandoc", None),
    ("docx LibreOffice", "docx", "libreoffice", "odt"),
    ("odt LibreOffice", "odt", "libreoffice", "docx"),
    ("epub LibreOffice", "epub", "libreoffice", "odt"),
    ("pdf LibreOffice", "pdf", "libreoffice", "odt"),
]
PDF_SET = "pdf LibreOffice"


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


class Article:
    """A source article: its file, title and body paragraphs (each a list of lines)."""

    def __init__(self, path, dated):
        self.path = path
        self.stem = path.stem
        lines = path.read_text(encoding="utf-8").split("\n")
        self.title = lines[0].strip()
        # Line 2 of a Reuters file is its date; then (both sets) an empty line.
        body = lines[2:] if dated else lines[1:]
        self.paragraphs, current = [], []
        for line in body:
            if not line.strip() or (line[:1].isspace() and current):
                if current:
                    self.paragraphs.append(current)
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            self.paragraphs.append(current)
        self.words = words(self.title + "\n" + "\n".join(" ".join(p) for p in self.paragraphs))


class Collection:
    def __init__(self, name, articles, queries):
        self.name, self.articles, self.queries = name, articles, queries


def squad(count):
    files = sorted((SQUAD / "articles").glob("*.txt"))[:count]
    chosen = {path.name for path in files}
    questions = [json.loads(line) for line in
                 (SQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
    questions = [q for q in questions if q["article"] in chosen]
    step = max(1, len(questions) // QUERIES)
    queries = [q["question"] for q in questions[::step][:QUERIES]]
    return Collection("SQuAD", [Article(path, dated=False) for path in files], queries)


def title_query(title):
    """A title as bench/make_queries.py makes it a query."""
    return " ".join([w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) >= 3][:5])


def reuters(count):
    files = sorted((REUTERS / "articles").glob("*.txt"), key=lambda p: int(p.stem))[:count]
    articles = [Article(path, dated=True) for path in files]
    queries = []
    for query in [title_query(a.title) for a in articles] + \
            REUTERS_QUERIES.read_text(encoding="utf-8").splitlines():
        if query and query not in queries:
            queries.append(query)
    return Collection("Reuters", articles, queries[:QUERIES])


def missing_tools():
    missing = [tool for tool in ("pandoc", "soffice", "pdftotext", "pdfinfo")
               if not shutil.which(tool)]
    return missing


def pandoc_api_version():
    result = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input="",
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["pandoc-api-version"]


def inlines(text):
    out = []
    for word in text.split():
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def pandoc_document(article, api):
    paragraphs = []
    for lines in article.paragraphs:
        content = []
        for line in lines:
            if content:
                content.append({"t": "SoftBreak"})
            content.extend(inlines(line))
        paragraphs.append({"t": "Para", "c": content})
    return json.dumps({"pandoc-api-version": api,
                       "meta": {"title": {"t": "MetaInlines", "c": inlines(article.title)}},
                       "blocks": paragraphs})


def convert(collection, work, api):
    """Writes the collection's sets under work/NAME/SET/ (files already there are kept)."""
    base = work / collection.name
    txt = base / "txt"
    txt.mkdir(parents=True, exist_ok=True)
    for article in collection.articles:
        if not (txt / article.path.name).exists():
            shutil.copyfile(article.path, txt / article.path.name)

    reflowed = base / "txt-reflowed"
    reflowed.mkdir(exist_ok=True)
    for article in collection.articles:
        (reflowed / article.path.name).write_text(
            "\n\n".join([article.title] + [" ".join(p) for p in article.paragraphs]) + "\n",
            encoding="utf-8")

    def pandoc(job):
        article, fmt, out = job
        subprocess.run(["pandoc", "-f", "json", "-o", out], input=pandoc_document(article, api),
                       text=True, check=True, capture_output=True)

    jobs = []
    for name, fmt, writer, _ in SETS:
        if writer == "pandoc":
            folder = base / name.replace(" ", "-")
            folder.mkdir(exist_ok=True)
            jobs += [(a, fmt, folder / f"{a.stem}.{fmt}") for a in collection.articles
                     if not (folder / f"{a.stem}.{fmt}").exists()]
    if jobs:
        print(f"{collection.name}: pandoc writes {len(jobs)} files...", file=sys.stderr)
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(pandoc, jobs))
    profile = (work / "libreoffice-profile").resolve().as_uri()
    for name, fmt, writer, origin in SETS:
        if writer != "libreoffice":
            continue
        folder = base / name.replace(" ", "-")
        folder.mkdir(exist_ok=True)
        inputs = [base / f"{origin}-pandoc" / f"{a.stem}.{origin}" for a in collection.articles
                  if not (folder / f"{a.stem}.{fmt}").exists()]
        if inputs:
            print(f"{collection.name}: LibreOffice writes {len(inputs)} {fmt} files...",
                  file=sys.stderr)
            subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", fmt, "--outdir", folder, *inputs],
                           check=True, capture_output=True)
        absent = [a.stem for a in collection.articles if not (folder / f"{a.stem}.{fmt}").exists()]
        if absent:
            sys.exit(f"LibreOffice wrote no {fmt} for {len(absent)} files, e.g. {absent[0]}")


def folder_of(work, collection, name):
    return work / collection.name / name.replace(" ", "-")


def inspect(job):
    """(words quarry reads of the file, quarry's title or None, error or None)."""
    path, source_title = job
    result = subprocess.run([QUARRY, "inspect", "--format", "json", path], capture_output=True)
    if result.returncode != 0:
        return [], None, result.stderr.decode(errors="replace").strip() or "failed"
    read = json.loads(result.stdout)
    passages = read["passages"]
    text = words("\n".join(p["text"] for p in passages))
    first_line = " ".join(passages[0]["text"].split("\n")[0].split()) if passages else ""
    if first_line not in (" ".join((read["title"] or "").split()), " ".join(source_title.split())):
        text = words(read["title"] or "") + text  # the title line was taken out of the text
    return text, read["title"], None


def pages(path):
    result = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", result.stdout, re.M).group(1))


def pdftotext(job):
    """(words pdftotext reads of the file, error or None); its text is kept in `out`."""
    path, out = job
    result = subprocess.run(["pdftotext", path, out], capture_output=True)
    if result.returncode != 0:
        return [], result.stderr.decode(errors="replace").strip() or "failed"
    return words(out.read_text(encoding="utf-8", errors="replace")), None


def per_file_seconds(script, files, value):
    """Median wall seconds of RUNS runs of a shell loop that runs `script` once for each file
    ($f), one after the other; $a in `script` is `value`. A failing file does not stop the loop
    (read errors are counted elsewhere)."""
    loop = f'a=$1; shift; for f in "$@"; do {script}; done; :'
    return median([timed(["sh", "-c", loop, "sh", value, *files]) for _ in range(RUNS)])[0]


def f1(reference, got):
    common = sum((collections.Counter(reference) & collections.Counter(got)).values())
    if not common:
        return 0.0
    precision, recall = common / len(got), common / len(reference)
    return 2 * precision * recall / (precision + recall)


def diff(reference, got, at_most=25):
    ref, have = collections.Counter(reference), collections.Counter(got)
    lost, added = ref - have, have - ref
    show = lambda c: " ".join(f"{w}×{n}" if n > 1 else w for w, n in c.most_common(at_most))
    return (sum(lost.values()), show(lost)), (sum(added.values()), show(added))


def index_seconds(folder, index):
    """Median wall seconds of RUNS runs of `quarry index` into a fresh index; keeps the last."""
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(index, ignore_errors=True)
        runs.append(timed([QUARRY, "index", "-q", "--index", index, folder]))
    return median(runs)[0]


def file_stem(hit):
    return pathlib.Path(hit["path"]).stem


def top5(index, queries, work, name_of=file_stem):
    """For each query, its top 5 articles, each named by `name_of(hit)` (its file stem)."""
    batch = work / "queries.jsonl"
    batch.write_text("".join(json.dumps({"id": str(i), "query": q}) + "\n"
                             for i, q in enumerate(queries)), encoding="utf-8")
    result = subprocess.run([QUARRY, "query", "--index", index, "--batch", batch, "--format",
                             "json", "--syntax", "plain", "--per-article", "1", "--limit", "5"],
                            check=True, capture_output=True, text=True)
    hits = {}
    for line in result.stdout.splitlines():
        answer = json.loads(line)
        hits[int(answer["id"])] = [name_of(hit) for hit in answer["hits"]]
    return [hits[i] for i in range(len(queries))]


def pdf_peer(collection, work):
    """pdftotext beside quarry on the collection's PDFs: words read, F1, pages and seconds."""
    folder = folder_of(work, collection, PDF_SET)
    out = work / collection.name / "pdftotext"  # beside, not in, the folder that is indexed
    out.mkdir(exist_ok=True)
    files = [folder / f"{a.stem}.pdf" for a in collection.articles]
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        read = list(pool.map(pdftotext, [(f, out / f"{f.stem}.txt") for f in files]))
        page_count = sum(pool.map(pages, files))
    # The loops' output goes to files named as the PDFs (pdftotext) or is thrown away (quarry):
    # the shell's parameter expansion names them, so no process but the reader's is started.
    pdftotext_seconds = per_file_seconds(
        'g=${f##*/}; pdftotext "$f" "$a/${g%.pdf}.txt"', files, out)
    quarry_seconds = per_file_seconds('"$a" inspect --format json "$f"', files, QUARRY)
    return {"read": read, "scores": [f1(a.words, text) for a, (text, _) in
                                     zip(collection.articles, read)],
            "pages": page_count, "pdftotext": pdftotext_seconds, "quarry": quarry_seconds}


def peer_table(collection, peer, quarry_scores, quarry_read, index_seconds_):
    """Rows of the PDF table: quarry inspect, pdftotext and quarry index."""
    n, page_count = len(collection.articles), peer["pages"]
    target = PDF_TARGET_F1
    quarry_errors = sum(1 for _, _, error in quarry_read if error)
    return [
        (collection.name, "quarry inspect, a process per file", n, page_count,
         statistics.mean(quarry_scores), min(quarry_scores),
         sum(1 for s in quarry_scores if s < target), quarry_errors, peer["quarry"]),
        (collection.name, "pdftotext, a process per file", n, page_count,
         statistics.mean(peer["scores"]), min(peer["scores"]),
         sum(1 for s in peer["scores"] if s < target),
         sum(1 for _, error in peer["read"] if error), peer["pdftotext"]),
        (collection.name, "quarry index of the folder", n, page_count, None, None, None, None,
         index_seconds_),
    ]


def pdftotext_version():
    result = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
    return (result.stdout + result.stderr).split("\n")[0].strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=pathlib.Path)
    parser.add_argument("--worst", type=int, default=0, metavar="N")
    parser.add_argument("--count", type=int, default=200, metavar="N")
    args = parser.parse_args()
    for data in (SQUAD, REUTERS):
        if not data.is_dir():
            sys.exit(f"{data} not found: run from the repository root with ../shared beside it")
    if not QUARRY.exists():
        sys.exit(f"{QUARRY} not found: build it with cargo build --release (or set QUARRY)")
    missing = missing_tools()
    if missing:
        sys.exit(f"{' and '.join(missing)} not found. Install them with:\n  {INSTALL}")
    os.environ.pop("QUARRY_INDEX", None)

    temporary = None
    if args.work:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="quarry-formats-")
        work = pathlib.Path(temporary.name)
    api = pandoc_api_version()
    collections_ = [squad(args.count), reuters(args.count)]
    rows = []
    peer_rows = []
    for collection in collections_:
        convert(collection, work, api)
        extracted = {}
        for name, fmt, _, _ in SETS:
            folder = folder_of(work, collection, name)
            jobs = [(folder / f"{a.stem}.{fmt}", a.title) for a in collection.articles]
            with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
                extracted[name] = list(pool.map(inspect, jobs))
        baseline = extracted["txt"]
        peer = pdf_peer(collection, work)
        rankings = {}
        seconds = {}
        for name, _, _, _ in SETS:
            index = work / "indexes" / f"{collection.name}-{name.replace(' ', '-')}"
            seconds[name] = index_seconds(folder_of(work, collection, name), index)
            rankings[name] = top5(index, collection.queries, work)
        answered = [i for i, hits in enumerate(rankings["txt"]) if hits]
        answered_reflowed = [i for i, hits in enumerate(rankings["txt reflowed"]) if hits]

        def agreement(name, against, queries):
            """Share of the queries with the same rank-1 article, mean top-5 overlap."""
            if not queries:
                return float("nan"), float("nan")
            ours, theirs = rankings[name], rankings[against]
            same = sum(1 for i in queries if ours[i][:1] == theirs[i][:1]) / len(queries)
            overlap = statistics.mean(len(set(ours[i]) & set(theirs[i])) / len(theirs[i])
                                      for i in queries)
            return same, overlap

        for name, fmt, writer, _ in SETS:
            read = extracted[name]
            scores = [f1(a.words, text) for a, (text, _, _) in zip(collection.articles, read)]
            versus_txt = [f1(txt, text) for (txt, _, _), (text, _, _) in zip(baseline, read)]
            n = len(collection.articles)
            if name == PDF_SET:
                peer_rows += peer_table(collection, peer, scores, read, seconds[name])
            rows.append((collection.name, name, n, statistics.mean(scores), min(scores),
                         sum(1 for s in scores if s < 0.99), statistics.mean(versus_txt),
                         sum(1 for _, _, error in read if error),
                         *agreement(name, "txt", answered),
                         *agreement(name, "txt reflowed", answered_reflowed),
                         n / seconds[name], seconds[name]))
            if args.worst:
                worst = sorted(range(n), key=lambda i: scores[i])[:args.worst]
                print(f"\n## {collection.name}, {name}: {args.worst} files of lowest F1\n")
                for i in worst:
                    article, (text, title, error) = collection.articles[i], read[i]
                    (lost, lost_words), (added, added_words) = diff(article.words, text)
                    print(f"- {article.stem}: F1 {scores[i]:.4f} (vs .txt {versus_txt[i]:.4f}),"
                          f" title {title!r}{', error: ' + error if error else ''}")
                    print(f"    - lost {lost} of {len(article.words)}: {lost_words}")
                    print(f"    - added {added}: {added_words}")
                    (lost, lost_words), (added, added_words) = diff(baseline[i][0], text)
                    if name != "txt":
                        print(f"    - vs .txt: lost {lost}: {lost_words}; "
                              f"added {added}: {added_words}")
                    if name == PDF_SET:
                        print(f"    - pdftotext: F1 {peer['scores'][i]:.4f}")
                if name == PDF_SET:
                    print(f"\n## {collection.name}, pdftotext: {args.worst} files of lowest F1\n")
                    for i in sorted(range(n), key=lambda i: peer["scores"][i])[:args.worst]:
                        article, (text, error) = collection.articles[i], peer["read"][i]
                        (lost, lost_words), (added, added_words) = diff(article.words, text)
                        print(f"- {article.stem}: F1 {peer['scores'][i]:.4f} (quarry "
                              f"{scores[i]:.4f}){', error: ' + error if error else ''}")
                        print(f"    - lost {lost} of {len(article.words)}: {lost_words}")
                        print(f"    - added {added}: {added_words}")
                    print()
                against = "txt" if name == "txt reflowed" else "txt reflowed"
                differing = [i for i in (answered if against == "txt" else answered_reflowed)
                             if rankings[name][i][:1] != rankings[against][i][:1]][:args.worst]
                for i in differing if name != "txt" else []:
                    print(f"- query {collection.queries[i]!r}: top 5 here {rankings[name][i]},"
                          f" in {against} {rankings[against][i]}")
        print(f"{collection.name}: {len(collection.queries)} queries, {len(answered)} with a hit "
              "in the .txt index", file=sys.stderr)

    print("\n| collection | set | files | F1 mean | F1 min | files F1 < 0.99 | F1 vs .txt "
          "| inspect errors | same rank 1 | top-5 overlap | same rank 1 vs reflowed "
          "| top-5 vs reflowed | files/s (seconds) |")
    print("| --- " * 13 + "|")
    for (coll, name, n, mean, low, below, vs, errors, same, overlap, same_r, overlap_r, speed,
         secs) in rows:
        print(f"| {coll} | {name} | {n} | {mean:.4f} | {low:.4f} | {below} | {vs:.4f} | {errors} "
              f"| {same:.1%} | {overlap:.3f} | {same_r:.1%} | {overlap_r:.3f} "
              f"| {speed:.0f} ({secs:.2f} s) |")
    counts = ", ".join(f"{c.name} {len(c.queries)}" for c in collections_)
    print(f"\nQueries: {counts} (--syntax plain); rank-1 and top-5 figures against the .txt "
          f"index (and the reflowed one), over the queries it answers. Speed: the whole `quarry index` "
          f"process into a fresh index (start-up included), median of {RUNS} runs. "
          "Targets: F1 >= 0.99 (PDF: 0.97), same rank 1 >= 95 %.")
    print("\n| collection | reader | files | pages | F1 mean | F1 min | files under target F1 "
          "| read errors | seconds | pages/s | files/s |")
    print("| --- " * 11 + "|")
    for coll, reader, n, page_count, mean, low, below, errors, secs in peer_rows:
        scored = f"{mean:.4f} | {low:.4f} | {below} | {errors}" if mean is not None \
            else "(as above) | | | "
        print(f"| {coll} | {reader} | {n} | {page_count} | {scored} | {secs:.2f} "
              f"| {page_count / secs:.0f} | {n / secs:.0f} |")
    print(f"\nPDF ({PDF_SET}) beside pdftotext ({pdftotext_version()}). F1 against the source's "
          f"title and body words; target {PDF_TARGET_F1}. Seconds: medians of "
          f"{RUNS} runs of a shell loop running one process per file, one after the other "
          "(`quarry inspect --format json FILE`, `pdftotext FILE OUT`), and of `quarry index` of "
          f"the folder (one process, {THREADS} threads, index written). Pages counted by pdfinfo.")
    if temporary:
        temporary.cleanup()


if __name__ == "__main__":
    main()
