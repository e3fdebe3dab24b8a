//! `quarry eval`: score the ranking of a set of queries against relevance judgments.

use std::io::{BufWriter, Write};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Serialize;

use super::Outcome;
use crate::batch;
use crate::cli::{EvalArgs, StatsFormat};
use crate::eval::{self, Measures};
use crate::filter::{Filters, Sort};
use crate::search::{Request, Searcher};
use crate::store;

/// Articles retrieved per query: MAP is over this ranking, as trec_eval's usual runs of 1,000.
const DEPTH: usize = 1000;

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
    let location = store::locate(args.location.index.as_deref())?;
    let searcher = Searcher::open(&location)?;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let qrels = eval::parse_qrels(&read(&args.qrels)?)
        .with_context(|| format!("bad judgments in {}", args.qrels.display()))?;
    let k = usize::try_from(args.k).unwrap_or(10);
    let defaults = Request {
        query: String::new(),
        filters: Filters::default(),
        sort: Sort::Relevance,
        limit: DEPTH.max(k),
        offset: 0,
        per_article: Some(1),
    };
    let mut queries = Vec::new();
    for (number, line) in read(&args.queries)?.lines().enumerate() {
        let line = eval::to_batch_line(line)
            .with_context(|| format!("{}: line {}", args.queries.display(), number + 1))?;
        let Some(query) = batch::parse_line(number + 1, &line, &defaults) else {
            continue;
        };
        let request = query
            .request
            .map_err(|err| anyhow::anyhow!("{}: {err}", args.queries.display()))?;
        // Queries nobody judged can't be scored.
        if qrels
            .get(&query.id)
            .is_some_and(|judged| judged.values().any(|&g| g > 0))
        {
            queries.push((query.id, request));
        }
    }
    if queries.is_empty() {
        bail!(
            "no query of {} has a relevant judgment in {}: do their ids match?",
            args.queries.display(),
            args.qrels.display()
        );
    }
    let measured: Vec<QueryMeasures> = queries
        .par_iter()
        .map(|(id, request)| {
            let results = searcher.search(request)?;
            let ranking: Vec<String> = results.hits.into_iter().map(|hit| hit.article).collect();
            Ok(QueryMeasures {
                id: id.clone(),
                measures: eval::measure(&ranking, &qrels[id], k),
            })
        })
        .collect::<Result<_>>()?;
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
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
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
