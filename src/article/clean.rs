//! Repairs on an article's paragraphs: a paragraph printed twice (or a pull quote repeating a
//! sentence of the text) is kept once, and words glued together by a lost space are split.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use foldhash::fast::FixedState;

use super::push_lowercase;
use crate::paragraph::Paragraph;

/// A paragraph whose word pairs appear at least this much in a longer one repeats it.
const REPEAT_OVERLAP: f64 = 0.7;
/// Near-repeats are looked for among paragraphs with at least this many words...
const REPEAT_MIN_WORDS: usize = 6;
/// ...in articles of at most this many paragraphs (the comparison is quadratic).
const REPEAT_MAX_PARAGRAPHS: usize = 2000;

/// Function words that a lost space glues onto the end of the word before them.
const GLUED_SUFFIXES: &[&str] = &["with", "the", "and", "to", "for", "from", "that", "of"];
/// The word left after taking a suffix off must be at least this long.
const GLUED_MIN_PREFIX: usize = 6;

/// Words are compared by a 64-bit hash of their lowercase form rather than as strings: this
/// runs on every paragraph of every article, and hashing spares an allocation per word. A
/// collision among the few thousand words of an article is vanishingly unlikely.
const WORD_HASHER: FixedState = FixedState::with_seed(0x7175_6172_7279);

/// Drops paragraphs that repeat another: exact repeats after the first, and shorter
/// paragraphs whose wording is (almost) all inside a longer one.
pub fn drop_repeats(paragraphs: &mut Vec<Paragraph>) {
    let mut lowercase = String::new();
    let words: Vec<Vec<u64>> = paragraphs
        .iter()
        .map(|p| word_hashes(p.text(), &mut lowercase).collect())
        .collect();
    let mut keep = vec![true; paragraphs.len()];
    let mut seen = HashSet::with_hasher(WORD_HASHER);
    for (i, text) in words.iter().enumerate() {
        if !text.is_empty() && !seen.insert(text.as_slice()) {
            keep[i] = false;
        }
    }
    if paragraphs.len() <= REPEAT_MAX_PARAGRAPHS {
        let pairs: Vec<Vec<u64>> = words.iter().map(|w| word_pairs(w)).collect();
        for i in 0..paragraphs.len() {
            if !keep[i] || words[i].len() < REPEAT_MIN_WORDS {
                continue;
            }
            let repeated = (0..paragraphs.len()).any(|j| {
                j != i
                    && keep[j]
                    && words[j].len() > words[i].len()
                    && mostly_inside(&pairs[i], &pairs[j])
            });
            keep[i] = !repeated;
        }
    }
    let mut flags = keep.into_iter();
    paragraphs.retain(|_| flags.next().unwrap_or(true));
}

/// The hashes of a text's lowercase alphanumeric words, in order; `lowercase` is scratch space.
fn word_hashes<'a>(text: &'a str, lowercase: &'a mut String) -> impl Iterator<Item = u64> + 'a {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(move |word| word_hash(word, lowercase))
}

fn word_hash(word: &str, lowercase: &mut String) -> u64 {
    lowercase.clear();
    push_lowercase(lowercase, word);
    WORD_HASHER.hash_one(lowercase.as_str())
}

