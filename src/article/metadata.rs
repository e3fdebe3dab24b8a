//! What is known about an article besides its text, and where its date came from.

use serde::Serialize;
use serde_json::Value;
use tantivy::time::Date;

use super::date;

/// Longest title, source and author kept, in bytes: about 150 words, more than any title or
/// list of authors needs. They are stored with every passage of the article, so a "title" of
/// a megabyte would be copied thousands of times. Lines longer than this are never read as
/// metadata (they stay text); values from elsewhere are cut.
pub const FIELD_MAX_BYTES: usize = 1024;

/// Where an article's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrigin {
    /// A dateline in the article's text.
    Text,
    /// Markdown front matter.
    FrontMatter,
    /// An HTML page's meta tags or JSON-LD.
    Html,
    /// A `NAME.meta.json` file or a `metadata.jsonl`/`metadata.csv` table.
    Sidecar,
    /// An e-book's package metadata.
    Package,
    /// An e-mail's `Date:` header.
    Mail,
}

impl DateOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Text => "text",
            DateOrigin::FrontMatter => "front-matter",
            DateOrigin::Html => "html",
            DateOrigin::Sidecar => "sidecar",
            DateOrigin::Package => "package",
            DateOrigin::Mail => "mail",
        }
    }

    pub fn parse(text: &str) -> Option<DateOrigin> {
        [
            DateOrigin::Text,
            DateOrigin::FrontMatter,
            DateOrigin::Html,
            DateOrigin::Sidecar,
            DateOrigin::Package,
            DateOrigin::Mail,
        ]
        .into_iter()
        .find(|origin| origin.as_str() == text)
    }
}

/// An article's metadata; `None` where it is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Metadata {
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    /// Set exactly when `date` is.
    pub date_origin: Option<DateOrigin>,
}

impl Metadata {
    /// These fields, with the unknown ones taken from `fallback`.
    pub fn or(self, fallback: Metadata) -> Metadata {
        let dated = self.date.is_some();
        Metadata {
            title: self.title.or(fallback.title),
            source: self.source.or(fallback.source),
            author: self.author.or(fallback.author),
            date: if dated { self.date } else { fallback.date },
            date_origin: if dated {
                self.date_origin
            } else {
                fallback.date_origin
            },
        }
    }

    /// These fields with the title, source and author cut to [`FIELD_MAX_BYTES`].
    pub fn bounded(self) -> Metadata {
        Metadata {
            title: self.title.map(bounded),
            source: self.source.map(bounded),
            author: self.author.map(bounded),
            ..self
        }
    }

    pub fn with_date(mut self, date: Option<Date>, origin: DateOrigin) -> Metadata {
        self.date = date;
        self.date_origin = date.map(|_| origin);
        self
    }

    /// Reads the usual keys of a JSON object (front matter, sidecar files): `title`, `date`,
    /// `author`/`authors`, `source`/`publication`/`publisher`, and `url` (whose host names the
    /// source when nothing else does).
    pub fn from_fields(value: &Value, origin: DateOrigin) -> Metadata {
        let get = |keys: &[&str]| field(value, keys).map(|(_, value)| value);
        let url_host = get(&["url", "link", "canonicalurl"])
            .and_then(Value::as_str)
            .and_then(host);
        let date = get(DATE_KEYS)
            .and_then(Value::as_str)
            .and_then(date_at_start);
        Metadata {
            title: get(&["title", "headline"]).and_then(text),
            source: get(&["source", "publication", "publisher", "outlet", "sitename"])
                .and_then(text)
                .or(url_host),
            author: get(&["author", "authors", "byline", "creator"]).and_then(text),
            ..Metadata::default()
        }
        .with_date(date, origin)
    }
}

/// The keys a date is read from, in order, as [`field`] compares them: `publishDate`,
/// `pub_date` and `published-at` are all found.
const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "datepublished",
    "publishdate",
    "publisheddate",
    "publishedat",
    "pubdate",
    "publicationdate",
];

