//! Metadata a user supplies beside the articles, overriding what quarry guessed:
//! `NAME.meta.json` next to a file, and `metadata.jsonl` / `metadata.csv` tables keyed by the
//! path of each file relative to the table's folder (in that folder or any folder above it).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

/// Finds the sidecar metadata of files, reading each folder's table once.
#[derive(Default)]
pub struct Sidecars {
    tables: Mutex<HashMap<PathBuf, Option<Arc<Table>>>>,
}

/// A table's records by relative path (`/`-separated), with and without extension.
type Table = HashMap<String, Metadata>;

impl Sidecars {
    /// The metadata supplied for the file at `path`: its `.meta.json` first, then the nearest
    /// table that has a record for it.
    pub fn lookup(&self, path: &Path) -> Result<Metadata> {
        let own = self.meta_json(path)?;
        let mut from_table = Metadata::default();
        for folder in path.ancestors().skip(1) {
            let Some(table) = self.table(folder)? else {
                continue;
            };
            let Ok(relative) = path.strip_prefix(folder) else {
                continue;
            };
            if let Some(record) = table
                .get(&key(relative))
                .or_else(|| table.get(&key(&relative.with_extension(""))))
            {
                from_table = record.clone();
                break;
            }
        }
        Ok(own.or(from_table))
    }

    fn meta_json(&self, path: &Path) -> Result<Metadata> {
        let mut candidates = vec![path.with_extension("meta.json")];
        if let Some(name) = path.file_name() {
            let mut full = name.to_os_string();
            full.push(".meta.json");
            candidates.push(path.with_file_name(full));
        }
        for candidate in candidates {
            match fs::read(&candidate) {
                Ok(bytes) => {
                    let value: Value = serde_json::from_slice(&bytes)
                        .with_context(|| format!("{} is not valid JSON", candidate.display()))?;
                    return Ok(Metadata::from_fields(&value, DateOrigin::Sidecar));
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => {
                    return Err(err)
                        .with_context(|| format!("cannot read {}", candidate.display()));
                }
            }
        }
        Ok(Metadata::default())
    }

    fn table(&self, folder: &Path) -> Result<Option<Arc<Table>>> {
        let mut tables = self
            .tables
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(table) = tables.get(folder) {
            return Ok(table.clone());
        }
        let table = load_table(folder)?.map(Arc::new);
        tables.insert(folder.to_path_buf(), table.clone());
        Ok(table)
    }
}

fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_table(folder: &Path) -> Result<Option<Table>> {
    for name in TABLES {
        let file = folder.join(name);
        let text = match fs::read_to_string(&file) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", file.display())),
        };
        let records = if name.ends_with(".csv") {
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
        return Ok(Some(table));
    }
    Ok(None)
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