/// The distinct pairs of neighbouring words, sorted, each as one hash.
fn word_pairs(words: &[u64]) -> Vec<u64> {
    let mut pairs: Vec<u64> = words
        .windows(2)
        .map(|pair| WORD_HASHER.hash_one((pair[0], pair[1])))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Whether at least [`REPEAT_OVERLAP`] of `part`'s word pairs are in `whole`; both are sorted
/// and distinct. Gives up as soon as too many are missing: most paragraphs share little.
fn mostly_inside(part: &[u64], whole: &[u64]) -> bool {
    if part.is_empty() {
        return false;
    }
    let needed = (REPEAT_OVERLAP * part.len() as f64).ceil() as usize;
    let allowed_missing = part.len() - needed;
    let (mut missing, mut rest) = (0, whole);
    for pair in part {
        let at = rest.partition_point(|other| other < pair);
        rest = &rest[at..];
        if rest.first() != Some(pair) {
            missing += 1;
            if missing > allowed_missing {
                return false;
            }
        }
    }
    true
}

/// Splits words glued to a following function word (`Soleimaniwith` -> `Soleimani with`) when
/// the article uses the first part as a word of its own and never uses the glued form twice.
pub fn split_glued_words(paragraphs: &mut [Paragraph]) {
    // Counting the article's words is the costly part: most articles have no candidate.
    if !paragraphs
        .iter()
        .any(|p| word_spans(p.text()).any(|(_, word)| glued_suffixes(word).next().is_some()))
    {
        return;
    }
    let mut lowercase = String::new();
    let mut counts: HashMap<u64, usize, FixedState> = HashMap::with_hasher(WORD_HASHER);
    for paragraph in paragraphs.iter() {
        for word in word_hashes(paragraph.text(), &mut lowercase) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let count = |word: &str, lowercase: &mut String| {
        counts
            .get(&word_hash(word, lowercase))
            .copied()
            .unwrap_or(0)
    };
    for paragraph in paragraphs.iter_mut() {
        let mut splits = Vec::new();
        for (start, word) in word_spans(paragraph.text()) {
            if !word.is_ascii() || count(word, &mut lowercase) > 1 {
                continue;
            }
            let split = glued_suffixes(word).find_map(|suffix| {
                let prefix = &word[..word.len() - suffix.len()];
                (count(prefix, &mut lowercase) > 0).then_some(start + prefix.len())
            });
            splits.extend(split);
        }
        // From the end, so that earlier offsets stay right.
        for offset in splits.into_iter().rev() {
            paragraph.insert(offset, " ");
        }
    }
}

/// The function words that `word` may end with after a lost space.
fn glued_suffixes(word: &str) -> impl Iterator<Item = &&'static str> {
    let bytes = word.as_bytes();
    // Most words are too short to hold a prefix and a suffix: they are spared the comparisons.
    let suffixes = if bytes.len() >= GLUED_MIN_PREFIX + 2 {
        GLUED_SUFFIXES
    } else {
        &[]
    };
    suffixes.iter().filter(move |suffix| {
        bytes.len() >= GLUED_MIN_PREFIX + suffix.len()
            && bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    })
}

/// Alphabetic words of a text with their byte offsets.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraph::{self, Line};

    fn paragraphs(text: &str) -> Vec<Paragraph> {
        paragraph::from_lines(&Line::numbered(text))
    }

    fn texts(paragraphs: &[Paragraph]) -> Vec<&str> {
        paragraphs.iter().map(Paragraph::text).collect()
    }

    #[test]
    fn an_exact_repeat_is_dropped() {
        let mut ps = paragraphs("One paragraph here.\n\nAnother one.\n\nOne  paragraph here.");
        drop_repeats(&mut ps);
        assert_eq!(texts(&ps), ["One paragraph here.", "Another one."]);
    }

    #[test]
    fn a_pull_quote_and_a_near_repeat_are_dropped() {
        let mut ps = paragraphs(
            "Tensions between the two sides have ratcheted up—and the Trump administration has \
             found itself largely alone.\n\nTensions between the two sides ratcheted up—and the \
             Trump administration found itself largely alone. The previous administration had \
             assembled a broad coalition.\n\nThe only remaining diplomatic option is to work \
             through an intermediary.\n\nNow, Iran refuses to talk. The only remaining \
             diplomatic option is thus to work through an intermediary. Others have tried.",
        );
        drop_repeats(&mut ps);
        assert_eq!(ps.len(), 2, "{:?}", texts(&ps));
        assert!(ps[0].text().ends_with("broad coalition."));
        assert!(ps[1].text().starts_with("Now, Iran"));
    }

    #[test]
    fn different_paragraphs_on_one_subject_stay() {
        let mut ps = paragraphs(
            "Iran attacked oil tankers in the Gulf in May.\n\nIn June, Iran downed an expensive \
             American drone over the Gulf.",
        );
        drop_repeats(&mut ps);
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn glued_words_are_split_when_the_article_knows_the_word() {
        let mut ps = paragraphs(
            "They targeted Qasem Soleimaniwith an airstrike.\n\nThe slaying of Soleimani \
             followed. A broad coalitionto pressure Iran. That coalition is now in tatters.",
        );
        split_glued_words(&mut ps);
        assert_eq!(
            ps[0].text(),
            "They targeted Qasem Soleimani with an airstrike."
        );
        assert!(ps[1].text().contains("A broad coalition to pressure"));
    }

    #[test]
    fn real_words_are_not_split() {
        let text = "Within the homeland, the husband said thereto. Washington and Toronto. \
                    Within hours, within days. Breathe.";
        let mut ps = paragraphs(text);
        split_glued_words(&mut ps);
        assert_eq!(ps[0].text(), text);
    }
}
