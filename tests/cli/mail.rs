//! E-mail with several articles in one file: a mailbox (`.mbox`) of three messages, one an
//! HTML newsletter and one carrying a PDF report, each message an article and the report one
//! of its own under its message; and an `.eml` whose attachment is found under it.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;
use tempfile::TempDir;

use crate::pdfs::{Page, Pdf, column};
use crate::support::{assert_reported, hits, index_run, outcome, quarry, query_json, stats};

/// A report in PDF that says nothing of its date or publisher.
fn report() -> Vec<u8> {
    Pdf {
        pages: vec![Page::Text(column(
            72.0,
            700.0,
            &[
                "Quarterly tonnage at the harbour fell by a fifth as the strike",
                "kept the gantry cranes idle for ten days in March.",
            ],
        ))],
        info: Some(("Harbour tonnage report", "Port Authority")),
        encrypted: false,
    }
    .bytes()
}

/// A message carrying `file` (a PDF, base64 as mail clients send it), its body `body`.
fn with_attachment(headers: &str, body: &str, name: &str, file: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(file);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    format!(
        "{headers}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"cut\"\n\n\
         --cut\nContent-Type: text/plain; charset=utf-8\n\n{body}\n\
         --cut\nContent-Type: application/pdf; name=\"{name}\"\n\
         Content-Disposition: attachment; filename=\"{name}\"\n\
         Content-Transfer-Encoding: base64\n\n{}\n--cut--\n",
        lines.join("\n")
    )
}

/// Three messages: plain text with a quoted reply and a body line that begins "From " (escaped
/// as `>From `, as mboxrd writers do), an HTML newsletter, and a message with a PDF report.
fn mailbox() -> String {
    let plain = "From ann@example.org Mon Mar  4 07:30:00 2024\n\
        From: Ann Writer <ann@example.org>\nSubject: Ferry timetable changes\n\
        Date: Mon, 4 Mar 2024 07:30:00 +0100\n\n\
        The ferry to the islands will leave at seven from next week.\n\
        >From Monday the evening crossing is cancelled.\n\n\
        On Sunday, Bob wrote:\n> Is the ferry still running?\n\n";
    let newsletter = "From news@harbour.example.org Tue Mar  5 06:00:00 2024\n\
        From: Harbour Weekly <news@harbour.example.org>\nSubject: Strike over at the port\n\
        Date: Tue, 5 Mar 2024 06:00:00 +0100\n\
        List-Id: Harbour Weekly <weekly.harbour.example.org>\n\
        MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n\
        <html><body><nav><a href=\"/\">Home</a></nav><article><h1>Strike over</h1>\
        <p>Dock workers voted on Tuesday to end a ten-day strike at the port, the union \
        said.</p><p>Cafe owners on the quay cheered the news.</p></article></body></html>\n\n";
    let report = with_attachment(
        "From office@port.example.org Wed Mar  6 09:15:00 2024\n\
         From: Port Office <office@port.example.org>\nSubject: Tonnage figures\n\
         Date: Wed, 6 Mar 2024 09:15:00 +0100\n",
        "The figures for the quarter are attached.",
        "tonnage.pdf",
        &report(),
    );
    format!("{plain}{newsletter}{report}")
}

fn folder_with(files: &[(&str, &[u8])]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let index = dir.path().join("index");
    (dir, index)
}

