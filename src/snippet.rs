//! Snippets: the few words of a passage that show why it matched, about one line long.
//!
//! The snippet is the sentence holding the most of the query's different words (then the
//! most matches, then the earliest); a sentence longer than the room is cut to a window
//! around its matches, between words.

use std::ops::Range;

use textwrap::core::display_width;

use crate::passage::{LineMap, sentences};

/// An excerpt of a passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Byte range of the excerpt in the passage.
    pub range: Range<usize>,
    /// The passage's highlights inside the excerpt, relative to its start.
    pub highlights: Vec<[usize; 2]>,
    /// Whether the excerpt starts or ends inside a sentence (where a reader expects `…`).
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Snippet {
    /// The best excerpt of `passage` at most `columns` wide, `highlights` being the byte
    /// ranges of its matches (ascending).
    pub fn of(passage: &str, highlights: &[[usize; 2]], columns: usize) -> Snippet {
        let columns = columns.max(1);
        let highlights: Vec<[usize; 2]> = highlights
            .iter()
            .copied()
            .filter(|&[start, end]| {
                start < end
                    && end <= passage.len()
                    && passage.is_char_boundary(start)
                    && passage.is_char_boundary(end)
            })
            .collect();
        let highlights = highlights.as_slice();
        let mut sentence = best_sentence(passage, highlights);
        // A match that starts in the sentence and runs past it (a phrase across a full stop)
        // takes the sentence with it.
        for &[start, end] in highlights {
            if sentence.contains(&start) {
                sentence.end = sentence.end.max(end);
            }
        }
        let inside: Vec<[usize; 2]> = highlights
            .iter()
            .copied()
            .filter(|[start, end]| *start >= sentence.start && *end <= sentence.end)
            .collect();
        let range = if display_width(&passage[sentence.clone()]) <= columns {
            sentence.clone()
        } else {
            window(passage, sentence.clone(), &inside, columns)
        };
        Snippet {
            highlights: inside
                .iter()
                .filter(|[start, end]| *start >= range.start && *end <= range.end)
                .map(|[start, end]| [start - range.start, end - range.start])
                .collect(),
            cut_before: range.start > sentence.start,
            cut_after: range.end < sentence.end,
            range,
        }
    }

    /// The file line of the excerpt's first match (of its start when it has none).
    pub fn line(&self, first_line: u32, lines: &LineMap) -> u32 {
        lines.line_at(first_line, self.first_match())
    }

    /// The first and last file line of the excerpt.
    pub fn lines(&self, first_line: u32, lines: &LineMap) -> [u32; 2] {
        let last = self.range.end.max(self.range.start + 1) - 1;
        [
            lines.line_at(first_line, self.range.start),
            lines.line_at(first_line, last),
        ]
    }

    /// Byte offset in the passage of the first match, or of the excerpt's start.
    pub fn first_match(&self) -> usize {
        self.range.start + self.highlights.first().map_or(0, |[start, _]| *start)
    }
}

/// The range of the sentence with the most different matched words, then the most matches,
/// then the earliest; the passage's first sentence when nothing matched.
fn best_sentence(passage: &str, highlights: &[[usize; 2]]) -> Range<usize> {
    let mut best: Option<((usize, usize), Range<usize>)> = None;
    let mut next_highlight = 0;
    for sentence in passage_sentences(passage) {
        let mut words: Vec<String> = Vec::new();
        let mut matches = 0;
        while let Some(&[start, end]) = highlights.get(next_highlight) {
            if start >= sentence.end {
                break;
            }
            next_highlight += 1;
            if start < sentence.start {
                continue;
            }
            matches += 1;
            let word = passage[start..end].to_lowercase();
            if !words.contains(&word) {
                words.push(word);
            }
        }
        let score = (words.len(), matches);
        if best.as_ref().is_none_or(|(top, _)| score > *top) {
            best = Some((score, sentence));
        }
    }
    best.map_or(0..passage.len(), |(_, sentence)| sentence)
}

/// The sentences of a passage, trimmed, in order: its paragraphs are separated by `\n`.
fn passage_sentences(passage: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    passage.split('\n').flat_map(move |paragraph| {
        let offset = start;
        start += paragraph.len() + 1;
        sentences(paragraph).into_iter().filter_map(move |range| {
            let text = &paragraph[range.clone()];
            let lead = text.len() - text.trim_start().len();
            let trimmed = text.trim();
            (!trimmed.is_empty()).then(|| {
                let from = offset + range.start + lead;
                from..from + trimmed.len()
            })
        })
    })
}

