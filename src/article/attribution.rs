//! Where an article says who published it: closing attributions (`This article originally
//! appeared in …`), signature lines (`—The Washington Post`), copyright lines, photo credits
//! (`Credit…Name for The New York Times`) and author bios (`X is … columnist for Y`).

use std::sync::LazyLock;

use regex::Regex;

use super::{metadata::FIELD_MAX_BYTES, names};
use crate::paragraph::{Line, word_count};

/// Attribution lines are short; a longer line is body text that merely mentions a publisher.
const ATTRIBUTION_MAX_WORDS: usize = 30;
/// A copyright line is shorter still.
const COPYRIGHT_MAX_WORDS: usize = 15;
/// A photo caption ending in a credit may be a few sentences long.
const CAPTION_MAX_WORDS: usize = 80;
/// The credit itself (`Name for Publication`) is a few words.
const CREDIT_MAX_WORDS: usize = 8;
/// Signatures, bios and closing attributions stand among the last few lines of an article.
const CLOSING_LINES: usize = 4;
/// An opening attribution (`Originally published in …`) stands among the first few lines.
const OPENING_LINES: usize = 3;

static ORIGINAL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let work = r"(?:article|story|piece|post|essay|column|report|interview|op-ed|commentary|analysis|text)";
    let verb = r"(?:originally|first)\s+(?:appeared|published|posted|ran|printed)";
    [
        format!(r"(?i)^\W*(?:this|the)\s+{work}\s+(?:was\s+|is\s+|has\s+been\s+)?{verb}\s+(?:in|at|on|by)\s+(?P<name>.+)$"),
        format!(r"(?i)^\W*(?:this|the|a)\s+(?:version\s+of\s+this\s+)?{work}\s+(?:appeared|was\s+published)\s+(?:originally\s+)?(?:in|at|on|by)\s+(?P<name>.+)$"),
        format!(r"(?i)^\W*{verb}\s+(?:in|at|on|by)\s+(?P<name>.+)$"),
        r"(?i)^\W*(?:reprinted|republished|reproduced|syndicated)\s+(?:here\s+)?(?:with\s+permission\s+)?(?:from|of|by)\s+(?P<name>.+)$".to_string(),
    ]
    .iter()
    .map(|pattern| Regex::new(pattern).expect("attribution patterns are valid"))
    .collect()
});

/// What a signature starts with.
const DASHES: &[char] = &['—', '–', '-'];
/// `—The Washington Post`, `— Reuters`, `-- AP`.
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:—|–|--|-)\s*(?P<name>\p{Lu}[^.!?]*)$").expect("signature pattern is valid")
});

/// `© 2020 The New York Times Company`, `Copyright (c) 2019 Reuters. All rights reserved.`
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:©|\(c\)|copyright\b)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?:by\s+)?(?P<name>.+?)\s*(?:[.,]\s*all\s+rights\s+reserved\.?|\.)?\s*$",
    )
    .expect("copyright pattern is valid")
});

/// A photo credit at the end of a caption: `…on Oct. 7.Credit…Arash Khamooshi for The New York
/// Times`, `Credit: Jane Roe/Reuters`.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})s?\s*(?:…|\.\.\.|:)\s*(?P<who>[^…:]+?)\s*$",
        CREDIT_LABELS.join("|")
    ))
    .expect("credit pattern is valid")
});
/// The words that introduce a credit. Looked for before the pattern runs: anchored at the
/// line's end, it would scan most of every line of every article.
const CREDIT_LABELS: &[&str] = &["Credit", "CREDIT", "Photograph", "Photo", "Image"];

/// `David Ignatius is an American journalist …`, `PUNEET TALWAR is a Senior Fellow …`.
static BIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<name>\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]*){1,3})\s+(?:is|was|has\s+been|serves\s+as)\s+(?:a|an|the)\s")
        .expect("bio pattern is valid")
});

