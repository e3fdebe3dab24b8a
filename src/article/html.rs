//! HTML articles: metadata from `<title>`, meta tags and JSON-LD, and the text of the page
//! without its navigation, scripts, styles, forms and asides. Each block of text keeps the
//! lines it spans in the file.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use serde_json::Value;

use super::metadata::{DateOrigin, Metadata, date_at_start};
use crate::paragraph::Line;

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "figcaption",
];

/// Elements that start or end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "header",
    "dd",
    "dt",
    "figure",
    "table",
    "ul",
    "ol",
    "hr",
    "body",
    "address",
];

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ScholarlyArticle",
    "Report",
];

/// Attributes past this many in one tag are blanked before the page is read: the tokenizer
/// compares each attribute's name with those of all the attributes before it, and the tags
/// of real pages have a few dozen at most (43 in the 990 pages of the extraction benchmark).
const TAG_MAX_ATTRIBUTES: usize = 100;

/// Elements whose content the tokenizer reads as text, tags and all.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// A JSON-LD block longer than this is left unread: a parsed JSON document takes tens of times
/// its size in memory, and the metadata of real pages takes a few kilobytes (even with the
/// whole article inside).
const JSON_LD_MAX_BYTES: usize = 512 * 1024;

/// What a page holds: its metadata, and its text as one line per block (blocks separated by
/// blank lines).
pub struct Page {
    pub metadata: Metadata,
    pub lines: Vec<Line<'static>>,
}

/// Reads an HTML page.
pub fn read(text: &str) -> Page {
    let sink = Sink::default();
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&with_attributes_limited(text)));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    let line_count = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    state.into_page(line_count)
}

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// How many skipped elements are open.
    skipping: usize,
    /// How many `<article>` elements are open.
    in_article: usize,
    block: Block,
    blocks: Vec<Block>,
    /// Text of the element being captured (`<title>`, a JSON-LD script), if any.
    capture: Option<(Capture, String)>,
    title_tag: Option<String>,
    meta: Vec<(String, String)>,
    json_ld: Vec<Value>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Title,
    JsonLd,
}

#[derive(Default)]
struct Block {
    text: String,
    first_line: u32,
    last_line: u32,
    in_article: bool,
    /// A space is due before the next character.
    pending_space: bool,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.text(&text, line),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let opens = tag.kind == TagKind::StartTag;
        if BLOCKS.contains(&name) {
            self.flush();
        }
        match (name, opens) {
            // The page's title, not an icon's (`<svg><title>`), and only the first.
            ("title", true) if self.skipping == 0 && self.title_tag.is_none() => {
                self.capture = Some((Capture::Title, String::new()));
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            ("title", false) | ("script", false) => self.end_capture(),
            ("meta", true) => self.meta_tag(tag),
            ("article", true) => self.in_article += 1,
            ("article", false) => self.in_article = self.in_article.saturating_sub(1),
            _ => {}
        }
        if SKIPPED.contains(&name) && !tag.self_closing {
            if opens {
                self.skipping += 1;
            } else {
                self.skipping = self.skipping.saturating_sub(1);
            }
        }
        if opens {
            match name {
                "script" => {
                    let json_ld = attribute(tag, "type")
                        .is_some_and(|kind| kind.eq_ignore_ascii_case("application/ld+json"));
                    if json_ld {
                        self.capture = Some((Capture::JsonLd, String::new()));
                    }
                    return TokenSinkResult::RawData(RawKind::ScriptData);
                }
                "style" | "noscript" | "iframe" | "xmp" => {
                    return TokenSinkResult::RawData(RawKind::Rawtext);
                }
                "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                _ => {}
            }
        }
        TokenSinkResult::Continue
    }

    fn text(&mut self, text: &str, line: u32) {
        if let Some((capture, captured)) = self.capture.as_mut() {
            let too_long = *capture == Capture::JsonLd && captured.len() > JSON_LD_MAX_BYTES;
            if !too_long {
                captured.push_str(text);
            }
            return;
        }
        if self.skipping > 0 {
            return;
        }
        // `line` is where the token ends; count back to where each character stands.
        let mut current = line.saturating_sub(text.matches('\n').count() as u32);
        for c in text.chars() {
            if c == '\n' {
                current += 1;
            }
            if c.is_whitespace() {
                self.block.pending_space = true;
                continue;
            }
            if self.block.text.is_empty() {
                self.block.first_line = current;
                self.block.in_article = self.in_article > 0;
            } else if self.block.pending_space {
                self.block.text.push(' ');
            }
            self.block.pending_space = false;
            self.block.text.push(c);
            self.block.last_line = current;
        }
    }

