//! What a person reads: results grouped by article on a terminal, `path:line: text` in a
//! pipe, whole passages, paths, counts, vim's lines, PATHs after the query, and the pager.

use std::collections::HashSet;
use std::path::Path;

use regex::Regex;
use serde_json::Value;
use tempfile::TempDir;

use crate::support::{
    assert_snapshot, corpus_and_fixtures_index, corpus_index, hits, outcome, quarry, query_json,
};

/// Runs `quarry query` on the corpus index from the project folder (paths show as
/// `corpus/…`), without colour; returns stdout and stderr.
fn run_in(index: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(
        quarry()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["query", "--color", "never", "--index"])
            .arg(index)
            .args(args),
    )
}

fn run(args: &[&str]) -> String {
    let (code, stdout, stderr) = run_in(corpus_index(), args);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// JSON with its timings, scores and the project's folder made stable.
fn stable_json(json: &str) -> String {
    let numbers = Regex::new(r#""(took_ms|score)":[0-9.e-]+"#).unwrap();
    numbers
        .replace_all(json, "\"$1\":N")
        .replace(env!("CARGO_MANIFEST_DIR"), "DIR")
}

#[test]
fn snapshots_of_what_people_and_scripts_read() {
    let query = "maximum pressure";
    assert_snapshot(
        "compact-80.txt",
        &run(&["--heading", "--width", "80", query]),
    );
    assert_snapshot(
        "compact-200.txt",
        &run(&["--heading", "--width", "200", query]),
    );
    assert_snapshot("pipe.txt", &run(&[query]));
    assert_snapshot(
        "full-80.txt",
        &run(&[
            "--full",
            "--width",
            "80",
            "--limit",
            "1",
            "--per-article",
            "2",
            query,
        ]),
    );
    assert_snapshot("vimgrep.txt", &run(&["--vimgrep", "\"maximum pressure\""]));
    assert_snapshot(
        "json.txt",
        &stable_json(&run(&[
            "--format",
            "json",
            "--limit",
            "2",
            "\"maximum pressure\"",
        ])),
    );
}

#[test]
fn the_first_article_fits_one_screen_and_the_first_page_sixty_lines() {
    let text = run(&["--heading", "--width", "80", "maximum pressure"]);
    let lines: Vec<&str> = text.lines().collect();
    let first_article = lines.iter().take_while(|line| !line.is_empty()).count();
    let widest = lines
        .iter()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0);
    eprintln!(
        "80x24: the first article takes {first_article} lines, the first page {} lines, the \
         widest line {widest} columns",
        lines.len()
    );
    assert!(first_article <= 24, "{text}");
    assert!(lines.len() < 60, "{text}");
    assert!(widest <= 80, "{text}");
    // Each line of context is labelled with the file line its first match is on.
    let labelled = Regex::new(r"^ +(\d+): ").unwrap();
    let header = Regex::new(r"^(corpus/\S+\.txt)  ").unwrap();
    let mut file = String::new();
    for line in &lines {
        if let Some(path) = header.captures(line) {
            file = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path[1]))
                .unwrap();
        } else if let Some(number) = labelled.captures(line) {
            let number: usize = number[1].parse().unwrap();
            let source = file.lines().nth(number - 1).unwrap().to_lowercase();
            assert!(
                source.contains("maximum") || source.contains("pressure"),
                "line {number} has no match: {source:?}"
            );
        }
    }
}

