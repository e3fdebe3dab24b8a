//! The index on disk: where it lives; creating, opening, locking and rebuilding it.
//!
//! A quarry index is a folder holding:
//! - `quarry.json`, the marker: the layout version, which generation is live, and when (and by
//!   which quarry) it was last written. Written by renaming a finished file over it, so it is
//!   always whole;
//! - `quarry.lock`, held by the one `quarry index` allowed to write at a time;
//! - `generation-N/`, a tantivy index: the live one the marker names, and while a rebuild runs
//!   the next one. A rebuild fills a new generation beside the live one and switches the marker
//!   to it only when it is complete, so queries meanwhile, and after a rebuild that was killed,
//!   see the old index whole.
//!
//! Tantivy writes its files so that a crash at any moment leaves the last commit readable.
//! quarry only ever deletes files it recognises as its own or tantivy's, inside a folder whose
//! marker it can read.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

mod damage;
mod read_only;

pub use damage::{explain, guard};
use read_only::ReadOnlyTolerant;

use crate::analyzer;
use crate::index::schema::{self, Fields};
use crate::paths::{path_bytes, path_from_bytes, path_text};

/// Environment variable naming the index folder when `--index` is not given.
pub const INDEX_ENV: &str = "QUARRY_INDEX";

/// Version of the on-disk layout (folders, schema and analyzer). Bump it whenever an index
/// written by an older quarry would be read wrongly by this one.
const LAYOUT_VERSION: u32 = 9;

/// File beside the generations that marks a folder as a quarry index.
const MARKER_FILE: &str = "quarry.json";
/// The marker while it is written, before it is renamed over the old one.
const UNFINISHED_MARKER_FILE: &str = "quarry.json.new";
/// File locked by the `quarry index` writing the index, holding who it is.
const LOCK_FILE: &str = "quarry.lock";
/// Generation folders are named this, then their number.
const GENERATION_PREFIX: &str = "generation-";
/// What to do about an index that can't be read.
pub const REBUILD_ADVICE: &str = "rebuild it with `quarry index --rebuild PATH...`";

/// What `quarry.json` records about the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub layout: u32,
    /// Version of the quarry that last wrote the index.
    pub quarry_version: String,
    /// When the index was last written, in seconds since the Unix epoch.
    #[serde(default)]
    pub updated: Option<u64>,
    /// The live generation (layout 3 on; older layouts kept tantivy's files beside the marker).
    #[serde(default)]
    pub generation: Option<u32>,
    /// The folders and files named to `quarry index`, remembered even while they hold no
    /// articles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roots: Vec<RootRecord>,
    /// The `--exclude` globs and `--follow-links` in force, for the runs that give neither.
    #[serde(default)]
    pub walk: crate::walk::Settings,
}

/// A folder (or file) named to `quarry index`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootRecord {
    /// The path as text; exact unless `path_bytes` is given.
    pub path: String,
    /// The path's bytes, when they are not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<Vec<u8>>,
    /// When a run last walked it to the end, in seconds since the Unix epoch.
    #[serde(default)]
    pub updated: Option<u64>,
}

impl RootRecord {
    pub fn new(path: &Path, updated: Option<u64>) -> RootRecord {
        let bytes = path_bytes(path);
        RootRecord {
            path: path_text(path),
            path_bytes: std::str::from_utf8(bytes).is_err().then(|| bytes.to_vec()),
            updated,
        }
    }

    pub fn path(&self) -> PathBuf {
        match &self.path_bytes {
            Some(bytes) => path_from_bytes(bytes),
            None => PathBuf::from(&self.path),
        }
    }
}

impl Marker {
    fn now(generation: u32) -> Marker {
        Marker {
            layout: LAYOUT_VERSION,
            quarry_version: env!("CARGO_PKG_VERSION").to_string(),
            updated: Some(now_seconds()),
            generation: Some(generation),
            roots: Vec::new(),
            walk: crate::walk::Settings::default(),
        }
    }

