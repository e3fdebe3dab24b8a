//! `quarry list`: the indexed articles and their metadata.

use crate::support::{corpus, corpus_index, quarry};

fn list(args: &[&str]) -> (Option<i32>, String, String) {
    let output = quarry()
        .arg("list")
        .arg("--index")
        .arg(corpus_index())
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn every_article_is_listed_with_its_metadata() {
    let (code, out, _) = list(&[]);
    assert_eq!(code, Some(0));
    let folder = corpus().canonicalize().unwrap();
    let out = out.replace(folder.to_str().unwrap(), "corpus");
    assert_eq!(
        out,
        "2020-02-15  corpus/000_ed4d33544a02b803.txt  How Months of Miscalculation Led the U.S. \
         and Iran to the Brink of War (The New York Times)\n\
         undated     corpus/001_d1649942b54d7b17.txt  (no title) (The Washington Post; David \
         Ignatius)\n\
         undated     corpus/002_88cb0ce0897fecc9.txt  (no title) (BESA Centre)\n\
         undated     corpus/003_7cd47d52cad28084.txt  U.S. Airstrikes Contain Twin Messages to \
         Iran, American Officials Say (The New York Times)\n\
         undated     corpus/004_a434bbe70ba914b6.txt  (no title) (Foreign Affairs; Puneet \
         Talwar)\n"
    );
}

#[test]
fn the_query_filters_narrow_the_list() {
    let (_, out, _) = list(&["--undated", "--format", "jsonl"]);
    let articles: Vec<serde_json::Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(articles.len(), 4);
    assert!(articles.iter().all(|article| article["date"].is_null()));
    assert_eq!(articles[0]["article"], "001_d1649942b54d7b17");

    let (_, out, _) = list(&["--source", "new york", "--sort", "newest"]);
    let dates: Vec<&str> = out.lines().map(|line| &line[..10]).collect();
    assert_eq!(dates, ["2020-02-15", "undated   "]);

    // Nothing listed is exit code 1, as a query that finds nothing.
    let (code, out, _) = list(&["--author", "nobody at all"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    let (code, _, err) = list(&["--undated", "--since", "2020"]);
    assert_eq!(code, Some(2), "{err}");
}
