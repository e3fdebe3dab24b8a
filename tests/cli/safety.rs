//! What quarry must never do to a user's data: delete files it did not make, lose the index
//! during a rebuild, or remove articles on the word of a walk that could not see them.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::support::{article, corpus, index_run, quarry, stats};

fn three_articles(parent: &Path, name: &str) -> PathBuf {
    let docs = parent.join(name);
    fs::create_dir_all(&docs).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            docs.join(format!("{name}.txt")),
            article(name, "Pangolins roll up."),
        )
        .unwrap();
    }
    docs
}

#[test]
fn a_folder_with_a_file_named_quarry_json_is_not_emptied() {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    fs::create_dir_all(home.join("notes")).unwrap();
    fs::write(home.join("quarry.json"), "").unwrap();
    fs::write(home.join("thesis.tex"), "precious").unwrap();
    fs::write(home.join("notes/todo.txt"), "precious").unwrap();
    let (code, _, err) = index_run(&home, &["--rebuild", corpus().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did not write"), "{err}");
    assert!(home.join("thesis.tex").is_file());
    assert!(home.join("notes/todo.txt").is_file());
    assert!(home.join("quarry.json").is_file());
}

#[test]
fn a_folder_inside_the_index_is_refused_not_deleted() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    let (code, _, _) = index_run(&index, &[corpus().to_str().unwrap()]);
    assert_eq!(code, 0);
    let inside = three_articles(&index, "articles");
    for args in [vec![], vec!["--rebuild"]] {
        let mut args = args.clone();
        args.push(inside.to_str().unwrap());
        let (code, _, err) = index_run(&index, &args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("inside the index folder"), "{err}");
        assert!(inside.join("a.txt").is_file(), "{args:?} deleted it");
    }
    // The index is as it was.
    assert_eq!(stats(&index)["articles"], 5);
}

#[test]
fn a_rebuild_keeps_the_old_index_until_the_new_one_is_complete() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    // What a rebuild killed early leaves: a new generation beside the live one, half made.
    let half_made = index.join("generation-2");
    fs::create_dir(&half_made).unwrap();
    fs::write(half_made.join("meta.json"), "{").unwrap();
    fs::write(
        half_made.join("0123456789abcdef0123456789abcdef.idx"),
        "partial",
    )
    .unwrap();
    quarry()
        .args(["query", "-q", "--index"])
        .arg(&index)
        .arg("Soleimani")
        .assert()
        .success();
    assert_eq!(stats(&index)["articles"], 5);
    // The next writer clears it away, and a rebuild that completes replaces the old index.
    let docs = three_articles(dir.path(), "docs");
    let (code, out, err) = index_run(&index, &["--rebuild", docs.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("3 added"), "{out}");
    assert_eq!(stats(&index)["articles"], 3);
    let left: Vec<String> = fs::read_dir(&index)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("generation-"))
        .collect();
    assert_eq!(left, ["generation-2"], "one generation is left");
}

#[test]
fn a_root_that_walks_empty_keeps_its_articles_unless_named() {
    let dir = TempDir::new().unwrap();
    let drive = three_articles(dir.path(), "drive");
    let index = dir.path().join("idx");
    index_run(&index, &[drive.to_str().unwrap()]);
    // An unmounted drive leaves its empty mount point.
    for name in ["a", "b", "c"] {
        fs::remove_file(drive.join(format!("{name}.txt"))).unwrap();
    }
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("holds no articles now"), "{err}");
    assert!(out.contains(" 0 removed"), "{out}");
    assert_eq!(stats(&index)["articles"], 3);
    // Named, it is taken at its word.
    let (code, out, err) = index_run(&index, &[drive.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(" 3 removed"), "{out}");
    assert_eq!(stats(&index)["articles"], 0);
}

