//! The folders (and files) an index holds, and forgetting them: `quarry roots` and
//! `quarry forget`. A root is what was named to `quarry index` (remembered in the marker even
//! while it holds no articles) or what the index's articles were found under.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tantivy::{IndexWriter, Term};

use crate::index::catalog::{self, Catalog};
use crate::index::store::{self, RootRecord, Store};
use crate::paths::{path_bytes, path_from_bytes, path_text};

/// One root of an index, and how it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub path: PathBuf,
    pub articles: usize,
    /// When a run last walked it to the end, in seconds since the Unix epoch.
    pub updated: Option<u64>,
    pub state: State,
}

/// Whether a root can be updated now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Present,
    Missing,
    /// On another device than its articles were found on: a drive not mounted?
    OtherDevice,
    /// Could not be looked at; why.
    Unreadable(String),
}

impl State {
    /// The name scripts read.
    pub fn name(&self) -> &'static str {
        match self {
            State::Present => "present",
            State::Missing => "missing",
            State::OtherDevice => "other-device",
            State::Unreadable(_) => "unreadable",
        }
    }
}

/// What the index holds of one root: its articles and the devices they were found on (none
/// for a root remembered with no articles).
#[derive(Debug, Default)]
pub struct Found {
    pub articles: usize,
    pub devices: Vec<u64>,
}

/// Every root, as bytes, from the catalog's articles and the roots the marker remembers.
pub fn by_root(catalog: &Catalog, remembered: &[RootRecord]) -> BTreeMap<Vec<u8>, Found> {
    let mut roots: BTreeMap<Vec<u8>, Found> = BTreeMap::new();
    for indexed in catalog.values() {
        let found = roots.entry(indexed.root.clone()).or_default();
        found.articles += indexed.articles;
        if !found.devices.contains(&indexed.root_device) {
            found.devices.push(indexed.root_device);
        }
    }
    for record in remembered {
        roots
            .entry(path_bytes(&record.path()).to_vec())
            .or_default();
    }
    roots
}

/// The roots of the index, in path order.
pub fn held(store: &Store) -> Result<Vec<Held>> {
    let catalog = catalog::load(store)?;
    Ok(by_root(&catalog, &store.marker.roots)
        .into_iter()
        .map(|(root, Found { articles, devices })| {
            let path = path_from_bytes(&root);
            let state = match std::fs::metadata(&path) {
                Ok(metadata) if !devices.is_empty() && !devices.contains(&metadata.dev()) => {
                    State::OtherDevice
                }
                Ok(_) => State::Present,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => State::Missing,
                Err(err) => State::Unreadable(err.to_string()),
            };
            let updated = store
                .marker
                .roots
                .iter()
                .find(|record| record.path() == path)
                .and_then(|record| record.updated);
            Held {
                path,
                articles,
                updated,
                state,
            }
        })
        .collect())
}

/// What [`forget`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    pub articles: usize,
    pub roots: usize,
}

/// Removes from the index every article at or under `place` (a root, a folder inside one, or
/// a file), and the roots there, then commits. The files themselves are not touched.
pub fn forget(store: &mut Store, place: &Path) -> Result<Forgotten> {
    let place = absolute(place)?;
    let catalog: Catalog = catalog::load(store)?;
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(1, 16 << 20)
        .map_err(|err| store::explain(err.into(), &store.path, "write"))?;
    let mut articles = 0;
    for (key, indexed) in &catalog {
        if path_from_bytes(key).starts_with(&place) {
            writer.delete_term(Term::from_field_bytes(store.fields.path, key));
            articles += indexed.articles;
        }
    }
    let roots = store.forget_roots(&place);
    if articles == 0 && roots == 0 {
        bail!(
            "the index at {} holds nothing at or under {}; `quarry roots` lists what it holds",
            path_text(&store.path),
            path_text(&place)
        );
    }
    writer
        .commit()
        .with_context(|| format!("cannot commit the index at {}", store.path.display()))?;
    store.record_commit()?;
    writer
        .wait_merging_threads()
        .with_context(|| format!("cannot merge the index at {}", store.path.display()))?;
    crate::copies::record(store);
    Ok(Forgotten { articles, roots })
}

/// `place` as the index records paths: absolute, with links resolved as far as it exists (a
/// folder to forget is often gone).
pub fn absolute(place: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(place)
        .with_context(|| format!("cannot make {} absolute", path_text(place)))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Ok(rest.iter().rev().fold(real, |path, part| path.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_that_is_gone_is_made_absolute_from_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        let gone = dir.path().join("gone/deeper");
        assert_eq!(absolute(&gone).unwrap(), real.join("gone/deeper"));
        assert_eq!(absolute(dir.path()).unwrap(), real);
    }
}
