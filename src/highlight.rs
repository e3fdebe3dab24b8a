//! Finding the words of a passage that a query matched, for highlighting.
//!
//! Each word is analyzed as the index analyzed it, but only the words that start like one of
//! the query's terms are analyzed at all: a stem keeps the first letters of its word.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use crate::analyzer::{self, WordTokenizer};

/// Letters of a term that a word must start with to be stemmed and compared.
const PREFIX_LEN: usize = 3;

/// Marks the words of passages that match a set of indexed terms.
pub struct Highlighter {
    terms: HashSet<String>,
    prefixes: Vec<String>,
    /// Whether each word analyzed so far matched: a query's passages share many words.
    verdicts: HashMap<String, bool>,
    words: WordTokenizer,
    english: TextAnalyzer,
}

impl Highlighter {
    /// A highlighter for these indexed (stemmed) terms.
    pub fn new(terms: HashSet<String>) -> Highlighter {
        let mut prefixes: Vec<String> = terms
            .iter()
            .map(|term| term.chars().take(PREFIX_LEN).collect())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        Highlighter {
            terms,
            prefixes,
            verdicts: HashMap::new(),
            words: WordTokenizer::default(),
            english: analyzer::english(),
        }
    }

    /// Byte ranges of the words of `text` whose indexed form is one of the terms.
    pub fn ranges(&mut self, text: &str) -> Vec<[usize; 2]> {
        let mut ranges = Vec::new();
        if self.terms.is_empty() {
            return ranges;
        }
        let mut words = self.words.token_stream(text);
        while let Some(word) = words.next() {
            // A word starting with a non-ASCII letter may fold to any prefix: always analyze it.
            let candidate = word.text.bytes().next().is_some_and(|b| !b.is_ascii())
                || self
                    .prefixes
                    .iter()
                    .any(|prefix| starts_like(&word.text, prefix));
            if !candidate {
                continue;
            }
            let matches = match self.verdicts.get(&word.text) {
                Some(&matches) => matches,
                None => {
                    let mut term = self.english.token_stream(&word.text);
                    let matches = term
                        .next()
                        .is_some_and(|term| self.terms.contains(&term.text));
                    self.verdicts.insert(word.text.clone(), matches);
                    matches
                }
            };
            if matches {
                ranges.push([word.offset_from, word.offset_to]);
            }
        }
        ranges
    }
}

/// True when `word` starts with `prefix` ignoring ASCII case, or may after folding (a
/// non-ASCII letter within the prefix's length).
fn starts_like(word: &str, prefix: &str) -> bool {
    word.bytes()
        .zip(prefix.bytes())
        .all(|(w, p)| !w.is_ascii() || w.eq_ignore_ascii_case(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(terms: &[&str], text: &str) -> Vec<String> {
        let mut highlighter = Highlighter::new(terms.iter().map(|t| t.to_string()).collect());
        highlighter
            .ranges(text)
            .iter()
            .map(|[start, end]| text[*start..*end].to_string())
            .collect()
    }

    #[test]
    fn inflected_forms_are_marked() {
        assert_eq!(
            marked(&["sanction"], "Sanctions, then more sanction talk."),
            ["Sanctions", "sanction"]
        );
    }

    #[test]
    fn accents_and_apostrophes_are_matched() {
        assert_eq!(
            marked(&["iran"], "Iran’s and Iran's and Irani"),
            ["Iran", "Iran"]
        );
        assert_eq!(marked(&["cafe"], "the CAFÉ"), ["CAFÉ"]);
    }

    #[test]
    fn words_that_fold_to_a_prefix_are_found() {
        assert_eq!(
            marked(&["zurich"], "in Zürich and ZURICH"),
            ["Zürich", "ZURICH"]
        );
        assert_eq!(marked(&["eclair"], "Éclairs"), ["Éclairs"]);
    }

    #[test]
    fn one_highlighter_marks_every_passage_it_is_given() {
        let mut highlighter = Highlighter::new(["sanction".to_string()].into());
        assert_eq!(highlighter.ranges("Sanctions bite"), [[0, 9]]);
        assert_eq!(highlighter.ranges("new Sanctions"), [[4, 13]]);
        assert!(highlighter.ranges("Sanctuary").is_empty());
    }

    #[test]
    fn short_terms_and_no_terms() {
        assert_eq!(marked(&["us"], "the US and us"), ["US", "us"]);
        assert!(marked(&[], "anything").is_empty());
    }
}
