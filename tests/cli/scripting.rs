//! Scripting: batches, machine-readable formats, collapsing, stats, completions, pipes.

use std::io::{BufRead, BufReader, Read, Write};

use std::process::{Command, Stdio};

use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{corpus, corpus_and_fixtures_index, corpus_index, quarry};

const MIXED_BATCH: &str = "Soleimani\n\n{\"id\": \"mp\", \"query\": \"\\\"maximum pressure\\\"\", \"limit\": 2}\n\
                           {\"id\": 7, \"query\": \"oil\", \"since\": \"2021\"}\nsanctions\n";

fn run_batch(batch_arg: &str, stdin: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = quarry();
    cmd.args(["query", "--index"])
        .arg(corpus_index())
        .args(["--batch", batch_arg])
        .args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let output = cmd.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn records(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn batch_from_stdin_and_from_a_file_keep_ids_and_order() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("queries.txt");
    std::fs::write(&file, MIXED_BATCH).unwrap();
    let (code, from_stdin, _) = run_batch("-", Some(MIXED_BATCH), &["-f", "json"]);
    assert_eq!(code, 0);
    let (_, from_file, _) = run_batch(file.to_str().unwrap(), None, &["-f", "json"]);
    let (a, b) = (records(&from_stdin), records(&from_file));
    let ids: Vec<&str> = a.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "mp", "7", "5"]);
    assert_eq!(a[1]["query"], "\"maximum pressure\"");
    assert_eq!(a[1]["hits"].as_array().unwrap().len(), 2);
    assert!(
        a[2]["hits"].as_array().unwrap().is_empty(),
        "no corpus article is dated 2021"
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["id"], y["id"]);
        assert_eq!(x["hits"], y["hits"]);
        assert!(x["took_ms"].as_f64().unwrap() >= 0.0);
    }
}

#[test]
fn batch_jsonl_has_one_line_per_hit_with_id_and_query() {
    let (code, out, _) = run_batch("-", Some(MIXED_BATCH), &["-f", "jsonl", "-n", "3"]);
    assert_eq!(code, 0);
    let lines = records(&out);
    let ids: Vec<&str> = lines.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "1", "1", "mp", "mp", "5", "5", "5"]);
    assert!(
        lines
            .iter()
            .all(|r| r["query"].is_string() && r["passage"].is_string())
    );
}

#[test]
fn a_bad_line_is_reported_and_the_others_run() {
    let batch =
        "Soleimani\n{\"query\": \"oil\", \"limit\": 0}\n{not json\n{\"qeury\": \"x\"}\nsanctions\n";
    let (code, out, err) = run_batch("-", Some(batch), &["-f", "json"]);
    assert_eq!(code, 2);
    let all = records(&out);
    assert_eq!(all.len(), 5);
    for (record, line) in all[1..4].iter().zip(2..) {
        let error = record["error"].as_str().unwrap();
        assert!(error.starts_with(&format!("line {line}: ")), "{error}");
        assert!(err.contains(error), "{err}");
    }
    assert!(all[0]["error"].is_null() && !all[0]["hits"].as_array().unwrap().is_empty());
    assert!(all[4]["error"].is_null() && !all[4]["hits"].as_array().unwrap().is_empty());
}

#[test]
fn a_batch_streams_its_results() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .args(["query", "--index"])
        .arg(corpus_index())
        .args(["--batch", "-", "-f", "json"])
        .env_remove("QUARRY_INDEX")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"Soleimani\n").unwrap();
    stdin.flush().unwrap();
    // The first record arrives while the batch is still open.
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let record: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(record["id"], "1");
    stdin.write_all(b"sanctions\n").unwrap();
    drop(stdin);
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    assert_eq!(rest.lines().count(), 1);
    assert!(child.wait().unwrap().success());
}

#[test]
fn trec_runs_rank_articles_once_each() {
    let (code, out, _) = run_batch(
        "-",
        Some("Soleimani\niran sanctions\n"),
        &["-f", "trec", "-n", "20"],
    );
    assert_eq!(code, 0);
    let mut seen = std::collections::HashSet::new();
    let mut last: Option<(String, f64)> = None;
    for line in out.lines() {
        let columns: Vec<&str> = line.split(' ').collect();
        assert_eq!(columns.len(), 6, "{line}");
        assert_eq!(columns[1], "Q0");
        assert_eq!(columns[5], "quarry");
        let (qid, rank, score) = (
            columns[0],
            columns[3].parse::<usize>().unwrap(),
            columns[4].parse::<f64>().unwrap(),
        );
        assert!(
            seen.insert((qid.to_string(), columns[2].to_string())),
            "an article twice: {line}"
        );
        if let Some((last_qid, last_score)) = &last
            && last_qid == qid
        {
            assert!(score <= *last_score);
        } else {
            assert_eq!(rank, 1);
        }
        last = Some((qid.to_string(), score));
    }
    assert_eq!(seen.iter().filter(|(q, _)| q == "1").count(), 4, "{out}");
    assert_eq!(seen.iter().filter(|(q, _)| q == "2").count(), 5, "{out}");
}

