//! What the index knows of each file it holds: where it was found and how it looked when it
//! was indexed. `quarry index` compares this with the disk to index only what changed.
//!
//! The catalog lives in the index itself (fields of each article's first passage), so it is
//! committed together with the passages it describes: after a crash, both are as of the last
//! commit.

use std::collections::HashMap;

use anyhow::Result;
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

/// The indexed files, by absolute path.
pub type Catalog = HashMap<String, Indexed>;

/// Reads the catalog of the index.
pub fn load(store: &Store) -> Result<Catalog> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let mut catalog = Catalog::new();
    for address in first_passages(&searcher, fields)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| stored_text(&doc, field);
        let number = |field| stored_u64(&doc, field).unwrap_or(0);
        let (Some(path), Some(root)) = (text(fields.path), text(fields.root)) else {
            continue;
        };
        let fingerprint = Fingerprint {
            size: number(fields.file_size),
            modified: number(fields.file_modified),
            hash: number(fields.file_hash),
            sidecar_hash: number(fields.sidecar_hash),
        };
        catalog.insert(path, Indexed { root, fingerprint });
    }
    Ok(catalog)
}

/// The first passage of every article: one document per article.
pub fn first_passages(searcher: &Searcher, fields: &Fields) -> Result<Vec<DocAddress>> {
    let query = TermQuery::new(
        Term::from_field_u64(fields.passage, 0),
        IndexRecordOption::Basic,
    );
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    // In index order, so that stored documents are read block by block.
    addresses.sort();
    Ok(addresses)
}