/// The first of `keys` that the object has, with its value; keys compared in lowercase and
/// without `_` and `-`: people write `publishDate`, `publish_date` and `publish-date`.
fn field<'a>(value: &'a Value, keys: &[&str]) -> Option<(&'a str, &'a Value)> {
    let object = value.as_object()?;
    let plain = |key: &str| -> String {
        key.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    keys.iter().find_map(|wanted| {
        object
            .iter()
            .find(|(key, _)| key.len() <= 32 && plain(key) == *wanted)
            .map(|(key, value)| (key.as_str(), value))
    })
}

/// What the fields of `value` hold that [`Metadata::from_fields`] could not read: a date in
/// a form it does not take (`01/05/2023`: 1 May or 5 January?) is left out, and said.
pub fn unread_fields(value: &Value) -> Vec<String> {
    let Some((key, date)) = field(value, DATE_KEYS) else {
        return Vec::new();
    };
    if date.as_str().and_then(date_at_start).is_some() {
        return Vec::new();
    }
    let shown: String = date.to_string().chars().take(60).collect();
    vec![format!(
        "`{key}: {shown}` is not a date quarry reads (write YYYY-MM-DD); the date is left out"
    )]
}

/// `text` if it fits in [`FIELD_MAX_BYTES`], else the longest run of its first words that fits
/// with a `…` after it (of its first characters when the first word alone is too long).
fn bounded(text: String) -> String {
    if text.len() <= FIELD_MAX_BYTES {
        return text;
    }
    let mut cut = FIELD_MAX_BYTES - '…'.len_utf8();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if !text[cut..].starts_with(char::is_whitespace) => &head[..space],
        _ => head,
    };
    let head = head.trim_end();
    let head = if head.is_empty() { &text[..cut] } else { head };
    format!("{head}…")
}

/// A date written at the start of a value: `2020-02-15`, `2020-02-15T08:00:00Z`, `May 2, 2021`.
pub fn date_at_start(text: &str) -> Option<Date> {
    let text = text.trim();
    date::find(text).and_then(|(date, range)| (range.start == 0).then_some(date))
}

/// A string, a list of strings, or objects with a `name`, as one text: `A, B`.
fn text(value: &Value) -> Option<String> {
    let joined = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Array(items) => items.iter().filter_map(text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.get("name").and_then(text)?,
        _ => return None,
    };
    (!joined.is_empty()).then_some(joined)
}

/// The host of a web address, without `www.`: `https://www.reuters.com/x` -> `reuters.com`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    host.contains('.').then(|| host.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tantivy::time::Month;

    #[test]
    fn known_keys_and_shapes() {
        let meta = Metadata::from_fields(
            &json!({"headline": "A", "authors": [{"name": "Ann Lee"}, "Bo Chen"],
                    "publisher": {"name": "The Economist"}, "date": "2021-03-04T10:00:00Z"}),
            DateOrigin::Sidecar,
        );
        assert_eq!(meta.title.as_deref(), Some("A"));
        assert_eq!(meta.author.as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(meta.source.as_deref(), Some("The Economist"));
        assert_eq!(
            meta.date,
            Date::from_calendar_date(2021, Month::March, 4).ok()
        );
        assert_eq!(meta.date_origin, Some(DateOrigin::Sidecar));
    }

    #[test]
    fn a_bad_date_is_no_date() {
        let meta = Metadata::from_fields(&json!({"date": "soon"}), DateOrigin::Sidecar);
        assert_eq!((meta.date, meta.date_origin), (None, None));
    }

    #[test]
    fn fallback_fills_only_what_is_missing() {
        let day = Date::from_calendar_date(2020, Month::May, 1).ok();
        let first = Metadata {
            title: Some("Mine".into()),
            ..Metadata::default()
        };
        let second = Metadata {
            title: Some("Theirs".into()),
            source: Some("Them".into()),
            ..Metadata::default()
        }
        .with_date(day, DateOrigin::Text);
        let merged = first.or(second);
        assert_eq!(merged.title.as_deref(), Some("Mine"));
        assert_eq!(merged.source.as_deref(), Some("Them"));
        assert_eq!(
            (merged.date, merged.date_origin),
            (day, Some(DateOrigin::Text))
        );
    }

    #[test]
    fn long_values_are_cut_between_words() {
        let short = Metadata {
            title: Some("A Title".into()),
            ..Metadata::default()
        };
        assert_eq!(short.clone().bounded(), short);
        let words = "Noël word ".repeat(FIELD_MAX_BYTES);
        let glued = "é".repeat(FIELD_MAX_BYTES);
        let long = Metadata {
            title: Some(words.clone()),
            source: Some(glued.clone()),
            ..Metadata::default()
        }
        .bounded();
        for (value, original) in [(long.title, &words), (long.source, &glued)] {
            let value = value.unwrap();
            assert!(value.len() <= FIELD_MAX_BYTES, "{}", value.len());
            assert!(value.len() > FIELD_MAX_BYTES - 16, "{}", value.len());
            let kept = value.strip_suffix('…').unwrap();
            assert!(original.starts_with(kept), "{kept}");
            assert!(!kept.ends_with(' '));
        }
    }

    #[test]
    fn origins_round_trip() {
        for origin in [
            DateOrigin::Text,
            DateOrigin::FrontMatter,
            DateOrigin::Html,
            DateOrigin::Sidecar,
            DateOrigin::Package,
            DateOrigin::Mail,
        ] {
            assert_eq!(DateOrigin::parse(origin.as_str()), Some(origin));
        }
    }
}