#[test]
fn a_pipe_gets_one_grep_line_per_passage() {
    let text = run(&["Soleimani"]);
    let line = Regex::new(r"^corpus/\S+\.txt:\d+: \S").unwrap();
    assert!(!text.is_empty());
    assert!(text.lines().all(|l| line.is_match(l)), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn count_is_exact_for_the_whole_index() {
    let (_, all) = query_json(corpus_index(), &["--limit", "10000", "iran"]);
    let passages = hits(&all).len();
    let articles: HashSet<&str> = hits(&all)
        .iter()
        .map(|hit| hit["path"].as_str().unwrap())
        .collect();
    assert!(passages > 10);
    assert_eq!(
        run(&["-c", "iran"]),
        format!("{passages} passages in {} articles\n", articles.len())
    );
    let json: Value = serde_json::from_str(&run(&["-c", "--format", "json", "iran"])).unwrap();
    assert_eq!(json["passages"], passages);
    assert_eq!(json["articles"], articles.len());
    // No match: a count of 0, and exit code 1 as for any query without a match.
    let (code, stdout, _) = run_in(corpus_index(), &["-c", "zzzqqq"]);
    assert_eq!((code, stdout.as_str()), (1, "0 passages in 0 articles\n"));
}

#[test]
fn files_with_matches_lists_every_article_best_first() {
    let (_, best) = query_json(
        corpus_index(),
        &["--per-article", "1", "--limit", "100", "sanctions"],
    );
    let expected: Vec<String> = hits(&best)
        .iter()
        .map(|hit| {
            let path = hit["path"].as_str().unwrap();
            format!("corpus/{}", path.rsplit('/').next().unwrap())
        })
        .collect();
    assert!(expected.len() >= 3);
    let listed = run(&["-l", "sanctions"]);
    assert_eq!(listed.lines().collect::<Vec<_>>(), expected);
    assert_eq!(run(&["-l", "-n", "1", "sanctions"]).lines().count(), 1);
}

#[test]
fn paths_after_the_query_and_in_restrict_the_search() {
    let index = corpus_and_fixtures_index();
    let listed = |args: &[&str]| {
        let (code, stdout, stderr) = run_in(index, args);
        assert_eq!(code, 0, "{stderr}");
        stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    // `*` matches every article.
    let everywhere = listed(&["-l", "*"]);
    assert!(everywhere.iter().any(|p| p.starts_with("tests/fixtures/")));
    let in_corpus = listed(&["-l", "*", "corpus/"]);
    assert_eq!(in_corpus.len(), 5, "{in_corpus:?}");
    assert!(in_corpus.iter().all(|p| p.starts_with("corpus/")));
    assert_eq!(listed(&["-l", "--in", "corpus", "*"]), in_corpus);
    let one = "corpus/000_ed4d33544a02b803.txt";
    assert_eq!(listed(&["-l", "*", one]), [one]);
    let both = listed(&["-l", "*", one, "./tests/fixtures/articles"]);
    assert!(both.contains(&one.to_string()) && both.len() > 1);
    assert!(
        both.iter()
            .all(|p| p == one || p.starts_with("tests/fixtures/"))
    );
    assert_eq!(both.len(), everywhere.len() - 4);
    // A bare word that names a folder is searched, and a warning says how to search in it.
    let (_, _, stderr) = run_in(index, &["-l", "iran", "corpus"]);
    assert!(stderr.contains("write `corpus/` or use --in"), "{stderr}");
}

#[test]
fn vimgrep_lines_point_at_a_matched_word() {
    let text = run(&["--vimgrep", "maximum pressure"]);
    let line = Regex::new(r"^(corpus/\S+\.txt):(\d+):(\d+): ").unwrap();
    assert!(text.lines().count() >= 5, "{text}");
    for found in text.lines() {
        let parts = line.captures(found).unwrap_or_else(|| panic!("{found}"));
        let file =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&parts[1])).unwrap();
        let number: usize = parts[2].parse().unwrap();
        let column: usize = parts[3].parse().unwrap();
        let at = file.lines().nth(number - 1).unwrap()[column - 1..].to_lowercase();
        assert!(
            at.starts_with("maximum") || at.starts_with("pressure"),
            "{found}: {at:?}"
        );
    }
}

#[test]
fn a_phrase_lights_up_only_where_it_occurs() {
    let (_, record) = query_json(corpus_index(), &["--limit", "10", "\"maximum pressure\""]);
    let phrase = Regex::new(r"(?i)^maximum\W+pressure$").unwrap();
    let mut marked = 0;
    for hit in hits(&record) {
        let passage = hit["passage"].as_str().unwrap();
        for range in hit["highlights"].as_array().unwrap() {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            let text = &passage[start as usize..end as usize];
            assert!(phrase.is_match(text), "{text:?} lit up");
            marked += 1;
        }
        // The snippet's own highlights point into its own text.
        let snippet = &hit["snippet"];
        let text = snippet["text"].as_str().unwrap();
        assert!(passage.contains(text));
        for range in snippet["highlights"].as_array().unwrap() {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            assert!(phrase.is_match(&text[start as usize..end as usize]));
        }
    }
    assert!(marked >= 5);
}

#[test]
fn views_that_print_no_hits_refuse_what_they_cannot_show() {
    for args in [
        &["-l", "--format", "json", "iran"][..],
        &["--vimgrep", "--format", "tsv", "iran"],
        &["-c", "--format", "trec", "iran"],
        &["-c", "--explain", "iran"],
        &["-l", "-c", "iran"],
    ] {
        let (code, _, stderr) = run_in(corpus_index(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn the_pager_never_runs_in_a_pipe_and_does_on_a_terminal() {
    let dir = TempDir::new().unwrap();
    let marker = dir.path().join("paged");
    let pager = format!("touch {}", marker.display());
    let output = quarry()
        .env("QUARRY_PAGER", &pager)
        .args(["query", "--index"])
        .arg(corpus_index())
        .arg("iran")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!marker.exists(), "a pager ran in a pipe");
    // On a terminal (a pseudo-terminal from `script`), it runs, unless --no-pager.
    let Ok(script) = which("script") else {
        eprintln!("SKIPPED: `script` (util-linux) is not installed, no terminal to page on");
        return;
    };
    let binary = assert_cmd::cargo::cargo_bin("quarry");
    let on_terminal = |extra: &str| {
        let command = format!(
            "{} query --index {} {extra} iran",
            binary.display(),
            corpus_index().display()
        );
        let status = std::process::Command::new(&script)
            .args(["-qec", &command, "/dev/null"])
            .env("QUARRY_PAGER", &pager)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    on_terminal("--no-pager");
    assert!(!marker.exists(), "--no-pager paged");
    on_terminal("");
    assert!(marker.exists(), "no pager on a terminal");
}

/// The path of `program` on `$PATH`.
fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .ok_or(())
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_restricts_the_search_and_a_query_word_must_be_text() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(dir.path().join(name), "Title\n\nThe ocelot slept.\n").unwrap();
    std::fs::write(
        dir.path().join("other.txt"),
        "Other\n\nAnother ocelot woke.\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    quarry()
        .args(["index", "--index"])
        .arg(&index)
        .arg(dir.path())
        .assert()
        .success();
    let (code, stdout, stderr) = outcome(
        quarry()
            .args(["query", "-l", "--index"])
            .arg(&index)
            .arg("ocelot")
            .arg(dir.path().join(name)),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("caf\\xe9.txt"), "{stdout}");
    let word = std::ffi::OsStr::from_bytes(b"ocel\xe9");
    let (code, _, stderr) = outcome(quarry().args(["query", "--index"]).arg(&index).arg(word));
    assert_eq!(code, 2);
    assert!(stderr.contains("not UTF-8 text"), "{stderr}");
}
