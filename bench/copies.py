#!/usr/bin/env python3
"""Copies of one story: how well `quarry copies` groups reposted variants of Reuters stories and
keeps look-alikes apart, at several overlaps; and the groups it finds in Reuters-21578 itself.

Run from the repository root, with ../shared beside it:  python3 bench/copies.py
Dataset: ../shared/datasets/reuters21578/articles (see its README.md).

The generated folder (seeded, so every run writes the same files):
  - 500 stories (Reuters articles of at least 40 words, NEWID order, none a copy of another:
    Reuters reissues and corrects stories, and half or more of the shorter one's 5-word
    shingles in the other, counted exactly, makes it one),
    each written as itself and as two reposted variants. A variant applies two or three of:
    lines wrapped again at another width; typography (curly quotes, dashes, no-break spaces);
    a site's header and footer around it (its name, a menu, a newsletter box, copyright, three
    "related" headlines of other stories); the title in Title Case instead of capitals; the
    last paragraph trimmed; an editor's note paragraph added; the story as an HTML page (menu,
    article, footer). A story and its variants are one true group.
  - negative controls, each its own group: 150 other stories from Reuters' templates
    (earnings, dividends, payouts: titles with QTR, DIV, PAYOUT, NET, LOSS) and 150 on the same
    topics as others on other days (titles sharing a commodity: cocoa, coffee, gold, grain,
    oil, sugar, wheat…).
Measures, for each overlap given to `quarry copies --min-overlap`: pairwise precision and
recall of the grouping (pairs of files put in one group, against the true groups). Targets:
precision >= 0.99, recall >= 0.95. Then Reuters-21578 as it is, at the default overlap: the
number of groups and their sizes, and a sample of groups to check by hand (`--sample N`).

With --cost, measures instead what finding copies costs on Reuters-21578 (RUNS runs each,
medians; RUNS=5 by default):
  - a full `quarry index` into a fresh index, alternating with the build named by BASELINE (one
    without copies: the figure to stay within 10 % of), wall, CPU, peak RSS and index size;
  - an incremental run after 1 % of the files changed (every hundredth gets a sentence more),
    against the full run (target: under 15 %);
  - a query, collapsing copies and showing them (`--copies show`), 20 runs each;
  - the memory of finding the groups (`quarry copies --min-overlap 0.69`, which finds them
    instead of reading them) on Reuters and on four times as many articles (each copy of the
    folder with its words shuffled, so that no copy is another's): the bytes each article adds.

Options:
  --work DIR      keep the folders and indexes in DIR (default: a temporary folder)
  --sample N      print N groups of Reuters-21578 (seeded choice), for checking by hand
  --cost          the cost measures above instead
QUARRY overrides the binary (default target/release/quarry); BASELINE names the build to
compare with in --cost (skipped without it).
"""
import argparse
import collections
import html
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import tempfile
import statistics
import textwrap
import time

from measure import folder_size, median, timed

REUTERS = pathlib.Path("../shared/datasets/reuters21578")
QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
STORIES = 500
TEMPLATES = 150
TOPICS = 150
OVERLAPS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
TEMPLATE_TITLE = re.compile(r"\b(QTR|QTLY|DIV|DIVIDEND|PAYOUT|NET|LOSS|SHR)\b")
TOPIC_WORDS = ["COCOA", "COFFEE", "GOLD", "GRAIN", "OIL", "SUGAR", "WHEAT", "CORN", "COPPER",
               "TIN", "RUBBER", "SOYBEAN", "CRUDE", "DOLLAR", "YEN"]