    fn flush(&mut self) {
        let block = std::mem::take(&mut self.block);
        if !block.text.is_empty() {
            self.blocks.push(block);
        }
    }

    fn end_capture(&mut self) {
        match self.capture.take() {
            Some((Capture::Title, text)) => {
                self.title_tag = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Some((Capture::JsonLd, text)) if text.len() <= JSON_LD_MAX_BYTES => {
                if let Ok(value) = serde_json::from_str(&text) {
                    self.json_ld.push(value);
                }
            }
            Some((Capture::JsonLd, _)) | None => {}
        }
    }

    fn meta_tag(&mut self, tag: &Tag) {
        let key = attribute(tag, "property")
            .or_else(|| attribute(tag, "name"))
            .or_else(|| attribute(tag, "itemprop"));
        if let (Some(key), Some(content)) = (key, attribute(tag, "content")) {
            self.meta
                .push((key.to_ascii_lowercase(), content.trim().to_string()));
        }
    }

    /// The page, its blocks' lines kept within the `line_count` lines of the file (the
    /// tokenizer may report a token on the line after the one it ends on).
    fn into_page(mut self, line_count: u32) -> Page {
        self.flush();
        let within = |line: u32| line.clamp(1, line_count.max(1));
        let metadata = self.metadata();
        // A page that marks its article keeps only that.
        let any_article = self.blocks.iter().any(|block| block.in_article);
        let mut lines = Vec::new();
        for block in self
            .blocks
            .into_iter()
            .filter(|b| b.in_article || !any_article)
        {
            lines.push(Line::spanning(
                within(block.first_line),
                within(block.last_line),
                block.text,
            ));
            lines.push(Line::new(within(block.last_line), ""));
        }
        Page { metadata, lines }
    }

    fn metadata(&self) -> Metadata {
        let meta = |keys: &[&str]| {
            keys.iter().find_map(|key| {
                self.meta
                    .iter()
                    .find(|(name, content)| name == key && !content.is_empty())
                    .map(|(_, content)| content.clone())
            })
        };
        let from_tags = Metadata {
            title: meta(&["og:title", "twitter:title"]),
            source: meta(&["og:site_name", "application-name"]),
            author: meta(&["author", "article:author", "byl"]),
            ..Metadata::default()
        }
        .with_date(
            meta(&[
                "article:published_time",
                "datepublished",
                "date",
                "pubdate",
                "dc.date",
            ])
            .and_then(|value| date_at_start(&value)),
            DateOrigin::Html,
        );
        let from_json_ld = self
            .json_ld
            .iter()
            .find_map(article_object)
            .map(|article| {
                let mut found = Metadata::from_fields(article, DateOrigin::Html);
                if found.date.is_none() {
                    let created = article.get("dateCreated").and_then(Value::as_str);
                    found = found.with_date(created.and_then(date_at_start), DateOrigin::Html);
                }
                found
            })
            .unwrap_or_default();
        let from_title_tag = Metadata {
            title: self
                .title_tag
                .as_deref()
                .map(strip_site_name)
                .filter(|t| !t.is_empty()),
            ..Metadata::default()
        };
        from_json_ld.or(from_tags).or(from_title_tag)
    }
}

/// The page with the attributes of each tag past [`TAG_MAX_ATTRIBUTES`] made spaces (line
/// feeds stay, and so do line numbers). Tags are found the way the tokenizer finds them,
/// skipping comments and the content of raw-text elements.
fn with_attributes_limited(text: &str) -> Cow<'_, str> {
    let excess = excess_attributes(text.as_bytes());
    if excess.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in excess {
        for byte in &mut bytes[range] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Whole characters were replaced by spaces: the text is still UTF-8.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// Byte ranges of the attributes past [`TAG_MAX_ATTRIBUTES`] in each tag of `page`.
fn excess_attributes(page: &[u8]) -> Vec<Range<usize>> {
    let space = |byte: u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let skip_while = |mut at: usize, keep: &dyn Fn(u8) -> bool| {
        while at < page.len() && keep(page[at]) {
            at += 1;
        }
        at
    };
    let mut excess = Vec::new();
    let mut at = 0;
    while let Some(open) = find(page, at, b"<") {
        at = open + 1;
        if page[at..].starts_with(b"!--") {
            at = find(page, at + 3, b"-->").map_or(page.len(), |end| end + 3);
            continue;
        }
        let end_tag = page.get(at) == Some(&b'/');
        let name_start = at + usize::from(end_tag);
        if !page.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        at = skip_while(name_start, &|b| !space(b) && b != b'/' && b != b'>');
        let name = &page[name_start..at];
        let mut count = 0;
        let mut first_excess = None;
        loop {
            at = skip_while(at, &|b| space(b) || b == b'/');
            if at >= page.len() || page[at] == b'>' {
                break;
            }
            count += 1;
            if count > TAG_MAX_ATTRIBUTES && first_excess.is_none() {
                first_excess = Some(at);
            }
            // The name (whose first character may be `=`), then perhaps `= value`.
            at = skip_while(at + 1, &|b| !space(b) && !matches!(b, b'/' | b'>' | b'='));
            at = skip_while(at, &space);
            if page.get(at) != Some(&b'=') {
                continue;
            }
            at = skip_while(at + 1, &space);
            at = match page.get(at) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    find(page, at + 1, &[quote]).map_or(page.len(), |end| end + 1)
                }
                _ => skip_while(at, &|b| !space(b) && b != b'>'),
            };
        }
        excess.extend(first_excess.map(|first| first..at));
        let raw_text = RAW_TEXT
            .iter()
            .any(|raw| raw.as_bytes().eq_ignore_ascii_case(name));
        if raw_text && !end_tag {
            at = raw_text_end(page, at, name);
        }
    }
    excess
}

