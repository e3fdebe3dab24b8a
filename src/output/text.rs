//! The text printer: a header line per passage, then the passage with its matches marked.

use std::io::{self, Write};
use std::path::PathBuf;

use super::QueryRecord;
use super::sanitize::escape;
use crate::search::Hit;

const RESET: &str = "\x1b[0m";
pub const PATH: &str = "\x1b[35m";
pub const LINES: &str = "\x1b[32m";
pub const TITLE: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const INDENT: &str = "  ";

/// How text output looks.
#[derive(Debug, Clone, Default)]
pub struct TextStyle {
    /// Colour the header and the matched words (ANSI escapes).
    pub color: bool,
    /// Wrap passages to this many columns; `None` leaves each paragraph on one line.
    pub width: Option<usize>,
    /// Show paths under this folder relative to it.
    pub relative_to: Option<PathBuf>,
}

pub fn write(out: &mut impl Write, style: &TextStyle, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        writeln!(out, "{}", header(style, hit))?;
        write_passage(out, style, &hit.passage, &hit.highlights)?;
        if let Some(explanation) = &hit.explanation {
            writeln!(out, "{INDENT}score:")?;
            write_explanation(out, explanation, 2)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// An explanation tree, one node a line: `value  description`, details indented below.
fn write_explanation(
    out: &mut impl Write,
    node: &serde_json::Value,
    depth: usize,
) -> io::Result<()> {
    let value = node["value"].as_f64().unwrap_or_default();
    let description = node["description"].as_str().unwrap_or_default();
    writeln!(
        out,
        "{}{value:.4}  {}",
        INDENT.repeat(depth),
        escape(description)
    )?;
    for detail in node["details"].as_array().into_iter().flatten() {
        write_explanation(out, detail, depth + 1)?;
    }
    Ok(())
}

/// A line naming a query of a batch above its hits: `# ID: QUERY`, or the error.
pub fn write_label(
    out: &mut impl Write,
    style: &TextStyle,
    record: &QueryRecord,
) -> io::Result<()> {
    let query = escape(record.query.unwrap_or_default());
    let label = format!("# {}: {query}", escape(record.id));
    writeln!(out, "{}", paint(style, TITLE, &label))?;
    match record.error {
        Some(error) => writeln!(out, "  error: {}\n", escape(error)),
        None if record.hits.is_empty() => writeln!(out, "  (no match)\n"),
        None => Ok(()),
    }
}

/// Writes a passage's paragraphs indented (and wrapped, on a terminal), highlights marked.
pub fn write_passage(
    out: &mut impl Write,
    style: &TextStyle,
    passage: &str,
    highlights: &[[usize; 2]],
) -> io::Result<()> {
    let mut start = 0;
    for paragraph in passage.split('\n') {
        let end = start + paragraph.len();
        let marked = mark(style, passage, start..end, highlights);
        match style.width {
            Some(width) => {
                let options = textwrap::Options::new(width)
                    .initial_indent(INDENT)
                    .subsequent_indent(INDENT);
                for line in textwrap::wrap(&marked, options) {
                    writeln!(out, "{line}")?;
                }
            }
            None => writeln!(out, "{INDENT}{marked}")?,
        }
        start = end + 1;
    }
    Ok(())
}

/// Colours `text` with `code` when the style has colour.
pub fn paint(style: &TextStyle, code: &str, text: &str) -> String {
    if style.color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// A path as shown: relative to the style's folder when it is under it.
pub fn shown_path(style: &TextStyle, path: &str) -> String {
    let path = std::path::Path::new(path);
    let shown = style
        .relative_to
        .as_deref()
        .and_then(|base| path.strip_prefix(base).ok())
        .unwrap_or(path);
    escape(&shown.to_string_lossy()).into_owned()
}

/// `path:START-END  date  source — title`, with untrusted parts made safe for a terminal.
fn header(style: &TextStyle, hit: &Hit) -> String {
    let paint = |code: &str, text: &str| paint(style, code, text);
    let date = hit
        .date
        .map_or_else(|| "undated".to_string(), |d| d.to_string());
    let mut line = format!(
        "{}:{}  {date}",
        paint(PATH, &shown_path(style, &hit.path)),
        paint(LINES, &format!("{}-{}", hit.lines[0], hit.lines[1])),
    );
    let about = match (&hit.source, &hit.title) {
        (Some(source), Some(title)) => Some(format!(
            "{} — {}",
            escape(source),
            paint(TITLE, &escape(title))
        )),
        (Some(source), None) => Some(escape(source).into_owned()),
        (None, Some(title)) => Some(paint(TITLE, &escape(title))),
        (None, None) => None,
    };
    if let Some(about) = about {
        line.push_str("  ");
        line.push_str(&about);
    }
    line
}

/// The `range` of `text` with the highlighted parts coloured, made safe for a terminal.
fn mark(
    style: &TextStyle,
    text: &str,
    range: std::ops::Range<usize>,
    highlights: &[[usize; 2]],
) -> String {
    if !style.color {
        return escape(&text[range]).into_owned();
    }
    let mut marked = String::with_capacity(range.len() + 16);
    let mut cursor = range.start;
    for &[start, end] in highlights {
        if start < cursor
            || end < start
            || end > range.end
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        marked.push_str(&escape(&text[cursor..start]));
        marked.push_str(MATCH);
        marked.push_str(&escape(&text[start..end]));
        marked.push_str(RESET);
        cursor = end;
    }
    marked.push_str(&escape(&text[cursor..range.end]));
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::{Date, Month};

    fn hit(passage: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            article: "a".into(),
            path: "/data/corpus/a.txt".into(),
            path_bytes: b"/data/corpus/a.txt".to_vec(),
            lines: [3, 5],
            title: Some("A Title".into()),
            source: None,
            author: None,
            date: Date::from_calendar_date(2020, Month::February, 15).ok(),
            date_origin: Some(crate::article::DateOrigin::Text),
            passage: passage.into(),
            highlights,
            explanation: None,
        }
    }

    fn render(style: &TextStyle, hit: &Hit) -> String {
        let mut out = Vec::new();
        write(&mut out, style, std::slice::from_ref(hit)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_output_has_header_and_indented_paragraphs() {
        let style = TextStyle {
            relative_to: Some(PathBuf::from("/data")),
            ..TextStyle::default()
        };
        let text = render(&style, &hit("First para.\nSecond para.", vec![]));
        assert_eq!(
            text,
            "corpus/a.txt:3-5  2020-02-15  A Title\n  First para.\n  Second para.\n\n"
        );
    }

    #[test]
    fn colour_marks_matches_in_the_right_paragraph() {
        let style = TextStyle {
            color: true,
            ..TextStyle::default()
        };
        let text = render(&style, &hit("oil here\nmore oil", vec![[0, 3], [14, 17]]));
        assert!(
            text.contains(&format!("  {MATCH}oil{RESET} here\n")),
            "{text:?}"
        );
        assert!(
            text.contains(&format!("  more {MATCH}oil{RESET}\n")),
            "{text:?}"
        );
    }

    #[test]
    fn wrapping_keeps_the_indent() {
        let style = TextStyle {
            width: Some(20),
            ..TextStyle::default()
        };
        let text = render(
            &style,
            &hit("one two three four five six seven eight", vec![]),
        );
        let body: Vec<&str> = text.lines().skip(1).take_while(|l| !l.is_empty()).collect();
        assert!(body.len() > 1);
        assert!(
            body.iter()
                .all(|l| l.starts_with(INDENT) && l.chars().count() <= 20)
        );
    }

    #[test]
    fn terminal_escapes_in_articles_are_neutralised() {
        let text = render(&TextStyle::default(), &hit("evil \x1b[2J text", vec![]));
        assert!(!text.contains('\x1b'));
        assert!(text.contains("evil \\u{1b}[2J text"));
        let text = render(&TextStyle::default(), &hit("price \u{202e}001$", vec![]));
        assert!(text.contains("price \\u{202e}001$"), "{text}");
    }

    #[test]
    fn highlights_that_do_not_fit_the_passage_are_ignored() {
        let style = TextStyle {
            color: true,
            ..TextStyle::default()
        };
        let bad = vec![[6, 5], [1, 99], [2, 3]];
        let text = render(&style, &hit("née oil", bad));
        assert!(text.contains("  née oil\n"), "{text:?}");
    }
}
