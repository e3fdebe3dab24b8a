//! `quarry inspect`: what quarry understands of the corpus and of fixture articles covering
//! the patterns of messy real-world text.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::support::{corpus, inspect, passage_text, quarry, summary};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name)
}

#[test]
fn json_has_the_documented_fields() {
    let record = inspect(&corpus().join("000_ed4d33544a02b803.txt"));
    let mut keys: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let documented = [
        "article",
        "author",
        "date",
        "date_origin",
        "passages",
        "path",
        "source",
        "title",
        "warnings",
    ];
    assert_eq!(keys, documented);
    let passage = &record["passages"][0];
    assert_eq!(passage["lines"].as_array().unwrap().len(), 2);
    assert!(passage["text"].is_string());
}

#[test]
fn what_a_reader_sees_in_the_corpus() {
    let expected = [
        (
            "000_ed4d33544a02b803.txt",
            [
                "How Months of Miscalculation Led the U.S. and Iran to the Brink of War",
                "The New York Times",
                "-",
                "2020-02-15",
                "text",
            ],
        ),
        (
            "001_d1649942b54d7b17.txt",
            ["-", "The Washington Post", "David Ignatius", "-", "-"],
        ),
        (
            "002_88cb0ce0897fecc9.txt",
            ["-", "BESA Centre", "-", "-", "-"],
        ),
        (
            "003_7cd47d52cad28084.txt",
            [
                "U.S. Airstrikes Contain Twin Messages to Iran, American Officials Say",
                "The New York Times",
                "-",
                "-",
                "-",
            ],
        ),
        (
            "004_a434bbe70ba914b6.txt",
            ["-", "Foreign Affairs", "Puneet Talwar", "-", "-"],
        ),
    ];
    for (file, fields) in expected {
        let record = inspect(&corpus().join(file));
        assert_eq!(summary(&record), fields.map(String::from), "{file}");
    }
}

#[test]
fn no_passage_of_the_corpus_holds_page_furniture() {
    let furniture = [
        "Click Here",
        "Subscribe",
        "indicates required",
        "Full Name",
        "Email Address",
        "mailchimp",
        "CERTIFICATE COURSE",
        "JOIN TODAY",
        "thekootneeti.com",
        "4565994",
        "views and opinions expressed",
        "Facebook Comments",
        "Back to top",
        "Credit…",
        "© 2020",
        "originally appeared",
        "originally published",
        "—The Washington Post",
        "Off By HotelSalesCareers",
        "By Puneet Talwar",
    ];
    for entry in fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let all = passage_text(&inspect(&path));
        for bit in furniture {
            assert!(
                !all.contains(bit),
                "{}: {bit:?} is in a passage",
                path.display()
            );
        }
    }
}

#[test]
fn the_corpus_keeps_its_real_text() {
    let record = inspect(&corpus().join("002_88cb0ce0897fecc9.txt"));
    let all = passage_text(&record);
    assert!(
        all.contains("Trump didn't respond to any of them, to the chagrin"),
        "{all}"
    );
    assert!(all.ends_with("can lead to misperceptions and miscalculations."));
    let all = passage_text(&inspect(&corpus().join("001_d1649942b54d7b17.txt")));
    assert!(all.contains("if the other side doesn’t want direct conflict,” he said, according"));
    assert!(
        all.contains("David Ignatius is an American journalist"),
        "a bio is text"
    );
}

#[test]
fn a_paragraph_printed_twice_is_indexed_once() {
    let all = passage_text(&inspect(&corpus().join("004_a434bbe70ba914b6.txt")));
    for repeated in [
        "Tensions between the two sides",
        "The only remaining diplomatic option",
        "Iran does not see negotiations with the United States as a prize",
    ] {
        assert_eq!(all.matches(repeated).count(), 1, "{repeated}");
    }
    assert!(
        all.contains("Qasem Soleimani with an airstrike"),
        "glued words split"
    );
    let all = passage_text(&inspect(&fixture("repeated.txt")));
    assert_eq!(all.matches("The council voted").count(), 1, "{all}");
    assert_eq!(
        all.matches("The bridge will stay closed").count(),
        1,
        "{all}"
    );
}

#[test]
fn fixture_metadata() {
    let expected = [
        (
            "wire.txt",
            [
                "Oil Ministers Meet in Vienna",
                "Reuters",
                "Jane Doe, John Roe",
                "2021-03-03",
                "text",
            ],
        ),
        (
            "repost.txt",
            [
                "How the Pipeline Deal Fell Apart",
                "ProPublica",
                "-",
                "2022-01-04",
                "text",
            ],
        ),
        ("bio.txt", ["-", "The Guardian", "Maria Lopez", "-", "-"]),
        (
            "credits.txt",
            [
                "Harbor Reopens After Storm",
                "The Daily Planet",
                "Anna Kovacs",
                "-",
                "-",
            ],
        ),
        (
            "passing.txt",
            ["Tanker Attacks Revisited", "-", "-", "-", "-"],
        ),
        (
            "front.md",
            [
                "Saffron Prices Soar",
                "The Economist",
                "Ann Lee, Bo Chen",
                "2020-11-05",
                "front-matter",
            ],
        ),
        (
            "toml.md",
            ["Lithium Rush", "ft.com", "-", "2019-08-20", "front-matter"],
        ),
        (
            "page.html",
            [
                "Glacier Retreat Speeds Up",
                "Nature News",
                "Ola Nordmann",
                "2018-07-09",
                "html",
            ],
        ),
        (
            "sidecar/2020/memo.txt",
            [
                "Fisheries Quota Memo",
                "Ministry of Fisheries",
                "Lee, Ann",
                "2020-06-30",
                "sidecar",
            ],
        ),
    ];
    for (file, fields) in expected {
        assert_eq!(
            summary(&inspect(&fixture(file))),
            fields.map(String::from),
            "{file}"
        );
    }
}