    /// This marker, written now for `generation`: what it remembers stays.
    fn renewed(&mut self, generation: u32) {
        let walk = std::mem::take(&mut self.walk);
        let roots = std::mem::take(&mut self.roots);
        *self = Marker {
            walk,
            roots,
            ..Marker::now(generation)
        };
    }
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// An open quarry index.
pub struct Store {
    /// The index folder.
    pub path: PathBuf,
    /// The generation folder `index` lives in.
    pub generation_path: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub marker: Marker,
    /// For a rebuild: the generation being filled, which [`Store::publish`] makes live.
    pending: Option<u32>,
    /// For searching: the reader made when the index was opened.
    opened: Option<IndexReader>,
}

/// What [`Store::verify`] found.
pub struct Verified {
    /// Files of the live segments, and their size.
    pub files: usize,
    pub bytes: u64,
    /// Those whose checksum does not match, relative to the generation folder.
    pub damaged: Vec<PathBuf>,
    pub articles: usize,
    pub passages: u64,
}

/// The right to write an index, held until dropped (or until the process dies: the operating
/// system releases the lock, so a killed run never blocks the next one).
pub struct WriteLock {
    _file: File,
}

/// Who holds a write lock, as written in `quarry.lock`.
#[derive(Serialize, Deserialize)]
struct Holder {
    pid: u32,
    started: u64,
}

/// How to open an index for writing.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Start from an empty index (the live one stays until the new one is published).
    pub rebuild: bool,
    /// Wait for another writer to finish instead of failing.
    pub wait: bool,
}

/// Where the index lives: `--index`, else `$QUARRY_INDEX`, else the platform's data folder.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(INDEX_ENV).filter(|value| !value.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    match dirs::data_dir() {
        Some(data) => Ok(data.join("quarry").join("index")),
        None => bail!(
            "cannot tell where to keep the index: this system has no data folder; \
             pass --index DIR or set {INDEX_ENV}"
        ),
    }
}

/// What a folder given as the index holds.
enum Contents {
    /// Nothing yet (or only a lock left by a first run that never committed).
    Empty,
    /// A quarry index, with its marker.
    Index(Marker),
    /// Only quarry's own folders and files, but its marker is gone or damaged: the newest
    /// generation that has a tantivy index with quarry's fields, if any.
    Unmarked(Option<u32>),
    /// Files quarry did not make: never written to, never emptied.
    Foreign(String),
}

fn examine(path: &Path) -> Result<Contents> {
    if path.exists() && !path.is_dir() {
        return Ok(Contents::Foreign(format!(
            "{} is a file, not an index folder; choose a folder for --index",
            path.display()
        )));
    }
    let marker_path = path.join(MARKER_FILE);
    let unreadable_marker = match fs::read(&marker_path) {
        Ok(bytes) => match serde_json::from_slice::<Marker>(&bytes) {
            Ok(marker) => return Ok(Contents::Index(marker)),
            Err(_) => true,
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", marker_path.display()));
        }
    };
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::Empty),
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read the folder {}", path.display()));
        }
    };
    let mut generations = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder {}", path.display()))?;
        let name = entry.file_name();
        if name == LOCK_FILE || name == UNFINISHED_MARKER_FILE || name == MARKER_FILE {
            continue;
        }
        match generation_number(&name) {
            Some(number) if entry.path().is_dir() => generations.push(number),
            _ if name == "meta.json" => {
                return Ok(Contents::Foreign(format!(
                    "{} holds a tantivy index that quarry did not write (no {MARKER_FILE}); \
                     choose another folder for --index",
                    path.display()
                )));
            }
            _ if unreadable_marker => return Ok(not_a_marker(path)),
            _ => {
                return Ok(Contents::Foreign(format!(
                    "{} is not empty and holds no quarry index; choose an empty or new folder \
                     for --index",
                    path.display()
                )));
            }
        }
    }
    // A marker quarry can't read is taken for damage only beside quarry's generations: alone,
    // it may be anybody's file of that name.
    if generations.is_empty() && unreadable_marker {
        return Ok(not_a_marker(path));
    }
    if generations.is_empty() {
        return Ok(Contents::Empty);
    }
    generations.sort_unstable();
    let usable = generations.into_iter().rev().find(|&number| {
        let folder = path.join(generation_name(number));
        Index::open_in_dir(&folder).is_ok_and(|index| Fields::from_schema(&index.schema()).is_ok())
    });
    Ok(Contents::Unmarked(usable))
}