/// `… columnist for The Washington Post`, `… correspondent at Reuters`.
static BIO_PUBLICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:columnist|editor|correspondent|reporter|writer|journalist|contributor|bureau\s+chief)\s+(?i:for|at|with)\s+(?P<name>(?:[Tt]he\s+)?\p{Lu}[\w&.'’-]*(?:\s+(?:of\s+|&\s+)?\p{Lu}[\w&.'’-]*)*)")
        .expect("bio publication pattern is valid")
});

/// Whether `text` has the words one of the [`ORIGINAL`] patterns needs (the verb, after
/// `originally` or `first` when it needs one). Cheap, and the patterns are not even built for
/// an article without them: building them takes longer than reading a short article (`quarry
/// inspect`, `quarry index` of one file).
fn may_be_original(text: &str) -> bool {
    // Split at anything but letters, as the patterns' `\W` and `\s` do at a footnote's `¹`.
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let alone = [
        "appeared",
        "reprinted",
        "republished",
        "reproduced",
        "syndicated",
    ];
    words.iter().any(|word| alone.contains(&word.as_str()))
        || words
            .windows(2)
            .any(|pair| match (pair[0].as_str(), pair[1].as_str()) {
                ("originally" | "first", verb) => {
                    matches!(verb, "published" | "posted" | "ran" | "printed")
                }
                (before, after) => before == "was" && after == "published",
            })
}

/// Whether `text` could be a bio ([`BIO`]): two to four capitalised words, then the verb.
fn may_be_bio(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    (2..=4).any(|at| {
        words
            .get(at)
            .is_some_and(|word| matches!(*word, "is" | "was" | "has" | "serves"))
            && words[..at]
                .iter()
                .all(|word| word.starts_with(char::is_uppercase))
    })
}

/// How strongly a clue names the original publisher, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Clue {
    Original,
    Signature,
    Copyright,
    Credit,
    Bio,
}

/// What the attribution lines say.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Attribution {
    pub source: Option<String>,
    /// The source comes from a statement of where the article first appeared, which outranks
    /// what a reposting page says of itself.
    pub original: bool,
    pub author: Option<String>,
}

/// Reads attributions from the body and blanks the lines that are only attribution (an author
/// bio stays: it is text a reader sees).
pub fn read(lines: &mut [Line]) -> Attribution {
    let mut sources: Vec<(Clue, String)> = Vec::new();
    let text_lines = || (0..lines.len()).filter(|&i| !lines[i].is_blank());
    // An article says where it first appeared at its top or its end, never in its middle,
    // where the same words are a sentence about some other story.
    let edges: Vec<usize> = text_lines()
        .take(OPENING_LINES)
        .chain(text_lines().rev().take(CLOSING_LINES))
        .collect();
    for (i, line) in lines.iter_mut().enumerate() {
        let text = line.text.trim();
        // A line longer than any name is text, whatever it starts with.
        if text.is_empty() || text.len() > FIELD_MAX_BYTES {
            continue;
        }
        let words = word_count(text);
        let found = edges
            .contains(&i)
            .then(|| original(text, words))
            .flatten()
            .map(|name| (Clue::Original, Some(name)))
            .or_else(|| copyright(text, words).map(|name| (Clue::Copyright, Some(name))))
            .or_else(|| credit(text, words).map(|name| (Clue::Credit, name)));
        if let Some((clue, name)) = found {
            sources.extend(name.map(|name| (clue, name)));
            line.text = "".into();
        }
    }
    let mut author = None;
    let closing: Vec<usize> = (0..lines.len())
        .rev()
        .filter(|&i| !lines[i].is_blank())
        .take(CLOSING_LINES)
        .collect();
    // The last of a list of dash-led items is no signature (`- Power tools, including …`).
    let dash_led = lines
        .iter()
        .filter(|line| line.text.trim_start().starts_with(DASHES))
        .count();
    for i in closing {
        let text = lines[i].text.trim();
        if text.len() > FIELD_MAX_BYTES {
            continue;
        }
        if dash_led == 1
            && let Some(name) = signature(text)
        {
            sources.push((Clue::Signature, name));
            lines[i].text = "".into();
        } else if may_be_bio(text)
            && let Some(caps) = BIO.captures(text)
            && let Some(person) = names::people(&caps["name"])
        {
            author = author.or(Some(person));
            let publication = BIO_PUBLICATION
                .captures(text)
                .and_then(|caps| names::publication(&caps["name"]));
            sources.extend(publication.map(|name| (Clue::Bio, name)));
        }
    }
    sources.sort_by_key(|(clue, _)| *clue);
    let best = sources.into_iter().next();
    Attribution {
        original: best
            .as_ref()
            .is_some_and(|(clue, _)| *clue == Clue::Original),
        source: best.map(|(_, name)| name),
        author,
    }
}

