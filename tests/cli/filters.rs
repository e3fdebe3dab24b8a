//! `quarry query` filters (--since, --until, --include-undated, --source, --author) and --sort,
//! on an index of the corpus and the fixture articles.

use crate::support::{corpus_and_fixtures_index, hits, quarry, query_json};

/// The query that matches every passage.
const EVERYTHING: &str = "*";

/// The date of each hit (`None` when undated) for a query every article matches.
fn dates(args: &[&str]) -> Vec<Option<String>> {
    let mut all = vec!["--limit", "500"];
    all.extend_from_slice(args);
    all.push(EVERYTHING);
    let (_, record) = query_json(corpus_and_fixtures_index(), &all);
    hits(&record)
        .iter()
        .map(|hit| hit["date"].as_str().map(String::from))
        .collect()
}

fn articles(args: &[&str], query: &str) -> Vec<String> {
    let mut all = vec!["--limit", "500"];
    all.extend_from_slice(args);
    all.push(query);
    let (_, record) = query_json(corpus_and_fixtures_index(), &all);
    let mut ids: Vec<String> = hits(&record)
        .iter()
        .map(|hit| hit["article"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn a_year_keeps_only_that_years_articles() {
    let found = dates(&["--since", "2020", "--until", "2020"]);
    assert!(found.len() >= 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|d| d.as_deref().is_some_and(|d| d.starts_with("2020-"))),
        "{found:?}"
    );
    let mut days: Vec<_> = found.into_iter().flatten().collect();
    days.sort();
    days.dedup();
    assert_eq!(days, ["2020-02-15", "2020-06-30", "2020-11-05"]);
}

#[test]
fn until_a_month_includes_its_last_day() {
    let mut days: Vec<_> = dates(&["--until", "2019-08"])
        .into_iter()
        .flatten()
        .collect();
    days.sort();
    days.dedup();
    assert_eq!(days, ["2018-07-09", "2019-08-20"]);
    assert!(dates(&["--until", "2019-08-19", "--since", "2019"]).is_empty());
}

#[test]
fn undated_articles_need_asking_for_with_a_date_filter() {
    let strict = dates(&["--since", "2021"]);
    assert!(
        !strict.is_empty() && strict.iter().all(Option::is_some),
        "{strict:?}"
    );
    let lenient = dates(&["--since", "2021", "--include-undated"]);
    assert!(lenient.iter().any(Option::is_none));
    assert!(lenient.iter().flatten().all(|d| d.as_str() >= "2021"));
    assert!(
        dates(&[]).iter().any(Option::is_none),
        "no date filter keeps undated articles"
    );
}

#[test]
fn source_and_author_are_case_insensitive_substrings() {
    assert_eq!(
        articles(&["--source", "new YORK"], EVERYTHING),
        ["000_ed4d33544a02b803", "003_7cd47d52cad28084"]
    );
    assert_eq!(
        articles(&["--author", "LEE"], EVERYTHING),
        ["front", "sidecar/2020/memo"]
    );
    assert_eq!(
        articles(&["--author", "lee", "--source", "economist"], EVERYTHING),
        ["front"]
    );
    assert!(articles(&["--source", "no such paper"], EVERYTHING).is_empty());
    // Characters that mean something in a pattern are taken literally.
    assert!(articles(&["--source", ".*"], EVERYTHING).is_empty());
}

#[test]
fn filters_do_not_change_scores() {
    let (_, plain) = query_json(
        corpus_and_fixtures_index(),
        &["--limit", "100", "Soleimani"],
    );
    let (_, filtered) = query_json(
        corpus_and_fixtures_index(),
        &["--limit", "100", "--source", "times", "Soleimani"],
    );
    assert!(!hits(&filtered).is_empty());
    for hit in hits(&filtered) {
        let same = hits(&plain)
            .iter()
            .find(|other| other["passage"] == hit["passage"])
            .expect("a filtered hit is a hit");
        assert_eq!(same["score"], hit["score"]);
    }
}

#[test]
fn sorting_by_date_puts_undated_articles_last() {
    for (sort, newest_first) in [("newest", true), ("oldest", false)] {
        let found = dates(&["--sort", sort]);
        let dated: Vec<&String> = found.iter().flatten().collect();
        let first_undated = found.iter().position(Option::is_none).unwrap();
        assert!(
            found[first_undated..].iter().all(Option::is_none),
            "{sort}: {found:?}"
        );
        assert!(dated.len() > 5);
        for pair in dated.windows(2) {
            if newest_first {
                assert!(pair[0] >= pair[1], "{sort}: {found:?}");
            } else {
                assert!(pair[0] <= pair[1], "{sort}: {found:?}");
            }
        }
    }
}

#[test]
fn sorted_hits_still_carry_scores_and_ranks() {
    let (_, record) = query_json(
        corpus_and_fixtures_index(),
        &["--sort", "newest", "--limit", "3", "oil"],
    );
    for (position, hit) in hits(&record).iter().enumerate() {
        assert_eq!(hit["rank"], position + 1);
        assert!(hit["score"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn curly_and_straight_apostrophes_match() {
    let (_, straight) = query_json(
        corpus_and_fixtures_index(),
        &["--limit", "500", "\"Iran's\""],
    );
    let (_, curly) = query_json(
        corpus_and_fixtures_index(),
        &["--limit", "500", "\"Iran’s\""],
    );
    assert!(hits(&straight).len() > 10);
    assert_eq!(hits(&straight).len(), hits(&curly).len());
    let passage = hits(&straight)[0]["passage"].as_str().unwrap();
    let marked: Vec<&str> = hits(&straight)[0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &passage[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    // A phrase lights up whole: `Iran` and the `s` after it.
    assert!(
        marked.iter().all(|m| *m == "Iran’s" || *m == "Iran's"),
        "{marked:?}"
    );
}

#[test]
fn a_bad_date_is_a_clear_error() {
    let output = quarry()
        .args(["query", "--index"])
        .arg(corpus_and_fixtures_index())
        .args(["--since", "2020-13", "iran"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}

#[test]
fn text_output_shows_undated() {
    let output = quarry()
        .args(["query", "--heading", "--limit", "50", "--index"])
        .arg(corpus_and_fixtures_index())
        .arg("militia")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("  undated  "), "{text}");
}
