//! Tab-separated values: a header line, then one line per hit. Tabs, newlines and backslashes
//! inside fields are written `\t`, `\n`, `\r` and `\\`, so every hit stays on one line.

use std::io::{self, Write};

use super::QueryRecord;

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
        let optional = |value: &Option<String>| escape(value.as_deref().unwrap_or_default());
        let fields = [
            escape(record.id),
            escape(query),
            hit.rank.to_string(),
            hit.score.to_string(),
            escape(&hit.article),
            escape(&hit.path),
            hit.lines[0].to_string(),
            hit.lines[1].to_string(),
            hit.date.map(|date| date.to_string()).unwrap_or_default(),
            optional(&hit.source),
            optional(&hit.author),
            optional(&hit.title),
            escape(&hit.passage),
        ];
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(())
}

fn escape(field: &str) -> String {
    if !field.contains(['\t', '\n', '\r', '\\']) {
        return field.to_string();
    }
    let mut escaped = String::with_capacity(field.len() + 8);
    for c in field.chars() {
        match c {
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\\' => escaped.push_str("\\\\"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_inside_fields_are_escaped() {
        assert_eq!(escape("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re");
        assert_eq!(escape("plain"), "plain");
    }
}
