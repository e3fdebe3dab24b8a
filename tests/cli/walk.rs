//! What `quarry index` walks and what it leaves out: every file left out is counted by reason,
//! `.quarryignore` files and `--exclude` leave files out, `--follow-links` follows links.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use tempfile::TempDir;

use crate::support::{article, index_run, stats};

/// Writes an article at each of `names` under `root`.
fn articles(root: &Path, names: &[&str]) {
    for name in names {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, article(name, "Quinces ripen late.")).unwrap();
    }
}

/// The summary up to the passages count, which is all a test can pin (times vary).
fn counts(summary: &str) -> &str {
    summary.split("; ").next().unwrap()
}

/// The `skipped` lines of stderr, with `root` taken out of their paths.
fn skipped_lines(stderr: &str, root: &Path) -> Vec<String> {
    let root = format!("{}/", root.display());
    stderr
        .lines()
        .filter(|line| {
            line.starts_with("quarry: skipped ") || line.starts_with("quarry: warning: skipped ")
        })
        .map(|line| line.replace(&root, ""))
        .collect()
}

#[test]
fn every_file_left_out_is_counted_by_reason_and_listed_with_v() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    articles(
        &docs,
        &["good.txt", ".git/a.txt", ".git/b.txt", ".draft.md"],
    );
    fs::write(docs.join("photo.jpg"), [0xFF, 0xD8, 0xFF]).unwrap();
    fs::write(docs.join("notes.doc"), b"\xd0\xcf\x11\xe0").unwrap();
    fs::write(docs.join("binary.txt"), b"\x00\x01garbage\x00").unwrap();
    fs::write(docs.join("empty.txt"), "").unwrap();
    fs::write(
        docs.join("big.txt"),
        article("Big", &"quinces ".repeat(200)),
    )
    .unwrap();
    fs::write(docs.join("good.meta.json"), r#"{"title": "Good"}"#).unwrap();
    symlink(docs.join("good.txt"), docs.join("link.txt")).unwrap();
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    let (code, out, err) = index_run(&index, &["--max-file-size", "1K", docs_arg]);
    assert_eq!(code, 0, "{err}");
    // The sidecar is no skipped article; the hidden folder counts once.
    assert_eq!(
        counts(&out),
        "1 added, 0 updated, 0 removed, 0 unchanged, 8 skipped (2 unsupported type, \
         2 hidden, 1 link not followed, 1 too large, 1 binary, 1 no text)"
    );
    // Without -v only the problems are said.
    assert_eq!(skipped_lines(&err, &docs).len(), 3, "{err}");
    let (code, _, err) = index_run(
        &index,
        &["-v", "--rebuild", "--max-file-size", "1K", docs_arg],
    );
    assert_eq!(code, 0, "{err}");
    // Files are read in parallel: their reports come in any order. What could not be
    // indexed is a warning; what is left out as asked, a note.
    let mut listed = skipped_lines(&err, &docs);
    listed.sort();
    assert_eq!(
        listed,
        [
            "quarry: skipped .draft.md: hidden",
            "quarry: skipped .git: hidden (a folder, not walked)",
            "quarry: skipped link.txt: symbolic link, not followed (see --follow-links)",
            "quarry: skipped notes.doc: not a type of file quarry reads",
            "quarry: skipped photo.jpg: not a type of file quarry reads",
            "quarry: warning: skipped big.txt: 1606 bytes, larger than --max-file-size (1024 bytes); \
             not indexed",
            "quarry: warning: skipped binary.txt: binary data, not text",
            "quarry: warning: skipped empty.txt: no text to index",
        ]
    );
}

#[test]
fn a_quarryignore_leaves_out_its_folder_and_below_and_later_ones_remove() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    articles(&docs, &["a.txt", "drafts/b.txt", "sub/c.txt", "sub/d.txt"]);
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(out.starts_with("4 added"), "{out}");
    fs::write(docs.join(".quarryignore"), "drafts/\n").unwrap();
    fs::write(docs.join("sub/.quarryignore"), "d.txt\n").unwrap();
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "0 added, 0 updated, 2 removed, 2 unchanged, 2 skipped (2 ignored)"
    );
    assert_eq!(stats(&index)["articles"], 2);
    // A file named on its own is indexed whatever the rules above it say.
    let d = docs.join("sub/d.txt");
    let (code, out, err) = index_run(&index, &[docs_arg, d.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 2 unchanged"),
        "{out}"
    );
}

