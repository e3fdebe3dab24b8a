//! Printing search results: readable text for people, JSON for scripts.
//!
//! Printers take [`Hit`]s and know nothing of the index.

mod inspect;
mod json;
mod text;

use std::io::{self, Write};

use crate::search::Hit;

pub use inspect::{InspectFormat, write as write_article};
pub use text::TextStyle;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A header line per passage (path:lines, date, source — title), then the passage.
    Text,
    /// One JSON object per query, on one line: {"query", "hits": [...]}.
    Json,
    /// One JSON object per hit, on its own line, with the query.
    Jsonl,
}

/// Writes the hits of one query in `format`.
pub fn write_results(
    out: &mut impl Write,
    format: Format,
    style: &TextStyle,
    query: &str,
    hits: &[Hit],
) -> io::Result<()> {
    match format {
        Format::Text => text::write(out, style, hits),
        Format::Json => json::write_query(out, query, hits),
        Format::Jsonl => json::write_hit_lines(out, query, hits),
    }
}
