//! Web pages as a new user meets them: hand-written pages in the shapes of real ones (a front
//! page's story among teasers, a WordPress post with its comments and widgets, a script-drawn
//! page whose text is only in its JSON-LD, a page dated only by `<time>`), read by
//! `quarry inspect --format json`: the story's text and nothing else, its metadata, and the
//! source lines of each passage.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{inspect, passage_text, passages, summary};

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name)
}

/// `[first, last]` line of a passage.
fn lines(passage: &Value) -> [u64; 2] {
    [0, 1].map(|i| passage["lines"][i].as_u64().expect("a line number"))
}

/// `text` with each run of white space made one space.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's source with white space collapsed, and the line (from 1) of each of its bytes.
struct Source {
    text: String,
    line_of: Vec<u64>,
}

impl Source {
    fn of(path: &Path) -> Source {
        let raw = fs::read_to_string(path).unwrap();
        let mut text = String::new();
        let mut line_of = Vec::new();
        for (number, line) in raw.lines().enumerate() {
            for word in line.split_whitespace() {
                if !text.is_empty() {
                    text.push(' ');
                    line_of.push(number as u64 + 1);
                }
                text.push_str(word);
                line_of.extend(std::iter::repeat_n(number as u64 + 1, word.len()));
            }
        }
        Source { text, line_of }
    }

    /// The lines of the first and last characters of `needle` (white space collapsed), which
    /// the page holds once.
    fn lines(&self, needle: &str) -> [u64; 2] {
        let needle = collapsed(needle);
        let start = self
            .text
            .find(&needle)
            .unwrap_or_else(|| panic!("{needle:?} is not in the page's source"));
        assert_eq!(
            self.text.rfind(&needle),
            Some(start),
            "{needle:?} is in the page more than once"
        );
        [self.line_of[start], self.line_of[start + needle.len() - 1]]
    }
}

/// Each passage's lines are those of the source where its text is: from the first character
/// of its first paragraph to the last of its last.
fn assert_passage_lines_are_those_of_their_text(name: &str) {
    let path = page(name);
    let source = Source::of(&path);
    let record = inspect(&path);
    assert!(!passages(&record).is_empty(), "{name}: {record}");
    for passage in passages(&record) {
        let text = passage["text"].as_str().unwrap();
        let first = text.lines().next().unwrap();
        let last = text.lines().last().unwrap();
        let expected = [source.lines(first)[0], source.lines(last)[1]];
        assert_eq!(lines(passage), expected, "{name}: {text:?}");
    }
}

fn assert_holds_all(name: &str, all: &str, wanted: &[&str]) {
    for bit in wanted {
        assert!(
            all.contains(&collapsed(bit)),
            "{name}: {bit:?} is missing from the passages:\n{all}"
        );
    }
}

fn assert_holds_none(name: &str, all: &str, unwanted: &[&str]) {
    for bit in unwanted {
        assert!(
            !all.contains(bit),
            "{name}: {bit:?} is in the passages:\n{all}"
        );
    }
}

/// The paragraphs of the story in `teasers.html`, as its source has them.
const FERRY_STORY: [&str; 4] = [
    "The regional transport authority said on Tuesday that ferries would return to the northern \
     route in early May, eight months after a collision with the breakwater forced the operator \
     to take its only vessel out of service.",
    "Repairs to the hull took longer than planned because the shipyard in Kessel had to order \
     replacement steel plates from abroad, according to a statement from the operator. Engineers \
     finished sea trials last week, and inspectors signed off on the vessel on Monday.",
    "Residents of the outer islands have relied since September on a smaller passenger boat that \
     cannot carry vehicles, and some shop owners said deliveries of fresh food had arrived only \
     twice a week. “We learned to plan everything around the weather,” said Mara Lindqvist, who \
     runs the grocery on Sundholm.",
    "The authority will run four crossings a day at first, rising to six in the summer months. \
     Fares will stay at last year’s level until the end of the season, and season tickets bought \
     before the accident will be honoured until December.",
];