fn not_a_marker(path: &Path) -> Contents {
    Contents::Foreign(format!(
        "{} holds a {MARKER_FILE} that quarry did not write, so it is not a quarry index; \
         choose another folder for --index",
        path.display()
    ))
}

fn generation_name(number: u32) -> String {
    format!("{GENERATION_PREFIX}{number}")
}

fn generation_number(name: &std::ffi::OsStr) -> Option<u32> {
    let digits = name.to_str()?.strip_prefix(GENERATION_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether an index folder exists at `path` (with or without its marker): `quarry index`
/// given no folders needs one to know what to update.
pub fn exists(path: &Path) -> bool {
    matches!(
        examine(path),
        Ok(Contents::Index(_) | Contents::Unmarked(Some(_)))
    )
}

impl Store {
    /// Opens an existing index for searching. Needs only read access to the folder.
    pub fn open(path: &Path) -> Result<Store> {
        let before = Store::live_generation_of(path);
        let first = Store::open_live(path);
        // A rebuild may have switched generations and removed the old one between reading the
        // marker and opening the files: then the new one is opened.
        if first.is_err() && Store::live_generation_of(path) != before {
            return Store::open_live(path);
        }
        first
    }

    fn live_generation_of(path: &Path) -> Option<u32> {
        match examine(path) {
            Ok(Contents::Index(marker)) => marker.generation,
            _ => None,
        }
    }

    /// Opens the generation the marker names, with a reader, so that every file it needs is
    /// open before anything can remove it.
    fn open_live(path: &Path) -> Result<Store> {
        let marker = match examine(path)? {
            Contents::Index(marker) => marker,
            Contents::Empty => bail!(
                "no index at {}: build one with `quarry index DIR` \
                 (or point to another with --index DIR or {INDEX_ENV})",
                path.display()
            ),
            Contents::Unmarked(Some(_)) => bail!(
                "the index at {} has lost its {MARKER_FILE} (missing or damaged); \
                 `quarry index --index {}` restores it, keeping every article",
                path.display(),
                path.display()
            ),
            Contents::Unmarked(None) => bail!(
                "the index at {} has lost its {MARKER_FILE} and holds no readable generation; \
                 {REBUILD_ADVICE}",
                path.display()
            ),
            Contents::Foreign(why) => bail!("{why}"),
        };
        let generation = live_generation(path, &marker)?;
        let folder = path.join(generation_name(generation));
        let index = damage::guard(path, "open", || {
            let directory = ReadOnlyTolerant::open(&folder)?;
            Ok(Index::open(directory)?)
        })?;
        let mut store = Store::with_analyzer(path, folder, index, marker, None)?;
        store.opened = Some(store.reader()?);
        Ok(store)
    }

    /// Opens the index for writing, creating it (and its folder) when there is none yet. With
    /// `rebuild`, writes go to a new, empty generation that [`Store::publish`] makes live.
    /// Fails at once while another `quarry index` writes it, unless told to wait.
    pub fn open_for_writing(path: &Path, options: WriteOptions) -> Result<(Store, WriteLock)> {
        if let Contents::Foreign(why) = examine(path)? {
            bail!("{why}");
        }
        fs::create_dir_all(path)
            .with_context(|| format!("cannot create the index folder {}", path.display()))?;
        let lock = lock(path, options.wait)?;
        // Examined again under the lock: another writer may have changed it meanwhile.
        let marker = match examine(path)? {
            Contents::Foreign(why) => bail!("{why}"),
            Contents::Index(marker) => Some(marker),
            Contents::Empty => None,
            Contents::Unmarked(Some(generation)) => {
                let marker = Marker::now(generation);
                write_marker(path, &marker)?;
                crate::messages::warn(&format!(
                    "the index at {} had lost its {MARKER_FILE} (missing or damaged); \
                     restored it (generation {generation})",
                    path.display()
                ));
                Some(marker)
            }
            Contents::Unmarked(None) if options.rebuild => None,
            Contents::Unmarked(None) => bail!(
                "the index at {} has lost its {MARKER_FILE} and holds no readable generation; \
                 {REBUILD_ADVICE}",
                path.display()
            ),
        };
        let live = match &marker {
            Some(marker) if options.rebuild => marker.generation,
            Some(marker) => Some(live_generation(path, marker)?),
            None => None,
        };
        remove_leftovers(path, live)?;
        let store = match (marker, live) {
            (Some(marker), Some(generation)) if !options.rebuild => {
                let folder = path.join(generation_name(generation));
                let index = damage::guard(path, "open", || Ok(Index::open_in_dir(&folder)?))?;
                Store::with_analyzer(path, folder, index, marker, None)?
            }
            (marker, _) => {
                let next = live.map_or(1, |generation| generation + 1);
                let folder = path.join(generation_name(next));
                fs::create_dir(&folder)
                    .with_context(|| format!("cannot create {}", folder.display()))?;
                let index = Index::builder()
                    .schema(schema::build())
                    .settings(schema::settings())
                    .create_in_dir(&folder)
                    .with_context(|| format!("cannot create an index in {}", folder.display()))?;
                match marker {
                    // The live index stays until the new one is complete.
                    Some(marker) => Store::with_analyzer(path, folder, index, marker, Some(next))?,
                    None => {
                        let marker = Marker::now(next);
                        write_marker(path, &marker)?;
                        Store::with_analyzer(path, folder, index, marker, None)?
                    }
                }
            }
        };
        Ok((store, lock))
    }

    /// A reader of the last commit; fails with advice when segment files are missing or bad.
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = &self.opened {
            return Ok(reader.clone());
        }
        damage::guard(&self.path, "read", || {
            Ok(self
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?)
        })
    }

    /// Records a commit: the marker says when the live index was last written. A rebuild's
    /// commits are not live yet and leave the marker alone.
    pub fn record_commit(&mut self) -> Result<()> {
        if self.pending.is_some() {
            return Ok(());
        }
        let generation = self.marker.generation.unwrap_or(1);
        self.marker.renewed(generation);
        write_marker(&self.path, &self.marker)
    }

    /// Remembers the roots a run walked (`updated`: to the end, now). A rebuild forgets the
    /// others; the marker records them with the next commit.
    pub fn remember_roots(&mut self, walked: &[PathBuf], updated: bool) {
        if self.pending.is_some() {
            self.marker.roots.clear();
        }
        let when = updated.then(now_seconds);
        for path in walked {
            // A root inside this one is walked as part of it from now on.
            self.marker
                .roots
                .retain(|held| held.path() == *path || !held.path().starts_with(path));
            let record = RootRecord::new(path, when);
            match self
                .marker
                .roots
                .iter_mut()
                .find(|held| held.path() == *path)
            {
                Some(held) => held.updated = record.updated.or(held.updated),
                None => self.marker.roots.push(record),
            }
        }
        self.marker.roots.sort_by_key(RootRecord::path);
    }

    /// Forgets the roots at or inside `place`; gives how many.
    pub fn forget_roots(&mut self, place: &Path) -> usize {
        let before = self.marker.roots.len();
        self.marker
            .roots
            .retain(|held| !held.path().starts_with(place));
        before - self.marker.roots.len()
    }

    /// Whether writes go to a rebuilt generation that is not live yet.
    pub fn is_rebuilding(&self) -> bool {
        self.pending.is_some()
    }

    /// Makes a rebuilt generation live, and removes the one it replaces. For an update in
    /// place, the same as [`Store::record_commit`].
    pub fn publish(&mut self) -> Result<()> {
        let Some(next) = self.pending.take() else {
            return self.record_commit();
        };
        self.marker.renewed(next);
        write_marker(&self.path, &self.marker)?;
        // The new index is live: what is left of the old one is litter, removed now or by the
        // next writer.
        remove_leftovers(&self.path, Some(next))
    }

    /// Verifies every file of the live generation against its checksum, then opens a reader
    /// and reads the catalog, as `quarry index` would.
    pub fn verify(&self) -> Result<Verified> {
        damage::guard(&self.path, "check", || {
            let live: Vec<String> = self
                .index
                .searchable_segment_metas()?
                .iter()
                .map(|meta| meta.id().uuid_string())
                .collect();
            let (mut files, mut bytes) = (0, 0);
            for entry in fs::read_dir(&self.generation_path)? {
                let entry = entry?;
                let name = entry.file_name();
                let of_a_live_segment = name
                    .to_str()
                    .and_then(|name| name.split_once('.'))
                    .is_some_and(|(id, _)| live.iter().any(|live| live == id));
                if of_a_live_segment {
                    files += 1;
                    bytes += entry.metadata()?.len();
                }
            }
            let mut damaged: Vec<PathBuf> = self.index.validate_checksum()?.into_iter().collect();
            damaged.sort();
            if !damaged.is_empty() {
                return Ok(Verified {
                    files,
                    bytes,
                    damaged,
                    articles: 0,
                    passages: 0,
                });
            }
            let reader = self.reader()?;
            let searcher = reader.searcher();
            let articles = crate::index::catalog::read(&searcher, &self.fields)?.len();
            Ok(Verified {
                files,
                bytes,
                damaged,
                articles,
                passages: searcher.num_docs(),
            })
        })
    }

    fn with_analyzer(
        path: &Path,
        generation_path: PathBuf,
        index: Index,
        marker: Marker,
        pending: Option<u32>,
    ) -> Result<Store> {
        let tokenizers = index.tokenizers();
        tokenizers.register(analyzer::ENGLISH, analyzer::english());
        tokenizers.register(analyzer::LOWERCASE_VALUE, analyzer::lowercase_value());
        let fields = Fields::from_schema(&index.schema()).with_context(|| {
            format!(
                "the index at {} does not have quarry's fields; {REBUILD_ADVICE}",
                path.display()
            )
        })?;
        Ok(Store {
            path: path.to_path_buf(),
            generation_path,
            index,
            fields,
            marker,
            pending,
            opened: None,
        })
    }
}

/// The generation a marker names, refusing older layouts with advice.
fn live_generation(path: &Path, marker: &Marker) -> Result<u32> {
    match marker.generation {
        Some(generation) if marker.layout == LAYOUT_VERSION => Ok(generation),
        _ => bail!(
            "the index at {} was written by quarry {} (layout {}), which this quarry \
             (layout {LAYOUT_VERSION}) cannot read; {REBUILD_ADVICE}",
            path.display(),
            marker.quarry_version,
            marker.layout
        ),
    }
}

/// Removes what runs before left behind: generations other than `live` (a rebuild that was
/// killed, or the one a rebuild replaced), an unfinished marker, and the tantivy files of an
/// index of an older layout, which kept them beside the marker. Only files tantivy or quarry
/// make are removed; anything else is left where it is, with a warning.
fn remove_leftovers(path: &Path, live: Option<u32>) -> Result<()> {
    let entries = fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", path.display()))?;
        let name = entry.file_name();
        let entry_path = entry.path();
        let removed = match generation_number(&name) {
            Some(number) if Some(number) != live && entry_path.is_dir() => {
                remove_tantivy_folder(&entry_path)
            }
            Some(_) => Ok(()),
            None if name == UNFINISHED_MARKER_FILE || is_generation_file(&name) => {
                fs::remove_file(&entry_path)
            }
            None => Ok(()),
        };
        removed.with_context(|| format!("cannot remove {}", entry_path.display()))?;
    }
    Ok(())
}