#[test]
fn a_name_that_spells_out_an_escape_is_another_file() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let raw = docs.join(std::ffi::OsStr::from_bytes(b"a\xff.txt"));
    fs::write(&raw, article("First", "The alphaunique text.")).unwrap();
    fs::write(
        docs.join("a\\xff.txt"),
        article("Second", "The betaunique text, longer than the first."),
    )
    .unwrap();
    let index = dir.path().join("idx");
    let (_, out, _) = index_run(&index, &[docs.to_str().unwrap()]);
    assert!(out.starts_with("2 added"), "{out}");
    let (_, out, _) = index_run(&index, &[docs.to_str().unwrap()]);
    assert!(
        out.starts_with("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{out}"
    );
    for word in ["alphaunique", "betaunique"] {
        quarry()
            .args(["query", "-q", "--index"])
            .arg(&index)
            .arg(word)
            .assert()
            .success();
    }
}

#[test]
fn files_a_failed_run_left_are_collected_by_the_next() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    // A segment file written, registered with tantivy, never committed (a run that died on a
    // full disk).
    let generation = index.join("generation-1");
    let orphan = generation.join("fedcba9876543210fedcba9876543210.store");
    fs::write(&orphan, vec![0u8; 4096]).unwrap();
    let managed = generation.join(".managed.json");
    let mut files: Vec<String> =
        serde_json::from_slice(&fs::read(&managed).unwrap()).expect("tantivy's list of files");
    files.push("fedcba9876543210fedcba9876543210.store".into());
    fs::write(&managed, serde_json::to_vec(&files).unwrap()).unwrap();
    let (code, _, err) = index_run(&index, &[corpus().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!orphan.exists(), "the orphaned segment file is still there");
}

/// Runs `program` as the unprivileged user `nobody` when the tests run as root (as CI does:
/// root reads and writes whatever the permissions say), else as it is. None when neither can be
/// done here.
fn as_unprivileged(program: &Path) -> Option<Command> {
    let root = fs::metadata("/proc/self").is_ok_and(|meta| {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == 0
    });
    if !root {
        return Some(Command::new(program));
    }
    let setpriv = Path::new("/usr/bin/setpriv");
    if !setpriv.is_file() {
        return None;
    }
    let mut command = Command::new(setpriv);
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program);
    Some(command)
}

fn quarry_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_quarry"))
}

