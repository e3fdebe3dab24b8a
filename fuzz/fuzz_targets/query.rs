//! Any query text, with any filters, against a real index of `corpus/`: no panic, and every
//! hit within what was asked for (no more than the limit, highlights inside the passage).
//!
//! `cargo +nightly fuzz run query -- -max_total_time=600` (from the repository's root).
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use quarry::index::filters::{Filters, Sort};
use quarry::index::writer::{self, Observer, Options};
use quarry::index::searcher::{Request, Searcher};
use quarry::index::store::{Store, WriteOptions};

struct Quiet;

impl Observer for Quiet {
    fn failed(&self, _path: &Path, _reason: &str) {}
}

fn searcher() -> &'static Searcher {
    static SEARCHER: OnceLock<(PathBuf, Searcher)> = OnceLock::new();
    &SEARCHER
        .get_or_init(|| {
            let folder = std::env::temp_dir().join(format!("quarry-fuzz-query-{}", std::process::id()));
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
            let (mut store, lock) =
                Store::open_for_writing(&folder, WriteOptions::default()).expect("index");
            let options = Options {
                max_file_size: 64 << 20,
                commit_interval: Duration::from_secs(60),
                walk: Default::default(),
            };
            indexer::index(&mut store, &[corpus], options, &Quiet).expect("indexed");
            drop((store, lock));
            let searcher = Searcher::open(&folder).expect("searcher");
            (folder, searcher)
        })
        .1
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, text)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    // The first byte picks the filters, order and paging, so that each path is reached.
    let filter_text = text.get(..text.len().min(8)).unwrap_or("");
    let request = Request {
        query: text.to_string(),
        filters: Filters {
            source: (flags & 1 != 0).then(|| filter_text.to_string()),
            author: (flags & 2 != 0).then(|| filter_text.to_string()),
            ..Filters::default()
        },
        sort: match flags & 0b1100_0100 {
            0 => Sort::Relevance,
            4 => Sort::Newest,
            _ => Sort::Oldest,
        },
        limit: usize::from(flags >> 4) + 1,
        offset: usize::from(flags & 8),
        per_article: (flags & 16 != 0).then_some(1),
        explain: flags & 32 != 0,
    };
    if let Ok(results) = searcher().search(&request) {
        assert!(results.hits.len() <= request.limit);
        for hit in &results.hits {
            for [start, end] in &hit.highlights {
                assert!(start < end && *end <= hit.passage.len());
                assert!(hit.passage.is_char_boundary(*start) && hit.passage.is_char_boundary(*end));
            }
        }
    }
});
