//! `quarry query`: search the index and print passages.

use std::io::{BufWriter, Write};

use anyhow::Result;

use super::{Outcome, text_style};
use crate::cli::QueryArgs;
use crate::filter::Filters;
use crate::output;
use crate::search::{Request, Searcher};
use crate::store;

pub fn run(args: &QueryArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let searcher = Searcher::open(&location)?;
    let request = Request {
        query: args.query.join(" "),
        filters: Filters {
            since: args.since,
            until: args.until,
            include_undated: args.include_undated,
            source: args.source.clone(),
            author: args.author.clone(),
        },
        sort: args.sort,
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
        offset: usize::try_from(args.offset).unwrap_or(usize::MAX),
    };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("quarry: warning: searched what could be understood of the query ({warning})");
    }
    let style = text_style(args.color.choice);
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_results(&mut out, args.format, &style, &request.query, &results.hits)?;
    out.flush()?;
    Ok(if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Success
    })
}
