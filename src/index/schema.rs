//! The tantivy schema: one document per passage, and the English analyzer used for its text.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};

use tantivy::schema::Value;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::time::Date;
use tantivy::{IndexSettings, TantivyDocument};

use crate::analyzer::{ENGLISH, LOWERCASE_VALUE};

/// The name of every field, written once: fast fields are read by name, and the others are
/// resolved into [`Fields`] from these.
pub const TEXT: &str = "text";
pub const BODY: &str = "body";
pub const TITLE: &str = "title";
pub const PART: &str = "part";
pub const SOURCE: &str = "source";
pub const AUTHOR: &str = "author";
pub const SOURCE_VALUE: &str = "source_value";
pub const AUTHOR_VALUE: &str = "author_value";
pub const DATE_ORIGIN: &str = "date_origin";
pub const FIRST_LINE: &str = "first_line";
pub const LAST_LINE: &str = "last_line";
pub const LINE_STARTS: &str = "line_starts";
pub const PAGES: &str = "pages";
pub const PASSAGE: &str = "passage";
pub const ARTICLE: &str = "article";
pub const ARTICLE_KEY: &str = "article_key";
pub const PATH: &str = "path";
pub const ROOT: &str = "root";
pub const ROOT_DEVICE: &str = "root_device";
pub const FILE_SIZE: &str = "file_size";
pub const FILE_MODIFIED: &str = "file_modified";
pub const FILE_HASH: &str = "file_hash";
pub const SIDECAR_HASH: &str = "sidecar_hash";
pub const SIGNATURE: &str = "signature";
pub const DATE: &str = "date";

/// Handles to every field of the schema, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The passage text, as stored and shown.
    pub text: Field,
    /// What a passage is searched by: its article's title, then its text; indexed with
    /// positions (phrases), not stored. The title counts on every passage: a passage of an
    /// article about the query ranks higher.
    pub body: Field,
    /// The article title, repeated on each passage so title words lift its passages.
    pub title: Field,
    /// Article id: unique in the index, see [`crate::ids`].
    pub article: Field,
    /// Which article of its file a passage is of, when the file holds several (a mailbox's
    /// message `3`, an attachment `3/report.pdf`); absent otherwise.
    pub part: Field,
    /// Absolute path of the file, its bytes as the operating system gives them: the one key
    /// of an article that no two files share, whatever their names hold (text would have to
    /// escape the bytes that are not UTF-8, and a name could spell the escape out). Indexed so
    /// that an article can be replaced, fast for the catalog, stored for the hits.
    pub path: Field,
    /// Absolute path of the root (folder or file) the article was found under, as bytes; on
    /// its first passage only, fast.
    pub root: Field,
    /// The device the root was on when indexed, on the first passage only, fast: a root now on
    /// another device (a drive not mounted, its empty mount point left) is not taken for a
    /// folder whose articles were all deleted.
    pub root_device: Field,
    pub source: Field,
    pub author: Field,
    /// Source and author as whole lowercased values, for substring filters.
    pub source_value: Field,
    pub author_value: Field,
    /// Publication day, when known.
    pub date: Field,
    /// Where the date came from: `text`, `front-matter`, `html` or `sidecar`.
    pub date_origin: Field,
    pub first_line: Field,
    pub last_line: Field,
    /// Where each source line of the passage starts in its text ([`crate::passage::LineMap`]).
    pub line_starts: Field,
    /// The pages a passage of a PDF is on ([`crate::passage::PageMap`]); absent elsewhere.
    pub pages: Field,
    /// Position of the passage within its article, from 0; indexed to find each article's
    /// first passage.
    pub passage: Field,
    /// A hash of the article's path and part, fast, to tell articles apart while ranking.
    pub article_key: Field,
    /// The file as it was indexed, on the first passage only, fast: what `quarry index`
    /// compares to tell whether it changed. Size in bytes, modification time in nanoseconds
    /// since the epoch, a hash of the content and a hash of the metadata its sidecar files
    /// supplied.
    pub file_size: Field,
    pub file_modified: Field,
    pub file_hash: Field,
    pub sidecar_hash: Field,
    /// What finds the article's copies ([`crate::copies::Signature`]), on its first passage
    /// only, fast.
    pub signature: Field,
}

