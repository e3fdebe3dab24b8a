//! Incremental updates, locking, crash safety and damaged indexes.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{article, corpus, index_run, quarry, stats};

/// A folder `docs` under `parent` with the articles a, b and c, all with `body`.
fn three_articles(parent: &Path, body: &str) -> PathBuf {
    let docs = parent.join("docs");
    fs::create_dir(&docs).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(docs.join(format!("{name}.txt")), article(name, body)).unwrap();
    }
    docs
}

/// [`three_articles`], and a folder `inner` inside `docs` with a fourth: (docs, inner).
fn articles_with_inner_folder(parent: &Path, inner: &str) -> (PathBuf, PathBuf) {
    let docs = three_articles(parent, "Echidnas lay eggs.");
    let inner = docs.join(inner);
    fs::create_dir(&inner).unwrap();
    fs::write(inner.join("d.txt"), article("d", "Echidnas again.")).unwrap();
    (docs, inner)
}

#[test]
fn only_what_changed_is_read_again() {
    let dir = TempDir::new().unwrap();
    let docs = three_articles(dir.path(), "Cloves and nutmeg.");
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(
        out.starts_with("3 added, 0 updated, 0 removed, 0 unchanged"),
        "{out}"
    );
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 3 unchanged"),
        "{out}"
    );

    fs::write(docs.join("a.txt"), article("a", "Saffron now, not cloves.")).unwrap();
    fs::remove_file(docs.join("b.txt")).unwrap();
    fs::write(docs.join("d.txt"), article("d", "Cardamom pods.")).unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(
        out.starts_with("1 added, 1 updated, 1 removed, 1 unchanged"),
        "{out}"
    );
    assert_eq!(stats(&index)["articles"], 3);

    // Touched but not changed: read again (its content hash matches), counted unchanged, and
    // not read the time after.
    let c = docs.join("c.txt");
    let content = fs::read(&c).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    fs::write(&c, content).unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 3 unchanged"),
        "{out}"
    );

    // A sidecar edit is a change of the article.
    fs::write(docs.join("d.meta.json"), r#"{"source": "Spice Weekly"}"#).unwrap();
    let (_, out, _) = index_run(&index, &[docs_arg]);
    assert!(out.starts_with("0 added, 1 updated"), "{out}");
    let (_, record) = crate::support::query_json(&index, &["--source", "spice", "cardamom"]);
    assert_eq!(record["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn without_a_path_every_root_is_updated_and_rebuild_starts_afresh() {
    let dir = TempDir::new().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    for (folder, word) in [(&one, "alpha"), (&two, "beta")] {
        fs::create_dir(folder).unwrap();
        fs::write(folder.join("x.txt"), article("X", word)).unwrap();
    }
    let index = dir.path().join("idx");
    index_run(&index, &[one.to_str().unwrap(), two.to_str().unwrap()]);
    fs::write(two.join("y.txt"), article("Y", "gamma")).unwrap();
    let (code, out, _) = index_run(&index, &[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 2 unchanged"),
        "{out}"
    );
    let (_, out, _) = index_run(&index, &["--rebuild", one.to_str().unwrap()]);
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 0 unchanged"),
        "{out}"
    );
    assert_eq!(stats(&index)["articles"], 1);
    // A root gone from disk is reported and its articles kept.
    index_run(&index, &[two.to_str().unwrap()]);
    fs::remove_dir_all(&two).unwrap();
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no longer exists"), "{err}");
    assert!(out.contains("0 removed"), "{out}");
    assert_eq!(stats(&index)["articles"], 3);
}

#[test]
fn a_file_that_is_no_longer_an_article_leaves_the_index() {
    let dir = TempDir::new().unwrap();
    let docs = three_articles(dir.path(), "Koalas eat leaves.");
    let index = dir.path().join("idx");
    let docs_arg = docs.to_str().unwrap();
    index_run(&index, &[docs_arg]);
    fs::write(docs.join("a.txt"), "\n").unwrap();
    fs::write(docs.join("b.txt"), b"bin\0ary").unwrap();
    let (code, out, err) = index_run(&index, &[docs_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("0 added, 0 updated, 2 removed, 1 unchanged"),
        "{out}"
    );
    assert_eq!(stats(&index)["articles"], 1);
}

#[test]
fn names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    for byte in [0xffu8, 0xfe] {
        let bytes = [b'n', byte, b'.', b't', b'x', b't'];
        fs::write(
            docs.join(std::ffi::OsStr::from_bytes(&bytes)),
            article("N", "Wombats dig."),
        )
        .unwrap();
    }
    let index = dir.path().join("idx");
    let (_, out, _) = index_run(&index, &[docs.to_str().unwrap()]);
    assert!(out.starts_with("2 added"), "{out}");
    assert_eq!(stats(&index)["articles"], 2);
    let (_, out, _) = index_run(&index, &[docs.to_str().unwrap()]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{out}"
    );
}

#[test]
fn a_file_indexed_on_its_own_and_deleted_leaves_the_index() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("single.txt");
    fs::write(&file, article("Single", "Platypus facts.")).unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[file.to_str().unwrap()]);
    fs::remove_file(&file).unwrap();
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("0 added, 0 updated, 1 removed"), "{out}");
    assert_eq!(stats(&index)["articles"], 0);
}

