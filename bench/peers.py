"""Peers from PyPI for the benchmarks, each in a virtual environment of its own under target/."""
import pathlib
import subprocess
import sys

# bm25s, the BM25 peer of the relevance and ranking benchmarks, with the English stemmer.
VENV_BM25S = pathlib.Path("target/bench-venv-bm25s")
BM25S = "0.3.16"
PYSTEMMER = "3.1.0"
BM25S_CHECK = ("import importlib.metadata as m, bm25s, Stemmer; "
               f"assert m.version('bm25s') == {BM25S!r}")


def venv_python(venv, packages, check):
    """The interpreter of `venv` (a pathlib.Path), with `packages` (pip requirement strings)
    installed and upgraded pip first; `check` is Python code that must run in it (imports,
    versions). Raises RuntimeError saying which step failed."""
    python = venv.resolve() / "bin" / "python"
    test = [python, "-c", check]
    if python.exists() and subprocess.run(test, capture_output=True).returncode == 0:
        return python
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # A current pip first: pip 23.2 (Python 3.11's) ignores some packages' extras (justext's
    # `lxml[html_clean]`, spelt `html-clean` by lxml), and the package then fails to import.
    steps = [pip + ["--upgrade", "pip"], pip + list(packages), test]
    if not python.exists():
        steps.insert(0, [sys.executable, "-m", "venv", venv])
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines() or ["(no message)"]
            raise RuntimeError(f"`{' '.join(map(str, step))}` failed: {lines[-1]}")
    return python
