//! Any bytes as a batch: each line through `quarry::batch::parse_line`, and the whole as a
//! batch file read line by line.

#![no_main]

use libfuzzer_sys::fuzz_target;
use quarry::batch;
use quarry::index::filters::{Filters, Sort};
use quarry::index::searcher::Request;

fuzz_target!(|data: &[u8]| {
    let defaults = Request {
        query: String::new(),
        filters: Filters::default(),
        sort: Sort::Relevance,
        limit: 10,
        offset: 0,
        per_article: None,
        explain: false,
    };
    if let Ok(text) = std::str::from_utf8(data) {
        for (number, line) in text.lines().enumerate() {
            if let Some(query) = batch::parse_line(number + 1, line, &defaults) {
                assert!(!query.id.is_empty());
            }
        }
    }
    let mut last = 0;
    for query in batch::queries(data, &defaults) {
        let query = query.expect("reading from memory");
        assert!(query.line > last && !query.id.is_empty());
        if let Ok(request) = &query.request {
            assert!(request.limit >= 1);
        }
        last = query.line;
    }
});
