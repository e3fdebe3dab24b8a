//! Hostile text in every output format: an article whose name, folder, title and text hold
//! terminal escapes, C1 controls, bidirectional overrides, separators and tabs. The exact
//! output of each format is pinned (scores and timings replaced by `N`, the temporary folder
//! by `DIR`), and nothing on stdout or stderr may carry a character a terminal acts on; a stderr
//! that can't be written is no panic.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{index_run, quarry};

/// The folder indexed: its name holds a C1 control (U+009B, a CSI to some terminals).
const ROOT: &str = "root\u{9b}";
/// The article's file name holds a terminal escape.
const FILE: &str = "esc\x1b[1m.txt";
/// A title with an escape and a line separator; a body with a window-title sequence, a clear
/// screen, a C1 CSI, a right-to-left override, an Arabic letter mark, DEL, a tab and a
/// paragraph separator.
const TITLE: &str = "Escape \x1b[31mStory\u{2028}Two";
const BODY: &str = "The oil \x1b]0;pwned\x07\x1b[2J text, \u{9b} csi, \u{202e} rev, \u{61c} alm, \
                    \x7f del,\ttab and \u{2029} sep.";

/// An index of the hostile article; the folder holding both is the first value.
fn hostile_index() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let root = base.join(ROOT);
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join(FILE), format!("{TITLE}\n\n{BODY}\n")).unwrap();
    let index = base.join("index");
    let (code, _, stderr) = index_run(&index, &["-q", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (dir, base)
}

/// `quarry query --format FORMAT oil` (or the batch `stdin`) run in `base`; stderr must be
/// empty.
/// The query `oil` in `format` (or text output with this flag, `--heading`).
fn query(base: &Path, format: &str, stdin: Option<&str>) -> String {
    let mut cmd = quarry();
    cmd.current_dir(base)
        .args(["query", "--color", "never", "--index"])
        .arg(base.join("index"));
    match format.strip_prefix("--") {
        Some(_) => cmd.arg(format),
        None => cmd.args(["--format", format]),
    };
    match stdin {
        Some(batch) => cmd.args(["--batch", "-"]).write_stdin(batch),
        None => cmd.arg("oil"),
    };
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// `output` with scores, timings and `base` made stable.
fn stable(output: &str, base: &Path) -> String {
    let numbers = regex::Regex::new(r"\d+\.\d+").unwrap();
    let output = output.replace(base.to_str().unwrap(), "DIR");
    numbers.replace_all(&output, "N").into_owned()
}

/// Characters a terminal acts on or that hide or reorder text: controls (tab aside, line
/// feeds between lines aside), bidirectional controls, line and paragraph separators.
fn assert_inert(output: &str, tab_allowed: bool) {
    for (at, c) in output.char_indices() {
        let unsafe_char = (c.is_control() && c != '\n' && !(tab_allowed && c == '\t'))
            || matches!(
                c,
                '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
            )
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!unsafe_char, "{c:?} at byte {at} of {output:?}");
    }
}

#[test]
fn text_output_shows_every_control_escaped() {
    let (_dir, base) = hostile_index();
    let text = stable(&query(&base, "text", None), &base);
    assert_eq!(
        text,
        "root\\u{9b}/esc\\u{1b}[1m.txt:3: \
         The oil \\u{1b}]0;pwned\\u{7}\\u{1b}[2J text, \\u{9b} csi, \\u{202e} rev, \\u{61c} alm, \
         \\u{7f} del, tab and \\u{2029} sep.\n"
    );
    assert_inert(&text, true);
    let grouped = stable(&query(&base, "--heading", None), &base);
    assert_eq!(
        grouped,
        "root\\u{9b}/esc\\u{1b}[1m.txt  undated  Escape \\u{1b}[31mStory\\u{2028}Two\n  \
         3: The oil \\u{1b}]0;pwned\\u{7}\\u{1b}[2J text, \\u{9b} csi, \\u{202e} rev, \
         \\u{61c} alm, \\u{7f} del, tab and \\u{2029} sep.\n\n"
    );
    assert_inert(&grouped, true);
}

#[test]
fn tsv_fields_hold_no_control_tab_or_line_break() {
    let (_dir, base) = hostile_index();
    let tsv = stable(&query(&base, "tsv", None), &base);
    assert_eq!(
        tsv,
        "id\tquery\trank\tscore\tarticle\tpath\tfirst_line\tlast_line\tdate\tsource\tauthor\t\
         title\tpassage\n\
         1\toil\t1\tN\tesc\\u{1b}[1m\tDIR/root\\u{9b}/esc\\u{1b}[1m.txt\t3\t3\t\t\t\t\
         Escape \\u{1b}[31mStory\\u{2028}Two\t\
         The oil \\u{1b}]0;pwned\\u{7}\\u{1b}[2J text, \\u{9b} csi, \\u{202e} rev, \\u{61c} alm, \
         \\u{7f} del,\\ttab and \\u{2029} sep.\n"
    );
    assert_inert(&tsv, true);
    assert!(tsv.lines().all(|line| line.split('\t').count() == 13));
}

#[test]
fn trec_columns_hold_no_control_or_space() {
    let (_dir, base) = hostile_index();
    assert_eq!(
        stable(&query(&base, "trec", None), &base),
        "1 Q0 esc\\u{1b}[1m 1 N quarry\n"
    );
    // Batch ids are untrusted too: escaped, their spaces joined (an empty one is refused:
    // messages::an_empty_batch_id_is_refused_for_its_line).
    let batch = "{\"id\": \"\\u001b[2J q\\u0085 7\", \"query\": \"oil\"}\n";
    let run = stable(&query(&base, "trec", Some(batch)), &base);
    assert_eq!(run, "\\u{1b}[2J_q\\u{85}_7 Q0 esc\\u{1b}[1m 1 N quarry\n");
    assert!(run.lines().all(|line| line.split(' ').count() == 6));
}

#[test]
fn json_escapes_what_a_terminal_acts_on_and_round_trips() {
    let (_dir, base) = hostile_index();
    let json = query(&base, "json", None);
    assert_eq!(
        stable(&json, &base),
        "{\"id\":\"1\",\"query\":\"oil\",\"took_ms\":N,\"hits\":[{\"rank\":1,\"score\":N,\
         \"article\":\"esc\\u001b[1m\",\"path\":\"DIR/root\\u009b/esc\\u001b[1m.txt\",\
         \"lines\":[3,3],\"title\":\"Escape \\u001b[31mStory\\u2028Two\",\"source\":null,\
         \"author\":null,\"date\":null,\"date_origin\":null,\
         \"passage\":\"The oil \\u001b]0;pwned\\u0007\\u001b[2J text, \\u009b csi, \\u202e rev, \
         \\u061c alm, \\u007f del,\\ttab and \\u2029 sep.\",\"highlights\":[[4,7]],\"snippet\":{\"text\":\"The oil \\u001b]0;pwned\\u0007\\u001b[2J text, \\u009b csi, \\u202e rev, \\u061c alm, \\u007f del,\\ttab and \\u2029 sep.\",\"highlights\":[[4,7]],\"lines\":[3,3]},\"copies\":[],\"copies_total\":0}]}\n"
    );
    let record: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["hits"][0]["title"], TITLE);
    assert_eq!(record["hits"][0]["passage"], BODY);
    let jsonl = query(&base, "jsonl", None);
    assert_inert(&jsonl, false);
    let line: Value = serde_json::from_str(&jsonl).unwrap();
    assert_eq!(line["passage"], BODY);
}

