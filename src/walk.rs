//! Finding article files under the folders given to `quarry index`, and saying why every other
//! file was left out.
//!
//! The walk is walkdir's, in sorted order, with the rules applied here rather than by the
//! `ignore` crate's walker: that walker leaves files out silently, and every file left out must
//! be counted by reason. `ignore` only matches the `.quarryignore` lines and `--exclude` globs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::article::is_sidecar;
use crate::formats::Format;
use crate::paths::path_text;

/// The file in a folder that names what to leave out of it and of the folders below it.
pub const IGNORE_FILE: &str = ".quarryignore";
/// The longest `.quarryignore` read: its globs are matched against every path below it.
const IGNORE_FILE_MAX_BYTES: u64 = 64 << 10;
/// How a browser names the folder of a saved page's resources: `NAME_files` for `NAME.html`.
const SAVED_PAGE_FOLDER_SUFFIX: &[u8] = b"_files";

/// What the walk found at one path.
#[derive(Debug)]
pub enum Found {
    /// A file quarry reads.
    Article(PathBuf, Format),
    /// A file or folder left out, and why. Sidecar metadata files, `.quarryignore` files and
    /// the index folder are neither articles nor left out: they are not reported at all.
    Skipped(PathBuf, Skip),
    /// A folder or file that could not be looked at.
    Failed(PathBuf, String),
    /// A `.quarryignore` that was read only in part, or not at all.
    Warned(PathBuf, String),
}

/// Why the walk left a file or folder out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not a kind of file quarry reads (by its extension).
    Unsupported,
    /// Named like an article, but a pipe, socket or device.
    NotAFile,
    /// Its name starts with `.`; a folder is not walked.
    Hidden { folder: bool },
    /// A `.quarryignore` line or an `--exclude` glob matches it; a folder is not walked.
    Ignored { folder: bool, by: String },
    /// A folder `NAME_files` beside a page `NAME.html` (the page given), as a browser's "Save
    /// page as… complete" writes: the page's scripts, images, styles and ad frames, not
    /// articles. Not walked.
    SavedPage(PathBuf),
    /// A symbolic link, and links are not followed.
    Link,
    /// A link to a folder it is inside of: walking it would never end.
    LinkLoop(PathBuf),
    /// The same file as one found before through another link.
    SameFile(PathBuf),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not_walked = |folder: &bool| {
            if *folder {
                " (a folder, not walked)"
            } else {
                ""
            }
        };
        match self {
            Skip::Unsupported => write!(f, "not a type of file quarry reads"),
            Skip::NotAFile => write!(f, "not a regular file"),
            Skip::Hidden { folder } => write!(f, "hidden{}", not_walked(folder)),
            Skip::Ignored { folder, by } => write!(f, "ignored by {by}{}", not_walked(folder)),
            Skip::SavedPage(page) => {
                let name = page
                    .file_name()
                    .map_or_else(String::new, |name| path_text(Path::new(name)));
                write!(f, "files of the saved page {name} (a folder, not walked)")
            }
            Skip::Link => write!(f, "symbolic link, not followed (see --follow-links)"),
            Skip::LinkLoop(to) => write!(
                f,
                "link to {}, a folder it is in; not walked again",
                path_text(to)
            ),
            Skip::SameFile(first) => {
                write!(f, "the same file as {}, indexed once", path_text(first))
            }
        }
    }
}

/// What a user chose about walking, besides the `.quarryignore` files. The index remembers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `--exclude` globs, in gitignore syntax, matched against paths relative to each root.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Follow symbolic links to files and folders.
    #[serde(default)]
    pub follow_links: bool,
}

/// Walks roots with one set of [`Settings`]. Across the roots of a run, a file reached through
/// two links is an article once.
pub struct Walker<'a> {
    follow_links: bool,
    exclude: Gitignore,
    /// The index folder: never walked.
    index: &'a Path,
    /// With links followed: each article file's device and inode, and the path it was first
    /// found by.
    seen: RefCell<HashMap<(u64, u64), PathBuf>>,
}

