//! Scoring rankings against relevance judgments, with trec_eval's semantics: nDCG@k (gain =
//! judgment grade, log2 discount, ideal ranking from the judgments), Recall@100, MRR@10 and
//! MAP (over the whole ranking returned).

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use serde::Serialize;

/// Relevance grades by query id, then article id.
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// Reads judgments: BEIR/TREC TSV `query-id corpus-id score` (a header line is allowed) or the
/// 4-column TREC format `query-id iteration corpus-id score`, separated by tabs or spaces.
pub fn parse_qrels(text: &str) -> Result<Qrels> {
    let mut qrels = Qrels::new();
    for (number, line) in text.lines().enumerate() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        let (query, article, grade) = match columns[..] {
            [] => continue,
            [query, article, grade] => (query, article, grade),
            [query, _, article, grade] => (query, article, grade),
            _ => bail!(
                "line {}: expected 3 or 4 columns, found {}",
                number + 1,
                columns.len()
            ),
        };
        let Ok(grade) = grade.parse::<i64>() else {
            if number == 0 {
                continue; // a header
            }
            bail!(
                "line {}: the grade {grade:?} is not a whole number",
                number + 1
            );
        };
        let grade = u32::try_from(grade.max(0)).unwrap_or(u32::MAX);
        qrels
            .entry(query.to_string())
            .or_default()
            .insert(article.to_string(), grade);
    }
    Ok(qrels)
}

/// Reads a TREC run, `QID Q0 DOC RANK SCORE TAG` per line, into each query's ranking of
/// documents: by score, highest first (as trec_eval ranks them), each document once.
pub fn parse_run(text: &str) -> Result<HashMap<String, Vec<String>>> {
    let mut scored: HashMap<String, Vec<(f64, String)>> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        match columns[..] {
            [] => continue,
            [query, _, document, _, score, ..] => {
                let score: f64 = score.parse().with_context(|| {
                    format!("line {}: the score {score:?} is not a number", number + 1)
                })?;
                scored
                    .entry(query.to_string())
                    .or_default()
                    .push((score, document.to_string()));
            }
            _ => bail!("line {}: expected QID Q0 DOC RANK SCORE TAG", number + 1),
        }
    }
    Ok(scored
        .into_iter()
        .map(|(query, mut documents)| {
            documents.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
            let mut seen = std::collections::HashSet::new();
            let ranking = documents
                .into_iter()
                .filter_map(|(_, document)| seen.insert(document.clone()).then_some(document))
                .collect();
            (query, ranking)
        })
        .collect())
}

/// The measures of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    pub ndcg: f64,
    pub recall_100: f64,
    pub mrr_10: f64,
    pub average_precision: f64,
}

/// Scores a ranking of article ids (best first, each once) against one query's judgments.
pub fn measure(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> Measures {
    let grade = |article: &String| judged.get(article).copied().unwrap_or(0);
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return Measures::default();
    }
    let discount = |position: usize| 1.0 / ((position + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, article)| f64::from(grade(article)) * discount(i))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| f64::from(g) * discount(i))
        .sum();
    let found_100 = ranking.iter().take(100).filter(|a| grade(a) > 0).count();
    let mrr_10 = ranking
        .iter()
        .take(10)
        .position(|a| grade(a) > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let mut hits = 0;
    let mut precision_sum = 0.0;
    for (i, article) in ranking.iter().enumerate() {
        if grade(article) > 0 {
            hits += 1;
            precision_sum += f64::from(hits) / (i + 1) as f64;
        }
    }
    Measures {
        ndcg: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        recall_100: found_100 as f64 / relevant as f64,
        mrr_10,
        average_precision: precision_sum / relevant as f64,
    }
}

/// The mean of each measure.
pub fn mean(all: &[Measures]) -> Measures {
    if all.is_empty() {
        return Measures::default();
    }
    let n = all.len() as f64;
    Measures {
        ndcg: all.iter().map(|m| m.ndcg).sum::<f64>() / n,
        recall_100: all.iter().map(|m| m.recall_100).sum::<f64>() / n,
        mrr_10: all.iter().map(|m| m.mrr_10).sum::<f64>() / n,
        average_precision: all.iter().map(|m| m.average_precision).sum::<f64>() / n,
    }
}

