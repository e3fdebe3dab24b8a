//! Tab-separated values: a header line, then one line per hit. Tabs, line breaks and
//! backslashes inside fields are written `\t`, `\n`, `\r` and `\\`, so every hit stays on one
//! line of 13 columns, and other unsafe characters as the terminal escapes them (`\u{1b}`).
//! Escaping the backslash keeps the form unambiguous: a field never loses what it held.

use std::borrow::Cow;
use std::io::{self, Write};

use super::QueryRecord;
use super::sanitize::{is_unsafe, push_escaped};

const COLUMNS: &[&str] = &[
    "id",
    "query",
    "rank",
    "score",
    "article",
    "path",
    "first_line",
    "last_line",
    "date",
    "source",
    "author",
    "title",
    "passage",
];

pub fn write_header(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", COLUMNS.join("\t"))
}

pub fn write(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let query = record.query.unwrap_or_default();
    for hit in record.hits {
        let fields = [
            escape(record.id),
            escape(query),
            hit.rank.to_string().into(),
            hit.score.to_string().into(),
            escape(&hit.article),
            escape(&hit.path),
            // On a PDF, `p3:12`: the line on its page.
            hit.pages.place(hit.lines[0]).to_string().into(),
            hit.pages.place(hit.lines[1]).to_string().into(),
            hit.date
                .map(|date| date.to_string())
                .unwrap_or_default()
                .into(),
            optional(&hit.source),
            optional(&hit.author),
            optional(&hit.title),
            escape(&hit.passage),
        ];
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(())
}

/// An unknown value is an empty field.
fn optional(value: &Option<String>) -> Cow<'_, str> {
    escape(value.as_deref().unwrap_or_default())
}

fn escape(field: &str) -> Cow<'_, str> {
    let special = |c: char| c == '\t' || c == '\\' || is_unsafe(c);
    if !field.contains(special) {
        return Cow::Borrowed(field);
    }
    let mut escaped = String::with_capacity(field.len() + 16);
    for c in field.chars() {
        if special(c) {
            // `\t`, `\\`, `\n`, `\u{1b}`: the backslash is escaped like the rest.
            push_escaped(&mut escaped, c);
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_inside_fields_are_escaped() {
        assert_eq!(escape("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn terminal_escapes_inside_fields_are_escaped() {
        assert_eq!(
            escape("\x1b[2J\u{9b}\u{202e}\u{2028}"),
            "\\u{1b}[2J\\u{9b}\\u{202e}\\u{2028}"
        );
    }
}
