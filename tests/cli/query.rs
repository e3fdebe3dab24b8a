use std::fs;

use regex::Regex;
use serde_json::Value;
use tempfile::TempDir;

use crate::support::{corpus_index, hits, quarry, query_json};

/// A text without its whitespace, for comparing passages with file lines (quarry joins lines
/// and splits glued words).
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn soleimani_returns_several_ranked_passages_that_contain_it() {
    let (code, record) = query_json(corpus_index(), &["Soleimani"]);
    assert_eq!(code, 0);
    let hits = hits(&record);
    assert!(hits.len() >= 4, "{record}");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    for (position, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"], position + 1);
        let passage = hit["passage"].as_str().unwrap();
        assert!(passage.contains("Soleimani"), "{passage}");
        let highlights = hit["highlights"].as_array().unwrap();
        assert!(!highlights.is_empty());
        for range in highlights {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            assert_eq!(&passage[start as usize..end as usize], "Soleimani");
        }
    }
}

#[test]
fn json_hits_have_the_documented_fields() {
    let (_, record) = query_json(corpus_index(), &["maximum pressure"]);
    assert_eq!(record["query"], "maximum pressure");
    let hit = &hits(&record)[0];
    let object = hit.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let documented = [
        "article",
        "author",
        "copies",
        "copies_total",
        "date",
        "date_origin",
        "highlights",
        "lines",
        "passage",
        "path",
        "rank",
        "score",
        "snippet",
        "source",
        "title",
    ];
    assert_eq!(keys, documented);
    assert!(hit["rank"].is_u64() && hit["score"].is_f64());
    assert!(hit["article"].is_string() && hit["path"].is_string() && hit["passage"].is_string());
    for nullable in ["title", "source", "author", "date", "date_origin"] {
        assert!(
            hit[nullable].is_null() || hit[nullable].is_string(),
            "{nullable}: {hit}"
        );
    }
    assert_eq!(hit["lines"].as_array().unwrap().len(), 2);
}

#[test]
fn line_ranges_point_at_the_passage_in_its_file() {
    let (_, record) = query_json(corpus_index(), &["--limit", "200", "*"]);
    assert_eq!(hits(&record).len(), 30, "every passage");
    for hit in hits(&record) {
        let file = fs::read_to_string(hit["path"].as_str().unwrap()).unwrap();
        let lines: Vec<&str> = file.lines().collect();
        let (first, last) = (
            hit["lines"][0].as_u64().unwrap(),
            hit["lines"][1].as_u64().unwrap(),
        );
        assert!(
            1 <= first && first <= last && last as usize <= lines.len(),
            "{hit}"
        );
        let passage = hit["passage"].as_str().unwrap();
        let span = squeeze(&lines[first as usize - 1..last as usize].join(" "));
        for paragraph in passage.split('\n') {
            assert!(
                span.contains(&squeeze(paragraph)),
                "{paragraph:?} not in lines {first}-{last}"
            );
        }
        let first_word = passage.split_whitespace().next().unwrap();
        let last_word = passage.split_whitespace().last().unwrap();
        assert!(
            squeeze(lines[first as usize - 1]).contains(first_word),
            "{hit}"
        );
        assert!(
            squeeze(lines[last as usize - 1]).contains(last_word),
            "{hit}"
        );
    }
}

#[test]
fn metadata_comes_with_each_hit() {
    let (_, record) = query_json(corpus_index(), &["--limit", "50", "Pompeo"]);
    let hit = hits(&record)
        .iter()
        .find(|hit| hit["article"] == "000_ed4d33544a02b803")
        .expect("the New York Times article mentions Pompeo");
    assert_eq!(hit["date"], "2020-02-15");
    assert_eq!(
        hit["title"],
        "How Months of Miscalculation Led the U.S. and Iran to the Brink of War"
    );
    assert!(
        hit["path"]
            .as_str()
            .unwrap()
            .ends_with("corpus/000_ed4d33544a02b803.txt")
    );
}