/// A window of `sentence` at most `columns` wide (less the room of two `…`), cut between
/// words, placed to hold as many matches as it can with some words before the first.
fn window(
    passage: &str,
    sentence: Range<usize>,
    highlights: &[[usize; 2]],
    columns: usize,
) -> Range<usize> {
    let room = columns.saturating_sub(2).max(1);
    // The match that starts the densest run fitting in three quarters of the room: the
    // column of every match's start and end, from one pass over the sentence, then two
    // pointers over the matches.
    let reach = room * 3 / 4;
    let columns_at = columns_of(passage, sentence.start, highlights);
    let mut anchor = highlights
        .first()
        .map_or((sentence.start, sentence.start), |[start, end]| {
            (*start, *end)
        });
    let mut most = 0;
    let mut last = 0;
    for (i, [start, end]) in highlights.iter().enumerate() {
        last = last.max(i);
        while last + 1 < highlights.len() && columns_at[last + 1].1 - columns_at[i].0 <= reach {
            last += 1;
        }
        let within = last + 1 - i;
        if within > most {
            most = within;
            anchor = (*start, *end);
        }
    }
    let (anchor, anchor_end) = anchor;
    // Some words of context before the anchor: a quarter of the room, from a word's start.
    let mut from = anchor;
    if anchor > sentence.start {
        let mut width = 0;
        for (at, c) in passage[sentence.start..anchor].char_indices().rev() {
            width += char_width(c);
            if width > room / 4 {
                break;
            }
            from = sentence.start + at;
        }
        let starts_word = from == sentence.start || passage[..from].ends_with(char::is_whitespace);
        if !starts_word {
            from = passage[from..anchor]
                .find(char::is_whitespace)
                .map_or(anchor, |space| from + space + 1);
        }
    }
    // As far as the room goes, ending after a word.
    let mut to = from;
    let mut width = 0;
    for (at, c) in passage[from..sentence.end].char_indices() {
        width += char_width(c);
        if width > room {
            break;
        }
        to = from + at + c.len_utf8();
    }
    // Cut after a word, unless that would lose the anchor's match (a long token after it
    // is cut inside instead).
    if to < sentence.end
        && !passage[to..].starts_with(char::is_whitespace)
        && let Some(space) = passage[from..to]
            .rfind(char::is_whitespace)
            .filter(|&space| space > 0 && from + space >= anchor_end)
    {
        to = from + space;
    }
    let text = &passage[from..to];
    from + (text.len() - text.trim_start().len())..from + text.trim_end().len()
}

/// Columns a character takes on a terminal, as shown: a tab as a space, a control by its
/// escape (`\u{1b}`).
fn char_width(c: char) -> usize {
    if c == '\t' {
        1
    } else if crate::output::is_unsafe(c) {
        crate::output::escape(c.encode_utf8(&mut [0; 4])).len()
    } else {
        display_width(c.encode_utf8(&mut [0; 4]))
    }
}

