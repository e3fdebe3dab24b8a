//! Metadata a user supplies beside the articles, overriding what quarry guessed:
//! `NAME.meta.json` next to a file, and `metadata.jsonl` / `metadata.csv` tables keyed by the
//! path of each file relative to the table's folder (in that folder or any folder above it).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::metadata::{DateOrigin, Metadata};

/// Table file names, in the order they are looked for in a folder.
const TABLES: &[&str] = &["metadata.jsonl", "metadata.csv"];

/// True when `path` is one of the sidecar files (not an article, nor a file to count as
/// skipped).
pub fn is_sidecar(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".meta.json") || TABLES.contains(&name)
}

/// Finds the sidecar metadata of files, looking at each folder once.
#[derive(Default)]
pub struct Sidecars {
    /// By the folder's path, hashed as plain bytes: every file looks its folder up, from
    /// several threads at once.
    folders: RwLock<HashMap<OsString, Arc<Folder>, foldhash::fast::RandomState>>,
}

/// What a folder holds of sidecar files.
struct Folder {
    /// Names of its `*.meta.json` files.
    meta_files: HashSet<OsString>,
    /// The metadata tables of this folder and of those above it, nearest first: resolved once
    /// per folder rather than once per file.
    tables: Vec<(PathBuf, Arc<Table>)>,
}

/// A table's records by relative path (`/`-separated), with and without extension.
type Table = HashMap<String, Metadata>;

impl Sidecars {
    /// The metadata supplied for the file at `path`: its `.meta.json` first, then the nearest
    /// table that has a record for it.
    pub fn lookup(&self, path: &Path) -> Result<Metadata> {
        let Some(parent) = path.parent() else {
            return Ok(Metadata::default());
        };
        let folder = self.folder(parent)?;
        let own = meta_json(&folder, path)?;
        let from_table = folder
            .tables
            .iter()
            .find_map(|(table_folder, table)| {
                let relative = path.strip_prefix(table_folder).ok()?;
                table
                    .get(&key(relative))
                    .or_else(|| table.get(&key(&relative.with_extension(""))))
            })
            .cloned()
            .unwrap_or_default();
        Ok(own.or(from_table))
    }

    fn folder(&self, path: &Path) -> Result<Arc<Folder>> {
        let known = self
            .folders
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(path.as_os_str())
            .cloned();
        if let Some(folder) = known {
            return Ok(folder);
        }
        // Not holding the lock: the folders above are looked up the same way.
        let mut tables = match path.parent() {
            Some(parent) => self.folder(parent)?.tables.clone(),
            None => Vec::new(),
        };
        let (meta_files, table) = read_folder(path)?;
        if let Some(table) = table {
            tables.insert(0, (path.to_path_buf(), Arc::new(table)));
        }
        let folder = Arc::new(Folder { meta_files, tables });
        Ok(self
            .folders
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(path.as_os_str().to_os_string())
            .or_insert(folder)
            .clone())
    }
}

/// The metadata of the `NAME.meta.json` (or `STEM.meta.json`) beside `path`, in `folder`.
fn meta_json(folder: &Folder, path: &Path) -> Result<Metadata> {
    let Some(name) = path.file_name() else {
        return Ok(Metadata::default());
    };
    if folder.meta_files.is_empty() {
        return Ok(Metadata::default());
    }
    let mut full = name.to_os_string();
    full.push(".meta.json");
    let stem = path.with_extension("meta.json");
    let candidates = [stem.file_name().map(OsString::from), Some(full)];
    for name in candidates.into_iter().flatten() {
        if !folder.meta_files.contains(&name) {
            continue;
        }
        let candidate = path.with_file_name(&name);
        let bytes =
            fs::read(&candidate).with_context(|| format!("cannot read {}", candidate.display()))?;
        let value: Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not valid JSON", candidate.display()))?;
        return Ok(Metadata::from_fields(&value, DateOrigin::Sidecar));
    }
    Ok(Metadata::default())
}

