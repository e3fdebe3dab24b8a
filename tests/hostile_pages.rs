//! Untrusted web pages, read by the article reader itself: nesting without end, one huge text,
//! broken encodings and markup soup. Each is read without panicking, in bounded time (a
//! generous bound, for debug builds on a busy machine), and the text a browser would show
//! survives where it should.

use std::path::Path;
use std::time::{Duration, Instant};

use quarry::article::{self, Article, Metadata};
use quarry::formats::Format;

/// Time enough for any page here in a debug build; past it, reading is taken to be quadratic.
const PATIENCE: Duration = Duration::from_secs(20);

/// Reads `bytes` as the web page `page.html`, and checks what holds for every article: each
/// passage has text, and lines within the page's.
fn read(what: &str, bytes: &[u8]) -> Article {
    let started = Instant::now();
    let read = article::from_bytes(
        bytes,
        Path::new("page.html"),
        "page".into(),
        Format::Html,
        Metadata::default(),
    );
    let took = started.elapsed();
    assert!(took < PATIENCE, "{what}: read in {took:?}");
    let article = read.unwrap_or_else(|err| panic!("{what}: not read: {err}"));
    // At most one line per line feed or carriage return, plus the last.
    let lines = bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1;
    for passage in &article.passages {
        assert!(!passage.text.trim().is_empty(), "{what}: an empty passage");
        assert!(
            1 <= passage.first_line
                && passage.first_line <= passage.last_line
                && passage.last_line as usize <= lines,
            "{what}: lines {}-{} of {lines}",
            passage.first_line,
            passage.last_line
        );
    }
    assert_eq!(
        article.metadata.date.is_some(),
        article.metadata.date_origin.is_some(),
        "{what}"
    );
    article
}

/// All passage text, paragraphs and passages joined by line feeds.
fn text(article: &Article) -> String {
    let texts: Vec<&str> = article.passages.iter().map(|p| p.text.as_str()).collect();
    texts.join("\n")
}

fn assert_holds(what: &str, article: &Article, wanted: &[&str]) {
    let all = text(article);
    for bit in wanted {
        assert!(
            all.contains(bit),
            "{what}: {bit:?} is lost; the passages begin {:?}",
            all.chars().take(300).collect::<String>()
        );
    }
}

const OPENING: &str =
    "The opening paragraph comes before the markup that tries to break the reader.";
const CLOSING: &str = "The closing paragraph comes after it and is read like any other.";

/// A page with a title, the opening paragraph, `middle`, and the closing paragraph.
fn page(middle: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><title>Hostile page</title></head>\n<body>\n\
         <p>{OPENING}</p>\n{middle}\n<p>{CLOSING}</p>\n</body></html>\n"
    )
}

const NESTED: usize = 100_000;

#[test]
fn a_hundred_thousand_nested_elements() {
    let deep = "Words at the bottom of a deep nest are text like any other.";
    // A drawing's text outside its `<text>` elements is not shown.
    for (open, close, shown) in [
        ("<div>", "</div>", true),
        ("<b>", "</b>", true),
        ("<table><tr><td>", "</td></tr></table>", true),
        ("<span class=\"x\">", "</span>", true),
        ("<ul><li>", "</li></ul>", true),
        ("<svg><g>", "</g></svg>", false),
    ] {
        let wanted: &[&str] = if shown { &[OPENING, deep] } else { &[OPENING] };
        let closed = page(&format!(
            "{}{deep}{}",
            open.repeat(NESTED),
            close.repeat(NESTED)
        ));
        let article = read(open, closed.as_bytes());
        assert_holds(open, &article, wanted);
        assert_holds(open, &article, &[CLOSING]);
        // Never closed: the rest of the page is inside the nest.
        let unclosed = page(&format!("{}{deep}", open.repeat(NESTED)));
        let what = format!("{open} unclosed");
        let article = read(&what, unclosed.as_bytes());
        assert_holds(&what, &article, wanted);
    }
}

