//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The bundled corpus of five articles.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The quarry binary with an environment that no user setting can leak into.
pub fn quarry() -> Command {
    let mut cmd = Command::cargo_bin("quarry").expect("the quarry binary is built");
    cmd.env_remove("QUARRY_INDEX")
        .env_remove("NO_COLOR")
        .env("HOME", std::env::temp_dir().join("quarry-tests-no-home"))
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("quarry-tests-no-home"),
        );
    cmd
}

/// An index of `corpus/` built once and shared by the tests that only read it.
pub fn corpus_index() -> &'static Path {
    static INDEX: OnceLock<TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = TempDir::new().expect("temporary folder");
            quarry()
                .arg("index")
                .arg("--index")
                .arg(dir.path())
                .arg(corpus())
                .assert()
                .success();
            dir
        })
        .path()
}

/// An index of `corpus/` and `tests/fixtures/articles/` (15 articles), built once.
pub fn corpus_and_fixtures_index() -> &'static Path {
    static INDEX: OnceLock<TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = TempDir::new().expect("temporary folder");
            let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
            quarry()
                .args(["index", "--index"])
                .arg(dir.path())
                .arg(corpus())
                .arg(fixtures)
                .assert()
                .success();
            dir
        })
        .path()
}

/// Runs `quarry query --format json` against `index` and returns the exit code and the record.
pub fn query_json(index: &Path, args: &[&str]) -> (i32, Value) {
    let output = quarry()
        .arg("query")
        .arg("--index")
        .arg(index)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("quarry runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let record = serde_json::from_str(stdout.trim()).unwrap_or_else(|err| {
        panic!("not one JSON record ({err}): {stdout:?}");
    });
    (output.status.code().expect("exit code"), record)
}

/// Runs quarry with `args` (which ask for JSON), expects success and parses its output.
pub fn json_of<I, S>(args: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = quarry().args(args).output().expect("quarry runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("not JSON ({err})"))
}

/// `quarry inspect --format=json PATH`, parsed.
pub fn inspect(path: &Path) -> Value {
    json_of([
        Path::new("inspect").as_os_str(),
        "--format=json".as_ref(),
        path.as_os_str(),
    ])
}

/// `[title, source, author, date, date_origin]` of an inspect record, with null as `-`.
pub fn summary(record: &Value) -> [String; 5] {
    ["title", "source", "author", "date", "date_origin"]
        .map(|key| record[key].as_str().unwrap_or("-").to_string())
}

/// The passages array of an inspect record.
pub fn passages(record: &Value) -> &Vec<Value> {
    record["passages"].as_array().expect("passages is an array")
}

/// All passage text of an inspect record, joined by line feeds.
pub fn passage_text(record: &Value) -> String {
    passages(record)
        .iter()
        .map(|p| p["text"].as_str().expect("a passage's text"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The hits array of a JSON query record.
pub fn hits(record: &Value) -> &Vec<Value> {
    record["hits"].as_array().expect("hits is an array")
}

/// Runs `command`: its exit code, stdout and stderr.
pub fn outcome(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("quarry runs");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        String::from_utf8(output.stderr).expect("UTF-8 messages"),
    )
}

/// Runs `quarry index --index INDEX ARGS...`: exit code, stdout and stderr.
pub fn index_run(index: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(quarry().args(["index", "--index"]).arg(index).args(args))
}

/// `quarry stats --format=json` of `index`.
pub fn stats(index: &Path) -> Value {
    json_of([
        Path::new("stats").as_os_str(),
        "--format=json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ])
}

/// The text of an article file: a title line, a blank line, the body.
pub fn article(title: &str, body: &str) -> String {
    format!("{title}\n\n{body}\n")
}

/// Compares `actual` with the snapshot `tests/snapshots/NAME`, showing the lines that differ;
/// with `QUARRY_UPDATE_SNAPSHOTS=1` in the environment, writes it instead (then review the
/// diff with git).
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("QUARRY_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        std::fs::write(&path, actual).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: write it with QUARRY_UPDATE_SNAPSHOTS=1 cargo test",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut diff = String::new();
    for line in 0..old.len().max(new.len()) {
        let (was, is) = (old.get(line), new.get(line));
        if was != is {
            diff.push_str(&format!(
                "line {}:\n  - {}\n  + {}\n",
                line + 1,
                was.unwrap_or(&"(none)"),
                is.unwrap_or(&"(none)")
            ));
        }
    }
    panic!(
        "{name} differs from its snapshot (QUARRY_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}\
         (whole output:)\n{actual}"
    );
}

/// Asserts that `stderr` reports each `(file name, reason)` on one line.
pub fn assert_reported(stderr: &str, reports: &[(&str, &str)]) {
    for (name, why) in reports {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(name) && line.contains(why)),
            "{name}: {why} in {stderr}"
        );
    }
}