/// Where the content of the raw-text element `name` opened before `from` ends: at `</name`.
fn raw_text_end(page: &[u8], mut from: usize, name: &[u8]) -> usize {
    while let Some(open) = find(page, from, b"</") {
        let after = open + 2;
        let closes = page
            .get(after..after + name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name));
        if closes {
            return open;
        }
        from = after;
    }
    page.len()
}

/// The position of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| from + at)
}

fn attribute(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs
        .iter()
        .find(|attr| (*attr.name.local).eq_ignore_ascii_case(name))
        .map(|attr| attr.value.to_string())
}

/// The first JSON-LD object describing an article, looking inside lists and `@graph`.
fn article_object(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(article_object),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => ARTICLE_TYPES.contains(&kind.as_str()),
                Some(Value::Array(kinds)) => kinds
                    .iter()
                    .any(|k| k.as_str().is_some_and(|k| ARTICLE_TYPES.contains(&k))),
                _ => false,
            };
            if is_article {
                Some(value)
            } else {
                object.get("@graph").and_then(article_object)
            }
        }
        _ => None,
    }
}

/// `Iran Talks Stall | The Daily Planet` -> `Iran Talks Stall`: a short last part after a
/// separator names the site, not the article.
fn strip_site_name(title: &str) -> String {
    for separator in [" | ", " — ", " – ", " - ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(separator)
            && tail.split_whitespace().count() <= 4
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::{Date, Month};

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<title>Gulf Tensions Rise | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2020-02-15T08:00:00Z">
<meta name="author" content="Lois Lane">
<style>p { color: red; }</style>
<script>var x = "<p>not text</p>";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Gulf Tensions Rise</h1>
<p>Tankers were attacked
in the Gulf of Oman &amp; nearby.</p>
<p>Officials said
the talks had stalled.</p>
<form>Email <input name="e"> Subscribe</form>
</article>
<aside>Most read: something else</aside>
<footer>© Daily Planet</footer>
</body></html>
"#;

    #[test]
    fn metadata_from_tags() {
        let page = read(PAGE);
        let merged = page.metadata;
        assert_eq!(merged.title.as_deref(), Some("Gulf Tensions Rise"));
        assert_eq!(merged.source.as_deref(), Some("Daily Planet"));
        assert_eq!(merged.author.as_deref(), Some("Lois Lane"));
        assert_eq!(
            merged.date,
            Date::from_calendar_date(2020, Month::February, 15).ok()
        );
        assert_eq!(merged.date_origin, Some(DateOrigin::Html));
    }

    #[test]
    fn text_of_the_article_with_its_lines() {
        let page = read(PAGE);
        let blocks: Vec<(u32, u32, &str)> = page
            .lines
            .iter()
            .filter(|line| !line.is_blank())
            .map(|line| (line.number, line.last, line.text.as_ref()))
            .collect();
        assert_eq!(
            blocks,
            [
                (13, 13, "Gulf Tensions Rise"),
                (
                    14,
                    15,
                    "Tankers were attacked in the Gulf of Oman & nearby."
                ),
                (16, 17, "Officials said the talks had stalled."),
            ]
        );
    }

    #[test]
    fn json_ld_wins_and_title_tag_loses_its_site_name() {
        let page = read(
            r#"<html><head><title>Talks Resume - The Wire</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},
{"@type":"NewsArticle","headline":"Talks Resume in Vienna","datePublished":"2021-04-06",
"author":[{"@type":"Person","name":"Ann Lee"}],"publisher":{"@type":"Organization","name":"The Wire"}}]}</script>
</head><body><p>Text.</p></body></html>"#,
        );
        assert_eq!(
            page.metadata.title.as_deref(),
            Some("Talks Resume in Vienna")
        );
        assert_eq!(page.metadata.author.as_deref(), Some("Ann Lee"));
        assert_eq!(page.metadata.source.as_deref(), Some("The Wire"));
        assert_eq!(
            page.metadata.date,
            Date::from_calendar_date(2021, Month::April, 6).ok()
        );
        let page = read("<title>Talks Resume - The Wire</title><p>x</p>");
        assert_eq!(page.metadata.title.as_deref(), Some("Talks Resume"));
    }

    #[test]
    fn a_page_without_article_keeps_its_body_text() {
        let page = read("<body><div>One.</div><div>Two.<br>Three.</div></body>");
        let texts: Vec<&str> = page
            .lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.as_ref())
            .collect();
        assert_eq!(texts, ["One.", "Two.", "Three."]);
    }

    #[test]
    fn head_without_end_tag_and_icon_titles() {
        let page = read(
            "<html><head><title>X</title>\n<body><svg><title>Close icon</title></svg>\
                         <p>text</p>",
        );
        assert_eq!(page.metadata.title.as_deref(), Some("X"));
        let texts: Vec<&str> = page
            .lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.as_ref())
            .collect();
        assert_eq!(texts, ["text"]);
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_read_in_linear_time() {
        // The tokenizer compares each attribute with all those before it: minutes here.
        let attributes: Vec<String> = (0..100_000).map(|i| format!("a{i}=x")).collect();
        let page = format!(
            "<meta property=\"og:title\" content=\"Kept\" {}>\n<p>Text.</p>",
            attributes.join("\n")
        );
        let started = std::time::Instant::now();
        let page = read(&page);
        let took = started.elapsed();
        assert_eq!(page.metadata.title.as_deref(), Some("Kept"));
        let text: Vec<(u32, &str)> = page
            .lines
            .iter()
            .filter(|line| !line.is_blank())
            .map(|line| (line.number, line.text.as_ref()))
            .collect();
        assert_eq!(text, [(100_001, "Text.")]);
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    }

    #[test]
    fn attributes_are_counted_as_the_tokenizer_reads_them() {
        let many = |n: usize| (0..n).map(|i| format!(" a{i}")).collect::<String>();
        let limit = TAG_MAX_ATTRIBUTES;
        for (page, blanked) in [
            (format!("<p{}>", many(limit)), false),
            (format!("<p{}>", many(limit + 1)), true),
            (format!("<p title=\"x > y\"{}>", many(limit)), true),
            (format!("<p title='x > y'{}>", many(limit - 1)), false),
            (format!("<!-- <p{} -->", many(limit + 1)), false),
            (
                format!("<script>x = '<p{}'</script>", many(limit + 1)),
                false,
            ),
            (format!("<SCRIPT></Script><p{}>", many(limit + 1)), true),
            (format!("</p{}>", many(limit + 1)), true),
        ] {
            let ranges = excess_attributes(page.as_bytes());
            assert_eq!(!ranges.is_empty(), blanked, "{page}");
            for range in ranges {
                assert!(page[..range.start].ends_with(' '), "{page}");
                assert!(page[range.end..].starts_with('>'), "{page}");
            }
        }
    }

    #[test]
    fn a_huge_json_ld_block_is_not_read() {
        let article = |body: &str| {
            format!(
                "<script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"H\",\
                 \"articleBody\":\"{body}\"}}</script><p>Text.</p>"
            )
        };
        assert_eq!(read(&article("short")).metadata.title.as_deref(), Some("H"));
        let huge = "word ".repeat(JSON_LD_MAX_BYTES / 4);
        assert_eq!(read(&article(&huge)).metadata.title, None);
    }

    #[test]
    fn broken_html_never_fails() {
        for page in [
            "<p>unclosed <b>bold",
            "</div></div><<>>&&;",
            "<script>never closed",
            "",
        ] {
            let _ = read(page);
        }
    }
}
