//! What the index knows of each file it holds: where it was found and how it looked when it
//! was indexed. `quarry index` compares this with the disk to index only what changed.
//!
//! The catalog lives in the index itself (fields of each article's first passage), so it is
//! committed together with the passages it describes: after a crash, both are as of the last
//! commit.

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::schema::{Fields, stored_text, stored_u64};
use crate::store::Store;

/// A file as it was indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    /// The root folder (or file) it was found under.
    pub root: String,
    pub fingerprint: Fingerprint,
}

/// What tells whether a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fingerprint {
    pub size: u64,
    /// Nanoseconds since the Unix epoch.
    pub modified: u64,
    /// A hash of the file's bytes.
    pub hash: u64,
    /// A hash of the metadata its sidecar files supply.
    pub sidecar_hash: u64,
}

/// The indexed files, by absolute path. Hashed with foldhash: paths come from the user's own
/// disk, not from an adversary, and an unchanged re-run looks every file up.
pub type Catalog = HashMap<String, Indexed, foldhash::fast::RandomState>;

/// Reads the catalog of the index.
pub fn load(store: &Store) -> Result<Catalog> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let entries = map_first_passages(&searcher, fields, |doc| {
        let text = |field| stored_text(doc, field);
        let number = |field| stored_u64(doc, field).unwrap_or(0);
        let (path, root) = (text(fields.path)?, text(fields.root)?);
        let fingerprint = Fingerprint {
            size: number(fields.file_size),
            modified: number(fields.file_modified),
            hash: number(fields.file_hash),
            sidecar_hash: number(fields.sidecar_hash),
        };
        Some((path, Indexed { root, fingerprint }))
    })?;
    Ok(entries.into_iter().flatten().collect())
}

/// `read` applied to the stored first passage of every article: one document per article.
/// Segments are read in parallel, each in index order, so that every block of stored documents
/// is decompressed once.
pub fn map_first_passages<T: Send>(
    searcher: &Searcher,
    fields: &Fields,
    read: impl Fn(&TantivyDocument) -> T + Sync,
) -> Result<Vec<T>> {
    let query = TermQuery::new(
        Term::from_field_u64(fields.passage, 0),
        IndexRecordOption::Basic,
    );
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort_unstable();
    let per_segment: Vec<&[DocAddress]> = addresses
        .chunk_by(|a, b| a.segment_ord == b.segment_ord)
        .collect();
    let read_segment = |addresses: &&[DocAddress]| -> Result<Vec<T>> {
        let Some(first) = addresses.first() else {
            return Ok(Vec::new());
        };
        // Read in order, the block in hand is the only one worth caching.
        let store = searcher
            .segment_reader(first.segment_ord)
            .get_store_reader(1)?;
        addresses
            .iter()
            .map(|address| Ok(read(&store.get::<TantivyDocument>(address.doc_id)?)))
            .collect()
    };
    let read: Vec<Vec<T>> = per_segment
        .par_iter()
        .map(read_segment)
        .collect::<Result<_>>()?;
    Ok(read.into_iter().flatten().collect())
}
