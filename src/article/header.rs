//! The top of a plain-text article: its title, dateline, byline and publication line, which are
//! metadata rather than body text.

use std::sync::LazyLock;

use regex::Regex;
use tantivy::time::Date;

use super::{date, metadata::FIELD_MAX_BYTES, names};
use crate::paragraph::{Line, continues, ends_sentence, word_count};

/// Lines longer than this (in words) are body text: the header is over.
const HEADER_LINE_MAX_WORDS: usize = 12;
/// A first line longer than this is a paragraph, not a title.
const TITLE_MAX_WORDS: usize = 25;
/// After the date, a dateline holds at most a few words (`Off By Someone`, a time).
const DATELINE_TAIL_MAX_WORDS: usize = 4;
/// A publication line under a byline is at most this long.
const OUTLET_MAX_WORDS: usize = 5;
/// The header is read through at most this many lines of text: a handful of metadata lines,
/// under the menus an HTML page may start with (60 and more lines on some pages of the
/// extraction benchmark). Past them, what looks like metadata is text (a list of dates, say),
/// so that no file can hide its body in a header.
const HEADER_MAX_LINES: usize = 100;

/// Words that may introduce a dateline: `Published on March 3, 2020`, `Updated: …`.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?P<update>(?:last\s+)?updated|modified)|(?:first\s+)?(?:published|posted|dated?))(?:\s+on)?\s*:?\s*",
    )
    .expect("label pattern is valid")
});

/// A weekday before a date: `Thursday, July 18, 2024`, `Thu 18 July 2024`.
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?,?\s+")
        .expect("weekday pattern is valid")
});

/// The place that opens a wire story, in capitals, before its date: `DHAKA, `, `NEW YORK, `.
static WIRE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{Lu}.'-]*(?:\s+\p{Lu}[\p{Lu}.'-]*){0,3},\s+")
        .expect("place pattern is valid")
});

/// What may stand between a wire story's date and its dash: `(Reuters)`, then the dash.
static WIRE_DASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\([^()]{1,40}\)\s*)?(?:—|–|--?)\s*").expect("dash pattern is valid")
});

/// Last words that end in a full stop without ending a sentence: a headline may end in them.
const ABBREVIATIONS: &[&str] = &[
    "inc.", "corp.", "co.", "ltd.", "plc.", "bros.", "jr.", "sr.", "st.", "dept.", "govt.",
    "intl.", "assn.", "no.", "vs.", "v.",
];

/// `By Name[, Name and Name][ | Publication or for Publication]`, anywhere in a header line.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)by\s+(?P<names>.+?)(?:\s+(?:\||for|—|–|-)\s+(?P<outlet>.+))?$")
        .expect("byline pattern is valid")
});

/// What the top lines of an article say about it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    /// Position of the title's line among the lines read.
    pub title_line: Option<usize>,
    pub date: Option<Date>,
    pub author: Option<String>,
    /// A publication named under the byline.
    pub outlet: Option<String>,
    /// Positions of the other lines read as metadata, to leave out of the body. (Positions,
    /// not line numbers: blocks of an HTML page may share a line.)
    pub lines: Vec<usize>,
    /// A wire dateline opening the body (`DHAKA, July 18, 2024 — The …`): its position and
    /// where its text starts, after the dash.
    pub text_after_dateline: Option<(usize, usize)>,
}