#[test]
fn formatting_elements_that_are_never_closed() {
    // Each paragraph reopens the formatting elements still open (the HTML standard's
    // "reconstruct the active formatting elements"); distinct attributes defeat the limit of
    // three identical ones. A paragraph each, so reopening is paid per paragraph.
    let opened: String = (0..10_000).map(|i| format!("<b class=\"b{i}\">")).collect();
    let paragraphs = "<p>Another paragraph inside many bold tags, with words.</p>\n".repeat(2_000);
    let soup = page(&format!("{opened}\n{paragraphs}"));
    let article = read("reopened <b>", soup.as_bytes());
    assert_holds(
        "reopened <b>",
        &article,
        &[OPENING, "Another paragraph inside many bold tags"],
    );
    // Misnested end tags: the adoption agency algorithm, once per `</b>`.
    let misnested = "<b><i><p>Misnested text that a browser shows.</b></i></p>\n".repeat(20_000);
    let article = read("misnested", page(&misnested).as_bytes());
    assert_holds(
        "misnested",
        &article,
        &[OPENING, "Misnested text that a browser shows."],
    );
}

#[test]
fn one_ten_megabyte_text_node() {
    let words = "many words without an end ".repeat(400_000);
    assert!(words.len() > 10_000_000);
    let huge = page(&format!("<p>{words}finale</p>"));
    let article = read("10 MB of words", huge.as_bytes());
    assert_holds("10 MB of words", &article, &[OPENING, "finale", CLOSING]);
    let longest = article.passages.iter().map(|p| p.text.len()).max();
    assert!(longest < Some(10_000), "passages stay small: {longest:?}");
    // One word of 10 MB: nowhere to cut it, but read all the same.
    let word = "x".repeat(10_000_000);
    let article = read("a 10 MB word", page(&format!("<p>{word}</p>")).as_bytes());
    assert_holds("a 10 MB word", &article, &[OPENING, CLOSING]);
    // 10 MB of text in an element whose content is raw text.
    let article = read(
        "10 MB of script",
        page(&format!("<script>{words}</script>")).as_bytes(),
    );
    assert_holds("10 MB of script", &article, &[OPENING, CLOSING]);
    assert!(
        !text(&article).contains("many words"),
        "a script is no text"
    );
}

#[test]
fn broken_encodings() {
    let cases: [(&str, Vec<u8>, &[&str]); 6] = [
        (
            "stray bytes in UTF-8",
            page("<p>Café prices rose \u{FFFF}\u{2014} by a third.</p>")
                .replace('\u{FFFF}', "\u{1}")
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == 1 { vec![0xFF, 0xFE] } else { vec![b] })
                .collect(),
            &[OPENING, "prices rose", "by a third.", CLOSING],
        ),
        (
            "Windows-1252 declared UTF-8",
            [
                b"<html><head><meta charset=\"utf-8\"><title>x</title></head><body>".as_slice(),
                b"<p>The caf\xe9 owner said \x93no comment\x94 to the reporters who waited.</p>",
                b"<p>Na\xefve readers believe every page is UTF-8, which it is not.</p>",
                b"</body></html>",
            ]
            .concat(),
            &[
                "owner said",
                "to the reporters who waited.",
                "readers believe",
            ],
        ),
        (
            "UTF-8 and Latin-1 mixed",
            [
                "<html><title>Two councils</title><p>Zürich’s council met on Monday to vote.</p>"
                    .as_bytes(),
                b"<p>M\xfcnchen\xb4s council met on Tuesday to vote again.</p></body></html>",
            ]
            .concat(),
            &["council met on Monday", "council met on Tuesday"],
        ),
        (
            "truncated and overlong sequences, encoded surrogates",
            [
                b"<title>Bad bytes</title><p>Before the bad bytes, a sentence to keep.</p>"
                    .as_slice(),
                b"<p>\xc3</p><p>\xe2\x82</p>",
                b"<p>\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80</p>",
                b"<p>After the bad bytes, another sentence to keep.</p>",
            ]
            .concat(),
            &[
                "Before the bad bytes, a sentence to keep.",
                "After the bad bytes, another sentence to keep.",
            ],
        ),
        (
            "UTF-16 with a byte-order mark",
            [0xFF, 0xFE]
                .into_iter()
                .chain(page("").encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            &[OPENING, CLOSING],
        ),
        (
            "a page that says it is UTF-16 and is not",
            page("<meta charset=\"utf-16\">").into_bytes(),
            &[OPENING, CLOSING],
        ),
    ];
    for (what, bytes, wanted) in cases {
        let article = read(what, &bytes);
        assert_holds(what, &article, wanted);
    }
}

