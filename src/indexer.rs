//! Building the index: walk the roots, read articles in parallel, write one document per passage.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::schema::Field;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::article::{self, Article, Sidecars};
use crate::schema::Fields;
use crate::store::Store;
use crate::walk::{self, Found};

/// Memory the index writer may buffer before it writes a segment, per indexing thread.
const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;
/// Indexing threads; more than this brings nothing but memory use.
const MAX_WRITER_THREADS: usize = 4;

/// What one `quarry index` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub passages: usize,
    /// Files that are not articles (other extensions, links).
    pub skipped: usize,
    /// Files that could not be read or held no text; each was reported.
    pub failed: usize,
    pub elapsed: Duration,
}

/// Tells the caller about one file: a problem (reported, and the run goes on), or a success.
pub type Report<'a> = &'a (dyn Fn(&Path, &str) + Sync);

/// Indexes every article under `roots`, replacing what the index held for those roots.
/// `report` hears of each file that could not be indexed, `indexed` of each that was.
pub fn index(
    store: &mut Store,
    roots: &[PathBuf],
    report: Report,
    indexed: Report,
) -> Result<Summary> {
    let started = Instant::now();
    let roots = roots
        .iter()
        .map(|root| {
            root.canonicalize()
                .with_context(|| format!("cannot index {}", root.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    let index_path = store
        .path
        .canonicalize()
        .unwrap_or_else(|_| store.path.clone());

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_WRITER_THREADS);
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
        .with_context(|| format!("cannot write to the index at {}", store.path.display()))?;
    let fields = &store.fields.clone();
    for root in &roots {
        writer.delete_term(path_term(fields.root, root));
    }

    let counts = Counts::default();
    let sidecars = Sidecars::default();
    let found = roots
        .iter()
        .flat_map(|root| walk::walk(root, &index_path).map(move |found| (root, found)));
    found.par_bridge().try_for_each(|(root, found)| {
        match found {
            Found::Article(path, format) => {
                let id = article::id(root, &path);
                match article::read(&path, id, format, &sidecars) {
                    Ok(article) if article.passages.is_empty() => {
                        report(&path, "no text to index");
                        counts.failed.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(article) => {
                        add_article(&writer, fields, root, &article)?;
                        indexed(&path, &format!("{} passages", article.passages.len()));
                        counts.articles.fetch_add(1, Ordering::Relaxed);
                        counts
                            .passages
                            .fetch_add(article.passages.len(), Ordering::Relaxed);
                    }
                    Err(err) => {
                        report(&path, &format!("{err:#}"));
                        counts.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            Found::Skipped(_) => {
                counts.skipped.fetch_add(1, Ordering::Relaxed);
            }
            Found::Failed(path, reason) => {
                report(&path, &reason);
                counts.failed.fetch_add(1, Ordering::Relaxed);
            }
        }
        anyhow::Ok(())
    })?;

    writer
        .commit()
        .with_context(|| format!("cannot commit the index at {}", store.path.display()))?;
    writer
        .wait_merging_threads()
        .with_context(|| format!("cannot merge the index at {}", store.path.display()))?;
    store.record_update()?;
    Ok(Summary {
        articles: counts.articles.into_inner(),
        passages: counts.passages.into_inner(),
        skipped: counts.skipped.into_inner(),
        failed: counts.failed.into_inner(),
        elapsed: started.elapsed(),
    })
}

#[derive(Default)]
struct Counts {
    articles: AtomicUsize,
    passages: AtomicUsize,
    skipped: AtomicUsize,
    failed: AtomicUsize,
}

/// Replaces whatever the index held for this article's file with its passages.
fn add_article(
    writer: &IndexWriter,
    fields: &Fields,
    root: &Path,
    article: &Article,
) -> Result<()> {
    writer.delete_term(path_term(fields.path, &article.path));
    let root = root.to_string_lossy();
    let path = article.path.to_string_lossy();
    // Only compared with other stored keys, never recomputed when searching: any hash will do.
    let article_key = {
        let mut hasher = std::hash::DefaultHasher::new();
        path.hash(&mut hasher);
        hasher.finish()
    };
    let metadata = &article.metadata;
    let date = metadata
        .date
        .map(|day| DateTime::from_utc(day.midnight().assume_utc()));
    for (number, passage) in article.passages.iter().enumerate() {
        let mut doc = TantivyDocument::new();
        doc.add_text(fields.text, &passage.text);
        doc.add_text(fields.article, &article.id);
        doc.add_text(fields.path, &path);
        doc.add_text(fields.root, &root);
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
        writer.add_document(doc)?;
    }
    Ok(())
}

fn path_term(field: Field, path: &Path) -> Term {
    Term::from_field_text(field, &path.to_string_lossy())
}
