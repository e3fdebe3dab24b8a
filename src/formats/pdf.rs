//! PDF files (`.pdf`) with a text layer, read page by page with `pdf_oxide`: the text in
//! reading order, running headers and footers and page numbers left out, words hyphenated at a
//! line end joined, ligatures and odd spaces made plain. A passage is located by page and line
//! on that page, counted as the reader sees them (running headers included).
//!
//! The title and author come from the document information when they are plausible; its dates
//! say when the file was made, not when the article was published, and are not read.
//!
//! The text handed on marks what plain text cannot say, one mark to a line: [`PAGE_BREAK`]
//! before each page, and [`LEFT_OUT`] for a line of the page that is not article text (it
//! still counts in the page's line numbers). Both are control characters that extracted text
//! never holds: every control is made a space.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use pdf_oxide::document::PdfDocument;

use super::FormatError;
use super::office::{Extracted, plausible_author, plausible_title};
use crate::article::metadata::{FIELD_MAX_BYTES, Metadata};
use crate::paragraph::Line;

/// Starts a page.
const PAGE_BREAK: &str = "\u{c}";
/// Stands for a line of the page that is not article text.
const LEFT_OUT: &str = "\u{b}";

/// More pages than any article or report has; the rest of a larger file is not read (and
/// said so).
const MAX_PAGES: usize = 10_000;
/// The most text read from one file, past which its pages are not read (and said so).
const MAX_TEXT_BYTES: usize = 64 << 20;
/// A line found at the top or bottom of at least this share of the pages is a running header
/// or footer.
const RUNNING_SHARE: f64 = 0.5;
/// How many lines at each end of a page may be running headers or footers.
const EDGE_LINES: usize = 2;
/// Arrays and dictionaries nest a few levels in real files; pdf_oxide reads them recursively,
/// so a file nesting them a hundred thousand deep would overflow its stack and end the run.
const MAX_NESTING: usize = 256;

pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    // The PDF parser is a large body of code reading hostile input: should it fail in a way
    // it did not foresee (it slices strings of damaged files at bytes that are no character
    // boundary), the file is reported, not the run stopped.
    crate::messages::catch_panic(|| with_deep_stack(|| read_pages(bytes))).unwrap_or_else(|panic| {
        Err(FormatError::Unreadable(format!(
            "damaged PDF: the PDF reader failed on it ({panic})"
        )))
    })
}

/// The stack pdf_oxide reads on. Its parser recurses once per level of nesting (about 800
/// bytes a level) with no bound of its own (pdf_oxide#1474, fixed after 0.3.78): nesting in
/// compressed streams, which [`nests_deeper_than`] cannot see, would overflow a thread's usual
/// 2 MiB at a few thousand levels and abort the process. The stack is reserved, not filled.
const READER_STACK_BYTES: usize = 256 << 20;
/// Threads reading the pages of one PDF, at most.
const MAX_PAGE_THREADS: usize = 4;

/// Runs `read` on a thread of its own with a deep stack; where no such thread can be made (a
/// low `ulimit -v`), on this one.
fn with_deep_stack<T: Send>(read: impl FnOnce() -> T + Send) -> T {
    let mut read = Some(read);
    let outcome = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("pdf".into())
            .stack_size(READER_STACK_BYTES)
            .spawn_scoped(scope, || read.take().map(|read| read()));
        spawned.ok().map(|thread| thread.join())
    });
    match outcome {
        Some(Ok(Some(value))) => value,
        // The thread's panic goes on here, where it is caught.
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        _ => match read.take() {
            Some(read) => read(),
            None => unreachable!("the thread took the work and neither returned nor panicked"),
        },
    }
}

/// The text of the first `count` pages, in order (`None` for a page that could not be read),
/// up to [`MAX_TEXT_BYTES`]. Pages are read on as many threads as there are cores, up to
/// [`MAX_PAGE_THREADS`]: a long PDF named alone reads as fast as the machine allows. Each
/// thread has a deep stack ([`with_deep_stack`]); should none be had, this thread reads every
/// page.
fn page_texts(document: &PdfDocument, count: usize) -> Vec<(usize, Option<String>)> {
    let next = AtomicUsize::new(0);
    let read_bytes = AtomicUsize::new(0);
    let read = || {
        let mut texts = Vec::new();
        loop {
            // Pages are handed out in order, so those read are always the first ones.
            if read_bytes.load(Ordering::Relaxed) > MAX_TEXT_BYTES {
                break;
            }
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                break;
            }
            let text = document.extract_text(index).ok();
            let length = text.as_ref().map_or(0, String::len);
            read_bytes.fetch_add(length, Ordering::Relaxed);
            texts.push((index, text));
        }
        texts
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_PAGE_THREADS)
        .min(count);
    let mut texts = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("pdf page".into())
                    .stack_size(READER_STACK_BYTES)
                    .spawn_scoped(scope, read)
                    .ok()
            })
            .collect();
        let mut texts = read();
        for helper in helpers {
            match helper.join() {
                Ok(more) => texts.extend(more),
                // Caught where the whole file is read, and said.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        texts
    });
    texts.sort_unstable_by_key(|(index, _)| *index);
    texts
}

