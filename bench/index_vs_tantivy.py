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
timed with /usr/bin/time: wall time, CPU time (user + system) and peak RSS. quarry and
tantivy-cli runs alternate, so that a slow spell of the shared machine hits both. Prints
Markdown tables.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

from measure import median, timed, folder_size

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


def tantivy_cli_run(tantivy, work):
    """Converts the articles to NDJSON and indexes them: (seconds, peak RSS MiB, CPU s)."""
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
    convert, _, convert_cpu = timed([sys.executable, "-c", script])
    with open(ndjson) as docs:
        index_time, rss, index_cpu = timed([tantivy, "index", "-i", index], stdin=docs)
    return convert + index_time, rss, convert_cpu + index_cpu


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
    files = list(DATA.glob("*.txt"))
    raw = sum(f.stat().st_size for f in files)
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        index = work / "index"
        has_peer = pathlib.Path(tantivy).exists()
        if not has_peer:
            print(f"tantivy-cli not found ({tantivy}): no peer run", file=sys.stderr)
        quarry_runs, peer_runs = [], []
        for _ in range(RUNS):
            quarry_runs.append(timed([QUARRY, "index", "-q", "--rebuild", "--index", index,
                                      DATA]))
            if has_peer:
                peer_runs.append(tantivy_cli_run(tantivy, work))
        quarry = median(quarry_runs)
        size = folder_size(index)
        print(f"| Reuters-21578 ({raw / 2**20:.1f} MiB), median of {RUNS} | wall time | "
              "CPU time | peak RSS |")
        print("| --- | --- | --- | --- |")
        print(f"| quarry index | {quarry[0]:.2f} s | {quarry[2]:.2f} s | {quarry[1]:.0f} MiB |")
        if has_peer:
            peer = median(peer_runs)
            print(f"| tantivy-cli (NDJSON conversion included) | {peer[0]:.2f} s | "
                  f"{peer[2]:.2f} s | {peer[1]:.0f} MiB |")
            print(f"| ratio quarry / tantivy-cli | {quarry[0] / peer[0]:.2f} | "
                  f"{quarry[2] / peer[2]:.2f} | |")
        print(f"| quarry index size | {size / 2**20:.1f} MiB ({size / raw:.0%} of the raw text) "
              "| | |")
        print()
        print(f"| scale (quarry), median of {SCALE_RUNS} | articles | wall time | vs 1x | "
              "CPU time | peak RSS | index size |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        base = None
        for copies in (1, 4, 16):
            folder = work / f"x{copies}"
            replicate(folder, copies)
            scaled = work / f"index-x{copies}"
            seconds, rss, cpu = median([timed([QUARRY, "index", "-q", "--rebuild", "--index",
                                               scaled, folder]) for _ in range(SCALE_RUNS)])
            scaled_size = folder_size(scaled)
            base = base or seconds
            print(f"| {copies}x | {len(files) * copies:,} | {seconds:.2f} s | "
                  f"{seconds / base:.1f}x | {cpu:.2f} s | {rss:.0f} MiB | "
                  f"{scaled_size / (raw * copies):.0%} of the raw text |")
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
