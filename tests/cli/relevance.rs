//! `quarry eval` and `--explain`.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{corpus_index, json_of, quarry, query_json};

fn eval(args: &[&str]) -> Value {
    json_of(["eval", "-f", "json"].iter().chain(args))
}

#[test]
fn eval_scores_judged_queries_of_a_query_file() {
    let dir = TempDir::new().unwrap();
    let queries = dir.path().join("queries.jsonl");
    fs::write(
        &queries,
        "{\"_id\": \"q1\", \"text\": \"Pompeo Mossad Tel Aviv\"}\n\
         {\"id\": \"q2\", \"query\": \"Talwar Asia Society\"}\n\
         {\"_id\": \"q3\", \"text\": \"nobody judged this\"}\n",
    )
    .unwrap();
    let qrels = dir.path().join("qrels.tsv");
    fs::write(
        &qrels,
        "query-id\tcorpus-id\tscore\nq1\t000_ed4d33544a02b803\t1\nq2\t004_a434bbe70ba914b6\t1\n",
    )
    .unwrap();
    let report = eval(&[
        "--index",
        corpus_index().to_str().unwrap(),
        "--queries",
        queries.to_str().unwrap(),
        "--qrels",
        qrels.to_str().unwrap(),
        "--per-query",
    ]);
    assert_eq!(report["queries"], 2);
    assert_eq!(report["ndcg"], 1.0, "{report}");
    assert_eq!(report["mrr_10"], 1.0);
    assert_eq!(report["per_query"].as_array().unwrap().len(), 2);
}

#[test]
fn eval_scores_a_run_file_with_the_same_measures() {
    let dir = TempDir::new().unwrap();
    let run = dir.path().join("run.trec");
    fs::write(&run, "q1 Q0 x 1 9.0 other\nq1 Q0 a 2 8.0 other\n").unwrap();
    let qrels = dir.path().join("qrels.txt");
    fs::write(&qrels, "q1 0 a 1\nq2 0 b 1\n").unwrap();
    let report = eval(&[
        "--run",
        run.to_str().unwrap(),
        "--qrels",
        qrels.to_str().unwrap(),
    ]);
    // q1: the relevant article second; q2: nothing retrieved, which counts as 0.
    let q1 = 1.0 / 3f64.log2();
    assert_eq!(report["queries"], 2);
    assert!(
        (report["ndcg"].as_f64().unwrap() - q1 / 2.0).abs() < 1e-9,
        "{report}"
    );
    assert!((report["mrr_10"].as_f64().unwrap() - 0.25).abs() < 1e-9);
}

#[test]
fn explain_tells_how_the_score_was_made() {
    let (_, record) = query_json(corpus_index(), &["--explain", "--limit", "2", "Soleimani"]);
    for hit in record["hits"].as_array().unwrap() {
        let explanation = &hit["explanation"];
        let value = explanation["value"].as_f64().unwrap();
        assert!(
            (value - hit["score"].as_f64().unwrap()).abs() < 1e-3,
            "{hit}"
        );
        assert!(explanation["details"].is_array());
    }
    // Every term node names its field and word, phrases and prefixes too.
    let (_, named) = query_json(
        corpus_index(),
        &[
            "--explain",
            "--limit",
            "1",
            "Iran \"maximum pressure\" Sanct*",
        ],
    );
    let mut descriptions = Vec::new();
    collect_descriptions(&named["hits"][0]["explanation"], &mut descriptions);
    for expected in [
        "text:iran",
        "title:iran",
        "text:\"maximum pressur\"",
        "text:sanction (from Sanct*)",
    ] {
        assert!(
            descriptions.iter().any(|d| d == expected),
            "{expected} in {descriptions:?}"
        );
    }
    assert!(
        !descriptions.iter().any(|d| d.contains("field=")),
        "{descriptions:?}"
    );
    let (_, plain) = query_json(corpus_index(), &["--limit", "1", "Soleimani"]);
    assert!(
        plain["hits"][0].get("explanation").is_none(),
        "only when asked"
    );
}

/// Every description of an explanation tree.
fn collect_descriptions(node: &serde_json::Value, into: &mut Vec<String>) {
    if let Some(description) = node["description"].as_str() {
        into.push(description.to_string());
    }
    for detail in node["details"].as_array().into_iter().flatten() {
        collect_descriptions(detail, into);
    }
}

#[test]
fn a_query_of_stop_words_only_finds_nothing_and_says_why() {
    let output = quarry()
        .args(["query", "--index"])
        .arg(corpus_index())
        .arg("the of and")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("only stop words"), "{stderr}");
}
