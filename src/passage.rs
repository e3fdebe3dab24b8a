//! Cutting an article's paragraphs into passages, the unit quarry indexes and returns.
//!
//! Paragraphs are packed into passages of about [`TARGET_WORDS`] words, and a paragraph too
//! long for one passage is cut between sentences. Each passage keeps the first and last line it
//! came from.

use crate::paragraph::{CLOSERS, OPENERS, Paragraph, SENTENCE_ENDS, ends_sentence, word_count};

/// Passages grow until they reach about this many words: a few paragraphs, enough context to
/// rank well and to read (measured on BEIR SciFact, see BENCHMARKS.md: 120 words lost 0.01
/// nDCG@10 against 250).
pub const TARGET_WORDS: usize = 250;
/// A passage may overshoot the target to keep a paragraph whole, up to this many words.
const MAX_WORDS: usize = 330;
/// A heading starts a new passage once the current one holds at least this many words.
const MIN_WORDS_BEFORE_HEADING: usize = 40;
/// A heading is a short paragraph without a sentence ending.
const HEADING_MAX_WORDS: usize = 12;
/// A "sentence" longer than this is not prose (a table, a dump, a missing full stop): it is cut
/// between words instead, so that no passage grows without bound.
const LONGEST_SENTENCE_WORDS: usize = 400;

/// A span of article text that is indexed and returned as one hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Paragraphs separated by `\n`; lines of one paragraph are joined by a space.
    pub text: String,
    pub first_line: u32,
    pub last_line: u32,
    /// Where each source line after the first starts in `text`: what labels a snippet with the
    /// line it comes from.
    pub lines: LineMap,
}

/// `(byte offset in a passage's text, source line number)` for every source line after the
/// passage's first, both ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap(Vec<(u32, u32)>);

impl LineMap {
    /// Notes that `line` starts at byte `offset`. Lines that do not come after the last one
    /// noted add nothing (an HTML block may span lines that a later block shares).
    fn push(&mut self, offset: usize, line: u32, current: u32) {
        let last = self.0.last().map_or(current, |&(_, line)| line);
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        if line > last && self.0.last().is_none_or(|&(at, _)| offset > at) {
            self.0.push((offset, line));
        }
    }

    /// The line holding byte `offset` of a passage whose first line is `first_line`.
    pub fn line_at(&self, first_line: u32, offset: usize) -> u32 {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let after = self.0.partition_point(|&(start, _)| start <= offset);
        after
            .checked_sub(1)
            .map_or(first_line, |entry| self.0[entry].1)
    }

    /// Where the line holding byte `offset` starts in the passage's text.
    pub fn line_start(&self, offset: usize) -> usize {
        let offset32 = u32::try_from(offset).unwrap_or(u32::MAX);
        let after = self.0.partition_point(|&(start, _)| start <= offset32);
        after
            .checked_sub(1)
            .map_or(0, |entry| self.0[entry].0 as usize)
    }

    /// The map as stored in the index: each entry as two LEB128 numbers, the offset and the
    /// line each counted from the entry before (a few bytes per line, not eight).
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.0.len() * 3);
        let mut previous = (0, 0);
        for &(offset, line) in &self.0 {
            push_leb128(&mut bytes, offset - previous.0);
            push_leb128(&mut bytes, line - previous.1);
            previous = (offset, line);
        }
        bytes
    }

    /// Reads what [`LineMap::encode`] wrote; bytes that do not decode end the map where they
    /// start, so a damaged map only labels lines less precisely.
    pub fn decode(bytes: &[u8]) -> LineMap {
        let mut numbers = Leb128(bytes.iter());
        let mut entries = Vec::new();
        let (mut offset, mut line) = (0u32, 0u32);
        while let (Some(offset_delta), Some(line_delta)) = (numbers.next(), numbers.next()) {
            let (Some(at), Some(number)) = (
                offset.checked_add(offset_delta),
                line.checked_add(line_delta),
            ) else {
                break;
            };
            (offset, line) = (at, number);
            entries.push((offset, line));
        }
        LineMap(entries)
    }
}

/// Where a passage of a paged document (a PDF) is: the pages its lines are on. Line numbers
/// run on from page to page; a page's lines are shown counted from its start. Empty for a
/// document without pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageMap {
    /// The page (from 1) of the passage's first line.
    first_page: u32,
    /// The number of the first line of that page and of each later page the passage reaches.
    starts: Vec<u32>,
}

