//! Building and updating the index: walk the roots, compare each file with what the index holds
//! of it (the [`catalog`]), read new and changed files in parallel, write one document per
//! passage, and remove the files gone from disk.
//!
//! The walk is processed in batches, so memory stays bounded whatever the number of files, and
//! the index is committed at least every [`Options::commit_interval`]: a run killed at any
//! moment leaves the last commit readable, and the next run picks up from it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use tantivy::schema::Field;
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use crate::article::{self, Article, Metadata, Sidecars};
use crate::copies::{self, Signature};
use crate::formats::{Format, FormatError};
use crate::ids::{self, Ids};
use crate::index::catalog::{self, Catalog, Fingerprint, Indexed};
use crate::index::schema::Fields;
use crate::index::store::{self, RootRecord, Store};
use crate::passage::PageMap;
use crate::paths::{path_bytes, path_from_bytes};
use crate::walk::{self, Found, Skip, Walker};

/// Memory the index writer may buffer before it writes a segment, per indexing thread.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
/// Indexing threads; more than this brings nothing but memory use.
const MAX_WRITER_THREADS: usize = 4;
/// Files looked at together: the walk is read this far ahead, no further.
const BATCH_FILES: usize = 2048;

/// How to index.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this many bytes are reported and left out.
    pub max_file_size: u64,
    /// Commit at least this often, so that an interrupted run keeps its progress.
    pub commit_interval: Duration,
    /// What to leave out, and whether to follow links.
    pub walk: walk::Settings,
}

/// What one `quarry index` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Files (and folders not walked) left out, by reason.
    pub skipped: BTreeMap<Reason, usize>,
    /// Those of them that could not be indexed as articles, or listed; each was reported.
    pub failed: usize,
    /// Passages written (of added and updated articles).
    pub passages: usize,
    pub elapsed: Duration,
    /// The run was asked to stop: what it read is committed, nothing was removed, and a
    /// rebuild was not made live.
    pub interrupted: bool,
}

/// Why a file (or a folder not walked) was left out, as the summary counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Unsupported,
    Hidden,
    Ignored,
    SavedPage,
    LinkNotFollowed,
    LinkLoop,
    SameFile,
    TooLarge,
    Binary,
    NoText,
    Unreadable,
}

impl From<&Skip> for Reason {
    fn from(skip: &Skip) -> Reason {
        match skip {
            Skip::Unsupported | Skip::NotAFile => Reason::Unsupported,
            Skip::Hidden { .. } => Reason::Hidden,
            Skip::Ignored { .. } => Reason::Ignored,
            Skip::SavedPage(_) => Reason::SavedPage,
            Skip::Link => Reason::LinkNotFollowed,
            Skip::LinkLoop(_) => Reason::LinkLoop,
            Skip::SameFile(_) => Reason::SameFile,
        }
    }
}

impl Summary {
    /// Every file left out, whatever the reason.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    fn left_out(&mut self, reason: Reason) {
        *self.skipped.entry(reason).or_default() += 1;
    }
}

/// Hears about the run as it goes.
pub trait Observer: Sync {
    /// A file could not be indexed; the run goes on.
    fn failed(&self, path: &Path, reason: &str);
    /// Something that is not an article (a sidecar file) was ignored, wholly or in part; the
    /// articles it concerns are indexed without what it would have said.
    fn warned(&self, _path: &Path, _message: &str) {}
    /// The walk left a file or folder out, as the user asked or as quarry always does.
    fn skipped(&self, _path: &Path, _why: &Skip) {}
    /// A file was indexed (added or updated).
    fn indexed(&self, _path: &Path, _passages: usize) {}
    /// Whether to count the files first, for [`Observer::planned`].
    fn wants_total(&self) -> bool {
        false
    }
    /// How many article files the run will look at.
    fn planned(&self, _files: usize) {}
    /// One more article file has been looked at.
    fn progressed(&self) {}
    /// Whether the run should stop now, keeping what it has read.
    fn interrupted(&self) -> bool {
        false
    }
}

/// What became of one article file.
enum Outcome {
    Unchanged,
    Added(usize),
    Updated(usize),
    /// Could not be read now (permissions, a broken sidecar): what the index holds of it, if
    /// anything, is kept.
    Unreadable,
    /// Read, but no longer an article (empty, binary, too large): what the index holds of it
    /// goes.
    Rejected(Reason),
    /// Gone between the walk and the read.
    Vanished,
    /// Not looked at: the run was interrupted first. What the index holds of it stays.
    Left,
}

