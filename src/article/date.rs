//! Finding calendar dates written in text: `February 15, 2020`, `15 Feb. 2020`, `2020-02-15`,
//! and the wire-service form `26-FEB-1987`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use tantivy::time::{Date, Month};

const MONTH: &str = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Each pattern names its groups `year`, `month` (a name or a number) and `day`.
static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"(?i)\b{MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
        format!(r"(?i)\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+(?P<year>\d{{4}})\b"),
        format!(r"(?i)\b(?P<day>\d{{1,2}})-{MONTH}-(?P<year>\d{{4}})\b"),
        r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:T|\b)".to_string(),
    ]
    .iter()
    .map(|pattern| Regex::new(pattern).expect("date patterns are valid"))
    .collect()
});

/// The first valid calendar date in `text`, with the byte range it was written in.
pub fn find(text: &str) -> Option<(Date, Range<usize>)> {
    // Every form has a four-digit year, and most lines searched (the top of every article)
    // have none.
    let has_year = text
        .as_bytes()
        .split(|byte| !byte.is_ascii_digit())
        .any(|digits| digits.len() >= 4);
    if !has_year {
        return None;
    }
    PATTERNS
        .iter()
        .filter_map(|pattern| {
            pattern.captures_iter(text).find_map(|caps| {
                let range = caps.get(0)?.range();
                Some((to_date(&caps)?, range))
            })
        })
        .min_by_key(|(_, range)| range.start)
}

/// Years the index can store a day of (tantivy keeps nanoseconds since 1970 in 64 bits);
/// a date outside them is left unknown rather than stored wrong.
const YEARS: std::ops::RangeInclusive<i32> = 1678..=2261;

fn to_date(caps: &Captures) -> Option<Date> {
    let year: i32 = caps["year"].parse().ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    let day: u8 = caps["day"].parse().ok()?;
    let month = &caps["month"];
    let month = match month.parse::<u8>() {
        Ok(number) => Month::try_from(number).ok()?,
        Err(_) => month_from_name(month)?,
    };
    Date::from_calendar_date(year, month, day).ok()
}

fn month_from_name(name: &str) -> Option<Month> {
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let number = match prefix.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Month::try_from(number).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month: u8, day: u8) -> Date {
        Date::from_calendar_date(year, Month::try_from(month).unwrap(), day).unwrap()
    }

    #[test]
    fn recognises_common_forms() {
        let cases = [
            (
                "February 15, 2020 Off By HotelSalesCareers",
                ymd(2020, 2, 15),
            ),
            ("Published Feb. 3, 2021", ymd(2021, 2, 3)),
            ("Updated 3rd March 2019, 10:00", ymd(2019, 3, 3)),
            ("26-FEB-1987 15:01:01.79", ymd(1987, 2, 26)),
            ("2020-02-15", ymd(2020, 2, 15)),
            ("Sept 9 2001", ymd(2001, 9, 9)),
        ];
        for (text, date) in cases {
            assert_eq!(find(text).map(|(d, _)| d), Some(date), "{text}");
        }
    }

    #[test]
    fn reports_where_the_date_is() {
        let text = "Posted on May 12, 2019 by staff";
        let (_, range) = find(text).unwrap();
        assert_eq!(&text[range], "May 12, 2019");
    }

    #[test]
    fn the_earliest_date_wins() {
        let (date, _) = find("2020-01-05, revised March 2, 2020").unwrap();
        assert_eq!(date, ymd(2020, 1, 5));
    }

    #[test]
    fn rejects_impossible_and_partial_dates() {
        assert_eq!(find("February 30, 2020"), None);
        assert_eq!(find("2020-13-01"), None);
        assert_eq!(find("on Oct. 7 the attack"), None);
        assert_eq!(find("in May 2018"), None);
        assert_eq!(find("Maybe 12, 2020"), None);
        assert_eq!(find("June 15, 1215"), None, "the index can't store it");
        assert_eq!(find("2300-01-01"), None);
    }
}