/// A line as a reader finds it: on a page, or in a file without pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub page: Option<u32>,
    pub line: u32,
}

impl std::fmt::Display for Location {
    /// `p3:12` on a page, `12` in a file without pages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page {
            Some(page) => write!(f, "p{page}:{}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

impl PageMap {
    /// The pages that lines `first..=last` are on, of a document whose pages start at
    /// `page_starts` (empty: a document without pages).
    pub fn of(page_starts: &[u32], first: u32, last: u32) -> PageMap {
        // Of pages starting at the same line, the empty ones come first.
        let first_index = page_starts.partition_point(|&start| start <= first);
        let Some(first_index) = first_index.checked_sub(1) else {
            return PageMap::default();
        };
        let reached = page_starts.partition_point(|&start| start <= last);
        PageMap {
            first_page: u32::try_from(first_index + 1).unwrap_or(u32::MAX),
            starts: page_starts[first_index..reached].to_vec(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Where line `line` of the passage is.
    pub fn place(&self, line: u32) -> Location {
        let after = self.starts.partition_point(|&start| start <= line);
        match after.checked_sub(1) {
            Some(index) => Location {
                page: Some(self.first_page.saturating_add(index as u32)),
                line: line - self.starts[index] + 1,
            },
            None => Location { page: None, line },
        }
    }

    /// `12-20`, `p3:12-20`, or `p3:40-p4:5` for a passage across a page break.
    pub fn range(&self, first: u32, last: u32) -> String {
        let (start, end) = (self.place(first), self.place(last));
        if start.page == end.page {
            format!("{start}-{}", end.line)
        } else {
            format!("{start}-{end}")
        }
    }

    /// The map as stored: LEB128 numbers, the first page and then each page start counted from
    /// the one before; nothing for a document without pages.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if self.starts.is_empty() {
            return bytes;
        }
        push_leb128(&mut bytes, self.first_page);
        let mut previous = 0;
        for &start in &self.starts {
            push_leb128(&mut bytes, start - previous);
            previous = start;
        }
        bytes
    }

    /// Reads what [`PageMap::encode`] wrote; bytes that do not decode end the map where they
    /// start.
    pub fn decode(bytes: &[u8]) -> PageMap {
        let mut numbers = Leb128(bytes.iter());
        let Some(first_page) = numbers.next() else {
            return PageMap::default();
        };
        let mut starts = Vec::new();
        let mut start = 0u32;
        for delta in numbers {
            let Some(next) = start.checked_add(delta) else {
                break;
            };
            start = next;
            starts.push(start);
        }
        PageMap { first_page, starts }
    }
}

/// Appends `value` as a LEB128 number: seven bits to a byte, low bits first.
fn push_leb128(bytes: &mut Vec<u8>, value: u32) {
    let mut rest = value;
    while rest >= 0x80 {
        bytes.push((rest as u8) | 0x80);
        rest >>= 7;
    }
    bytes.push(rest as u8);
}

/// The LEB128 numbers of a byte string, up to the first that does not decode.
struct Leb128<'a>(std::slice::Iter<'a, u8>);

impl Iterator for Leb128<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self.0.next()?;
            value = value.checked_add(u32::from(byte & 0x7f).checked_shl(shift)?)?;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }
}

/// Cuts paragraphs into passages.
pub fn pack_paragraphs(paragraphs: &[Paragraph]) -> Vec<Passage> {
    pack(paragraphs.iter().flat_map(units))
}

/// A paragraph as packing units: whole when it fits a passage, else runs of sentences.
fn units<'p>(paragraph: &'p Paragraph) -> Vec<Unit<'p>> {
    let text = paragraph.text();
    let unit = |range: std::ops::Range<usize>, words: usize| {
        let piece = text[range.clone()].trim();
        let lead = text[range.clone()].len() - text[range.clone()].trim_start().len();
        let opens_paragraph = range.start == 0;
        let piece_start = range.start + lead;
        Unit {
            text: piece,
            line_starts: paragraph
                .line_starts_within(piece_start..piece_start + piece.len())
                .collect(),
            words,
            first_line: paragraph.line_at(range.start),
            last_line: if range.end >= text.len() {
                paragraph.last_line()
            } else {
                paragraph.line_at(range.end.max(range.start + 1) - 1)
            },
            opens_paragraph,
            is_heading: opens_paragraph
                && range.end == text.len()
                && words <= HEADING_MAX_WORDS
                && !ends_sentence(piece),
        }
    };
    let words = word_count(text);
    if words <= MAX_WORDS {
        return vec![unit(0..text.len(), words)];
    }
    let mut units = Vec::new();
    let mut start = 0;
    let mut run_words = 0;
    for sentence in sentences(text) {
        let sentence_words = word_count(&text[sentence.clone()]);
        if run_words > 0 && run_words + sentence_words > TARGET_WORDS {
            units.push(unit(start..sentence.start, run_words));
            start = sentence.start;
            run_words = 0;
        }
        if sentence_words > LONGEST_SENTENCE_WORDS {
            for piece in word_runs(text, sentence, TARGET_WORDS) {
                let piece_words = word_count(&text[piece.clone()]);
                start = piece.end;
                units.push(unit(piece, piece_words));
            }
            continue;
        }
        run_words += sentence_words;
    }
    if run_words > 0 {
        units.push(unit(start..text.len(), run_words));
    }
    units
}