/// Reads a query file: BEIR `queries.jsonl` lines (`{"_id", "text"}`) are turned into the
/// batch format (`{"id", "query"}`); other lines are batch lines already.
pub fn to_batch_line(line: &str) -> Result<String> {
    let trimmed = line.trim();
    if !trimmed.starts_with('{') {
        return Ok(line.to_string());
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).context("not a JSON object")?;
    match (value.get("_id"), value.get("text")) {
        (Some(id), Some(text)) => {
            let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
            Ok(serde_json::json!({"id": id, "query": text}).to_string())
        }
        _ => Ok(line.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(a, g)| (a.to_string(), *g)).collect()
    }

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_perfect_ranking_scores_one() {
        let m = measure(
            &ranking(&["a", "b", "x"]),
            &judged(&[("a", 1), ("b", 1)]),
            10,
        );
        assert!(close(m.ndcg, 1.0) && close(m.recall_100, 1.0) && close(m.mrr_10, 1.0));
        assert!(close(m.average_precision, 1.0));
    }

    #[test]
    fn hand_computed_case() {
        // Relevant: a (grade 2), b (grade 1). Ranking: x, a, y, b.
        let m = measure(
            &ranking(&["x", "a", "y", "b"]),
            &judged(&[("a", 2), ("b", 1), ("z", 0)]),
            10,
        );
        let dcg = 2.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let idcg = 2.0 + 1.0 / 3f64.log2();
        assert!(close(m.ndcg, dcg / idcg), "{}", m.ndcg);
        assert!(close(m.mrr_10, 0.5));
        assert!(close(m.recall_100, 1.0));
        assert!(close(m.average_precision, (1.0 / 2.0 + 2.0 / 4.0) / 2.0));
    }

    #[test]
    fn cutoffs_and_misses() {
        let m = measure(&ranking(&["x", "y"]), &judged(&[("a", 1)]), 10);
        assert_eq!(m, Measures::default());
        let m = measure(&ranking(&["x", "a"]), &judged(&[("a", 1)]), 1);
        assert!(close(m.ndcg, 0.0) && close(m.mrr_10, 0.5));
        let mut long: Vec<String> = (0..150).map(|i| format!("n{i}")).collect();
        long[120] = "a".to_string();
        let m = measure(&long, &judged(&[("a", 1), ("b", 1)]), 10);
        assert!(close(m.recall_100, 0.0) && close(m.average_precision, (1.0 / 121.0) / 2.0));
    }

    #[test]
    fn qrels_in_both_formats() {
        let beir =
            parse_qrels("query-id\tcorpus-id\tscore\n1\td1\t1\n1\td2\t2\n2\td3\t0\n").unwrap();
        assert_eq!(beir["1"]["d2"], 2);
        assert_eq!(beir["2"]["d3"], 0);
        let trec = parse_qrels("1 0 d1 1\n1 0 d2 0\n").unwrap();
        assert_eq!(trec["1"].len(), 2);
        assert!(parse_qrels("1 d1\n").is_err());
        assert!(parse_qrels("1\td1\t1\n2\td2\tx\n").is_err());
    }

    #[test]
    fn runs_are_ranked_by_score() {
        let run =
            parse_run("1 Q0 b 1 2.5 x\n1 Q0 a 2 3.0 x\n2 Q0 c 1 1 x\n1 Q0 a 3 1.0 x\n").unwrap();
        assert_eq!(run["1"], ["a", "b"]);
        assert_eq!(run["2"], ["c"]);
        assert!(parse_run("1 Q0 a 1\n").is_err());
        assert!(parse_run("1 Q0 a 1 high x\n").is_err());
    }

    #[test]
    fn beir_queries_become_batch_lines() {
        let line =
            to_batch_line(r#"{"_id": "7", "text": "aspirin heart", "metadata": {}}"#).unwrap();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"id": "7", "query": "aspirin heart"})
        );
        assert_eq!(to_batch_line("plain words").unwrap(), "plain words");
    }
}
