//! Printing search results: readable text for people, JSON, JSON Lines, TSV and TREC runs for
//! scripts, and articles for `quarry inspect`.
//!
//! Printers take [`QueryRecord`]s and know nothing of the index.

mod inspect;
mod json;
pub mod list;
pub mod roots;
mod sanitize;
pub mod stats;
mod text;
mod trec;
mod tsv;

use std::io::{self, Write};

use crate::index::searcher::{Hit, Matched};

pub use inspect::{InspectFormat, write as write_article};
pub use json::write_json_line;
pub use sanitize::{escape, is_unsafe};
pub use text::{SNIPPET_COLUMNS, TextStyle};

/// `1 passage`, `2 passages`: a count and its noun, which takes an `s` unless the count is 1.
pub fn count(number: u64, noun: &str) -> String {
    let s = if number == 1 { "" } else { "s" };
    format!("{number} {noun}{s}")
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: results grouped by article, a line of context per passage (on a
    /// terminal); `path:line: text` lines (in a pipe).
    Text,
    /// One JSON object per query, on one line: {"id", "query", "took_ms", "hits": [...]}.
    Json,
    /// One JSON object per hit, on its own line, with the query's id and text.
    Jsonl,
    /// Tab-separated values, one line per hit, after a header line.
    Tsv,
    /// TREC run lines (QID Q0 ARTICLE RANK SCORE quarry), one per article.
    Trec,
}

/// The outcome of one query, as printed.
#[derive(Debug, Clone, Copy)]
pub struct QueryRecord<'a> {
    /// The query's id: its batch id or line number; `1` for a single query.
    pub id: &'a str,
    /// The query text; `None` when a batch line could not be read.
    pub query: Option<&'a str>,
    /// Milliseconds spent searching and collecting the hits (not printing).
    pub took_ms: f64,
    pub hits: &'a [Hit],
    /// How many articles and passages match in the whole index, when counted.
    pub matched: Option<Matched>,
    /// Why the query could not run.
    pub error: Option<&'a str>,
}

/// What of the results text output shows, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Grouped by article: a header, a line of context per passage, how many more matched.
    Compact,
    /// Grouped by article, whole passages.
    Full,
    /// `path:line: text`, a line per passage, for grep and editors.
    Lines,
    /// `path:line:column: text`, as vim's quickfix list reads it.
    Vimgrep,
    /// The paths of the matching articles, best first.
    Paths,
    /// How many passages and articles match (in every format).
    Count,
}

/// Prints query records one after the other in one format.
pub struct Printer {
    format: Format,
    view: View,
    style: TextStyle,
    /// Name each query above its hits in text output (batches).
    label_queries: bool,
    started: bool,
}

impl Printer {
    pub fn new(format: Format, view: View, style: TextStyle, label_queries: bool) -> Printer {
        Printer {
            format,
            view,
            style,
            label_queries,
            started: false,
        }
    }

    pub fn write(&mut self, out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
        let first = !self.started;
        self.started = true;
        if self.view == View::Count && self.format != Format::Text {
            return json::write_count(out, record);
        }
        match self.format {
            Format::Text => {
                if self.label_queries {
                    text::write_label(out, &self.style, record)?;
                }
                let style = &self.style;
                let hits = record.hits;
                match self.view {
                    View::Compact => text::write_grouped(out, style, hits, false),
                    View::Full => text::write_grouped(out, style, hits, true),
                    View::Lines => text::write_lines(out, style, hits, false),
                    View::Vimgrep => text::write_lines(out, style, hits, true),
                    View::Paths => text::write_paths(out, style, hits),
                    View::Count => match record.matched {
                        Some(matched) if record.error.is_none() => text::write_count(out, matched),
                        _ => Ok(()),
                    },
                }
            }
            Format::Json => json::write_query(out, record),
            Format::Jsonl => json::write_hit_lines(out, record),
            Format::Tsv => {
                if first {
                    tsv::write_header(out)?;
                }
                tsv::write(out, record)
            }
            Format::Trec => trec::write(out, record),
        }
    }
}

#[cfg(test)]
mod count_tests {
    use super::count;

    #[test]
    fn one_is_singular() {
        assert_eq!(count(0, "passage"), "0 passages");
        assert_eq!(count(1, "undated article"), "1 undated article");
        assert_eq!(count(2, "file"), "2 files");
    }
}