/// A whole paragraph or a run of its sentences: what passages are packed from.
struct Unit<'a> {
    text: &'a str,
    /// Lines starting inside `text`: (byte offset in it, line number).
    line_starts: Vec<(usize, u32)>,
    words: usize,
    first_line: u32,
    last_line: u32,
    opens_paragraph: bool,
    is_heading: bool,
}

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "capt", "col", "lt", "sgt", "cmdr", "adm",
    "gov", "sen", "rep", "pres", "rev", "st", "jr", "sr", "corp", "inc", "co", "ltd", "vs", "etc",
    "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "fig", "approx", "dept", "est", "no",
];

/// Byte ranges of the sentences of a paragraph, covering it from start to end.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for next_start in sentence_starts(text) {
        ranges.push(start..next_start);
        start = next_start;
    }
    ranges.push(start..text.len());
    ranges
}

/// Byte offsets where a new sentence begins (never 0).
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !SENTENCE_ENDS.contains(&c) {
            continue;
        }
        let mut end = at + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if SENTENCE_ENDS.contains(&next) || CLOSERS.contains(&next) {
                end = i + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &text[end..];
        let gap = rest.len() - rest.trim_start().len();
        let opens_sentence = rest[gap..]
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || OPENERS.contains(&n));
        if gap == 0 || !opens_sentence || (c == '.' && is_abbreviation(&text[..at])) {
            continue;
        }
        starts.push(end + gap);
    }
    starts
}

/// True when the word just before a full stop is an abbreviation, an initial or an initialism.
fn is_abbreviation(before_stop: &str) -> bool {
    let word = before_stop
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(OPENERS);
    let single_letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    let initialism = word.contains('.');
    single_letter
        || initialism
        || ABBREVIATIONS
            .iter()
            .any(|abbr| abbr.eq_ignore_ascii_case(word))
}

/// Cuts `range` of `text` between words into runs of at most `words_per_run` words.
fn word_runs(
    text: &str,
    range: std::ops::Range<usize>,
    words_per_run: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = range.start;
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            if words == words_per_run {
                runs.push(start..at);
                start = at;
                words = 0;
            }
            words += 1;
        }
    }
    runs.push(start..range.end);
    runs
}

