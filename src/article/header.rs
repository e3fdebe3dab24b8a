//! The top of an article: its title line and dateline, which are metadata rather than body text.

use std::sync::LazyLock;

use regex::Regex;
use tantivy::time::Date;

use super::date;
use crate::passage::Line;

/// Lines longer than this (in words) are body text: the header is over.
const HEADER_LINE_MAX_WORDS: usize = 12;
/// A first line longer than this is a paragraph, not a title.
const TITLE_MAX_WORDS: usize = 25;

/// Words that may introduce a dateline: `Published on March 3, 2020`.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:first|last)\s+)?(?:published|updated|posted|dated?)(?:\s+on)?\s*:?\s*")
        .expect("label pattern is valid")
});

/// What the top lines of an article say about it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub title: Option<String>,
    pub date: Option<Date>,
    /// Numbers of the lines read as metadata, to leave out of the body.
    pub lines: Vec<u32>,
}

/// Reads the title (a short first line without final punctuation) and a dateline (a short line
/// that starts with a date) from the top of an article.
pub fn read(lines: &[Line]) -> Header {
    let mut header = Header::default();
    let top = lines.iter().filter(|line| !line.text.trim().is_empty());
    for (position, line) in top.enumerate() {
        let text = line.text.trim();
        if header.date.is_none()
            && let Some(date) = dateline(text)
        {
            header.date = Some(date);
            header.lines.push(line.number);
        } else if position == 0 && is_title(text) {
            header.title = Some(text.to_string());
            header.lines.push(line.number);
        } else if word_count(text) > HEADER_LINE_MAX_WORDS {
            break;
        }
    }
    header
}

/// The date of a line that starts with one (after an optional `Published`-like label).
fn dateline(text: &str) -> Option<Date> {
    if word_count(text) > HEADER_LINE_MAX_WORDS {
        return None;
    }
    let unlabelled = &text[DATE_LABEL.find(text).map_or(0, |label| label.end())..];
    let (date, range) = date::find(unlabelled)?;
    (range.start == 0).then_some(date)
}

fn is_title(text: &str) -> bool {
    let is_byline = text.len() > 3 && text[..3].eq_ignore_ascii_case("by ");
    word_count(text) <= TITLE_MAX_WORDS && !text.ends_with(['.', ',', ';', ':']) && !is_byline
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::Month;

    fn header(text: &str) -> Header {
        let lines: Vec<Line> = text
            .lines()
            .zip(1..)
            .map(|(text, number)| Line { number, text })
            .collect();
        read(&lines)
    }

    #[test]
    fn title_and_dateline() {
        let h = header(
            "How Months of Miscalculation Led the U.S. and Iran to the Brink of War\n\n\
             February 15, 2020 Off By HotelSalesCareers\n\nWASHINGTON — In late September…",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("How Months of Miscalculation Led the U.S. and Iran to the Brink of War")
        );
        assert_eq!(
            h.date,
            Some(Date::from_calendar_date(2020, Month::February, 15).unwrap())
        );
        assert_eq!(h.lines, [1, 3]);
    }

    #[test]
    fn wire_story_date_on_line_two() {
        let h = header("BAHIA COCOA REVIEW\n26-FEB-1987 15:01:01.79\n\nShowers continued");
        assert_eq!(h.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(
            h.date,
            Some(Date::from_calendar_date(1987, Month::February, 26).unwrap())
        );
        assert_eq!(h.lines, [1, 2]);
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
    fn a_byline_is_no_title() {
        let h = header("By Puneet Talwar\n\nForeign Affairs\n\nJust before the pandemic…");
        assert_eq!(h.title, None);
    }

    #[test]
    fn a_date_in_passing_is_no_dateline() {
        let h = header("A Title\n\nIt happened on May 12, 2019, in the Gulf.");
        assert_eq!(h.date, None);
        let h = header("A Title\n\nPublished: 2021-06-01");
        assert_eq!(
            h.date,
            Some(Date::from_calendar_date(2021, Month::June, 1).unwrap())
        );
    }

    #[test]
    fn dates_below_the_first_paragraph_are_ignored() {
        let long = "word ".repeat(30);
        let h = header(&format!("Title\n\n{long}\n\nMarch 3, 2020"));
        assert_eq!(h.date, None);
    }
}