/// Removes a generation folder: tantivy's files, then the folder if nothing else is left.
fn remove_tantivy_folder(folder: &Path) -> std::io::Result<()> {
    // Held while deleting: a reader opening this generation's segments holds it too (tantivy's
    // meta lock), and once they are open, deleting them takes nothing from it.
    let _readers_wait = File::options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(folder.join(".tantivy-meta.lock"))
        .and_then(|file| file.lock().map(|()| file));
    let mut foreign = false;
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        if is_generation_file(&entry.file_name()) && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
        } else {
            foreign = true;
        }
    }
    if foreign {
        crate::messages::warn(&format!(
            "left {} in place: it holds files quarry did not make",
            folder.display()
        ));
        return Ok(());
    }
    fs::remove_dir(folder)
}

/// Whether a file name is one tantivy gives the files of an index (its metadata, its locks,
/// the temporary files of its atomic writes, and segment files: `<32 hex digits>.<ext>`), or
/// one quarry keeps beside them.
pub fn is_generation_file(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    if name.strip_suffix(".new").unwrap_or(name) == STORIES_FILE {
        return true;
    }
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-writer.lock" | ".tantivy-meta.lock"
    ) || name.starts_with(".tmp")
    {
        return true;
    }
    match name.split_once('.') {
        Some((id, extension)) => {
            id.len() == 32
                && id.bytes().all(|byte| byte.is_ascii_hexdigit())
                && !extension.is_empty()
                && extension
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'.')
        }
        None => false,
    }
}

