//! Finding the words of a passage that a query matched, for highlighting.
//!
//! Each word is analyzed as the index analyzed it, but only the words that start like one of
//! the query's terms are analyzed at all: a stem keeps the first letters of its word. A phrase
//! lights up only where its words stand in order, as the phrase query matched them.

use std::collections::{HashMap, HashSet};

use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use crate::analyzer::{self, WordTokenizer};

/// Letters of a term that a word must start with to be stemmed and compared.
const PREFIX_LEN: usize = 3;

/// What a query asks to be marked, in indexed (stemmed) terms.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Terms marked wherever they occur.
    pub words: HashSet<String>,
    /// Phrases: terms with their positions relative to one another (stop words leave gaps),
    /// marked only where they occur so.
    pub phrases: Vec<Vec<(usize, String)>>,
}

/// Marks the words of passages that match a query.
pub struct Highlighter {
    marks: Marks,
    prefixes: Vec<String>,
    /// The indexed form of each word analyzed so far (`None`: a stop word, or too long): a
    /// query's passages share many words.
    terms: HashMap<String, Option<String>>,
    words: WordTokenizer,
    english: TextAnalyzer,
}

impl Highlighter {
    pub fn new(marks: Marks) -> Highlighter {
        let every_term = marks
            .words
            .iter()
            .chain(marks.phrases.iter().flatten().map(|(_, term)| term));
        let mut prefixes: Vec<String> = every_term
            .map(|term| term.chars().take(PREFIX_LEN).collect())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        Highlighter {
            marks,
            prefixes,
            terms: HashMap::new(),
            words: WordTokenizer::default(),
            english: analyzer::english(),
        }
    }

    /// Byte ranges of what matched in `text`, ascending and apart: each word, and each phrase
    /// occurrence as one range from its first word to its last.
    pub fn ranges(&mut self, text: &str) -> Vec<[usize; 2]> {
        if self.prefixes.is_empty() {
            return Vec::new();
        }
        // The words that may be terms, with their position among all the words of the text.
        let mut words: Vec<Word> = Vec::new();
        let mut stream = self.words.token_stream(text);
        let mut position = 0;
        while let Some(word) = stream.next() {
            position += 1;
            // A word starting with a non-ASCII letter may fold to any prefix: always analyze it.
            let candidate = word.text.bytes().next().is_some_and(|b| !b.is_ascii())
                || self
                    .prefixes
                    .iter()
                    .any(|prefix| starts_like(&word.text, prefix));
            if !candidate {
                continue;
            }
            let term = match self.terms.get(&word.text) {
                Some(term) => term.clone(),
                None => {
                    let mut analyzed = self.english.token_stream(&word.text);
                    let term = analyzed.next().map(|token| token.text.clone());
                    self.terms.insert(word.text.clone(), term.clone());
                    term
                }
            };
            if let Some(term) = term {
                words.push(Word {
                    position,
                    range: [word.offset_from, word.offset_to],
                    term,
                });
            }
        }
        let mut ranges: Vec<[usize; 2]> = words
            .iter()
            .filter(|word| self.marks.words.contains(&word.term))
            .map(|word| word.range)
            .collect();
        for phrase in &self.marks.phrases {
            ranges.extend(occurrences(&words, phrase));
        }
        ranges.sort_unstable();
        let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range[0] <= last[1] => last[1] = last[1].max(range[1]),
                _ => merged.push(range),
            }
        }
        merged
    }
}

/// A word of a text that is one of the terms looked for.
struct Word {
    /// Its position among all the words of the text.
    position: usize,
    range: [usize; 2],
    term: String,
}

/// Where `phrase` occurs among `words` (in order of position): the range from its first
/// word to its last, for each occurrence.
fn occurrences<'a>(
    words: &'a [Word],
    phrase: &'a [(usize, String)],
) -> impl Iterator<Item = [usize; 2]> + 'a {
    let (first_at, first_term) = phrase.first().cloned().unwrap_or_default();
    let word_at = move |position: usize| {
        words
            .binary_search_by_key(&position, |word| word.position)
            .ok()
            .map(|at| &words[at])
    };
    words
        .iter()
        .filter(move |word| word.term == first_term)
        .filter_map(move |start| {
            let mut last = start;
            for (at, term) in phrase.get(1..).unwrap_or_default() {
                let word = word_at(start.position + at - first_at)?;
                if &word.term != term {
                    return None;
                }
                last = word;
            }
            Some([start.range[0], last.range[1]])
        })
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

    fn words(terms: &[&str]) -> Marks {
        Marks {
            words: terms.iter().map(|t| t.to_string()).collect(),
            phrases: Vec::new(),
        }
    }

    fn marked(terms: &[&str], text: &str) -> Vec<String> {
        let mut highlighter = Highlighter::new(words(terms));
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
        let mut highlighter = Highlighter::new(words(&["sanction"]));
        assert_eq!(highlighter.ranges("Sanctions bite"), [[0, 9]]);
        assert_eq!(highlighter.ranges("new Sanctions"), [[4, 13]]);
        assert!(highlighter.ranges("Sanctuary").is_empty());
    }

    #[test]
    fn short_terms_and_no_terms() {
        assert_eq!(marked(&["us"], "the US and us"), ["US", "us"]);
        assert!(marked(&[], "anything").is_empty());
    }

    #[test]
    fn a_phrase_lights_up_only_where_its_words_stand_in_order() {
        let marks = Marks {
            words: HashSet::new(),
            phrases: vec![vec![(0, "maximum".into()), (1, "pressur".into())]],
        };
        let mut highlighter = Highlighter::new(marks);
        let text = "Pressure rose to the maximum. Maximum pressure, then maximum  pressures.";
        let found: Vec<&str> = highlighter
            .ranges(text)
            .iter()
            .map(|[start, end]| &text[*start..*end])
            .collect();
        assert_eq!(found, ["Maximum pressure", "maximum  pressures"]);
    }

    #[test]
    fn a_phrase_with_a_stop_word_keeps_its_gap() {
        // "bank of england": `of` is a stop word, so england stands two after bank.
        let marks = Marks {
            words: HashSet::new(),
            phrases: vec![vec![(0, "bank".into()), (2, "england".into())]],
        };
        let mut highlighter = Highlighter::new(marks);
        let text = "The Bank of England, a bank that serves England.";
        assert_eq!(highlighter.ranges(text), [[4, 19]]);
    }
}
