//! Finding article files under the folders given to `quarry index`.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::article::{Format, is_sidecar};

/// What the walk found at one path.
#[derive(Debug)]
pub enum Found {
    /// A file quarry reads.
    Article(PathBuf, Format),
    /// A file of another kind, or a symbolic link (links are not followed). Sidecar metadata
    /// files are neither articles nor skipped: they are not reported at all.
    Skipped(PathBuf),
    /// A folder or file that could not be looked at.
    Failed(PathBuf, String),
}

/// Walks `root` recursively, in a stable order: hidden files and folders (names starting with
/// `.`) are left out, and so is the folder `exclude` (the index itself).
pub fn walk<'a>(root: &'a Path, exclude: &'a Path) -> impl Iterator<Item = Found> + 'a {
    WalkDir::new(root)
        .follow_links(false)
        // Siblings share their folder's path, so their paths sort as their names do; comparing
        // whole paths as bytes skips taking each name apart again at every comparison.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(move |entry| {
            entry.depth() == 0 || !(is_hidden(entry.file_name()) || entry.path() == exclude)
        })
        .filter_map(|entry| match entry {
            Ok(entry) if entry.file_type().is_dir() || is_sidecar(entry.path()) => None,
            Ok(entry) => match Format::of(entry.path()) {
                Some(format) if entry.file_type().is_file() => {
                    Some(Found::Article(entry.into_path(), format))
                }
                _ => Some(Found::Skipped(entry.into_path())),
            },
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let reason = err
                    .io_error()
                    .map_or_else(|| err.to_string(), |io| io.to_string());
                Some(Found::Failed(path, reason))
            }
        })
}

/// Whether walking `root` finds `path`: it lies inside `root`, and no folder on the way (nor
/// `path` itself) is hidden or `exclude`.
pub fn reaches(root: &Path, path: &Path, exclude: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(root) else {
        return false;
    };
    let mut on_the_way = root.to_path_buf();
    inside.components().all(|part| {
        on_the_way.push(part);
        !is_hidden(part.as_os_str()) && on_the_way != exclude
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn finds_articles_skips_others_hidden_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("sub/deeper")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join("index")).unwrap();
        for file in [
            "a.txt",
            "sub/b.md",
            "sub/deeper/c.html",
            "photo.jpg",
            ".hidden.txt",
            ".git/d.txt",
            "index/e.txt",
            "a.meta.json",
            "metadata.csv",
        ] {
            fs::write(root.join(file), "text").unwrap();
        }
        let mut articles = Vec::new();
        let mut skipped = Vec::new();
        for found in walk(root, &root.join("index")) {
            match found {
                Found::Article(path, _) => articles.push(path),
                Found::Skipped(path) => skipped.push(path),
                Found::Failed(path, reason) => panic!("{}: {reason}", path.display()),
            }
        }
        let expected: Vec<PathBuf> = ["a.txt", "sub/b.md", "sub/deeper/c.html"]
            .iter()
            .map(|p| root.join(p))
            .collect();
        assert_eq!(articles, expected);
        assert_eq!(skipped, [root.join("photo.jpg")]);
    }

    #[test]
    fn a_walk_reaches_what_is_inside_unless_hidden_or_excluded() {
        let (root, index) = (Path::new("/docs"), Path::new("/docs/idx"));
        assert!(reaches(root, root, index));
        assert!(reaches(root, Path::new("/docs/a/b.txt"), index));
        assert!(!reaches(root, Path::new("/docsa"), index));
        assert!(!reaches(root, Path::new("/docs/.archive"), index));
        assert!(!reaches(root, Path::new("/docs/.archive/a"), index));
        assert!(!reaches(root, Path::new("/docs/a/.note.txt"), index));
        assert!(!reaches(root, Path::new("/docs/idx/a"), index));
    }

    #[test]
    fn a_hidden_root_given_explicitly_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(".notes");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("a.txt"), "text").unwrap();
        let found: Vec<Found> = walk(&root, Path::new("/nonexistent")).collect();
        assert!(matches!(&found[..], [Found::Article(_, Format::Text)]));
    }
}