/// Packs units into passages of about [`TARGET_WORDS`] words, headings opening passages.
fn pack<'a>(units: impl Iterator<Item = Unit<'a>>) -> Vec<Passage> {
    let mut passages = Vec::new();
    let mut current: Option<(Passage, usize)> = None;
    for unit in units {
        if let Some((passage, words)) = current.take() {
            let full = words >= TARGET_WORDS
                || words + unit.words > MAX_WORDS
                || (unit.is_heading && words >= MIN_WORDS_BEFORE_HEADING);
            if full {
                passages.push(passage);
            } else {
                current = Some((passage, words));
            }
        }
        match current.as_mut() {
            Some((passage, words)) => {
                passage
                    .text
                    .push(if unit.opens_paragraph { '\n' } else { ' ' });
                let base = passage.text.len();
                passage
                    .lines
                    .push(base, unit.first_line, passage.first_line);
                passage.text.push_str(unit.text);
                for &(offset, line) in &unit.line_starts {
                    passage.lines.push(base + offset, line, passage.first_line);
                }
                passage.last_line = unit.last_line;
                *words += unit.words;
            }
            None => {
                let mut passage = Passage {
                    text: unit.text.to_string(),
                    first_line: unit.first_line,
                    last_line: unit.last_line,
                    lines: LineMap::default(),
                };
                for &(offset, line) in &unit.line_starts {
                    passage.lines.push(offset, line, passage.first_line);
                }
                current = Some((passage, unit.words));
            }
        }
    }
    passages.extend(current.map(|(passage, _)| passage));
    passages
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::paragraph::{self, Line};

    fn segment(text: &str) -> Vec<Passage> {
        pack_paragraphs(&paragraph::from_lines(&Line::numbered(text)))
    }

    fn sentence(words: usize, tag: &str) -> String {
        let mut s = vec![tag; words].join(" ");
        s.push('.');
        let mut chars = s.chars();
        chars.next().map_or(String::new(), |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_short_ones_are_joined() {
        let text = "First paragraph here.\n\nSecond one\nwraps here.\n\nThird.";
        let passages = segment(text);
        assert_eq!(passages.len(), 1);
        assert_eq!(
            passages[0].text,
            "First paragraph here.\nSecond one wraps here.\nThird."
        );
        assert_eq!((passages[0].first_line, passages[0].last_line), (1, 6));
    }

    #[test]
    fn one_paragraph_per_line_files_keep_lines_as_paragraphs() {
        // Two of these fit a passage, three don't.
        let words = TARGET_WORDS * 7 / 12;
        let body = [
            sentence(words, "alpha"),
            sentence(words, "beta"),
            sentence(words, "gamma"),
        ];
        let text = body.join("\n");
        let passages = segment(&text);
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[0].text, format!("{}\n{}", body[0], body[1]));
        assert_eq!((passages[0].first_line, passages[0].last_line), (1, 2));
        assert_eq!((passages[1].first_line, passages[1].last_line), (3, 3));
    }

    #[test]
    fn long_paragraphs_are_cut_between_sentences_with_right_lines() {
        // Five sentences on a wrapped paragraph, two lines each, too long for one passage.
        let mut text = String::new();
        for tag in ["one", "two", "three", "four", "five"] {
            let s = sentence(TARGET_WORDS * 5 / 12, tag);
            let (head, tail) = s.split_at(s.len() / 2);
            let cut = head.rfind(' ').unwrap();
            text.push_str(&format!("{}\n{}{} ", &head[..cut], &head[cut + 1..], tail));
            text.push('\n');
        }
        let passages = segment(&text);
        assert!(passages.len() >= 2, "{passages:?}");
        for passage in &passages {
            assert!(
                passage.text.ends_with('.'),
                "cut inside a sentence: {passage:?}"
            );
            assert!(word_count(&passage.text) <= MAX_WORDS);
        }
        assert_eq!(passages[0].first_line, 1);
        assert_eq!(passages.last().unwrap().last_line, 10);
        for pair in passages.windows(2) {
            assert_eq!(pair[1].first_line, pair[0].last_line + 1);
        }
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let text = "Maj. Gen. Qassem Soleimani met U.S. officials on Oct. 7 with John F. Kirby. \
                    Then they left.";
        let starts = sentence_starts(text);
        assert_eq!(starts.len(), 1);
        assert_eq!(&text[starts[0]..], "Then they left.");
    }

    #[test]
    fn sentences_end_after_closing_quotes() {
        let text = "He said “we are going to zero.” The aim was clear! Was it? Yes.";
        let pieces: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            pieces,
            [
                "He said “we are going to zero.”",
                "The aim was clear!",
                "Was it?",
                "Yes."
            ]
        );
    }

    #[test]
    fn headings_open_passages() {
        let text = format!(
            "{}\n\nA String of Attacks\n\n{}",
            sentence(60, "a"),
            sentence(30, "b")
        );
        let passages = segment(&text);
        assert_eq!(passages.len(), 2);
        assert!(passages[1].text.starts_with("A String of Attacks\n"));
        assert_eq!(passages[1].first_line, 3);
    }

    #[test]
    fn a_huge_unpunctuated_line_is_cut_between_words() {
        let text = vec!["word"; 1000].join(" ");
        let passages = segment(&text);
        assert!(passages.len() >= 1000 / MAX_WORDS);
        assert!(passages.iter().all(|p| word_count(&p.text) <= MAX_WORDS));
        assert_eq!(
            passages.iter().map(|p| word_count(&p.text)).sum::<usize>(),
            1000
        );
    }

    #[test]
    fn empty_input_has_no_passages() {
        assert!(segment("\n  \n\n").is_empty());
    }
}
