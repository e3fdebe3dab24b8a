//! `quarry index`: build or refresh the index from folders of articles.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use super::Outcome;
use crate::cli::{IndexArgs, Verbosity};
use crate::indexer;
use crate::store::{self, Store};

pub fn run(args: &IndexArgs, verbosity: Verbosity) -> Result<Outcome> {
    for path in &args.paths {
        if !path.exists() {
            bail!("{} does not exist; nothing was indexed", path.display());
        }
    }
    let location = store::locate(args.location.index.as_deref())?;
    let mut store = Store::open_or_create(&location)?;
    // A file that can't be indexed is an error about that file: said even when quiet.
    let report =
        |path: &Path, reason: &str| eprintln!("quarry: skipped {}: {reason}", path.display());
    let indexed =
        |path: &Path, what: &str| verbosity.detail(&format!("indexed {} ({what})", path.display()));
    let summary = indexer::index(&mut store, &args.paths, &report, &indexed)?;
    if !verbosity.quiet {
        let mut skipped = format!("{} skipped", summary.skipped + summary.failed);
        if summary.failed > 0 {
            skipped.push_str(&format!(" ({} unreadable)", summary.failed));
        }
        writeln!(
            std::io::stdout(),
            "indexed {} articles, {} passages in {:.2} s; {skipped}; index: {}",
            summary.articles,
            summary.passages,
            summary.elapsed.as_secs_f64(),
            store.path.display()
        )?;
    }
    Ok(Outcome::Success)
}
