//! What an index holds: counts, roots, sources, dates, size and when it was written.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::time::Date;
use tantivy::{DocId, Searcher, SegmentOrdinal, TantivyDocument};

use crate::index::catalog;
use crate::index::schema::{Fields, stored_day, stored_text};
use crate::index::store::{self, Store};
use crate::paths::{path_from_bytes, path_text};

/// A description of an index.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub index: String,
    /// Version of the quarry that last wrote the index.
    pub quarry_version: String,
    pub layout: u32,
    /// When the index was last written, in seconds since the Unix epoch.
    pub updated: Option<u64>,
    pub size_bytes: u64,
    pub articles: u64,
    /// Articles, each group of copies of one story counted once (`quarry copies`).
    pub stories: u64,
    /// Groups of copies.
    pub copy_groups: u64,
    pub passages: u64,
    pub undated_articles: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Indexed folders with their article counts.
    pub roots: Vec<Count>,
    /// Sources with their article counts, most articles first.
    pub sources: Vec<Count>,
    pub articles_without_source: u64,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub name: String,
    pub articles: u64,
}

/// Reads the statistics of the index in `store`.
pub fn collect(store: &Store) -> Result<Stats> {
    store::guard(&store.path, "read", || collect_guarded(store))
}

fn collect_guarded(store: &Store) -> Result<Stats> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let mut roots: BTreeMap<String, u64> = BTreeMap::new();
    for indexed in catalog::read(&searcher, fields)?.into_values() {
        *roots
            .entry(path_text(&path_from_bytes(&indexed.root)))
            .or_default() += indexed.articles as u64;
    }
    let stories = crate::copies::Stories::of(&searcher, fields, &store.generation_path)?;
    // What each article adds to the statistics: its source and day.
    let articles = read_first_passages(&searcher, fields, |doc| {
        (
            stored_text(doc, fields.source),
            stored_day(doc, fields.date),
        )
    })?;
    let mut sources: BTreeMap<String, u64> = BTreeMap::new();
    let mut dates: Vec<Date> = Vec::new();
    let mut without_source = 0;
    let article_count = articles.len() as u64;
    for (source, day) in articles {
        match source {
            Some(source) => *sources.entry(source).or_default() += 1,
            None => without_source += 1,
        }
        dates.extend(day);
    }
    let counts = |map: BTreeMap<String, u64>| {
        let mut counts: Vec<Count> = map
            .into_iter()
            .map(|(name, articles)| Count { name, articles })
            .collect();
        counts.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.name.cmp(&b.name))
        });
        counts
    };
    Ok(Stats {
        index: store.path.to_string_lossy().into_owned(),
        quarry_version: store.marker.quarry_version.clone(),
        layout: store.marker.layout,
        updated: store.marker.updated,
        size_bytes: folder_size(&store.path),
        articles: article_count,
        stories: article_count.saturating_sub(stories.copies()),
        copy_groups: stories.groups().len() as u64,
        passages: searcher.num_docs(),
        undated_articles: article_count - dates.len() as u64,
        first_date: dates.iter().min().map(ToString::to_string),
        last_date: dates.iter().max().map(ToString::to_string),
        roots: counts(roots),
        sources: counts(sources),
        articles_without_source: without_source,
    })
}

/// `read` applied to the stored first passage of every article. Segments are read in
/// parallel, each in index order, so that every block of stored documents is decompressed once.
fn read_first_passages<T: Send>(
    searcher: &Searcher,
    fields: &Fields,
    read: impl Fn(&TantivyDocument) -> T + Sync,
) -> Result<Vec<T>> {
    let read_segment = |(segment, docs): &(SegmentOrdinal, Vec<DocId>)| -> Result<Vec<T>> {
        // Read in order, the block in hand is the only one worth caching.
        let store = searcher.segment_reader(*segment).get_store_reader(1)?;
        docs.iter()
            .map(|&doc| Ok(read(&store.get::<TantivyDocument>(doc)?)))
            .collect()
    };
    let per_segment: Vec<Vec<T>> = catalog::first_passages(searcher, fields)?
        .par_iter()
        .map(read_segment)
        .collect::<Result<_>>()?;
    Ok(per_segment.into_iter().flatten().collect())
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum()
}
