//! The index on disk: where it lives; creating, opening, locking and rebuilding it.
//!
//! A quarry index is a folder holding a tantivy index, `quarry.json` (the layout version and
//! when, and by which quarry, it was last written) and `quarry.lock` (held by the one
//! `quarry index` allowed to write at a time). Tantivy writes its files so that a crash at any
//! moment leaves the last commit readable; quarry writes `quarry.json` by renaming a finished
//! file over it.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analyzer;
use crate::schema::{self, Fields};

/// Environment variable naming the index folder when `--index` is not given.
pub const INDEX_ENV: &str = "QUARRY_INDEX";

/// Version of the on-disk layout (schema and analyzer). Bump it whenever an index written by an
/// older quarry would be read wrongly by this one.
const LAYOUT_VERSION: u32 = 2;

/// File beside tantivy's own that marks a folder as a quarry index.
const MARKER_FILE: &str = "quarry.json";
/// File locked by the `quarry index` writing the index, holding who it is.
const LOCK_FILE: &str = "quarry.lock";
/// What to do about an index that can't be read.
const REBUILD_ADVICE: &str = "rebuild it with `quarry index --rebuild PATH...`";

/// What `quarry.json` records about the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub layout: u32,
    /// Version of the quarry that last wrote the index.
    pub quarry_version: String,
    /// When the index was last written, in seconds since the Unix epoch.
    #[serde(default)]
    pub updated: Option<u64>,
}

impl Marker {
    fn now() -> Marker {
        Marker {
            layout: LAYOUT_VERSION,
            quarry_version: env!("CARGO_PKG_VERSION").to_string(),
            updated: Some(now_seconds()),
        }
    }
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// An open quarry index.
pub struct Store {
    pub path: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub marker: Marker,
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
    /// Start from an empty index.
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

impl Store {
    /// Opens an existing index for searching.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.join("meta.json").is_file() {
            if path.join(MARKER_FILE).is_file() {
                bail!(
                    "the index at {} has lost its tantivy files (no meta.json); {REBUILD_ADVICE}",
                    path.display()
                );
            }
            bail!(
                "no index at {}: build one with `quarry index DIR` \
                 (or point to another with --index DIR or {INDEX_ENV})",
                path.display()
            );
        }
        let marker = read_marker(path)?;
        let index = Index::open_in_dir(path).with_context(|| {
            format!(
                "the index at {} is damaged; {REBUILD_ADVICE}",
                path.display()
            )
        })?;
        Store::with_analyzer(path, index, marker)
    }

    /// Opens the index for writing, creating it (and its folder) when there is none yet, or
    /// afresh with `rebuild`. Fails at once while another `quarry index` writes it, unless
    /// told to wait.
    pub fn open_for_writing(path: &Path, options: WriteOptions) -> Result<(Store, WriteLock)> {
        check_is_ours(path)?;
        fs::create_dir_all(path)
            .with_context(|| format!("cannot create the index folder {}", path.display()))?;
        let lock = lock(path, options.wait)?;
        if options.rebuild {
            clear(path)?;
        }
        let store = if path.join("meta.json").is_file() {
            Store::open(path)?
        } else {
            let index = Index::builder()
                .schema(schema::build())
                .settings(schema::settings())
                .create_in_dir(path)
                .with_context(|| format!("cannot create an index in {}", path.display()))?;
            let marker = Marker::now();
            write_marker(path, &marker)?;
            Store::with_analyzer(path, index, marker)?
        };
        Ok((store, lock))
    }

    /// A reader of the last commit; fails with advice when segment files are missing or bad.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| {
                format!(
                    "cannot read the index at {}; {REBUILD_ADVICE}",
                    self.path.display()
                )
            })
    }

    /// Records that this quarry has just written the index.
    pub fn record_update(&mut self) -> Result<()> {
        self.marker = Marker::now();
        write_marker(&self.path, &self.marker)
    }

    fn with_analyzer(path: &Path, index: Index, marker: Marker) -> Result<Store> {
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
            index,
            fields,
            marker,
        })
    }
}

/// Refuses a folder that holds something other than a quarry index: quarry never writes over
/// (or, rebuilding, deletes) files it did not make.
fn check_is_ours(path: &Path) -> Result<()> {
    if path.exists() && !path.is_dir() {
        bail!(
            "{} is a file, not an index folder; choose a folder for --index",
            path.display()
        );
    }
    if path.join(MARKER_FILE).is_file() {
        return Ok(());
    }
    let mut entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read the folder {}", path.display()));
        }
    };
    let only_lock = entries.all(|entry| entry.is_ok_and(|e| e.file_name() == LOCK_FILE));
    if only_lock {
        return Ok(());
    }
    if path.join("meta.json").is_file() {
        bail!(
            "{} holds a tantivy index that quarry did not write (no {MARKER_FILE}); \
             choose another folder for --index",
            path.display()
        );
    }
    bail!(
        "{} is not empty and holds no quarry index; choose an empty or new folder for --index",
        path.display()
    );
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
            eprintln!("quarry: waiting for the other `quarry index` ({holder}) to finish");
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

/// Empties an index folder for a rebuild, keeping the lock.
fn clear(path: &Path) -> Result<()> {
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_name() == LOCK_FILE {
            continue;
        }
        let removed = if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())
        } else {
            fs::remove_file(entry.path())
        };
        removed.with_context(|| format!("cannot remove {}", entry.path().display()))?;
    }
    Ok(())
}

fn write_marker(path: &Path, marker: &Marker) -> Result<()> {
    let file = path.join(MARKER_FILE);
    let unfinished = path.join(format!("{MARKER_FILE}.new"));
    let json = serde_json::to_string_pretty(marker)?;
    fs::write(&unfinished, json)
        .and_then(|()| fs::rename(&unfinished, &file))
        .with_context(|| format!("cannot write {}", file.display()))
}

fn read_marker(path: &Path) -> Result<Marker> {
    let file = path.join(MARKER_FILE);
    let bytes = fs::read(&file).with_context(|| {
        format!(
            "{} holds a tantivy index that quarry did not write (no {MARKER_FILE}); \
             choose another folder for --index",
            path.display()
        )
    })?;
    let marker: Marker = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "the index at {} is damaged ({MARKER_FILE}); {REBUILD_ADVICE}",
            path.display()
        )
    })?;
    if marker.layout != LAYOUT_VERSION {
        bail!(
            "the index at {} was written by quarry {} (layout {}), which this quarry \
             (layout {LAYOUT_VERSION}) cannot read; {REBUILD_ADVICE}",
            path.display(),
            marker.quarry_version,
            marker.layout
        );
    }
    Ok(marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writable(path: &Path) -> Result<(Store, WriteLock)> {
        Store::open_for_writing(path, WriteOptions::default())
    }

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
        let rebuild = WriteOptions {
            rebuild: true,
            wait: false,
        };
        assert!(Store::open_for_writing(dir.path(), rebuild).is_err());
        assert!(dir.path().join("notes.txt").is_file());
        let file = dir.path().join("notes.txt");
        let err = writable(&file).err().unwrap();
        assert!(err.to_string().contains("is a file"), "{err}");
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
        let old = r#"{"layout": 0, "quarry_version": "0.0.1"}"#;
        fs::write(dir.path().join(MARKER_FILE), old).unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("layout 0"), "{err}");
        assert!(err.to_string().contains("--rebuild"), "{err}");
        let rebuild = WriteOptions {
            rebuild: true,
            wait: false,
        };
        assert!(Store::open_for_writing(dir.path(), rebuild).is_ok());
        assert!(Store::open(dir.path()).is_ok());
    }
}
