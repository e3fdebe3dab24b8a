//! Metadata a user supplies beside the articles, overriding what quarry guessed:
//! `NAME.meta.json` next to a file, and `metadata.jsonl` / `metadata.csv` tables keyed by the
//! path of each file relative to the table's folder (in that folder or any folder above it).
//!
//! Sidecar files are untrusted like articles. Only regular files are read: a folder, a named
//! pipe (which would block the reader forever) or a symbolic link (links are not followed, as
//! in the walk) named like one is reported and ignored. A table is read once per run, whatever
//! the number of files below it, and a bad record in it is reported and skipped, not the
//! table.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fmt::Display;
use std::fs::{self, File, FileType, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value};

use super::metadata::{DateOrigin, Metadata, unread_fields};

/// Table file names, in the order they are looked for in a folder.
const TABLES: &[&str] = &["metadata.jsonl", "metadata.csv"];
/// Largest table read: some 800,000 records of 85 bytes. A table is held in memory for the
/// whole run, parsed, at some four times its size (a 64 MiB table: a peak of 310 MB).
const MAX_TABLE_BYTES: u64 = 64 << 20;
/// Largest `NAME.meta.json`: the metadata of one article fits in far less.
const MAX_META_JSON_BYTES: u64 = 1 << 20;
/// Bad records of one table reported each on its own; the others are counted.
const REPORTED_BAD_RECORDS: usize = 10;

/// True when `path` is one of the sidecar files (not an article, nor a file to count as
/// skipped).
pub fn is_sidecar(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".meta.json") || TABLES.contains(&name)
}

/// Hears about sidecar files that are ignored, wholly or in part: the file and what is wrong.
pub type Warn<'a> = Box<dyn Fn(&Path, &str) + Sync + 'a>;

/// Finds the sidecar metadata of files, looking at each folder once.
pub struct Sidecars<'a> {
    /// By the folder's path, hashed as plain bytes: every file looks its folder up, from
    /// several threads at once. A folder is read by the first thread to need it while the
    /// others wait, so a large table is never parsed twice.
    folders: RwLock<HashMap<OsString, Arc<OnceLock<Listing>>, foldhash::fast::RandomState>>,
    warn: Warn<'a>,
}

/// A folder's sidecar files, or why they can't be read now (said for every file below it).
type Listing = Result<Arc<Folder>, String>;

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

/// Why a sidecar file was not read.
enum Unread {
    /// It is not a sidecar quarry reads: not a regular file, or too large.
    Refused(String),
    /// It could not be read now.
    Failed(io::Error),
}