#[test]
fn markup_soup() {
    let cases: [(&str, String, &[&str]); 14] = [
        (
            "an unclosed comment",
            page("<!-- a comment that never ends <p>hidden</p>"),
            &[OPENING],
        ),
        (
            "CDATA outside foreign content",
            page("<![CDATA[ <p>bogus</p> ]]><p>After the CDATA, text goes on.</p>"),
            &[OPENING, "After the CDATA, text goes on.", CLOSING],
        ),
        (
            "foreign content",
            page(
                "<svg><math><mi>x</mi><foreignObject><p>Inside the drawing, a sentence \
                 of prose.</p></foreignObject></math><![CDATA[raw]]></svg>\
                 <math><mtext><p>Text in a formula.</p></mtext></math>",
            ),
            &[OPENING, CLOSING],
        ),
        (
            "plaintext",
            page("<plaintext><p>Everything after plaintext is text, tags and all.</p>"),
            &[OPENING, "Everything after plaintext is text"],
        ),
        (
            "unclosed raw text",
            page("<p>Before the unclosed title.</p><title>never closed <p>x</p>"),
            &[OPENING, "Before the unclosed title."],
        ),
        (
            "unclosed script and style",
            page("<p>Before the unclosed script.</p><style>p{}<script>var a = '<p>';"),
            &[OPENING, "Before the unclosed script."],
        ),
        (
            "text directly in tables",
            page(
                &"<table>Fostered text is moved before the table.<tr>x<td>cell</td></tr>"
                    .repeat(2_000),
            ),
            &[OPENING, "Fostered text is moved before the table."],
        ),
        (
            "nested links and forms",
            page(
                &"<a href=x>one<a href=y>two</a></a><form><p>Text among nested links and \
                  forms.</p><form><p>x</p></form></form>"
                    .repeat(2_000),
            ),
            &[OPENING, "Text among nested links and forms."],
        ),
        (
            "huge and odd character references",
            page(&format!(
                "<p>References &#x110000; &#99999999999999999999; &#0; &#xD800; &amp &notit; &{} end.</p>",
                "a".repeat(100_000)
            )),
            &[OPENING, "References", CLOSING],
        ),
        (
            "a tag name of a megabyte and an attribute of ten",
            page(&format!(
                "<{} id=x>Text in a strange element.</x><p title=\"{}\">Text with a long title.</p>",
                "x".repeat(1 << 20),
                "y".repeat(10 << 20)
            )),
            &[OPENING, "Text with a long title.", CLOSING],
        ),
        (
            "templates, frames and selects",
            page(
                "<template><p>Template text.</p></template><frameset><frame></frameset>\
                  <select><option>Choice<p>After the select.</p></select><noframes>x</noframes>",
            ),
            &[OPENING],
        ),
        (
            "a second html, head and body",
            page(
                "<html lang=fr><head><title>Second</title></head><body class=x>\
                  <p>Text after a second body tag.</p>",
            ),
            &[OPENING, "Text after a second body tag.", CLOSING],
        ),
        (
            "lone carriage returns, form feeds and controls",
            page("<p>Line one.\rLine two.\x0cLine three.\x07\x1b[31m</p>"),
            &[OPENING, "Line one.", CLOSING],
        ),
        (
            "nothing but tags",
            "<<<<>>>></></><!><?php ?><!DOCTYPE>".repeat(10_000),
            &[],
        ),
    ];
    for (what, page, wanted) in cases {
        let article = read(what, page.as_bytes());
        assert_holds(what, &article, wanted);
    }
}

/// A deterministic soup of a few megabytes: tags of all kinds, opened and closed at random,
/// attributes, comments, references and text.
#[test]
fn megabytes_of_random_soup() {
    let pieces = [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<i class=x>",
        "</i>",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "</table>",
        "<a href=\"/x\">",
        "</a>",
        "<li>",
        "<ul>",
        "</ul>",
        "<svg>",
        "</svg>",
        "<math>",
        "<br>",
        "<!-- c -->",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<textarea>",
        "</textarea>",
        "<select>",
        "<option>",
        "<nav class=\"nav\">",
        "</nav>",
        "<aside>",
        "<footer>",
        "<h2>",
        "</h2>",
        "<article>",
        "</article>",
        "<form>",
        "<template>",
        "</template>",
        "&amp;",
        "&#x41;",
        "&bogus;",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "\n",
        "\n\n",
        "Words of prose that a reader would want to keep. ",
        "A sentence, with a comma, ends here. ",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut soup = String::new();
    while soup.len() < 4 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        soup.push_str(pieces[(state % pieces.len() as u64) as usize]);
    }
    let article = read("random soup", soup.as_bytes());
    assert!(!article.passages.is_empty());
}