#[test]
fn a_story_among_teasers_is_read_without_menu_or_footer() {
    let record = inspect(&page("teasers.html"));
    let all = passage_text(&record);
    assert_holds_all("teasers.html", &all, &FERRY_STORY);
    assert_holds_none(
        "teasers.html",
        &all,
        &[
            "The Harbour Gazette",
            "Local news",
            "Subscribe today",
            "All rights reserved",
            "About us",
            "Privacy policy",
            "Coastal Media Group",
        ],
    );
    assert_eq!(
        record["title"], "Ferry Service to Resume on the Northern Route",
        "{record}"
    );
}

#[test]
fn teasers_beside_a_story_are_not_part_of_it() {
    let all = passage_text(&inspect(&page("teasers.html")));
    assert_holds_none(
        "teasers.html",
        &all,
        &[
            "More stories",
            // Each teaser: its title, then its one sentence.
            "Bridge tolls to rise",
            "The council approved the increase",
            "Volunteers restore the old lighthouse",
            "A group of retired engineers",
            "Record entries expected",
            "Organisers say more than two hundred boats",
        ],
    );
}

#[test]
fn a_wordpress_post_is_read_without_comments_widgets_or_share_bar() {
    let name = "wordpress.html";
    let record = inspect(&page(name));
    let all = passage_text(&record);
    assert_holds_all(
        name,
        &all,
        &[
            "Anyone who came to the jumble sale in September will have noticed the buckets",
            "turned a slow leak into a steady drip above the stage.",
            "We asked a surveyor from Alnbury to look at the whole roof",
            "The timbers are mostly sound, which is the good news.",
            "She recommends three pieces of work, in this order:",
            "The committee will apply to the county’s community buildings fund in January",
            "or a head for grant applications.",
            // The sub-heading, the list and the quote.
            "What the surveyor found",
            "Replacing about a third of the slates on the north side, which have slipped or cracked.",
            "New lead flashing around the chimney stack, where the old flashing has pulled away.",
            "Treating two rafters near the eaves that show the first signs of rot.",
            "The roof has done well for a building of its age, but it will not survive another hard \
             winter without work on the north slope.",
        ],
    );
    assert_holds_none(
        name,
        &all,
        &[
            // The comments.
            "thoughts on",
            "cricket pavilion",
            "longer copper nails",
            "Women’s Institute",
            "eleven hundred pounds",
            "Graham Whitlock",
            "Helen Marsh",
            "says:",
            "Reply",
            // The sidebar.
            "About me",
            "I have lived in Fenwick",
            "writing up the minutes",
            "Recent posts",
            "word about marrows",
            // Jetpack's related posts and share bar.
            "Related",
            "Harvest supper",
            "bus shelter",
            "In \"News\"",
            "Share this",
            "Twitter",
            "Facebook",
            // Header, entry meta and footer.
            "Skip to content",
            "Notes from Fenwick",
            "A parish blog",
            "Menu",
            "Posted on",
            "Posted in",
            "Proudly powered by WordPress",
            "Quietude",
        ],
    );
}

#[test]
fn a_wordpress_post_is_dated_and_signed_by_its_entry_header() {
    let record = inspect(&page("wordpress.html"));
    assert_eq!(
        summary(&record),
        [
            "Why our village hall needs a new roof",
            "-",
            "Patricia Greene",
            "2022-10-17",
            "html"
        ]
        .map(String::from),
        "not a comment's date nor a commenter's name: {record}"
    );
}

/// The articleBody paragraphs of `jsonld-only.html`.
const DROUGHT_STORY: [&str; 4] = [
    "Farmers across the southern plain are sowing less winter wheat this autumn after the driest \
     summer in six decades left the soil too hard to work in many fields.",
    "The agricultural board estimates that the area planted will fall by about a fifth compared \
     with last year, with the sharpest drop on the sandy ground near the coast, where some \
     growers have already switched to rye, which needs less water.",
    "“You cannot drill seed into concrete,” said Ingrid Sahlberg, who farms three hundred \
     hectares outside Vallby. She has left a third of her land fallow and plans to plant oats in \
     the spring if the rain returns.",
    "Millers warned that a smaller harvest next year would push up the price of flour, although \
     stocks from the previous two seasons should soften the effect until at least the end of the \
     winter.",
];

