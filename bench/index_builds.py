#!/usr/bin/env python3
"""Indexing Reuters-21578 with two quarry builds side by side, and tantivy-cli beside both.

Run from the repository root, with ../shared beside it:
    python3 bench/index_builds.py --baseline /path/to/other/quarry
It times a full index (`quarry index -q --rebuild`, as bench/index_vs_tantivy.py does) of the
articles with the baseline build and with the build measured (QUARRY, default
target/release/quarry; nothing is built), and, when tantivy-cli 0.24 is found (PATH,
TANTIVY_CLI or /tmp/tcli/bin/tantivy), tantivy-cli on the same articles converted to NDJSON
(conversion included; see bench/index_vs_tantivy.py). The three runs alternate, RUNS rounds
(default 5), so that a slow spell of the shared machine hits all of them. Each figure is the
median of its runs, timed with /usr/bin/time: wall time, CPU time (user + system), peak RSS.
Prints a Markdown table.
"""
import argparse
import os
import pathlib
import shutil
import sys
import tempfile

from measure import median, timed, folder_size
from index_vs_tantivy import DATA, tantivy_cli_run

QUARRY = pathlib.Path(os.environ.get("QUARRY", "target/release/quarry")).resolve()
RUNS = int(os.environ.get("RUNS", "5"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", metavar="BIN", type=pathlib.Path, required=True)
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: run from the repository root with ../shared beside it")
    builds = [("baseline", args.baseline.resolve()), ("quarry", QUARRY)]
    for _, binary in builds:
        if not binary.exists():
            sys.exit(f"{binary} not found")
    os.environ.pop("QUARRY_INDEX", None)
    tantivy = os.environ.get("TANTIVY_CLI") or shutil.which("tantivy") or "/tmp/tcli/bin/tantivy"
    has_peer = pathlib.Path(tantivy).exists()
    if not has_peer:
        print(f"tantivy-cli not found ({tantivy}): no peer run", file=sys.stderr)
    raw = sum(f.stat().st_size for f in DATA.glob("*.txt"))
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        runs = {name: [] for name, _ in builds}
        runs["tantivy-cli"] = []
        for round_ in range(RUNS):
            for name, binary in builds:
                runs[name].append(timed([binary, "index", "-q", "--rebuild", "--index",
                                         work / f"index-{name}", DATA]))
            if has_peer:
                runs["tantivy-cli"].append(tantivy_cli_run(tantivy, work))
            print(f"round {round_ + 1}: " + ", ".join(
                f"{name} {values[-1][0]:.2f} s" for name, values in runs.items() if values),
                file=sys.stderr)
        sizes = {name: folder_size(work / f"index-{name}") for name, _ in builds}
    medians = {name: median(values) for name, values in runs.items() if values}
    peer = medians.get("tantivy-cli")
    print(f"\n| Reuters-21578 ({raw / 2**20:.1f} MiB), median of {RUNS} | wall time | CPU time "
          "| peak RSS | index size |" + (" wall time / tantivy-cli |" if peer else ""))
    print("| --- | --- | --- | --- | --- |" + (" --- |" if peer else ""))
    for name, (seconds, rss, cpu) in medians.items():
        size = (f"{sizes[name] / 2**20:.1f} MiB ({sizes[name] / raw:.0%})" if name in sizes
                else "")
        ratio = f" {seconds / peer[0]:.2f} |" if peer else ""
        print(f"| {name} | {seconds:.2f} s | {cpu:.2f} s | {rss:.0f} MiB | {size} |{ratio}")
    base, new = medians["baseline"], medians["quarry"]
    print(f"\nquarry / baseline: wall time {new[0] / base[0]:.3f}, CPU time "
          f"{new[2] / base[2]:.3f}. Builds: " + ", ".join(f"{n}: {b}" for n, b in builds)
          + (f", tantivy-cli: {tantivy}." if has_peer else "."))


if __name__ == "__main__":
    main()
