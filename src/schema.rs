//! The tantivy schema: one document per passage, and the English analyzer used for its text.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Name under which the English analyzer is registered with an index.
pub const ENGLISH: &str = "quarry_en";

/// Tokens longer than this (in bytes) are URLs, hashes or glued garbage, not words.
const LONGEST_TOKEN: usize = 40;

/// Handles to every field of the schema, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The passage text: indexed with positions (phrases) and stored.
    pub text: Field,
    /// The article title, repeated on each passage so title words lift its passages.
    pub title: Field,
    /// Article id: the path relative to the indexed root, without extension.
    pub article: Field,
    /// Absolute path of the file; indexed so that an article can be replaced.
    pub path: Field,
    /// Absolute path of the root the file was found under; indexed so that a root can be replaced.
    pub root: Field,
    pub source: Field,
    pub author: Field,
    /// Publication day, when known.
    pub date: Field,
    pub first_line: Field,
    pub last_line: Field,
    /// Position of the passage within its article, from 0.
    pub passage: Field,
}

impl Fields {
    /// Reads the field handles out of a schema built by [`build`].
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            text: schema.get_field("text")?,
            title: schema.get_field("title")?,
            article: schema.get_field("article")?,
            path: schema.get_field("path")?,
            root: schema.get_field("root")?,
            source: schema.get_field("source")?,
            author: schema.get_field("author")?,
            date: schema.get_field("date")?,
            first_line: schema.get_field("first_line")?,
            last_line: schema.get_field("last_line")?,
            passage: schema.get_field("passage")?,
        })
    }
}

/// The schema every quarry index is created with.
pub fn build() -> Schema {
    let english = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENGLISH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut schema = Schema::builder();
    schema.add_text_field("text", english.clone());
    schema.add_text_field("title", english.clone());
    schema.add_text_field("article", STRING | STORED);
    schema.add_text_field("path", STRING | STORED);
    schema.add_text_field("root", STRING | STORED);
    schema.add_text_field("source", english.clone());
    schema.add_text_field("author", english);
    schema.add_date_field(
        "date",
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    schema.add_u64_field("first_line", STORED);
    schema.add_u64_field("last_line", STORED);
    schema.add_u64_field("passage", STORED);
    schema.build()
}

/// The analyzer for English prose: words split on non-alphanumerics, lowercased and stemmed.
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = english_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn english_analyzer_lowercases_and_stems() {
        assert_eq!(tokens("Sanctions Pressuring"), ["sanction", "pressur"]);
    }

    #[test]
    fn english_analyzer_drops_overlong_tokens() {
        let junk = "x".repeat(LONGEST_TOKEN + 1);
        assert_eq!(tokens(&format!("oil {junk} tanker")), ["oil", "tanker"]);
    }

    #[test]
    fn every_field_resolves() {
        assert!(Fields::from_schema(&build()).is_ok());
    }
}