impl<'a> Walker<'a> {
    /// Fails when an `--exclude` glob is not one.
    pub fn new(settings: &Settings, index: &'a Path) -> Result<Walker<'a>> {
        // Rooted at ".": matched against paths made relative to each root.
        let mut exclude = GitignoreBuilder::new(".");
        for glob in &settings.exclude {
            exclude
                .add_line(None, glob)
                .with_context(|| format!("--exclude {glob} is not a glob"))?;
        }
        Ok(Walker {
            follow_links: settings.follow_links,
            exclude: exclude.build().context("cannot use the --exclude globs")?,
            index,
            seen: RefCell::default(),
        })
    }

    /// Walks `start` (`root` itself, or a folder or file inside it) recursively, in a stable
    /// order, with the rules of `root` and the folders down to `start`. `start` itself is
    /// walked even when it is hidden or ignored: it was named.
    pub fn walk<'w>(&'w self, root: &Path, start: &Path) -> Walk<'w, 'a> {
        let mut rules = Rules::default();
        // The folders above `start` keep their rules for the whole walk: depth 0, below
        // every folder the walk enters.
        if let Some(above) = start.strip_prefix(root).ok().and_then(Path::parent) {
            let mut folder = root.to_path_buf();
            rules.read(&folder, 0);
            for part in above.components() {
                folder.push(part);
                rules.read(&folder, 0);
            }
        }
        let entries = WalkDir::new(start)
            .follow_links(self.follow_links)
            // Siblings share their folder's path, so their paths sort as their names do;
            // comparing whole paths as bytes skips taking each name apart again at every
            // comparison.
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter();
        Walk {
            walker: self,
            root: root.to_path_buf(),
            entries,
            rules,
        }
    }

    /// Whether walking `root` finds `path`: it lies inside `root`, and no folder on the way
    /// (nor `path` itself) is hidden, ignored, a saved page's folder or the index.
    pub fn reaches(&self, root: &Path, path: &Path) -> bool {
        let Ok(inside) = path.strip_prefix(root) else {
            return false;
        };
        let mut rules = Rules::default();
        let mut on_the_way = root.to_path_buf();
        rules.enter(root, 0);
        let parts = inside.components().count();
        inside.components().enumerate().all(|(at, part)| {
            on_the_way.push(part);
            let depth = at + 1;
            let is_dir = depth < parts || on_the_way.is_dir();
            let reached = !is_hidden(part.as_os_str())
                && on_the_way != self.index
                && self.ignored(root, &rules, &on_the_way, is_dir).is_none()
                && !(is_dir && saved_page_of(&on_the_way).is_some());
            if reached && is_dir {
                rules.enter(&on_the_way, depth);
            }
            reached
        })
    }

    /// What leaves `path` (under `root`) out, if anything: `--exclude` first, then the
    /// nearest `.quarryignore` that says anything of it.
    fn ignored(&self, root: &Path, rules: &Rules, path: &Path, is_dir: bool) -> Option<String> {
        let relative = path.strip_prefix(root).unwrap_or(path);
        if let Match::Ignore(glob) = self.exclude.matched(relative, is_dir) {
            return Some(format!("--exclude {}", glob.original()));
        }
        rules.ignored(path, is_dir)
    }
}

/// The `.quarryignore` files of the folders from a root down to where a walk is, deepest last.
#[derive(Default)]
struct Rules {
    /// Each with the depth of its folder.
    files: Vec<(usize, Gitignore)>,
}

impl Rules {
    /// Reads the `.quarryignore` of `folder` (at `depth` below the root), if there is one,
    /// after forgetting those of the folders the walk has left. Gives what is wrong with it.
    fn enter(&mut self, folder: &Path, depth: usize) -> Option<(PathBuf, String)> {
        self.leave(depth);
        self.read(folder, depth)
    }

