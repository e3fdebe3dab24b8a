//! Property tests (fuzzing) of what reads untrusted input: article parsing, batch lines and
//! queries. Each property runs 256 cases from a fixed seed, so that every run (debug or
//! release) tries the same cases; for a long campaign set PROPTEST_CASES and another seed,
//! e.g. `PROPTEST_CASES=20000 PROPTEST_RNG_SEED=7 cargo test --release --test properties`.

#[path = "shared/pdfs.rs"]
mod pdfs;
#[path = "shared/zipped.rs"]
mod zipped;
use zipped::zipped;

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use tempfile::TempDir;

use quarry::article::{self, Metadata};
use quarry::batch;
use quarry::formats::Format;
use quarry::index::searcher::{Request, Searcher};
use quarry::index::store::{Store, WriteOptions};
use quarry::index::writer::{self, Observer, Options};

/// Lines of the kinds articles are made of, to reach the rules behind plain bytes.
fn article_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("By Jane Doe and John Roe | Reuters".to_string()),
        Just("February 15, 2020 Off By Someone".to_string()),
        Just("Published: 2021-03-04".to_string()),
        Just("—The Washington Post".to_string()),
        Just("© 2020 The New York Times Company".to_string()),
        Just("This article originally appeared in [The Atlantic](#)".to_string()),
        Just("Caption here.Credit…Ann Lee for The Times".to_string()),
        Just("Subscribe".to_string()),
        Just("---".to_string()),
        Just("+++".to_string()),
        Just("title: \"x\"".to_string()),
        Just("<p>para <b>bold</b></p>".to_string()),
        Just("<script>var x = '<p>';</script>".to_string()),
        Just("    Indented wrapped paragraph start".to_string()),
        "[A-Za-z0-9 ,.;:!?'’“”—–()\\[\\]*_#<>/&@-]{0,120}",
        any::<String>().prop_map(|s| s.chars().take(80).collect()),
    ]
}

/// Pieces of web pages: the tags, names, nesting and script data that the page reader's rules
/// look at, opened and closed in any order.
fn page_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<div class=\"entry-content\">",
            "</div>",
            "<p>",
            "</p>",
            "<article class=card>",
            "</article>",
            "<h2>",
            "</h2>",
            "<h3><a href=/x>",
            "</a></h3>",
            "<nav>",
            "</nav>",
            "<aside>",
            "<footer>",
            "<ol class=commentlist>",
            "<li>",
            "</ol>",
            "<table><tr><td>",
            "</td></tr></table>",
            "<figure><figcaption>",
            "</figcaption></figure>",
            "<span class=byline>By <a rel=author>Jane Roe</a> <time datetime=2020-02-03>",
            "</time></span>",
            "<ruby>子<rt>こ</rt></ruby>",
            "<b>",
            "<i>",
            "</b>",
            "<br>",
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleBody\":\"",
            "\"}</script>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<meta charset=latin1>",
            "<title>",
            "</title>",
            "&amp;",
            "&#x2014;",
            "\u{ad}",
            "\n",
            "\r\n",
            "The council voted on Tuesday to close the old bridge to cars. ",
            "Engineers said the piers had cracked, and repairs would take a year. ",
        ])
        .prop_map(str::to_string),
        "[A-Za-z <>/=\"'&;#!-]{0,40}",
    ]
}