/// A folder (or file) a run walks, and the root its articles are recorded under.
struct Root {
    /// The root: article ids are paths relative to it.
    path: PathBuf,
    /// Where the walk starts: `path` itself, or a folder or file inside a root the index
    /// already holds, named on its own to update just that part. Its articles keep their root,
    /// and so their ids.
    walked: PathBuf,
    /// The device it is on, recorded with its articles.
    device: u64,
    /// Named on the command line: what it holds now is what the index should hold, even
    /// nothing. A root updated because the index holds it is trusted less (see [`index`]).
    named: bool,
}

impl Root {
    /// Whether the index has `known` under this root, as it is now: same root, same device.
    fn holds(&self, known: &Indexed) -> bool {
        known.root == path_bytes(&self.path) && known.root_device == self.device
    }
}

/// Indexes the articles under `roots` (folders or files; none: every root the index holds):
/// new and changed files are read, unchanged ones kept, and files gone from under the roots
/// removed. Nothing is removed on the word of a walk that may not have seen the truth: the
/// articles under a folder that could not be listed stay, and so do those of a root the index
/// holds (not named on the command line) that walks empty or is now on another device, the
/// signs of a drive not mounted.
pub fn index(
    store: &mut Store,
    roots: &[PathBuf],
    options: Options,
    observer: &dyn Observer,
) -> Result<Summary> {
    let started = Instant::now();
    let catalog = catalog::load(store)?;
    let searcher = store.reader()?.searcher();
    let ids = store::guard(&store.path, "read", || Ids::load(&searcher, &store.fields))?;
    let index_path = store
        .path
        .canonicalize()
        .unwrap_or_else(|_| store.path.clone());
    let walker = Walker::new(&options.walk, &index_path)?;
    let (roots, gone_files) = if roots.is_empty() {
        known_roots(&catalog, &store.marker.roots, &index_path, observer)
    } else {
        let named = named_roots(roots, &index_path, &walker, &catalog, &store.marker.roots)?;
        (named, Vec::new())
    };
    let roots = outermost(roots, &walker);
    if observer.wants_total() {
        // A walker of its own: the files it meets are not yet seen by the run's.
        let counter = Walker::new(&options.walk, &index_path)?;
        let total = roots
            .iter()
            .flat_map(|root| counter.walk(&root.path, &root.walked))
            .take_while(|_| !observer.interrupted())
            .filter(|found| matches!(found, Found::Article(..)))
            .count();
        observer.planned(total);
    }

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_WRITER_THREADS);
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
        .map_err(|err| store::explain(err.into(), &store.path, "write"))?;
    // Files an earlier run wrote but never committed (it was killed, or the disk was full)
    // would otherwise stay until the next commit, and on a full disk keep it from happening.
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|err| store::explain(err.into(), &store.path, "write"))?;
    let run = Run {
        fields: store.fields.clone(),
        catalog: &catalog,
        searcher,
        sidecars: Sidecars::new(Box::new(|file, message| observer.warned(file, message))),
        options,
        observer,
    };
    let walked = walk_and_update(&run, &mut writer, store, &roots, &walker, ids);
    let summary = walked.and_then(|(mut summary, kept)| {
        // An interrupted walk has not seen everything: what it did not find may be there.
        if !summary.interrupted {
            summary.removed = remove_gone(&writer, &run, &roots, &gone_files, &kept);
        }
        let walked: Vec<PathBuf> = roots
            .iter()
            .filter(|root| root.walked == root.path)
            .map(|root| root.path.clone())
            .collect();
        store.remember_roots(&walked, !summary.interrupted);
        if !summary.interrupted {
            for file in &gone_files {
                store.forget_roots(&path_from_bytes(file));
            }
        }
        commit(&mut writer, store)?;
        Ok(summary)
    });
    let mut summary = match summary {
        Ok(summary) => summary,
        Err(err) => return Err(abandon(writer, err, &store.path)),
    };
    writer
        .wait_merging_threads()
        .with_context(|| format!("cannot merge the index at {}", store.path.display()))?;
    copies::record(store);
    // Half a rebuild would be less than the index it replaces; the next writer removes it.
    if !(summary.interrupted && store.is_rebuilding()) {
        store.publish()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The roots named on the command line, as absolute paths. The index folder is quarry's own:
/// nothing inside it is indexed (a rebuild would delete it, and an update would index the
/// index). A path inside a root the index holds is walked as part of that root.
fn named_roots(
    roots: &[PathBuf],
    index_path: &Path,
    walker: &Walker,
    catalog: &Catalog,
    remembered: &[RootRecord],
) -> Result<Vec<Root>> {
    let remembered: Vec<PathBuf> = remembered.iter().map(RootRecord::path).collect();
    let held: BTreeSet<&[u8]> = catalog
        .values()
        .map(|indexed| indexed.root.as_slice())
        .chain(remembered.iter().map(|path| path_bytes(path)))
        .collect();
    roots
        .iter()
        .map(|root| {
            let path = root
                .canonicalize()
                .with_context(|| format!("cannot index {}", root.display()))?;
            if path.starts_with(index_path) {
                bail!(
                    "{} is inside the index folder {}, which holds only quarry's own files; \
                     move the articles out of it and index them there",
                    root.display(),
                    index_path.display()
                );
            }
            // A root of its own stays one; otherwise the innermost held root whose walk finds
            // this path.
            let own_root = held.contains(path_bytes(&path));
            let inside = held
                .iter()
                .rev()
                .map(|held| path_from_bytes(held))
                .filter(|_| !own_root)
                .find(|held| walker.reaches(held, &path));
            let walked = path.clone();
            let path = inside.unwrap_or(path);
            let device = fs::metadata(&path)
                .with_context(|| format!("cannot index {}", root.display()))?
                .dev();
            Ok(Root {
                path,
                walked,
                device,
                named: true,
            })
        })
        .collect()
}

/// Walks the roots and brings every article file found up to date. Gives the counts, and the
/// paths whose articles must stay whatever the walk found (or did not find) under them.
fn walk_and_update<'a>(
    run: &Run<'a>,
    writer: &mut IndexWriter,
    store: &mut Store,
    roots: &[Root],
    walker: &Walker,
    mut ids: Ids,
) -> Result<(Summary, Kept<'a>)> {
    let mut summary = Summary::default();
    let mut kept = Kept {
        // Borrowed from the catalog, so that a run over a new or rebuilt index keeps nothing
        // per file.
        unseen: run.catalog.keys().map(Vec::as_slice).collect(),
        failed: HashSet::new(),
    };
    let mut last_commit = Instant::now();
    // How many articles the walk of each root found.
    let mut found_per_root = vec![0_usize; roots.len()];
    // Each file with the id it is given if it is new here; one indexed here before keeps its id.
    let mut batch: Vec<(&Root, PathBuf, Format, Option<String>)> = Vec::with_capacity(BATCH_FILES);
    let mut found = roots
        .iter()
        .enumerate()
        .flat_map(|(at, root)| {
            walker
                .walk(&root.path, &root.walked)
                .map(move |found| (at, root, found))
        })
        .peekable();
    while found.peek().is_some() {
        if run.observer.interrupted() {
            summary.interrupted = true;
            break;
        }
        batch.clear();
        for (at, root, entry) in found.by_ref() {
            match entry {
                Found::Article(path, format) => {
                    found_per_root[at] += 1;
                    // Given here, in the walk's order, so that the same files get the same ids.
                    let known = run.catalog.get(path_bytes(&path));
                    let new_here = !known.is_some_and(|known| root.holds(known));
                    let id = new_here.then(|| ids.assign(&root.path, &path));
                    batch.push((root, path, format, id));
                }
                Found::Skipped(path, why) => {
                    run.observer.skipped(&path, &why);
                    summary.left_out(Reason::from(&why));
                }
                Found::Failed(path, reason) => {
                    // A folder that could not be listed may still hold every article the
                    // index has of it.
                    run.observer.failed(&path, &reason);
                    summary.failed += 1;
                    summary.left_out(Reason::Unreadable);
                    kept.failed.insert(path);
                }
                Found::Warned(path, message) => run.observer.warned(&path, &message),
            }
            if batch.len() == BATCH_FILES {
                break;
            }
        }
        let outcomes: Vec<Result<Outcome>> = batch
            .par_iter()
            .map(|(root, path, format, id)| {
                if run.observer.interrupted() {
                    return Ok(Outcome::Left);
                }
                let outcome = run.update(writer, root, path, *format, id.as_deref());
                run.observer.progressed();
                outcome
            })
            .collect();
        for ((_, path, _, _), outcome) in batch.iter().zip(outcomes) {
            let outcome = outcome?;
            if !matches!(
                outcome,
                Outcome::Vanished | Outcome::Rejected(_) | Outcome::Left
            ) {
                kept.unseen.remove(path_bytes(path));
            }
            match outcome {
                Outcome::Unchanged => summary.unchanged += 1,
                Outcome::Added(passages) => {
                    summary.added += 1;
                    summary.passages += passages;
                }
                Outcome::Updated(passages) => {
                    summary.updated += 1;
                    summary.passages += passages;
                }
                Outcome::Unreadable => {
                    summary.failed += 1;
                    summary.left_out(Reason::Unreadable);
                }
                Outcome::Rejected(reason) => {
                    summary.failed += 1;
                    summary.left_out(reason);
                }
                Outcome::Vanished => {}
                Outcome::Left => summary.interrupted = true,
            }
        }
        if last_commit.elapsed() >= run.options.commit_interval {
            commit(writer, store)?;
            last_commit = Instant::now();
        }
    }
    for (root, found) in roots.iter().zip(found_per_root) {
        // An interrupted walk may not have reached the root yet.
        if found > 0 || root.named || summary.interrupted {
            continue;
        }
        let held: usize = run
            .catalog
            .iter()
            .filter(|(path, _)| path_from_bytes(path).starts_with(&root.path))
            .map(|(_, indexed)| indexed.articles)
            .sum();
        if held > 0 {
            run.observer.failed(
                &root.path,
                &format!(
                    "holds no articles now (a drive not mounted?); its {held} articles stay in \
                     the index (name the folder to update it anyway)"
                ),
            );
            kept.failed.insert(root.path.clone());
        }
    }
    Ok((summary, kept))
}

