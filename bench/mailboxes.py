#!/usr/bin/env python3
"""Mailboxes: text recovery, ranking and speed of quarry's .mbox reader, and its memory on a
large mailbox.

Run from the repository root, with ../shared beside it:  python3 bench/mailboxes.py
Needs only Python's standard library (its `mailbox` and `email` modules write the mailboxes).

Collections (as bench/formats.py takes them, with its queries): the first 200 articles of
../shared/datasets/reuters21578/articles (NEWID order) and the 48 of squad-dev.

Each collection is written as one mailbox, a message per article, as a mail client stores
newsletters: the title as the Subject, a sender, a Date a day apart, and the body's paragraphs
(an empty line between). Two messages in three are plain text (quoted-printable, long lines);
every third is an HTML newsletter (`<h1>` title, `<p>` paragraphs, a menu and an unsubscribe
footer around the article, base64). The .txt originals are the baseline.

Measures:
  - word F1 per message, mean over the messages (and over the plain and the HTML ones): the
    words of the Subject and of the passages of `quarry inspect --format json MAILBOX` (one
    object per message) against the source's title and body words (bench/formats.py's
    reference: the Reuters date line left out).
  - ranking agreement with the .txt originals, each indexed alone: 300 queries with
    `--syntax plain --per-article 1 --limit 5`; share of queries with the same rank-1 article
    (message N stands for the N-th article) and mean top-5 overlap, over queries answered by
    the .txt index.
  - speed and memory: `quarry index` of the mailbox into a fresh index (median of RUNS runs,
    default 3): messages per second, MB per second, peak RSS. Then the whole Reuters-21578
    collection as one mailbox, and that mailbox repeated 10 times (about 300 MB): messages per
    second and peak RSS, which must not grow with the file (a message is read at a time; the
    index writer's buffer is bounded).

Options:
  --work DIR    keep mailboxes and indexes in DIR (default: a temporary folder, removed)
QUARRY overrides the binary (default target/release/quarry).
"""
import argparse
import email.policy
import email.utils
import html
import json
import mailbox
import pathlib
import shutil
import subprocess
import sys
import tempfile
from email.message import EmailMessage

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from formats import (QUARRY, RUNS, REUTERS, Article, f1, file_stem, reuters, squad,  # noqa: E402
                     top5, words)
from measure import median, timed  # noqa: E402


def is_newsletter(number):
    return number % 3 == 2


def message(article, number):
    """The article as an e-mail: plain text, or (every third) an HTML newsletter."""
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["From"] = "Wire Desk <desk@wire.example.com>"
    mail["Subject"] = article.title or "(no subject)"
    mail["Date"] = email.utils.formatdate(536457600 + number * 86400)
    paragraphs = [" ".join(lines) for lines in article.paragraphs]
    if is_newsletter(number):
        page = ("<html><body><nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav>"
                f"<article><h1>{html.escape(article.title)}</h1>"
                + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
                + "</article><footer>You receive this because you subscribed. "
                "<a href='/unsubscribe'>Unsubscribe</a></footer></body></html>")
        mail.set_content(page, subtype="html", cte="base64")
    else:
        mail.set_content("\n\n".join(paragraphs) + "\n", cte="quoted-printable")
    return mail


def write_mailbox(path, articles):
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    box.lock()
    for number, article in enumerate(articles):
        box.add(message(article, number))
    box.flush()
    box.unlock()


