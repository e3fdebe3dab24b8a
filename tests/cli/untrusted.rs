//! Hostile input besides articles: sidecar files that are pipes, folders or partly broken.
//! Each is reported; nothing hangs or panics.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::support::{article, hits, index_run, quarry, query_json};

/// Time enough for any command here; past it, the command is taken to hang and killed.
const PATIENCE: Duration = Duration::from_secs(60);

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn a_pipe_or_a_folder_named_like_a_sidecar_is_reported_and_ignored() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    let sub = docs.join("sub");
    fs::create_dir_all(&sub).unwrap();
    fs::write(docs.join("a.txt"), article("Alpha", "Text about oil.")).unwrap();
    fs::write(sub.join("b.txt"), article("Beta", "Text about gas.")).unwrap();
    mkfifo(&docs.join("metadata.csv"));
    mkfifo(&docs.join("a.meta.json"));
    fs::create_dir(sub.join("metadata.jsonl")).unwrap();
    let index = dir.path().join("idx");
    let output = quarry()
        .args(["index", "--index"])
        .arg(&index)
        .arg(&docs)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("2 added,"), "{stdout}");
    for (file, kind) in [
        ("docs/metadata.csv", "a named pipe"),
        ("docs/a.meta.json", "a named pipe"),
        ("docs/sub/metadata.jsonl", "a folder"),
    ] {
        let said = format!("{file}: {kind}, not a regular file: not read for metadata");
        assert_eq!(stderr.matches(&said).count(), 1, "{said}\n{stderr}");
    }
}

#[test]
fn a_bad_record_in_a_table_skips_only_itself_and_is_reported_once() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let mut table = String::new();
    for n in 0..50 {
        fs::write(
            docs.join(format!("f{n}.txt")),
            article("Guess", "Text about oil."),
        )
        .unwrap();
        table.push_str(&format!(
            "{{\"path\": \"f{n}.txt\", \"title\": \"T{n}\"}}\n"
        ));
        if n == 20 {
            table.push_str("{broken\n");
        }
    }
    fs::write(docs.join("metadata.jsonl"), table).unwrap();
    let index = dir.path().join("idx");
    let (code, stdout, stderr) = index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("50 added,"), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("quarry: warning: ")
            && stderr.contains("docs/metadata.jsonl: line 22: not a JSON record")
            && stderr.trim_end().ends_with("; this record is skipped"),
        "{stderr}"
    );
    let (_, record) = query_json(&index, &["--limit", "100", "oil"]);
    let mut titles: Vec<&str> = hits(&record)
        .iter()
        .map(|hit| hit["title"].as_str().unwrap())
        .collect();
    titles.sort_unstable();
    let mut expected: Vec<String> = (0..50).map(|n| format!("T{n}")).collect();
    expected.sort_unstable();
    assert_eq!(titles, expected);
}
