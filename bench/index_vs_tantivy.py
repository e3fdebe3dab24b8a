#!/usr/bin/env python3
"""Indexing Reuters-21578: quarry beside tantivy-cli, and quarry at 1x, 4x and 16x the corpus.

Run from the repository root, with ../shared beside it:  python3 bench/index_vs_tantivy.py
Needs tantivy-cli 0.24 on PATH or in TANTIVY_CLI:
    cargo install tantivy-cli --version 0.24.0 --root /tmp/tcli   (without --locked)
  - tantivy-cli: the articles are converted to NDJSON {"title", "body"} (both `en_stem`,
    stored) and indexed with `tantivy index`; the conversion is part of its time.
  - quarry: `quarry index --rebuild` of the same folder.
  - scale: the folder copied 4 and 16 times under new file names; quarry's time and peak RSS
    for each, and the query latency (`took_ms` of the 1,200 benchmark queries) at 16x.
Each figure is the median of RUNS runs (default 5; SCALE_RUNS for the scale runs, default 3),
timed with /usr/bin/time. Prints Markdown tables.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

DATA = pathlib.Path("../shared/datasets/reuters21578/articles")
QUARRY = pathlib.Path("target/release/quarry").resolve()
QUERIES = pathlib.Path("bench/reuters-queries.txt").resolve()
RUNS = int(os.environ.get("RUNS", "5"))
SCALE_RUNS = int(os.environ.get("SCALE_RUNS", "3"))
SCHEMA = [
    {"name": name, "type": "text",
     "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"},
                 "stored": True, "fast": False}}
    for name in ("title", "body")
]


def timed(args, stdin=None):
    """(seconds, peak RSS MiB) of one process under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *map(str, args)],
                       check=True, stdin=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds, kib = report.read().split()
    return float(seconds), int(kib) / 1024


def median(runs):
    runs = sorted(runs)
    return runs[len(runs) // 2]


def tantivy_cli_run(tantivy, work):
    """Converts the articles to NDJSON and indexes them: (seconds, peak RSS MiB)."""
    index = work / "tantivy-index"
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir()
    (index / "meta.json").write_text(json.dumps(
        {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
         "segments": [], "schema": SCHEMA, "opstamp": 0}))
    ndjson = work / "reuters.ndjson"
    script = (
        "import json,pathlib,sys\n"
        f"out=open({str(ndjson)!r},'w')\n"
        f"for p in pathlib.Path({str(DATA)!r}).glob('*.txt'):\n"
        "    title,_,body=p.read_text(encoding='utf-8',errors='replace').partition('\\n')\n"
        "    out.write(json.dumps({'title':title,'body':body})+'\\n')\n"
    )
    convert, _ = timed([sys.executable, "-c", script])
    with open(ndjson) as docs:
        index_time, rss = timed([tantivy, "index", "-i", index], stdin=docs)
    return convert + index_time, rss


def replicate(target, copies):
    target.mkdir()
    for copy in range(copies):
        folder = target / f"copy{copy}"
        shutil.copytree(DATA, folder)


def main():
    tantivy = os.environ.get("TANTIVY_CLI") or shutil.which("tantivy") or "/tmp/tcli/bin/tantivy"
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: run from the repository root with ../shared beside it")
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    raw = sum(f.stat().st_size for f in DATA.iterdir())
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        index = work / "index"
        quarry = median([timed([QUARRY, "index", "-q", "--rebuild", "--index", index, DATA])
                         for _ in range(RUNS)])
        size = sum(f.stat().st_size for f in index.iterdir() if f.is_file())
        peer = None
        if pathlib.Path(tantivy).exists():
            peer = median([tantivy_cli_run(tantivy, work) for _ in range(RUNS)])
        else:
            print(f"tantivy-cli not found ({tantivy}): no peer run", file=sys.stderr)
        print(f"| Reuters-21578 ({raw / 2**20:.1f} MiB), median of {RUNS} | wall time | "
              "peak RSS |")
        print("| --- | --- | --- |")
        print(f"| quarry index | {quarry[0]:.2f} s | {quarry[1]:.0f} MiB |")
        if peer:
            print(f"| tantivy-cli (NDJSON conversion included) | {peer[0]:.2f} s | "
                  f"{peer[1]:.0f} MiB |")
            print(f"| ratio quarry / tantivy-cli | {quarry[0] / peer[0]:.2f} | |")
        print(f"| quarry index size | {size / 2**20:.1f} MiB ({size / raw:.0%} of the raw text) "
              "| |")
        print()
        print(f"| scale (quarry), median of {SCALE_RUNS} | articles | wall time | vs 1x | "
              "peak RSS |")
        print("| --- | --- | --- | --- | --- |")
        base = None
        for copies in (1, 4, 16):
            folder = work / f"x{copies}"
            replicate(folder, copies)
            scaled = work / f"index-x{copies}"
            seconds, rss = median([timed([QUARRY, "index", "-q", "--rebuild", "--index",
                                          scaled, folder]) for _ in range(SCALE_RUNS)])
            base = base or seconds
            print(f"| {copies}x | {19043 * copies:,} | {seconds:.2f} s | "
                  f"{seconds / base:.1f}x | {rss:.0f} MiB |")
            if copies == 16:
                out = subprocess.run([QUARRY, "query", "--index", scaled, "--batch", QUERIES,
                                      "--format", "json"], check=True, capture_output=True,
                                     text=True).stdout
                took = sorted(json.loads(line)["took_ms"] for line in out.splitlines())
                print(f"\nQuery latency at 16x ({len(took)} queries, top 10): median "
                      f"{statistics.median(took):.2f} ms, p99 "
                      f"{took[int(len(took) * 0.99)]:.2f} ms")
            shutil.rmtree(folder)
            shutil.rmtree(scaled)


if __name__ == "__main__":
    main()