    /// Reads the `.quarryignore` of `folder`, at `depth`, if there is one.
    fn read(&mut self, folder: &Path, depth: usize) -> Option<(PathBuf, String)> {
        let file = folder.join(IGNORE_FILE);
        // A pipe by that name would never end; a link to a file is read as the file.
        if !fs::metadata(&file).is_ok_and(|meta| meta.is_file()) {
            return None;
        }
        let (rules, problem) = read_ignore_file(&file);
        if let Some(rules) = rules {
            self.files.push((depth, rules));
        }
        problem.map(|problem| (file, problem))
    }

    /// Forgets the rules of folders at `depth` or deeper: the walk is out of them.
    fn leave(&mut self, depth: usize) {
        while self.files.last().is_some_and(|(at, _)| *at >= depth) {
            self.files.pop();
        }
    }

    fn ignored(&self, path: &Path, is_dir: bool) -> Option<String> {
        // As in git, the nearest file that says anything decides, so `!name` below re-includes.
        let decided =
            self.files
                .iter()
                .rev()
                .find_map(|(_, rules)| match rules.matched(path, is_dir) {
                    Match::None => None,
                    Match::Whitelist(_) => Some(None),
                    Match::Ignore(glob) => Some(Some(glob)),
                })?;
        decided.map(|glob| {
            let from = glob.from().map_or_else(String::new, path_text);
            format!("{from}: {}", glob.original())
        })
    }
}

/// Reads a `.quarryignore`: its rules (none if it could not be read at all), and what was wrong.
fn read_ignore_file(file: &Path) -> (Option<Gitignore>, Option<String>) {
    let mut bytes = Vec::new();
    let read = fs::File::open(file).and_then(|opened| {
        opened
            .take(IGNORE_FILE_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
    });
    if let Err(err) = read {
        return (
            None,
            Some(format!("cannot be read ({err}); nothing is ignored by it")),
        );
    }
    if bytes.len() as u64 > IGNORE_FILE_MAX_BYTES {
        let limit = IGNORE_FILE_MAX_BYTES >> 10;
        return (
            None,
            Some(format!(
                "larger than {limit} KiB; not read, nothing is ignored by it"
            )),
        );
    }
    let folder = file.parent().unwrap_or(Path::new("/"));
    let mut builder = GitignoreBuilder::new(folder);
    let mut bad = Vec::new();
    for (at, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
        if let Err(err) = builder.add_line(Some(file.to_path_buf()), line) {
            bad.push(format!("line {}: {err}", at + 1));
        }
    }
    let problem =
        (!bad.is_empty()).then(|| format!("{}; those lines are left out", bad.join("; ")));
    match builder.build() {
        Ok(rules) => (Some(rules), problem),
        Err(err) => (None, Some(format!("{err}; nothing is ignored by it"))),
    }
}

/// The walk of one root: see [`Walker::walk`].
pub struct Walk<'w, 'a> {
    walker: &'w Walker<'a>,
    root: PathBuf,
    entries: walkdir::IntoIter,
    rules: Rules,
}

impl Iterator for Walk<'_, '_> {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            let entry = match self.entries.next()? {
                Ok(entry) => entry,
                Err(err) => return Some(failed(err)),
            };
            if let Some(found) = self.look_at(&entry) {
                return Some(found);
            }
        }
    }
}

