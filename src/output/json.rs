//! JSON printers: the schema is documented in README.md and must stay stable (fields may be
//! added, never renamed or removed). The wire types here are the schema: they borrow from the
//! searcher's [`Hit`] but are not it, so a change inside never renames a public field.
//!
//! Every JSON quarry prints goes through [`write_json_line`], which escapes what serde_json
//! leaves raw and a terminal would act on (`jq -r` prints strings as they are).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::QueryRecord;
use super::sanitize::is_unsafe;
use super::text::SNIPPET_COLUMNS;
use crate::index::searcher::{Hit, OtherCopy};
use crate::list::Listed;
use crate::passage::PageMap;
use crate::snippet::Snippet;

#[derive(Serialize)]
struct QueryJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    took_ms: f64,
    hits: Vec<HitJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// A hit, as scripts read it.
#[derive(Serialize)]
struct HitJson<'a> {
    rank: usize,
    score: f32,
    #[serde(flatten)]
    place: PlaceJson<'a>,
    #[serde(flatten)]
    lines: LinesJson,
    title: Option<&'a str>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    /// `YYYY-MM-DD`.
    date: Option<String>,
    date_origin: Option<&'static str>,
    passage: &'a str,
    highlights: &'a [[usize; 2]],
    snippet: SnippetJson<'a>,
    /// The other articles of its story, the original first (at most `COPIES_LISTED`).
    copies: Vec<CopyJson<'a>>,
    /// How many other articles its story has.
    copies_total: usize,
    /// The fields taken from a copy, each with that copy's path.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    completed_from: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a serde_json::Value>,
}

/// Which article, where: its id, its file's path (and the path's bytes when they are not
/// UTF-8), and which article of the file when it holds several (a mailbox's message).
#[derive(Serialize)]
pub struct PlaceJson<'a> {
    article: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
}

impl<'a> PlaceJson<'a> {
    pub fn new(
        article: &'a str,
        path: &'a str,
        path_bytes: &'a [u8],
        part: Option<&'a str>,
    ) -> PlaceJson<'a> {
        PlaceJson {
            article,
            path,
            path_bytes: not_utf8(path_bytes),
            part,
        }
    }

    pub fn of(listed: &'a Listed) -> PlaceJson<'a> {
        let (article, path) = (&listed.article, &listed.path);
        PlaceJson::new(article, path, &listed.path_bytes, listed.part.as_deref())
    }
}

/// Another article of a hit's story.
#[derive(Serialize)]
struct CopyJson<'a> {
    #[serde(flatten)]
    place: PlaceJson<'a>,
    source: Option<&'a str>,
    /// `YYYY-MM-DD`.
    date: Option<String>,
    original: bool,
}

impl<'a> CopyJson<'a> {
    fn new(copy: &'a OtherCopy) -> CopyJson<'a> {
        let article = &copy.article;
        CopyJson {
            place: PlaceJson::of(article),
            source: article.source.as_deref(),
            date: article.date.map(|date| date.to_string()),
            original: copy.original,
        }
    }
}

/// The best sentence of a passage (cut around its matches when long), with its own
/// highlights (byte offsets in `text`) and the file lines it spans.
#[derive(Serialize)]
struct SnippetJson<'a> {
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    #[serde(flatten)]
    lines: LinesJson,
}

