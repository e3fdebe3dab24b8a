//! Cutting an article's body into passages, the unit quarry indexes and returns.
//!
//! Lines become paragraphs, paragraphs are packed into passages of about [`TARGET_WORDS`] words,
//! and a paragraph too long for one passage is cut between sentences. Each passage keeps the
//! first and last line it came from.

/// Passages grow until they reach about this many words.
pub const TARGET_WORDS: usize = 120;
/// A passage may overshoot the target to keep a paragraph whole, up to this many words.
const MAX_WORDS: usize = 160;
/// A heading starts a new passage once the current one holds at least this many words.
const MIN_WORDS_BEFORE_HEADING: usize = 40;
/// A heading is a short paragraph without a sentence ending.
const HEADING_MAX_WORDS: usize = 12;
/// Hard-wrapped text keeps its lines shorter than this many characters.
const WRAPPED_LINE_MAX_CHARS: usize = 100;
/// A "sentence" longer than this is not prose (a table, a dump, a missing full stop): it is cut
/// between words instead, so that no passage grows without bound.
const LONGEST_SENTENCE_WORDS: usize = 400;

/// A line of article body with its 1-based number in the file.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    pub number: u32,
    pub text: &'a str,
}

/// A span of article text that is indexed and returned as one hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Paragraphs separated by `\n`; lines of one paragraph are joined by a space.
    pub text: String,
    pub first_line: u32,
    pub last_line: u32,
}

/// Cuts body lines into passages.
pub fn segment(lines: &[Line]) -> Vec<Passage> {
    let paragraphs = paragraphs(lines);
    let units = paragraphs.iter().flat_map(Paragraph::units);
    pack(units)
}

/// One paragraph of text, with where each of its source lines starts.
struct Paragraph {
    text: String,
    /// `(byte offset in text, line number)` for each source line, in order.
    line_starts: Vec<(usize, u32)>,
}

impl Paragraph {
    fn new(line: Line) -> Paragraph {
        Paragraph {
            text: line.text.trim().to_string(),
            line_starts: vec![(0, line.number)],
        }
    }

    fn push(&mut self, line: Line) {
        self.text.push(' ');
        self.line_starts.push((self.text.len(), line.number));
        self.text.push_str(line.text.trim());
    }

    /// Number of the source line holding byte `offset` of the text.
    fn line_at(&self, offset: usize) -> u32 {
        let after = self
            .line_starts
            .partition_point(|&(start, _)| start <= offset);
        self.line_starts[after.saturating_sub(1)].1
    }

    /// The paragraph as packing units: whole when it fits a passage, else runs of sentences.
    fn units(&self) -> Vec<Unit<'_>> {
        let words = word_count(&self.text);
        if words <= MAX_WORDS {
            return vec![self.unit(0..self.text.len(), words, true)];
        }
        let mut units = Vec::new();
        let mut start = 0;
        let mut run_words = 0;
        for sentence in sentences(&self.text) {
            let sentence_words = word_count(&self.text[sentence.clone()]);
            if run_words > 0 && run_words + sentence_words > TARGET_WORDS {
                units.push(self.unit(start..sentence.start, run_words, start == 0));
                start = sentence.start;
                run_words = 0;
            }
            if sentence_words > LONGEST_SENTENCE_WORDS {
                for piece in word_runs(&self.text, sentence, TARGET_WORDS) {
                    let piece_words = word_count(&self.text[piece.clone()]);
                    units.push(self.unit(piece.clone(), piece_words, piece.start == 0));
                    start = piece.end;
                }
                continue;
            }
            run_words += sentence_words;
        }
        if run_words > 0 {
            units.push(self.unit(start..self.text.len(), run_words, start == 0));
        }
        units
    }

    fn unit(&self, range: std::ops::Range<usize>, words: usize, opens_paragraph: bool) -> Unit<'_> {
        let text = self.text[range.clone()].trim();
        let end = range.end.max(range.start + 1) - 1;
        Unit {
            text,
            words,
            first_line: self.line_at(range.start),
            last_line: self.line_at(end),
            opens_paragraph,
            is_heading: opens_paragraph
                && range.end == self.text.len()
                && words <= HEADING_MAX_WORDS
                && !ends_sentence(text),
        }
    }
}

/// A whole paragraph or a run of its sentences: what passages are packed from.
struct Unit<'a> {
    text: &'a str,
    words: usize,
    first_line: u32,
    last_line: u32,
    opens_paragraph: bool,
    is_heading: bool,
}

/// Groups lines into paragraphs.
///
/// Blank lines always separate paragraphs. Inside a block of consecutive lines, either every
/// line is a paragraph of its own (most lines end a sentence: a one-paragraph-per-line file) or
/// the lines are a hard-wrapped text whose paragraphs start with an indented line. A line that
/// plainly continues the sentence before it (no sentence end, then a lowercase start) is joined
/// to it, even across a blank line.
fn paragraphs(lines: &[Line]) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for block in lines.split(|line| line.text.trim().is_empty()) {
        let Some(first) = block.first() else { continue };
        let one_per_line = is_one_paragraph_per_line(block);
        let base_indent = block
            .iter()
            .map(|line| indent(line.text))
            .min()
            .unwrap_or(0);
        match paragraphs.last_mut() {
            Some(last) if continues(&last.text, first.text) => last.push(*first),
            _ => paragraphs.push(Paragraph::new(*first)),
        }
        for pair in block.windows(2) {
            let (previous, line) = (pair[0], pair[1]);
            let starts_paragraph = if one_per_line {
                !continues(previous.text, line.text)
            } else {
                indent(line.text) > base_indent
            };
            match paragraphs.last_mut() {
                Some(last) if !starts_paragraph => last.push(line),
                _ => paragraphs.push(Paragraph::new(line)),
            }
        }
    }
    paragraphs
}

