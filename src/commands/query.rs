//! `quarry query`: search the index and print passages.

use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Result;

use super::Outcome;
use crate::cli::{ColorChoice, QueryArgs};
use crate::output::{self, TextStyle};
use crate::search::{Request, Searcher};
use crate::store;

pub fn run(args: &QueryArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let searcher = Searcher::open(&location)?;
    let request = Request {
        query: args.query.join(" "),
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
        offset: usize::try_from(args.offset).unwrap_or(usize::MAX),
    };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("quarry: warning: searched what could be understood of the query ({warning})");
    }
    let stdout = std::io::stdout();
    let style = text_style(args.color, stdout.is_terminal());
    let mut out = BufWriter::new(stdout.lock());
    output::write_results(&mut out, args.format, &style, &request.query, &results.hits)?;
    out.flush()?;
    Ok(if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Success
    })
}

fn text_style(choice: ColorChoice, terminal: bool) -> TextStyle {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    let width = terminal
        .then(terminal_size::terminal_size)
        .flatten()
        .map(|(width, _)| usize::from(width.0));
    TextStyle {
        color,
        width,
        relative_to: std::env::current_dir().ok(),
    }
}
