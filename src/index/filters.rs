//! Narrowing a search by date, source, author and folder, and the orders results can be
//! sorted in.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::PathBuf;

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, ExistsQuery, InvertedIndexRangeQuery, Occur, Query,
    RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::time::{Date, Month};
use tantivy::{DateTime, Searcher, Term};

use crate::index::schema::{DATE, Fields};

/// Longest text `--source` and `--author` look for: names are short.
const MAX_FILTER_CHARS: usize = 200;

/// Restrictions on which passages a query may return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// First day included.
    pub since: Option<Date>,
    /// Last day included.
    pub until: Option<Date>,
    /// With a date bound, keep articles that have no date.
    pub include_undated: bool,
    /// Case-insensitive substring of the source.
    pub source: Option<String>,
    /// Case-insensitive substring of the author.
    pub author: Option<String>,
    /// Only articles at or under one of these places (absolute, as the index records paths).
    pub within: Vec<PathBuf>,
}

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recent article first; undated ones last.
    Newest,
    /// Oldest article first; undated ones last.
    Oldest,
}

/// Which end of a period a date given as `YYYY` or `YYYY-MM` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    First,
    Last,
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into the first or last day of that period.
pub fn parse_day(text: &str, end: End) -> Result<Date, String> {
    let invalid = || format!("`{text}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |part: &str, digits: usize| -> Result<i32, String> {
        if part.len() != digits || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        part.parse().map_err(|_| invalid())
    };
    let year = number(parts[0], 4)?;
    let month = match parts.get(1) {
        Some(part) => u8::try_from(number(part, 2)?).map_err(|_| invalid())?,
        None if end == End::First => 1,
        None => 12,
    };
    let month = Month::try_from(month).map_err(|_| invalid())?;
    let day = match parts.get(2) {
        Some(part) => u8::try_from(number(part, 2)?).map_err(|_| invalid())?,
        None if end == End::First => 1,
        None => month.length(year),
    };
    if parts.len() > 3 {
        return Err(invalid());
    }
    Date::from_calendar_date(year, month, day).map_err(|_| invalid())
}

impl Filters {
    /// Refuses filters that can't be applied.
    pub fn check(&self) -> Result<(), String> {
        let too_long = |value: &Option<String>| {
            value
                .as_ref()
                .is_some_and(|value| value.chars().count() > MAX_FILTER_CHARS)
        };
        if too_long(&self.source) || too_long(&self.author) {
            return Err(format!(
                "--source and --author take at most {MAX_FILTER_CHARS} characters"
            ));
        }
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            return Err(format!(
                "the period ends ({until}) before it starts ({since}): no article can be in it"
            ));
        }
        Ok(())
    }

    /// `query` restricted by these filters, which have passed [`Filters::check`], over the
    /// index `searcher` reads. Filters do not change scores.
    pub fn apply(
        &self,
        query: Box<dyn Query>,
        fields: &Fields,
        searcher: &Searcher,
    ) -> tantivy::Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if self.since.is_some() || self.until.is_some() {
            let mut dated: Box<dyn Query> = Box::new(dated(fields, self.since, self.until));
            if self.include_undated {
                let undated = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (
                        Occur::MustNot,
                        Box::new(ExistsQuery::new(DATE.to_string(), false)),
                    ),
                ]);
                dated = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, dated),
                    (Occur::Should, Box::new(undated)),
                ]));
            }
            clauses.push((Occur::Must, dated));
        }
        for (value, field) in [
            (&self.source, fields.source_value),
            (&self.author, fields.author_value),
        ] {
            if let Some(value) = value {
                clauses.push((Occur::Must, Box::new(containing(searcher, field, value)?)));
            }
        }
        if !self.within.is_empty() {
            let places = self
                .within
                .iter()
                .map(|place| (Occur::Should, at_or_under(fields, place)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(places))));
        }
        if clauses.is_empty() {
            return Ok(query);
        }
        let mut all: Vec<(Occur, Box<dyn Query>)> = clauses
            .into_iter()
            .map(|(occur, filter)| {
                (
                    occur,
                    Box::new(ConstScoreQuery::new(filter, 0.0)) as Box<dyn Query>,
                )
            })
            .collect();
        all.push((Occur::Must, query));
        Ok(Box::new(BooleanQuery::new(all)))
    }
}

