//! PDF files, written by the test (`tests/shared/pdfs.rs`): located by page and line, running
//! headers and page numbers left out, words hyphenated at a line end found whole, columns read
//! in order, and scans, locked and damaged files reported.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::pdfs::{Page, Pdf, column};
use crate::support::{
    assert_reported, index_run, inspect, outcome, passage_text, quarry, query_json,
};

/// Three pages under a running header and over a page number; the second sentence runs from
/// the first page to the second, and "container" is hyphenated at a line end.
fn report() -> Vec<u8> {
    let page = |lines: &[&'static str], number: &'static str| {
        let mut placed = vec![(72.0, 750.0, "Harbour Gazette - Port Report")];
        placed.extend(column(72.0, 700.0, lines));
        placed.push((300.0, 40.0, number));
        Page::Text(placed)
    };
    Pdf {
        pages: vec![
            page(
                &[
                    "Dock Strike Ends After Ten Days",
                    "",
                    "Dock workers voted on Monday to end a strike that had stranded",
                    "hundreds of contain-",
                    "er ships outside the port. The union said wages would rise",
                ],
                "1",
            ),
            page(
                &[
                    "four percent this year and again next year, and the cranes",
                    "started again within the hour.",
                    "",
                    "Shipping lines said it would take weeks to clear the backlog.",
                ],
                "2",
            ),
            page(
                &["Farmers near the estuary reported a good barley harvest."],
                "3",
            ),
        ],
        info: Some(("Microsoft Word - draft3.doc", "Ann Writer")),
        encrypted: false,
    }
    .bytes()
}

fn folder_with(files: &[(&str, Vec<u8>)]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let index = dir.path().join("index");
    (dir, index)
}

fn indexed(dir: &Path, index: &Path) {
    let (code, stdout, stderr) = index_run(index, &[dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn passages_are_located_by_page_and_line_without_running_headers() {
    let (dir, index) = folder_with(&[("report.pdf", report())]);
    indexed(dir.path(), &index);
    // The article is one passage, from the line after the title on page 1 to page 3; a
    // snippet is located on its own page, the header of each page counted as a reader counts.
    let (code, record) = query_json(&index, &["barley"]);
    assert_eq!(code, 0);
    let hit = &record["hits"][0];
    let place = |value: &serde_json::Value| {
        (
            value["page"].as_u64(),
            value["lines"][0].as_u64(),
            value.get("last_page").and_then(|page| page.as_u64()),
        )
    };
    assert_eq!(place(hit), (Some(1), Some(3), Some(3)), "{hit}");
    assert_eq!(place(&hit["snippet"]), (Some(3), Some(2), None), "{hit}");
    let pipe = quarry()
        .args([
            "query",
            "--index",
            index.to_str().unwrap(),
            "--no-heading",
            "cranes",
        ])
        .output()
        .unwrap();
    let pipe = String::from_utf8(pipe.stdout).unwrap();
    assert!(pipe.contains("report.pdf:p2:2: "), "{pipe}");
    // The sentence across the page break is read whole.
    let (_, record) = query_json(&index, &["stranded"]);
    let text = record["hits"][0]["passage"].as_str().unwrap();
    assert!(text.contains("would rise four percent"), "{text}");
    assert!(text.contains("hundreds of container ships"), "{text}");
    for furniture in ["gazette", "\"port report\""] {
        let (code, record) = query_json(&index, &[furniture]);
        assert_eq!(code, 1, "{furniture}: {record}");
    }
    let article = inspect(&dir.path().join("report.pdf"));
    assert_eq!(
        article["title"], "Dock Strike Ends After Ten Days",
        "{article}"
    );
    assert_eq!(article["author"], "Ann Writer");
    assert!(article["date"].is_null());
    let text = passage_text(&article);
    assert!(
        !text.contains("Gazette") && !text.contains("\n2\n"),
        "{text}"
    );
}

#[test]
fn two_columns_are_read_one_after_the_other() {
    let left = [
        "The river rose through the",
        "night and by morning the",
        "lower town was under water.",
    ];
    let right = [
        "Volunteers filled sandbags",
        "at the school until the",
        "army arrived at noon.",
    ];
    let mut placed = column(72.0, 700.0, &left);
    placed.extend(column(330.0, 700.0, &right));
    let pdf = Pdf {
        pages: vec![Page::Text(placed)],
        ..Pdf::default()
    }
    .bytes();
    let (dir, _) = folder_with(&[("columns.pdf", pdf)]);
    let text = passage_text(&inspect(&dir.path().join("columns.pdf")));
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    assert!(
        joined.contains("lower town was under water. Volunteers filled sandbags at the school"),
        "{joined}"
    );
}

#[test]
fn scans_locked_and_damaged_pdfs_are_reported_and_the_rest_indexed() {
    let scan = Pdf {
        pages: vec![Page::Image, Page::Image],
        ..Pdf::default()
    }
    .bytes();
    let locked = Pdf {
        pages: vec![Page::Text(column(72.0, 700.0, &["Secret minutes."]))],
        encrypted: true,
        ..Pdf::default()
    }
    .bytes();
    let mut truncated = report();
    truncated.truncate(truncated.len() / 3);
    let (dir, index) = folder_with(&[
        ("report.pdf", report()),
        ("scan.pdf", scan),
        ("locked.pdf", locked),
        ("truncated.pdf", truncated),
        ("fake.pdf", b"<html>not a pdf</html>".to_vec()),
    ]);
    let (code, stdout, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("1 added"), "{stdout}");
    assert!(stdout.contains("4 skipped (4 unreadable)"), "{stdout}");
    assert_reported(
        &stderr,
        &[
            ("scan.pdf", "no text layer (scanned?)"),
            ("locked.pdf", "encrypted PDF"),
            ("truncated.pdf", "damaged PDF"),
            ("fake.pdf", "not a PDF"),
        ],
    );
    // Named alone, a file that can't be read is an error with its reason.
    let (code, _, stderr) = outcome(
        quarry()
            .args(["index", "--index"])
            .arg(dir.path().join("other-index"))
            .arg(dir.path().join("scan.pdf")),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no text layer (scanned?)"), "{stderr}");
}