fn listed(index: &Path) -> Vec<Value> {
    let (code, stdout, stderr) = outcome(
        quarry()
            .args(["list", "--format", "jsonl", "--index"])
            .arg(index),
    );
    // 1: none listed.
    assert!(code == 0 || code == 1 && stdout.is_empty(), "{stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The field `key` of each article `quarry list` lists, `-` for none.
fn listed_field(index: &Path, key: &str) -> Vec<String> {
    listed(index)
        .iter()
        .map(|article| article[key].as_str().unwrap_or("-").to_string())
        .collect()
}

#[test]
fn each_message_and_attachment_of_a_mailbox_is_an_article() {
    let (dir, index) = folder_with(&[("inbox.mbox", mailbox().as_bytes())]);
    let (code, stdout, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 added"), "{stdout}");
    let fields = |key: &str| listed_field(&index, key);
    assert_eq!(
        fields("article"),
        ["inbox#1", "inbox#2", "inbox#3", "inbox#3/tonnage.pdf"]
    );
    assert_eq!(fields("part"), ["1", "2", "3", "3/tonnage.pdf"]);
    assert_eq!(
        fields("title"),
        [
            "Ferry timetable changes",
            "Strike over at the port",
            "Tonnage figures",
            "Harbour tonnage report"
        ]
    );
    assert_eq!(
        fields("author"),
        [
            "Ann Writer",
            "Harbour Weekly",
            "Port Office",
            "Port Authority"
        ]
    );
    // The report says nothing of when or where: its message does.
    assert_eq!(
        fields("date"),
        ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-06"]
    );
    assert_eq!(
        fields("source"),
        [
            "example.org",
            "Harbour Weekly",
            "port.example.org",
            "port.example.org"
        ]
    );

    // The attachment is found by its words, located on its page, under its message.
    let (code, record) = query_json(&index, &["gantry cranes"]);
    assert_eq!(code, 0);
    let hit = &hits(&record)[0];
    assert_eq!(hit["article"], "inbox#3/tonnage.pdf");
    assert_eq!(hit["part"], "3/tonnage.pdf");
    assert_eq!(hit["page"], 1);
    assert!(hit["path"].as_str().unwrap().ends_with("inbox.mbox"));
    // An escaped `>From ` line is the message's text; the quoted reply is not.
    let (_, record) = query_json(&index, &["evening crossing cancelled"]);
    let passage = hits(&record)[0]["passage"].as_str().unwrap().to_string();
    assert!(
        passage.contains("From Monday the evening crossing"),
        "{passage}"
    );
    let (code, _) = query_json(&index, &["\"ferry still running\""]);
    assert_eq!(code, 1);
    // The newsletter is read as a web page: its menu is not text.
    let (_, record) = query_json(&index, &["dock workers"]);
    let passage = hits(&record)[0]["passage"].as_str().unwrap().to_string();
    assert!(!passage.contains("Home"), "{passage}");

    // Text views name the message; `-l` names the file once, what opens.
    let (_, stdout, _) = outcome(
        quarry()
            .args(["query", "--index"])
            .arg(&index)
            .arg("harbour OR ferry OR dock"),
    );
    assert!(stdout.contains("inbox.mbox#1:"), "{stdout}");
    assert!(stdout.contains("inbox.mbox#2:"), "{stdout}");
    let (_, stdout, _) = outcome(
        quarry()
            .args(["query", "-l", "--index"])
            .arg(&index)
            .arg("harbour OR ferry OR dock"),
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_mailbox_is_updated_as_one_file() {
    let (dir, index) = folder_with(&[("inbox.mbox", mailbox().as_bytes())]);
    let root = dir.path().to_str().unwrap();
    let (code, stdout, _) = index_run(&index, &[root]);
    assert_eq!(code, 0);
    assert_eq!(listed(&index).len(), 4, "{stdout}");
    // Counted as articles, not files, wherever an index is described.
    let described = stats(&index);
    assert_eq!(described["articles"], 4);
    assert_eq!(described["roots"][0]["articles"], 4);
    let (_, stdout, _) = index_run(&index, &[root]);
    assert!(stdout.contains("1 unchanged"), "{stdout}");
    // A message appended (after the blank line that ends each message): the file is read again, and its articles keep their ids.
    let appended = format!(
        "{}\nFrom cy@example.org Thu Mar  7 10:00:00 2024\nFrom: cy@example.org\n\
         Subject: Lighthouse repainted\n\nThe lighthouse was repainted red and white.\n",
        mailbox()
    );
    fs::write(dir.path().join("inbox.mbox"), appended).unwrap();
    let (code, stdout, stderr) = index_run(&index, &[root]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 updated"), "{stdout}");
    assert_eq!(
        listed_field(&index, "article"),
        [
            "inbox#1",
            "inbox#2",
            "inbox#3",
            "inbox#3/tonnage.pdf",
            "inbox#4"
        ]
    );
    let (code, _) = query_json(&index, &["lighthouse"]);
    assert_eq!(code, 0);
    // Gone from disk: every article of it goes.
    fs::remove_file(dir.path().join("inbox.mbox")).unwrap();
    let (_, stdout, _) = index_run(&index, &[root]);
    assert!(stdout.contains("1 removed"), "{stdout}");
    assert!(listed(&index).is_empty());
}

const SENT: &str = "From - Tue Mar  5 10:00:00 2024\nFrom: me@example.org\n\
    Subject: Minutes of the harbour meeting\n\nThe harbour board met on Tuesday.\n\n";

#[test]
fn bad_messages_and_attachments_are_reported_and_the_rest_indexed() {
    // The second message is larger than --max-file-size, which a mailbox applies to each
    // message; the third's attachment is a locked PDF; and a `.mbox` that is not one.
    let locked = Pdf {
        pages: vec![Page::Text(column(72.0, 700.0, &["Secret figures."]))],
        info: None,
        encrypted: true,
    }
    .bytes();
    let big = format!(
        "From big@example.org Tue Mar  5 06:00:00 2024\nFrom: big@example.org\n\
         Subject: Big\n\n{}\n\n",
        "All work and no play. ".repeat(200)
    );
    let mailbox = format!(
        "From ann@example.org Mon Mar  4 07:30:00 2024\nFrom: ann@example.org\n\
         Subject: Small\n\nThe ferry leaves at seven.\n\n{big}{}",
        with_attachment(
            "From office@port.example.org Wed Mar  6 09:15:00 2024\nFrom: office@port.example.org\n\
             Subject: Locked\n",
            "The locked figures are attached.",
            "secret.pdf",
            &locked,
        )
    );
    let (dir, index) = folder_with(&[
        ("inbox.mbox", mailbox.as_bytes()),
        ("notes.mbox", b"Just some notes,\nnot a mailbox.\n"),
        // No extension: read when it starts as a mailbox does (Thunderbird's), else left out.
        ("Sent", SENT.as_bytes()),
        ("README", b"From the start, this folder held mail.\n"),
    ]);
    let (code, stdout, stderr) = index_run(
        &index,
        &["--max-file-size", "2K", dir.path().to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_reported(
        &stderr,
        &[
            ("inbox.mbox#2", "larger than --max-file-size"),
            ("inbox.mbox#3", "attachment secret.pdf: encrypted PDF"),
            ("notes.mbox", "not a mailbox"),
        ],
    );
    assert_eq!(
        listed_field(&index, "article"),
        ["Sent#1", "inbox#1", "inbox#3"]
    );
    assert!(
        stdout.contains("(1 unsupported type, 1 unreadable)"),
        "{stdout}"
    );
}

#[test]
fn an_e_mail_attachment_is_an_article_under_its_message() {
    let message = with_attachment(
        "From: Port Office <office@port.example.org>\nSubject: Tonnage figures\n\
         Date: Wed, 6 Mar 2024 09:15:00 +0100\n",
        "The figures for the quarter are attached.",
        "../../etc/tonnage\u{7}.pdf",
        &report(),
    );
    let (dir, index) = folder_with(&[("figures.eml", message.as_bytes())]);
    let (code, stdout, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, record) = query_json(&index, &["gantry"]);
    assert_eq!(code, 0);
    // The attachment's name is a file name, not a path, and holds no control character.
    assert_eq!(hits(&record)[0]["article"], "figures#tonnage.pdf");
    // `quarry inspect` shows the message, then the attachment, one JSON object each.
    let (code, stdout, _) = outcome(
        quarry()
            .args(["inspect", "--format", "json"])
            .arg(dir.path().join("figures.eml")),
    );
    assert_eq!(code, 0);
    let parts: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["part"].clone())
        .collect();
    assert_eq!(parts, [Value::Null, Value::from("tonnage.pdf")]);
}

#[test]
fn inspect_reads_a_mailbox_message_by_message() {
    let (dir, _) = folder_with(&[("inbox.mbox", mailbox().as_bytes())]);
    let (code, stdout, stderr) = outcome(
        quarry()
            .args(["inspect", "--format", "json"])
            .arg(dir.path().join("inbox.mbox")),
    );
    assert_eq!(code, 0, "{stderr}");
    let articles: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["article"].to_string())
        .collect();
    assert_eq!(
        articles,
        [
            "\"inbox#1\"",
            "\"inbox#2\"",
            "\"inbox#3\"",
            "\"inbox#3/tonnage.pdf\""
        ]
    );
}