#[test]
fn title_words_lift_an_articles_passages() {
    // "Airstrikes" is in the title of article 003 and once in the text of 004: passages of 003
    // that never say it are found through the title.
    let (code, record) = query_json(corpus_index(), &["airstrikes"]);
    assert_eq!(code, 0);
    let hits = hits(&record);
    let through_title = hits.iter().filter(|hit| {
        hit["article"] == "003_7cd47d52cad28084"
            && !hit["passage"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("airstrike")
    });
    assert!(through_title.count() >= 5);
}

#[test]
fn offset_pages_through_the_ranking() {
    let (_, all) = query_json(corpus_index(), &["--limit", "4", "sanctions"]);
    let (_, page) = query_json(
        corpus_index(),
        &["--limit", "2", "--offset", "2", "sanctions"],
    );
    assert_eq!(hits(&page).len(), 2);
    assert_eq!(hits(&page)[0]["rank"], 3);
    assert_eq!(hits(&page)[0]["passage"], hits(&all)[2]["passage"]);
    assert_eq!(hits(&page)[1]["passage"], hits(&all)[3]["passage"]);
}

#[test]
fn jsonl_has_one_line_per_hit_with_the_query() {
    let output = quarry()
        .args(["query", "--format", "jsonl", "--limit", "3", "--index"])
        .arg(corpus_index())
        .args(["Soleimani"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (position, line) in lines.iter().enumerate() {
        assert_eq!(line["query"], "Soleimani");
        assert_eq!(line["rank"], position + 1);
        assert!(line["passage"].as_str().unwrap().contains("Soleimani"));
    }
}

#[test]
fn text_output_groups_by_article_under_a_header_and_has_no_colour_in_a_pipe() {
    let output = quarry()
        .args(["query", "--heading", "--limit", "2", "--index"])
        .arg(corpus_index())
        .arg("Soleimani")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\x1b'));
    let header = Regex::new(r"^\S+\.txt  (\d{4}-\d{2}-\d{2}|undated)").unwrap();
    let headers = text.lines().filter(|line| header.is_match(line)).count();
    assert_eq!(headers, 2, "two articles: {text}");
    let context = Regex::new(r"^ +\d+: \S").unwrap();
    let more = Regex::new(r"^  \+ \d+ more passages?$").unwrap();
    assert!(
        text.lines()
            .filter(|l| l.starts_with("  "))
            .all(|l| context.is_match(l) || more.is_match(l)),
        "{text}"
    );
}

#[test]
fn colour_is_used_when_asked_and_never_with_no_color() {
    let run = |color: &str, no_color: Option<&str>| {
        let mut cmd = quarry();
        cmd.args(["query", "--limit", "1", "--color", color, "--index"])
            .arg(corpus_index())
            .arg("Soleimani");
        if let Some(value) = no_color {
            cmd.env("NO_COLOR", value);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let coloured = run("always", None);
    assert!(
        coloured.contains("\x1b[1;31mSoleimani\x1b[0m"),
        "{coloured:?}"
    );
    assert!(!run("auto", Some("1")).contains('\x1b'));
    assert!(!run("never", None).contains('\x1b'));
}

#[test]
fn no_match_exits_one() {
    let (code, record) = query_json(corpus_index(), &["xylophonist"]);
    assert_eq!(code, 1);
    assert!(hits(&record).is_empty());
    quarry()
        .args(["query", "--index"])
        .arg(corpus_index())
        .arg("xylophonist")
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn a_missing_index_exits_two_and_says_how_to_build_one() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nothing-here");
    let assert = quarry()
        .args(["query", "--index"])
        .arg(&missing)
        .arg("iran")
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert!(stderr.contains("quarry index"), "{stderr}");
}

#[test]
fn malformed_queries_are_searched_leniently_with_a_warning() {
    for query in [
        "\"maximum pressure",
        "(iran",
        "iran)",
        "title:",
        "AND",
        "\"\"",
    ] {
        let output = quarry()
            .args(["query", "--index"])
            .arg(corpus_index())
            .arg(query)
            .output()
            .unwrap();
        let code = output.status.code().unwrap();
        assert!(code == 0 || code == 1, "{query}: exit {code}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{query}: {stderr}");
    }
    let output = quarry()
        .args(["query", "--index"])
        .arg(corpus_index())
        .arg("\"maximum pressure")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("warning")
    );
}

/// The articles (ids) among the first `limit` hits of `query`, one hit per article.
fn articles(query: &[&str]) -> std::collections::BTreeSet<String> {
    let mut args = vec!["--per-article", "1", "--limit", "1000"];
    args.extend_from_slice(query);
    let (_, record) = query_json(corpus_index(), &args);
    hits(&record)
        .iter()
        .map(|hit| hit["article"].as_str().unwrap().to_string())
        .collect()
}

/// Exit code and stderr of `quarry query --index CORPUS ARGS`.
fn query_status(args: &[&str]) -> (i32, String) {
    let output = quarry()
        .args(["query", "--index"])
        .arg(corpus_index())
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn everyday_text_is_searched_as_words() {
    for query in [
        "Q3: earnings",
        "price: $18",
        "Note: oil prices",
        "meeting at 10:30",
        "https://www.nytimes.com/2020/01/03/world/middleeast/qassem-soleimani.html",
        "distributed algorithms - concurrent programs",
        "/slip flow/",
        "Soleimani's death: what now?",
    ] {
        let (code, stderr) = query_status(&[query]);
        assert!(code == 0 || code == 1, "{query}: exit {code} {stderr}");
        assert!(stderr.is_empty(), "{query}: {stderr}");
    }
    // The words around a colon are searched, not a field.
    assert!(!articles(&["Note: oil prices"]).is_empty());
    assert_eq!(articles(&["Note: oil"]), articles(&["note oil"]));
    // A spaced dash excludes nothing.
    assert_eq!(articles(&["iran - oil"]), articles(&["iran oil"]));
}

#[test]
fn field_names_are_read_in_any_case() {
    let (_, lower) = query_json(corpus_index(), &["title:iran"]);
    let (_, upper) = query_json(corpus_index(), &["TITLE:iran"]);
    assert!(!hits(&lower).is_empty());
    assert_eq!(hits(&lower), hits(&upper));
    assert!(!articles(&["text:iran"]).is_empty());
}

#[test]
fn prefixes_and_fuzzy_words_find_words() {
    let (_, record) = query_json(corpus_index(), &["Soleim*"]);
    assert!(
        hits(&record)
            .iter()
            .all(|hit| hit["passage"].as_str().unwrap().contains("Soleim")),
        "{record}"
    );
    assert!(!hits(&record).is_empty());
    // One letter off.
    assert_eq!(articles(&["Solemani~1"]), articles(&["Soleimani"]));
    let (code, stderr) = query_status(&["zzzq*"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no indexed word starts `zzzq`"), "{stderr}");
    assert!(articles(&["Solemani"]).is_empty());
}

#[test]
fn exclusion_and_requirement_apply_to_the_article() {
    let with_oil = articles(&["oil"]);
    let with_iran = articles(&["iran"]);
    assert!(!with_oil.is_empty() && !with_iran.is_empty());
    let without_oil = articles(&["iran -oil"]);
    assert_eq!(
        without_oil,
        with_iran.difference(&with_oil).cloned().collect(),
        "articles naming iran and never oil"
    );
    assert_eq!(articles(&["iran AND NOT oil"]), without_oil);
    let required = articles(&["iran +oil"]);
    assert_eq!(
        required, with_oil,
        "every article naming oil, ranked by both words"
    );
}

#[test]
fn a_query_that_only_excludes_is_an_error() {
    let (code, stderr) = query_status(&["--", "-oil"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("only says what to leave out (-oil)"),
        "{stderr}"
    );
}

#[test]
fn an_impossible_period_is_an_error() {
    for args in [
        &["--since", "2021", "--until", "2020", "iran"][..],
        &["date:2021..2020 iran"][..],
    ] {
        let (code, stderr) = query_status(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("before it starts"), "{stderr}");
    }
    assert_eq!(
        articles(&["date:2020-01..2020-01 iran"]),
        articles(&["--since", "2020-01", "--until", "2020-01", "iran"])
    );
}

#[test]
fn an_all_capitals_query_has_no_operators() {
    assert_eq!(articles(&["IRAN AND NOT OIL"]), articles(&["iran oil"]));
}

#[test]
fn a_batch_line_may_read_its_query_as_plain_words() {
    let output = quarry()
        .args(["query", "--format", "jsonl", "--index"])
        .arg(corpus_index())
        .args(["--batch", "-"])
        .write_stdin("{\"id\": \"p\", \"query\": \"iran -oil\", \"syntax\": \"plain\"}\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let plain = String::from_utf8(output.stdout).unwrap();
    let places = |record: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        hits(record)
            .iter()
            .map(|hit| (hit["path"].to_string(), hit["lines"].clone()))
            .collect()
    };
    let (_, words) = query_json(corpus_index(), &["--syntax", "plain", "iran -oil"]);
    let (_, both) = query_json(corpus_index(), &["iran oil"]);
    assert_eq!(places(&words), places(&both));
    let batch: Vec<serde_json::Value> = plain
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(batch.len(), hits(&both).len());
    assert_eq!(batch[0]["path"], hits(&both)[0]["path"]);
}

#[test]
fn words_given_separately_form_one_query() {
    let (_, joined) = query_json(corpus_index(), &["maximum pressure"]);
    let (_, separate) = query_json(corpus_index(), &["maximum", "pressure"]);
    assert_eq!(separate["query"], "maximum pressure");
    assert_eq!(hits(&joined), hits(&separate));
}