class Story:
    def __init__(self, path):
        lines = path.read_text(encoding="utf-8").split("\n")
        self.stem = path.stem
        self.title = lines[0].strip()
        self.date = lines[1].strip()
        self.paragraphs, current = [], []
        for line in lines[2:]:
            if not line.strip() or (line[:1].isspace() and current):
                if current:
                    self.paragraphs.append(" ".join(current))
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            self.paragraphs.append(" ".join(current))
        self.words = sum(len(p.split()) for p in self.paragraphs)
        self.body_key = re.sub(r"\W+", " ", " ".join(self.paragraphs).lower()).strip()

    def text(self, title=None, paragraphs=None, width=65):
        body = [textwrap.fill(p, width) for p in (paragraphs or self.paragraphs)]
        return "\n\n".join([title or self.title, self.date, *body]) + "\n"


def typography(text):
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    text = text.replace("'", "\u2019").replace(" - ", " \u2013 ").replace("--", "\u2014")
    return text.replace(". ", ".\u00a0 ", 3)


def title_case(title):
    return " ".join(w.capitalize() if w.isalpha() else w for w in title.split())


def variant(story, others, rng):
    """A reposted copy of `story`: (file name suffix, text)."""
    kinds = rng.sample(["wrap", "typography", "boilerplate", "title", "trim", "note", "html"],
                       rng.choice([2, 3]))
    title, paragraphs = story.title, list(story.paragraphs)
    if "title" in kinds:
        title = title_case(title)
    if "trim" in kinds and len(paragraphs) >= 3:
        paragraphs = paragraphs[:-1]
    if "note" in kinds:
        paragraphs.append("Editor's note: this story has been updated with comments from "
                          "the company and from analysts who follow the market.")
    width = rng.randint(45, 95) if "wrap" in kinds else 65
    if "html" in kinds:
        related = "".join(f"<li><a href='/r/{o.stem}'>{html.escape(o.title)}</a></li>"
                          for o in others)
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = (f"<html><head><title>{html.escape(title)} | World Desk</title></head><body>"
                "<nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav>"
                f"<article><h1>{html.escape(title)}</h1><p>{story.date}</p>{body}</article>"
                f"<aside><h2>Related</h2><ul>{related}</ul></aside>"
                "<footer>© 2024 World Desk. All rights reserved.</footer></body></html>")
        return ".html", typography(page) if "typography" in kinds else page
    text = story.text(title, paragraphs, width)
    if "boilerplate" in kinds:
        related = "\n".join(o.title.title() for o in others)
        text = ("World Desk Online\nHome | Markets | Commodities | Subscribe\n\n" + text +
                "\nSign up for our daily newsletter.\n\nRelated stories:\n" + related +
                "\n\nCopyright 2024 World Desk. All rights reserved.\n")
    if "typography" in kinds:
        text = typography(text)
    return ".txt", text


def shingles(story):
    words = story.body_key.split()
    return {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}


def choose(stories):
    """The stories that get copies, the template look-alikes and the same-topic ones: none a
    copy of another already in Reuters (a story reissued or corrected: half or more of the
    shorter one's 5-word shingles in the other, counted exactly)."""
    distinct, kept = [], []
    for story in stories:
        if story.words < 40:
            continue
        mine = shingles(story)
        if any(len(mine & theirs) >= 0.5 * min(len(mine), len(theirs)) for theirs in kept):
            continue
        distinct.append(story)
        kept.append(mine)
        if len(distinct) >= 4 * (STORIES + TEMPLATES + TOPICS):
            break
    templated = [s for s in distinct if TEMPLATE_TITLE.search(s.title)]
    topical = [s for s in distinct if not TEMPLATE_TITLE.search(s.title)
               and any(re.search(rf"\b{w}\b", s.title) for w in TOPIC_WORDS)]
    negatives = {s.stem for s in templated[:TEMPLATES] + topical[:TOPICS]}
    copied = [s for s in distinct if s.stem not in negatives][:STORIES]
    return copied, templated[:TEMPLATES], topical[:TOPICS]


