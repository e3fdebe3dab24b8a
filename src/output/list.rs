//! Printing the indexed articles (`quarry list`).

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::json::{PlaceJson, write_json_line};
use crate::list::Listed;

/// An article, as scripts read it: the metadata fields of a hit.
#[derive(Serialize)]
struct ListedJson<'a> {
    #[serde(flatten)]
    place: PlaceJson<'a>,
    title: Option<&'a str>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    /// `YYYY-MM-DD`.
    date: Option<String>,
    date_origin: Option<&'static str>,
}

impl<'a> ListedJson<'a> {
    fn new(article: &'a Listed) -> ListedJson<'a> {
        ListedJson {
            place: PlaceJson::of(article),
            title: article.title.as_deref(),
            source: article.source.as_deref(),
            author: article.author.as_deref(),
            date: article.date.map(|date| date.to_string()),
            date_origin: article.date_origin.map(|origin| origin.as_str()),
        }
    }
}

/// One JSON object per article and line.
pub fn write_json_lines(out: &mut impl Write, listed: &[Listed]) -> io::Result<()> {
    for article in listed {
        write_json_line(out, &ListedJson::new(article))?;
    }
    Ok(())
}

/// A group of copies, as scripts read it.
#[derive(Serialize)]
struct GroupJson<'a> {
    copies: usize,
    articles: Vec<ListedJson<'a>>,
}

/// One JSON object per group of copies and line: `{"copies", "articles": [...]}`, the
/// articles as `quarry list` gives them, the original first.
pub fn write_groups_json_lines(out: &mut impl Write, groups: &[Vec<Listed>]) -> io::Result<()> {
    for group in groups {
        let json = GroupJson {
            copies: group.len(),
            articles: group.iter().map(ListedJson::new).collect(),
        };
        write_json_line(out, &json)?;
    }
    Ok(())
}

/// Each group of copies: `N copies`, then its articles as `quarry list` shows them, the
/// original first, each said to be the `original` or a `copy`, then an empty line.
pub fn write_groups_text(out: &mut impl Write, groups: &[Vec<Listed>]) -> io::Result<()> {
    for group in groups {
        writeln!(out, "{} copies", group.len())?;
        for (at, article) in group.iter().enumerate() {
            write!(out, "  {:<8}  ", if at == 0 { "original" } else { "copy" })?;
            write_text(out, std::slice::from_ref(article))?;
        }
        writeln!(out)?;
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
