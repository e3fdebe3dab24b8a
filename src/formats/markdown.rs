//! Markdown articles: YAML or TOML front matter, and markup taken off the text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::article::metadata::{DateOrigin, Metadata, unread_fields};
use crate::paragraph::Line;

/// Inline markup and what to keep of it.
static INLINE: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"!\[([^\]]*)\]\([^)]*\)", "$1"),                // ![alt](src)
        (r"\[([^\]]+)\]\([^)]*\)", "$1"),                 // [text](url)
        (r"\[([^\]]+)\]\[[^\]]*\]", "$1"),                // [text][ref]
        (r"<[A-Za-z/][^>]*>", ""),                        // inline HTML tags
        (r"(\*\*|__)(\S(?:.*?\S)?)(?:\*\*|__)", "$2"),    // **strong**
        (r"(^|[\s(])[*_](\S(?:[^*_]*?\S)?)[*_]", "$1$2"), // *emphasis*
        (r"`([^`]*)`", "$1"),                             // `code`
    ]
    .into_iter()
    .map(|(pattern, keep)| {
        (
            Regex::new(pattern).expect("markdown patterns are valid"),
            keep,
        )
    })
    .collect()
});

/// Markup that starts a line: headings, quotes, list bullets.
static LINE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{0,3}(?:#{1,6}\s+|(?:>\s?)+|[-*+]\s+|\d{1,3}[.)]\s+)")
        .expect("line start pattern is valid")
});