#[test]
fn a_folder_named_twice_or_inside_another_is_indexed_once() {
    let dir = TempDir::new().unwrap();
    let (docs, sub) = articles_with_inner_folder(dir.path(), "sub");
    let index = dir.path().join("idx");
    let (docs_arg, sub_arg) = (docs.to_str().unwrap(), sub.to_str().unwrap());
    let (code, out, err) = index_run(&index, &[sub_arg, docs_arg, docs_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("4 added, 0 updated, 0 removed, 0 unchanged"),
        "{out}"
    );
    assert_eq!(stats(&index)["articles"], 4);
    assert_eq!(stats(&index)["passages"], 4);
}

#[test]
fn a_hidden_folder_named_beside_its_parent_is_indexed_and_kept() {
    let dir = TempDir::new().unwrap();
    let (docs, archive) = articles_with_inner_folder(dir.path(), ".archive");
    let index = dir.path().join("idx");
    let (docs_arg, archive_arg) = (docs.to_str().unwrap(), archive.to_str().unwrap());
    let (code, out, err) = index_run(&index, &[docs_arg, archive_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("4 added, 0 updated, 0 removed"), "{out}");
    // With no path, the run walks the roots the index holds: the hidden one too.
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 4 unchanged"),
        "{out}"
    );
    assert_eq!(stats(&index)["articles"], 4);
}

/// The ids of the articles that `query` finds, sorted.
fn ids_found(index: &Path, query: &str) -> Vec<String> {
    // Every article, copies of one story too.
    let output = quarry()
        .args(["query", "--copies", "show", "--format", "json", "--index"])
        .arg(index)
        .arg(query)
        .output()
        .unwrap();
    let hits: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut ids: Vec<String> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["article"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_part_of_a_root_updated_on_its_own_keeps_its_root_and_ids() {
    let dir = TempDir::new().unwrap();
    let (docs, inner) = articles_with_inner_folder(dir.path(), "inner");
    let index = dir.path().join("idx");
    index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(ids_found(&index, "echidnas"), ["a", "b", "c", "inner/d"]);

    // Only what is under the part named is looked at: a file gone beside it stays.
    fs::remove_file(docs.join("a.txt")).unwrap();
    fs::write(inner.join("e.txt"), article("e", "Echidnas once more.")).unwrap();
    let (code, out, err) = index_run(&index, &[inner.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("1 added, 0 updated, 0 removed, 1 unchanged"),
        "{out}"
    );
    let single = inner.join("d.txt");
    let (_, out, _) = index_run(&index, &[single.to_str().unwrap()]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 1 unchanged"),
        "{out}"
    );
    assert_eq!(
        ids_found(&index, "echidnas"),
        ["a", "b", "c", "inner/d", "inner/e"]
    );
    // The root is still the folder first named: updating it removes what is gone.
    let (_, out, _) = index_run(&index, &[]);
    assert!(
        out.starts_with("0 added, 0 updated, 1 removed, 4 unchanged"),
        "{out}"
    );
}

#[test]
fn a_part_updated_on_its_own_keeps_its_root_s_ignore_rules() {
    let dir = TempDir::new().unwrap();
    let (docs, inner) = articles_with_inner_folder(dir.path(), "inner");
    fs::write(docs.join(".quarryignore"), "inner/draft.txt\n").unwrap();
    fs::write(
        inner.join("draft.txt"),
        article("Draft", "Echidnas, unfinished."),
    )
    .unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[docs.to_str().unwrap()]);
    let (code, out, err) = index_run(&index, &[inner.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 1 unchanged, 1 skipped (1 ignored)"),
        "{out}"
    );
    assert_eq!(ids_found(&index, "echidnas"), ["a", "b", "c", "inner/d"]);
}

#[test]
fn a_root_of_its_own_stays_one_until_a_folder_around_it_is_indexed() {
    let dir = TempDir::new().unwrap();
    let (docs, inner) = articles_with_inner_folder(dir.path(), "inner");
    let index = dir.path().join("idx");
    index_run(&index, &[inner.to_str().unwrap()]);
    let (_, out, _) = index_run(&index, &[inner.to_str().unwrap()]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 1 unchanged"),
        "{out}"
    );
    assert_eq!(ids_found(&index, "echidnas"), ["d"]);
    // The folder around it takes it in; from then on it is a part of that folder.
    index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(ids_found(&index, "echidnas"), ["a", "b", "c", "inner/d"]);
    let (_, out, _) = index_run(&index, &[inner.to_str().unwrap()]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 1 unchanged"),
        "{out}"
    );
    assert_eq!(ids_found(&index, "echidnas"), ["a", "b", "c", "inner/d"]);
    let roots = crate::support::json_of([
        std::path::Path::new("roots").as_os_str(),
        "-f=json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ]);
    assert_eq!(roots.as_array().map(Vec::len), Some(1), "{roots}");
}

#[test]
fn every_article_has_an_id_of_its_own_and_keeps_it() {
    let dir = TempDir::new().unwrap();
    let (c1, c2) = (dir.path().join("c1"), dir.path().join("c2"));
    for folder in [&c1, &c2] {
        fs::create_dir(folder).unwrap();
        fs::write(folder.join("000.txt"), article("t", "Echidnas lay eggs.")).unwrap();
    }
    fs::write(c1.join("000.md"), article("t", "Echidnas again.")).unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[c1.to_str().unwrap(), c2.to_str().unwrap()]);
    let ids = ids_found(&index, "echidnas");
    assert_eq!(ids, ["000", "000.txt", "c2/000.txt"]);
    // Changed, each keeps its id; the first id given stays with its file.
    for file in [c1.join("000.txt"), c1.join("000.md"), c2.join("000.txt")] {
        fs::write(file, article("t", "Echidnas changed.")).unwrap();
    }
    let (_, out, _) = index_run(&index, &[]);
    assert!(out.starts_with("0 added, 3 updated"), "{out}");
    assert_eq!(ids_found(&index, "echidnas"), ids);
    let output = quarry()
        .args(["query", "--copies", "show", "--format", "trec", "--index"])
        .arg(&index)
        .arg("echidnas")
        .output()
        .unwrap();
    let lines = String::from_utf8(output.stdout).unwrap();
    assert_eq!(lines.lines().count(), 3, "{lines}");
}

#[test]
fn an_empty_index_needs_a_path() {
    let dir = TempDir::new().unwrap();
    let (code, _, err) = index_run(&dir.path().join("idx"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("holds no folders yet"), "{err}");
}

/// Writes `count` articles of a few paragraphs each into `folder`.
fn many_articles(folder: &Path, count: usize) {
    fs::create_dir_all(folder).unwrap();
    let paragraph = "The tanker crossed the strait at dawn while traders watched oil prices \
                     climb, and officials in three capitals argued over sanctions. ";
    for i in 0..count {
        let body = format!(
            "{}\n\n{}\n\n{}",
            paragraph.repeat(3),
            paragraph.repeat(2),
            paragraph
        );
        fs::write(
            folder.join(format!("{i:05}.txt")),
            article(&format!("Report {i}"), &body),
        )
        .unwrap();
    }
}

fn spawn_index(index: &Path, folder: &Path, options: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .arg("index")
        .args(options)
        .arg("--index")
        .arg(index)
        .arg(folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` (a `kill` option: `-STOP`, `-INT`) to the running child.
fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .arg(signal)
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success(), "kill {signal}");
}

/// The output of `quarry stats -f json` of `index`, unless it takes longer than `limit`.
fn stats_within(index: &Path, limit: Duration) -> Option<std::process::Output> {
    let mut stats = Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .args(["stats", "-f", "json", "--index"])
        .arg(index)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while stats.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            stats.kill().unwrap();
            stats.wait().unwrap();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Some(stats.wait_with_output().unwrap())
}

/// Stops the child (SIGSTOP) at a moment when it has committed some of the `files` articles
/// but not all: it is then certainly in the middle of its work. Gives how many are committed.
fn stop_half_way(index: &Path, child: &mut Child, files: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        // The run commits once a second has passed, after a batch of 2,048 files, and must not
        // reach its end before its first commit: it is let run 5 ms in every 100 or more, so
        // that a batch takes more than a second.
        std::thread::sleep(Duration::from_millis(5));
        signal(child, "-STOP");
        std::thread::sleep(Duration::from_millis(80));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run finished before it could be stopped half-way: give it more files"
        );
        // A run stopped while it holds tantivy's lock on the index's metadata (for a moment
        // after each commit) keeps readers waiting: then it is let go on, and stopped again.
        let Some(output) = stats_within(index, Duration::from_secs(5)) else {
            signal(child, "-CONT");
            continue;
        };
        if output.status.success() {
            let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
            let committed = stats["articles"].as_u64().unwrap_or(0);
            assert!(committed < files, "all committed, yet still running");
            if committed > 0 {
                return committed;
            }
        }
        signal(child, "-CONT");
    }
    panic!("no commit within two minutes");
}

#[test]
fn a_killed_run_leaves_a_readable_index_and_the_next_run_finishes() {
    const FILES: usize = 8000;
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("many");
    many_articles(&folder, FILES);
    let index = dir.path().join("idx");
    let mut run = spawn_index(&index, &folder, &["--commit-interval", "1"]);
    let mid = stop_half_way(&index, &mut run, FILES as u64);

    // While it is stopped half-way, queries see the last commit.
    quarry()
        .args(["query", "--index"])
        .arg(&index)
        .arg("tanker")
        .assert()
        .success();
    run.kill().unwrap(); // SIGKILL: no chance to clean up
    let status = run.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );

    assert_eq!(stats(&index)["articles"].as_u64(), Some(mid));
    // The stale lock of the killed run doesn't block the next one, which finishes the job.
    let (code, out, err) = index_run(&index, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let added: u64 = out.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(added, FILES as u64 - mid, "{out}");
    assert_eq!(stats(&index)["articles"], FILES as u64);
}

/// Sends SIGINT to a `quarry index -v` run once it has read a file, and gives its exit code
/// and what it said after.
fn interrupt_after_a_file(mut run: Child) -> (Option<i32>, String) {
    let mut stderr = BufReader::new(run.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("quarry: indexed "), "{first}");
    signal(&run, "-INT");
    // Read on: a run blocked writing to a full pipe would never see the signal through.
    let mut said = String::new();
    stderr.read_to_string(&mut said).unwrap();
    (run.wait().unwrap().code(), said)
}

#[test]
fn ctrl_c_keeps_what_was_read() {
    const FILES: usize = 8000;
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("many");
    many_articles(&folder, FILES);
    let index = dir.path().join("idx");
    // Long before its first commit (10 s by default), as soon as it has read a file.
    let (code, said) = interrupt_after_a_file(spawn_index(&index, &folder, &["-v"]));
    assert_eq!(code, Some(130), "{said}");
    let last = said.lines().last().unwrap_or_default();
    let kept: u64 = last
        .strip_prefix("quarry: interrupted: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("{last}"));
    assert!(
        last.ends_with("kept; run `quarry index` again to finish"),
        "{last}"
    );
    assert!(kept > 0 && kept < FILES as u64, "{last}");
    assert_eq!(stats(&index)["articles"].as_u64(), Some(kept));

    // The next run, given no folder, reads the rest and removes nothing.
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{} added, 0 updated, 0 removed, {kept} unchanged",
            FILES as u64 - kept
        )),
        "{out}"
    );
}

#[test]
fn ctrl_c_during_a_rebuild_keeps_the_old_index() {
    const FILES: usize = 8000;
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("many");
    many_articles(&folder, FILES);
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    let rebuild = spawn_index(
        &index,
        &folder,
        &["-v", "--rebuild", "--commit-interval", "1"],
    );
    let (code, said) = interrupt_after_a_file(rebuild);
    assert_eq!(code, Some(130), "{said}");
    assert!(
        said.contains("the rebuild was abandoned and the index is as it was"),
        "{said}"
    );
    assert_eq!(stats(&index)["articles"], 5);
}

#[test]
fn a_second_writer_fails_at_once_or_waits() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    // Hold the lock as a running `quarry index` would.
    let mut lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(index.join("quarry.lock"))
        .unwrap();
    lock.lock().unwrap();
    lock.set_len(0).unwrap();
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    write!(lock, "{{\"pid\": 4242, \"started\": {started}}}").unwrap();

    let clock = Instant::now();
    let (code, _, err) = index_run(&index, &[corpus().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("being written by another `quarry index` (process 4242"),
        "{err}"
    );
    assert!(err.contains("--wait"), "{err}");
    assert!(
        clock.elapsed() < Duration::from_secs(10),
        "it did not fail at once"
    );

    let mut waiting = Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .args(["index", "--wait", "--index"])
        .arg(&index)
        .arg(corpus())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains("waiting for the other `quarry index` (process 4242"),
        "{line}"
    );
    assert!(waiting.try_wait().unwrap().is_none(), "it waits");
    drop(lock);
    let output = waiting.wait_with_output().unwrap();
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 5 unchanged"),
        "{out}"
    );
}

fn damaged(break_it: impl Fn(&Path)) -> String {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    break_it(&index);
    let output = quarry()
        .args(["query", "--index"])
        .arg(&index)
        .arg("iran")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(&index.display().to_string()), "{stderr}");
    let (code, _, err) = index_run(&index, &["--rebuild", corpus().to_str().unwrap()]);
    assert_eq!(code, 0, "--rebuild is the way out: {err}");
    quarry()
        .args(["query", "--index"])
        .arg(&index)
        .arg("iran")
        .assert()
        .success();
    stderr
}

#[test]
fn damaged_indexes_give_clear_errors_and_rebuild_repairs_them() {
    let truncated = damaged(|index| {
        let meta = index.join("generation-1/meta.json");
        let bytes = fs::read(&meta).unwrap();
        fs::write(&meta, &bytes[..bytes.len() / 3]).unwrap();
    });
    assert!(
        truncated.contains("damaged") && truncated.contains("--rebuild"),
        "{truncated}"
    );
    let garbage =
        damaged(|index| fs::write(index.join("generation-1/meta.json"), "\u{0}garbage{{").unwrap());
    assert!(garbage.contains("--rebuild"), "{garbage}");
    let marker = damaged(|index| fs::write(index.join("quarry.json"), "nonsense").unwrap());
    assert!(marker.contains("restores it"), "{marker}");
    let missing_segment = damaged(|index| {
        let segment = fs::read_dir(index.join("generation-1"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .unwrap();
        fs::remove_file(segment).unwrap();
    });
    assert!(missing_segment.contains("--rebuild"), "{missing_segment}");
    let no_tantivy =
        damaged(|index| fs::remove_file(index.join("generation-1/meta.json")).unwrap());
    assert!(no_tantivy.contains("--rebuild"), "{no_tantivy}");
}

#[test]
fn a_folder_that_is_not_an_index() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("thesis.txt"), "mine").unwrap();
    let output = quarry()
        .args(["query", "--index"])
        .arg(dir.path())
        .arg("x")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("holds no quarry index"), "{stderr}");
    let (code, _, err) = index_run(dir.path(), &["--rebuild", corpus().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("holds no quarry index"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("thesis.txt")).unwrap(),
        "mine"
    );
}