fn read_pages(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let header = &bytes[..bytes.len().min(1024)];
    if !header.windows(5).any(|window| window == b"%PDF-") {
        return Err(FormatError::Unreadable("not a PDF: no PDF header".into()));
    }
    if nests_deeper_than(bytes, MAX_NESTING) {
        return Err(FormatError::Unreadable(format!(
            "damaged PDF: arrays or dictionaries nested over {MAX_NESTING} deep"
        )));
    }
    let document = PdfDocument::from_bytes(bytes.to_vec())
        .map_err(|err| FormatError::Unreadable(format!("damaged PDF: {err}")))?;
    // Many PDFs are encrypted with an empty password only to carry permissions.
    if document.is_encrypted() && !document.authenticate(b"").unwrap_or(false) {
        return Err(FormatError::Unreadable(
            "encrypted PDF: it needs a password".into(),
        ));
    }
    let page_count = document
        .page_count()
        .map_err(|err| FormatError::Unreadable(format!("damaged PDF: {err}")))?;
    let mut pages = Vec::with_capacity(page_count.min(MAX_PAGES));
    let mut failed = Vec::new();
    for (index, text) in page_texts(&document, page_count.min(MAX_PAGES)) {
        match text {
            Some(text) => pages.push(page_lines(&text)),
            None => {
                failed.push(index + 1);
                pages.push(Vec::new());
            }
        }
    }
    let mut warnings = Vec::new();
    if pages.len() < page_count {
        warnings.push(format!(
            "only the first {} of {page_count} pages were read (too much text)",
            pages.len()
        ));
    }
    if !failed.is_empty() {
        warnings.push(format!(
            "{} unreadable: {}",
            if failed.len() == 1 { "page" } else { "pages" },
            numbers_list(&failed)
        ));
    }
    check_usable(&pages, failed.len(), bytes)?;
    let metadata = information(&document);
    Ok(Extracted {
        text: marked_text(pages, metadata.title.as_deref()),
        metadata,
        warnings,
        ..Extracted::default()
    })
}

/// Whether the objects of a PDF nest arrays (`[`) and dictionaries (`<<`) deeper than `limit`,
/// outside strings, comments and stream data: one pass over the bytes.
fn nests_deeper_than(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'[' => depth += 1,
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                depth += 1;
                at += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(at + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'%' => {
                at += bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(0)
            }
            b'(' => at = string_end(bytes, at),
            b's' if bytes[at..].starts_with(b"stream") => {
                at = find(bytes, at, b"endstream").map_or(bytes.len(), |end| end + 8);
            }
            _ => {}
        }
        if depth > limit {
            return true;
        }
        at += 1;
    }
    false
}

/// Where the literal string opening at `open` ends: its parentheses balance, and a backslash
/// escapes the byte after it.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// The first place at or after `from` where `needle` is.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| from + at)
}

/// Refuses a document with no text to index: pages without text are a scan (or what is left
/// of a file cut short), pages of replacement characters are fonts that do not say which
/// letters they draw.
fn check_usable(pages: &[Vec<String>], failed: usize, bytes: &[u8]) -> Result<(), FormatError> {
    let (mut letters, mut unknown) = (0usize, 0usize);
    for line in pages.iter().flatten() {
        for c in line.chars() {
            if c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) {
                unknown += 1;
            } else if c.is_alphanumeric() {
                letters += 1;
            }
        }
    }
    if letters == 0 && unknown == 0 {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let complete = tail.windows(5).any(|window| window == b"%%EOF");
        return Err(FormatError::Unreadable(
            if failed == pages.len() && failed > 0 {
                "damaged PDF: no page could be read".into()
            } else if !complete {
                "damaged PDF: cut short (no end-of-file mark) and no text found".into()
            } else {
                "no text layer (scanned?)".into()
            },
        ));
    }
    if unknown > letters {
        return Err(FormatError::Unreadable(
            "no usable text: its fonts do not map their glyphs to letters".into(),
        ));
    }
    Ok(())
}

