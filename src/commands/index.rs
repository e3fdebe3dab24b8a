//! `quarry index`: build the index, or bring it up to date with the folders it holds.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Outcome;
use crate::cli::{IndexArgs, Verbosity};
use crate::index::store::{self, Store, WriteOptions};
use crate::index::writer::{self, Observer, Options, Reason, Summary};
use crate::output::{count, escape};
use crate::paths::path_text;
use crate::walk::{self, Skip};

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
    let walk = settings(args, &store.marker.walk);
    store.marker.walk = walk.clone();
    let feedback = Feedback::new(verbosity);
    let options = Options {
        max_file_size: args.max_file_size,
        commit_interval: Duration::from_secs(args.commit_interval),
        walk,
    };
    let summary = writer::index(&mut store, &args.paths, options, &feedback)?;
    feedback.finish();
    if !verbosity.quiet {
        let mut skipped = skipped_text(&summary);
        // Said above one by one; counted here so that none goes unnoticed in a long run.
        let warnings = feedback.warnings.load(Ordering::Relaxed);
        if warnings > 0 {
            skipped.push_str(&format!(", {}", count(warnings as u64, "warning")));
        }
        writeln!(
            std::io::stdout(),
            "{} added, {} updated, {} removed, {} unchanged, {skipped}; {} written \
             in {:.2} s; index: {}",
            summary.added,
            summary.updated,
            summary.removed,
            summary.unchanged,
            count(summary.passages as u64, "passage"),
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
                "interrupted: {} kept; run `quarry index` again to finish",
                count(kept as u64, "new or changed article")
            )
        });
        return Ok(Outcome::Interrupted);
    }
    let indexable = summary.added + summary.updated + summary.unchanged;
    if indexable == 0 && summary.failed > 0 {
        bail!(
            "no article could be indexed ({} failed)",
            count(summary.failed as u64, "article file")
        );
    }
    Ok(Outcome::Success)
}

/// The walk settings of this run: those given, else those the index remembers.
fn settings(args: &IndexArgs, remembered: &walk::Settings) -> walk::Settings {
    let exclude = match (args.no_exclude, args.exclude.is_empty()) {
        (true, _) => Vec::new(),
        (false, true) => remembered.exclude.clone(),
        (false, false) => args.exclude.clone(),
    };
    walk::Settings {
        exclude,
        follow_links: !args.no_follow_links && (args.follow_links || remembered.follow_links),
    }
}

/// "14 skipped (9 unsupported type, 3 hidden, 2 too large)": the most common reasons first.
fn skipped_text(summary: &Summary) -> String {
    let mut text = format!("{} skipped", summary.skipped_total());
    let mut reasons: Vec<(&Reason, &usize)> = summary.skipped.iter().collect();
    // Stable: equal counts keep the order of the reasons.
    reasons.sort_by(|a, b| b.1.cmp(a.1));
    let reasons: Vec<String> = reasons
        .into_iter()
        .map(|(reason, &count)| format!("{count} {}", label(*reason, count)))
        .collect();
    if !reasons.is_empty() {
        text.push_str(&format!(" ({})", reasons.join(", ")));
    }
    text
}

fn label(reason: Reason, count: usize) -> &'static str {
    let one = count == 1;
    match reason {
        Reason::Unsupported => "unsupported type",
        Reason::Hidden => "hidden",
        Reason::Ignored => "ignored",
        Reason::SavedPage if one => "saved page folder",
        Reason::SavedPage => "saved page folders",
        Reason::LinkNotFollowed if one => "link not followed",
        Reason::LinkNotFollowed => "links not followed",
        Reason::LinkLoop if one => "link loop",
        Reason::LinkLoop => "link loops",
        Reason::SameFile => "seen through another link",
        Reason::TooLarge => "too large",
        Reason::Binary => "binary",
        Reason::NoText => "no text",
        Reason::Unreadable => "unreadable",
    }
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

    /// Says `message` with `say` (a function of [`crate::messages`]) above the progress bar.
    fn say(&self, say: fn(&str), message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| say(message)),
            None => say(message),
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
        // The run goes on without the file: a warning, which -q silences.
        self.say(
            crate::messages::warn,
            &format!("skipped {}: {reason}", path_text(path)),
        );
    }

    fn warned(&self, path: &Path, message: &str) {
        self.warnings.fetch_add(1, Ordering::Relaxed);
        self.say(
            crate::messages::warn,
            &format!("{}: {message}", path_text(path)),
        );
    }

    fn skipped(&self, path: &Path, why: &Skip) {
        // Left out as asked, or as quarry always does: listed only on request.
        if self.verbosity.verbose {
            self.say(
                crate::messages::note,
                &format!("skipped {}: {why}", path_text(path)),
            );
        }
    }

    fn indexed(&self, path: &Path, passages: usize) {
        if self.verbosity.verbose {
            let path = path_text(path);
            self.say(
                crate::messages::note,
                &format!("indexed {path} ({})", count(passages as u64, "passage")),
            );
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