#[test]
fn a_page_drawn_by_scripts_is_read_from_its_json_ld() {
    let name = "jsonld-only.html";
    let path = page(name);
    let record = inspect(&path);
    assert_eq!(
        summary(&record),
        [
            "Drought Forces Farmers to Rethink Winter Wheat",
            "Northwind Daily",
            "Tomas Eklund",
            "2022-08-19",
            "html",
        ]
        .map(String::from),
        "the publication date, not the modification date: {record}"
    );
    let all = passage_text(&record);
    // Each paragraph of the body is a paragraph of the passages.
    let paragraphs: Vec<&str> = all.lines().collect();
    let expected: Vec<String> = DROUGHT_STORY.iter().map(|p| collapsed(p)).collect();
    assert_eq!(paragraphs, expected, "{record}");
    assert_holds_none(
        name,
        &all,
        &[
            "enable JavaScript",
            "__INITIAL_STATE__",
            "paywall",
            "Farming",
        ],
    );
    // The passages point at the JSON-LD script.
    let raw = fs::read_to_string(&path).unwrap();
    let line_of = |needle: &str| {
        raw.lines()
            .position(|line| line.contains(needle))
            .map(|index| index as u64 + 1)
            .unwrap_or_else(|| panic!("{needle:?} is not in {name}"))
    };
    let open = line_of("<script type=\"application/ld+json\">");
    let close = open - 1
        + raw
            .lines()
            .skip(open as usize - 1)
            .position(|line| line.contains("</script>"))
            .unwrap() as u64
        + 1;
    let body = line_of("\"articleBody\"");
    for passage in passages(&record) {
        let [first, last] = lines(passage);
        assert!(
            open <= first && first <= body && body <= last && last <= close,
            "lines {first}-{last}, the script is on {open}-{close}, its articleBody on {body}"
        );
    }
}

#[test]
fn a_page_dated_only_by_time_takes_its_articles_date() {
    let record = inspect(&page("time-only.html"));
    let [title, source, _, date, origin] = summary(&record);
    assert_eq!(
        [title, source, date, origin],
        [
            "City Council Backs Plan for Riverside Park",
            "-",
            "2021-03-04",
            "html"
        ],
        "not the related story's date nor the comment's: {record}"
    );
}

#[test]
fn a_byline_names_the_author_without_the_date_beside_it() {
    let record = inspect(&page("time-only.html"));
    assert_eq!(record["author"], "Jane Roe", "{record}");
}

#[test]
fn a_story_is_read_without_its_related_stories_and_comments() {
    let name = "time-only.html";
    let path = page(name);
    let record = inspect(&path);
    let all = passage_text(&record);
    assert_holds_all(
        name,
        &all,
        &[
            "The city council voted seven to two on Wednesday night",
            "The plan calls for walking paths, a playground and a small amphitheatre",
            "“A park is a promise we have to keep paying for every year,” she said.",
            "Work on the site is scheduled to begin in the autumn.",
        ],
    );
    assert_holds_none(
        name,
        &all,
        &[
            "By Jane Roe",
            "Related",
            "Residents asked what they want",
            "nine hundred replies",
            "January 1, 2019",
            "riverwatcher",
            "I walk my dog",
            "March 5, 2021",
            "Sign in",
            "Terms of use",
        ],
    );
    // One passage: the story, from its first line to its last.
    let source = Source::of(&path);
    let expected = [
        source.lines("The city council voted seven to two")[0],
        source.lines("Work on the site is scheduled to begin in the autumn.")[1],
    ];
    let found: Vec<[u64; 2]> = passages(&record).iter().map(lines).collect();
    assert_eq!(found, [expected], "{record}");
}

#[test]
fn passages_carry_the_source_lines_of_their_text() {
    for name in ["teasers.html", "wordpress.html", "time-only.html"] {
        assert_passage_lines_are_those_of_their_text(name);
    }
}
