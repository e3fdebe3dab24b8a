//! Printing the indexed articles (`quarry list`).

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::json::{not_utf8, write_json_line};
use crate::list::Listed;

/// An article, as scripts read it: the metadata fields of a hit.
#[derive(Serialize)]
struct ListedJson<'a> {
    article: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
    title: Option<&'a str>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    /// `YYYY-MM-DD`.
    date: Option<String>,
    date_origin: Option<&'static str>,
}

/// One JSON object per article and line.
pub fn write_json_lines(out: &mut impl Write, listed: &[Listed]) -> io::Result<()> {
    for article in listed {
        let json = ListedJson {
            article: &article.article,
            path: &article.path,
            path_bytes: not_utf8(&article.path_bytes),
            part: article.part.as_deref(),
            title: article.title.as_deref(),
            source: article.source.as_deref(),
            author: article.author.as_deref(),
            date: article.date.map(|date| date.to_string()),
            date_origin: article.date_origin.map(|origin| origin.as_str()),
        };
        write_json_line(out, &json)?;
    }
    Ok(())
}

/// One line per article: its date (or `undated`), its path, then title, source and author.
pub fn write_text(out: &mut impl Write, listed: &[Listed]) -> io::Result<()> {
    for article in listed {
        let date = article
            .date
            .map_or_else(|| "undated".to_string(), |date| date.to_string());
        let mut about = article.title.clone().unwrap_or_else(|| "(no title)".into());
        let by: Vec<&str> = [&article.source, &article.author]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !by.is_empty() {
            about.push_str(&format!(" ({})", by.join("; ")));
        }
        let path = match &article.part {
            Some(part) => format!("{}#{part}", article.path),
            None => article.path.clone(),
        };
        writeln!(out, "{date:<10}  {}  {}", escape(&path), escape(&about))?;
    }
    Ok(())
}