/// `3, 5, 9` — or the first few and how many more.
fn numbers_list(numbers: &[usize]) -> String {
    const SHOWN: usize = 10;
    let mut listed: Vec<String> = numbers.iter().take(SHOWN).map(usize::to_string).collect();
    if numbers.len() > SHOWN {
        listed.push(format!("and {} more", numbers.len() - SHOWN));
    }
    listed.join(", ")
}

/// A page's lines as plain text: ligatures spelt out, odd spaces and controls made spaces,
/// soft hyphens dropped, ends trimmed. Blank lines (paragraph breaks) are kept.
fn page_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let mut plain = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '\u{fb00}' => plain.push_str("ff"),
                    '\u{fb01}' => plain.push_str("fi"),
                    '\u{fb02}' => plain.push_str("fl"),
                    '\u{fb03}' => plain.push_str("ffi"),
                    '\u{fb04}' => plain.push_str("ffl"),
                    '\u{fb05}' | '\u{fb06}' => plain.push_str("st"),
                    '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
                    c if c.is_control() || c.is_whitespace() => plain.push(' '),
                    c => plain.push(c),
                }
            }
            plain.trim_end().to_string()
        })
        .collect()
}

/// The pages as one text, marked: running headers and footers and page numbers left out, and
/// the lines of the document's `title` at its start; hyphenated words joined across line ends.
fn marked_text(mut pages: Vec<Vec<String>>, title: Option<&str>) -> String {
    let running = running_lines(&pages);
    let mut left_out = Vec::with_capacity(pages.len());
    for page in &pages {
        let edges = edge_lines(page);
        let dropped: Vec<bool> = (0..page.len())
            .map(|at| {
                edges.contains(&at)
                    && (is_page_number(&page[at]) || running.contains(&shape(&page[at])))
            })
            .collect();
        left_out.push(dropped);
    }
    if let Some(title) = title
        && let Some(first) = pages.iter().position(|page| !edge_lines(page).is_empty())
    {
        leave_out_title(&pages[first], &mut left_out[first], title);
    }
    join_hyphenated(&mut pages, &left_out);
    let mut text = String::new();
    for (page, dropped) in pages.iter().zip(&left_out) {
        text.push_str(PAGE_BREAK);
        text.push('\n');
        for (line, &dropped) in page.iter().zip(dropped) {
            text.push_str(if dropped { LEFT_OUT } else { line });
            text.push('\n');
        }
    }
    text
}

/// Leaves out the first lines of text of `page` that spell the document's title: a title set
/// large wraps over lines, which may come out of the page in another order or glued together,
/// so a line is the title's when its letters are among the title's letters not yet used.
fn leave_out_title(page: &[String], left_out: &mut [bool], title: &str) {
    let letters = |text: &str| -> Vec<char> {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut unused: HashMap<char, usize> = HashMap::new();
    for c in letters(title) {
        *unused.entry(c).or_default() += 1;
    }
    for (at, line) in page.iter().enumerate() {
        if left_out[at] || line.trim().is_empty() {
            continue;
        }
        let line_letters = letters(line);
        let mut remaining = unused.clone();
        let fits = !line_letters.is_empty()
            && line_letters.iter().all(|c| {
                remaining
                    .get_mut(c)
                    .filter(|count| **count > 0)
                    .map(|count| *count -= 1)
                    .is_some()
            });
        if !fits {
            return;
        }
        unused = remaining;
        left_out[at] = true;
    }
}

/// The positions of the first and last few lines of text on a page.
fn edge_lines(page: &[String]) -> Vec<usize> {
    let text: Vec<usize> = (0..page.len())
        .filter(|&at| !page[at].trim().is_empty())
        .collect();
    let mut edges: Vec<usize> = text.iter().take(EDGE_LINES).copied().collect();
    edges.extend(text.iter().rev().take(EDGE_LINES));
    edges
}

/// A line with its numbers and case set aside: a running header says the same on every page
/// but its page number.
fn shape(line: &str) -> String {
    let mut shape = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !shape.is_empty() {
            shape.push(' ');
        }
        shape.extend(word.chars().map(|c| {
            if c.is_numeric() {
                '#'
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        }));
    }
    shape
}

/// The shapes of lines found at the edges of many pages.
fn running_lines(pages: &[Vec<String>]) -> HashSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut with_text = 0;
    for page in pages {
        let mut shapes: Vec<String> = edge_lines(page)
            .into_iter()
            .map(|at| shape(&page[at]))
            .collect();
        with_text += usize::from(!shapes.is_empty());
        shapes.sort_unstable();
        shapes.dedup();
        for shape in shapes {
            *seen.entry(shape).or_default() += 1;
        }
    }
    let needed = ((with_text as f64 * RUNNING_SHARE).ceil() as usize).max(2);
    seen.into_iter()
        .filter(|(_, pages)| *pages >= needed)
        .map(|(shape, _)| shape)
        .collect()
}