/// What a walk tells about the files the index holds.
struct Kept<'a> {
    /// The files the index holds that the walk has not found (or found no longer articles).
    unseen: foldhash::HashSet<&'a [u8]>,
    /// Folders and files whose articles stay whatever the walk found: they could not be
    /// walked, or walked empty when they should not have.
    failed: HashSet<PathBuf>,
}

/// Queues the removal of the articles the index holds under the walked roots that the walk
/// did not find, and of the files indexed on their own that are gone. Gives how many.
fn remove_gone(
    writer: &IndexWriter,
    run: &Run,
    roots: &[Root],
    gone_files: &[Vec<u8>],
    kept: &Kept,
) -> usize {
    if kept.unseen.is_empty() && gone_files.is_empty() {
        return 0;
    }
    let mut removed = 0;
    for key in run.catalog.keys() {
        let path = path_from_bytes(key);
        let under_a_root = roots.iter().any(|root| path.starts_with(&root.walked));
        let gone = (under_a_root
            && kept.unseen.contains(key.as_slice())
            && !path.ancestors().any(|place| kept.failed.contains(place)))
            || gone_files.contains(key);
        if gone {
            writer.delete_term(Term::from_field_bytes(run.fields.path, key));
            removed += 1;
        }
    }
    removed
}

/// Gives up a run that failed: what it wrote since its last commit is rolled back and its
/// files removed, so that they neither fill the disk nor trouble the next run. Gives the error
/// that says why, with what it means for the index.
fn abandon(mut writer: IndexWriter, err: anyhow::Error, index: &Path) -> anyhow::Error {
    // When an indexing thread failed (a full disk, say), adding a document only says that
    // "an index writer was killed"; preparing a commit joins the threads and gives their error.
    let err = match writer.prepare_commit() {
        Err(cause) => anyhow::Error::from(cause),
        Ok(_prepared) => err,
    };
    if writer.rollback().is_ok() {
        // Best effort: if the disk is still full, the next writer collects them.
        let _ = writer.garbage_collect_files().wait();
    }
    store::explain(err, index, "write")
}

