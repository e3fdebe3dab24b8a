//! `quarry copies`: a story saved as text and reposted as a web page is found as one group,
//! whatever the typography and the site around it; reports from one template that differ in
//! their figures are not copies.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{index_run, outcome, quarry, stats};

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
