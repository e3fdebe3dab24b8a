//! `quarry eval`: score the ranking of a set of queries against relevance judgments.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Serialize;

use super::Outcome;
use crate::batch;
use crate::cli::{EvalArgs, StatsFormat};
use crate::eval::{self, Measures, Qrels};
use crate::index::searcher::{Copies, Detail, Request, Searcher};
use crate::index::store;
use crate::query::Syntax;

/// Articles retrieved per query: MAP is over this ranking, as trec_eval's usual runs of 1,000.
const DEPTH: usize = 1000;

/// Runs the judged queries of a query file and scores their article rankings.
fn run_queries(
    searcher: &Searcher,
    path: &Path,
    text: &str,
    qrels: &Qrels,
    k: usize,
    syntax: Syntax,
) -> Result<Vec<QueryMeasures>> {
    let defaults = Request {
        syntax,
        limit: DEPTH.max(k),
        per_article: Some(1),
        // Judgments are of files: a copy judged relevant is found as itself.
        copies: Copies::Show,
        detail: Detail::Ranking,
        ..Request::new("")
    };
    let mut queries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = eval::to_batch_line(line)
            .with_context(|| format!("{}: line {}", path.display(), number + 1))?;
        let Some(query) = batch::parse_line(number + 1, &line, &defaults) else {
            continue;
        };
        let request = query
            .request
            .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
        // Queries nobody judged can't be scored.
        if is_judged(qrels, &query.id) {
            queries.push((query.id, request));
        }
    }
    queries
        .par_iter()
        .map(|(id, request)| {
            let results = searcher.search(request)?;
            let ranking: Vec<String> = results.hits.into_iter().map(|hit| hit.article).collect();
            Ok(QueryMeasures {
                id: id.clone(),
                measures: eval::measure(&ranking, &qrels[id], k),
            })
        })
        .collect()
}

/// Scores a TREC run: every judged query, with 0 where the run has nothing for it.
fn score_run(text: &str, qrels: &Qrels, k: usize) -> Result<Vec<QueryMeasures>> {
    let run = eval::parse_run(text)?;
    let mut ids: Vec<&String> = qrels.keys().filter(|id| is_judged(qrels, id)).collect();
    ids.sort();
    Ok(ids
        .into_iter()
        .map(|id| QueryMeasures {
            id: id.clone(),
            measures: eval::measure(run.get(id).map_or(&[][..], Vec::as_slice), &qrels[id], k),
        })
        .collect())
}

fn is_judged(qrels: &Qrels, id: &str) -> bool {
    qrels
        .get(id)
        .is_some_and(|judged| judged.values().any(|&grade| grade > 0))
}

#[derive(Serialize)]
struct Report {
    queries: usize,
    k: usize,
    ndcg: f64,
    recall_100: f64,
    mrr_10: f64,
    map: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    per_query: Vec<QueryMeasures>,
}

#[derive(Serialize)]
struct QueryMeasures {
    id: String,
    #[serde(flatten)]
    measures: Measures,
}

pub fn run(args: &EvalArgs) -> Result<Outcome> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let qrels = eval::parse_qrels(&read(&args.qrels)?)
        .with_context(|| format!("bad judgments in {}", args.qrels.display()))?;
    let k = usize::try_from(args.k).unwrap_or(10);
    let measured = match (&args.queries, &args.run) {
        (_, Some(run)) => score_run(&read(run)?, &qrels, k)
            .with_context(|| format!("bad run in {}", run.display()))?,
        (Some(queries), None) => {
            let searcher = Searcher::open(&store::locate(args.location.index.as_deref())?)?;
            run_queries(&searcher, queries, &read(queries)?, &qrels, k, args.syntax)?
        }
        (None, None) => bail!("give --queries or --run"),
    };
    if measured.is_empty() {
        bail!(
            "no query has a relevant judgment in {}: do the ids match?",
            args.qrels.display()
        );
    }
    let mean = eval::mean(&measured.iter().map(|q| q.measures).collect::<Vec<_>>());
    let report = Report {
        queries: measured.len(),
        k,
        ndcg: mean.ndcg,
        recall_100: mean.recall_100,
        mrr_10: mean.mrr_10,
        map: mean.average_precision,
        per_query: if args.per_query { measured } else { Vec::new() },
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        StatsFormat::Json => {
            crate::output::write_json_line(&mut out, &report)?;
        }
        StatsFormat::Text => {
            writeln!(out, "queries     {}", report.queries)?;
            writeln!(out, "nDCG@{:<6} {:.4}", report.k, report.ndcg)?;
            writeln!(out, "Recall@100  {:.4}", report.recall_100)?;
            writeln!(out, "MRR@10      {:.4}", report.mrr_10)?;
            writeln!(out, "MAP         {:.4}", report.map)?;
            for query in &report.per_query {
                let m = query.measures;
                writeln!(
                    out,
                    "{}\tnDCG@{} {:.4}\tRecall@100 {:.4}\tMRR@10 {:.4}\tAP {:.4}",
                    crate::output::escape(&query.id),
                    report.k,
                    m.ndcg,
                    m.recall_100,
                    m.mrr_10,
                    m.average_precision
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