/// The column (from `from`) of the start and end of each of `highlights` (ascending, from
/// `from` on), measured in one pass.
fn columns_of(passage: &str, from: usize, highlights: &[[usize; 2]]) -> Vec<(usize, usize)> {
    let mut marks: Vec<usize> = highlights
        .iter()
        .flat_map(|[start, end]| [*start, *end])
        .collect();
    marks.sort_unstable();
    let mut at_mark = Vec::with_capacity(marks.len());
    let mut width = 0;
    let mut next = marks.iter().peekable();
    for (at, c) in passage[from..].char_indices() {
        while next.next_if(|&&mark| mark <= from + at).is_some() {
            at_mark.push(width);
        }
        if next.peek().is_none() {
            break;
        }
        width += char_width(c);
    }
    at_mark.resize(marks.len(), width);
    let column = |offset: usize| at_mark[marks.partition_point(|&mark| mark < offset)];
    highlights
        .iter()
        .map(|[start, end]| (column(*start), column(*end)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str, words: &[&str]) -> Vec<[usize; 2]> {
        let mut ranges = Vec::new();
        for word in words {
            let mut from = 0;
            while let Some(at) = text[from..].find(word) {
                ranges.push([from + at, from + at + word.len()]);
                from += at + word.len();
            }
        }
        ranges.sort_unstable();
        ranges
    }

    fn shown(text: &str, words: &[&str], columns: usize) -> (String, Vec<String>) {
        let snippet = Snippet::of(text, &marks(text, words), columns);
        let excerpt = &text[snippet.range.clone()];
        let found = snippet
            .highlights
            .iter()
            .map(|[start, end]| excerpt[*start..*end].to_string())
            .collect();
        (excerpt.to_string(), found)
    }

    #[test]
    fn the_sentence_with_most_different_words_wins() {
        let text = "Oil rose. Oil and oil again.\nThe oil price fell sharply. Nothing here.";
        let (excerpt, found) = shown(text, &["oil", "price"], 80);
        assert_eq!(excerpt, "The oil price fell sharply.");
        assert_eq!(found, ["oil", "price"]);
    }

    #[test]
    fn a_long_sentence_is_cut_around_its_matches_between_words() {
        let text = "Many words come first in this sentence before we finally reach the \
                    maximum pressure campaign that everyone talks about at length today.";
        let (excerpt, found) = shown(text, &["maximum", "pressure"], 40);
        assert!(display_width(&excerpt) <= 38, "{excerpt:?}");
        assert_eq!(found, ["maximum", "pressure"]);
        assert!(text.contains(&excerpt));
        let snippet = Snippet::of(text, &marks(text, &["maximum", "pressure"]), 40);
        assert!(snippet.cut_before && snippet.cut_after);
        // Whole words at both ends.
        let before = &text[..snippet.range.start];
        assert!(before.ends_with(' '), "{before:?}");
        assert!(text[snippet.range.end..].starts_with(' '));
    }

    #[test]
    fn a_long_token_after_the_match_is_cut_inside_not_before_the_match() {
        let slug = "a".repeat(200);
        let text = format!("The report at example.org/capybara/{slug} says much.");
        let (excerpt, found) = shown(&text, &["capybara"], 80);
        assert_eq!(found, ["capybara"], "{excerpt}");
        assert!(display_width(&excerpt) <= 78);
    }

    #[test]
    fn a_phrase_across_a_full_stop_stays_in_the_snippet() {
        let text = "First sentence here. They paid for oil. Navy ships came. Last one.";
        let (excerpt, found) = shown(text, &["oil. Navy"], 200);
        assert_eq!(found, ["oil. Navy"], "{excerpt}");
    }

    #[test]
    fn many_matches_in_a_wide_window_take_linear_time() {
        let text = format!("start {} end.", "marmot,".repeat(150_000));
        let started = std::time::Instant::now();
        let snippet = Snippet::of(&text, &marks(&text, &["marmot"]), 10_000);
        assert!(snippet.highlights.len() > 1000);
        // Quadratic work took minutes here; linear takes milliseconds (debug build: seconds).
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn no_match_gives_the_first_sentence() {
        let (excerpt, found) = shown("First one. Second one.", &[], 80);
        assert_eq!(excerpt, "First one.");
        assert!(found.is_empty());
    }

    #[test]
    fn lines_of_a_snippet_come_from_the_passage_map() {
        let text = "Intro sentence.\nSecond paragraph has oil.";
        let lines = LineMap::decode(&[16, 13]);
        let snippet = Snippet::of(text, &marks(text, &["oil"]), 80);
        assert_eq!(snippet.line(10, &lines), 13);
        assert_eq!(snippet.lines(10, &lines), [13, 13]);
    }

    #[test]
    fn wide_characters_count_twice() {
        let text =
            "東京で石油の価格が上がった 東京で石油の価格が上がった 東京で石油の価格が上がった";
        let (excerpt, _) = shown(text, &["石油"], 20);
        assert!(display_width(&excerpt) <= 18, "{excerpt:?}");
    }

    #[test]
    fn untidy_highlights_do_not_panic() {
        let text = "née oil here. More.";
        for bad in [vec![[6, 5]], vec![[1, 99]], vec![[30, 40]]] {
            let snippet = Snippet::of(text, &bad, 10);
            assert!(snippet.range.end <= text.len());
        }
    }
}
