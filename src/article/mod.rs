//! Understanding one file as an article: its metadata, its clean text and its passages.
//!
//! Each format's reader ([`crate::formats`]) gives lines of text and the metadata the format
//! carries; the lines then go through the same rules whatever the format: the header
//! (`header`), page furniture (`furniture`), attributions (`attribution`), paragraphs and their
//! repairs (`clean`). Sidecar files (`sidecar`) override what was guessed.

mod attribution;
mod clean;
mod date;
mod furniture;
mod header;
pub(crate) mod metadata;
mod names;
mod sidecar;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::formats::{self, Format};
use crate::paragraph::{self, Line, Paragraph};
use crate::passage::{self, Passage};
use crate::paths::path_text;

pub use metadata::{DateOrigin, FIELD_MAX_BYTES, Metadata};
pub use sidecar::{Sidecars, is_sidecar};

/// One file, or one article of a file that holds several (a mailbox's message, an e-mail's
/// attachment), understood.
#[derive(Debug)]
pub struct Article {
    /// Path relative to the indexed root, without extension, `/`-separated; for an article
    /// inside a file, then `#` and its [`part`](Article::part).
    pub id: String,
    pub path: PathBuf,
    /// Which article of its file this is, when the file holds several: a mailbox's message by
    /// its position (`3`), an attachment by its name (`report.pdf`, `3/report.pdf`).
    pub part: Option<String>,
    pub metadata: Metadata,
    /// Whether it says it first appeared elsewhere (`This article originally appeared in …`):
    /// it is a repost, its source the publisher it names.
    pub reposted: bool,
    pub passages: Vec<Passage>,
    /// What was in the file but could not be read (bad front matter), for the user to fix.
    pub warnings: Vec<String>,
    /// For a paged document (a PDF), the number of the first line of each page.
    pub page_starts: Vec<u32>,
    /// The files it carries that are articles of their own (an e-mail's attachments).
    pub attached: Vec<Article>,
}

impl Article {
    /// This article and those it carries.
    pub fn with_attached(&self) -> impl Iterator<Item = &Article> {
        std::iter::once(self).chain(&self.attached)
    }

    /// Its passages and those of the articles it carries.
    pub fn all_passages(&self) -> usize {
        self.with_attached()
            .map(|article| article.passages.len())
            .sum()
    }
}

/// The id of the article `part` of the file whose id is `file_id`.
pub fn part_id(file_id: &str, part: Option<&str>) -> String {
    match part {
        Some(part) => format!("{file_id}#{part}"),
        None => file_id.to_string(),
    }
}

/// A file's path with the article `part` of it: `inbox.mbox#3`, as reports and results name it.
pub fn part_path(path: &Path, part: Option<&str>) -> PathBuf {
    let mut named = path.as_os_str().to_os_string();
    if let Some(part) = part {
        named.push("#");
        named.push(part);
    }
    PathBuf::from(named)
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
        .map(|part| path_text(Path::new(part.as_os_str())))
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
    understand(bytes, path, &id, None, format, supplied)
}

/// Understands the article `part` of the file at `path` (the whole file when `None`), held in
/// `bytes`, and the articles it carries; `file_id` is the file's id.
fn understand(
    bytes: &[u8],
    path: &Path,
    file_id: &str,
    part: Option<String>,
    format: Format,
    supplied: Metadata,
) -> Result<Article> {
    let source = formats::open(bytes, format)?;
    let Parsed {
        metadata,
        reposted,
        passages,
        mut warnings,
        page_starts,
    } = parse_with(&source.text, source.format, source.metadata);
    warnings.splice(0..0, source.warnings);
    let metadata = supplied.or(metadata).bounded();
    let mut attached = Vec::new();
    for file in source.attached {
        let name = match &part {
            Some(part) => format!("{part}/{}", file.name),
            None => file.name.clone(),
        };
        let read = understand(
            &file.bytes,
            path,
            file_id,
            Some(name),
            file.format,
            Metadata::default(),
        );
        match read {
            Ok(article) if article.passages.is_empty() => {
                warnings.push(format!("attachment {}: no text to index", file.name));
            }
            Ok(mut article) => {
                // When and where the message was sent stand for an attachment that does not
                // say; its sender is not the attachment's author.
                let sent = Metadata {
                    source: metadata.source.clone(),
                    ..Metadata::default()
                }
                .with_date(metadata.date, DateOrigin::Mail);
                article.metadata = article.metadata.or(sent).bounded();
                attached.push(article);
            }
            Err(err) => warnings.push(format!("attachment {}: {err:#}", file.name)),
        }
    }
    Ok(Article {
        id: part_id(file_id, part.as_deref()),
        path: path.to_path_buf(),
        part,
        metadata,
        reposted,
        passages,
        warnings,
        page_starts,
        attached,
    })
}

