"""Measuring whole processes, for the indexing benchmarks."""
import statistics
import subprocess
import tempfile


def timed(args, stdin=None):
    """(wall seconds, peak RSS MiB, CPU seconds) of one process under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", report.name,
                        *map(str, args)],
                       check=True, stdin=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds, kib, user, system = report.read().split()
    return float(seconds), int(kib) / 1024, float(user) + float(system)


def median(runs):
    """The median of each measure over the runs."""
    return tuple(statistics.median(measure) for measure in zip(*runs))


def folder_size(folder):
    """Bytes of every file under `folder`, at any depth (an index keeps its files in
    generation folders)."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
