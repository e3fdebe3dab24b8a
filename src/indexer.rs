//! Building and updating the index: walk the roots, compare each file with what the index holds
//! of it (the [`catalog`]), read new and changed files in parallel, write one document per
//! passage, and remove the files gone from disk.
//!
//! The walk is processed in batches, so memory stays bounded whatever the number of files, and
//! the index is committed at least every [`Options::commit_interval`]: a run killed at any
//! moment leaves the last commit readable, and the next run picks up from it.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::schema::Field;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::article::{self, Article, Format, Metadata, Sidecars};
use crate::catalog::{self, Catalog, Fingerprint};
use crate::schema::Fields;
use crate::store::Store;
use crate::walk::{self, Found, path_text};

/// Memory the index writer may buffer before it writes a segment, per indexing thread.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
/// Indexing threads; more than this brings nothing but memory use.
const MAX_WRITER_THREADS: usize = 4;
/// Files looked at together: the walk is read this far ahead, no further.
const BATCH_FILES: usize = 2048;

/// How to index.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Files larger than this many bytes are reported and left out.
    pub max_file_size: u64,
    /// Commit at least this often, so that an interrupted run keeps its progress.
    pub commit_interval: Duration,
}

/// What one `quarry index` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Files that are not articles (other extensions, links).
    pub skipped: usize,
    /// Files that could not be indexed; each was reported.
    pub failed: usize,
    /// Passages written (of added and updated articles).
    pub passages: usize,
    pub elapsed: Duration,
}

/// Hears about the run as it goes.
pub trait Observer: Sync {
    /// A file could not be indexed; the run goes on.
    fn failed(&self, path: &Path, reason: &str);
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
    Rejected,
    /// Gone between the walk and the read.
    Vanished,
}

