//! Printing what quarry understood of one file (`quarry inspect`).

use std::io::{self, Write};

use serde::Serialize;

use super::json::{LinesJson, not_utf8, write_json_line};
use super::sanitize::escape;
use super::text::{self, LINES, PATH, TITLE, TextStyle};
use crate::article::Article;
use crate::passage::{PageMap, Passage};
use crate::paths::{path_bytes, path_text};

/// How `quarry inspect` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InspectFormat {
    /// Metadata as `field: value` lines, then each passage under its line range.
    Text,
    /// One JSON object per article: {"path", "article", "title", "source", "author", "date",
    /// "date_origin", "warnings", "passages": [{"lines", "text"}]}, "path_bytes" when the path
    /// is not UTF-8, "part" for an article inside a file (a message, an attachment).
    Json,
}

#[derive(Serialize)]
struct ArticleRecord<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
    article: &'a str,
    title: &'a Option<String>,
    source: &'a Option<String>,
    author: &'a Option<String>,
    date: Option<String>,
    date_origin: Option<&'static str>,
    /// What the file holds that could not be read (bad front matter).
    warnings: &'a [String],
    passages: Vec<PassageRecord<'a>>,
}

#[derive(Serialize)]
struct PassageRecord<'a> {
    #[serde(flatten)]
    lines: LinesJson,
    text: &'a str,
}

pub fn write(
    out: &mut impl Write,
    format: InspectFormat,
    style: &TextStyle,
    article: &Article,
) -> io::Result<()> {
    match format {
        InspectFormat::Json => write_json(out, article),
        InspectFormat::Text => write_text(out, style, article),
    }
}

fn write_json(out: &mut impl Write, article: &Article) -> io::Result<()> {
    let meta = &article.metadata;
    let record = ArticleRecord {
        path: path_text(&article.path),
        path_bytes: not_utf8(path_bytes(&article.path)),
        part: article.part.as_deref(),
        article: &article.id,
        title: &meta.title,
        source: &meta.source,
        author: &meta.author,
        date: meta.date.map(|date| date.to_string()),
        date_origin: meta.date_origin.map(|origin| origin.as_str()),
        warnings: &article.warnings,
        passages: article
            .passages
            .iter()
            .map(|passage| PassageRecord {
                lines: LinesJson::new(
                    [passage.first_line, passage.last_line],
                    &pages_of(article, passage),
                ),
                text: &passage.text,
            })
            .collect(),
    };
    write_json_line(out, &record)
}

fn write_text(out: &mut impl Write, style: &TextStyle, article: &Article) -> io::Result<()> {
    let meta = &article.metadata;
    let unknown = "(unknown)".to_string();
    let show = |value: &Option<String>| {
        value
            .as_deref()
            .map_or(unknown.clone(), |value| escape(value).into_owned())
    };
    let date = match (meta.date, meta.date_origin) {
        (Some(date), Some(origin)) => format!("{date} (from {})", origin.as_str()),
        _ => "undated".to_string(),
    };
    let path = path_text(&article.path);
    writeln!(
        out,
        "path:     {}",
        text::paint(style, PATH, &text::shown_path(style, &path))
    )?;
    writeln!(out, "article:  {}", escape(&article.id))?;
    writeln!(
        out,
        "title:    {}",
        text::paint(style, TITLE, &show(&meta.title))
    )?;
    writeln!(out, "source:   {}", show(&meta.source))?;
    writeln!(out, "author:   {}", show(&meta.author))?;
    writeln!(out, "date:     {date}")?;
    if article.passages.is_empty() {
        writeln!(
            out,
            "passages: 0 (nothing to index: `quarry index` reports and skips it)"
        )?;
    } else {
        writeln!(out, "passages: {}", article.passages.len())?;
    }
    for passage in &article.passages {
        writeln!(out)?;
        let pages = pages_of(article, passage);
        let span = [passage.first_line, passage.last_line];
        let lines = format!("lines {}", pages.range(span[0], span[1]));
        writeln!(out, "{}", text::paint(style, LINES, &lines))?;
        let place = text::Place {
            first_line: passage.first_line,
            lines: &passage.lines,
            pages: &pages,
            label_width: text::label_width(span, &pages),
        };
        text::write_passage(out, style, &passage.text, &place, &[])?;
    }
    Ok(())
}

/// The pages a passage of a PDF is on (none for other files).
fn pages_of(article: &Article, passage: &Passage) -> PageMap {
    PageMap::of(&article.page_starts, passage.first_line, passage.last_line)
}