fn page_text() -> impl Strategy<Value = String> {
    prop::collection::vec(page_piece(), 0..120).prop_map(|pieces| pieces.concat())
}

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(article_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

fn check_passages(text_lines: usize, passages: &[quarry::passage::Passage]) {
    for passage in passages {
        assert!(!passage.text.trim().is_empty());
        assert!(passage.first_line >= 1 && passage.first_line <= passage.last_line);
        assert!(passage.last_line as usize <= text_lines.max(1));
    }
}

/// The seed of every property unless PROPTEST_RNG_SEED names another.
const SEED: u64 = 14;

/// Proptest's settings from the environment, with [`SEED`] for a seed.
fn config() -> ProptestConfig {
    let config = ProptestConfig::default();
    match config.rng_seed {
        RngSeed::Random => ProptestConfig {
            rng_seed: RngSeed::Fixed(SEED),
            ..config
        },
        RngSeed::Fixed(_) => config,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_read_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        for format in [Format::Docx, Format::Odt, Format::Epub, Format::Eml, Format::Pdf] {
            let path = Path::new("fuzz.docx");
            let _ = article::from_bytes(&bytes, path, "fuzz".into(), format, Metadata::default());
        }
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let path = Path::new("fuzz.txt");
            if let Ok(article) = article::from_bytes(&bytes, path, "fuzz".into(), format, Metadata::default()) {
                // At most one line per line feed or carriage return, plus the last.
                let lines = bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1;
                check_passages(lines, &article.passages);
            }
        }
    }

    #[test]
    fn any_mailbox_gives_back_its_messages(
        bodies in prop::collection::vec("(From [a-z]{1,3} 10:00 x|>*From|[a-z >:0-9]{0,12}|\n){0,20}\n", 0..6),
        junk in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        // Written as an mboxrd writer does: an envelope line, `From ` lines escaped with a `>`,
        // a blank line after each message.
        let mut mailbox = String::new();
        for body in &bodies {
            mailbox.push_str("From ann@example.org Mon Mar  4 07:30:00 2024\n");
            for line in body.split_inclusive('\n') {
                if line.trim_start_matches('>').starts_with("From ") {
                    mailbox.push('>');
                }
                mailbox.push_str(line);
            }
            mailbox.push('\n');
        }
        let read: Vec<Vec<u8>> = quarry::formats::mbox::Messages::new(mailbox.as_bytes(), 1 << 20)
            .map(|message| message.unwrap().bytes)
            .collect();
        let written: Vec<Vec<u8>> = bodies.iter().map(|body| format!("{body}\n").into_bytes()).collect();
        prop_assert_eq!(read, written);
        // Any bytes after a mailbox are read or refused, and every message read is an article
        // or is said to be left out.
        let mut bytes = mailbox.into_bytes();
        bytes.extend_from_slice(&junk);
        for message in article::mailbox(&bytes[..], Path::new("fuzz.mbox"), "fuzz", 1 << 10) {
            if let Ok(Err(left_out)) = message {
                prop_assert!(!left_out.reason.is_empty());
            }
        }
    }

    #[test]
    fn any_text_in_a_damaged_pdf_is_read_or_refused(
        lines in prop::collection::vec("\\PC{0,40}", 1..12),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let page = || pdfs::Page::Text(pdfs::column(72.0, 700.0, &lines));
        let mut bytes = pdfs::Pdf { pages: vec![page(), pdfs::Page::Image, page()], ..pdfs::Pdf::default() }.bytes();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        match article::from_bytes(&bytes, Path::new("fuzz.pdf"), "fuzz".into(), Format::Pdf, Metadata::default()) {
            Ok(article) => {
                prop_assert!(article.page_starts.windows(2).all(|pair| pair[0] <= pair[1]));
                for passage in &article.passages {
                    prop_assert!(passage.first_line <= passage.last_line);
                    prop_assert!(!passage.text.contains(|c: char| c.is_control() && c != '\n'));
                }
            }
            // Damaged files are refused with a reason, whatever the reader makes of them
            // (pdf_oxide 0.3.78 panics on some, which is caught and said).
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }

    #[test]
    fn any_markup_inside_a_package_is_read_without_panicking(soup in page_text()) {
        // The soup stands for each part a format reads: the document, its properties, an
        // e-book's container, package file and chapter.
        let parts: Vec<(&str, &str)> = [
            "word/document.xml", "word/footnotes.xml", "docProps/core.xml", "content.xml",
            "meta.xml", "META-INF/container.xml", "content.opf", "chapter.xhtml",
        ]
        .into_iter()
        .map(|name| (name, soup.as_str()))
        .collect();
        let container = "<container><rootfile full-path=\"content.opf\"/></container>";
        let opf = format!("<package><manifest><item id=\"c\" href=\"chapter.xhtml\"/>\
            </manifest><spine><itemref idref=\"c\"/></spine>{soup}</package>");
        for (format, extra) in [
            (Format::Docx, vec![]),
            (Format::Odt, vec![]),
            (Format::Epub, vec![("META-INF/container.xml", container), ("content.opf", opf.as_str())]),
        ] {
            let mut all = parts.clone();
            all.retain(|(name, _)| !extra.iter().any(|(other, _)| other == name));
            all.extend(extra);
            let all: Vec<(&str, &[u8])> = all.iter().map(|(name, text)| (*name, text.as_bytes())).collect();
            let bytes = zipped(&all);
            if let Ok(article) = article::from_bytes(&bytes, Path::new("soup"), "soup".into(), format, Metadata::default()) {
                prop_assert_eq!(article.metadata.date.is_some(), article.metadata.date_origin.is_some());
            }
        }
    }

    #[test]
    fn any_page_soup_is_read_consistently(page in page_text()) {
        let article::Parsed { metadata, passages, .. } = article::parse(&page, Format::Html);
        // At most one line per line feed or carriage return, plus the last.
        let lines = page.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1;
        check_passages(lines, &passages);
        prop_assert_eq!(metadata.date.is_some(), metadata.date_origin.is_some());
    }

    #[test]
    fn article_like_text_is_read_consistently(text in article_text()) {
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let article::Parsed { metadata, passages, .. } = article::parse(&text, format);
            check_passages(text.lines().count(), &passages);
            prop_assert_eq!(metadata.date.is_some(), metadata.date_origin.is_some());
            if format == Format::Text {
                // Passages hold text of the article, not invented text.
                for passage in &passages {
                    let first_word = passage.text.split_whitespace().next().unwrap_or("");
                    prop_assert!(text.contains(first_word.trim_end_matches(|c: char| !c.is_alphanumeric())));
                }
            }
        }
    }

    #[test]
    fn any_batch_line_is_read_or_refused(line in any::<String>()) {
        let defaults = request(String::new());
        if let Some(query) = batch::parse_line(1, &line, &defaults) {
            prop_assert!(!query.id.is_empty());
        }
    }

    #[test]
    fn a_json_batch_id_is_never_blank(id in "[ \t]{0,2}|\\PC{0,3}") {
        // Blank ids are rare among any strings: asked for here. Refused, the line keeps its
        // number as its id.
        let line = serde_json::json!({"id": id, "query": "oil"}).to_string();
        let query = batch::parse_line(1, &line, &request(String::new())).unwrap();
        prop_assert!(!query.id.trim().is_empty());
        prop_assert_eq!(query.request.is_ok(), !id.trim().is_empty());
    }

    #[test]
    fn any_query_is_searched_without_panicking(query in "[ -~]{0,60}|\\PC{0,30}") {
        // A query may be refused (too deeply nested, say), but with an error; a panic inside
        // tantivy is reported as damage, which this index is not.
        let results = match searcher().search(&request(query)) {
            Ok(results) => results,
            Err(err) => {
                let message = format!("{err:#}");
                prop_assert!(!message.contains("damaged"), "{}", message);
                return Ok(());
            }
        };
        for hit in &results.hits {
            for [start, end] in &hit.highlights {
                prop_assert!(start < end && *end <= hit.passage.len());
                prop_assert!(hit.passage.is_char_boundary(*start) && hit.passage.is_char_boundary(*end));
            }
        }
    }
}

