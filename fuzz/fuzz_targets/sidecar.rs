//! Any bytes as a sidecar file: the first byte says which (`metadata.jsonl`, `metadata.csv`
//! or `a.meta.json`), the rest is its content, read as `quarry index` reads it.

#![no_main]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use quarry::article::Sidecars;
use tempfile::TempDir;

const NAMES: [&str; 3] = ["metadata.jsonl", "metadata.csv", "a.meta.json"];

fn folder() -> &'static Path {
    static FOLDER: OnceLock<TempDir> = OnceLock::new();
    FOLDER
        .get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
        .path()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, content)) = data.split_first() else {
        return;
    };
    let dir = folder();
    for name in NAMES {
        let _ = fs::remove_file(dir.join(name));
    }
    fs::write(dir.join(NAMES[usize::from(which) % NAMES.len()]), content).expect("written");
    let sidecars = Sidecars::new(Box::new(|_, message| assert!(!message.is_empty())));
    for article in ["a.txt", "b.md", "sub/c.html"] {
        if let Ok(metadata) = sidecars.lookup(&dir.join(article)) {
            assert_eq!(metadata.date.is_some(), metadata.date_origin.is_some());
        }
    }
});