/// The roots the index holds, for a run given no PATH, and the files indexed on their own
/// that are gone. A folder gone from disk, or now on another device (an unmounted drive, a
/// moved folder), is reported and its articles kept, rather than emptied.
fn known_roots(
    catalog: &Catalog,
    remembered: &[RootRecord],
    index_path: &Path,
    observer: &dyn Observer,
) -> (Vec<Root>, Vec<Vec<u8>>) {
    let held = crate::roots::by_root(catalog, remembered);
    let mut present: Vec<Root> = Vec::new();
    let mut gone_files = Vec::new();
    for (root, crate::roots::Found { devices, .. }) in held {
        let path = path_from_bytes(&root);
        match fs::metadata(&path) {
            Ok(_) if path.starts_with(index_path) => {
                observer.failed(&path, "is inside the index folder; not updated");
            }
            Ok(metadata) if !devices.is_empty() && !devices.contains(&metadata.dev()) => observer
                .failed(
                    &path,
                    "is now on another device (a drive not mounted?); its articles stay in the \
                 index (name it to update it anyway)",
                ),
            Ok(metadata) => present.push(Root {
                walked: path.clone(),
                path,
                device: metadata.dev(),
                named: false,
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                if catalog.contains_key(&root) {
                    gone_files.push(root);
                } else if devices.is_empty() {
                    observer.failed(
                        &path,
                        "no longer exists; `quarry forget PATH` removes it from the index",
                    );
                } else {
                    observer.failed(
                        &path,
                        "no longer exists; its articles stay in the index (`quarry forget \
                         PATH` removes them)",
                    );
                }
            }
            Err(err) => observer.failed(
                &path,
                &format!("cannot be looked at ({err}); its articles stay in the index"),
            ),
        }
    }
    (present, gone_files)
}

/// The roots with those that the walk of another reaches left out, so that no file is walked,
/// and written, twice. A hidden folder inside a root stays: only its own walk finds it.
fn outermost(mut roots: Vec<Root>, walker: &Walker) -> Vec<Root> {
    // Paths sort component by component, so a root comes before everything inside it.
    roots.sort_by(|a, b| a.walked.cmp(&b.walked));
    let mut kept: Vec<Root> = Vec::with_capacity(roots.len());
    for root in roots {
        let reached = kept
            .iter()
            .any(|outer| walker.reaches(&outer.walked, &root.walked));
        if !reached {
            kept.push(root);
        }
    }
    kept
}

fn commit(writer: &mut IndexWriter, store: &mut Store) -> Result<()> {
    writer
        .commit()
        .with_context(|| format!("cannot commit the index at {}", store.path.display()))?;
    store.record_commit()
}

/// What every file of a run shares.
struct Run<'a> {
    fields: Fields,
    catalog: &'a Catalog,
    /// The index as the run found it.
    searcher: Searcher,
    sidecars: Sidecars<'a>,
    options: Options,
    observer: &'a dyn Observer,
}