def write_folder(folder, stories):
    rng = random.Random(18)
    copied, templated, topical = choose(stories)
    truth = {}
    for story in copied:
        name = f"{story.stem}.txt"
        (folder / name).write_text(story.text(), encoding="utf-8")
        truth[name] = story.stem
        for n in (1, 2):
            suffix, text = variant(story, rng.sample(stories, 3), rng)
            name = f"{story.stem}-copy{n}{suffix}"
            (folder / name).write_text(text, encoding="utf-8")
            truth[name] = story.stem
    for story in templated + topical:
        name = f"{story.stem}.txt"
        (folder / name).write_text(story.text(), encoding="utf-8")
        truth[name] = story.stem
    return truth, len(copied), len(templated), len(topical)


def copies(index, overlap):
    result = subprocess.run([QUARRY, "copies", "--index", index, "--format", "jsonl",
                             "--min-overlap", str(overlap)], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr)
    return [[pathlib.Path(a["path"]).name for a in json.loads(line)["articles"]]
            for line in result.stdout.splitlines()]


def pairs(groups):
    found = set()
    for group in groups:
        names = sorted(group)
        found.update((a, b) for i, a in enumerate(names) for b in names[i + 1:])
    return found


def scores(truth, groups):
    by_story = collections.defaultdict(list)
    for name, story in truth.items():
        by_story[story].append(name)
    true, found = pairs(by_story.values()), pairs(groups)
    hit = len(true & found)
    precision = hit / len(found) if found else 1.0
    return precision, hit / len(true), len(found - true)


def full_runs(binaries, folder, work, runs):
    """Median (wall, peak MiB, CPU) and index size of a full index by each binary, alternating."""
    measured = {label: [] for label, _ in binaries}
    sizes = {}
    for _ in range(runs):
        for label, binary in binaries:
            index = work / f"full-{label}.idx"
            shutil.rmtree(index, ignore_errors=True)
            measured[label].append(timed([binary, "index", "-q", "--index", index, folder]))
            sizes[label] = folder_size(index)
    return {label: (median(runs), sizes[label]) for label, runs in measured.items()}


def incremental_runs(folder, work, runs):
    """Median (wall, peak MiB, CPU) of a run after every hundredth file changed, and of the
    full index it updates."""
    index = work / "incremental.idx"
    shutil.rmtree(index, ignore_errors=True)
    full = timed([QUARRY, "index", "-q", "--index", index, folder])
    files = sorted(folder.glob("*.txt"), key=lambda p: int(p.stem))[::100]
    originals = {path: path.read_bytes() for path in files}
    changed = []
    for run in range(runs):
        for path, text in originals.items():
            path.write_bytes(text + f"\nA sentence added in run {run}.\n".encode())
        changed.append(timed([QUARRY, "index", "-q", "--index", index]))
    for path, text in originals.items():
        path.write_bytes(text)
    return full, median(changed), len(files)


def shuffled_copy(source, target, seed):
    """`source`'s articles with their words shuffled: as long, and no copy of any other; and one
    article saved twice, so that there is a group to list."""
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for path in source.glob("*.txt"):
        words = path.read_text(encoding="utf-8").split()
        rng.shuffle(words)
        (target / path.name).write_text(" ".join(words) + "\n", encoding="utf-8")
    for name in ["saved-once.txt", "saved-twice.txt"]:
        shutil.copy(source / "1.txt", target / name)