fn original(text: &str, words: usize) -> Option<String> {
    if words > ATTRIBUTION_MAX_WORDS {
        return None;
    }
    let text = text.trim_start_matches(['[', '(', '*', '_']);
    if !may_be_original(text) {
        return None;
    }
    let caps = ORIGINAL.iter().find_map(|pattern| pattern.captures(text))?;
    let name = &caps["name"];
    // `in The Times on March 3, 2020 and is republished here` -> `The Times`
    let end = [" on ", " and ", ", ", " under ", " with ", "](", " (", ". "]
        .iter()
        .filter_map(|stop| name.find(stop))
        .min()
        .unwrap_or(name.len());
    let name = name[..end].trim_start_matches("the website of ");
    names::publication(name)
}

fn copyright(text: &str, words: usize) -> Option<String> {
    let start = text.trim_start();
    let notice = ["©", "(c)", "copyright"].iter().any(|sign| {
        start
            .get(..sign.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(sign))
    });
    if words > COPYRIGHT_MAX_WORDS || !notice {
        return None;
    }
    let caps = COPYRIGHT.captures(text)?;
    // `Copyright Office officials declined…` is a sentence: a notice has a sign or a year.
    // `(c)` alone is a sign only beside the word: `(C) - Sales made…` is the third of a list.
    let lower = text.to_lowercase();
    let has_year = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() == 4);
    let has_sign = text.contains('©') || (lower.contains("(c)") && lower.contains("copyright"));
    if !(has_sign || has_year) {
        return None;
    }
    names::publication(&caps["name"])
}

/// `Some(publication)` for a credit naming one (`… for The Times`, `…/Reuters`), `Some(None)`
/// for a credit naming only a photographer.
fn credit(text: &str, words: usize) -> Option<Option<String>> {
    if words > CAPTION_MAX_WORDS || !CREDIT_LABELS.iter().any(|label| text.contains(label)) {
        return None;
    }
    let caps = CREDIT.captures(text)?;
    let who = &caps["who"];
    if word_count(who) > CREDIT_MAX_WORDS {
        return None;
    }
    let agency = who
        .rsplit_once(" for ")
        .map(|(_, agency)| agency)
        .or_else(|| who.rsplit_once('/').map(|(_, agency)| agency));
    Some(agency.and_then(names::publication))
}