impl Fields {
    /// Reads the field handles out of a schema built by [`build`].
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            text: schema.get_field(TEXT)?,
            body: schema.get_field(BODY)?,
            title: schema.get_field(TITLE)?,
            article: schema.get_field(ARTICLE)?,
            part: schema.get_field(PART)?,
            path: schema.get_field(PATH)?,
            root: schema.get_field(ROOT)?,
            root_device: schema.get_field(ROOT_DEVICE)?,
            source: schema.get_field(SOURCE)?,
            author: schema.get_field(AUTHOR)?,
            source_value: schema.get_field(SOURCE_VALUE)?,
            author_value: schema.get_field(AUTHOR_VALUE)?,
            date: schema.get_field(DATE)?,
            date_origin: schema.get_field(DATE_ORIGIN)?,
            first_line: schema.get_field(FIRST_LINE)?,
            last_line: schema.get_field(LAST_LINE)?,
            line_starts: schema.get_field(LINE_STARTS)?,
            pages: schema.get_field(PAGES)?,
            passage: schema.get_field(PASSAGE)?,
            article_key: schema.get_field(ARTICLE_KEY)?,
            file_size: schema.get_field(FILE_SIZE)?,
            file_modified: schema.get_field(FILE_MODIFIED)?,
            file_hash: schema.get_field(FILE_HASH)?,
            sidecar_hash: schema.get_field(SIDECAR_HASH)?,
            signature: schema.get_field(SIGNATURE)?,
        })
    }
}

/// The text a stored document holds in `field`.
pub fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .map(str::to_string)
}

/// The bytes a stored document holds in `field`.
pub fn stored_bytes(doc: &TantivyDocument, field: Field) -> Option<Vec<u8>> {
    doc.get_first(field)
        .and_then(|value| value.as_bytes())
        .map(<[u8]>::to_vec)
}

/// The number a stored document holds in `field`.
pub fn stored_u64(doc: &TantivyDocument, field: Field) -> Option<u64> {
    doc.get_first(field).and_then(|value| value.as_u64())
}

/// The day a stored document holds in `field`.
pub fn stored_day(doc: &TantivyDocument, field: Field) -> Option<Date> {
    doc.get_first(field)
        .and_then(|value| value.as_datetime())
        .map(|date| date.into_utc().date())
}

/// The settings every quarry index is created with. The document store, every passage's
/// text and metadata, is most of the index: zstd keeps the index smaller than the articles
/// (lz4 made it 111 % of Reuters-21578, zstd 97 %). Each hit shown decompresses a whole block:
/// blocks of 6 KiB, not tantivy's 16, and level 1 keep that cost small (BENCHMARKS.md).
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 6 * 1024,
        ..IndexSettings::default()
    }
}

/// The schema every quarry index is created with.
pub fn build() -> Schema {
    let searched = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ENGLISH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let english = searched.clone().set_stored();
    let mut schema = Schema::builder();
    schema.add_text_field(TEXT, STORED);
    schema.add_text_field(BODY, searched);
    schema.add_text_field(TITLE, english.clone());
    // Fast too: a ranking alone (a TREC run) reads each hit's id from its column.
    schema.add_text_field(ARTICLE, STRING | STORED | FAST);
    schema.add_text_field(PART, STORED);
    let key = BytesOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    schema.add_bytes_field(PATH, key);
    schema.add_bytes_field(ROOT, BytesOptions::default().set_fast());
    schema.add_u64_field(ROOT_DEVICE, FAST);
    schema.add_text_field(SOURCE, english.clone());
    schema.add_text_field(AUTHOR, english);
    let whole_value = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(LOWERCASE_VALUE)
            .set_index_option(IndexRecordOption::Basic),
    );
    schema.add_text_field(SOURCE_VALUE, whole_value.clone());
    schema.add_text_field(AUTHOR_VALUE, whole_value);
    schema.add_date_field(
        DATE,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    schema.add_text_field(DATE_ORIGIN, STORED);
    schema.add_u64_field(FIRST_LINE, STORED);
    schema.add_u64_field(LAST_LINE, STORED);
    schema.add_bytes_field(LINE_STARTS, STORED);
    schema.add_bytes_field(PAGES, STORED);
    schema.add_u64_field(PASSAGE, INDEXED | STORED);
    // Indexed too: the passages of a few articles are searched at once (a story's original).
    schema.add_u64_field(ARTICLE_KEY, INDEXED | FAST);
    for name in [FILE_SIZE, FILE_MODIFIED, FILE_HASH, SIDECAR_HASH] {
        schema.add_u64_field(name, FAST);
    }
    schema.add_bytes_field(SIGNATURE, BytesOptions::default().set_fast());
    schema.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_resolves() {
        assert!(Fields::from_schema(&build()).is_ok());
    }
}