/// Reads the header from the first lines, up to the first line of body text.
pub fn read(lines: &[Line]) -> Header {
    let mut header = Header::default();
    let mut update_date = None;
    let mut after_byline = false;
    // The last line read that was neither the title nor metadata: text, perhaps hard-wrapped.
    let mut last_text: Option<&str> = None;
    let top = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.is_blank())
        .take(HEADER_MAX_LINES);
    for (position, (index, line)) in top.enumerate() {
        let text = line.text.trim();
        // A line carrying on that text's sentence (`…, owned` / `by AMR Corp, said …`) is body,
        // however much it looks like a byline: the header is over.
        if last_text.is_some_and(|last| continues(last, text)) {
            break;
        }
        // A line longer than any metadata is text (and so is all that follows).
        if text.len() > FIELD_MAX_BYTES {
            break;
        }
        // `DHAKA, July 18, 2024 — The …`: the date, then the body on the same line.
        if let Some((date, start)) = wire_dateline(text) {
            header.date = header.date.or(Some(date));
            let leading = line.text.len() - line.text.trim_start().len();
            header.text_after_dateline = Some((index, leading + start));
            break;
        }
        let words = word_count(text);
        let mut used = false;
        let mut is_byline = false;
        if words <= HEADER_LINE_MAX_WORDS {
            if let Some((date, is_update)) = dateline(text) {
                if is_update {
                    update_date = update_date.or(Some(date));
                } else {
                    header.date = header.date.or(Some(date));
                }
                used = true;
            }
            if let Some((author, outlet)) = byline(text) {
                header.author = header.author.take().or(author);
                header.outlet = header.outlet.take().or(outlet);
                is_byline = !used;
                used = true;
                if let Some((date, _)) = date::find(text) {
                    header.date = header.date.or(Some(date));
                }
            }
        }
        let next = lines.get(index + 1).map(|next| next.text.trim());
        if !used && position == 0 && is_title(text, next) {
            header.title = Some(text.to_string());
            header.title_line = Some(index);
            after_byline = false;
            continue;
        }
        if !used && after_byline && header.outlet.is_none() && is_outlet(text) {
            header.outlet = Some(text.to_string());
            used = true;
        }
        // The header ends at the first line of prose.
        if !used && (words > HEADER_LINE_MAX_WORDS || ends_sentence(text)) {
            break;
        }
        if used {
            header.lines.push(index);
        } else {
            last_text = Some(text);
        }
        after_byline = is_byline;
    }
    header.date = header.date.or(update_date);
    header
}

/// The date of a line that starts with one (after an optional label), and whether the label
/// says it is an update rather than the publication.
///
/// A sentence that merely starts with a date (`May 8, 2018: The United States leaves the
/// deal.`) is text, not a dateline.
fn dateline(text: &str) -> Option<(Date, bool)> {
    let label = DATE_LABEL.captures(text);
    let label_end = label.as_ref().and_then(|c| c.get(0)).map_or(0, |m| m.end());
    let is_update = label.is_some_and(|c| c.name("update").is_some());
    let unlabelled = &text[label_end..];
    let weekday_end = WEEKDAY.find(unlabelled).map_or(0, |m| m.end());
    let unlabelled = &unlabelled[weekday_end..];
    let (date, range) = date::find(unlabelled)?;
    let rest = &unlabelled[range.end..];
    let is_sentence = word_count(rest) > DATELINE_TAIL_MAX_WORDS && ends_sentence(rest);
    (range.start == 0 && !is_sentence).then_some((date, is_update))
}

/// The people and the publication of a `By …` line. A byline naming no person (`By staff`,
/// `By HotelSalesCareers`) still counts as a byline, so the line is left out of the body; a
/// sentence (`By then, it was too late.`) does not.
fn byline(text: &str) -> Option<(Option<String>, Option<String>)> {
    let caps = BYLINE.captures(text)?;
    let starts_with_by = text
        .get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("by "));
    let after_date = date::find(text).is_some_and(|(_, range)| range.start == 0);
    if !(starts_with_by || after_date) {
        return None;
    }
    // A date after the names (`By Jane Doe, March 3, 2020`) is not part of them.
    let names = caps["names"].trim();
    let names = match date::find(names) {
        Some((_, range)) => names[..range.start].trim_end_matches([',', ' ', '•', '|', '-']),
        None => names,
    };
    let outlet = caps
        .name("outlet")
        .and_then(|outlet| names::publication(outlet.as_str()))
        .filter(|outlet| date::find(outlet).is_none());
    let people = names::people(names);
    if people.is_none() && ends_sentence(text) {
        return None;
    }
    Some((people, outlet))
}

/// The date of a wire story's first line, `PLACE, DATE — text`, and where its text starts.
fn wire_dateline(text: &str) -> Option<(Date, usize)> {
    // A place in capitals before a comma: checked before the pattern is run (or even built).
    let (place, _) = text.split_once(',')?;
    let capitals = place
        .chars()
        .all(|c| c.is_uppercase() || c.is_whitespace() || matches!(c, '.' | '\'' | '-'));
    if !capitals {
        return None;
    }
    let place_end = WIRE_PLACE.find(text)?.end();
    let (date, range) = date::find(&text[place_end..])?;
    if range.start != 0 {
        return None;
    }
    let date_end = place_end + range.end;
    let dash_end = date_end + WIRE_DASH.find(&text[date_end..])?.end();
    Some((date, dash_end))
}