/// Indexes the articles under `roots` (folders or files; none: every root the index holds):
/// new and changed files are read, unchanged ones kept, and files gone from under the roots
/// removed.
pub fn index(
    store: &mut Store,
    roots: &[PathBuf],
    options: Options,
    observer: &dyn Observer,
) -> Result<Summary> {
    let started = Instant::now();
    let catalog = catalog::load(store)?;
    let mut gone_files = Vec::new();
    let roots = if roots.is_empty() {
        let (present, gone) = known_roots(&catalog, observer);
        gone_files = gone;
        present
    } else {
        roots
            .iter()
            .map(|root| {
                root.canonicalize()
                    .with_context(|| format!("cannot index {}", root.display()))
            })
            .collect::<Result<Vec<_>>>()?
    };
    let index_path = store
        .path
        .canonicalize()
        .unwrap_or_else(|_| store.path.clone());
    let roots = outermost(roots, &index_path);
    if observer.wants_total() {
        let total = roots
            .iter()
            .flat_map(|root| walk::walk(root, &index_path))
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
        .with_context(|| format!("cannot write to the index at {}", store.path.display()))?;
    let run = Run {
        fields: store.fields.clone(),
        catalog: &catalog,
        sidecars: Sidecars::default(),
        options,
        observer,
    };
    let mut summary = Summary::default();
    // What the index holds that the walk has not found yet: borrowed from the catalog, so
    // that a run over a new or rebuilt index keeps nothing per file.
    let mut unseen: foldhash::HashSet<&str> = catalog.keys().map(String::as_str).collect();
    let mut last_commit = Instant::now();
    let mut batch: Vec<(&Path, PathBuf, Format)> = Vec::with_capacity(BATCH_FILES);
    let mut found = roots
        .iter()
        .flat_map(|root| walk::walk(root, &index_path).map(move |found| (root, found)))
        .peekable();
    while found.peek().is_some() {
        batch.clear();
        for (root, entry) in found.by_ref() {
            match entry {
                Found::Article(path, format) => batch.push((root, path, format)),
                Found::Skipped(_) => summary.skipped += 1,
                Found::Failed(path, reason) => {
                    observer.failed(&path, &reason);
                    summary.failed += 1;
                }
            }
            if batch.len() == BATCH_FILES {
                break;
            }
        }
        let outcomes: Vec<Result<Outcome>> = batch
            .par_iter()
            .map(|(root, path, format)| {
                let outcome = run.update(&writer, root, path, *format);
                observer.progressed();
                outcome
            })
            .collect();
        for ((_, path, _), outcome) in batch.iter().zip(outcomes) {
            let outcome = outcome?;
            if !matches!(outcome, Outcome::Vanished | Outcome::Rejected) {
                unseen.remove(path_text(path).as_str());
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
                Outcome::Unreadable | Outcome::Rejected => summary.failed += 1,
                Outcome::Vanished => {}
            }
        }
        if last_commit.elapsed() >= options.commit_interval {
            commit(&mut writer, store)?;
            last_commit = Instant::now();
        }
    }

    // Files the index holds under these roots that the walk did not find are gone.
    let root_texts: Vec<String> = roots.iter().map(|root| path_text(root)).collect();
    for path in catalog.keys() {
        let under_a_root = root_texts
            .iter()
            .any(|root| Path::new(path).starts_with(root));
        let gone = (under_a_root && unseen.contains(path.as_str())) || gone_files.contains(path);
        if gone {
            writer.delete_term(Term::from_field_text(store.fields.path, path));
            summary.removed += 1;
        }
    }
    commit(&mut writer, store)?;
    writer
        .wait_merging_threads()
        .with_context(|| format!("cannot merge the index at {}", store.path.display()))?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The roots the index holds, for a run given no PATH, and the files indexed on their own
/// that are gone. A folder gone from disk (an unmounted drive, a moved folder) is reported and
/// its articles kept, rather than emptied.
fn known_roots(catalog: &Catalog, observer: &dyn Observer) -> (Vec<PathBuf>, Vec<String>) {
    let mut roots: Vec<&str> = catalog
        .values()
        .map(|indexed| indexed.root.as_str())
        .collect();
    roots.sort_unstable();
    roots.dedup();
    let mut present = Vec::new();
    let mut gone_files = Vec::new();
    for root in roots {
        let path = PathBuf::from(root);
        if path.exists() {
            present.push(path);
        } else if catalog.contains_key(root) {
            gone_files.push(root.to_string());
        } else {
            observer.failed(&path, "no longer exists; its articles stay in the index");
        }
    }
    (present, gone_files)
}

/// The roots with those that the walk of another reaches left out, so that no file is walked,
/// and written, twice. A hidden folder inside a root stays: only its own walk finds it.
fn outermost(mut roots: Vec<PathBuf>, index_path: &Path) -> Vec<PathBuf> {
    // Paths sort component by component, so a root comes before everything inside it.
    roots.sort_unstable();
    let mut kept: Vec<PathBuf> = Vec::with_capacity(roots.len());
    for root in roots {
        if !kept
            .iter()
            .any(|outer| walk::reaches(outer, &root, index_path))
        {
            kept.push(root);
        }
    }
    kept
}

fn commit(writer: &mut IndexWriter, store: &mut Store) -> Result<()> {
    writer
        .commit()
        .with_context(|| format!("cannot commit the index at {}", store.path.display()))?;
    store.record_update()
}

/// What every file of a run shares.
struct Run<'a> {
    fields: Fields,
    catalog: &'a Catalog,
    sidecars: Sidecars,
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
        root: &Path,
        path: &Path,
        format: Format,
    ) -> Result<Outcome> {
        let report = |outcome: Outcome, reason: &str| {
            self.observer.failed(path, reason);
            Ok(outcome)
        };
        let unreadable = |reason: &str| report(Outcome::Unreadable, reason);
        let reject = |reason: &str| report(Outcome::Rejected, reason);
        let key = path_text(path);
        let root_key = path_text(root);
        let known = self.catalog.get(&key);
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Outcome::Vanished),
            Err(err) => return unreadable(&err.to_string()),
        };
        if metadata.len() > self.options.max_file_size {
            let limit = self.options.max_file_size;
            return reject(&format!(
                "{} bytes, larger than --max-file-size ({limit} bytes); not indexed",
                metadata.len()
            ));
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
        let same_place = known.filter(|known| known.root == root_key);
        let same = |known: &Fingerprint| {
            known.sidecar_hash == fingerprint.sidecar_hash
                && known.size == fingerprint.size
                && known.modified == fingerprint.modified
        };
        if same_place.is_some_and(|known| same(&known.fingerprint)) {
            return Ok(Outcome::Unchanged);
        }
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Outcome::Vanished),
            Err(err) => return unreadable(&err.to_string()),
        };
        fingerprint.hash = hash_of(&bytes);
        let id = article::id(root, path);
        let article = match article::from_bytes(&bytes, path, id, format, supplied) {
            Ok(article) if article.passages.is_empty() => return reject("no text to index"),
            Ok(article) => article,
            Err(err) => return reject(&format!("{err:#}")),
        };
        // Rewritten even when only the modification time changed, so that the catalog
        // records it and the next run needn't read the file again.
        self.add(writer, root, &article, &fingerprint, known.is_some())?;
        let unchanged_content = same_place.is_some_and(|known| {
            known.fingerprint.hash == fingerprint.hash
                && known.fingerprint.sidecar_hash == fingerprint.sidecar_hash
        });
        if unchanged_content {
            return Ok(Outcome::Unchanged);
        }
        self.observer.indexed(path, article.passages.len());
        Ok(match known {
            Some(_) => Outcome::Updated(article.passages.len()),
            None => Outcome::Added(article.passages.len()),
        })
    }

    /// Writes this article's passages; `replaces`: in place of what the index already holds
    /// for its file. Files new to the index queue no delete: the writer keeps every queued
    /// delete until the run ends, and one per file made memory grow with the corpus.
    fn add(
        &self,
        writer: &IndexWriter,
        root: &Path,
        article: &Article,
        fingerprint: &Fingerprint,
        replaces: bool,
    ) -> Result<()> {
        let fields = &self.fields;
        let path = path_text(&article.path);
        if replaces {
            writer.delete_term(Term::from_field_text(fields.path, &path));
        }
        let root = path_text(root);
        // Only compared with other stored keys, never recomputed when searching: any hash will
        // do.
        let article_key = hash_of(&path);
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
            doc.add_text(fields.path, &path);
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
            doc.add_u64(fields.passage, number as u64);
            doc.add_u64(fields.article_key, article_key);
            if number == 0 {
                // What the article as a whole needs once: the catalog, and its root.
                doc.add_text(fields.root, &root);
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
    use crate::store::WriteOptions;

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
        assert_eq!(
            outermost(roots.to_vec(), Path::new("/idx")),
            ["/a", "/a/.h", "/ab", "/c"].map(PathBuf::from)
        );
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
            sidecars: Sidecars::default(),
            options: Options {
                max_file_size: 1 << 20,
                commit_interval: Duration::from_secs(10),
            },
            observer: &Quiet,
        };
        let gone = dir.path().join("gone.txt");
        let outcome = run
            .update(&writer, dir.path(), &gone, Format::Text)
            .unwrap();
        assert!(matches!(outcome, Outcome::Vanished));
    }
}