/// Takes the write lock of the index folder `path`.
fn lock(path: &Path, wait: bool) -> Result<WriteLock> {
    let lock_path = path.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = describe_holder(&mut file);
            if !wait {
                bail!(
                    "the index at {} is being written by another `quarry index` ({holder}); \
                     wait for it to finish, or pass --wait",
                    path.display()
                );
            }
            crate::messages::note(&format!(
                "waiting for the other `quarry index` ({holder}) to finish"
            ));
            file.lock()
                .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        }
        Err(TryLockError::Error(err)) => {
            return Err(err).with_context(|| format!("cannot lock {}", lock_path.display()));
        }
    }
    let holder = Holder {
        pid: std::process::id(),
        started: now_seconds(),
    };
    file.set_len(0)?;
    file.rewind()?;
    serde_json::to_writer(&mut file, &holder)?;
    file.flush()?;
    Ok(WriteLock { _file: file })
}

fn describe_holder(file: &mut File) -> String {
    let mut text = String::new();
    let holder = file
        .read_to_string(&mut text)
        .ok()
        .and_then(|_| serde_json::from_str::<Holder>(&text).ok());
    match holder {
        Some(holder) => {
            let running = now_seconds().saturating_sub(holder.started);
            format!("process {}, running for {running} s", holder.pid)
        }
        None => "a process that has just started".to_string(),
    }
}