#[test]
fn inspect_and_stats_json_escape_too() {
    let (_dir, base) = hostile_index();
    let file = base.join(ROOT).join(FILE);
    let output = quarry()
        .args(["inspect", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let inspected = String::from_utf8(output.stdout).unwrap();
    assert_inert(&inspected, false);
    let record: Value = serde_json::from_str(&inspected).unwrap();
    assert_eq!(record["passages"][0]["text"], BODY);
    let output = quarry()
        .args(["stats", "--format", "json", "--index"])
        .arg(base.join("index"))
        .output()
        .unwrap();
    let stats = String::from_utf8(output.stdout).unwrap();
    assert!(stats.contains("root\\u009b"), "{stats}");
    assert_inert(&stats, false);
}

#[test]
fn stderr_escapes_paths_and_batch_lines() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("dir\x1b]0;x\x07");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "T\n\noil.\n").unwrap();
    std::fs::write(folder.join("a.meta.json"), "{oops").unwrap();
    let index = dir.path().join("index");
    let (_, _, stderr) = index_run(&index, &[dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("dir\\u{1b}]0;x\\u{7}/a.meta.json"),
        "{stderr}"
    );
    assert_inert(&stderr, false);

    let (_dir, base) = hostile_index();
    let output = quarry()
        .args(["query", "--index"])
        .arg(base.join("index"))
        .args(["--batch", "-", "--verbose"])
        .write_stdin("{\"query\": \"x\", \"\\u001b[31mbad\\u202e\": 1}\n\x1b[2J oil\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("\\u{1b}[31mbad\\u{202e}"), "{stderr}");
    assert_inert(&stderr, false);
}

#[test]
fn json_gives_the_bytes_of_a_path_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.txt");
    std::fs::write(base.join(name), "Plain\n\nThe oil here.\n").unwrap();
    std::fs::write(base.join("good.txt"), "Good\n\nMore oil here.\n").unwrap();
    let index = base.join("index");
    let (code, _, stderr) = index_run(&index, &["-q", base.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let expected: Vec<Value> = base
        .join(name)
        .as_os_str()
        .as_bytes()
        .iter()
        .map(|&byte| Value::from(byte))
        .collect();

    let json = query(&base, "jsonl", None);
    let hits: Vec<Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let bad = hits
        .iter()
        .find(|hit| hit["article"] == "bad\\xff")
        .unwrap();
    assert_eq!(bad["path"], format!("{}/bad\\xff.txt", base.display()));
    assert_eq!(bad["path_bytes"], Value::Array(expected.clone()));
    let good = hits.iter().find(|hit| hit["article"] == "good").unwrap();
    assert!(good.get("path_bytes").is_none(), "{good}");

    let inspect = |file: &Path| {
        let output = quarry()
            .args(["inspect", "--format", "json"])
            .arg(file)
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let bad = inspect(&base.join(name));
    assert_eq!(bad["path"], format!("{}/bad\\xff.txt", base.display()));
    assert_eq!(bad["path_bytes"], Value::Array(expected));
    assert!(inspect(&base.join("good.txt")).get("path_bytes").is_none());
}

#[test]
fn a_stderr_that_cannot_be_written_is_no_panic() {
    let dir = TempDir::new().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(["index", "--index"])
        .arg(dir.path().join("index"))
        .arg(dir.path().join("missing"))
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "an error, not a panic (101)");
}