/// `12`, `- 12 -`, `Page 12`, `12 of 30`, `12/30`: a page number alone on its line.
fn is_page_number(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | '|'))
        .filter(|word| !word.is_empty())
        .collect();
    let number = |word: &&str| word.len() <= 5 && word.chars().all(|c| c.is_ascii_digit());
    match words.as_slice() {
        [n] => number(n),
        [first, n] => {
            number(n)
                && (first.eq_ignore_ascii_case("page") || (number(first) && line.contains('/')))
        }
        [n, of, m] => number(n) && of.eq_ignore_ascii_case("of") && number(m),
        [page, n, of, m] => {
            page.eq_ignore_ascii_case("page")
                && number(n)
                && of.eq_ignore_ascii_case("of")
                && number(m)
        }
        _ => false,
    }
}

/// A word cut by a hyphen at the end of a line ("exam-" / "ple of") is made whole on the first
/// line ("example" / "of"), so that it is found; lines keep their places. The next line may be
/// on the next page, past left-out lines.
fn join_hyphenated(pages: &mut [Vec<String>], left_out: &[Vec<bool>]) {
    let places: Vec<(usize, usize)> = pages
        .iter()
        .enumerate()
        .flat_map(|(page, lines)| (0..lines.len()).map(move |line| (page, line)))
        .filter(|&(page, line)| !left_out[page][line])
        .collect();
    for pair in places.windows(2) {
        let [(page, line), (next_page, next_line)] = [pair[0], pair[1]];
        let Some(stem) = hyphenated_stem(&pages[page][line]) else {
            continue;
        };
        let next = &pages[next_page][next_line];
        let trimmed = next.trim_start();
        if !trimmed.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let (rest_of_word, rest) = trimmed.split_at(end);
        let joined = format!("{stem}{rest_of_word}");
        let rest = rest.trim_start().to_string();
        pages[page][line] = joined;
        pages[next_page][next_line] = rest;
    }
}

/// The line without its hyphen when it ends with a letter and a hyphen.
fn hyphenated_stem(line: &str) -> Option<&str> {
    let stem = line
        .strip_suffix('-')
        .or_else(|| line.strip_suffix('\u{2010}'))?;
    stem.chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
        .then_some(stem)
}

/// The lines of a marked text (see the module's notes), numbered by page, and the number of
/// the first line of each page. Line numbers run on from page to page so that they stay in
/// order; a page's lines are numbered from its start.
pub fn lines(text: &str) -> (Vec<Line<'_>>, Vec<u32>) {
    let mut lines = Vec::new();
    let mut page_starts = Vec::new();
    let mut counted: u32 = 0;
    let mut after_blank = true;
    for line in text.lines() {
        if line == PAGE_BREAK {
            page_starts.push(counted.saturating_add(1));
            // A page break ends a paragraph unless its sentence runs on (the paragraph rules
            // join those).
            if !after_blank {
                lines.push(Line::new(counted.max(1), ""));
                after_blank = true;
            }
        } else if line == LEFT_OUT {
            counted = counted.saturating_add(1);
        } else if line.trim().is_empty() {
            if !after_blank {
                lines.push(Line::new(counted.max(1), ""));
                after_blank = true;
            }
        } else {
            counted = counted.saturating_add(1);
            lines.push(Line::new(counted, line));
            after_blank = false;
        }
    }
    (lines, page_starts)
}

/// The title and author of the document information dictionary, where plausible.
fn information(document: &PdfDocument) -> Metadata {
    let info = document
        .trailer()
        .as_dict()
        .and_then(|trailer| trailer.get("Info"))
        .and_then(|info| document.resolve_object(info).ok());
    let field = |name: &str| -> Option<String> {
        let value = info.as_ref()?.as_dict()?.get(name)?;
        let value = document.resolve_object(value).ok()?;
        let text = text_string(value.as_string()?);
        let text = text
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!text.is_empty() && text.len() <= FIELD_MAX_BYTES).then_some(text)
    };
    Metadata {
        title: field("Title").filter(|title| plausible_title(title)),
        author: field("Author").filter(|author| plausible_author(author)),
        ..Metadata::default()
    }
}

