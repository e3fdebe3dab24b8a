#!/usr/bin/env python3
"""Hostile web pages: time and peak memory of `quarry index` on each, one build beside another.

Run from the repository root:  python3 bench/html_untrusted.py [--baseline BIN]
Writes four pages, each alone in its own temporary folder:
  - prose: 50 MB of `<p>` paragraphs of real words in real order (runs of 20 to 120 words,
    numbers and punctuation as written, taken at random from Reuters-21578 articles in
    ../shared, else from a fixed list of words);
  - nested: 100,000 nested `<div>`, each opening with a word, a paragraph at the bottom;
  - text node: one 10 MB text node (words and spaces, no tag, no newline) in one `<p>`;
  - tags: 64 MB of `<b id=N>x`, never closed.
(MB = 10^6 bytes: every page is under quarry's default --max-file-size of 64 MiB.) Each run is
one whole `quarry index -q --index NEW_INDEX FOLDER` process, timed with /usr/bin/time (wall
time, peak RSS), into a new index; figures are medians of RUNS runs (default 3). With
--baseline, that build is run too, its runs alternating with the measured build's so that a
slow spell of the shared machine hits both. A run longer than TIMEOUT seconds (default 600)
is stopped and shown as such. The passages column is `quarry stats` of the last run's index:
what was kept of the page. Prints a Markdown table.
QUARRY overrides the binary measured (default target/release/quarry).
"""
import argparse
import html
import json
import os
import pathlib
import random
import signal
import statistics
import subprocess
import sys
import tempfile

QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
RUNS = int(os.environ.get("RUNS", "3"))
TIMEOUT = float(os.environ.get("TIMEOUT", "600"))
REUTERS = pathlib.Path("../shared/datasets/reuters21578/articles")
MB = 1_000_000
WORDS = ("the said in of and to a for on company oil prices market shares bank year pct would "
         "government trade dollar rate billion million last week new agreement exports talks "
         "minister official reported output quarter profit rose fell higher lower").split()


def words():
    """A long run of words in the order they are written (Reuters), or a random list."""
    if REUTERS.is_dir():
        text = []
        for path in sorted(REUTERS.glob("*.txt"))[:4000]:
            text += html.escape(path.read_text(errors="replace"), quote=False).split()
        return text
    rng = random.Random(7)
    return [rng.choice(WORDS) for _ in range(200_000)]


def write_pages(folder):
    """{name: folder holding that one page}, the pages written."""
    rng = random.Random(42)
    text = words()
    head = "<!DOCTYPE html><html><head><title>A long page</title></head><body><article>\n"
    tail = "</article></body></html>\n"

    def paragraph():
        start = rng.randrange(len(text) - 120)
        run = text[start:start + rng.randint(20, 120)]
        sentence = " ".join(run)
        return sentence[0].upper() + sentence[1:] + "."

    def write(name, parts):
        page = folder / name
        page.mkdir()
        with open(page / "page.html", "w", encoding="utf-8") as out:
            for part in parts:
                out.write(part)
        return page

    def prose():
        size = len(head) + len(tail)
        yield head
        while size < 50 * MB - 2000:
            line = f"<p>{paragraph()}</p>\n"
            size += len(line)
            yield line
        yield tail

    def text_node():
        yield "<!DOCTYPE html><html><head><title>One text node</title></head><body><p>"
        size = 0
        while size < 10 * MB:
            piece = paragraph() + " "
            size += len(piece)
            yield piece
        yield "</p></body></html>\n"

    def tags():
        yield "<!DOCTYPE html><html><head><title>Tags</title></head><body>"
        size, n = 0, 0
        while size < 64 * MB - 100:
            tag = f"<b id={n}>x"
            size += len(tag)
            n += 1
            yield tag
        yield "</body></html>\n"

    nested = [head.replace("<article>", ""), "<div>word ".join([""] * 100_001),
              f"<p>{paragraph()}</p>", "</div>" * 100_000, tail.replace("</article>", "")]
    return {
        "prose: 50 MB of `<p>` paragraphs": write("prose", prose()),
        "nested: 100,000 nested `<div>`": write("nested", nested),
        "text node: one 10 MB text node": write("text", text_node()),
        "tags: 64 MB of `<b id=N>x`": write("tags", tags()),
    }


def run(quarry, folder, work):
    """(wall seconds or None when stopped, peak RSS MiB, exit code, passages) of one index."""
    index = work / "index"
    subprocess.run(["rm", "-rf", str(index)], check=True)
    with tempfile.NamedTemporaryFile("r") as report:
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, str(quarry), "index", "-q",
             "--index", str(index), str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, None, "stopped", None
        fields = report.read().split()
    seconds, kib = float(fields[-2]), int(fields[-1])
    stats = subprocess.run([str(quarry), "stats", "--format", "json", "--index", str(index)],
                           capture_output=True, text=True)
    passages = json.loads(stats.stdout)["passages"] if stats.returncode == 0 else None
    return seconds, kib / 1024, code, passages


def summary(runs):
    done = [r for r in runs if r[0] is not None]
    if not done:
        return f"> {TIMEOUT:.0f} s (stopped)", "–", "–"
    seconds = f"{statistics.median(r[0] for r in done):.2f} s"
    if len(done) < len(runs):
        seconds += f" ({len(runs) - len(done)} of {len(runs)} runs stopped)"
    codes = {r[2] for r in runs}
    if codes != {0}:
        seconds += f" (exit {', '.join(map(str, sorted(codes, key=str)))})"
    rss = f"{statistics.median(r[1] for r in done):.0f} MiB"
    passages = done[-1][3]
    return seconds, rss, "–" if passages is None else f"{passages:,}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", metavar="BIN", type=pathlib.Path,
                        help="another quarry binary, run alternately with QUARRY")
    args = parser.parse_args()
    builds = [("quarry", QUARRY)]
    if args.baseline:
        builds.insert(0, ("baseline", args.baseline.resolve()))
    for _, binary in builds:
        if not binary.exists():
            sys.exit(f"{binary} not found: build it with cargo build --release")
    os.environ.pop("QUARRY_INDEX", None)
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        pages = work / "pages"
        pages.mkdir()
        folders = write_pages(pages)
        results = {}
        for label, folder in folders.items():
            size = (folder / "page.html").stat().st_size
            runs = {name: [] for name, _ in builds}
            for _ in range(RUNS):
                for name, binary in builds:
                    runs[name].append(run(binary, folder, work))
                    print(f"{label}, {name}: {runs[name][-1]}", file=sys.stderr)
            results[label] = size, runs
    header = "| page (bytes) |"
    for name, _ in builds:
        header += f" {name}: wall time | peak RSS | passages |"
    print(f"\n{header}")
    print("| --- |" + " --- | --- | --- |" * len(builds))
    for label, (size, runs) in results.items():
        cells = " | ".join(" | ".join(summary(runs[name])) for name, _ in builds)
        print(f"| {label} ({size:,}) | {cells} |")
    print(f"\nMedians of {RUNS} runs of `quarry index` of the one page into a new index; "
          + ", ".join(f"{name}: {binary}" for name, binary in builds) + ".")


if __name__ == "__main__":
    main()
