//! How text is cut into indexed terms, for passages, titles and queries alike.
//!
//! Words are runs of letters, digits and combining marks; everything else (spaces of every
//! kind, punctuation, curly or straight quotes and apostrophes, dashes) separates them. Each
//! word is put in Unicode NFC, lowercased, folded to ASCII where it has an ASCII form, dropped
//! if it is a stop word, and stemmed, so `Iran’s` matches `Iran's` and `Iran`, and `café` typed either way matches `cafe`.
//! Token offsets always point into the original text, which is what highlights use.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Name under which the English analyzer is registered with an index.
pub const ENGLISH: &str = "quarry_en";
/// Name of the analyzer for whole lowercased values (source and author filters).
pub const LOWERCASE_VALUE: &str = "quarry_lower";

/// Tokens longer than this (in bytes) are URLs, hashes or glued garbage, not words.
const LONGEST_TOKEN: usize = 40;

/// The analyzer for English prose. Stop words (`the`, `of`, `is`…) are left out: they say
/// nothing about what a passage is about, and with them natural-language questions rank worse
/// (measured in BENCHMARKS.md).
pub fn english() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter_dynamic(english_stop_words())
        .filter_dynamic(Stemmer::new(Language::English));
    builder.build()
}

/// Tantivy's English stop word list, or none if it were missing from the build.
fn english_stop_words() -> StopWordFilter {
    StopWordFilter::new(Language::English).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
}

/// The analyzer that keeps a whole value as one lowercased term.
pub fn lowercase_value() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Splits text into words: runs of alphanumerics and combining marks, in NFC.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordStream<'a> {
    text: &'a str,
    /// Where the search for the next word starts.
    next: usize,
    token: &'a mut Token,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c))
}

/// The character at byte `pos` of `text`, a character boundary; ASCII without decoding, as
/// most text is.
fn char_at(text: &str, pos: usize) -> Option<char> {
    match text.as_bytes().get(pos) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[pos..].chars().next(),
        None => None,
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            next: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        // A word starts with a letter or digit, never with a stray combining mark.
        let mut start = self.next;
        loop {
            let Some(c) = char_at(self.text, start) else {
                self.next = start;
                return false;
            };
            if c.is_alphanumeric() {
                break;
            }
            start += c.len_utf8();
        }
        let mut end = start;
        while let Some(c) = char_at(self.text, end).filter(|&c| is_word_char(c)) {
            end += c.len_utf8();
        }
        self.next = end;
        let word = &self.text[start..end];
        self.token.offset_from = start;
        self.token.offset_to = end;
        if word.is_ascii() || is_nfc_quick(word.chars()) == IsNormalized::Yes {
            self.token.text.push_str(word);
        } else {
            self.token.text.extend(word.nfc());
        }
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = english();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn lowercases_and_stems() {
        assert_eq!(terms("Sanctions Pressuring"), ["sanction", "pressur"]);
    }

    #[test]
    fn apostrophes_of_every_kind_match() {
        assert_eq!(terms("Iran’s"), terms("Iran's"));
        assert_eq!(terms("Iran’s")[0], terms("Iran")[0]);
    }

    #[test]
    fn odd_spaces_and_dashes_separate_words() {
        assert_eq!(
            terms("three\u{a0}months—today\u{2009}and\u{202f}then–now"),
            ["three", "month", "today", "now"]
        );
    }

    #[test]
    fn composed_decomposed_and_unaccented_forms_match() {
        let composed = terms("caf\u{e9}");
        assert_eq!(terms("cafe\u{301}"), composed);
        assert_eq!(terms("cafe"), composed);
        assert_eq!(terms("Zürich"), terms("zurich"));
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "“cafe\u{301}” won";
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        assert!(stream.advance());
        let token = stream.token();
        assert_eq!(&text[token.offset_from..token.offset_to], "cafe\u{301}");
        assert_eq!(token.text, "caf\u{e9}");
    }

    #[test]
    fn words_are_cut_where_letters_and_marks_end() {
        let text = "\u{301}Ärger, x2—naïve\u{a0}end";
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let token = stream.token();
            words.push(&text[token.offset_from..token.offset_to]);
        }
        assert_eq!(words, ["Ärger", "x2", "naïve", "end"]);
    }

    #[test]
    fn stop_words_are_left_out() {
        assert_eq!(
            terms("The role of the protein is in it."),
            ["role", "protein"]
        );
    }

    #[test]
    fn drops_overlong_tokens() {
        let junk = "x".repeat(LONGEST_TOKEN + 1);
        assert_eq!(terms(&format!("oil {junk} tanker")), ["oil", "tanker"]);
    }

    #[test]
    fn whole_values_stay_whole() {
        let mut analyzer = lowercase_value();
        let mut stream = analyzer.token_stream("The New York Times");
        assert_eq!(
            stream.next().map(|t| t.text.clone()).as_deref(),
            Some("the new york times")
        );
        assert!(stream.next().is_none());
    }
}