impl Run<'_> {
    /// Brings one article file up to date in the index. Errors are the index's, not the
    /// file's: a file's own problems are reported and give [`Outcome::Unreadable`] or
    /// [`Outcome::Rejected`].
    fn update(
        &self,
        writer: &IndexWriter,
        root: &Root,
        path: &Path,
        format: Format,
        new_id: Option<&str>,
    ) -> Result<Outcome> {
        let report = |outcome: Outcome, reason: &str| {
            self.observer.failed(path, reason);
            Ok(outcome)
        };
        let unreadable = |reason: &str| report(Outcome::Unreadable, reason);
        let reject = |why: Reason, reason: &str| report(Outcome::Rejected(why), reason);
        let known = self.catalog.get(path_bytes(path));
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Outcome::Vanished),
            Err(err) => return unreadable(&err.to_string()),
        };
        // A mailbox is read a message at a time: the limit is on each message (see
        // `write_mailbox`).
        if metadata.len() > self.options.max_file_size && format != Format::Mbox {
            let limit = self.options.max_file_size;
            return reject(
                Reason::TooLarge,
                &format!(
                    "{} bytes, larger than --max-file-size ({limit} bytes); not indexed",
                    metadata.len()
                ),
            );
        }
        let supplied = match self.sidecars.lookup(path) {
            Ok(supplied) => supplied,
            Err(err) => return unreadable(&format!("{err:#}")),
        };
        let mut fingerprint = Fingerprint {
            size: metadata.len(),
            modified: metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |since| {
                    u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
                }),
            hash: 0,
            sidecar_hash: hash_of(&supplied),
        };
        // Found under the same root on the same device: otherwise rewritten, so that the
        // catalog records where it is now.
        let same_place = known.filter(|known| root.holds(known));
        let same = |known: &Fingerprint| {
            known.sidecar_hash == fingerprint.sidecar_hash
                && known.size == fingerprint.size
                && known.modified == fingerprint.modified
        };
        if same_place.is_some_and(|known| same(&known.fingerprint)) {
            return Ok(Outcome::Unchanged);
        }
        let file_id = match new_id {
            Some(id) => id.to_string(),
            None => ids::stored(&self.searcher, &self.fields, path)?
                .unwrap_or_else(|| article::id(&root.path, path)),
        };
        let file = File {
            root,
            path,
            id: &file_id,
            replaces: known.is_some(),
        };
        let written = if format == Format::Mbox {
            if supplied != Metadata::default() {
                self.observer.warned(
                    path,
                    "a sidecar's metadata describes one article, and a mailbox holds many: \
                     not used",
                );
            }
            self.write_mailbox(writer, &file, &mut fingerprint)?
        } else {
            self.write_file(writer, &file, format, supplied, &mut fingerprint)?
        };
        let passages = match written {
            Ok(passages) => passages,
            Err((Outcome::Vanished, _)) => return Ok(Outcome::Vanished),
            Err((outcome, reason)) => return report(outcome, &reason),
        };
        let unchanged_content = same_place.is_some_and(|known| {
            known.fingerprint.hash == fingerprint.hash
                && known.fingerprint.sidecar_hash == fingerprint.sidecar_hash
        });
        if unchanged_content {
            return Ok(Outcome::Unchanged);
        }
        self.observer.indexed(path, passages);
        Ok(match known {
            Some(_) => Outcome::Updated(passages),
            None => Outcome::Added(passages),
        })
    }

    /// Reads a file that is one article (and the articles it carries) and writes them in
    /// place of what the index holds of it. Rewritten even when only the modification time
    /// changed, so that the catalog records it and the next run needn't read the file again.
    /// Gives the passages written, or what became of a file that could not be read, and why.
    fn write_file(
        &self,
        writer: &IndexWriter,
        file: &File,
        format: Format,
        supplied: Metadata,
        fingerprint: &mut Fingerprint,
    ) -> Result<Written> {
        let bytes = match fs::read(file.path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err((Outcome::Vanished, String::new())));
            }
            Err(err) => return Ok(Err((Outcome::Unreadable, err.to_string()))),
        };
        fingerprint.hash = hash_of(&bytes);
        let article =
            match article::from_bytes(&bytes, file.path, file.id.to_string(), format, supplied) {
                Ok(article) => article,
                Err(err) => {
                    let why = match err.downcast_ref::<FormatError>() {
                        Some(FormatError::Binary) => Reason::Binary,
                        _ => Reason::Unreadable,
                    };
                    return Ok(Err((Outcome::Rejected(why), format!("{err:#}"))));
                }
            };
        let passages = article.all_passages();
        if passages == 0 {
            self.report_warnings(&article);
            let no_text = Outcome::Rejected(Reason::NoText);
            return Ok(Err((no_text, "no text to index".into())));
        }
        self.write_articles(writer, file, &article, fingerprint, file.replaces)?;
        Ok(Ok(passages))
    }

    /// Reads a mailbox a message at a time, writing each message and its attachments as they
    /// come, so that memory is that of one message whatever the file's size. A message that
    /// can't be read is reported and left out; the others are indexed.
    fn write_mailbox(
        &self,
        writer: &IndexWriter,
        file: &File,
        fingerprint: &mut Fingerprint,
    ) -> Result<Written> {
        let open = || match fs::File::open(file.path) {
            Ok(opened) => Ok(std::io::BufReader::new(opened)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err((Outcome::Vanished, String::new()))
            }
            Err(err) => Err((Outcome::Unreadable, err.to_string())),
        };
        // Hashed first: every article's first passage records the file's fingerprint.
        let hashed = open().and_then(|reader| {
            hash_of_reader(reader).map_err(|err| (Outcome::Unreadable, err.to_string()))
        });
        fingerprint.hash = match hashed {
            Ok(hash) => hash,
            Err(failed) => return Ok(Err(failed)),
        };
        let reader = match open() {
            Ok(reader) => reader,
            Err(failed) => return Ok(Err(failed)),
        };
        let mut passages = 0;
        let mut replaces = file.replaces;
        let messages = article::mailbox(reader, file.path, file.id, self.options.max_file_size);
        for message in messages {
            let message = match message {
                Ok(Ok(message)) => message,
                Ok(Err(left_out)) => {
                    let place = article::part_path(file.path, Some(&left_out.part));
                    self.observer.warned(&place, &left_out.reason);
                    continue;
                }
                Err(err) => {
                    // What was written of it would pass for the whole file at the next run.
                    writer.delete_term(Term::from_field_bytes(
                        self.fields.path,
                        path_bytes(file.path),
                    ));
                    let why = Outcome::Rejected(Reason::Unreadable);
                    return Ok(Err((why, format!("{err}"))));
                }
            };
            let written = message.all_passages();
            if written == 0 {
                self.report_warnings(&message);
                let place = article::part_path(file.path, message.part.as_deref());
                self.observer.warned(&place, "no text to index");
                continue;
            }
            self.write_articles(writer, file, &message, fingerprint, replaces)?;
            replaces = false;
            passages += written;
        }
        if passages == 0 {
            let no_text = Outcome::Rejected(Reason::NoText);
            return Ok(Err((no_text, "no message with text to index".into())));
        }
        Ok(Ok(passages))
    }

    /// Reports an article's warnings and writes it with those it carries; `replaces`: in
    /// place of what the index holds of its file.
    fn write_articles(
        &self,
        writer: &IndexWriter,
        file: &File,
        article: &Article,
        fingerprint: &Fingerprint,
        replaces: bool,
    ) -> Result<()> {
        self.report_warnings(article);
        // Files new to the index queue no delete: the writer keeps every queued delete until
        // the run ends, and one per file made memory grow with the corpus.
        if replaces {
            let path = path_bytes(file.path);
            writer.delete_term(Term::from_field_bytes(self.fields.path, path));
        }
        for one in article.with_attached() {
            self.add(writer, file.root, one, fingerprint)?;
        }
        Ok(())
    }

    /// Says what could not be read of an article and of those it carries, each under its name.
    fn report_warnings(&self, article: &Article) {
        for one in article.with_attached() {
            let place = article::part_path(&one.path, one.part.as_deref());
            for warning in &one.warnings {
                self.observer.warned(&place, warning);
            }
        }
    }

    /// Writes this article's passages.
    fn add(
        &self,
        writer: &IndexWriter,
        root: &Root,
        article: &Article,
        fingerprint: &Fingerprint,
    ) -> Result<()> {
        let fields = &self.fields;
        let path = path_bytes(&article.path);
        // Only compared with other stored keys, never recomputed when searching: any hash will
        // do.
        let article_key = hash_of(&(path, &article.part));
        let metadata: &Metadata = &article.metadata;
        let date = metadata
            .date
            .map(|day| DateTime::from_utc(day.midnight().assume_utc()));
        for (number, passage) in article.passages.iter().enumerate() {
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.text, &passage.text);
            if let Some(title) = &metadata.title {
                doc.add_text(fields.body, title);
            }
            doc.add_text(fields.body, &passage.text);
            doc.add_text(fields.article, &article.id);
            if let Some(part) = &article.part {
                doc.add_text(fields.part, part);
            }
            doc.add_bytes(fields.path, path);
            for (field, value) in [
                (fields.title, &metadata.title),
                (fields.source, &metadata.source),
                (fields.source_value, &metadata.source),
                (fields.author, &metadata.author),
                (fields.author_value, &metadata.author),
            ] {
                if let Some(value) = value {
                    doc.add_text(field, value);
                }
            }
            if let (Some(date), Some(origin)) = (date, metadata.date_origin) {
                doc.add_date(fields.date, date);
                doc.add_text(fields.date_origin, origin.as_str());
            }
            doc.add_u64(fields.first_line, passage.first_line.into());
            doc.add_u64(fields.last_line, passage.last_line.into());
            doc.add_bytes(fields.line_starts, &passage.lines.encode());
            let pages = PageMap::of(&article.page_starts, passage.first_line, passage.last_line);
            if !pages.is_empty() {
                doc.add_bytes(fields.pages, &pages.encode());
            }
            doc.add_u64(fields.passage, number as u64);
            doc.add_u64(fields.article_key, article_key);
            if number == 0 {
                // What the article as a whole needs once: the catalog, its root, and what
                // finds its copies.
                doc.add_bytes(fields.root, path_bytes(&root.path));
                doc.add_bytes(fields.signature, &Signature::of_article(article).encode());
                doc.add_u64(fields.root_device, root.device);
                add_fingerprint(&mut doc, fields, fingerprint);
            }
            writer.add_document(doc)?;
        }
        Ok(())
    }
}

