#!/usr/bin/env python3
"""Indexing speed on Reuters-21578: a full index, a re-run with nothing changed, and a re-run
after changing 1 % of the files.

Run from the repository root, with ../shared beside it:  python3 bench/index_speed.py
The articles are copied to a temporary folder first (so that some can be changed). Each
figure is the median of RUNS runs (default 5) of the whole `quarry index` process, timed with
/usr/bin/time, which also gives its peak resident memory. Prints a Markdown table.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from measure import median, timed, folder_size

DATA = pathlib.Path("../shared/datasets/reuters21578/articles")
QUARRY = pathlib.Path("target/release/quarry").resolve()
RUNS = int(os.environ.get("RUNS", "5"))
CHANGED_SHARE = 0.01


def median_run(args, before=None):
    """Median wall seconds and peak RSS of RUNS runs; `before(run)` prepares each."""
    runs = []
    for run in range(RUNS):
        if before:
            before(run)
        runs.append(timed(args))
    seconds, rss, _ = median(runs)
    return seconds, rss


def main():
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: run from the repository root with ../shared beside it")
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        articles = work / "articles"
        shutil.copytree(DATA, articles)
        index = work / "index"
        base = [str(QUARRY), "index", "-q", "--index", str(index)]
        full, full_rss = median_run(base + ["--rebuild", str(articles)])
        subprocess.run(base + [str(articles)], check=True)
        same, same_rss = median_run(base + [str(articles)])

        files = sorted(articles.glob("*.txt"), key=lambda p: int(p.stem))
        step = round(1 / CHANGED_SHARE)

        def change(run):
            # A different 1 % each run: every 100th file, shifted by the run number.
            for path in files[run::step]:
                with open(path, "a", encoding="utf-8") as article:
                    article.write(f"\n    Revised in run {run}.\n")

        changed_count = len(files[0::step])
        changed, changed_rss = median_run(base + [str(articles)], before=change)
        size = folder_size(index)
    raw = sum(f.stat().st_size for f in DATA.iterdir())
    print(f"| Reuters-21578, {len(files):,} articles, {raw / 2**20:.1f} MiB | wall time "
          f"(median of {RUNS}) | share of the full index | peak RSS |")
    print("| --- | --- | --- | --- |")
    print(f"| full index (`--rebuild`) | {full:.2f} s | 100 % | {full_rss:.0f} MiB |")
    print(f"| re-run, nothing changed | {same:.2f} s | {same / full:.1%} | {same_rss:.0f} MiB |")
    print(f"| re-run, {changed_count} files (1 %) changed | {changed:.2f} s | "
          f"{changed / full:.1%} | {changed_rss:.0f} MiB |")
    print(f"| index size on disk | {size / 2**20:.1f} MiB | {size / raw:.0%} of the raw text | |")


if __name__ == "__main__":
    main()
