//! Bad input on both sides: files that are empty, binary, huge, unreadable or oddly named, and
//! queries and options that make no sense. Each problem is reported; nothing panics.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{corpus_index, outcome, quarry, query_json};

fn index(index: &Path, folder: &Path, extra: &[&str]) -> (i32, String, String) {
    outcome(
        quarry()
            .args(["index", "--index"])
            .arg(index)
            .args(extra)
            .arg(folder),
    )
}

#[test]
fn every_bad_file_is_reported_and_the_rest_indexed() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(docs.join(name), bytes).unwrap();
    write("good.txt", b"Good\n\nA good article about saffron.");
    write("empty.txt", b"");
    write("blank.md", b"\n \n\t\n");
    write("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    write(
        "mid-invalid.txt",
        b"Mixed\n\nSaffron good text \xff\xfe\xfd then more saffron text.",
    );
    write(
        "latin1.txt",
        b"Caf\xe9\n\nThe caf\xe9 sells saffron na\xefvely.",
    );
    write("too-big.txt", "Big\n\nsaffron ".repeat(1000).as_bytes());
    // Deep nesting and a symbolic link loop.
    let deep = (0..40).fold(docs.clone(), |path, i| path.join(format!("level{i}")));
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("deep.txt"), "Deep\n\nSaffron at the bottom.").unwrap();
    std::os::unix::fs::symlink(&docs, docs.join("loop")).unwrap();
    // A file name that is not UTF-8.
    let odd_name =
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9-name.txt");
    fs::write(docs.join(odd_name), "Odd\n\nSaffron under an odd name.").unwrap();
    // An unreadable file: see `safety::an_unreadable_file_is_reported_and_the_rest_indexed`.

    let idx = dir.path().join("idx");
    let (code, out, err) = index(&idx, &docs, &["--max-file-size", "4K"]);
    assert_eq!(code, 0, "{err}");
    for (name, reason) in [
        ("empty.txt", "no text to index"),
        ("blank.md", "no text to index"),
        ("binary.txt", "binary data"),
    ] {
        assert!(err.contains(&format!("{name}: {reason}")), "{name}: {err}");
    }
    assert!(
        err.contains("too-big.txt: 13000 bytes, larger than --max-file-size"),
        "{err}"
    );
    assert!(out.starts_with("5 added, "), "{out}");
    assert!(
        out.contains("skipped (2 no text, 1 link not followed, 1 too large, 1 binary); "),
        "{out}"
    );
    let (_, record) = query_json(&idx, &["--limit", "50", "saffron"]);
    let mut articles: Vec<String> = record["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["article"].as_str().unwrap().to_string())
        .collect();
    articles.sort();
    articles.dedup();
    assert!(articles.contains(&"good".to_string()));
    assert!(articles.contains(&"mid-invalid".to_string()));
    assert!(articles.contains(&"latin1".to_string()));
    assert!(articles.iter().any(|a| a.ends_with("level39/deep")));
    assert!(
        articles.contains(&r"caf\xe9-name".to_string()),
        "{articles:?}"
    );
}

#[test]
fn nuls_late_in_a_text_are_dropped_and_early_or_many_make_it_binary() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    // As in a saved news page: junk NULs far into the file, the text going on after them.
    let mut page = "Trial\n\n".to_string().into_bytes();
    page.extend(
        "The trial in Cochabamba went on for a week.\n\n"
            .repeat(200)
            .bytes(),
    );
    page.extend([0; 11]);
    page.extend(b"Closing saffron arguments came last.\n");
    assert!(page.len() > 8000);
    fs::write(docs.join("page.txt"), &page).unwrap();
    // UTF-16 without a byte-order mark: a NUL in every other byte.
    let utf16: Vec<u8> = "Saffron\n\nSaffron in UTF-16.\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(docs.join("utf16.txt"), utf16).unwrap();
    let idx = dir.path().join("idx");
    let (code, out, err) = index(&idx, &docs, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("1 added, "), "{out}");
    assert!(out.contains(" 1 skipped (1 binary)"), "{out}");
    assert!(err.contains("utf16.txt: binary data, not text"), "{err}");
    let (_, record) = query_json(&idx, &["saffron"]);
    let passage = record["hits"][0]["passage"].as_str().unwrap();
    assert!(
        passage.ends_with("went on for a week.\nClosing saffron arguments came last."),
        "{passage:?}"
    );
}