impl<'a> Sidecars<'a> {
    /// Sidecars reporting the files they ignore to `warn`.
    pub fn new(warn: Warn<'a>) -> Sidecars<'a> {
        Sidecars {
            folders: RwLock::default(),
            warn,
        }
    }

    /// The metadata supplied for the file at `path`: its `.meta.json` first, then the nearest
    /// table that has a record for it.
    pub fn lookup(&self, path: &Path) -> Result<Metadata> {
        let Some(parent) = path.parent() else {
            return Ok(Metadata::default());
        };
        let folder = self.folder(parent).map_err(|reason| anyhow!(reason))?;
        let own = meta_json(&folder, path, &*self.warn)?;
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

    fn folder(&self, path: &Path) -> Listing {
        let known = self
            .folders
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(path.as_os_str())
            .cloned();
        let cell = known.unwrap_or_else(|| {
            self.folders
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .entry(path.as_os_str().to_os_string())
                .or_default()
                .clone()
        });
        // Not holding the map's lock: the folders above are looked up the same way.
        cell.get_or_init(|| self.read_folder(path)).clone()
    }

    /// Lists a folder's `*.meta.json` files and loads its table. A folder that can't be listed
    /// has none.
    fn read_folder(&self, path: &Path) -> Listing {
        let mut tables = match path.parent() {
            Some(parent) => self.folder(parent)?.tables.clone(),
            None => Vec::new(),
        };
        let mut meta_files = HashSet::new();
        let mut table_files = Vec::new();
        for entry in fs::read_dir(path).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let text = name.to_string_lossy();
            let table_rank = TABLES.iter().position(|table| *table == text);
            if table_rank.is_none() && !text.ends_with(".meta.json") {
                continue;
            }
            // The type the listing gives is the entry's own, links not followed.
            if let Some(kind) = entry.file_type().ok().and_then(not_regular) {
                (self.warn)(
                    &entry.path(),
                    &format!("{kind}, not a regular file: not read for metadata"),
                );
                continue;
            }
            match table_rank {
                Some(rank) => table_files.push((rank, entry.path())),
                None => {
                    meta_files.insert(name);
                }
            }
        }
        // Both tables of a folder are read; for a file in both, the first kind in TABLES has
        // its say.
        table_files.sort();
        let mut loaded: Vec<(PathBuf, Table)> = Vec::new();
        for (_, file) in table_files {
            if let Some(table) = self.load_table(&file)? {
                loaded.push((file, table));
            }
        }
        if let [(first_file, first), (second_file, second)] = loaded.as_slice() {
            // Said only where the two disagree: the same record twice changes nothing.
            let differ = second
                .iter()
                .filter(|(key, record)| first.get(*key).is_some_and(|other| other != *record))
                .count();
            if differ > 0 {
                let first_name = first_file.file_name().unwrap_or_default().to_string_lossy();
                (self.warn)(
                    second_file,
                    &format!(
                        "{differ} of its records differ from {first_name}'s for the same files; \
                         {first_name}'s records are used for those"
                    ),
                );
            }
        }
        for (_, table) in loaded.into_iter().rev() {
            tables.insert(0, (path.to_path_buf(), Arc::new(table)));
        }
        Ok(Arc::new(Folder { meta_files, tables }))
    }

    /// Reads the table `file`, reporting its bad records; `None` when the table is ignored
    /// (reported), an error when it can't be read now.
    fn load_table(&self, file: &Path) -> Result<Option<Table>, String> {
        let bytes = match read_sidecar(file, MAX_TABLE_BYTES) {
            Ok(bytes) => bytes,
            Err(Unread::Refused(why)) => {
                (self.warn)(file, &format!("{why}; the table is ignored"));
                return Ok(None);
            }
            Err(Unread::Failed(err)) => {
                return Err(format!("cannot read {}: {err}", file.display()));
            }
        };
        let is_csv = file.extension().is_some_and(|ext| ext == "csv");
        let mut bad = BadRecords::default();
        let table = parse_table(&bytes, is_csv, &mut bad);
        for problem in &bad.reported {
            (self.warn)(file, problem);
        }
        if bad.others > 0 {
            let others = bad.others;
            (self.warn)(
                file,
                &format!("{others} more problems with records not listed"),
            );
        }
        match table {
            Ok(table) => Ok(Some(table)),
            Err(why) => {
                (self.warn)(file, &format!("{why}; the table is ignored"));
                Ok(None)
            }
        }
    }
}

/// What a file type is when it is not a regular file.
fn not_regular(kind: FileType) -> Option<&'static str> {
    let what = if kind.is_file() {
        return None;
    } else if kind.is_symlink() {
        "a symbolic link (links are not followed)"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a device"
    };
    Some(what)
}

/// The bytes of the sidecar file `path`, at most `limit` of them. The file is checked once
/// opened, as it may have been replaced since it was listed: opening never blocks (a named
/// pipe would, until something wrote to it) and never follows a link.
fn read_sidecar(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .map_err(Unread::Failed)?;
    let metadata = file.metadata().map_err(Unread::Failed)?;
    if let Some(kind) = not_regular(metadata.file_type()) {
        return Err(Unread::Refused(format!("{kind}, not a regular file")));
    }
    let too_large = || {
        Unread::Refused(format!(
            "larger than the {} MiB a sidecar file may hold",
            limit >> 20
        ))
    };
    if metadata.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // Bounded even if the file grows while it is read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Unread::Failed)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The metadata of the `NAME.meta.json` (or `STEM.meta.json`) beside `path`, in `folder`.
fn meta_json(folder: &Folder, path: &Path, warn: &dyn Fn(&Path, &str)) -> Result<Metadata> {
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
        let bytes = match read_sidecar(&candidate, MAX_META_JSON_BYTES) {
            Ok(bytes) => bytes,
            Err(Unread::Refused(why)) => bail!("{}: {why}", candidate.display()),
            Err(Unread::Failed(err)) => {
                return Err(err).with_context(|| format!("cannot read {}", candidate.display()));
            }
        };
        let value: Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not valid JSON", candidate.display()))?;
        for problem in unread_fields(&value) {
            warn(&candidate, &problem);
        }
        return Ok(Metadata::from_fields(&value, DateOrigin::Sidecar));
    }
    Ok(Metadata::default())
}

fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The records of a table that could not be read, the first few with their line.
#[derive(Default)]
struct BadRecords {
    reported: Vec<String>,
    others: usize,
}

impl BadRecords {
    fn add(&mut self, line: u64, why: impl Display) {
        self.note(line, format!("{why}; this record is skipped"));
    }

    /// A problem with a record that is kept.
    fn note(&mut self, line: u64, problem: impl Display) {
        if self.reported.len() < REPORTED_BAD_RECORDS {
            self.reported.push(format!("line {line}: {problem}"));
        } else {
            self.others += 1;
        }
    }
}

/// The records of a table's bytes (CSV with a header line, or JSON Lines) by path, the bad
/// ones added to `bad`; an error when the table as a whole is unusable.
fn parse_table(bytes: &[u8], is_csv: bool, bad: &mut BadRecords) -> Result<Table, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut table = Table::new();
    let mut add = |line: u64, record: Result<Value, String>| {
        let record = record.and_then(|record| {
            let path = record.get("path").and_then(Value::as_str);
            let path = path.ok_or_else(|| "no \"path\" text".to_string())?;
            Ok((path.trim_start_matches("./").replace('\\', "/"), record))
        });
        match record {
            Ok((path, record)) => {
                for problem in unread_fields(&record) {
                    bad.note(line, problem);
                }
                table.insert(path, Metadata::from_fields(&record, DateOrigin::Sidecar));
            }
            Err(why) => bad.add(line, why),
        }
    };
    if is_csv {
        csv_records(bytes, &mut add)?;
    } else {
        for (number, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = line.trim_ascii();
            if !line.is_empty() {
                let record = serde_json::from_slice(line)
                    .map_err(|err| format!("not a JSON record ({err})"));
                add(number as u64 + 1, record);
            }
        }
    }
    Ok(table)
}

/// Gives each row of a CSV table to `add` with its line, as a JSON object keyed by the
/// lowercased header; an error when the header has no `path` column.
fn csv_records(
    bytes: &[u8],
    add: &mut impl FnMut(u64, Result<Value, String>),
) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut row = csv::ByteRecord::new();
    // Byte records read from memory can't fail: the parser takes any bytes, rows may have any
    // length, and text is checked here, field by field.
    let mut next = |row: &mut csv::ByteRecord| reader.read_byte_record(row).unwrap_or(false);
    if !next(&mut row) {
        return Ok(());
    }
    let headers: Vec<String> = row
        .iter()
        .map(|header| String::from_utf8_lossy(header).trim().to_lowercase())
        .collect();
    if !headers.iter().any(|header| header == "path") {
        return Err("its header line has no \"path\" column".to_string());
    }
    while next(&mut row) {
        let line = row.position().map_or(0, csv::Position::line);
        add(line, csv_object(&headers, &row));
    }
    Ok(())
}