/// Lists a folder's `*.meta.json` files and loads its table. A folder that can't be listed
/// has none.
fn read_folder(path: &Path) -> Result<(HashSet<OsString>, Option<Table>)> {
    let mut meta_files = HashSet::new();
    let mut table_file = None;
    for entry in fs::read_dir(path).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text.ends_with(".meta.json") {
            meta_files.insert(name);
        } else if let Some(rank) = TABLES.iter().position(|table| *table == text) {
            // The first kind in TABLES wins when a folder has both.
            if table_file.as_ref().is_none_or(|(best, _)| rank < *best) {
                table_file = Some((rank, entry.path()));
            }
        }
    }
    let table = table_file.map(|(_, file)| load_table(&file)).transpose()?;
    Ok((meta_files, table))
}

fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_table(file: &Path) -> Result<Table> {
    let text =
        fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let is_csv = file.extension().is_some_and(|ext| ext == "csv");
    let records = if is_csv {
        csv_records(&text)
    } else {
        jsonl_records(&text)
    }
    .with_context(|| format!("bad metadata table {}", file.display()))?;
    let mut table = Table::new();
    for record in records {
        let Some(path) = record.get("path").and_then(Value::as_str) else {
            bail!("a record of {} has no \"path\"", file.display());
        };
        let path = path.trim_start_matches("./").replace('\\', "/");
        table.insert(path, Metadata::from_fields(&record, DateOrigin::Sidecar));
    }
    Ok(table)
}

fn jsonl_records(text: &str) -> Result<Vec<Value>> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line).with_context(|| format!("line {}", number + 1))
        })
        .collect()
}

fn csv_records(text: &str) -> Result<Vec<Value>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row?;
        let object = headers
            .iter()
            .zip(row.iter())
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(header, value)| (header.clone(), Value::String(value.trim().to_string())))
            .collect();
        records.push(Value::Object(object));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::{Date, Month};

    #[test]
    fn meta_json_beside_the_file_wins_over_a_table() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let article = sub.join("a.txt");
        fs::write(&article, "x").unwrap();
        fs::write(
            sub.join("a.meta.json"),
            r#"{"title": "Own", "date": "2020-01-02"}"#,
        )
        .unwrap();
        fs::write(
            dir.path().join("metadata.jsonl"),
            "{\"path\": \"sub/a.txt\", \"title\": \"Table\", \"source\": \"Wire\"}\n",
        )
        .unwrap();
        let meta = Sidecars::default().lookup(&article).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Own"));
        assert_eq!(meta.source.as_deref(), Some("Wire"));
        assert_eq!(
            meta.date,
            Date::from_calendar_date(2020, Month::January, 2).ok()
        );
        assert_eq!(meta.date_origin, Some(DateOrigin::Sidecar));
    }

    #[test]
    fn csv_table_keyed_without_extension() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("b.md");
        fs::write(&article, "x").unwrap();
        fs::write(
            dir.path().join("metadata.csv"),
            "path,author,date\nb,\"Lee, Ann\",2019-07-01\nother.txt,Someone,\n",
        )
        .unwrap();
        let meta = Sidecars::default().lookup(&article).unwrap();
        assert_eq!(meta.author.as_deref(), Some("Lee, Ann"));
        assert_eq!(
            meta.date,
            Date::from_calendar_date(2019, Month::July, 1).ok()
        );
    }

    #[test]
    fn no_sidecar_means_nothing_supplied() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("c.txt");
        fs::write(&article, "x").unwrap();
        assert_eq!(
            Sidecars::default().lookup(&article).unwrap(),
            Metadata::default()
        );
    }

    #[test]
    fn a_broken_sidecar_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("d.txt");
        fs::write(&article, "x").unwrap();
        fs::write(dir.path().join("d.meta.json"), "{oops").unwrap();
        let err = Sidecars::default().lookup(&article).unwrap_err();
        assert!(format!("{err:#}").contains("d.meta.json"), "{err:#}");
    }

    #[test]
    fn sidecar_files_are_recognised() {
        assert!(is_sidecar(Path::new("x/a.meta.json")));
        assert!(is_sidecar(Path::new("metadata.csv")));
        assert!(!is_sidecar(Path::new("a.json")));
    }
}
