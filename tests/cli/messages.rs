//! What quarry says: one voice on stderr that -q silences but for errors, counts in good
//! grammar, options that can't apply refused, and quiet ends on a closed stdout.

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::support::{corpus, corpus_index, index_run, quarry};

/// Runs quarry with `args` and a stdout whose reader is already gone: exit code and stderr.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .env_remove("QUARRY_INDEX")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let index = corpus_index().to_str().unwrap();
    let dir = TempDir::new().unwrap();
    let queries = dir.path().join("queries.jsonl");
    fs::write(&queries, "{\"_id\": \"q1\", \"text\": \"iran\"}\n").unwrap();
    let qrels = dir.path().join("qrels.tsv");
    fs::write(&qrels, "q1\t000_ed4d33544a02b803\t1\n").unwrap();
    let corpus = corpus();
    let article = corpus.join("000_ed4d33544a02b803.txt");
    let fresh = dir.path().join("idx");
    let runs: Vec<Vec<&str>> = vec![
        vec!["completions", "bash"],
        vec!["stats", "--index", index],
        vec!["check", "--index", index],
        vec!["inspect", article.to_str().unwrap()],
        vec!["query", "--index", index, "iran"],
        vec![
            "eval",
            "--index",
            index,
            "--queries",
            queries.to_str().unwrap(),
            "--qrels",
            qrels.to_str().unwrap(),
        ],
        vec![
            "index",
            "--index",
            fresh.to_str().unwrap(),
            corpus.to_str().unwrap(),
        ],
        vec!["--help"],
        vec!["--version"],
        vec!["query", "--help"],
    ];
    for args in runs {
        assert_eq!(with_closed_stdout(&args), (0, String::new()), "{args:?}");
    }
}

#[test]
fn quiet_silences_skipped_files_but_not_errors() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(
        docs.join("good.txt"),
        "Cloves\n\nA fine article on cloves.\n",
    )
    .unwrap();
    fs::write(docs.join("empty.txt"), "").unwrap();
    let index = dir.path().join("idx");
    let (code, _, stderr) = index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stderr.starts_with("quarry: warning: skipped "), "{stderr}");
    let quiet = quarry()
        .args(["-q", "index", "--rebuild", "--index"])
        .arg(&index)
        .arg(&docs)
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(String::from_utf8(quiet.stderr).unwrap(), "");
    let missing = quarry()
        .args(["-q", "stats", "--index"])
        .arg(dir.path().join("nothing"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .starts_with("quarry: error: ")
    );
}

#[test]
fn quiet_silences_the_wait_note() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(index.join("quarry.lock"))
        .unwrap();
    lock.lock().unwrap();
    let waiting = Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .args(["-q", "index", "--wait", "--index"])
        .arg(&index)
        .arg(corpus())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    drop(lock);
    let output = waiting.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
}

#[test]
fn control_characters_in_a_file_name_are_escaped() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("evil\x1b[2Jname.txt");
    fs::write(&file, "Title\x1b]0;owned\x07\n\nBody \x1b[31mred\n").unwrap();
    let output = quarry().arg("inspect").arg(&file).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "{stdout:?}"
    );
    assert!(stdout.contains("evil\\u{1b}[2Jname.txt"), "{stdout}");
}

#[test]
fn counts_of_one_are_singular() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(
        docs.join("one.txt"),
        "Cloves\n\nA fine article on cloves.\n",
    )
    .unwrap();
    let index = dir.path().join("idx");
    let (code, stdout, _) = index_run(&index, &[docs.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("; 1 passage written in "), "{stdout}");
    let run = |args: &[&str]| {
        let output = quarry()
            .args(args)
            .arg("--index")
            .arg(&index)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let stats = run(&["stats"]);
    assert!(
        stats.contains("dates:     none (1 undated article)\n"),
        "{stats}"
    );
    let check = run(&["check"]);
    assert!(
        check.ends_with("match their checksums; 1 article, 1 passage\n"),
        "{check}"
    );
}

#[test]
fn a_count_below_one_is_refused_in_words() {
    for (option, value, says) in [
        ("--limit", "0", "must be at least 1"),
        ("--per-article", "0", "must be at least 1"),
        ("--threads", "2000", "must be from 1 to 1024"),
    ] {
        let output = quarry()
            .args(["query", "--batch", "-", option, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{value}' for '{option} <N>': {says}\n"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn arguments_clap_refuses_are_escaped() {
    let output = quarry()
        .args(["query", "--sort", "a\rb\x1b]0;x\x07", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        // clap itself drops the escape sequences it knows (the title-setting one here).
        "error: invalid value 'a\\rb' for '--sort <SORT>'\n  \
         [possible values: relevance, newest, oldest]\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn options_that_do_nothing_are_refused() {
    let index = corpus_index().to_str().unwrap();
    let refused = |args: &[&str]| {
        let output = quarry().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    assert_eq!(
        refused(&["query", "--index", index, "--threads", "2", "iran"]),
        "quarry: error: --threads is for --batch: a single query runs on one thread\n"
    );
    for format in ["tsv", "trec"] {
        assert_eq!(
            refused(&["query", "--index", index, "--explain", "-f", format, "iran"]),
            format!(
                "quarry: error: --explain shows nothing in --format {format}: use --format \
                 text, json or jsonl\n"
            )
        );
    }
    assert_eq!(
        refused(&[
            "query",
            "--index",
            index,
            "--per-article",
            "2",
            "-f",
            "trec",
            "iran"
        ]),
        "quarry: error: --per-article does nothing in --format trec, which ranks articles \
         (one line each)\n"
    );
    let undated = quarry()
        .args(["query", "--index", index, "--include-undated", "iran"])
        .output()
        .unwrap();
    assert_eq!(undated.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(undated.stderr).unwrap(),
        "quarry: warning: --include-undated does nothing without --since or --until: undated \
         articles are searched anyway\n"
    );
}

#[test]
fn an_empty_batch_id_is_refused_for_its_line() {
    let output = quarry()
        .args(["query", "--format", "trec", "--batch", "-", "--index"])
        .arg(corpus_index())
        .write_stdin("{\"id\": \"\", \"query\": \"iran\"}\n{\"id\": \"b\", \"query\": \"iran\"}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "quarry: error: line 1: the id is empty; give the query an id, or leave `id` out to \
         use the line number\n"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        assert!(line.starts_with("b Q0 "), "{line}");
        assert_eq!(line.split(' ').count(), 6, "{line}");
    }
}