/// A first line is a title when it is short and does not end like a clause (`,`, `;`, `:`).
/// A full stop ends many titles too (`Talks with the U.S.`, `Acme Corp.`, the sentences that
/// title papers): it is a sentence's only when the line reads like one, a lowercase sentence
/// run on into the next line.
fn is_title(text: &str, next: Option<&str>) -> bool {
    if word_count(text) > TITLE_MAX_WORDS || text.ends_with([',', ';', ':']) {
        return false;
    }
    if !text.ends_with('.') {
        return true;
    }
    let last = text.split_whitespace().next_back().unwrap_or_default();
    // `U.S.`, `L.P.`: a dot inside the word; `Inc.`: a known abbreviation.
    let abbreviation = last[..last.len() - 1].contains('.')
        || ABBREVIATIONS
            .iter()
            .any(|abbr| last.eq_ignore_ascii_case(abbr));
    // A title stands alone: a blank line or the end under it, or a dateline.
    let stands_alone = next
        .is_none_or(|next| next.is_empty() || date::find(next).is_some_and(|(_, r)| r.start == 0));
    abbreviation || stands_alone
}

/// A short line of capitalised words without sentence punctuation: `Foreign Affairs`.
fn is_outlet(text: &str) -> bool {
    let small = ["of", "the", "and", "for", "on", "in", "&"];
    word_count(text) <= OUTLET_MAX_WORDS
        && !ends_sentence(text)
        && text.split_whitespace().all(|word| {
            small.contains(&word) || word.chars().next().is_some_and(char::is_uppercase)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::Month;

    fn header(text: &str) -> Header {
        read(&Line::numbered(text))
    }

    fn day(year: i32, month: Month, day: u8) -> Option<Date> {
        Date::from_calendar_date(year, month, day).ok()
    }

    #[test]
    fn title_and_dateline_with_a_blog_byline() {
        let h = header(
            "How Months of Miscalculation Led the U.S. and Iran to the Brink of War\n\n\
             February 15, 2020 Off By HotelSalesCareers\n\nWASHINGTON — In late September, a \
             plane carrying senior Iranian officials touched down in Abu Dhabi.",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("How Months of Miscalculation Led the U.S. and Iran to the Brink of War")
        );
        assert_eq!(h.date, day(2020, Month::February, 15));
        assert_eq!(h.author, None, "a site account is not an author");
        assert_eq!(h.lines, [2]);
        assert_eq!(h.title_line, Some(0));
    }

    #[test]
    fn wire_story_date_on_line_two() {
        let h = header("BAHIA COCOA REVIEW\n26-FEB-1987 15:01:01.79\n\nShowers continued");
        assert_eq!(h.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(h.date, day(1987, Month::February, 26));
        assert_eq!(h.lines, [1]);
    }

    #[test]
    fn a_title_may_end_in_a_full_stop() {
        let h = header("Talks with the U.S.\n26-FEB-1987 15:01:01.79\n\nBody.");
        assert_eq!(h.title.as_deref(), Some("Talks with the U.S."));
        assert_eq!(h.date, day(1987, Month::February, 26));
        assert_eq!(h.lines, [1]);
        for title in ["Acme Holdings L.P.", "Gencorp Inc.", "Talks with the U.K."] {
            let h = header(&format!(
                "{title}\nThe company said it would sell its units in the east."
            ));
            assert_eq!(h.title.as_deref(), Some(title));
        }
        let h = header("Vitamin D lowers the risk of fractures.\n\nWe studied 300 people.");
        assert_eq!(
            h.title.as_deref(),
            Some("Vitamin D lowers the risk of fractures.")
        );
        let h = header("It rained all day.\nThe roads were closed by noon.");
        assert_eq!(h.title, None, "a sentence run on into the next line");
    }

    #[test]
    fn wire_and_weekday_datelines() {
        let text_after = |text: &str| {
            let h = header(text);
            let (position, start) = h.text_after_dateline?;
            Some((
                h.date,
                position,
                text.lines().nth(position)?[start..].to_string(),
            ))
        };
        assert_eq!(
            text_after("DHAKA, July 18, 2024 — Protesters filled the streets of the capital."),
            Some((
                day(2024, Month::July, 18),
                0,
                "Protesters filled the streets of the capital.".into()
            ))
        );
        assert_eq!(
            text_after("Storm Hits\n\nNEW YORK, March 3, 2021 (Reuters) - Shares fell."),
            Some((day(2021, Month::March, 3), 2, "Shares fell.".into()))
        );
        let h = header("A Title\nThursday, July 18, 2024\n\nBody.");
        assert_eq!(h.date, day(2024, Month::July, 18));
        assert_eq!(h.lines, [1]);
        let h = header("A Title\nPublished on Thu 18 July 2024\n\nBody.");
        assert_eq!(h.date, day(2024, Month::July, 18));
        let h = header("A Title\n\nOn Monday, July 18, 2024 — the day of the vote — it rained.");
        assert_eq!((h.date, h.text_after_dateline), (None, None));
    }

    #[test]
    fn byline_then_publication() {
        let h = header(
            "By Puneet Talwar\n\nForeign Affairs\n\nJust before the novel coronavirus \
                        pandemic struck, the United States and Iran appeared to be set on a \
                        collision course.",
        );
        assert_eq!(h.title, None);
        assert_eq!(h.author.as_deref(), Some("Puneet Talwar"));
        assert_eq!(h.outlet.as_deref(), Some("Foreign Affairs"));
        assert_eq!(h.lines, [0, 2]);
    }

    #[test]
    fn byline_variants() {
        let h = header("Iran Talks Stall\nBy Jane Doe and John Roe | Reuters\nMarch 3, 2021");
        assert_eq!(h.author.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(h.outlet.as_deref(), Some("Reuters"));
        assert_eq!(h.date, day(2021, Month::March, 3));
        let h = header("Headline Here\nBY MARY SMITH, Sept. 9, 2001\n\nBody.");
        assert_eq!(h.author.as_deref(), Some("Mary Smith"));
        assert_eq!(h.date, day(2001, Month::September, 9));
        let h = header("Headline\nBy Ana Lima for The Guardian\n\nBody.");
        assert_eq!(h.author.as_deref(), Some("Ana Lima"));
        assert_eq!(h.outlet.as_deref(), Some("The Guardian"));
    }

    #[test]
    fn a_wrapped_line_starting_with_by_is_text() {
        let text = "AMR UNIT'S LOAD FACTOR FALLS\n26-FEB-1987 15:01:01.79\n\n    American \
                    Airlines Inc, owned\nby AMR Corp, said its load factor for February \
                    dropped to 60.2\npct from 64.0 pct a year ago.";
        let h = header(text);
        assert_eq!((h.author, h.outlet), (None, None));
        assert_eq!(h.lines, [1]);
    }

    #[test]
    fn published_wins_over_updated() {
        let h = header("A Title\nUpdated: 2021-06-05\nPublished on June 1, 2021\n\nBody.");
        assert_eq!(h.date, day(2021, Month::June, 1));
        let h = header("A Title\nLast updated 4 Jan 2022\n\nBody.");
        assert_eq!(h.date, day(2022, Month::January, 4));
    }

    #[test]
    fn a_paragraph_first_line_is_no_title() {
        let h = header(
            "Behind recent US and Iranian military mobilisations lies a perception by each side \
             that the other may be about to attack. This doesn’t appear to be posturing.\nMore.",
        );
        assert_eq!(h, Header::default());
    }

    #[test]
    fn a_date_in_passing_is_no_dateline() {
        let h = header("A Title\n\nIt happened on May 12, 2019, in the Gulf.");
        assert_eq!(h.date, None);
        let long = "word ".repeat(30);
        let h = header(&format!("Title\n\n{long}\n\nMarch 3, 2020"));
        assert_eq!(h.date, None);
    }

    #[test]
    fn a_short_sentence_under_the_title_is_no_byline() {
        let h = header("A Title\n\nShe stood by her word.\n\nMore text.");
        assert_eq!(h.author, None);
        assert!(h.lines.is_empty());
        let h = header("A Title\n\nBy then, it was too late.\n\nMore text.");
        assert!(h.lines.is_empty());
    }

    #[test]
    fn sentences_that_start_with_a_date_are_text() {
        let h = header(
            "Timeline\nMay 8, 2018: The United States leaves the nuclear deal.\n\
             January 3, 2020: A drone strike kills Soleimani.",
        );
        assert_eq!(h.date, None);
        assert!(h.lines.is_empty());
    }

    #[test]
    fn the_header_ends_at_the_first_prose_line() {
        let h = header("A Title\n\nIt rained.\n\nMarch 3, 2020\n\nBody.");
        assert_eq!(h.date, None);
    }

    #[test]
    fn a_header_is_a_few_lines() {
        let dates = "2020-01-01\n".repeat(2 * HEADER_MAX_LINES);
        let h = header(&format!("A Title\n{dates}Body."));
        assert_eq!(h.lines, (1..HEADER_MAX_LINES).collect::<Vec<_>>());
    }

    #[test]
    fn multibyte_letters_at_the_start_are_fine() {
        let h = header("Noël by the Fire\n\nSome body text here that is long enough to be prose.");
        assert_eq!(h.title.as_deref(), Some("Noël by the Fire"));
        let h = header("ÉÉ by me\n");
        assert!(h.author.is_none());
    }
}
