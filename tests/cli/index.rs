use std::fs;

use tempfile::TempDir;

use crate::support::{corpus, hits, quarry, query_json};

/// `quarry index --index INDEX PATH`, which must succeed.
fn index_ok(
    index: impl AsRef<std::path::Path>,
    path: impl AsRef<std::path::Path>,
) -> assert_cmd::assert::Assert {
    quarry()
        .args(["index", "--index"])
        .arg(index.as_ref())
        .arg(path.as_ref())
        .assert()
        .success()
}

fn stdout_of(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn indexing_the_corpus_counts_five_articles() {
    let dir = TempDir::new().unwrap();
    let assert = index_ok(dir.path(), corpus());
    let summary = stdout_of(assert);
    assert!(
        summary.starts_with("5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; 30 passages"),
        "{summary}"
    );
    assert_eq!(summary.lines().count(), 1, "{summary}");
}

#[test]
fn indexing_again_replaces_instead_of_duplicating() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    let count = || {
        let (_, record) = query_json(&index, &["--limit", "1000", "Soleimani"]);
        hits(&record).len()
    };
    for _ in 0..2 {
        index_ok(&index, corpus());
    }
    let twice = count();
    let fresh = TempDir::new().unwrap();
    let index = fresh.path().join("idx");
    index_ok(&index, corpus());
    assert_eq!(twice, count());
}

#[test]
fn a_removed_file_leaves_the_index_when_its_folder_is_indexed_again() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(
        docs.join("a.txt"),
        "Title A\n\nZanzibar cloves are exported.\n",
    )
    .unwrap();
    fs::write(
        docs.join("b.txt"),
        "Title B\n\nZanzibar spices are famous.\n",
    )
    .unwrap();
    let index = dir.path().join("idx");
    index_ok(&index, &docs);
    assert_eq!(hits(&query_json(&index, &["zanzibar"]).1).len(), 2);
    fs::remove_file(docs.join("b.txt")).unwrap();
    index_ok(&index, &docs);
    let (_, record) = query_json(&index, &["zanzibar"]);
    assert_eq!(hits(&record).len(), 1);
    assert_eq!(hits(&record)[0]["article"], "a");
}

#[test]
fn other_files_are_skipped_and_bad_ones_reported() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("nested/deeper")).unwrap();
    fs::write(
        docs.join("nested/deeper/good.md"),
        "Good\n\nA fine article on cloves.\n",
    )
    .unwrap();
    fs::write(docs.join("photo.jpg"), [0xFF, 0xD8, 0xFF]).unwrap();
    fs::write(docs.join("binary.txt"), b"\x00\x01\x02garbage\x00").unwrap();
    fs::write(docs.join("empty.txt"), "").unwrap();
    fs::write(docs.join(".hidden.txt"), "Hidden cloves\n").unwrap();
    let index = dir.path().join("idx");
    let assert = index_ok(&index, &docs);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("binary.txt: binary data"), "{stderr}");
    assert!(stderr.contains("empty.txt: no text"), "{stderr}");
    let summary = stdout_of(assert);
    assert!(summary.starts_with("1 added, "), "{summary}");
    assert!(
        summary.contains(
            ", 4 skipped (1 unsupported type, 1 hidden, 1 binary, 1 no text); 1 passage written"
        ),
        "{summary}"
    );
    let (_, record) = query_json(&index, &["cloves"]);
    assert_eq!(hits(&record).len(), 1);
    assert_eq!(hits(&record)[0]["article"], "nested/deeper/good");
}

#[test]
fn the_index_folder_inside_the_indexed_folder_is_not_indexed() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("a.txt"), "Alpha\n\nNutmeg and mace.\n").unwrap();
    let index = dir.path().join("index-here");
    for expected in [
        "1 added, 0 updated",
        "0 added, 0 updated, 0 removed, 1 unchanged",
    ] {
        let assert = index_ok(&index, dir.path());
        let summary = stdout_of(assert);
        assert!(summary.starts_with(expected), "{summary}");
        assert!(summary.contains(", 0 skipped;"), "{summary}");
    }
}

#[test]
fn the_index_location_comes_from_the_environment() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("from-env");
    quarry()
        .env("QUARRY_INDEX", &index)
        .arg("index")
        .arg(corpus())
        .assert()
        .success();
    assert!(index.join("generation-1/meta.json").is_file());
    quarry()
        .env("QUARRY_INDEX", &index)
        .args(["query", "Soleimani"])
        .assert()
        .success();
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = TempDir::new().unwrap();
    let assert = quarry()
        .args(["index", "--index"])
        .arg(dir.path().join("idx"))
        .arg(dir.path().join("no-such-folder"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("no-such-folder does not exist"), "{stderr}");
}

#[test]
fn a_folder_holding_other_things_is_not_turned_into_an_index() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("precious.txt"), "mine").unwrap();
    quarry()
        .args(["index", "--index"])
        .arg(dir.path())
        .arg(corpus())
        .assert()
        .code(2);
    assert_eq!(
        fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_article_that_is_a_title_alone_is_indexed_and_found() {
    let dir = TempDir::new().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    fs::write(articles.join("one.txt"), "deep nesting works: thalassa").unwrap();
    fs::write(articles.join("two.txt"), "A Lone Headline\n\n").unwrap();
    let index = dir.path().join("index");
    index_ok(&index, &articles);
    for (word, id) in [("thalassa", "one"), ("headline", "two")] {
        let (code, record) = query_json(&index, &[word]);
        assert_eq!(code, 0, "{word}");
        assert_eq!(hits(&record)[0]["article"], id, "{word}");
    }
}

#[test]
fn warnings_are_counted_in_the_summary() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("a.txt"), "Alpha\n\nNutmeg and mace.\n").unwrap();
    let index = dir.path().join("idx");
    let summary = stdout_of(index_ok(&index, &docs));
    assert!(!summary.contains("warning"), "{summary}");
    fs::write(docs.join("metadata.jsonl"), "{broken\n").unwrap();
    let summary = stdout_of(index_ok(&index, &docs));
    assert!(summary.contains(" skipped, 1 warning; "), "{summary}");
    fs::write(docs.join("metadata.jsonl"), "{broken\n[1]\n").unwrap();
    let summary = stdout_of(index_ok(&index, &docs));
    assert!(summary.contains(" skipped, 2 warnings; "), "{summary}");
}
