#!/usr/bin/env python3
"""Query speed on Reuters-21578: batch throughput, per-query latency, one-query process time.

Run from the repository root, with ../shared beside it:  python3 bench/query_speed.py
Builds quarry (release), indexes Reuters-21578 into a temporary folder, then
  - runs bench/reuters-queries.txt (1,200 queries from article titles, made by
    bench/make_queries.py) as one `--batch` with `--format json`, top-10 passages, RUNS times:
    wall time of the whole process (open, search, print) and queries per second;
  - reads `took_ms` of every query of the median run: median and p99;
  - times single `quarry query` processes (open index, search, print JSON), with hyperfine
    when it is installed, else with a loop here; beside them, `rg -il` over the same folder
    when ripgrep is installed (the files holding any of the words), the tool a user would
    otherwise reach for. Both again with a cold page cache (dropped before every run) when
    /proc/sys/vm/drop_caches is writable (root): what the first query after a reboot, or
    after other work pushed the index out of memory, costs.
Prints a Markdown table. Environment: RUNS (default 5), THREADS (default: all cores).
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DATA = pathlib.Path("../shared/datasets/reuters21578/articles")
QUERIES = pathlib.Path("bench/reuters-queries.txt")
QUARRY = pathlib.Path("target/release/quarry")
SINGLE_QUERY = "oil prices opec"
RUNS = int(os.environ.get("RUNS", "5"))


def run(args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


DROP_CACHES = pathlib.Path("/proc/sys/vm/drop_caches")


def drop_caches():
    os.sync()
    DROP_CACHES.write_text("3\n")


def single_process_ms(command, cold=False):
    """Median milliseconds of a whole process, by hyperfine or by a plain loop; `cold`: with
    the page cache dropped before each run."""
    runs = 10 if cold else 50
    if shutil.which("hyperfine"):
        start = (["--prepare", f"sh -c 'sync; echo 3 > {DROP_CACHES}'"] if cold
                 else ["--warmup", "5"])
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            run(["hyperfine", "-N", *start, "--runs", str(runs), "--export-json",
                 export.name, " ".join(command)], stdout=subprocess.DEVNULL)
            result = json.load(open(export.name))["results"][0]
            return statistics.median(result["times"]) * 1000, "hyperfine"
    times = []
    for _ in range(runs):
        if cold:
            drop_caches()
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, "python loop"


def main():
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: run from the repository root with ../shared beside it")
    run(["cargo", "build", "--release", "--quiet"])
    queries = [line for line in QUERIES.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as work:
        index = pathlib.Path(work) / "index"
        run([QUARRY, "index", "-q", "--index", index, DATA])
        batch = [QUARRY, "query", "--index", index, "--batch", QUERIES, "--format", "json"]
        if "THREADS" in os.environ:
            batch += ["--threads", os.environ["THREADS"]]
        runs = []
        for _ in range(RUNS):
            out = pathlib.Path(work) / "out.json"
            started = time.perf_counter()
            with open(out, "w") as sink:
                run(batch, stdout=sink)
            wall = time.perf_counter() - started
            took = sorted(json.loads(line)["took_ms"] for line in out.read_text().splitlines())
            runs.append((wall, took))
        runs.sort(key=lambda r: r[0])
        wall, took = runs[len(runs) // 2]
        p99 = took[min(len(took) - 1, int(len(took) * 0.99))]
        single = [str(QUARRY), "query", "--index", str(index), "--format", "json",
                  f"'{SINGLE_QUERY}'"]
        rg = None
        if shutil.which("rg"):
            words = [arg for word in SINGLE_QUERY.split() for arg in ("-e", word)]
            rg = ["rg", "-il", *words, str(DATA)]
        temperatures = [False] + ([True] if os.access(DROP_CACHES, os.W_OK) else [])
        singles = []
        for cold in temperatures:
            single_ms, timer = single_process_ms(single, cold)
            rg_ms = single_process_ms(rg, cold)[0] if rg else None
            singles.append((cold, single_ms, timer, rg_ms))

    print(f"| measure (Reuters-21578, {len(queries)} queries, top 10 passages, JSON) | value |")
    print("| --- | --- |")
    print(f"| batch wall time, median of {RUNS} | {wall:.3f} s |")
    print(f"| batch throughput | {len(queries) / wall:,.0f} queries/s |")
    print(f"| per-query took_ms, median | {statistics.median(took):.3f} ms |")
    print(f"| per-query took_ms, p99 | {p99:.3f} ms |")
    for cold, single_ms, timer, rg_ms in singles:
        cache = "cold page cache" if cold else "warm page cache"
        print(f"| one `quarry query` process, {cache}, median ({timer}) | {single_ms:.1f} ms |")
        if rg_ms is not None:
            print(f"| one `rg -il -e oil -e prices -e opec` over the raw folder, {cache}, "
                  f"median ({timer}) | {rg_ms:.1f} ms (quarry / rg = {single_ms / rg_ms:.2f}) |")


if __name__ == "__main__":
    main()