fn csv_object(headers: &[String], row: &csv::ByteRecord) -> Result<Value, String> {
    let mut object = Map::new();
    for (header, value) in headers.iter().zip(row.iter()) {
        let value = std::str::from_utf8(value)
            .map_err(|_| format!("its \"{header}\" is not UTF-8 text"))?
            .trim();
        if !value.is_empty() {
            object.insert(header.clone(), Value::String(value.to_string()));
        }
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;
    use std::sync::Mutex;
    use std::sync::mpsc;
    use std::time::Duration;
    use tantivy::time::{Date, Month};

    /// Sidecars whose warnings go to `warnings`, as `FILE-NAME: message`.
    fn collecting(warnings: &Mutex<Vec<String>>) -> Sidecars<'_> {
        Sidecars::new(Box::new(move |file, message| {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            warnings.lock().unwrap().push(format!("{name}: {message}"));
        }))
    }

    fn quiet() -> Sidecars<'static> {
        Sidecars::new(Box::new(|file, message| {
            panic!("unexpected warning: {}: {message}", file.display())
        }))
    }

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
        let meta = quiet().lookup(&article).unwrap();
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
        let meta = quiet().lookup(&article).unwrap();
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
        assert_eq!(quiet().lookup(&article).unwrap(), Metadata::default());
    }

    #[test]
    fn a_broken_sidecar_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("d.txt");
        fs::write(&article, "x").unwrap();
        fs::write(dir.path().join("d.meta.json"), "{oops").unwrap();
        let err = quiet().lookup(&article).unwrap_err();
        assert!(format!("{err:#}").contains("d.meta.json"), "{err:#}");
    }

    #[test]
    fn sidecar_files_are_recognised() {
        assert!(is_sidecar(Path::new("x/a.meta.json")));
        assert!(is_sidecar(Path::new("metadata.csv")));
        assert!(!is_sidecar(Path::new("a.json")));
    }

    #[test]
    fn both_tables_of_a_folder_are_read_and_a_file_in_both_is_said() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("metadata.jsonl"),
            "{\"path\": \"a.txt\", \"title\": \"From JSON\"}\n\
             {\"path\": \"c.txt\", \"title\": \"Same\"}\n",
        )
        .unwrap();
        fs::write(
            dir.path().join("metadata.csv"),
            "path,title\na.txt,From CSV\nb.txt,Only CSV\nc.txt,Same\n",
        )
        .unwrap();
        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        let title = |name: &str| sidecars.lookup(&dir.path().join(name)).unwrap().title;
        assert_eq!(title("a.txt").as_deref(), Some("From JSON"));
        assert_eq!(title("b.txt").as_deref(), Some("Only CSV"));
        assert_eq!(
            *warnings.lock().unwrap(),
            [
                "metadata.csv: 1 of its records differ from metadata.jsonl's for the same files; \
                 metadata.jsonl's records are used for those"
            ]
        );
    }

    #[test]
    fn a_date_in_another_form_is_said_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("metadata.csv"),
            "path,title,date\na.txt,A,01/05/2023\nb.txt,B,2023-05-01\n",
        )
        .unwrap();
        fs::write(
            dir.path().join("c.txt.meta.json"),
            "{\"pubDate\": \"soon\"}",
        )
        .unwrap();
        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        let a = sidecars.lookup(&dir.path().join("a.txt")).unwrap();
        assert_eq!((a.title.as_deref(), a.date), (Some("A"), None));
        assert!(
            sidecars
                .lookup(&dir.path().join("b.txt"))
                .unwrap()
                .date
                .is_some()
        );
        sidecars.lookup(&dir.path().join("c.txt")).unwrap();
        assert_eq!(
            *warnings.lock().unwrap(),
            [
                "metadata.csv: line 2: `date: \"01/05/2023\"` is not a date quarry reads (write \
                 YYYY-MM-DD); the date is left out",
                "c.txt.meta.json: `pubDate: \"soon\"` is not a date quarry reads (write \
                 YYYY-MM-DD); the date is left out"
            ]
        );
    }

    #[test]
    fn a_bad_record_is_reported_once_and_only_it_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("metadata.jsonl"),
            "{\"path\": \"a.txt\", \"title\": \"A\"}\n{broken\n\n[1, 2]\n\
             {\"path\": \"b.txt\", \"title\": \"B\"}\n",
        )
        .unwrap();
        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        // From several threads at once, as the indexer asks: the table is read once.
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for (name, title) in [("a.txt", Some("A")), ("b.txt", Some("B")), ("c", None)] {
                        let meta = sidecars.lookup(&dir.path().join(name)).unwrap();
                        assert_eq!(meta.title.as_deref(), title);
                    }
                });
            }
        });
        let warnings = std::mem::take(&mut *warnings.lock().unwrap());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("metadata.jsonl: line 2: not a JSON record")
                && warnings[0].ends_with("; this record is skipped"),
            "{warnings:?}"
        );
        assert_eq!(
            warnings[1],
            "metadata.jsonl: line 4: no \"path\" text; this record is skipped"
        );
    }

    #[test]
    fn a_csv_row_that_is_not_utf8_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("metadata.csv"),
            b"\xef\xbb\xbfpath,title\na.txt,A\nb.txt,B\xff\nc.txt,C\n\n",
        )
        .unwrap();
        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        let title_of = |name: &str| sidecars.lookup(&dir.path().join(name)).unwrap().title;
        assert_eq!(title_of("a.txt").as_deref(), Some("A"));
        assert_eq!(title_of("b.txt"), None);
        assert_eq!(title_of("c.txt").as_deref(), Some("C"));
        assert_eq!(
            std::mem::take(&mut *warnings.lock().unwrap()),
            ["metadata.csv: line 3: its \"title\" is not UTF-8 text; this record is skipped"]
        );
    }

    #[test]
    fn many_bad_records_are_counted_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("metadata.jsonl"), "{\n".repeat(25)).unwrap();
        let warnings = Mutex::new(Vec::new());
        collecting(&warnings)
            .lookup(&dir.path().join("a.txt"))
            .unwrap();
        let warnings = std::mem::take(&mut *warnings.lock().unwrap());
        assert_eq!(warnings.len(), REPORTED_BAD_RECORDS + 1);
        assert_eq!(
            warnings.last().unwrap(),
            "metadata.jsonl: 15 more problems with records not listed"
        );
    }

    #[test]
    fn a_csv_table_without_a_path_column_is_ignored_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("metadata.csv"), "file,title\na.txt,A\n").unwrap();
        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        for name in ["a.txt", "b.txt"] {
            let meta = sidecars.lookup(&dir.path().join(name)).unwrap();
            assert_eq!(meta, Metadata::default());
        }
        assert_eq!(
            std::mem::take(&mut *warnings.lock().unwrap()),
            ["metadata.csv: its header line has no \"path\" column; the table is ignored"]
        );
    }

    #[test]
    fn a_table_too_large_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let table = File::create(dir.path().join("metadata.jsonl")).unwrap();
        // Sparse: takes no room on disk.
        table.set_len(MAX_TABLE_BYTES + 1).unwrap();
        let warnings = Mutex::new(Vec::new());
        let meta = collecting(&warnings)
            .lookup(&dir.path().join("a.txt"))
            .unwrap();
        assert_eq!(meta, Metadata::default());
        assert_eq!(
            std::mem::take(&mut *warnings.lock().unwrap()),
            [
                "metadata.jsonl: larger than the 64 MiB a sidecar file may hold; \
                 the table is ignored"
            ]
        );
    }

    /// `lookup(path)` run on another thread, failing rather than waiting forever.
    fn lookup_in_time(sidecars: &Sidecars, path: &Path) -> Result<Metadata> {
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| tx.send(sidecars.lookup(path)));
            rx.recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("looking up {} blocked", path.display()))
        })
    }

    fn mkfifo(path: &Path) {
        let made = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(made.success());
    }

    #[test]
    fn only_regular_files_are_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // A folder named like the table looked for first leaves the next kind to be found.
        fs::create_dir(root.join("metadata.jsonl")).unwrap();
        fs::write(root.join("metadata.csv"), "path,title\na.txt,From CSV\n").unwrap();
        fs::create_dir(root.join("a.meta.json")).unwrap();
        let sub = root.join("sub");
        fs::create_dir(&sub).unwrap();
        mkfifo(&sub.join("metadata.csv"));
        mkfifo(&sub.join("b.meta.json"));
        let elsewhere = root.join("elsewhere.csv");
        fs::write(&elsewhere, "path,title\nc.txt,Linked\n").unwrap();
        let linked = root.join("linked");
        fs::create_dir(&linked).unwrap();
        std::os::unix::fs::symlink(&elsewhere, linked.join("metadata.csv")).unwrap();

        let warnings = Mutex::new(Vec::new());
        let sidecars = collecting(&warnings);
        let title_of = |path: PathBuf| lookup_in_time(&sidecars, &path).unwrap().title;
        assert_eq!(title_of(root.join("a.txt")).as_deref(), Some("From CSV"));
        assert_eq!(title_of(sub.join("b.txt")), None);
        assert_eq!(title_of(linked.join("c.txt")), None);
        let mut warnings = std::mem::take(&mut *warnings.lock().unwrap());
        warnings.sort();
        let ignored = ": not read for metadata";
        assert_eq!(
            warnings,
            [
                format!("a.meta.json: a folder, not a regular file{ignored}"),
                format!("b.meta.json: a named pipe, not a regular file{ignored}"),
                format!("metadata.csv: a named pipe, not a regular file{ignored}"),
                format!(
                    "metadata.csv: a symbolic link (links are not followed), not a regular \
                     file{ignored}"
                ),
                format!("metadata.jsonl: a folder, not a regular file{ignored}"),
            ]
        );
    }

    #[test]
    fn a_pipe_put_in_place_after_the_listing_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("metadata.csv");
        mkfifo(&pipe);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let refused = match read_sidecar(&pipe, MAX_TABLE_BYTES) {
                Err(Unread::Refused(why)) => why,
                _ => String::new(),
            };
            tx.send(refused)
        });
        let refused = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("not blocked");
        assert_eq!(refused, "a named pipe, not a regular file");
    }
}