fn signature(text: &str) -> Option<String> {
    let caps = SIGNATURE.captures(text)?;
    let name = &caps["name"];
    if word_count(name) > 6 {
        return None;
    }
    names::publication(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Attribution, Vec<String>) {
        let mut lines = Line::numbered(text);
        let found = read(&mut lines);
        let kept = lines
            .into_iter()
            .filter(|line| !line.is_blank())
            .map(|line| line.text.into_owned())
            .collect();
        (found, kept)
    }

    #[test]
    fn closing_attributions_name_the_original_publisher() {
        let cases = [
            (
                "This article originally appeared in The New York Times.",
                "The New York Times",
            ),
            (
                "[This article was originally published at BESA Centre website](#)",
                "BESA Centre",
            ),
            (
                "This story first appeared on ProPublica on May 2, 2021.",
                "ProPublica",
            ),
            (
                "Originally published by The Conversation.",
                "The Conversation",
            ),
            (
                "Reprinted with permission from Foreign Policy",
                "Foreign Policy",
            ),
            (
                "A version of this article appeared in The Atlantic.",
                "The Atlantic",
            ),
        ];
        for (line, source) in cases {
            let (found, kept) = read_text(&format!("Some body text here.\n{line}"));
            assert_eq!(found.source.as_deref(), Some(source), "{line}");
            assert_eq!(kept, ["Some body text here."], "{line}");
        }
    }

    #[test]
    fn signature_and_bio() {
        let text = "Body text.\n—The Washington Post\nDavid Ignatius is an American journalist \
                    and novelist. He is an associate editor and columnist for The Washington Post";
        let (found, kept) = read_text(text);
        assert_eq!(found.source.as_deref(), Some("The Washington Post"));
        assert_eq!(found.author.as_deref(), Some("David Ignatius"));
        assert_eq!(kept.len(), 2, "the bio stays, the signature goes: {kept:?}");
        let (found, _) = read_text("Text.\n— Reuters");
        assert_eq!(found.source.as_deref(), Some("Reuters"));
    }

    #[test]
    fn a_bio_without_a_newsroom_role_names_no_publication() {
        let text =
            "Text.\nPUNEET TALWAR is a Senior Fellow with the Asia Society Policy Institute.";
        let (found, _) = read_text(text);
        assert_eq!(found.author.as_deref(), Some("Puneet Talwar"));
        assert_eq!(found.source, None);
    }

    #[test]
    fn copyright_and_credits() {
        let (found, kept) = read_text("Text.\n© 2020 The New York Times Company");
        assert_eq!(found.source.as_deref(), Some("The New York Times"));
        assert_eq!(kept, ["Text."]);
        let (found, _) = read_text("Text.\nCopyright (c) 2019 Reuters. All rights reserved.");
        assert_eq!(found.source.as_deref(), Some("Reuters"));
        let (found, _) = read_text("Text.\nCopyright (c) Reuters");
        assert_eq!(found.source.as_deref(), Some("Reuters"));
        let list = "Terms:\n (B) - Ultimate destination not yet declared.\n (C) - Sales made on \
                    exporters' own account.\n (D) - Exporter holds option.";
        let (found, kept) = read_text(list);
        assert_eq!(found.source, None);
        assert_eq!(kept.len(), 4);
        let caption = "Supporters demonstrating in Tehran on Oct. 7.Credit…Arash Khamooshi for \
                       The New York Times";
        let (found, kept) = read_text(&format!("Text.\n{caption}"));
        assert_eq!(found.source.as_deref(), Some("The New York Times"));
        assert_eq!(kept, ["Text."]);
        for credit in ["Photo: Jane Roe/Reuters", "Photograph: Jane Roe/Reuters"] {
            let (found, kept) = read_text(&format!("Text.\n{credit}"));
            assert_eq!(found.source.as_deref(), Some("Reuters"), "{credit}");
            assert_eq!(kept, ["Text."], "{credit}");
        }
    }

    #[test]
    fn the_last_item_of_a_dash_list_is_no_signature() {
        let text = "Imports face tariffs:\n    - Complete color television sets\n    - Power \
                    tools, including certain drills, percussion\nhammers, sanders.";
        let (found, kept) = read_text(text);
        assert_eq!(found.source, None);
        assert_eq!(kept.len(), 4);
    }

    #[test]
    fn the_original_wins_over_weaker_clues() {
        let text = "Text.\nCredit: Ann Lee for Daily Bugle\nThis article originally appeared \
                    in The Planet.\n— Daily Bugle";
        assert_eq!(read_text(text).0.source.as_deref(), Some("The Planet"));
    }

    #[test]
    fn body_text_that_mentions_publishers_is_left_alone() {
        let text = "The report, which first appeared in Le Monde, said the talks had stalled \
                    for months and that no one expected a deal before the election.\n\
                    He gave credit to the negotiators, who worked through the night.\n\
                    Copyright Office officials declined to comment.";
        let (found, kept) = read_text(text);
        assert_eq!(found, Attribution::default());
        assert_eq!(kept.len(), 3);
        let middle = "One.\nTwo.\nThree.\nThe story was first published by The Guardian in \
                      2018.\nFour.\nFive.\nSix.\nSeven.\nEight.";
        let (found, kept) = read_text(middle);
        assert_eq!(found.source, None);
        assert_eq!(kept.len(), 9);
    }
}