fn write_marker(path: &Path, marker: &Marker) -> Result<()> {
    let file = path.join(MARKER_FILE);
    let unfinished = path.join(UNFINISHED_MARKER_FILE);
    let json = serde_json::to_string_pretty(marker)?;
    write_synced(&unfinished, json.as_bytes())
        .and_then(|()| fs::rename(&unfinished, &file))
        .and_then(|()| File::open(path)?.sync_all())
        .with_context(|| format!("cannot write {}", file.display()))
        .map_err(|err| damage::explain(err, path, "write"))
}

/// The file beside a generation's index that keeps its groups of copies
/// ([`crate::copies::Stories`]).
pub const STORIES_FILE: &str = "stories.json";

/// Writes the file `name` in the generation folder `folder` whole or not at all (a new file
/// renamed over the old one), for what quarry derives from an index and keeps beside it.
pub fn write_beside(folder: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let file = folder.join(name);
    let unfinished = folder.join(format!("{name}.new"));
    write_synced(&unfinished, bytes)
        .and_then(|()| fs::rename(&unfinished, &file))
        .with_context(|| format!("cannot write {}", file.display()))
}

/// Writes a whole file and waits until it is on the disk, so that a rename over the old one
/// never leaves a truncated file after a power cut.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writable(path: &Path) -> Result<(Store, WriteLock)> {
        Store::open_for_writing(path, WriteOptions::default())
    }

    const REBUILD: WriteOptions = WriteOptions {
        rebuild: true,
        wait: false,
    };

    #[test]
    fn explicit_location_wins() {
        let explicit = Path::new("/tmp/somewhere");
        assert_eq!(locate(Some(explicit)).unwrap(), explicit);
    }

    #[test]
    fn create_then_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        drop(writable(&path).unwrap());
        assert!(Store::open(&path).is_ok());
        assert!(writable(&path).is_ok());
        assert!(path.join("generation-1/meta.json").is_file());
    }

    #[test]
    fn refuses_a_missing_index_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(&dir.path().join("none")).err().unwrap();
        assert!(err.to_string().contains("quarry index"), "{err}");
    }

    #[test]
    fn refuses_folders_that_are_not_its_own() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = writable(dir.path()).err().unwrap();
        assert!(err.to_string().contains("not empty"), "{err}");
        assert!(Store::open_for_writing(dir.path(), REBUILD).is_err());
        assert!(dir.path().join("notes.txt").is_file());
        let file = dir.path().join("notes.txt");
        let err = writable(&file).err().unwrap();
        assert!(err.to_string().contains("is a file"), "{err}");
    }

    #[test]
    fn a_marker_quarry_did_not_write_makes_no_index() {
        for marker in ["", "{}", "not json", r#"{"layout": "x"}"#] {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join(MARKER_FILE), marker).unwrap();
            fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
            let err = Store::open_for_writing(dir.path(), REBUILD).err().unwrap();
            assert!(err.to_string().contains("did not write"), "{marker}: {err}");
            assert!(Store::open(dir.path()).is_err());
            assert!(dir.path().join("thesis.tex").is_file());
        }
    }

    #[test]
    fn a_rebuild_removes_only_what_quarry_and_tantivy_made() {
        let dir = tempfile::tempdir().unwrap();
        drop(writable(dir.path()).unwrap());
        // Someone's files beside the index and inside its generation.
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = writable(dir.path()).err();
        assert!(err.is_none(), "an index with a stray file still opens");
        fs::write(dir.path().join("generation-1/mine.txt"), "mine").unwrap();
        let (mut store, _lock) = Store::open_for_writing(dir.path(), REBUILD).unwrap();
        store.publish().unwrap();
        assert!(dir.path().join("notes.txt").is_file());
        assert!(dir.path().join("generation-1/mine.txt").is_file());
        assert!(!dir.path().join("generation-1/meta.json").exists());
        assert!(dir.path().join("generation-2/meta.json").is_file());
    }

    #[test]
    fn the_old_generation_stays_live_until_a_rebuild_is_published() {
        let dir = tempfile::tempdir().unwrap();
        drop(writable(dir.path()).unwrap());
        let (mut store, lock) = Store::open_for_writing(dir.path(), REBUILD).unwrap();
        assert_eq!(store.generation_path, dir.path().join("generation-2"));
        store.record_commit().unwrap();
        let live = Store::open(dir.path()).unwrap();
        assert_eq!(live.generation_path, dir.path().join("generation-1"));
        // A rebuild that never publishes (killed) leaves the old index, and its litter is
        // cleared by the next writer.
        drop((store, lock));
        let (store, _lock) = writable(dir.path()).unwrap();
        assert_eq!(store.generation_path, dir.path().join("generation-1"));
        assert!(!dir.path().join("generation-2").exists());
    }

    #[test]
    fn a_lost_marker_is_restored_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        drop(writable(dir.path()).unwrap());
        fs::remove_file(dir.path().join(MARKER_FILE)).unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("restores it"), "{err}");
        drop(writable(dir.path()).unwrap());
        assert!(Store::open(dir.path()).is_ok());
    }

    #[test]
    fn files_of_a_generation_are_told_from_others() {
        for name in [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            ".tmpAb12Cd",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.12.del",
            "stories.json",
            "stories.json.new",
        ] {
            assert!(is_generation_file(name.as_ref()), "{name}");
        }
        for name in [
            "thesis.tex",
            "quarry.json",
            "0123.idx",
            "notes",
            "stories.json.bak",
        ] {
            assert!(!is_generation_file(name.as_ref()), "{name}");
        }
    }

    #[test]
    fn one_writer_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let first = writable(dir.path()).unwrap();
        let err = writable(dir.path()).err().unwrap();
        let message = err.to_string();
        assert!(message.contains("another `quarry index`"), "{message}");
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        drop(first);
        assert!(writable(dir.path()).is_ok());
    }

    #[test]
    fn refuses_an_incompatible_layout_and_says_to_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        drop(writable(dir.path()).unwrap());
        let old = r#"{"layout": 2, "quarry_version": "0.0.1"}"#;
        fs::write(dir.path().join(MARKER_FILE), old).unwrap();
        // Layout 2 kept tantivy's files beside the marker.
        fs::write(dir.path().join("meta.json"), "{}").unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("layout 2"), "{err}");
        assert!(err.to_string().contains("--rebuild"), "{err}");
        let (mut store, _lock) = Store::open_for_writing(dir.path(), REBUILD).unwrap();
        store.publish().unwrap();
        assert!(Store::open(dir.path()).is_ok());
        assert!(!dir.path().join("meta.json").exists());
    }
}