/// Why one article of a file that holds several was left out.
#[derive(Debug)]
pub struct LeftOut {
    /// Which article ([`Article::part`]).
    pub part: String,
    pub reason: String,
}

/// The messages of the mailbox `reader` (the file at `path`, whose id is `file_id`), each an
/// article with its attachments, or why it was left out. Read a message at a time: memory is
/// that of one message, and a message larger than `max_message_bytes` is left out.
pub fn mailbox<R: std::io::BufRead>(
    reader: R,
    path: &Path,
    file_id: &str,
    max_message_bytes: u64,
) -> impl Iterator<Item = std::io::Result<Result<Article, LeftOut>>> {
    formats::mbox::Messages::new(reader, max_message_bytes).map(move |mailed| {
        let mailed = mailed?;
        let part = mailed.number.to_string();
        if mailed.too_large() {
            let reason = format!(
                "a message of {} bytes, larger than --max-file-size ({max_message_bytes} \
                 bytes); not indexed",
                mailed.size
            );
            return Ok(Err(LeftOut { part, reason }));
        }
        let read = understand(
            &mailed.bytes,
            path,
            file_id,
            Some(part.clone()),
            Format::Eml,
            Metadata::default(),
        );
        Ok(read.map_err(|err| LeftOut {
            part,
            reason: format!("{err:#}"),
        }))
    })
}

/// What an article's text holds.
#[derive(Debug)]
pub struct Parsed {
    pub metadata: Metadata,
    /// The text says where it first appeared ([`Article::reposted`]).
    pub reposted: bool,
    pub passages: Vec<Passage>,
    /// What could not be read, each said once.
    pub warnings: Vec<String>,
    /// For a paged document (a PDF), the number of the first line of each page.
    pub page_starts: Vec<u32>,
}

/// Understands an article's text: its metadata and its passages.
pub fn parse(text: &str, format: Format) -> Parsed {
    parse_with(text, format, Metadata::default())
}

/// Understands an article's text, `carried` being what its file says of it outside the text
/// (it outranks what the text's own format says).
fn parse_with(text: &str, format: Format, carried: Metadata) -> Parsed {
    let mut document = formats::read_text(text, format);
    document.metadata = carried.or(document.metadata);
    let (found, original, paragraphs) =
        plain_text(document.lines, document.metadata.title.as_deref());
    // The format's metadata comes first, except that a statement of where the article first
    // appeared outranks what a site it was saved from says of itself.
    let source = if original && document.source_is_site {
        found.source.clone()
    } else {
        document.metadata.source.clone().or(found.source.clone())
    };
    Parsed {
        metadata: Metadata {
            source,
            ..document.metadata.or(found)
        },
        reposted: original,
        passages: passage::pack_paragraphs(&paragraphs),
        warnings: document.warnings,
        page_starts: document.page_starts,
    }
}

/// The plain-text rules, on the lines of any format. `known_title` is the title the format's
/// own metadata gives: a first line repeating it is left out, any other first line stays text.
/// Also says whether the source is the original publisher named by an attribution.
fn plain_text<'a>(
    mut lines: Vec<Line<'a>>,
    known_title: Option<&str>,
) -> (Metadata, bool, Vec<Paragraph<'a>>) {
    let header = header::read(&lines);
    // A first line that differs from the known title is a line of text (a lede, a kicker).
    let title_is_text = known_title
        .zip(header.title.as_deref())
        .is_some_and(|(known, title)| !same_words(known, title));
    let title_line = header.title_line.filter(|_| !title_is_text);
    // Kept aside: an article that is a title alone is found by it.
    let title = title_line.map(|index| lines[index].clone());
    for &index in header.lines.iter().chain(&title_line) {
        lines[index].text = "".into();
    }
    if let Some((index, start)) = header.text_after_dateline {
        let text = lines[index].text.get(start..).unwrap_or_default();
        lines[index].text = text.to_string().into();
    }
    for line in &mut lines {
        let text = furniture::text_of(&line.text);
        if text.len() < line.text.len() {
            line.text = text.to_string().into();
        }
    }
    let attribution = attribution::read(&mut lines);
    let mut repeats = clean::Repeats::default();
    let mut paragraphs = paragraph::from_lines_with(&lines, |done| repeats.drop_last(done));
    if paragraphs.is_empty()
        && let Some(title) = title
    {
        paragraphs = paragraph::from_lines_with(&[title], |_| {});
    }
    // The paragraphs hold the text now; a file of many short lines has many of these.
    drop(lines);
    clean::drop_near_repeats(&mut paragraphs);
    clean::split_glued_words(&mut paragraphs);
    let metadata = Metadata {
        title: header.title,
        source: attribution.source.or(header.outlet),
        author: header.author.or(attribution.author),
        ..Metadata::default()
    }
    .with_date(header.date, DateOrigin::Text);
    (metadata, attribution.original, paragraphs)
}

/// True when two titles have the same words, whatever their case and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(a) == words(b)
}