/// A temporary folder everyone may enter, so that `nobody` reaches what is made inside it.
fn open_temp_dir() -> TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn everyone_writes(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir(path) {
        let mode = if entry.is_dir() { 0o777 } else { 0o666 };
        fs::set_permissions(&entry, fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// `path` and everything under it.
fn walkdir(path: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(path)
        .into_iter()
        .map(|entry| entry.expect("a readable test folder").into_path())
        .collect()
}

#[test]
fn an_index_one_may_only_read_can_be_queried() {
    let dir = open_temp_dir();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    let Some(mut command) = as_unprivileged(&quarry_binary()) else {
        eprintln!("SKIPPED an_index_one_may_only_read_can_be_queried: no setpriv to drop root");
        return;
    };
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir(&index) {
        let mode = if entry.is_dir() { 0o555 } else { 0o444 };
        fs::set_permissions(&entry, fs::Permissions::from_mode(mode)).unwrap();
    }
    let output = command
        .args(["query", "-q", "--index"])
        .arg(&index)
        .arg("Soleimani")
        .output()
        .unwrap();
    everyone_writes(&index);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn a_folder_that_cannot_be_listed_keeps_its_articles() {
    let dir = open_temp_dir();
    let src = dir.path().join("src");
    let locked = three_articles(&src, "locked");
    three_articles(&src, "open");
    everyone_writes(&src);
    let index = dir.path().join("idx");
    fs::create_dir(&index).unwrap();
    everyone_writes(&index);
    let run = |expect_removed: &str| {
        let Some(mut command) = as_unprivileged(&quarry_binary()) else {
            return false;
        };
        let output = command
            .args(["index", "--index"])
            .arg(&index)
            .arg(&src)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(stdout.contains(expect_removed), "{stdout}");
        true
    };
    if !run(" 0 removed") {
        eprintln!("SKIPPED a_folder_that_cannot_be_listed_keeps_its_articles: cannot drop root");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    run(" 0 removed");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(stats(&index)["articles"], 6);
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_indexed() {
    let dir = open_temp_dir();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(
        docs.join("good.txt"),
        article("Good", "Saffron you may read."),
    )
    .unwrap();
    let secret = docs.join("unreadable.txt");
    fs::write(&secret, article("Secret", "Saffron you may not read.")).unwrap();
    everyone_writes(&docs);
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let index = dir.path().join("idx");
    fs::create_dir(&index).unwrap();
    everyone_writes(&index);
    // Root reads any file: the run is made as `nobody`.
    let Some(mut command) = as_unprivileged(&quarry_binary()) else {
        eprintln!("SKIPPED an_unreadable_file_is_reported_and_the_rest_indexed: cannot drop root");
        return;
    };
    let output = command
        .args(["index", "--index"])
        .arg(&index)
        .arg(&docs)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.starts_with("1 added"), "{stdout}");
    assert!(
        stderr.contains("unreadable.txt: Permission denied"),
        "{stderr}"
    );
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn check_finds_a_flipped_bit_that_queries_cannot_see() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    index_run(&index, &[corpus().to_str().unwrap()]);
    let check = || {
        let output = quarry()
            .args(["check", "--index"])
            .arg(&index)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), text)
    };
    let (code, text) = check();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("is sound"), "{text}");
    let store_file = fs::read_dir(index.join("generation-1"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "store"))
        .expect("a document store file");
    let mut bytes = fs::read(&store_file).unwrap();
    bytes[10] ^= 0x10;
    fs::write(&store_file, bytes).unwrap();
    let (code, text) = check();
    assert_eq!(code, Some(2), "{text}");
    let name = store_file.file_name().unwrap().to_string_lossy();
    assert!(
        text.contains("is damaged") && text.contains(name.as_ref()) && text.contains("--rebuild"),
        "{text}"
    );
}

#[test]
fn too_little_memory_is_an_error_not_a_crash() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx");
    // Below what the binary's own mapping needs, the loader fails before quarry runs: the
    // limits start at the lowest where `quarry --version` runs. Above it, from far too little
    // to enough: whichever allocation fails first (a thread's stack, an mmap, the heap), each
    // run either succeeds or ends in a clear error.
    let under = |limit: u64, args: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {limit} && exec \"$0\" {args}"))
            .arg(quarry_binary())
            .arg(&index)
            .arg(corpus())
            .output()
            .unwrap()
    };
    let starts = (1..=64)
        .map(|step| step * 8_000)
        .find(|&limit| under(limit, "--version").status.success())
        .expect("quarry starts with 512 MB of address space");
    let mut failed = 0;
    for above in [1_000, 3_000, 6_000, 12_000, 24_000, 48_000] {
        let limit = starts + above;
        let output = under(limit, "index --index \"$1\" \"$2\"");
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(2) => {
                failed += 1;
                assert!(stderr.starts_with("quarry: error: "), "{stderr}");
                assert!(
                    stderr.contains("ulimit -v") && !stderr.contains("panicked"),
                    "{stderr}"
                );
            }
            other => panic!("ulimit -v {limit}: exit {other:?}: {stderr}"),
        }
    }
    assert!(failed > 0, "no limit was low enough to fail");
}

#[test]
fn an_index_path_with_escapes_is_shown_escaped() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("idx\u{1b}[2J");
    let (code, out, err) = index_run(&index, &[corpus().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let output = quarry()
        .args(["check", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let check = String::from_utf8_lossy(&output.stdout);
    for shown in [out.as_str(), check.as_ref()] {
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert!(shown.contains("idx\\u{1b}[2J"), "{shown:?}");
    }
}