/// Excluding a phrase whose first match comes after the first included passage tripped a
/// debug assertion in tantivy's phrase scorer (`-i-r` excludes the phrase "i r"); excluded
/// phrases are searched over whole articles now, and must still not trip it.
#[test]
fn excluded_phrases_are_searched_in_debug_builds_too() {
    for query in [
        "iran -i-r",
        "oil -\"united states\"",
        "iran -\"foreign minister\"",
    ] {
        let results = searcher().search(&request(query.to_string()));
        assert!(results.is_ok(), "{query}: {:#}", results.err().unwrap());
    }
    // Alone, an exclusion finds nothing to search for: an error that says so.
    let alone = searcher().search(&request("-i-r".to_string()));
    assert!(format!("{:#}", alone.err().unwrap()).contains("only says what to leave out"));
}

fn request(query: String) -> Request {
    Request {
        limit: 5,
        ..Request::new(query)
    }
}

struct Silent;

impl Observer for Silent {
    fn failed(&self, _: &Path, _: &str) {}
}

/// A searcher over an index of `corpus/`, built once.
fn searcher() -> &'static Searcher {
    static SEARCHER: OnceLock<(TempDir, Searcher)> = OnceLock::new();
    &SEARCHER
        .get_or_init(|| {
            let dir = TempDir::new().unwrap();
            let path = dir.path().join("idx");
            let (mut store, lock) =
                Store::open_for_writing(&path, WriteOptions::default()).unwrap();
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
            let options = Options {
                max_file_size: 1 << 26,
                commit_interval: Duration::from_secs(60),
                walk: Default::default(),
            };
            writer::index(&mut store, &[corpus], options, &Silent).unwrap();
            drop(lock);
            (dir, Searcher::open(&path).unwrap())
        })
        .1
}