#[test]
fn excluded_globs_are_remembered_until_forgotten() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    articles(&docs, &["a.txt", "b.draft.txt", "old/c.txt"]);
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    let (code, out, err) = index_run(
        &index,
        &["--exclude", "*.draft.txt", "--exclude", "/old", docs_arg],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 0 unchanged, 2 skipped (2 ignored)"),
        "{out}"
    );
    // Updating every root excludes the same.
    let (_, out, _) = index_run(&index, &["-v"]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 1 unchanged, 2 skipped"),
        "{out}"
    );
    // Other globs replace them: what they exclude now leaves the index.
    let (_, out, _) = index_run(&index, &["--exclude", "a.txt"]);
    assert!(
        out.starts_with("2 added, 0 updated, 1 removed, 0 unchanged, 1 skipped"),
        "{out}"
    );
    let (_, out, _) = index_run(&index, &["--no-exclude"]);
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 2 unchanged, 0 skipped"),
        "{out}"
    );
    let (code, _, err) = index_run(&index, &["--exclude", "a{b"]);
    assert_eq!(code, 2);
    assert!(err.contains("--exclude a{b is not a glob"), "{err}");
}

#[test]
fn followed_links_end_at_loops_and_index_each_file_once() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    let elsewhere = dir.path().join("elsewhere");
    articles(&docs, &["a.txt"]);
    articles(&elsewhere, &["e.txt"]);
    symlink(&elsewhere, docs.join("linked")).unwrap();
    symlink(&elsewhere, docs.join("linked-again")).unwrap();
    symlink(&docs, docs.join("loop")).unwrap();
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(
        out.starts_with(
            "1 added, 0 updated, 0 removed, 0 unchanged, 3 skipped (3 links not followed)"
        ),
        "{out}"
    );
    let (code, out, err) = index_run(&index, &["-v", "--follow-links", docs_arg]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "1 added, 0 updated, 0 removed, 1 unchanged, 2 skipped (1 link loop, 1 seen through another link)"
    );
    assert_eq!(
        skipped_lines(&err, &docs),
        [
            "quarry: skipped linked-again/e.txt: the same file as linked/e.txt, indexed once",
            &format!(
                "quarry: skipped loop: link to {}, a folder it is in; not walked again",
                docs.display()
            ),
        ]
    );
    // Remembered: updating every root follows them still, and keeps what they lead to.
    let (_, out, _) = index_run(&index, &[]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{out}"
    );
    let (_, out, _) = index_run(&index, &["--no-follow-links"]);
    assert!(
        out.starts_with("0 added, 0 updated, 1 removed, 1 unchanged"),
        "{out}"
    );
}

/// The ids `quarry list` gives of the articles in `index`.
fn listed(index: &Path) -> Vec<String> {
    let output = crate::support::quarry()
        .args(["list", "--format", "jsonl", "--index"])
        .arg(index)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let article: serde_json::Value = serde_json::from_str(line).unwrap();
            article["article"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn a_saved_pages_folder_is_left_out_and_what_it_held_removed() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    let page = |title: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><p>Quinces ripen late in the \
             orchard, and {title} says so.</p></body></html>"
        )
    };
    fs::create_dir_all(docs.join("story_files")).unwrap();
    fs::create_dir_all(docs.join("other_files")).unwrap();
    fs::write(docs.join("story_files/ad.html"), page("Buy quinces")).unwrap();
    fs::write(docs.join("story_files/x.js"), "var ad = 1;").unwrap();
    fs::write(docs.join("other_files/kept.html"), page("Kept")).unwrap();
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    // Without its page, `story_files` is a folder like any other: as an older quarry indexed it.
    let (code, out, err) = index_run(&index, &[docs_arg]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "2 added, 0 updated, 0 removed, 0 unchanged, 1 skipped (1 unsupported type)"
    );
    // With the page beside it, it is the page's files: not walked, and its article leaves.
    fs::write(docs.join("story.html"), page("The story")).unwrap();
    let (code, out, err) = index_run(&index, &["-v", docs_arg]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "1 added, 0 updated, 1 removed, 1 unchanged, 1 skipped (1 saved page folder)"
    );
    assert_eq!(
        skipped_lines(&err, &docs),
        ["quarry: skipped story_files: files of the saved page story.html (a folder, not walked)"]
    );
    assert_eq!(listed(&index), ["other_files/kept", "story"]);
    // Said only with -v.
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "0 added, 0 updated, 0 removed, 2 unchanged, 1 skipped (1 saved page folder)"
    );
    assert_eq!(skipped_lines(&err, &docs), Vec::<String>::new());
    // Named on the command line, it is walked.
    let story_files = docs.join("story_files");
    let (code, out, err) = index_run(&index, &[story_files.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&out),
        "1 added, 0 updated, 0 removed, 0 unchanged, 1 skipped (1 unsupported type)"
    );
    // A root of its own: its article's id is its path under it (listed in path order).
    assert_eq!(listed(&index), ["other_files/kept", "story", "ad"]);
}