def cost(work, runs):
    baseline = os.environ.get("BASELINE")
    folder = work / "reuters"
    if not folder.exists():
        shutil.copytree(REUTERS / "articles", folder)
    articles = len(list(folder.glob("*.txt")))
    binaries = [("with copies", QUARRY)]
    if baseline:
        binaries.insert(0, ("baseline", pathlib.Path(baseline).resolve()))
    else:
        print("BASELINE not set: no build without copies to compare with\n")
    print(f"Reuters-21578 ({articles} articles), {runs} runs each, medians.\n")
    print("| full index | wall | CPU | peak RSS | index size |")
    print("| --- | --- | --- | --- | --- |")
    results = full_runs(binaries, folder, work, runs)
    for label, ((wall, rss, cpu), size) in results.items():
        print(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {rss:.1f} MiB | {size / 1e6:.1f} MB |")
    full, changed, count = incremental_runs(folder, work, runs)
    print(f"\nIncremental: {count} files changed (1 %): {changed[0]:.2f} s, {changed[1]:.1f} MiB "
          f"peak, against {full[0]:.2f} s for the full index it updates "
          f"({100 * changed[0] / full[0]:.1f} %).")
    index = work / "incremental.idx"
    for how in ["collapse", "show"]:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            subprocess.run([QUARRY, "query", "--index", index, "--copies", how, "-n", "10", "oil"],
                           check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        print(f"Query `oil`, --copies {how}: {1000 * statistics.median(times):.1f} ms a process.")
    grouped = {}
    for times in [1, 4]:
        big = work / f"shuffled-{times}"
        if not big.exists():
            for copy in range(times):
                shuffled_copy(folder, big / str(copy), seed=copy)
        big_index = work / f"shuffled-{times}.idx"
        if not big_index.exists():
            subprocess.run([QUARRY, "index", "-q", "--index", big_index, big], check=True)
        grouped[times] = median([timed([QUARRY, "copies", "--index", big_index,
                                        "--min-overlap", "0.69"], stdin=None)
                                 for _ in range(runs)])
    per_article = (grouped[4][1] - grouped[1][1]) * 2**20 / (3 * articles)
    print(f"Finding the groups: {articles} articles {grouped[1][0]:.2f} s, "
          f"{grouped[1][1]:.1f} MiB peak; {4 * articles} articles {grouped[4][0]:.2f} s, "
          f"{grouped[4][1]:.1f} MiB peak: {per_article:.0f} bytes more per article.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=pathlib.Path)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="quarry-copies-"))
    if args.cost:
        try:
            work.mkdir(parents=True, exist_ok=True)
            cost(work, int(os.environ.get("RUNS", "5")))
        finally:
            if not args.work:
                shutil.rmtree(work, ignore_errors=True)
        return
    files = sorted((REUTERS / "articles").glob("*.txt"), key=lambda p: int(p.stem))
    stories = [Story(path) for path in files]
    try:
        folder = work / "generated"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        truth, copied, templated, topical = write_folder(folder, stories)
        index = work / "generated.idx"
        subprocess.run([QUARRY, "index", "-q", "--rebuild", "--index", index, folder],
                       check=True)
        print(f"Generated: {copied} stories with 2 copies each, {templated} template "
              f"look-alikes, {topical} same-topic stories ({len(truth)} files).\n")
        print("| overlap | precision | recall | wrong pairs |")
        print("| --- | --- | --- | --- |")
        for overlap in OVERLAPS:
            precision, recall, wrong = scores(truth, copies(index, overlap))
            print(f"| {overlap} | {precision:.4f} | {recall:.4f} | {wrong} |")
        whole = work / "reuters.idx"
        subprocess.run([QUARRY, "index", "-q", "--rebuild", "--index", whole,
                        REUTERS / "articles"], check=True)
        result = subprocess.run([QUARRY, "copies", "--index", whole, "--format", "jsonl"],
                                capture_output=True, text=True)
        groups = [json.loads(line)["articles"] for line in result.stdout.splitlines()]
        sizes = collections.Counter(len(g) for g in groups)
        print(f"\nReuters-21578 ({len(files)} articles), default overlap: {len(groups)} groups, "
              f"{sum(len(g) for g in groups)} articles in them; sizes: "
              + ", ".join(f"{n} of {size}" for size, n in sorted(sizes.items())))
        rng = random.Random(19)
        for group in rng.sample(groups, min(args.sample, len(groups))):
            print("\n- " + "\n  ".join(f"{pathlib.Path(a['path']).stem}: {a['title']}"
                                       for a in group))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
