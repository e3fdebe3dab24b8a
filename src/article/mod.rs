//! Reading one file into an article: its text, metadata and passages.

mod date;
mod decode;
mod header;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use tantivy::time::Date;

use crate::passage::{self, Line, Passage};

/// File name extensions quarry reads as articles (compared without case).
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// One file, understood.
#[derive(Debug)]
pub struct Article {
    /// Path relative to the indexed root, without extension, `/`-separated.
    pub id: String,
    pub path: PathBuf,
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    pub passages: Vec<Passage>,
}

/// True when quarry reads files with this path's extension.
pub fn is_article_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            EXTENSIONS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(ext))
        })
}

/// The id of the article at `path` found under `root`: `root/a/b.txt` -> `a/b`. A file indexed
/// on its own is named by its file stem.
pub fn id(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let relative = if relative.as_os_str().is_empty() {
        Path::new(path.file_name().unwrap_or(path.as_os_str()))
    } else {
        relative
    };
    let without_extension = relative.with_extension("");
    let parts: Vec<_> = without_extension
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// Reads and understands the file at `path`.
pub fn read(path: &Path, id: String) -> Result<Article> {
    let bytes = fs::read(path)?;
    let text = decode::decode(&bytes)?;
    Ok(parse(id, path.to_path_buf(), &text))
}

/// Understands an article's text.
pub fn parse(id: String, path: PathBuf, text: &str) -> Article {
    let mut lines: Vec<Line> = text
        .lines()
        .zip(1..)
        .map(|(text, number)| Line { number, text })
        .collect();
    let header = header::read(&lines);
    // Header lines become blank rather than vanish, so paragraphs keep their shape.
    for line in &mut lines {
        if header.lines.contains(&line.number) {
            line.text = "";
        }
    }
    Article {
        id,
        path,
        title: header.title,
        source: None,
        author: None,
        date: header.date,
        passages: passage::segment(&lines),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_relative_without_extension() {
        let root = Path::new("/data/corpus");
        assert_eq!(id(root, Path::new("/data/corpus/000_ed4d.txt")), "000_ed4d");
        assert_eq!(
            id(root, Path::new("/data/corpus/2020/feb/a.b.md")),
            "2020/feb/a.b"
        );
        let file = Path::new("/data/one.html");
        assert_eq!(id(file, file), "one");
    }

    #[test]
    fn known_extensions_only() {
        assert!(is_article_file(Path::new("a/b.TXT")));
        assert!(is_article_file(Path::new("b.markdown")));
        assert!(!is_article_file(Path::new("b.pdf")));
        assert!(!is_article_file(Path::new("README")));
    }

    #[test]
    fn header_lines_are_not_passages() {
        let article = parse(
            "a".into(),
            PathBuf::from("a.txt"),
            "BAHIA COCOA REVIEW\n26-FEB-1987 15:01:01.79\n\nShowers continued in\nthe zone.\n",
        );
        assert_eq!(article.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert!(article.date.is_some());
        assert_eq!(article.passages.len(), 1);
        assert_eq!(article.passages[0].text, "Showers continued in the zone.");
        assert_eq!(
            (
                article.passages[0].first_line,
                article.passages[0].last_line
            ),
            (4, 5)
        );
    }
}