/// The passages of articles dated from `since` to `until`, both days included (an end left
/// out is open).
pub fn dated(fields: &Fields, since: Option<Date>, until: Option<Date>) -> RangeQuery {
    let bound = |day: Option<Date>| match day {
        Some(day) => Bound::Included(Term::from_field_date_for_search(
            fields.date,
            DateTime::from_utc(day.midnight().assume_utc()),
        )),
        None => Bound::Unbounded,
    };
    RangeQuery::new(bound(since), bound(until))
}

/// The passages of the file at `place`, or of the files under it: paths are keyed by their
/// bytes, so those under a folder are the keys from `place/` up to `place0` (`0` follows `/`).
fn at_or_under(fields: &Fields, place: &std::path::Path) -> Box<dyn Query> {
    let key = crate::paths::path_bytes(place);
    let term = |bytes: &[u8]| Term::from_field_bytes(fields.path, bytes);
    let folder = key.strip_suffix(b"/").unwrap_or(key);
    let mut from = folder.to_vec();
    from.push(b'/');
    let mut to = folder.to_vec();
    to.push(b'/' + 1);
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            Box::new(TermQuery::new(term(key), IndexRecordOption::Basic)) as Box<dyn Query>,
        ),
        (
            Occur::Should,
            Box::new(InvertedIndexRangeQuery::new(
                Bound::Included(term(&from)),
                Bound::Excluded(term(&to)),
            )),
        ),
    ]))
}

/// The passages whose whole-value `field` contains `text`, in any case. The values are read
/// from the index's term dictionary and each compared as text: linear in the values, whatever
/// `text` holds (a pattern made of it could grow past what the index accepts, as 180 CJK
/// characters did).
fn containing(searcher: &Searcher, field: Field, text: &str) -> tantivy::Result<TermSetQuery> {
    // Lowercased one character at a time, as the index's lowercaser does.
    let needle: String = text.chars().flat_map(char::to_lowercase).collect();
    let mut values = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut terms = index.terms().stream()?;
        while terms.advance() {
            match std::str::from_utf8(terms.key()) {
                Ok(value) if value.contains(&needle) => {
                    values.insert(value.to_string());
                }
                _ => {}
            }
        }
    }
    Ok(TermSetQuery::new(
        values
            .iter()
            .map(|value| Term::from_field_text(field, value)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: Month, day: u8) -> Date {
        Date::from_calendar_date(year, month, day).unwrap()
    }

    #[test]
    fn periods_cover_whole_years_and_months() {
        assert_eq!(
            parse_day("2020", End::First),
            Ok(day(2020, Month::January, 1))
        );
        assert_eq!(
            parse_day("2020", End::Last),
            Ok(day(2020, Month::December, 31))
        );
        assert_eq!(
            parse_day("2020-02", End::Last),
            Ok(day(2020, Month::February, 29))
        );
        assert_eq!(
            parse_day("2021-02", End::Last),
            Ok(day(2021, Month::February, 28))
        );
        assert_eq!(
            parse_day("2020-02-15", End::Last),
            Ok(day(2020, Month::February, 15))
        );
    }

    #[test]
    fn bad_dates_are_refused_with_the_forms_that_work() {
        for bad in [
            "",
            "20",
            "2020-2",
            "2020-13",
            "2020-02-30",
            "2020-02-15-01",
            "last week",
            "-5",
        ] {
            let err = parse_day(bad, End::First).unwrap_err();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
    }
}