#[test]
fn fixture_text_is_clean() {
    let furniture = [
        "Click here",
        "Share this",
        "Follow us",
        "first appeared",
        "— Reuters",
        "Credit…",
        "©",
        "By ANNA",
        "Published:",
        "Updated",
        "---",
        "**",
        "](",
        "<p>",
        "Subscribe",
        "Most read",
        "Privacy",
        "not article text",
        "color: red",
    ];
    for file in [
        "wire.txt",
        "repost.txt",
        "credits.txt",
        "front.md",
        "toml.md",
        "page.html",
    ] {
        let all = passage_text(&inspect(&fixture(file)));
        assert!(!all.is_empty(), "{file}");
        for bit in furniture {
            assert!(!all.contains(bit), "{file}: {bit:?} in {all:?}");
        }
    }
    let page = inspect(&fixture("page.html"));
    let first = &page["passages"][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .starts_with("The glacier lost more ice")
    );
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .contains("surface & drained")
    );
    assert_eq!(
        first["lines"][0], 19,
        "HTML passages carry the lines of the page"
    );
}

#[test]
fn encodings_are_detected() {
    let dir = TempDir::new().unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Caf\u{e9} Talks\n\nThe caf\u{e9}’s owner spoke.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "utf8-bom.txt",
            b"\xEF\xBB\xBFCafe Talks\n\nThe owner spoke.".to_vec(),
            "The owner",
        ),
        ("utf16.txt", utf16, "The café’s owner"),
        (
            "cp1252.txt",
            b"Caf\xe9 Talks\n\nThe caf\xe9 owner said \x93no comment\x94 to the press.".to_vec(),
            "The café owner said “no comment”",
        ),
        (
            "broken.txt",
            b"Caf\xc3\xa9 Talks\n\nA caf\xc3\xa9 with one bad \xff byte in \xc3\xa9 text.".to_vec(),
            "with one bad",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let record = inspect(&path);
        assert!(passage_text(&record).contains(expected), "{name}: {record}");
        assert!(
            record["title"].as_str().unwrap().ends_with("Talks"),
            "{name}: {record}"
        );
    }
}

#[test]
fn text_output_names_the_date_origin() {
    let output = quarry()
        .arg("inspect")
        .arg(corpus().join("000_ed4d33544a02b803.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("date:     2020-02-15 (from text)"), "{text}");
    assert!(text.contains("source:   The New York Times"), "{text}");
    assert!(text.contains("lines 5-13\n   5  WASHINGTON"), "{text}");
}

#[test]
fn inspecting_a_file_quarry_does_not_read_is_an_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("photo.jpg");
    fs::write(&path, [0xFF, 0xD8]).unwrap();
    quarry().arg("inspect").arg(&path).assert().code(2);
    quarry()
        .arg("inspect")
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2);
}

#[test]
fn what_cannot_be_read_is_said_by_inspect_and_index() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("bad.md");
    std::fs::write(
        &file,
        "---\ntitle: Broken\ndate: [oops\n---\nSome text here.\n",
    )
    .unwrap();
    let output = quarry()
        .args(["inspect", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warning = record["warnings"][0].as_str().unwrap_or_default();
    assert!(
        warning.starts_with("its front matter is not valid YAML"),
        "{record}"
    );
    let said = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        said,
        format!("quarry: warning: {}: {warning}\n", file.display())
    );
    let (code, _, err) =
        crate::support::index_run(&dir.path().join("idx"), &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        err.contains(&format!("{}: {warning}", file.display())),
        "{err}"
    );
}

#[test]
fn titles_ending_in_a_full_stop_and_wire_datelines() {
    let dir = TempDir::new().unwrap();
    let cases = [
        (
            "Talks with the U.S.\n26-FEB-1987 15:01:01.79\n\nBody.\n",
            ["Talks with the U.S.", "1987-02-26"],
            "Body.",
        ),
        (
            "DHAKA, July 18, 2024 — Protesters filled the streets.\n",
            ["-", "2024-07-18"],
            "Protesters filled the streets.",
        ),
        (
            "Curfew Lifted\nThursday, July 18, 2024\n\nBack to top buttonThe curfew ended.\n",
            ["Curfew Lifted", "2024-07-18"],
            "The curfew ended.",
        ),
    ];
    for (content, [title, date], body) in cases {
        let path = dir.path().join("x.txt");
        fs::write(&path, content).unwrap();
        let record = inspect(&path);
        let [found_title, _, _, found_date, _] = summary(&record);
        assert_eq!(
            [found_title.as_str(), &found_date],
            [title, date],
            "{content}"
        );
        assert_eq!(passage_text(&record), body, "{content}");
    }
}