impl Walk<'_, '_> {
    /// What to say of one entry, if anything; leaves out the contents of folders not walked.
    fn look_at(&mut self, entry: &walkdir::DirEntry) -> Option<Found> {
        // Below the folders above the start, whose rules are at depth 0.
        let (path, depth) = (entry.path(), entry.depth() + 1);
        let is_dir = entry.file_type().is_dir();
        if depth > 1 {
            self.rules.leave(depth);
            let name = entry.file_name();
            // quarry's own files, not the user's: neither articles nor left out.
            if path == self.walker.index || name == IGNORE_FILE {
                if is_dir {
                    self.entries.skip_current_dir();
                }
                return None;
            }
            let skip = if is_hidden(name) {
                Some(Skip::Hidden { folder: is_dir })
            } else if let Some(by) = self.walker.ignored(&self.root, &self.rules, path, is_dir) {
                Some(Skip::Ignored { folder: is_dir, by })
            } else if is_dir {
                saved_page_of(path).map(Skip::SavedPage)
            } else {
                None
            };
            if let Some(skip) = skip {
                if is_dir {
                    self.entries.skip_current_dir();
                }
                return Some(Found::Skipped(path.to_path_buf(), skip));
            }
        }
        if is_dir {
            let problem = self.rules.enter(path, depth);
            return problem.map(|(file, problem)| Found::Warned(file, problem));
        }
        if is_sidecar(path) {
            return None;
        }
        if entry.path_is_symlink() && !self.walker.follow_links {
            return Some(Found::Skipped(path.to_path_buf(), Skip::Link));
        }
        let format = Format::of(path)
            .or_else(|| entry.file_type().is_file().then(|| Format::sniffed(path))?);
        let Some(format) = format else {
            return Some(Found::Skipped(path.to_path_buf(), Skip::Unsupported));
        };
        if !entry.file_type().is_file() {
            return Some(Found::Skipped(path.to_path_buf(), Skip::NotAFile));
        }
        if self.walker.follow_links {
            // Any entry may be the target of a link met elsewhere.
            let identity = match entry.metadata() {
                Ok(meta) => (meta.dev(), meta.ino()),
                Err(err) => return Some(failed(err)),
            };
            let mut seen = self.walker.seen.borrow_mut();
            if let Some(first) = seen.get(&identity) {
                return Some(Found::Skipped(
                    path.to_path_buf(),
                    Skip::SameFile(first.clone()),
                ));
            }
            seen.insert(identity, path.to_path_buf());
        }
        Some(Found::Article(path.to_path_buf(), format))
    }
}

