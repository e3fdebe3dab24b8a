//! What the index knows of each file it holds: where it was found and how it looked when it
//! was indexed. `quarry index` compares this with the disk to index only what changed.
//!
//! The catalog lives in the index itself (fast fields of each article's first passage), so it
//! is committed together with the passages it describes: after a crash, both are as of the
//! last commit.

use std::collections::HashMap;

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::fastfield::{Column, FastFieldReaders};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentOrdinal, SegmentReader, TERMINATED, Term};

use crate::index::schema::{
    FILE_HASH, FILE_MODIFIED, FILE_SIZE, Fields, PATH, ROOT, ROOT_DEVICE, SIDECAR_HASH,
};
use crate::index::store::{self, Store};

/// A file as it was indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    /// The root folder (or file) it was found under, as bytes.
    pub root: Vec<u8>,
    /// The device the root was on.
    pub root_device: u64,
    pub fingerprint: Fingerprint,
    /// How many articles the file holds (a mailbox holds one per message).
    pub articles: usize,
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

/// The indexed files, by absolute path as bytes. Hashed with foldhash, seeded at random per
/// run, so file names chosen to collide can't slow a run down; an unchanged re-run looks every
/// file up.
pub type Catalog = HashMap<Vec<u8>, Indexed, foldhash::fast::RandomState>;

/// Reads the catalog of the index.
pub fn load(store: &Store) -> Result<Catalog> {
    let reader = store.reader()?;
    store::guard(&store.path, "read", || {
        read(&reader.searcher(), &store.fields)
    })
}

/// Reads the catalog from the fast fields of each article's first passage: column values,
/// not stored documents, which would mean decompressing most of the passages' text.
pub fn read(searcher: &Searcher, fields: &Fields) -> Result<Catalog> {
    let per_segment: Vec<Vec<(Vec<u8>, Indexed)>> = first_passages(searcher, fields)?
        .par_iter()
        .map(|(segment, docs)| read_segment(searcher.segment_reader(*segment), docs))
        .collect::<Result<_>>()?;
    // Each article of a file has a first passage, and each says the same of the file.
    let mut catalog = Catalog::default();
    for (path, indexed) in per_segment.into_iter().flatten() {
        catalog
            .entry(path)
            .and_modify(|known| known.articles += 1)
            .or_insert(indexed);
    }
    Ok(catalog)
}

fn read_segment(segment: &SegmentReader, docs: &[DocId]) -> Result<Vec<(Vec<u8>, Indexed)>> {
    let columns = segment.fast_fields();
    let (size, modified, hash, sidecar_hash, device) = (
        columns.u64(FILE_SIZE)?,
        columns.u64(FILE_MODIFIED)?,
        columns.u64(FILE_HASH)?,
        columns.u64(SIDECAR_HASH)?,
        columns.u64(ROOT_DEVICE)?,
    );
    let paths = values(columns, PATH, docs)?;
    let roots = values(columns, ROOT, docs)?;
    let entries = docs.iter().zip(paths).zip(roots);
    Ok(entries
        .filter_map(|((&doc, path), root)| {
            let value = |column: &Column<u64>| column.first(doc).unwrap_or(0);
            let fingerprint = Fingerprint {
                size: value(&size),
                modified: value(&modified),
                hash: value(&hash),
                sidecar_hash: value(&sidecar_hash),
            };
            let indexed = Indexed {
                root: root?,
                root_device: value(&device),
                fingerprint,
                articles: 1,
            };
            Some((path?, indexed))
        })
        .collect())
}

/// The bytes of the fast field `name` on each of `docs`.
pub(crate) fn values(
    columns: &FastFieldReaders,
    name: &str,
    docs: &[DocId],
) -> Result<Vec<Option<Vec<u8>>>> {
    let mut values = vec![None; docs.len()];
    each_value(columns, name, docs, |at, bytes| {
        values[at] = Some(bytes.to_vec())
    })?;
    Ok(values)
}

/// Gives `take` the bytes of the fast field `name` on each of `docs` that has it, with the
/// doc's position in `docs`, without keeping them. Each value is decoded once, in the order
/// of the field's dictionary, which is read from start to end in one pass.
pub(crate) fn each_value(
    columns: &FastFieldReaders,
    name: &str,
    docs: &[DocId],
    mut take: impl FnMut(usize, &[u8]),
) -> Result<()> {
    let column = columns
        .bytes(name)?
        .with_context(|| format!("the index has no `{name}` column"))?;
    let mut by_term: Vec<(u64, usize)> = docs
        .iter()
        .enumerate()
        .filter_map(|(at, &doc)| Some((column.ords().first(doc)?, at)))
        .collect();
    by_term.sort_unstable();
    let terms: Vec<u64> = by_term.iter().map(|&(term, _)| term).collect();
    let mut places = by_term.iter().map(|&(_, at)| at);
    column
        .dictionary()
        .sorted_ords_to_term_cb(&terms, |bytes| {
            if let Some(at) = places.next() {
                take(at, bytes);
            }
        })?;
    Ok(())
}

/// The first passage of every article (one document per article), by segment, in index order.
pub fn first_passages(
    searcher: &Searcher,
    fields: &Fields,
) -> Result<Vec<(SegmentOrdinal, Vec<DocId>)>> {
    // Read from each segment's postings of passage 0, in order: no set of every article.
    let term = Term::from_field_u64(fields.passage, 0);
    let mut found = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(fields.passage)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let mut docs = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !reader.is_deleted(doc) {
                docs.push(doc);
            }
            doc = postings.advance();
        }
        if !docs.is_empty() {
            found.push((segment as SegmentOrdinal, docs));
        }
    }
    Ok(found)
}
