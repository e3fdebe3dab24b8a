//! `quarry copies`: a story saved as text and reposted as a web page is found as one group,
//! whatever the typography and the site around it; reports from one template that differ in
//! their figures are not copies.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

use std::path::Path;

use crate::support::{corpus, hits, index_run, outcome, quarry, query_json, stats};

const STORY: [&str; 3] = [
    "Dock workers voted on Monday to end a ten-day strike at the port of Rotterdam, the union \
     said, after the port authority offered a pay rise of four percent this year.",
    "The strike had stranded hundreds of container ships outside the harbour and cost \
     shippers millions of euros a day, according to the chamber of commerce.",
    "Shipping lines said it would take weeks to clear the backlog of cargo waiting at sea, \
     and that some would send their ships to Antwerp and Hamburg instead.",
];

fn report(day: u32, price: &str) -> String {
    format!(
        "FEEDER STEER PRICE\n\nThe feeder steer price, as posted by the exchange, is a \
         seven-day average of feeder steer prices from 27 states, based on auction and direct \
         country sales for steers that weigh between 600 and 800 lbs.\n\n\
         April {day} price {price}, previous quote 69.25, week before 68.90.\n"
    )
}

fn groups(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .map(|line| {
            let group: Value = serde_json::from_str(line).unwrap();
            assert_eq!(group["copies"], group["articles"].as_array().unwrap().len());
            group["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|article| article["article"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn a_story_and_its_reposted_copy_are_one_group_and_template_reports_are_not() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("news");
    fs::create_dir(&folder).unwrap();
    fs::write(
        folder.join("strike.txt"),
        format!("Dock strike ends\n\n{}\n", STORY.join("\n\n")),
    )
    .unwrap();
    let reposted = STORY
        .map(|paragraph| format!("<p>{}</p>", paragraph.replace("ten-day", "ten\u{2011}day")))
        .concat();
    fs::write(
        folder.join("repost.html"),
        format!(
            "<html><head><title>DOCK STRIKE ENDS | Harbour Blog</title></head><body>\
             <nav><a href=/>Home</a> <a href=/about>About</a></nav><article>\
             <h1>DOCK STRIKE ENDS</h1>{reposted}</article><footer>© 2024 Harbour Blog. \
             Subscribe to our newsletter.</footer></body></html>"
        ),
    )
    .unwrap();
    fs::write(folder.join("monday.txt"), report(5, "69.35")).unwrap();
    fs::write(folder.join("friday.txt"), report(9, "70.03")).unwrap();
    let index = dir.path().join("index");
    let (code, _, stderr) = index_run(&index, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = outcome(
        quarry()
            .args(["copies", "--format", "jsonl", "--index"])
            .arg(&index),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(groups(&stdout), [["repost", "strike"]]);
    // `quarry stats` counts the story once.
    let described = stats(&index);
    assert_eq!(
        (
            &described["articles"],
            &described["stories"],
            &described["copy_groups"]
        ),
        (&Value::from(4), &Value::from(3), &Value::from(1))
    );

    // A count says how many stories the matching articles tell.
    let (code, stdout, _) = outcome(
        quarry()
            .args(["query", "-c", "--index"])
            .arg(&index)
            .arg("dock strike"),
    );
    assert_eq!(
        (code, stdout.as_str()),
        (0, "2 passages in 2 articles (1 story)\n")
    );
    let (_, stdout, _) = outcome(
        quarry()
            .args(["query", "-c", "--format", "json", "--index"])
            .arg(&index)
            .arg("feeder OR dock"),
    );
    let record: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (&record["articles"], &record["stories"]),
        (&Value::from(4), &Value::from(3))
    );

    // A query gives the story once, the original's passage naming the copy; `--copies show`
    // gives each copy.
    let (code, record) = query_json(&index, &["dock strike"]);
    assert_eq!(code, 0);
    let found = hits(&record);
    assert_eq!(found.len(), 1, "{record}");
    // Neither is dated or says who published it, and they are as long: the first by path.
    assert_eq!(found[0]["article"], "repost");
    assert_eq!(found[0]["copies"][0]["article"], "strike");
    assert_eq!(found[0]["copies"][0]["original"], false);
    let (_, record) = query_json(&index, &["--copies", "show", "dock strike"]);
    assert_eq!(hits(&record).len(), 2, "{record}");
    let (_, stdout, _) = outcome(
        quarry()
            .args(["query", "--full", "--index"])
            .arg(&index)
            .arg("dock strike"),
    );
    let also = format!(
        "\n  also in 1 other file: {}\n",
        folder.join("strike.txt").display()
    );
    assert!(stdout.contains(&also), "{stdout}");

    // The groups of one file; none for a file without copies (exit 1).
    let (code, stdout, _) = outcome(
        quarry()
            .args(["copies", "--index"])
            .arg(&index)
            .arg(folder.join("strike.txt")),
    );
    assert_eq!(code, 0);
    assert!(stdout.starts_with("2 copies\n"), "{stdout}");
    assert!(stdout.contains("repost.html"), "{stdout}");
    let (code, stdout, _) = outcome(
        quarry()
            .args(["copies", "--index"])
            .arg(&index)
            .arg(folder.join("monday.txt")),
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    // A bad share is refused with the reason.
    let (code, _, stderr) = outcome(
        quarry()
            .args(["copies", "--min-overlap", "1.5", "--index"])
            .arg(&index),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not a share"), "{stderr}");
}

/// The paths under `dir` of the articles of the one group of copies in `dir/index`, the
/// original first; empty when there is none.
fn the_group(dir: &Path) -> Vec<String> {
    let (_, stdout, stderr) = outcome(
        quarry()
            .args(["copies", "--format", "jsonl", "--index"])
            .arg(dir.join("index")),
    );
    assert!(stdout.lines().count() <= 1, "{stdout}{stderr}");
    let Some(line) = stdout.lines().next() else {
        return Vec::new();
    };
    let group: Value = serde_json::from_str(line).unwrap();
    let articles = group["articles"].as_array().unwrap().iter();
    articles
        .map(|article| {
            let path = Path::new(article["path"].as_str().unwrap());
            let relative = path.strip_prefix(dir).unwrap().with_extension("");
            relative.to_str().unwrap().to_string()
        })
        .collect()
}

/// A dated Markdown article.
fn dated(date: &str, body: &str) -> String {
    format!("---\ndate: {date}\n---\n# Dock strike ends\n\n{body}\n")
}

#[test]
fn groups_follow_files_across_roots_as_they_go() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    fs::create_dir(&a).unwrap();
    fs::create_dir(&b).unwrap();
    let body = STORY.join("\n\n");
    fs::write(a.join("story.md"), dated("2024-03-02", &body)).unwrap();
    fs::write(b.join("first.md"), dated("2024-03-01", &body)).unwrap();
    let extended = format!("{body}\n\nThe union thanked the dock workers for their patience.");
    fs::write(a.join("later.md"), dated("2024-03-05", &extended)).unwrap();
    fs::write(b.join("again.md"), dated("2024-03-09", &body)).unwrap();
    // A root is never emptied by a run (a drive not mounted): b keeps an article.
    fs::write(b.join("other.md"), report(5, "69.35")).unwrap();
    let index = dir.path().join("index");
    let (code, _, stderr) = index_run(&index, &[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // The earliest dated is the original, whichever root it is under.
    assert_eq!(
        the_group(dir.path()),
        ["b/first", "a/later", "a/story", "b/again"]
    );
    // A copy deleted, the group shrinks.
    fs::remove_file(b.join("again.md")).unwrap();
    let (code, _, stderr) = index_run(&index, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(the_group(dir.path()), ["b/first", "a/later", "a/story"]);
    // The copy with a paragraph more about the dock ranks best; the original's passage is
    // shown in its place.
    let (_, record) = query_json(&index, &["dock strike"]);
    let found = hits(&record);
    assert_eq!(found.len(), 1, "{record}");
    assert_eq!(found[0]["article"], "first");
    assert_eq!(found[0]["copies"].as_array().unwrap().len(), 2);
    // Without the groups kept beside the index (damaged, or a run killed before writing
    // them), they are found again.
    let kept = fs::read_dir(&index)
        .unwrap()
        .map(|entry| entry.unwrap().path().join("stories.json"))
        .find(|path| path.exists())
        .expect("the groups are kept beside the index");
    fs::write(&kept, "{\"format\": 1, \"segments\": [], \"groups\": [[").unwrap();
    assert_eq!(the_group(dir.path()), ["b/first", "a/later", "a/story"]);
    let (_, record) = query_json(&index, &["dock strike"]);
    assert_eq!(hits(&record).len(), 1, "{record}");

    // The original deleted, the earliest of the others takes its place.
    fs::remove_file(b.join("first.md")).unwrap();
    let (code, _, stderr) = index_run(&index, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(the_group(dir.path()), ["a/story", "a/later"]);
    let (_, record) = query_json(&index, &["dock strike"]);
    assert_eq!(hits(&record)[0]["article"], "story");

    // A copy deleted, the story has no copies left.
    fs::remove_file(a.join("later.md")).unwrap();
    let (code, _, stderr) = index_run(&index, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(the_group(dir.path()).is_empty());
    let (_, record) = query_json(&index, &["dock strike"]);
    assert_eq!(hits(&record)[0]["copies"], serde_json::json!([]));
}

#[test]
fn the_publisher_a_repost_names_is_the_original() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("news");
    fs::create_dir(&folder).unwrap();
    // The seed repost: a New York Times story on another site, which says so at its end.
    let seed = fs::read_to_string(corpus().join("000_ed4d33544a02b803.txt")).unwrap();
    fs::write(folder.join("repost.txt"), &seed).unwrap();
    let lines: Vec<&str> = seed
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let story: String = lines[2..lines.len() - 2]
        .iter()
        .map(|line| format!("<p>{line}</p>\n"))
        .collect();
    let page = |meta: &str| {
        format!(
            "<html><head><title>{}</title>{meta}</head><body><article><h1>{}</h1>\n{story}\
             </article></body></html>",
            lines[0], lines[0]
        )
    };
    // Another site's copy, dated before the others, and the publisher's own, undated.
    fs::write(
        folder.join("blog.html"),
        page(
            r#"<meta property="og:site_name" content="Daily Blog">
               <meta property="article:published_time" content="2020-02-10">"#,
        ),
    )
    .unwrap();
    fs::write(
        folder.join("nyt.html"),
        page(r#"<meta property="og:site_name" content="The New York Times">"#),
    )
    .unwrap();
    let index = dir.path().join("index");
    let (code, _, stderr) = index_run(&index, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        the_group(dir.path()),
        ["news/nyt", "news/blog", "news/repost"]
    );
    // Its hit takes the date it lacks from the earliest copy, and says so.
    let (_, record) = query_json(&index, &["Emirati leaders defuse the tension"]);
    let hit = &hits(&record)[0];
    assert_eq!(
        (&hit["article"], &hit["source"], &hit["date"]),
        (
            &Value::from("nyt"),
            &Value::from("The New York Times"),
            &Value::from("2020-02-10")
        ),
        "{hit}"
    );
    let blog = folder.join("blog.html");
    assert_eq!(hit["completed_from"]["date"], blog.to_str().unwrap());

    // Without the publisher's own copy, the repost that names it is the original, though
    // another copy is dated earlier.
    fs::remove_file(folder.join("nyt.html")).unwrap();
    let (code, _, stderr) = index_run(&index, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(the_group(dir.path()), ["news/repost", "news/blog"]);
    let (_, record) = query_json(&index, &["Emirati leaders defuse the tension"]);
    let hit = &hits(&record)[0];
    assert_eq!(hit["source"], "The New York Times", "{hit}");
    assert_eq!(hit["copies"][0]["source"], "Daily Blog", "{hit}");
}

#[test]
fn a_story_saved_many_times_lists_a_bounded_number_of_copies() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("news");
    fs::create_dir(&folder).unwrap();
    for copy in 0..25 {
        fs::write(
            folder.join(format!("saved-{copy:02}.txt")),
            format!("Dock strike ends\n\n{}\n", STORY.join("\n\n")),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let (code, _, stderr) = index_run(&index, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (_, record) = query_json(&index, &["dock strike"]);
    let hit = &hits(&record)[0];
    assert_eq!(hits(&record).len(), 1);
    assert_eq!(hit["article"], "saved-00");
    assert_eq!(hit["copies"].as_array().unwrap().len(), 20);
    assert_eq!(hit["copies_total"], 24);
    assert_eq!(hit["copies"][19]["article"], "saved-20");
}

#[test]
fn a_story_stands_where_its_best_copy_ranks_however_deep_the_ranking_is_read() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("news");
    fs::create_dir(&folder).unwrap();
    let story = format!("{}\n\nA zebra was seen near the port.", STORY.join("\n\n"));
    // The original, dated; a later copy with a paragraph that matches the query better.
    fs::write(folder.join("original.md"), dated("2024-03-01", &story)).unwrap();
    fs::write(
        folder.join("copy.txt"),
        format!("Dock strike ends\n\n{story}\n\nZebra zebra zebra: the zebra walked the quay.\n"),
    )
    .unwrap();
    for filler in 0..60 {
        fs::write(
            folder.join(format!("filler-{filler:02}.txt")),
            format!("Filler {filler}\n\nA zebra and another zebra grazed in field {filler}.\n"),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let (code, _, stderr) = index_run(&index, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let story_at = |limit: &str, offset: &str| -> Vec<(u64, String)> {
        let (_, record) = query_json(&index, &["--limit", limit, "--offset", offset, "zebra"]);
        hits(&record)
            .iter()
            .filter(|hit| !hit["copies"].as_array().unwrap().is_empty())
            .map(|hit| {
                let article = hit["article"].as_str().unwrap().to_string();
                (hit["rank"].as_u64().unwrap(), article)
            })
            .collect()
    };
    // Read to the end, the story stands where the copy ranks, with the original's passage.
    let whole = story_at("200", "0");
    assert_eq!(whole.len(), 1, "{whole:?}");
    let (rank, ref article) = whole[0];
    assert_eq!(article, "original");
    let (_, shown) = query_json(&index, &["--copies", "show", "--limit", "200", "zebra"]);
    let first_copy = hits(&shown)
        .iter()
        .position(|hit| hit["article"] == "copy" || hit["article"] == "original");
    assert_eq!(first_copy, Some(rank as usize - 1));
    // Read less deep, it is at the same place, or not yet reached.
    for limit in 1..=rank + 3 {
        let expected = if limit >= rank {
            whole.clone()
        } else {
            Vec::new()
        };
        assert_eq!(
            story_at(&limit.to_string(), "0"),
            expected,
            "--limit {limit}"
        );
    }
    // Page by page, it comes once.
    let pages: Vec<(u64, String)> = (0..14)
        .flat_map(|page| story_at("5", &(page * 5).to_string()))
        .collect();
    assert_eq!(pages, whole);
    // A TREC run, which reads ids from a fast field and no passage, ranks as the hits do.
    for copies in ["collapse", "show"] {
        let (_, record) = query_json(
            &index,
            &[
                "--copies",
                copies,
                "--per-article",
                "1",
                "--limit",
                "200",
                "zebra",
            ],
        );
        let expected: Vec<String> = hits(&record)
            .iter()
            .enumerate()
            .map(|(at, hit)| {
                let score = hit["score"].as_f64().unwrap();
                format!(
                    "1 Q0 {} {} {score:.3} quarry",
                    hit["article"].as_str().unwrap(),
                    at + 1
                )
            })
            .collect();
        let run = quarry()
            .args([
                "query", "--copies", copies, "--format", "trec", "--limit", "200",
            ])
            .args(["--index", index.to_str().unwrap(), "zebra"])
            .output()
            .unwrap();
        let run: Vec<String> = String::from_utf8(run.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let mut columns: Vec<String> = line.split(' ').map(str::to_string).collect();
                let score: f64 = columns[4].parse().unwrap();
                columns[4] = format!("{score:.3}");
                columns.join(" ")
            })
            .collect();
        assert_eq!(run, expected, "--copies {copies}");
        assert!(
            run.iter().any(|line| line.contains(" original ")),
            "{run:?}"
        );
    }
}
