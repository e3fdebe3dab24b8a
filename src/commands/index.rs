//! `quarry index`: build the index, or bring it up to date with the folders it holds.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Outcome;
use crate::cli::{IndexArgs, Verbosity};
use crate::indexer::{self, Observer, Options};
use crate::output::escape;
use crate::paths::path_text;
use crate::store::{self, Store, WriteOptions};

pub fn run(args: &IndexArgs, verbosity: Verbosity) -> Result<Outcome> {
    for path in &args.paths {
        if !path.exists() {
            bail!("{} does not exist; nothing was indexed", path_text(path));
        }
    }
    let location = store::locate(args.location.index.as_deref())?;
    let write = WriteOptions {
        rebuild: args.rebuild,
        wait: args.wait,
    };
    let holds_nothing = |folder: &Path| {
        bail!(
            "the index at {} holds no folders yet: name the folders to index, \
             e.g. `quarry index ~/articles`",
            folder.display()
        )
    };
    if args.paths.is_empty() && (args.rebuild || !store::exists(&location)) {
        return holds_nothing(&location);
    }
    let (mut store, _lock) = Store::open_for_writing(&location, write)?;
    // Only once the lock is held: Ctrl-C while waiting for it ends the wait at once.
    crate::interrupt::listen()?;
    let rebuilding = store.is_rebuilding();
    let holds_roots = !store.marker.roots.is_empty() || store.reader()?.searcher().num_docs() > 0;
    if args.paths.is_empty() && !holds_roots {
        return holds_nothing(&location);
    }
    let feedback = Feedback::new(verbosity);
    let options = Options {
        max_file_size: args.max_file_size,
        commit_interval: Duration::from_secs(args.commit_interval),
    };
    let summary = indexer::index(&mut store, &args.paths, options, &feedback)?;
    feedback.finish();
    if !verbosity.quiet {
        let mut skipped = format!("{} skipped", summary.skipped + summary.failed);
        if summary.failed > 0 {
            skipped.push_str(&format!(" ({} reported)", summary.failed));
        }
        // Said above one by one; counted here so that none goes unnoticed in a long run.
        match feedback.warnings.load(Ordering::Relaxed) {
            0 => {}
            1 => skipped.push_str(", 1 warning"),
            n => skipped.push_str(&format!(", {n} warnings")),
        }
        writeln!(
            std::io::stdout(),
            "{} added, {} updated, {} removed, {} unchanged, {skipped}; {} passages written \
             in {:.2} s; index: {}",
            summary.added,
            summary.updated,
            summary.removed,
            summary.unchanged,
            summary.passages,
            summary.elapsed.as_secs_f64(),
            escape(&path_text(&store.path))
        )?;
    }
    if summary.interrupted {
        let kept = summary.added + summary.updated;
        crate::messages::note(&if rebuilding {
            "interrupted: the rebuild was abandoned and the index is as it was; run the same \
             `quarry index --rebuild` again to rebuild it"
                .to_string()
        } else {
            format!(
                "interrupted: {kept} new or changed articles kept; run `quarry index` \
                 again to finish"
            )
        });
        return Ok(Outcome::Interrupted);
    }
    let indexable = summary.added + summary.updated + summary.unchanged;
    if indexable == 0 && summary.failed > 0 {
        bail!(
            "none of the {} article files could be indexed",
            summary.failed
        );
    }
    Ok(Outcome::Success)
}

/// Reports problems on stderr, and shows a progress bar when stderr is a terminal.
struct Feedback {
    verbosity: Verbosity,
    bar: Option<ProgressBar>,
    /// Warnings said about the user's files (articles and sidecars).
    warnings: AtomicUsize,
}

impl Feedback {
    fn new(verbosity: Verbosity) -> Feedback {
        let bar = (!verbosity.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} {pos}/{len} files  {per_sec:0}  ETA {eta}  {wide_bar}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Feedback {
            verbosity,
            bar,
            warnings: AtomicUsize::new(0),
        }
    }

    fn say(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| crate::messages::note(message)),
            None => crate::messages::note(message),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Feedback {
    fn failed(&self, path: &Path, reason: &str) {
        // A file that can't be indexed is an error about that file: said even when quiet.
        self.say(&format!("skipped {}: {reason}", path_text(path)));
    }

    fn warned(&self, path: &Path, message: &str) {
        // About the user's files, like a failure: said even when quiet.
        self.warnings.fetch_add(1, Ordering::Relaxed);
        self.say(&format!("warning: {}: {message}", path_text(path)));
    }

    fn indexed(&self, path: &Path, passages: usize) {
        if self.verbosity.verbose {
            let path = path_text(path);
            self.say(&format!("indexed {path} ({passages} passages)"));
        }
    }

    fn wants_total(&self) -> bool {
        self.bar.is_some()
    }

    fn planned(&self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(files as u64);
        }
    }

    fn progressed(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn interrupted(&self) -> bool {
        crate::interrupt::requested()
    }
}
