#!/usr/bin/env python3
"""Writes bench/reuters-queries.txt: 1,200 queries made from Reuters-21578 titles.

Reproducible: the articles are taken in NEWID order, every 15th title is kept, lowercased,
stripped of punctuation and of words shorter than three letters, and cut to at most five
words. Run from the repository root:  python3 bench/make_queries.py
"""
import pathlib
import re
import sys

ARTICLES = pathlib.Path("../shared/datasets/reuters21578/articles")
OUT = pathlib.Path("bench/reuters-queries.txt")
COUNT = 1200
STEP = 15


def main() -> None:
    if not ARTICLES.is_dir():
        sys.exit(f"{ARTICLES} not found: run from the repository root with ../shared beside it")
    files = sorted(ARTICLES.glob("*.txt"), key=lambda p: int(p.stem))
    queries = []
    for path in files[::STEP]:
        title = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) >= 3]
        if words:
            queries.append(" ".join(words[:5]))
        if len(queries) == COUNT:
            break
    OUT.write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"wrote {len(queries)} queries to {OUT}")


if __name__ == "__main__":
    main()
