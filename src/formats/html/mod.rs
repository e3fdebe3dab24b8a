//! HTML articles: the article's text as a browser's reader view would show it (`content`),
//! with the source lines of each block, and the page's metadata (`metadata`), read from the
//! page parsed into a tree (`dom`).

mod content;
mod dom;
mod metadata;

use std::borrow::Cow;
use std::ops::Range;

use crate::article::metadata::Metadata;
use crate::paragraph::Line;
use dom::Dom;

/// Attributes past this many in one tag are blanked before the page is read: the tokenizer
/// compares each attribute's name with those of all the attributes before it, and the tags
/// of real pages have a few dozen at most (43 in the 990 pages of the extraction benchmark).
const TAG_MAX_ATTRIBUTES: usize = 100;

/// Elements whose content the tokenizer reads as text, tags and all.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// What a page holds: its metadata, and its text as one line per block (blocks separated by
/// blank lines).
pub struct Page {
    pub metadata: Metadata,
    pub lines: Vec<Line<'static>>,
}

/// Reads an HTML page.
pub fn read(text: &str) -> Page {
    let dom = Dom::parse(&with_attributes_limited(text));
    let facts = metadata::Facts::gather(&dom);
    let mut main = content::main_text(&dom);
    if let Some(body) = facts.article_body() {
        main.prefer_article_body(&body);
    }
    let metadata = facts.metadata(&dom, main.container);
    Page {
        metadata,
        lines: lines_of(main.blocks, text),
    }
}

/// Every line of visible text of a page, none left out as a page's furniture (an e-book's
/// chapter).
pub fn read_all(text: &str) -> Vec<Line<'static>> {
    let dom = Dom::parse(&with_attributes_limited(text));
    lines_of(content::all_text(&dom), text)
}

/// The blocks of `text` as lines, a blank line after each.
fn lines_of(blocks: Vec<content::Block>, text: &str) -> Vec<Line<'static>> {
    let line_count = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    // The tokenizer may report a token on the line after the one it ends on.
    let within = |line: u32| line.clamp(1, line_count.max(1));
    let mut lines = Vec::with_capacity(blocks.len() * 2);
    for block in blocks {
        let last = within(block.last_line);
        lines.push(Line::spanning(within(block.first_line), last, block.text));
        lines.push(Line::new(last, ""));
    }
    lines
}

/// How far into a page its encoding is looked for. The HTML standard's prescan looks at the
/// first 1,024 bytes; pages with long heads (many `<link>`s and scripts before the `<meta>`)
/// declare it later, and browsers still find it.
const CHARSET_SCAN_BYTES: usize = 4096;

/// The encoding a page declares in a `<meta>` tag near its start (`<meta charset="utf-8">`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`), if it names
/// one. Only `<meta>` tags: a `<script charset>` names the script's encoding, not the page's.
pub fn declared_encoding(page: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &page[..page.len().min(CHARSET_SCAN_BYTES)];
    let mut at = 0;
    while let Some(found) = find_ignoring_case(head, at, b"<meta") {
        let tag_end = head[found..]
            .iter()
            .position(|&byte| byte == b'>')
            .map_or(head.len(), |end| found + end);
        let tag = &head[found..tag_end];
        at = tag_end;
        let Some(charset) = find_ignoring_case(tag, 0, b"charset") else {
            continue;
        };
        let rest = &tag[charset + b"charset".len()..];
        let start = rest
            .iter()
            .position(|&byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'=' | b'"' | b'\''))
            .unwrap_or(rest.len());
        let value = &rest[start..];
        let label_len = value
            .iter()
            .position(|&byte| {
                !(byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':'))
            })
            .unwrap_or(value.len());
        if let Some(encoding) = encoding_rs::Encoding::for_label(&value[..label_len]) {
            return Some(encoding);
        }
    }
    None
}

/// The position of `needle` (ASCII, lowercase) in `haystack` at or after `from`, in any case.
fn find_ignoring_case(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map(|at| from + at)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::metadata::DateOrigin;
    use metadata::JSON_LD_MAX_BYTES;
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
    fn the_declared_encoding_is_found_near_the_start() {
        let name = |page: &[u8]| declared_encoding(page).map(encoding_rs::Encoding::name);
        assert_eq!(name(b"<meta charset=\"UTF-8\">"), Some("UTF-8"));
        assert_eq!(
            name(b"<META HTTP-EQUIV=Content-Type CONTENT='text/html; charset=iso-8859-1'>"),
            Some("windows-1252")
        );
        assert_eq!(
            name(b"<script charset=utf-8></script><meta charset=unknown><meta charset = koi8-r>"),
            Some("KOI8-R")
        );
        assert_eq!(name(b"<p>no declaration</p>"), None);
        let late = format!("{}<meta charset=utf-8>", " ".repeat(CHARSET_SCAN_BYTES));
        assert_eq!(name(late.as_bytes()), None);
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
