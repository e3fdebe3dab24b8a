//! `quarry roots` and `quarry forget`: what an index holds, and taking parts of it out.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{article, index_run, json_of, quarry, stats};

fn roots(index: &Path) -> Value {
    json_of([
        Path::new("roots").as_os_str(),
        "--format=json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ])
}

/// Folders `a` (two articles, one in `a/sub`), `b` (one) and `empty` under `parent`.
fn three_roots(parent: &Path) -> [String; 3] {
    let names = ["a", "b", "empty"].map(|name| parent.join(name));
    fs::create_dir_all(names[0].join("sub")).unwrap();
    fs::create_dir(&names[1]).unwrap();
    fs::create_dir(&names[2]).unwrap();
    fs::write(
        names[0].join("one.txt"),
        article("One", "Echidnas lay eggs."),
    )
    .unwrap();
    fs::write(
        names[0].join("sub/two.txt"),
        article("Two", "Echidnas dig."),
    )
    .unwrap();
    fs::write(
        names[1].join("three.txt"),
        article("Three", "Echidnas swim."),
    )
    .unwrap();
    names.map(|name| name.canonicalize().unwrap().to_str().unwrap().to_string())
}

#[test]
fn roots_are_listed_with_their_articles_and_state() {
    let dir = TempDir::new().unwrap();
    let [a, b, empty] = three_roots(dir.path());
    let index = dir.path().join("idx");
    index_run(&index, &[&a, &b, &empty]);
    fs::remove_dir_all(&b).unwrap();
    let listed = roots(&index);
    let summary: Vec<(&str, u64, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|root| {
            assert!(root["updated"].as_u64().is_some_and(|time| time > 0));
            (
                root["path"].as_str().unwrap(),
                root["articles"].as_u64().unwrap(),
                root["state"].as_str().unwrap(),
            )
        })
        .collect();
    // A folder with no articles yet is remembered too.
    assert_eq!(
        summary,
        [
            (a.as_str(), 2, "present"),
            (b.as_str(), 1, "missing"),
            (empty.as_str(), 0, "present")
        ]
    );
    let output = quarry()
        .args(["roots", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let shapes: Vec<String> = text
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            format!("{} {} | {}", words[0], words[1], words[5..].join(" "))
        })
        .collect();
    assert_eq!(
        shapes,
        [
            format!("2 articles | {a}"),
            format!("1 article | {b} (missing)"),
            format!("0 articles | {empty}")
        ]
    );
}

#[test]
fn a_root_with_no_articles_yet_is_updated_without_naming_it() {
    let dir = TempDir::new().unwrap();
    let [_, _, empty] = three_roots(dir.path());
    let index = dir.path().join("idx");
    index_run(&index, &[&empty]);
    fs::write(
        Path::new(&empty).join("new.txt"),
        article("New", "Echidnas."),
    )
    .unwrap();
    let (code, out, err) = index_run(&index, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("1 added"), "{out}");
}

#[test]
fn forgetting_a_gone_folder_removes_its_articles_and_the_warnings() {
    let dir = TempDir::new().unwrap();
    let [a, b, _] = three_roots(dir.path());
    let index = dir.path().join("idx");
    index_run(&index, &[&a, &b]);
    fs::remove_dir_all(&b).unwrap();
    let (_, _, err) = index_run(&index, &[]);
    assert!(err.contains("no longer exists"), "{err}");

    let output = quarry()
        .args(["forget", "--index"])
        .arg(&index)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!("quarry: forgot {b} (1 article, and it is no longer a root)\n")
    );
    assert_eq!(stats(&index)["articles"], 2);
    let (code, _, err) = index_run(&index, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn forgetting_a_part_of_a_root_keeps_the_root() {
    let dir = TempDir::new().unwrap();
    let [a, _, _] = three_roots(dir.path());
    let index = dir.path().join("idx");
    index_run(&index, &[&a]);
    let sub = format!("{a}/sub");
    let output = quarry()
        .args(["forget", "--index"])
        .arg(&index)
        .arg(&sub)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(
        said.starts_with(&format!("quarry: forgot {sub} (1 article)\n")),
        "{said}"
    );
    assert!(said.contains("is still on disk"), "{said}");
    assert_eq!(stats(&index)["articles"], 1);
    assert_eq!(roots(&index)[0]["articles"], 1);

    // Nothing there: an error that says where to look.
    let output = quarry()
        .args(["forget", "--index"])
        .arg(&index)
        .arg(dir.path().join("elsewhere"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(said.contains("holds nothing at or under"), "{said}");
}