/// Where a passage or a snippet is in its file: `lines`, first and last. On a PDF, `page` is
/// the page of the first line, `last_page` that of the last when it is another, and each line
/// is counted on its page.
#[derive(Serialize)]
pub struct LinesJson {
    lines: [u32; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_page: Option<u32>,
}

impl LinesJson {
    pub fn new([first, last]: [u32; 2], pages: &PageMap) -> LinesJson {
        let (first, last) = (pages.place(first), pages.place(last));
        LinesJson {
            lines: [first.line, last.line],
            page: first.page,
            last_page: last.page.filter(|&page| Some(page) != first.page),
        }
    }
}

impl<'a> SnippetJson<'a> {
    fn new(hit: &'a Hit) -> SnippetJson<'a> {
        let snippet = Snippet::of(&hit.passage, &hit.highlights, SNIPPET_COLUMNS);
        SnippetJson {
            lines: LinesJson::new(snippet.lines(hit.lines[0], &hit.line_map), &hit.pages),
            text: &hit.passage[snippet.range.clone()],
            highlights: snippet.highlights,
        }
    }
}

impl<'a> HitJson<'a> {
    fn new(hit: &'a Hit) -> HitJson<'a> {
        HitJson {
            rank: hit.rank,
            score: hit.score,
            place: PlaceJson::new(
                &hit.article,
                &hit.path,
                &hit.path_bytes,
                hit.part.as_deref(),
            ),
            lines: LinesJson::new(hit.lines, &hit.pages),
            title: hit.title.as_deref(),
            source: hit.source.as_deref(),
            author: hit.author.as_deref(),
            date: hit.date.map(|date| date.to_string()),
            date_origin: hit.date_origin.map(|origin| origin.as_str()),
            passage: &hit.passage,
            highlights: &hit.highlights,
            snippet: SnippetJson::new(hit),
            copies: hit.copies.iter().map(CopyJson::new).collect(),
            copies_total: hit.copies_total,
            completed_from: (hit.completed_from.iter())
                .map(|(field, path)| (*field, path.as_str()))
                .collect(),
            explanation: hit.explanation.as_ref(),
        }
    }
}

#[derive(Serialize)]
struct HitLineJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    #[serde(flatten)]
    hit: HitJson<'a>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    error: &'a str,
}

#[derive(Serialize)]
struct CountJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    took_ms: f64,
    articles: Option<u64>,
    stories: Option<u64>,
    passages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// One line: `{"id", "query", "took_ms", "articles", "stories", "passages"}` (null when the
/// query failed, with `"error"`).
pub fn write_count(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let json = CountJson {
        id: record.id,
        query: record.query,
        took_ms: rounded(record.took_ms),
        articles: record.matched.map(|matched| matched.articles),
        stories: record.matched.map(|matched| matched.stories),
        passages: record.matched.map(|matched| matched.passages),
        error: record.error,
    };
    write_json_line(out, &json)
}

/// Milliseconds to the microsecond.
fn rounded(millis: f64) -> f64 {
    (millis * 1000.0).round() / 1000.0
}

/// One line: `{"id", "query", "took_ms", "hits": [...]}`, and `"error"` when the query failed.
pub fn write_query(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let json = QueryJson {
        id: record.id,
        query: record.query,
        took_ms: rounded(record.took_ms),
        hits: record.hits.iter().map(HitJson::new).collect(),
        error: record.error,
    };
    write_json_line(out, &json)
}

/// One line per hit: the hit's fields plus `id` and `query`; a failed query gives one line
/// with `error`.
pub fn write_hit_lines(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    if let Some(error) = record.error {
        let json = ErrorJson {
            id: record.id,
            query: record.query,
            error,
        };
        return write_json_line(out, &json);
    }
    for hit in record.hits {
        let json = HitLineJson {
            id: record.id,
            query: record.query,
            hit: HitJson::new(hit),
        };
        write_json_line(out, &json)?;
    }
    Ok(())
}

/// A path's bytes when they are not UTF-8: its text form then shows them as `\xNN`, which
/// opens no file, so the JSON gives them beside it (`path_bytes`, an array of numbers).
pub(super) fn not_utf8(bytes: &[u8]) -> Option<&[u8]> {
    std::str::from_utf8(bytes).is_err().then_some(bytes)
}

/// Writes `value` as one line of compact JSON, with every character that
/// [`super::escape`] escapes for a terminal written `\uXXXX`.
pub fn write_json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, TerminalSafe);
    value.serialize(&mut serializer)?;
    writeln!(out)
}

/// serde_json's compact format, escaping more: serde_json escapes only the C0 controls, `"`
/// and `\`, and leaves DEL, C1 controls, bidirectional controls and separators raw.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    /// `fragment` is a run of a string that serde_json writes as it is.
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut clean = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[clean..at])?;
                let mut units = [0; 2];
                // Beyond the BMP (tags), JSON escapes a character as its UTF-16 pair.
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                clean = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[clean..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        write_json_line(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn what_a_terminal_acts_on_is_escaped_and_the_string_round_trips() {
        let hostile = "a\x1b[2J\u{9b}\x7f\u{202e}\u{2028}\u{61c}\u{e0041}\"\\é";
        let line = json(&hostile);
        assert_eq!(
            line,
            "\"a\\u001b[2J\\u009b\\u007f\\u202e\\u2028\\u061c\\udb40\\udc41\\\"\\\\é\"\n"
        );
        assert_eq!(serde_json::from_str::<String>(&line).unwrap(), hostile);
    }

    #[test]
    fn keys_are_escaped_too() {
        let map = std::collections::BTreeMap::from([("k\u{202e}", 1)]);
        assert_eq!(json(&map), "{\"k\\u202e\":1}\n");
    }

    #[test]
    fn path_bytes_only_when_the_path_is_not_utf8() {
        assert_eq!(not_utf8(b"/a/b\xff.txt"), Some(&b"/a/b\xff.txt"[..]));
        assert_eq!(not_utf8("/a/café.txt".as_bytes()), None);
    }
}
