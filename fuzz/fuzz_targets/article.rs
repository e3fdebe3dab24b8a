//! Fuzz target `article`: arbitrary bytes read as an article of each format.
//!
//! Feeds the bytes through `quarry::article::from_bytes` as plain text, Markdown and HTML, and
//! checks what must hold for any file: no panic; every passage has text, and a line range
//! within the file (`1 <= first_line <= last_line <= lines`); a date comes with its origin;
//! title, source and author are at most `FIELD_MAX_BYTES` long. Run it from the repository:
//!
//! ```sh
//! cargo +nightly fuzz run article -- -max_total_time=600 -jobs=1
//! ```
//!
//! (see `fuzz/README.md`).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use quarry::article::{self, FIELD_MAX_BYTES, Format, Metadata};

fuzz_target!(|bytes: &[u8]| {
    // Every encoding quarry decodes ends a line with a byte 0x0A or 0x0D (UTF-16 too), so
    // their count bounds the lines of the text.
    let lines = bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1;
    for format in [Format::Text, Format::Markdown, Format::Html] {
        let path = Path::new("fuzz");
        let Ok(article) =
            article::from_bytes(bytes, path, "fuzz".into(), format, Metadata::default())
        else {
            continue;
        };
        for passage in &article.passages {
            assert!(!passage.text.trim().is_empty(), "{format:?}: empty passage");
            assert!(
                1 <= passage.first_line
                    && passage.first_line <= passage.last_line
                    && passage.last_line as usize <= lines,
                "{format:?}: lines {}-{} of {lines}",
                passage.first_line,
                passage.last_line
            );
        }
        let metadata = &article.metadata;
        assert_eq!(metadata.date.is_some(), metadata.date_origin.is_some());
        for field in [&metadata.title, &metadata.source, &metadata.author] {
            assert!(
                field
                    .as_ref()
                    .is_none_or(|value| value.len() <= FIELD_MAX_BYTES)
            );
        }
    }
});