/// A block is one paragraph per line when most of its lines end a sentence, or when its lines
/// are too long to be a hard-wrapped text.
fn is_one_paragraph_per_line(block: &[Line]) -> bool {
    let inner = &block[..block.len() - 1];
    let ended = inner.iter().filter(|line| ends_sentence(line.text)).count();
    let mut lengths: Vec<usize> = inner.iter().map(|line| line.text.chars().count()).collect();
    lengths.sort_unstable();
    let median = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
    ended * 2 > inner.len() || median > WRAPPED_LINE_MAX_CHARS
}

/// True when `next` carries on the sentence that `text` leaves open.
fn continues(text: &str, next: &str) -> bool {
    let opens_lowercase = next
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    opens_lowercase && !ends_sentence(text)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…'];
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '*', '_'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '['];

/// True when the text ends with a sentence end, possibly followed by closing quotes.
fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSERS)
        .ends_with(SENTENCE_ENDS)
}

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "capt", "col", "lt", "sgt", "cmdr", "adm",
    "gov", "sen", "rep", "pres", "rev", "st", "jr", "sr", "corp", "inc", "co", "ltd", "vs", "etc",
    "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "fig", "approx", "dept", "est", "no",
];

/// Byte ranges of the sentences of a paragraph, covering it from start to end.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
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

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
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
                passage.text.push_str(unit.text);
                passage.last_line = unit.last_line;
                *words += unit.words;
            }
            None => {
                let passage = Passage {
                    text: unit.text.to_string(),
                    first_line: unit.first_line,
                    last_line: unit.last_line,
                };
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

    /// Numbers the lines of a text from 1, as a file would.
    fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .zip(1..)
            .map(|(text, number)| Line { number, text })
            .collect()
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
        let passages = segment(&lines(text));
        assert_eq!(passages.len(), 1);
        assert_eq!(
            passages[0].text,
            "First paragraph here.\nSecond one wraps here.\nThird."
        );
        assert_eq!((passages[0].first_line, passages[0].last_line), (1, 6));
    }

    #[test]
    fn one_paragraph_per_line_files_keep_lines_as_paragraphs() {
        let body = [
            sentence(70, "alpha"),
            sentence(70, "beta"),
            sentence(70, "gamma"),
        ];
        let text = body.join("\n");
        let passages = segment(&lines(&text));
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[0].text, format!("{}\n{}", body[0], body[1]));
        assert_eq!((passages[0].first_line, passages[0].last_line), (1, 2));
        assert_eq!((passages[1].first_line, passages[1].last_line), (3, 3));
    }

    #[test]
    fn a_line_broken_inside_a_sentence_is_joined_back() {
        let text = "One whole sentence.\nAnother.\nThere is still an opening if they don't want\n\
                    direct conflict,” he said,\naccording to the intermediary.\nLast one.";
        let paragraphs = paragraphs(&lines(text));
        let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "One whole sentence.",
                "Another.",
                "There is still an opening if they don't want direct conflict,” he said, \
                 according to the intermediary.",
                "Last one."
            ]
        );
    }

    #[test]
    fn a_sentence_broken_by_a_stray_blank_line_is_joined_back() {
        let text = "Trump didn't respond to any of them, to\n\nthe chagrin of the allies.";
        let passages = segment(&lines(text));
        assert_eq!(
            passages[0].text,
            "Trump didn't respond to any of them, to the chagrin of the allies."
        );
        assert_eq!((passages[0].first_line, passages[0].last_line), (1, 3));
    }

    #[test]
    fn wrapped_text_with_indented_paragraphs() {
        let text = "Showers continued throughout the week in\nthe Bahia cocoa zone.\n    \
                    The dry period means the temporao will be late.\n    Arrivals for the \
                    week ended\nFebruary 22 were 155,221 bags.";
        let texts: Vec<String> = paragraphs(&lines(text))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Showers continued throughout the week in the Bahia cocoa zone.",
                "The dry period means the temporao will be late.",
                "Arrivals for the week ended February 22 were 155,221 bags."
            ]
        );
    }

    #[test]
    fn long_paragraphs_are_cut_between_sentences_with_right_lines() {
        // Five 50-word sentences on a wrapped paragraph: two lines per sentence.
        let mut text = String::new();
        for tag in ["one", "two", "three", "four", "five"] {
            let s = sentence(50, tag);
            let (head, tail) = s.split_at(s.len() / 2);
            let cut = head.rfind(' ').unwrap();
            text.push_str(&format!("{}\n{}{} ", &head[..cut], &head[cut + 1..], tail));
            text.push('\n');
        }
        let passages = segment(&lines(&text));
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
        let passages = segment(&lines(&text));
        assert_eq!(passages.len(), 2);
        assert!(passages[1].text.starts_with("A String of Attacks\n"));
        assert_eq!(passages[1].first_line, 3);
    }

    #[test]
    fn a_huge_unpunctuated_line_is_cut_between_words() {
        let text = vec!["word"; 1000].join(" ");
        let passages = segment(&lines(&text));
        assert!(passages.len() >= 1000 / MAX_WORDS);
        assert!(passages.iter().all(|p| word_count(&p.text) <= MAX_WORDS));
        assert_eq!(
            passages.iter().map(|p| word_count(&p.text)).sum::<usize>(),
            1000
        );
    }

    #[test]
    fn empty_input_has_no_passages() {
        assert!(segment(&lines("\n  \n\n")).is_empty());
    }
}
