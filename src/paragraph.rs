//! Paragraphs: the lines of an article body grouped the way a reader sees them.
//!
//! Blank lines always separate paragraphs. Inside a block of consecutive lines, either every
//! line is a paragraph of its own (a one-paragraph-per-line file) or the lines are hard-wrapped
//! text whose paragraphs start with an indented line. A line that plainly continues the
//! sentence before it (no sentence end, then a lowercase start) is joined to it, even across a
//! blank line.

use std::borrow::Cow;

/// Hard-wrapped text keeps its lines shorter than this many characters.
const WRAPPED_LINE_MAX_CHARS: usize = 100;

/// A line of article body with its 1-based number in the file.
#[derive(Clone, Debug)]
pub struct Line<'a> {
    pub number: u32,
    /// The last source line this line stands for: `number` itself, except for a block of an
    /// HTML page, which is one line here.
    pub last: u32,
    pub text: Cow<'a, str>,
}

impl<'a> Line<'a> {
    pub fn new(number: u32, text: impl Into<Cow<'a, str>>) -> Line<'a> {
        Line::spanning(number, number, text)
    }

    pub fn spanning(number: u32, last: u32, text: impl Into<Cow<'a, str>>) -> Line<'a> {
        Line {
            number,
            last: last.max(number),
            text: text.into(),
        }
    }

    /// The lines of a text, numbered from 1. Of blank lines in a row only the first is kept:
    /// they all say the same (a paragraph ends), and a file may hold millions. Counted before
    /// they are listed, so that the list is made once, at its size.
    pub fn numbered(text: &'a str) -> Vec<Line<'a>> {
        let lines = || {
            let mut after_blank = false;
            text.lines().zip(1..).filter_map(move |(text, number)| {
                let line = Line::new(number, text);
                let repeats_blank = line.is_blank() && after_blank;
                after_blank = line.is_blank();
                (!repeats_blank).then_some(line)
            })
        };
        let mut numbered = Vec::with_capacity(lines().count());
        numbered.extend(lines());
        numbered
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// One paragraph of text, with where each of its source lines starts. The text of a
/// paragraph of one line is that line's, not a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph<'a> {
    text: Cow<'a, str>,
    first_line: u32,
    /// `(byte offset in text, line number)` for each source line after the first, in order.
    /// Offsets are `u32`, like line numbers: a file of tiny lines has one of these per line.
    line_starts: Vec<(u32, u32)>,
    last_line: u32,
}

impl<'a> Paragraph<'a> {
    fn from_line(line: &Line<'a>) -> Paragraph<'a> {
        let text = match &line.text {
            Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
            Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
        };
        Paragraph {
            text,
            first_line: line.number,
            line_starts: Vec::new(),
            last_line: line.last,
        }
    }

    fn push(&mut self, line: &Line) {
        let text = self.text.to_mut();
        text.push(' ');
        self.line_starts.push((offset32(text.len()), line.number));
        text.push_str(line.text.trim());
        self.last_line = line.last;
    }

    /// Appends `lines`, room for them made once: a wrapped paragraph may have millions of lines,
    /// and growing by doubling would briefly hold its text and line list one and a half times.
    fn extend(&mut self, lines: &[Line]) {
        let bytes: usize = lines.iter().map(|line| line.text.trim().len() + 1).sum();
        self.text.to_mut().reserve_exact(bytes);
        self.line_starts.reserve_exact(lines.len());
        for line in lines {
            self.push(line);
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn first_line(&self) -> u32 {
        self.first_line
    }

    pub fn last_line(&self) -> u32 {
        self.last_line
    }

    /// Number of the source line holding byte `offset` of the text.
    pub fn line_at(&self, offset: usize) -> u32 {
        if offset >= self.text.len() {
            return self.last_line;
        }
        let offset = offset32(offset);
        let after = self
            .line_starts
            .partition_point(|&(start, _)| start <= offset);
        after
            .checked_sub(1)
            .map_or(self.first_line, |line| self.line_starts[line].1)
    }

    /// The source lines starting inside `range` of the text (not at its start): their offset
    /// from the start of `range`, and number.
    pub fn line_starts_within(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, u32)> + '_ {
        let (start, end) = (offset32(range.start), offset32(range.end));
        let first = self.line_starts.partition_point(|&(at, _)| at <= start);
        self.line_starts[first..]
            .iter()
            .take_while(move |&&(at, _)| at < end)
            .map(move |&(at, line)| ((at - start) as usize, line))
    }

    /// Inserts a space before each byte offset of `offsets` (ascending), keeping line positions
    /// right. All at once: a paragraph may need thousands, and each insertion on its own would
    /// move the rest of the text.
    pub fn insert_spaces(&mut self, offsets: &[usize]) {
        if offsets.is_empty() {
            return;
        }
        let mut text = String::with_capacity(self.text.len() + offsets.len());
        let mut from = 0;
        for &offset in offsets {
            text.push_str(&self.text[from..offset]);
            text.push(' ');
            from = offset;
        }
        text.push_str(&self.text[from..]);
        self.text = Cow::Owned(text);
        // A space at a line's start belongs to the line before, as the text reads.
        let mut before = 0;
        for (start, _) in &mut self.line_starts {
            while offsets
                .get(before)
                .is_some_and(|&offset| offset32(offset) < *start)
            {
                before += 1;
            }
            *start = start.saturating_add(offset32(before));
        }
    }
}

/// A text offset as stored: files past 4 GiB are not read as articles, and one that is (by
/// `quarry inspect`) only gets its later line numbers wrong.
fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// Groups body lines into paragraphs.
pub fn from_lines<'a>(lines: &[Line<'a>]) -> Vec<Paragraph<'a>> {
    from_lines_with(lines, |_| {})
}

/// Groups body lines into paragraphs; `finished` is shown them each time the last is complete
/// (nothing can join it any more), and may take it away.
pub fn from_lines_with<'a>(
    lines: &[Line<'a>],
    mut finished: impl FnMut(&mut Vec<Paragraph<'a>>),
) -> Vec<Paragraph<'a>> {
    let mut paragraphs: Vec<Paragraph<'a>> = Vec::new();
    let mut start = |paragraphs: &mut Vec<Paragraph<'a>>, line: &Line<'a>| {
        finished(paragraphs);
        paragraphs.push(Paragraph::from_line(line));
    };
    for block in lines.split(Line::is_blank) {
        let Some(first) = block.first() else { continue };
        let one_per_line = is_one_paragraph_per_line(block);
        let base_indent = block
            .iter()
            .map(|line| indent(&line.text))
            .min()
            .unwrap_or(0);
        match paragraphs.last_mut() {
            Some(last) if continues(&last.text, &first.text) => last.push(first),
            _ => start(&mut paragraphs, first),
        }
        let starts_paragraph = |at: usize| {
            let (previous, line) = (&block[at - 1], &block[at]);
            if one_per_line {
                !continues(&previous.text, &line.text)
            } else {
                indent(&line.text) > base_indent
            }
        };
        // Each run of lines that join the paragraph before them is added at once.
        let mut at = 1;
        while at < block.len() {
            let run_end = (at..block.len())
                .find(|&next| starts_paragraph(next))
                .unwrap_or(block.len());
            if let Some(last) = paragraphs.last_mut() {
                last.extend(&block[at..run_end]);
            }
            if run_end < block.len() {
                start(&mut paragraphs, &block[run_end]);
            }
            at = run_end + 1;
        }
    }
    finished(&mut paragraphs);
    paragraphs
}

/// A block is one paragraph per line when most of its lines end a sentence, or when its lines
/// are too long to be a hard-wrapped text.
fn is_one_paragraph_per_line(block: &[Line]) -> bool {
    let inner = &block[..block.len() - 1];
    let ended = inner
        .iter()
        .filter(|line| ends_sentence(&line.text))
        .count();
    // The median length is over the limit when the upper half of the lengths is, counted
    // rather than sorted: a block may have millions of lines.
    let long = inner
        .iter()
        .filter(|line| line.text.chars().count() > WRAPPED_LINE_MAX_CHARS)
        .count();
    let long_median = !inner.is_empty() && long >= inner.len() - inner.len() / 2;
    ended * 2 > inner.len() || long_median
}

/// True when `next` carries on the sentence that `text` leaves open.
pub fn continues(text: &str, next: &str) -> bool {
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

pub const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…', '。', '！', '？'];
pub const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '*', '_'];
pub const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '['];

/// True when the text ends with a sentence end, possibly followed by closing quotes.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSERS)
        .ends_with(SENTENCE_ENDS)
}

/// The number of whitespace-separated words, as `split_whitespace` counts them. Every line of
/// every article is counted several times, so ASCII text (most of it) is counted byte by byte.
pub fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for byte in text.bytes() {
        // `char::is_whitespace` on ASCII, which includes the vertical tab.
        let space = matches!(byte, b' ' | b'\t'..=b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        from_lines(&Line::numbered(text))
            .into_iter()
            .map(|p| p.text.into_owned())
            .collect()
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\u{0B}vertical\x0cfeed\r\n",
            "non\u{a0}breaking and\u{2003}em space",
            "naïve café",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_line_broken_inside_a_sentence_is_joined_back() {
        let text = "One whole sentence.\nAnother.\nThere is still an opening if they don't want\n\
                    direct conflict,” he said,\naccording to the intermediary.\nLast one.";
        assert_eq!(
            texts(text),
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
    fn wrapped_text_with_indented_paragraphs() {
        let text = "Showers continued throughout the week in\nthe Bahia cocoa zone.\n    \
                    The dry period means the temporao will be late.\n    Arrivals for the \
                    week ended\nFebruary 22 were 155,221 bags.";
        assert_eq!(
            texts(text),
            [
                "Showers continued throughout the week in the Bahia cocoa zone.",
                "The dry period means the temporao will be late.",
                "Arrivals for the week ended February 22 were 155,221 bags."
            ]
        );
    }

    #[test]
    fn a_sentence_broken_by_a_stray_blank_line_is_joined_back() {
        let paragraphs = from_lines(&Line::numbered(
            "He did not respond, to\n\nthe chagrin of all.",
        ));
        assert_eq!(paragraphs.len(), 1);
        assert_eq!(
            paragraphs[0].text(),
            "He did not respond, to the chagrin of all."
        );
        assert_eq!(
            (paragraphs[0].first_line(), paragraphs[0].last_line()),
            (1, 3)
        );
    }

    #[test]
    fn line_positions_follow_insertions() {
        let mut paragraph = from_lines(&Line::numbered("Soleimaniwith anairstrike\nandthe end."))
            .pop()
            .unwrap();
        let line_of = |p: &Paragraph, word: &str| p.line_at(p.text().find(word).unwrap());
        assert_eq!(line_of(&paragraph, "andthe"), 2);
        paragraph.insert_spaces(&[9, 16, 29]);
        assert_eq!(paragraph.text(), "Soleimani with an airstrike and the end.");
        assert_eq!(line_of(&paragraph, "airstrike"), 1);
        assert_eq!(line_of(&paragraph, "and"), 2);
        assert_eq!(line_of(&paragraph, "the end"), 2);
    }

    #[test]
    fn sentence_ends_allow_closing_quotes() {
        assert!(ends_sentence("he said “we are going to zero.”"));
        assert!(ends_sentence("*a blow to the regime.*"));
        assert!(!ends_sentence("if the other side doesn’t want"));
    }
}
