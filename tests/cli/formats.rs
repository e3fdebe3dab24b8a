//! Office documents, e-books and e-mail, written by the test as their applications would: Word
//! (`.docx`), OpenDocument (`.odt`), EPUB and `.eml`, indexed and searched like any article, and the
//! broken and hostile ones reported.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::support::{assert_reported, index_run, inspect, query_json};

/// A zip of text `parts`.
fn zipped(parts: &[(&str, String)]) -> Vec<u8> {
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(name, text)| (*name, text.as_bytes()))
        .collect();
    crate::zipped::zipped(&parts)
}

const STORY: [&str; 3] = [
    "ROTTERDAM — Dock workers voted on Monday to end a ten-day strike that had stranded \
     hundreds of container ships outside Europe's largest port.",
    "The union said wages would rise four percent this year and again next year.",
    "Shipping lines said it would take weeks to clear the backlog of cranes and berths.",
];

fn docx() -> Vec<u8> {
    let paragraphs: String = STORY
        .iter()
        .map(|text| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"))
        .collect();
    zipped(&[
        (
            "word/document.xml",
            format!(
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/\
                 2006/main\"><w:body>{paragraphs}</w:body></w:document>"
            ),
        ),
        (
            "docProps/core.xml",
            "<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <dc:title>Port Strike Ends</dc:title><dc:creator>Ann Writer</dc:creator>\
             </cp:coreProperties>"
                .into(),
        ),
    ])
}

fn odt() -> Vec<u8> {
    let paragraphs: String = STORY
        .iter()
        .map(|text| format!("<text:p>{}</text:p>", text.replace("Dock", "Harbour")))
        .collect();
    zipped(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        (
            "content.xml",
            format!(
                "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body>\
                 <office:text>{paragraphs}</office:text></office:body></office:document-content>"
            ),
        ),
        (
            "meta.xml",
            "<office:document-meta xmlns:office=\"o\" xmlns:dc=\"http://purl.org/dc/elements/\
             1.1/\"><office:meta><dc:title>Harbour Strike Ends</dc:title></office:meta>\
             </office:document-meta>"
                .into(),
        ),
    ])
}

fn epub() -> Vec<u8> {
    let chapter = |text: &str| {
        format!(
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><section><p>{text}</p>\
             </section></body></html>"
        )
    };
    zipped(&[
        ("mimetype", "application/epub+zip".into()),
        (
            "META-INF/container.xml",
            "<container><rootfiles><rootfile full-path=\"book/content.opf\"/></rootfiles>\
             </container>"
                .into(),
        ),
        (
            "book/content.opf",
            "<package><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <dc:title>The Harbour Year</dc:title><dc:creator>Ann Writer</dc:creator>\
             <dc:publisher>Tide Press</dc:publisher><dc:date>2019-05-02</dc:date></metadata>\
             <manifest><item id=\"a\" href=\"a.xhtml\"/><item id=\"b\" href=\"b.xhtml\"/>\
             </manifest><spine><itemref idref=\"a\"/><itemref idref=\"b\"/></spine></package>"
                .into(),
        ),
        ("book/a.xhtml", chapter(STORY[0])),
        (
            "book/b.xhtml",
            chapter("By June the cranes of the harbour stood still again."),
        ),
    ])
}

fn eml() -> String {
    format!(
        "From: Harbour Weekly <news@harbour.example.org>\r\nSubject: Strike over at the \
         port\r\nDate: Mon, 4 Mar 2024 07:30:00 +0100\r\nContent-Type: text/plain; \
         charset=utf-8\r\n\r\n{}\r\n\r\n{}\r\n-- \r\nUnsubscribe: strike@example.org\r\n",
        STORY[0], STORY[1]
    )
}

fn folder() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("weekly.eml"), eml()).unwrap();
    fs::write(dir.path().join("strike.docx"), docx()).unwrap();
    fs::write(dir.path().join("harbour.odt"), odt()).unwrap();
    fs::write(dir.path().join("year.epub"), epub()).unwrap();
    dir
}

#[test]
fn office_documents_and_books_are_indexed_and_found() {
    let dir = folder();
    let index = dir.path().join("index");
    let (code, stdout, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("4 added"), "{stdout}");
    // The files tell one story: each is shown.
    let (_, record) = query_json(
        &index,
        &["--copies", "show", "--per-article", "1", "strike"],
    );
    let mut found: Vec<&str> = record["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        ["harbour.odt", "strike.docx", "weekly.eml", "year.epub"]
    );
    // A signature is not the message's text.
    let (code, _) = query_json(&index, &["unsubscribe"]);
    assert_eq!(code, 1);
}

#[test]
fn each_format_gives_its_metadata() {
    let dir = folder();
    let docx = inspect(&dir.path().join("strike.docx"));
    assert_eq!(docx["title"], "Port Strike Ends");
    assert_eq!(docx["author"], "Ann Writer");
    assert!(docx["date"].is_null(), "a file date is no publication date");
    let odt = inspect(&dir.path().join("harbour.odt"));
    assert_eq!(odt["title"], "Harbour Strike Ends");
    let epub = inspect(&dir.path().join("year.epub"));
    assert_eq!(epub["title"], "The Harbour Year");
    assert_eq!(epub["source"], "Tide Press");
    assert_eq!(epub["date"], "2019-05-02");
    assert_eq!(epub["date_origin"], "package");
    let eml = inspect(&dir.path().join("weekly.eml"));
    assert_eq!(eml["title"], "Strike over at the port");
    assert_eq!(eml["author"], "Harbour Weekly");
    assert_eq!(eml["source"], "harbour.example.org");
    assert_eq!(eml["date"], "2024-03-04");
    assert_eq!(eml["date_origin"], "mail");
}

#[test]
fn broken_and_hostile_packages_are_reported_and_the_rest_indexed() {
    let dir = folder();
    let write = |name: &str, bytes: &[u8]| fs::write(dir.path().join(name), bytes).unwrap();
    write("truncated.docx", &docx()[..200]);
    write("not-a-book.epub", b"plain text with an epub name");
    // A part that inflates to over 64 MiB from a few hundred kilobytes.
    let bomb = zipped(&[("word/document.xml", "a".repeat(65 << 20))]);
    assert!(bomb.len() < 1 << 20);
    write("bomb.docx", &bomb);
    write("empty.odt", &zipped(&[("meta.xml", "<m/>".into())]));
    let index = dir.path().join("index");
    let (code, stdout, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("4 added"), "{stdout}");
    assert!(stdout.contains("4 skipped (4 unreadable)"), "{stdout}");
    assert_reported(
        &stderr,
        &[
            ("truncated.docx", "zip structure is broken"),
            ("not-a-book.epub", "not an EPUB book"),
            ("bomb.docx", "zip bomb"),
            ("empty.odt", "has no content.xml"),
        ],
    );
    assert!(Path::new(&index).exists());
}
