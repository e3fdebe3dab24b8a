//! Repairs on an article's paragraphs: a paragraph printed twice (or a pull quote repeating a
//! sentence of the text) is kept once, and words glued together by a lost space are split.

use std::collections::{HashMap, HashSet};

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

/// Drops paragraphs that repeat another: exact repeats after the first, and shorter
/// paragraphs whose wording is (almost) all inside a longer one.
pub fn drop_repeats(paragraphs: &mut Vec<Paragraph>) {
    let words: Vec<Vec<String>> = paragraphs.iter().map(|p| words(p.text())).collect();
    let mut keep = vec![true; paragraphs.len()];
    let mut seen = HashSet::new();
    for (i, text) in words.iter().enumerate() {
        if !text.is_empty() && !seen.insert(text.join(" ")) {
            keep[i] = false;
        }
    }
    if paragraphs.len() <= REPEAT_MAX_PARAGRAPHS {
        let pairs: Vec<HashSet<(&str, &str)>> = words.iter().map(|w| word_pairs(w)).collect();
        for i in 0..paragraphs.len() {
            if !keep[i] || words[i].len() < REPEAT_MIN_WORDS {
                continue;
            }
            let repeated = (0..paragraphs.len()).any(|j| {
                j != i
                    && keep[j]
                    && words[j].len() > words[i].len()
                    && overlap(&pairs[i], &pairs[j]) >= REPEAT_OVERLAP
            });
            keep[i] = !repeated;
        }
    }
    let mut flags = keep.into_iter();
    paragraphs.retain(|_| flags.next().unwrap_or(true));
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn word_pairs(words: &[String]) -> HashSet<(&str, &str)> {
    words
        .windows(2)
        .map(|w| (w[0].as_str(), w[1].as_str()))
        .collect()
}

/// The share of `part`'s word pairs that `whole` also has.
fn overlap(part: &HashSet<(&str, &str)>, whole: &HashSet<(&str, &str)>) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    part.iter().filter(|pair| whole.contains(*pair)).count() as f64 / part.len() as f64
}

/// Splits words glued to a following function word (`Soleimaniwith` -> `Soleimani with`) when
/// the article uses the first part as a word of its own and never uses the glued form twice.
pub fn split_glued_words(paragraphs: &mut [Paragraph]) {
    let may_be_glued = |word: &str| {
        word.len() >= GLUED_MIN_PREFIX + 2
            && GLUED_SUFFIXES
                .iter()
                .any(|suffix| word.to_ascii_lowercase().ends_with(suffix))
    };
    // Counting the article's words is the costly part: most articles have no candidate.
    if !paragraphs
        .iter()
        .any(|p| word_spans(p.text()).any(|(_, word)| may_be_glued(word)))
    {
        return;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for paragraph in paragraphs.iter() {
        for word in words(paragraph.text()) {
            *counts.entry(word).or_default() += 1;
        }
    }
    for paragraph in paragraphs.iter_mut() {
        let mut splits = Vec::new();
        for (start, word) in word_spans(paragraph.text()) {
            let lower = word.to_lowercase();
            if counts.get(&lower).copied().unwrap_or(0) > 1 || !word.is_ascii() {
                continue;
            }
            let split = GLUED_SUFFIXES.iter().find_map(|suffix| {
                let prefix = lower.strip_suffix(suffix)?;
                (prefix.len() >= GLUED_MIN_PREFIX && counts.contains_key(prefix))
                    .then_some(start + prefix.len())
            });
            splits.extend(split);
        }
        // From the end, so that earlier offsets stay right.
        for offset in splits.into_iter().rev() {
            paragraph.insert(offset, " ");
        }
    }
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