fn failed(err: walkdir::Error) -> Found {
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return Found::Skipped(path, Skip::LinkLoop(ancestor.to_path_buf()));
    }
    let reason = err
        .io_error()
        .map_or_else(|| err.to_string(), |io| io.to_string());
    Found::Failed(path, reason)
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// The web page whose resources the folder `folder` holds, if it is one: a folder `NAME_files`
/// with a file `NAME.html` or `NAME.htm` (the extension in any case) beside it, as a browser's
/// "Save page as… complete" writes them. Without the page, `NAME_files` is a folder like any.
fn saved_page_of(folder: &Path) -> Option<PathBuf> {
    let stem = folder
        .file_name()?
        .as_encoded_bytes()
        .strip_suffix(SAVED_PAGE_FOLDER_SUFFIX)
        .filter(|stem| !stem.is_empty())?;
    // Listed rather than asked for by name: the extension may be in any case. Only folders
    // named `…_files` are looked at, and they are few.
    let beside = fs::read_dir(folder.parent()?).ok()?;
    beside
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let is_page = name
                .as_encoded_bytes()
                .strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix(b"."))
                .is_some_and(|extension| {
                    extension.eq_ignore_ascii_case(b"html")
                        || extension.eq_ignore_ascii_case(b"htm")
                });
            is_page && !entry.file_type().is_ok_and(|kind| kind.is_dir())
        })
        .map(|entry| entry.path())
        // `NAME.htm` and `NAME.html` both there: the same one named every time.
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes each file (and the folders it is in) under `root`.
    fn files(root: &Path, names: &[&str]) {
        for name in names {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "text").unwrap();
        }
    }

    /// What walking `root` finds: articles and left-out paths relative to `root`, with why.
    fn walked(root: &Path, settings: &Settings) -> (Vec<String>, Vec<(String, Skip)>) {
        let index = root.join("index");
        let walker = Walker::new(settings, &index).unwrap();
        let relative = |path: &Path| path.strip_prefix(root).unwrap().display().to_string();
        let (mut articles, mut skipped) = (Vec::new(), Vec::new());
        for found in walker.walk(root, root) {
            match found {
                Found::Article(path, _) => articles.push(relative(&path)),
                Found::Skipped(path, why) => skipped.push((relative(&path), why)),
                other => panic!("{other:?}"),
            }
        }
        (articles, skipped)
    }

    #[test]
    fn finds_articles_and_says_why_the_rest_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(
            root,
            &[
                "a.txt",
                "sub/b.md",
                "sub/deeper/c.html",
                "photo.jpg",
                ".hidden.txt",
                ".git/d.txt",
                ".git/e.txt",
                "index/e.txt",
                "a.meta.json",
                "metadata.csv",
            ],
        );
        std::os::unix::fs::symlink(root.join("a.txt"), root.join("link.txt")).unwrap();
        let (articles, skipped) = walked(root, &Settings::default());
        assert_eq!(articles, ["a.txt", "sub/b.md", "sub/deeper/c.html"]);
        // A hidden folder is one entry: it is not walked.
        assert_eq!(
            skipped,
            [
                (".git".into(), Skip::Hidden { folder: true }),
                (".hidden.txt".into(), Skip::Hidden { folder: false }),
                ("link.txt".into(), Skip::Link),
                ("photo.jpg".into(), Skip::Unsupported),
            ]
        );
    }

    #[test]
    fn a_quarryignore_rules_its_folder_and_below_and_the_nearest_decides() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(
            root,
            &[
                "a.txt",
                "a.draft.txt",
                "old/x.txt",
                "sub/keep.draft.txt",
                "sub/b.draft.txt",
            ],
        );
        fs::write(root.join(IGNORE_FILE), "# drafts\n*.draft.txt\n/old/\n").unwrap();
        fs::write(root.join("sub").join(IGNORE_FILE), "!keep.draft.txt\n").unwrap();
        let (articles, skipped) = walked(root, &Settings::default());
        assert_eq!(articles, ["a.txt", "sub/keep.draft.txt"]);
        let top = path_text(&root.join(IGNORE_FILE));
        assert_eq!(
            skipped,
            [
                (
                    "a.draft.txt".into(),
                    Skip::Ignored {
                        folder: false,
                        by: format!("{top}: *.draft.txt")
                    }
                ),
                (
                    "old".into(),
                    Skip::Ignored {
                        folder: true,
                        by: format!("{top}: /old/")
                    }
                ),
                (
                    "sub/b.draft.txt".into(),
                    Skip::Ignored {
                        folder: false,
                        by: format!("{top}: *.draft.txt")
                    }
                ),
            ]
        );
    }

    #[test]
    fn exclude_globs_match_below_each_root_and_bad_ones_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(
            root,
            &["a.txt", "drafts/b.txt", "sub/drafts/c.txt", "sub/d.md"],
        );
        let settings = Settings {
            exclude: vec!["drafts/".into(), "/sub/*.md".into()],
            follow_links: false,
        };
        let (articles, skipped) = walked(root, &settings);
        assert_eq!(articles, ["a.txt"]);
        let names: Vec<&str> = skipped.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["drafts", "sub/d.md", "sub/drafts"]);
        assert!(matches!(&skipped[1].1, Skip::Ignored { by, .. } if by == "--exclude /sub/*.md"));
        let bad = Settings {
            exclude: vec!["a{b".into()],
            follow_links: false,
        };
        let err = Walker::new(&bad, root).err().unwrap();
        assert!(format!("{err:#}").contains("--exclude a{b"), "{err:#}");
    }

    #[test]
    fn followed_links_end_at_loops_and_give_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(root, &["a.txt", "sub/b.txt"]);
        std::os::unix::fs::symlink(root, root.join("sub/up")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/b.txt"), root.join("z.txt")).unwrap();
        let settings = Settings {
            exclude: Vec::new(),
            follow_links: true,
        };
        let (articles, skipped) = walked(root, &settings);
        assert_eq!(articles, ["a.txt", "sub/b.txt"]);
        assert_eq!(
            skipped,
            [
                ("sub/up".into(), Skip::LinkLoop(root.to_path_buf())),
                ("z.txt".into(), Skip::SameFile(root.join("sub/b.txt"))),
            ]
        );
    }

    #[test]
    fn a_walk_reaches_what_is_inside_unless_hidden_ignored_or_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(root, &["a/b.txt", "old/c.txt", "d.tmp.txt"]);
        fs::write(root.join(IGNORE_FILE), "old\n*.tmp.txt\n").unwrap();
        let settings = Settings {
            exclude: vec!["x/".into()],
            follow_links: false,
        };
        let index = root.join("idx");
        let walker = Walker::new(&settings, &index).unwrap();
        let reaches = |path: &str| walker.reaches(root, &root.join(path));
        assert!(walker.reaches(root, root));
        assert!(reaches("a/b.txt"));
        assert!(!walker.reaches(root, Path::new("/elsewhere")));
        for left_out in [
            ".archive",
            ".archive/a",
            "a/.note.txt",
            "idx/a",
            "old/c.txt",
        ] {
            assert!(!reaches(left_out), "{left_out}");
        }
        assert!(!reaches("d.tmp.txt"));
        assert!(!reaches("x/y.txt"));
    }

    #[test]
    fn a_saved_pages_folder_is_left_out_unless_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(
            root,
            &[
                "story.html",
                "story_files/ad.html",
                "story_files/x.js",
                "Old.HTM",
                "Old_files/frame.htm",
                "other_files/kept.html",
            ],
        );
        let (articles, skipped) = walked(root, &Settings::default());
        assert_eq!(articles, ["Old.HTM", "other_files/kept.html", "story.html"]);
        assert_eq!(
            skipped,
            [
                ("Old_files".into(), Skip::SavedPage(root.join("Old.HTM"))),
                (
                    "story_files".into(),
                    Skip::SavedPage(root.join("story.html"))
                ),
            ]
        );
        assert_eq!(
            skipped[1].1.to_string(),
            "files of the saved page story.html (a folder, not walked)"
        );
        let walker = Walker::new(&Settings::default(), Path::new("/nonexistent")).unwrap();
        assert!(!walker.reaches(root, &root.join("story_files/ad.html")));
        assert!(walker.reaches(root, &root.join("other_files/kept.html")));
        // Named, it is walked.
        let named = root.join("story_files");
        let found: Vec<Found> = walker.walk(&named, &named).collect();
        assert!(
            matches!(&found[..], [Found::Article(ad, Format::Html), Found::Skipped(_, Skip::Unsupported)] if ad.ends_with("ad.html")),
            "{found:?}"
        );
    }

    #[test]
    fn a_hidden_root_given_explicitly_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(".notes");
        files(&root, &["a.txt"]);
        let walker = Walker::new(&Settings::default(), Path::new("/nonexistent")).unwrap();
        let found: Vec<Found> = walker.walk(&root, &root).collect();
        assert!(matches!(&found[..], [Found::Article(_, Format::Text)]));
    }

    #[test]
    fn a_bad_quarryignore_line_is_said_and_the_rest_applies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(root, &["a.txt", "b.txt"]);
        fs::write(root.join(IGNORE_FILE), "a{b\nb.txt\n").unwrap();
        let walker = Walker::new(&Settings::default(), Path::new("/nonexistent")).unwrap();
        let found: Vec<Found> = walker.walk(root, root).collect();
        match &found[..] {
            [
                Found::Warned(file, problem),
                Found::Article(a, _),
                Found::Skipped(b, _),
            ] => {
                assert_eq!(file, &root.join(IGNORE_FILE));
                assert!(problem.starts_with("line 1: "), "{problem}");
                assert!(a.ends_with("a.txt") && b.ends_with("b.txt"));
            }
            other => panic!("{other:?}"),
        }
    }
}
