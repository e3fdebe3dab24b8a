//! Hostile input besides articles: sidecar files that are pipes, folders or partly broken,
//! batch lines and queries of any size, filters of long text, and an index damaged so that
//! searching it panics inside tantivy. Each is reported; nothing hangs or panics.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{article, corpus, hits, index_run, quarry, query_json};

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

#[test]
fn batch_lines_and_queries_longer_than_the_limit_are_refused() {
    let index = crate::support::corpus_index();
    let mut batch = b"iran\n".to_vec();
    batch.extend(std::iter::repeat_n(b'x', 4 << 20));
    batch.extend_from_slice(b"\noil\n");
    let output = quarry()
        .args(["query", "-f", "json", "--index"])
        .arg(index)
        .args(["--batch", "-"])
        .write_stdin(batch)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let records: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[1]["id"], "2");
    assert_eq!(
        records[1]["error"],
        "line 2: longer than the 64 KiB a batch line may hold"
    );
    assert!(!hits(&records[0]).is_empty() && !hits(&records[2]).is_empty());

    let output = quarry()
        .args(["query", "--index"])
        .arg(index)
        .arg("oil ".repeat(20_000))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr,
        "quarry: error: the query is 80000 bytes long: at most 64 KiB\n"
    );
}

#[test]
fn a_long_source_of_cjk_characters_is_searched() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let source: String = "新华通讯社".chars().cycle().take(190).collect();
    fs::write(docs.join("a.txt"), article("Title", "Text about oil.")).unwrap();
    fs::write(
        docs.join("a.meta.json"),
        serde_json::json!({ "source": source }).to_string(),
    )
    .unwrap();
    let index = dir.path().join("idx");
    let (code, _, stderr) = index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let wanted: String = source.chars().skip(5).take(180).collect();
    let (code, record) = query_json(&index, &["--source", &wanted, "oil"]);
    assert_eq!(code, 0, "{record}");
    assert_eq!(hits(&record).len(), 1);
    let other: String = "人民日报".repeat(45);
    let (code, record) = query_json(&index, &["--source", &other, "oil"]);
    assert_eq!((code, hits(&record).len()), (1, 0));
}

/// Copies the folder `from` to `to`, recursively.
fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Flips bits in the first half of each postings file under `index`, where they damage the
/// postings rather than the file's footer (which tantivy checks when opening it).
fn damage_postings(index: &Path, seed: u64) {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for generation in fs::read_dir(index).unwrap() {
        let generation = generation.unwrap().path();
        if generation.is_dir() {
            for file in fs::read_dir(&generation).unwrap() {
                files.push(file.unwrap().path());
            }
        }
    }
    files.retain(|file| file.extension().is_some_and(|ext| ext == "idx"));
    files.sort();
    for file in files {
        let mut bytes = fs::read(&file).unwrap();
        let half = bytes.len() / 2;
        for _ in 0..(bytes.len() / 100).max(1) {
            bytes[next() % half] ^= 1 << (next() % 8);
        }
        fs::write(&file, bytes).unwrap();
    }
}

#[test]
fn a_damaged_index_that_makes_tantivy_panic_is_reported_and_a_batch_ends() {
    let dir = TempDir::new().unwrap();
    let base = dir.path().join("base");
    quarry()
        .args(["index", "-q", "--index"])
        .arg(&base)
        .arg(corpus())
        .assert()
        .success();
    // Some damage makes tantivy panic: found by trying, each query a clear error or results.
    let damaged = dir.path().join("damaged");
    let mut found = false;
    for seed in 0..80 {
        let _ = fs::remove_dir_all(&damaged);
        copy_folder(&base, &damaged);
        damage_postings(&damaged, seed);
        let output = quarry()
            .args(["query", "-q", "--index"])
            .arg(&damaged)
            .arg("iran")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(101), "seed {seed}: {stderr}");
        assert!(!stderr.contains("panicked"), "seed {seed}: {stderr}");
        if stderr.contains("is damaged (tantivy: ") {
            assert_eq!(output.status.code(), Some(2));
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("--rebuild"), "{stderr}");
            found = true;
            break;
        }
    }
    assert!(found, "no damage made tantivy panic");

    // More lines than a batch reads ahead of its printing.
    let batch: String = (1..=1500)
        .map(|n| {
            if n == 11 {
                "iran\n".into()
            } else {
                format!("nothingmatches{n}\n")
            }
        })
        .collect();
    let output = quarry()
        .args(["query", "-q", "-f", "json", "--index"])
        .arg(&damaged)
        .args(["--batch", "-"])
        .write_stdin(batch)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let records: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), 1500);
    let failed: Vec<&Value> = records.iter().filter(|r| r["error"].is_string()).collect();
    assert_eq!(failed.len(), 1, "{stderr}");
    assert_eq!(failed[0]["id"], "11");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 11: the index at "),
        "{}",
        failed[0]["error"]
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