#[test]
fn tsv_has_a_header_and_one_escaped_line_per_hit() {
    let output = quarry()
        .args(["query", "-f", "tsv", "-n", "3", "--index"])
        .arg(corpus_index())
        .arg("Soleimani")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(header[..4], ["id", "query", "rank", "score"]);
    assert_eq!(lines.len(), 4);
    for line in &lines[1..] {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), header.len(), "{line}");
        let passage = fields[header.iter().position(|h| *h == "passage").unwrap()];
        assert!(passage.contains("Soleimani"));
        assert!(!passage.contains('\t'));
    }
    assert!(text.contains("\\n"), "paragraph breaks are escaped");
}

#[test]
fn per_article_collapsing_never_loses_hits() {
    let collapse = |extra: &[&str]| {
        let output = quarry()
            .args(["query", "-f", "jsonl", "--index"])
            .arg(corpus_and_fixtures_index())
            .args(extra)
            .arg("*")
            .output()
            .unwrap();
        records(&String::from_utf8(output.stdout).unwrap())
    };
    let hits = collapse(&["--limit", "10", "--per-article", "1"]);
    let mut articles: Vec<&str> = hits
        .iter()
        .map(|h| h["article"].as_str().unwrap())
        .collect();
    assert_eq!(articles.len(), 10);
    articles.sort();
    articles.dedup();
    assert_eq!(articles.len(), 10, "ten different articles");
    let two = collapse(&["--limit", "40", "--per-article", "2"]);
    let mut counts = std::collections::HashMap::new();
    for hit in &two {
        *counts.entry(hit["article"].as_str().unwrap()).or_insert(0) += 1;
    }
    assert!(counts.values().all(|&n| n <= 2), "{counts:?}");
    assert_eq!(two.len(), counts.values().sum::<usize>());
    let ranks: Vec<u64> = two.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=two.len() as u64).collect::<Vec<_>>());
}

#[test]
fn stats_describe_the_index() {
    let output = quarry()
        .args(["stats", "-f", "json", "--index"])
        .arg(corpus_and_fixtures_index())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["articles"], 15);
    assert!(stats["passages"].as_u64().unwrap() > 30);
    assert_eq!(stats["roots"].as_array().unwrap().len(), 2);
    assert_eq!(stats["first_date"], "2018-07-09");
    assert_eq!(stats["last_date"], "2022-01-04");
    assert_eq!(stats["undated_articles"], 8);
    let sources = stats["sources"].as_array().unwrap();
    assert_eq!(sources[0]["name"], "The New York Times");
    assert_eq!(sources[0]["articles"], 2);
    assert!(stats["size_bytes"].as_u64().unwrap() > 10_000);
    assert!(stats["updated"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(stats["quarry_version"], env!("CARGO_PKG_VERSION"));
    let text = quarry()
        .args(["stats", "--index"])
        .arg(corpus_and_fixtures_index())
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("articles:  15"), "{text}");
    assert!(
        text.contains("2018-07-09 to 2022-01-04 (8 undated articles)"),
        "{text}"
    );
}

#[test]
fn completions_generate_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = quarry().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains("quarry") && script.contains("per-article"),
            "{shell}"
        );
    }
}

#[test]
fn help_has_examples_for_every_subcommand() {
    for sub in ["index", "query", "inspect", "stats", "completions"] {
        let output = quarry().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(help.contains("Examples:"), "{sub}");
        assert!(
            help.contains("--quiet") && help.contains("--verbose"),
            "{sub}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let batch: String = (0..3000).map(|i| format!("iran {i}\n")).collect();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("quarry"))
        .args(["query", "--index"])
        .arg(corpus_index())
        .args(["--batch", "-", "-f", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(batch.as_bytes());
    });
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with('{'));
    drop(reader);
    let status = wait_for(&mut child);
    writer.join().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert_eq!(stderr, "");
}

fn wait_for(child: &mut std::process::Child) -> std::process::ExitStatus {
    for _ in 0..600 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("quarry did not stop after its output was closed");
}

#[test]
fn quiet_and_verbose() {
    let dir = TempDir::new().unwrap();
    let quiet = quarry()
        .args(["index", "-q", "--index"])
        .arg(dir.path())
        .arg(corpus())
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
    let verbose = quarry()
        .args(["index", "--verbose", "--rebuild", "--index"])
        .arg(dir.path())
        .arg(corpus())
        .output()
        .unwrap();
    let stderr = String::from_utf8(verbose.stderr).unwrap();
    assert_eq!(stderr.matches("quarry: indexed ").count(), 5, "{stderr}");
    let warned = quarry()
        .args(["query", "-q", "--index"])
        .arg(dir.path())
        .arg("\"unbalanced")
        .output()
        .unwrap();
    assert!(warned.stderr.is_empty());
}