fn add_fingerprint(doc: &mut TantivyDocument, fields: &Fields, fingerprint: &Fingerprint) {
    let values: [(Field, u64); 4] = [
        (fields.file_size, fingerprint.size),
        (fields.file_modified, fingerprint.modified),
        (fields.file_hash, fingerprint.hash),
        (fields.sidecar_hash, fingerprint.sidecar_hash),
    ];
    for (field, value) in values {
        doc.add_u64(field, value);
    }
}

/// A file being brought up to date.
struct File<'a> {
    root: &'a Root,
    path: &'a Path,
    /// Its id ([`crate::ids`]); the articles inside it add their part.
    id: &'a str,
    /// The index holds it: what it holds goes.
    replaces: bool,
}

/// The passages written of a file, or what became of it and why.
type Written = std::result::Result<usize, (Outcome, String)>;

/// A hash of what `reader` gives, read a piece at a time.
fn hash_of_reader(mut reader: impl std::io::BufRead) -> std::io::Result<u64> {
    let mut hasher = DefaultHasher::new();
    loop {
        let piece = match reader.fill_buf() {
            Ok(piece) => piece,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if piece.is_empty() {
            return Ok(hasher.finish());
        }
        hasher.write(piece);
        let read = piece.len();
        reader.consume(read);
    }
}

/// A 64-bit hash for telling contents apart. Stored hashes are only compared with hashes made
/// by a later run; should the hash function change with a new Rust, files are read once more.
fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::store::WriteOptions;

    struct Quiet;

    impl Observer for Quiet {
        fn failed(&self, path: &Path, reason: &str) {
            panic!("unexpected report: {}: {reason}", path.display());
        }
    }

    #[test]
    fn roots_inside_other_roots_are_left_out() {
        let roots = [
            "/a/b", "/c", "/a", "/ab", "/a/b/c", "/c", "/a/.h", "/a/.h/x", "/a/z",
        ]
        .map(PathBuf::from);
        let roots = roots
            .into_iter()
            .map(|path| Root {
                walked: path.clone(),
                path,
                device: 0,
                named: true,
            })
            .collect();
        let walker = Walker::new(&walk::Settings::default(), Path::new("/idx")).unwrap();
        let kept: Vec<PathBuf> = outermost(roots, &walker)
            .into_iter()
            .map(|root| root.walked)
            .collect();
        assert_eq!(kept, ["/a", "/a/.h", "/ab", "/c"].map(PathBuf::from));
    }

    /// Remembers what it is told.
    #[derive(Default)]
    struct Told(std::sync::Mutex<Vec<String>>);

    impl Observer for Told {
        fn failed(&self, path: &Path, reason: &str) {
            let mut told = self.0.lock().unwrap();
            told.push(format!("{}: {reason}", path.display()));
        }
    }

    #[test]
    fn a_root_now_on_another_device_is_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let real_device = fs::metadata(dir.path()).unwrap().dev();
        let mut catalog = Catalog::default();
        for (file, device) in [("a.txt", real_device + 1), ("b.txt", real_device + 2)] {
            let indexed = catalog::Indexed {
                root: path_bytes(dir.path()).to_vec(),
                root_device: device,
                fingerprint: Fingerprint::default(),
                articles: 1,
            };
            catalog.insert(path_bytes(&dir.path().join(file)).to_vec(), indexed);
        }
        let told = Told::default();
        let (present, gone) = known_roots(&catalog, &[], Path::new("/nonexistent-index"), &told);
        assert!(present.is_empty() && gone.is_empty());
        let told = told.0.into_inner().unwrap();
        assert!(told[0].contains("another device"), "{told:?}");
        // Recorded on the device it is on now (among others): walked.
        catalog.values_mut().next().unwrap().root_device = real_device;
        let (present, _) = known_roots(&catalog, &[], Path::new("/nonexistent-index"), &Quiet);
        assert_eq!(present.len(), 1);
    }

    #[test]
    fn a_file_deleted_between_the_walk_and_the_read_has_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _lock) =
            Store::open_for_writing(&dir.path().join("idx"), WriteOptions::default()).unwrap();
        let writer: IndexWriter = store.index.writer_with_num_threads(1, 15 << 20).unwrap();
        let catalog = Catalog::default();
        let run = Run {
            fields: store.fields.clone(),
            catalog: &catalog,
            searcher: store.reader().unwrap().searcher(),
            sidecars: Sidecars::new(Box::new(|_, _| {})),
            options: Options {
                max_file_size: 1 << 20,
                commit_interval: Duration::from_secs(10),
                walk: walk::Settings::default(),
            },
            observer: &Quiet,
        };
        let gone = dir.path().join("gone.txt");
        let root = Root {
            path: dir.path().to_path_buf(),
            walked: dir.path().to_path_buf(),
            device: 0,
            named: true,
        };
        let outcome = run.update(&writer, &root, &gone, Format::Text, Some("gone"));
        let outcome = outcome.unwrap();
        assert!(matches!(outcome, Outcome::Vanished));
    }
}