/// Appends `word` lowercased to `out`. Parsing lowercases most words of every article, and
/// nearly all are ASCII: those are copied and lowered in place, not char by char.
fn push_lowercase(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
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
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("b.markdown")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("b.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("b.PDF")), Some(Format::Pdf));
        assert_eq!(Format::of(Path::new("b.doc")), None);
        assert_eq!(Format::of(Path::new("README")), None);
        for extension in Format::EXTENSIONS {
            assert!(Format::of(Path::new(&format!("a{extension}"))).is_some());
        }
    }

    #[test]
    fn header_lines_are_not_passages() {
        let Parsed {
            metadata, passages, ..
        } = parse(
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
    fn an_article_that_is_a_title_alone_is_its_title() {
        for text in ["deep nesting works: thalassa\n", "A Lone Title\n\n"] {
            let Parsed {
                metadata, passages, ..
            } = parse(text, Format::Text);
            assert_eq!(metadata.title.as_deref(), Some(text.trim()));
            assert_eq!(passages.len(), 1, "{text:?}");
            assert_eq!(
                (passages[0].text.as_str(), passages[0].first_line),
                (text.trim(), 1)
            );
        }
    }

    #[test]
    fn the_text_after_a_wire_dateline_and_a_widget_stays() {
        let text = "DHAKA, July 18, 2024 — Protesters filled the streets.\n\n\
                    Back to top buttonThe curfew was lifted on Friday.\n";
        let Parsed {
            metadata, passages, ..
        } = parse(text, Format::Text);
        assert_eq!(
            metadata.date.map(|d| d.to_string()).as_deref(),
            Some("2024-07-18")
        );
        let texts: Vec<_> = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts.join("\n"),
            "Protesters filled the streets.\nThe curfew was lifted on Friday."
        );
    }

    #[test]
    fn a_first_line_too_long_for_a_title_is_text() {
        let line = ["Wordy"; 25].map(|word| word.repeat(100)).join(" ");
        let Parsed {
            metadata, passages, ..
        } = parse(&format!("{line}\n\nBody text."), Format::Text);
        assert_eq!(metadata.title, None);
        assert_eq!(passages[0].text, format!("{line}\nBody text."));
    }

    #[test]
    fn supplied_metadata_is_bounded_too() {
        let supplied = Metadata {
            title: Some("A long title ".repeat(100_000)),
            ..Metadata::default()
        };
        let article = from_bytes(
            b"Text.",
            Path::new("a.txt"),
            "a".into(),
            Format::Text,
            supplied,
        );
        let title = article.map(|a| a.metadata.title.unwrap_or_default());
        assert!(title.is_ok_and(|t| t.len() <= FIELD_MAX_BYTES && t.ends_with('…')));
    }

    #[test]
    fn datelines_past_the_header_are_text() {
        let Parsed { passages, .. } = parse(&"2020-01-01\n".repeat(1000), Format::Text);
        let dates: usize = passages
            .iter()
            .map(|p| p.text.matches("2020").count())
            .sum();
        assert!(dates >= 800, "{passages:?}");
    }

    #[test]
    fn a_first_line_that_is_not_the_known_title_is_text() {
        let page = "<title>Storm Hits Coast</title><p>Short lede line</p><p>More text.</p>";
        let Parsed {
            metadata, passages, ..
        } = parse(page, Format::Html);
        assert_eq!(metadata.title.as_deref(), Some("Storm Hits Coast"));
        assert!(passages[0].text.starts_with("Short lede line"));
        let page = "<title>Storm Hits Coast | Site</title><h1>Storm hits coast</h1><p>Text.</p>";
        let Parsed { passages, .. } = parse(page, Format::Html);
        assert_eq!(passages[0].text, "Text.");
    }

    #[test]
    fn a_credit_does_not_outrank_the_page_s_publisher() {
        let page = "<meta property=\"og:site_name\" content=\"Daily Planet\"><p>Text of the \
                    story.</p><p>Photo: Jane Roe/Reuters</p>";
        let Parsed { metadata, .. } = parse(page, Format::Html);
        assert_eq!(metadata.source.as_deref(), Some("Daily Planet"));
    }

    #[test]
    fn html_attribution_beats_the_reposting_site() {
        let page = "<html><head><meta property=\"og:site_name\" content=\"Repost Hub\"></head>\
                    <body><p>Text of the story.</p><p>This article originally appeared in \
                    The Guardian.</p></body></html>";
        let Parsed {
            metadata, passages, ..
        } = parse(page, Format::Html);
        assert_eq!(metadata.source.as_deref(), Some("The Guardian"));
        assert_eq!(passages.len(), 1);
        let Parsed { metadata, .. } = parse(
            "<meta property=\"og:site_name\" content=\"Hub\"><p>Text.</p>",
            Format::Html,
        );
        assert_eq!(metadata.source.as_deref(), Some("Hub"));
    }
}