/// A PDF text string: UTF-16 after a byte order mark, UTF-8 after its mark, else
/// PDFDocEncoding, which is Latin-1 for the letters that matter here.
fn text_string(bytes: &[u8]) -> String {
    let utf16 = |units: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = units
            .chunks_exact(2)
            .map(|pair| unit([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(units) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(units, u16::from_be_bytes);
    }
    if let Some(units) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(units, u16::from_le_bytes);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&byte| char::from(byte)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn page_numbers_alone_on_their_line_are_known() {
        for line in ["12", "- 12 -", "Page 3", "3 of 10", "3/10", "PAGE 4 OF 9"] {
            assert!(is_page_number(line), "{line}");
        }
        for line in ["1987", "Page one", "12 dogs", "In 3 of 10 cases", ""] {
            assert!(!is_page_number(line) || line == "1987", "{line}");
        }
        assert!(!is_page_number("Chapter 3"));
    }

    #[test]
    fn running_headers_and_page_numbers_are_left_out_and_counted() {
        let pages = vec![
            page(&["The Gazette, May 1", "Title", "", "Body one runs", "1"]),
            page(&["The Gazette, May 2", "on here.", "", "Body two.", "2"]),
        ];
        let text = marked_text(pages, None);
        let (lines, starts) = super::lines(&text);
        // Blank lines are a paragraph's end, not a line of the page.
        assert_eq!(starts, [1, 5]);
        let kept: Vec<(u32, &str)> = lines
            .iter()
            .filter(|line| !line.is_blank())
            .map(|line| (line.number, line.text.as_ref()))
            .collect();
        assert_eq!(
            kept,
            [
                (2, "Title"),
                (3, "Body one runs"),
                (6, "on here."),
                (7, "Body two.")
            ]
        );
    }

    #[test]
    fn a_word_cut_at_a_line_end_is_made_whole_on_its_first_line() {
        let pages = vec![
            page(&["a long exam-", "ple of text and a well-"]),
            page(&["Known name"]),
        ];
        let text = marked_text(pages, None);
        assert!(
            text.contains("a long example\nof text and a well-\n"),
            "{text:?}"
        );
    }

    #[test]
    fn a_title_wrapped_over_lines_in_any_order_is_left_out() {
        let pages = vec![page(&[
            "NATIONAL HEALTH",
            "ENHANCEMENT <NHES> NEWPLAN",
            "",
            "National Health said on Monday it had a new plan.",
        ])];
        let text = marked_text(pages, Some("National Health Enhancement <NHES> New Plan"));
        assert!(
            text.starts_with("\u{c}\n\u{b}\n\u{b}\n\nNational Health said"),
            "{text:?}"
        );
    }

    #[test]
    fn ligatures_spaces_and_controls_are_made_plain() {
        assert_eq!(
            page_lines("e\u{fb03}cient\u{a0}o\u{fb00}er\u{ad}ing\u{b}x  "),
            ["efficient offering x"]
        );
    }

    #[test]
    fn text_strings_are_decoded_by_their_mark() {
        assert_eq!(text_string(b"\xfe\xff\x00C\x00a\x00f\x00\xe9"), "Café");
        assert_eq!(text_string(b"Caf\xe9"), "Café");
        assert_eq!(text_string(b"\xef\xbb\xbfCaf\xc3\xa9"), "Café");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!(
            "%PDF-1.4\n1 0 obj << /X {}{} >>",
            "[".repeat(300),
            "]".repeat(300)
        );
        assert!(nests_deeper_than(deep.as_bytes(), MAX_NESTING));
        let err = read(deep.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nested over 256 deep"), "{err}");
        // Brackets in strings, comments and streams are not nesting.
        let shallow = format!(
            "<< /T ({0}\\)) >> % {0}\nstream\n{0}\nendstream [ ]",
            "[".repeat(300)
        );
        assert!(!nests_deeper_than(shallow.as_bytes(), MAX_NESTING));
    }

    #[test]
    fn garbage_is_reported_not_panicked_on() {
        for bytes in [
            &b""[..],
            b"%PDF-1.7\n",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >>",
        ] {
            assert!(read(bytes).is_err());
        }
    }
}
