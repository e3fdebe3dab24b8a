//! The index on disk: where it lives, and creating or opening it with quarry's analyzer and layout.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::analyzer;
use crate::schema::{self, Fields};

/// Environment variable naming the index folder when `--index` is not given.
pub const INDEX_ENV: &str = "QUARRY_INDEX";

/// Version of the on-disk layout (schema and analyzer). Bump it whenever an index written by an
/// older quarry would be read wrongly by this one.
const LAYOUT_VERSION: u32 = 1;

/// File beside tantivy's own that marks a folder as a quarry index.
const MARKER_FILE: &str = "quarry.json";

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
        let updated = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|elapsed| elapsed.as_secs());
        Marker {
            layout: LAYOUT_VERSION,
            quarry_version: env!("CARGO_PKG_VERSION").to_string(),
            updated,
        }
    }
}

/// An open quarry index.
pub struct Store {
    pub path: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub marker: Marker,
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
            bail!(
                "no index at {}: build one with `quarry index DIR` \
                 (or point to another with --index DIR or {INDEX_ENV})",
                path.display()
            );
        }
        let marker = read_marker(path)?;
        let index = Index::open_in_dir(path)
            .with_context(|| format!("cannot open the index at {}", path.display()))?;
        Store::with_analyzer(path, index, marker)
    }

    /// Opens the index for writing, creating it (and its folder) when there is none yet.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if path.join("meta.json").is_file() {
            return Store::open(path);
        }
        let occupied = fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some());
        if occupied {
            bail!(
                "{} is not empty and holds no quarry index; \
                 choose an empty or new folder for --index",
                path.display()
            );
        }
        fs::create_dir_all(path)
            .with_context(|| format!("cannot create the index folder {}", path.display()))?;
        let index = Index::create_in_dir(path, schema::build())
            .with_context(|| format!("cannot create an index in {}", path.display()))?;
        let marker = Marker::now();
        write_marker(path, &marker)?;
        Store::with_analyzer(path, index, marker)
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
                "the index at {} does not have quarry's fields; remove it and index again",
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

fn write_marker(path: &Path, marker: &Marker) -> Result<()> {
    let file = path.join(MARKER_FILE);
    let json = serde_json::to_string_pretty(marker)?;
    fs::write(&file, json).with_context(|| format!("cannot write {}", file.display()))
}

fn read_marker(path: &Path) -> Result<Marker> {
    let file = path.join(MARKER_FILE);
    let marker: Marker = fs::read(&file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .with_context(|| {
            format!(
                "{} is a tantivy index but not one written by quarry (no readable {MARKER_FILE}); \
                 remove it and index again",
                path.display()
            )
        })?;
    if marker.layout != LAYOUT_VERSION {
        bail!(
            "the index at {} was written by quarry {} (layout {}), which this quarry \
             (layout {LAYOUT_VERSION}) cannot read; remove it and index again",
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

    #[test]
    fn explicit_location_wins() {
        let explicit = Path::new("/tmp/somewhere");
        assert_eq!(locate(Some(explicit)).unwrap(), explicit);
    }

    #[test]
    fn create_then_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        Store::open_or_create(&path).unwrap();
        assert!(Store::open(&path).is_ok());
        assert!(Store::open_or_create(&path).is_ok());
    }

    #[test]
    fn refuses_a_missing_index_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(&dir.path().join("none")).err().unwrap();
        assert!(err.to_string().contains("quarry index"), "{err}");
    }

    #[test]
    fn refuses_to_create_in_a_folder_with_other_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = Store::open_or_create(dir.path()).err().unwrap();
        assert!(err.to_string().contains("not empty"), "{err}");
    }

    #[test]
    fn refuses_an_incompatible_layout() {
        let dir = tempfile::tempdir().unwrap();
        Store::open_or_create(dir.path()).unwrap();
        let old = r#"{"layout": 0, "quarry_version": "0.0.1"}"#;
        fs::write(dir.path().join(MARKER_FILE), old).unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("layout 0"), "{err}");
    }
}
