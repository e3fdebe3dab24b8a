//! `quarry check`: verify the index's files, and that it opens and reads.

use std::io::Write;

use anyhow::{Result, bail};

use super::Outcome;
use crate::cli::CheckArgs;
use crate::index::store::{self, REBUILD_ADVICE, Store};
use crate::output::{count, escape};
use crate::paths::path_text;

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let store = Store::open(&location)?;
    let checked = store.verify()?;
    if !checked.damaged.is_empty() {
        let files: Vec<String> = checked
            .damaged
            .iter()
            .map(|file| file.display().to_string())
            .collect();
        bail!(
            "the index at {} is damaged: {} of its {} files fail their checksum ({}); \
             {REBUILD_ADVICE}",
            location.display(),
            files.len(),
            checked.files,
            files.join(", ")
        );
    }
    writeln!(
        std::io::stdout(),
        "the index at {} is sound: {} ({}) match their checksums; {}, {}",
        escape(&path_text(&location)),
        count(checked.files as u64, "file"),
        count(checked.bytes, "byte"),
        count(checked.articles as u64, "article"),
        count(checked.passages, "passage")
    )?;
    Ok(Outcome::Success)
}