/// Lines with no text of their own: rules, setext underlines, fences, link definitions.
static NOT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{0,3}(?:(?:[-*_]\s*){3,}|=+|-+|```.*|~~~.*|\[[^\]]+\]:\s+\S.*)\s*$")
        .expect("not-text pattern is valid")
});

/// Reads the front matter's metadata and returns the body lines with markup removed (line
/// numbers stay those of the file), and what could not be read of the front matter.
pub fn read(text: &str) -> (Metadata, Vec<Line<'_>>, Vec<String>) {
    let mut lines = Line::numbered(text);
    let (metadata, warnings) = front_matter(&mut lines);
    for line in &mut lines {
        if NOT_TEXT.is_match(&line.text) {
            line.text = Cow::Borrowed("");
            continue;
        }
        let mut clean = LINE_START.replace(&line.text, "").into_owned();
        for (pattern, keep) in INLINE.iter() {
            if let Cow::Owned(replaced) = pattern.replace_all(&clean, *keep) {
                clean = replaced;
            }
        }
        let clean = clean.trim_end_matches([' ', '#']);
        if clean != line.text {
            line.text = Cow::Owned(clean.to_string());
        }
    }
    (metadata, lines, warnings)
}

/// Front matter is a few keys. A larger block, or one nested deeper, is not taken for front
/// matter and stays text: the YAML parser's time grows with the square of the nesting, and
/// both parsers' memory is many times their input.
const FRONT_MATTER_MAX_BYTES: usize = 64 * 1024;
const FRONT_MATTER_MAX_DEPTH: usize = 32;

/// Parses and blanks a front matter block (`---` YAML or `+++` TOML) at the top; says what
/// of it could not be read.
fn front_matter(lines: &mut [Line]) -> (Metadata, Vec<String>) {
    let none = |warning: Option<String>| (Metadata::default(), Vec::from_iter(warning));
    let Some(fence) = lines.first().map(|line| line.text.trim().to_string()) else {
        return none(None);
    };
    if fence != "---" && fence != "+++" {
        return none(None);
    }
    let mut end = None;
    let mut bytes = 0;
    for (i, line) in lines.iter().enumerate().skip(1) {
        let text = line.text.trim();
        if text == fence || (fence == "---" && text == "...") {
            end = Some(i);
            break;
        }
        bytes += line.text.len() + 1;
        if bytes > FRONT_MATTER_MAX_BYTES {
            break;
        }
    }
    let Some(end) = end else {
        let warning = (bytes > FRONT_MATTER_MAX_BYTES).then(|| {
            format!(
                "its front matter is over {} KiB, so it is read as text",
                FRONT_MATTER_MAX_BYTES >> 10
            )
        });
        return none(warning);
    };
    let body: Vec<&str> = lines[1..end]
        .iter()
        .map(|line| line.text.as_ref())
        .collect();
    // A document may open with a horizontal rule: front matter is made of `key: value` (or
    // `key = value`) lines, list items and their continuations.
    if !body.iter().all(|line| looks_like_front_matter(line)) {
        return none(None);
    }
    let body = body.join("\n");
    if bracket_depth(&body) > FRONT_MATTER_MAX_DEPTH {
        return none(Some(format!(
            "its front matter nests deeper than {FRONT_MATTER_MAX_DEPTH} levels, so it is read \
             as text"
        )));
    }
    let parsed: Result<Value, String> = if fence == "---" {
        serde_yaml_ng::from_str(&body).map_err(|err| format!("YAML ({err})"))
    } else {
        toml::from_str::<toml::Table>(&body)
            .map(toml_to_json)
            .map_err(|err| format!("TOML ({})", err.message()))
    };
    for line in &mut lines[..=end] {
        line.text = Cow::Borrowed("");
    }
    match parsed {
        Ok(value) => (
            Metadata::from_fields(&value, DateOrigin::FrontMatter),
            unread_fields(&value),
        ),
        Err(why) => none(Some(format!(
            "its front matter is not valid {why}; its fields are left out"
        ))),
    }
}

/// How deep brackets nest in `text`, quoted or not: at least as deep as the flow collections
/// (`[…]`, `{…}`) of a YAML or TOML document.
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn looks_like_front_matter(line: &str) -> bool {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\s*$|\s*#|\s+\S|-\s|[\w.\x22'-]+\s*[:=]|\[[\w.]+\]\s*$)")
            .expect("front matter line pattern is valid")
    });
    KEY.is_match(line)
}

/// TOML values as JSON ones, dates as their text.
fn toml_to_json(table: toml::Table) -> Value {
    fn convert(value: toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => Value::from(i),
            toml::Value::Float(f) => Value::from(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
            toml::Value::Table(table) => toml_to_json(table),
        }
    }
    Value::Object(table.into_iter().map(|(k, v)| (k, convert(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::{Date, Month};

    fn body(text: &str) -> Vec<String> {
        read(text)
            .1
            .into_iter()
            .filter(|line| !line.is_blank())
            .map(|line| line.text.into_owned())
            .collect()
    }

    #[test]
    fn yaml_front_matter() {
        let (meta, lines, _) = read(
            "---\ntitle: \"Oil and Power\"\ndate: 2021-03-04\nauthors:\n  - Ann Lee\n  - Bo Chen\n\
             publication: The Economist\n---\n\nBody text.\n",
        );
        assert_eq!(meta.title.as_deref(), Some("Oil and Power"));
        assert_eq!(meta.author.as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(meta.source.as_deref(), Some("The Economist"));
        assert_eq!(
            meta.date,
            Date::from_calendar_date(2021, Month::March, 4).ok()
        );
        assert_eq!(meta.date_origin, Some(DateOrigin::FrontMatter));
        assert_eq!(lines[9].text, "Body text.");
        assert!(lines[..9].iter().all(Line::is_blank));
    }

    #[test]
    fn toml_front_matter_and_url_as_source() {
        let (meta, _, _) = read(
            "+++\ntitle = \"Gulf Talks\"\ndate = 2020-02-15T08:00:00Z\nauthor = \"Jane Roe\"\n\
             url = \"https://www.reuters.com/world/gulf-talks\"\n+++\nText.",
        );
        assert_eq!(meta.title.as_deref(), Some("Gulf Talks"));
        assert_eq!(meta.author.as_deref(), Some("Jane Roe"));
        assert_eq!(meta.source.as_deref(), Some("reuters.com"));
        assert_eq!(
            meta.date,
            Date::from_calendar_date(2020, Month::February, 15).ok()
        );
    }

    #[test]
    fn broken_front_matter_is_said_and_not_indexed() {
        let (meta, lines, warnings) = read("---\ntitle: [unclosed\n---\nText.");
        assert_eq!(meta, Metadata::default());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("its front matter is not valid YAML (")
                && warnings[0].ends_with("; its fields are left out"),
            "{warnings:?}"
        );
        let (_, _, warnings) = read("+++\ntitle = \"x\"\ntitle = \"y\"\n+++\nText.");
        assert!(
            warnings[0].starts_with("its front matter is not valid TOML ("),
            "{warnings:?}"
        );
        assert_eq!(lines[3].text, "Text.");
        assert!(lines[..3].iter().all(Line::is_blank));
    }

    #[test]
    fn front_matter_too_large_or_too_deep_stays_text() {
        let keys: String = (0..FRONT_MATTER_MAX_BYTES / 8)
            .map(|i| format!("k{i}: v\n"))
            .collect();
        let big = format!("---\ntitle: Big\n{keys}---\nText.");
        let (meta, lines, warnings) = read(&big);
        assert_eq!(meta, Metadata::default());
        assert_eq!(lines[1].text, "title: Big");
        assert_eq!(
            warnings,
            ["its front matter is over 64 KiB, so it is read as text"]
        );
        let nested = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let deep = format!("---\ntitle: Deep\nkey: {nested}\n---\nText.");
        let (meta, lines, warnings) = read(&deep);
        assert_eq!(meta, Metadata::default());
        assert_eq!(lines[1].text, "title: Deep");
        assert_eq!(
            warnings,
            ["its front matter nests deeper than 32 levels, so it is read as text"]
        );
        let (meta, _, _) = read("---\ntitle: Fine\ntags: [[a, b], {c: [d]}]\n---\nText.");
        assert_eq!(meta.title.as_deref(), Some("Fine"));
    }

    #[test]
    fn date_keys_as_people_spell_them() {
        for key in [
            "publishDate",
            "pubDate",
            "published_at",
            "datePublished",
            "publish-date",
        ] {
            let (meta, _, warnings) = read(&format!("---\n{key}: 2024-07-18\n---\nText."));
            assert_eq!(
                meta.date,
                Date::from_calendar_date(2024, Month::July, 18).ok(),
                "{key}"
            );
            assert!(warnings.is_empty(), "{key}: {warnings:?}");
        }
        let (meta, _, warnings) = read("---\ndate: 01/05/2023\n---\nText.");
        assert_eq!(meta.date, None);
        assert_eq!(
            warnings,
            [
                "`date: \"01/05/2023\"` is not a date quarry reads (write YYYY-MM-DD); the date is \
              left out"
            ]
        );
    }

    #[test]
    fn a_horizontal_rule_at_the_top_is_not_front_matter() {
        let (meta, lines, warnings) = read("---\nA first paragraph, not metadata.\n---\nMore.");
        assert_eq!(meta, Metadata::default());
        assert_eq!(lines[1].text, "A first paragraph, not metadata.");
        assert_eq!(lines[3].text, "More.");
        assert!(warnings.is_empty());
    }

    #[test]
    fn markup_is_taken_off() {
        assert_eq!(
            body(
                "# The Brink of War\n\nSome **bold** and *italic* and [a link](http://x.y) \
                 and `code`.\n\n> A quote\n\n- item one\n1. item two\n\n---\n\n![a photo](p.jpg)\n\
                 [ref]: http://example.com"
            ),
            [
                "The Brink of War",
                "Some bold and italic and a link and code.",
                "A quote",
                "item one",
                "item two",
                "a photo"
            ]
        );
    }

    #[test]
    fn snake_case_and_arithmetic_survive() {
        assert_eq!(
            body("Use snake_case_names and 2 * 3 * 4."),
            ["Use snake_case_names and 2 * 3 * 4."]
        );
    }
}