def inspected(path):
    result = subprocess.run([QUARRY, "inspect", "--format", "json", path],
                            check=True, capture_output=True, text=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def index_run(folder, index):
    """(seconds, peak RSS MiB) of `quarry index`, median of RUNS fresh runs."""
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(index, ignore_errors=True)
        runs.append(timed([QUARRY, "index", "-q", "--index", index, folder]))
    seconds, rss, _ = median(runs)
    return seconds, rss


def recovery(collection, work):
    folder = work / collection.name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "txt").mkdir(parents=True)
    (folder / "mbox").mkdir()
    for article in collection.articles:
        shutil.copy(article.path, folder / "txt" / article.path.name)
    box = folder / "mbox" / "inbox.mbox"
    write_mailbox(box, collection.articles)
    read = inspected(box)
    scores, plain, newsletters = [], [], []
    by_part = {record["part"]: record for record in read}
    for number, article in enumerate(collection.articles, start=1):
        record = by_part.get(str(number))
        got = [] if record is None else words(
            (record["title"] or "") + "\n" + "\n".join(p["text"] for p in record["passages"]))
        scores.append(f1(article.words, got))
        (newsletters if is_newsletter(number - 1) else plain).append(scores[-1])
    stems = [article.stem for article in collection.articles]
    txt_index, box_index = folder / "txt.idx", folder / "mbox.idx"
    txt_seconds, _ = index_run(folder / "txt", txt_index)
    box_seconds, box_rss = index_run(folder / "mbox", box_index)
    baseline = top5(txt_index, collection.queries, folder, file_stem)
    got = top5(box_index, collection.queries, folder,
               lambda hit: stems[int(hit["part"].split("/")[0]) - 1])
    answered = [(b, g) for b, g in zip(baseline, got) if b]
    same = sum(1 for b, g in answered if g and g[0] == b[0]) / len(answered)
    overlap = sum(len(set(b) & set(g)) / len(b) for b, g in answered) / len(answered)
    size = box.stat().st_size
    return [collection.name, len(collection.articles), len(read),
            f"{sum(scores) / len(scores):.4f}", f"{min(scores):.4f}",
            f"{sum(plain) / len(plain):.4f}", f"{sum(newsletters) / len(newsletters):.4f}",
            sum(1 for s in scores if s < 0.99), f"{100 * same:.1f}%", f"{overlap:.3f}",
            f"{len(collection.articles) / txt_seconds:.0f}",
            f"{len(collection.articles) / box_seconds:.0f}",
            f"{size / box_seconds / 1e6:.1f}", f"{box_rss:.0f}"]


def scale(work):
    """The whole Reuters collection as one mailbox, then repeated ten times."""
    files = sorted((REUTERS / "articles").glob("*.txt"), key=lambda p: int(p.stem))
    articles = [Article(path, dated=True) for path in files]
    one = work / "scale" / "one" / "reuters.mbox"
    ten = work / "scale" / "ten" / "reuters.mbox"
    one.parent.mkdir(parents=True, exist_ok=True)
    ten.parent.mkdir(parents=True, exist_ok=True)
    write_mailbox(one, articles)
    with open(ten, "wb") as out:
        for _ in range(10):
            with open(one, "rb") as part:
                shutil.copyfileobj(part, out)
    rows = []
    for label, box, messages in [("Reuters-21578", one, len(articles)),
                                 ("Reuters-21578 × 10", ten, 10 * len(articles))]:
        seconds, rss = index_run(box.parent, work / "scale" / f"{box.parent.name}.idx")
        size = box.stat().st_size
        rows.append([label, messages, f"{size / 1e6:.0f}", f"{seconds:.2f}",
                     f"{messages / seconds:.0f}", f"{size / seconds / 1e6:.1f}", f"{rss:.0f}"])
    return rows


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=pathlib.Path)
    args = parser.parse_args()
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="quarry-mailbox-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = [recovery(collection, work) for collection in (squad(200), reuters(200))]
        table(["collection", "articles", "messages read", "F1 mean", "F1 min", "F1 plain",
               "F1 HTML",
               "messages F1 < 0.99", "same rank 1", "top-5 overlap", ".txt files/s",
               "messages/s", "MB/s", "peak RSS MiB"], rows)
        table(["mailbox", "messages", "MB", "seconds", "messages/s", "MB/s", "peak RSS MiB"],
              scale(work))
        print(f"quarry index of each, median of {RUNS} fresh runs; F1 of the Subject and the "
              "passages against the source's title and body words; queries as bench/formats.py.")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
