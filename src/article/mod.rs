//! Reading one file into an article: its metadata, its clean text and its passages.
//!
//! Each format has its reader (`markdown`, `html`; plain text needs none); all of them end in
//! lines of text that go through the same plain-text rules: the header (`header`), page
//! furniture (`furniture`), attributions (`attribution`), paragraphs and their repairs
//! (`clean`). Sidecar files (`sidecar`) override what was guessed.

mod attribution;
mod clean;
mod date;
mod decode;
mod furniture;
mod header;
mod html;
mod markdown;
mod metadata;
mod names;
mod sidecar;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::paragraph::{self, Line, Paragraph};
use crate::passage::{self, Passage};

pub use metadata::{DateOrigin, Metadata, date_at_start};
pub use sidecar::{Sidecars, is_sidecar};

/// One file, understood.
#[derive(Debug)]
pub struct Article {
    /// Path relative to the indexed root, without extension, `/`-separated.
    pub id: String,
    pub path: PathBuf,
    pub metadata: Metadata,
    pub passages: Vec<Passage>,
}

/// The kinds of file quarry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format of a file, by its extension (any case); `None` for files quarry doesn't read.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
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

/// Reads and understands the file at `path`, with the metadata its sidecars supply.
pub fn read(path: &Path, id: String, format: Format, sidecars: &Sidecars) -> Result<Article> {
    let bytes = fs::read(path)?;
    from_bytes(&bytes, path, id, format, sidecars.lookup(path)?)
}

/// Understands the bytes of the file at `path`; `supplied` (from sidecar files) overrides the
/// metadata found in them.
pub fn from_bytes(
    bytes: &[u8],
    path: &Path,
    id: String,
    format: Format,
    supplied: Metadata,
) -> Result<Article> {
    let text = decode::decode(bytes)?;
    let (found, passages) = parse(&text, format);
    Ok(Article {
        id,
        path: path.to_path_buf(),
        metadata: supplied.or(found),
        passages,
    })
}

/// Understands an article's text: its metadata and its passages.
pub fn parse(text: &str, format: Format) -> (Metadata, Vec<Passage>) {
    let (metadata, paragraphs) = match format {
        Format::Text => plain_text(Line::numbered(text)),
        Format::Markdown => {
            let (front_matter, lines) = markdown::read(text);
            let (found, paragraphs) = plain_text(lines);
            (front_matter.or(found), paragraphs)
        }
        Format::Html => {
            let page = html::read(text);
            let (found, paragraphs) = plain_text(page.lines);
            // An attribution in the text names the original publisher; the page's own tags
            // name the site that reposted it.
            let source = found.source.clone().or(page.metadata.source.clone());
            let metadata = Metadata {
                source,
                ..page.metadata.or(found)
            };
            (metadata, paragraphs)
        }
    };
    (metadata, passage::pack_paragraphs(&paragraphs))
}

/// The plain-text rules, on the lines of any format.
fn plain_text(mut lines: Vec<Line>) -> (Metadata, Vec<Paragraph>) {
    let header = header::read(&lines);
    for line in &mut lines {
        if header.lines.contains(&line.number) || furniture::is_furniture(&line.text) {
            line.text = "".into();
        }
    }
    let attribution = attribution::read(&mut lines);
    let mut paragraphs = paragraph::from_lines(&lines);
    clean::drop_repeats(&mut paragraphs);
    clean::split_glued_words(&mut paragraphs);
    let metadata = Metadata {
        title: header.title,
        source: attribution.source.or(header.outlet),
        author: header.author.or(attribution.author),
        ..Metadata::default()
    }
    .with_date(header.date, DateOrigin::Text);
    (metadata, paragraphs)
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
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("b.markdown")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("b.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("b.pdf")), None);
        assert_eq!(Format::of(Path::new("README")), None);
    }

    #[test]
    fn header_lines_are_not_passages() {
        let (metadata, passages) = parse(
            "BAHIA COCOA REVIEW\n26-FEB-1987 15:01:01.79\n\nShowers continued in\nthe zone.\n",
            Format::Text,
        );
        assert_eq!(metadata.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(metadata.date_origin, Some(DateOrigin::Text));
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, "Showers continued in the zone.");
        assert_eq!((passages[0].first_line, passages[0].last_line), (4, 5));
    }

    #[test]
    fn html_attribution_beats_the_reposting_site() {
        let page = "<html><head><meta property=\"og:site_name\" content=\"Repost Hub\"></head>\
                    <body><p>Text of the story.</p><p>This article originally appeared in \
                    The Guardian.</p></body></html>";
        let (metadata, passages) = parse(page, Format::Html);
        assert_eq!(metadata.source.as_deref(), Some("The Guardian"));
        assert_eq!(passages.len(), 1);
        let (metadata, _) = parse(
            "<meta property=\"og:site_name\" content=\"Hub\"><p>Text.</p>",
            Format::Html,
        );
        assert_eq!(metadata.source.as_deref(), Some("Hub"));
    }
}