#[test]
fn a_ten_megabyte_line_is_indexed_in_passages() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let line = "many words without an end ".repeat(400_000) + "finale";
    assert!(line.len() > 10_000_000);
    fs::write(docs.join("line.txt"), &line).unwrap();
    let idx = dir.path().join("idx");
    let (code, out, err) = index(&idx, &docs, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("1 added"), "{out}");
    let (_, record) = query_json(&idx, &["finale"]);
    let passage = record["hits"][0]["passage"].as_str().unwrap();
    assert!(passage.len() < 2000, "passages stay small");
    assert_eq!(record["hits"][0]["lines"], serde_json::json!([1, 1]));
}

#[test]
fn ten_thousand_tiny_files() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    for i in 0..10_000 {
        fs::write(
            docs.join(format!("{i}.txt")),
            format!("Note {i}\n\nItem {i} of the ledger."),
        )
        .unwrap();
    }
    let idx = dir.path().join("idx");
    let (code, out, err) = index(&idx, &docs, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("10000 added, "), "{out}");
    let (_, record) = query_json(&idx, &["--per-article", "1", "--limit", "3", "ledger"]);
    assert_eq!(record["hits"].as_array().unwrap().len(), 3);
}

#[test]
fn nothing_indexable_is_an_error() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("empty.txt"), "").unwrap();
    let (code, _, err) = index(&dir.path().join("idx"), &docs, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("empty.txt: no text to index"), "{err}");
    assert!(
        err.ends_with("quarry: error: no article could be indexed (1 article file failed)\n"),
        "{err}"
    );
}

/// `quarry query ARGS iran` on the corpus.
fn query_iran(args: &[&str]) -> std::process::Output {
    quarry()
        .args(["query", "--index"])
        .arg(corpus_index())
        .args(args)
        .arg("iran")
        .output()
        .unwrap()
}

#[test]
fn odd_queries_give_results_or_clear_errors() {
    let huge = vec!["oil"; 10_000].join(" ");
    let words: String = (0..10_000).map(|i| format!("w{i} ")).collect();
    for query in [
        "",
        " ",
        "the of and",
        "***",
        "\"\"",
        "title:",
        "+-",
        &huge,
        &words,
    ] {
        let output = quarry()
            .args(["query", "--format", "json", "--index"])
            .arg(corpus_index())
            .arg(query)
            .output()
            .unwrap();
        let code = output.status.code().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            code == 0 || code == 1,
            "{:.40}: exit {code}: {stderr}",
            query
        );
        let _: Value = serde_json::from_slice(&output.stdout).unwrap();
    }
    for args in [
        &["--limit", "0"][..],
        &["--limit", "-1"],
        &["--limit", "lots"],
        &["--offset", "-5"],
        &["--since", "2020-02-30"],
        &["--until", "yesterday"],
        &["--threads", "0"],
        &["--per-article", "0"],
        &["--sort", "random"],
    ] {
        let output = query_iran(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
    for args in [
        &["--limit", "18446744073709551615"][..],
        &["--offset", "18446744073709551615"],
        &["--since", "0001-01-01", "--until", "9999-12-31"],
    ] {
        let output = query_iran(args);
        let code = output.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn terminal_escapes_in_articles_are_never_printed_raw() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(
        docs.join("evil.txt"),
        "Evil \x1b]0;owned\x07 Title\n\nThe \x1b[2J\x1b[31mmalicious\x1b[0m text rings \x07 bells.",
    )
    .unwrap();
    let idx = dir.path().join("idx");
    index(&idx, &docs, &[]);
    let text = quarry()
        .args(["query", "--color", "always", "--index"])
        .arg(&idx)
        .arg("bells")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let without_our_colours = text.replace("\x1b[0m", "").replace("\x1b[1;31m", "");
    let without_our_colours = without_our_colours
        .replace("\x1b[35m", "")
        .replace("\x1b[32m", "");
    let without_our_colours = without_our_colours.replace("\x1b[1m", "");
    assert!(!without_our_colours.contains('\x1b'), "{text:?}");
    assert!(!text.contains('\x07'), "{text:?}");
    assert!(text.contains("\\u{1b}[2J"), "{text:?}");
    let json = quarry()
        .args(["query", "-f", "json", "--index"])
        .arg(&idx)
        .arg("bells")
        .output()
        .unwrap();
    let raw = String::from_utf8(json.stdout).unwrap();
    assert!(!raw.contains('\x1b') && raw.contains("\\u001b"), "{raw:?}");
    let inspect = quarry()
        .arg("inspect")
        .arg(docs.join("evil.txt"))
        .output()
        .unwrap();
    assert!(!String::from_utf8(inspect.stdout).unwrap().contains('\x1b'));
}
