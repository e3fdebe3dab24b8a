//! Batch files for `quarry query --batch`: one query per line, either a JSON object
//! `{"id", "query", "limit", "offset", "since", "until", "include_undated", "source", "author",
//! "sort", "per_article", "copies", "syntax"}` (only `query` required) or plain query text whose id is
//! its line number. A line may hold at most [`MAX_LINE_BYTES`].

use std::io::{self, BufRead};

use serde::Deserialize;
use serde_json::Value;

use crate::index::filters::{End, Sort, parse_day};
use crate::index::searcher::{Copies, Request};
use crate::query::Syntax;

/// Longest batch line: a query is far shorter, and a longer line is refused without being
/// held in memory (one of 48 MB once made a search take 4.5 GB).
pub const MAX_LINE_BYTES: usize = 64 << 10;

/// One non-blank line of a batch, read.
#[derive(Debug)]
pub struct BatchQuery {
    /// 1-based line number in the batch.
    pub line: usize,
    /// The query's id: the line's `id`, else its line number.
    pub id: String,
    /// The query text, when the line could be read that far.
    pub query: Option<String>,
    /// The request, or why the line can't be run.
    pub request: Result<Request, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLine {
    id: Option<Value>,
    query: String,
    limit: Option<u64>,
    offset: Option<u64>,
    since: Option<String>,
    until: Option<String>,
    include_undated: Option<bool>,
    source: Option<String>,
    author: Option<String>,
    sort: Option<Sort>,
    per_article: Option<u64>,
    copies: Option<Copies>,
    syntax: Option<Syntax>,
}

/// Reads line `line` (1-based) of a batch; `None` for a blank line. Settings a JSON line
/// leaves out come from `defaults` (the command line's options).
pub fn parse_line(line: usize, text: &str, defaults: &Request) -> Option<BatchQuery> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if !text.starts_with('{') {
        return Some(BatchQuery {
            line,
            id: line.to_string(),
            query: Some(text.to_string()),
            request: Ok(Request {
                query: text.to_string(),
                ..defaults.clone()
            }),
        });
    }
    let parsed: JsonLine = match serde_json::from_str(text) {
        Ok(parsed) => parsed,
        Err(err) => return Some(unreadable(line, format!("line {line}: {err}"))),
    };
    let id = match &parsed.id {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Null) | None => line.to_string(),
        Some(other) => other.to_string(),
    };
    let query = Some(parsed.query.clone());
    if id.trim().is_empty() {
        // An empty id would be an empty first column of a TREC run, and names no query.
        return Some(BatchQuery {
            query,
            ..unreadable(
                line,
                format!(
                    "line {line}: the id is empty; give the query an id, or leave `id` out \
                     to use the line number"
                ),
            )
        });
    }
    let request = request(parsed, defaults).map_err(|err| format!("line {line}: {err}"));
    Some(BatchQuery {
        line,
        id,
        query,
        request,
    })
}

/// The queries of a batch read from `input`, one per non-blank line, numbered from 1.
pub fn queries<R: BufRead>(input: R, defaults: &Request) -> Queries<'_, R> {
    Queries {
        input,
        defaults,
        line: 0,
        buffer: Vec::new(),
    }
}

/// The iterator of [`queries`]: each line is parsed, or an error record if it can't be; an
/// error reading the input ends the batch.
pub struct Queries<'a, R> {
    input: R,
    defaults: &'a Request,
    line: usize,
    buffer: Vec<u8>,
}

impl<R: BufRead> Iterator for Queries<'_, R> {
    type Item = io::Result<BatchQuery>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let fits = match read_line(&mut self.input, &mut self.buffer) {
                Ok(Some(fits)) => fits,
                Ok(None) => return None,
                Err(err) => return Some(Err(err)),
            };
            self.line += 1;
            let line = self.line;
            let query = if !fits {
                Some(unreadable(
                    line,
                    format!(
                        "line {line}: longer than the {} KiB a batch line may hold",
                        MAX_LINE_BYTES >> 10
                    ),
                ))
            } else if let Ok(text) = std::str::from_utf8(&self.buffer) {
                parse_line(line, text, self.defaults)
            } else {
                Some(unreadable(line, format!("line {line}: not UTF-8 text")))
            };
            if let Some(query) = query {
                return Some(Ok(query));
            }
        }
    }
}

/// Reads the next line of `input` into `buffer`, without its line feed: `None` at the end of
/// the input, else whether the line fits in [`MAX_LINE_BYTES`]. A longer line is read through
/// and dropped, leaving `buffer` empty.
fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buffer.clear();
    let mut read_any = false;
    let mut fits = true;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(fits));
        }
        read_any = true;
        let end = available.iter().position(|&b| b == b'\n');
        let part = &available[..end.unwrap_or(available.len())];
        if fits && buffer.len() + part.len() <= MAX_LINE_BYTES {
            buffer.extend_from_slice(part);
        } else {
            fits = false;
            buffer.clear();
        }
        let used = end.map_or(available.len(), |end| end + 1);
        input.consume(used);
        if end.is_some() {
            return Ok(Some(fits));
        }
    }
}

/// A line that could not be read at all: its id is its number, its query unknown.
fn unreadable(line: usize, error: String) -> BatchQuery {
    BatchQuery {
        line,
        id: line.to_string(),
        query: None,
        request: Err(error),
    }
}

fn request(line: JsonLine, defaults: &Request) -> Result<Request, String> {
    let mut request = defaults.clone();
    request.query = line.query;
    let count = |value: u64, name: &str| {
        usize::try_from(value).map_err(|_| format!("\"{name}\" is too large"))
    };
    if let Some(limit) = line.limit {
        if limit == 0 {
            return Err("\"limit\" must be at least 1".to_string());
        }
        request.limit = count(limit, "limit")?;
    }
    if let Some(offset) = line.offset {
        request.offset = count(offset, "offset")?;
    }
    if let Some(since) = line.since {
        request.filters.since = Some(parse_day(&since, End::First)?);
    }
    if let Some(until) = line.until {
        request.filters.until = Some(parse_day(&until, End::Last)?);
    }
    if let Some(include) = line.include_undated {
        request.filters.include_undated = include;
    }
    request.filters.source = line.source.or(request.filters.source);
    request.filters.author = line.author.or(request.filters.author);
    request.sort = line.sort.unwrap_or(request.sort);
    request.syntax = line.syntax.unwrap_or(request.syntax);
    request.copies = line.copies.unwrap_or(request.copies);
    if let Some(per_article) = line.per_article {
        if per_article == 0 {
            return Err("\"per_article\" must be at least 1".to_string());
        }
        request.per_article = Some(count(per_article, "per_article")?);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Request {
        Request::new("")
    }

    #[test]
    fn plain_lines_are_numbered() {
        let query = parse_line(3, "  maximum pressure ", &defaults()).unwrap();
        assert_eq!(query.id, "3");
        assert_eq!(query.query.as_deref(), Some("maximum pressure"));
        assert!(parse_line(4, "   ", &defaults()).is_none());
    }

    #[test]
    fn json_lines_override_the_defaults() {
        let line = r#"{"id": "q7", "query": "oil", "limit": 3, "since": "2020", "until": "2020-02",
                       "source": "Times", "sort": "newest", "per_article": 1}"#;
        let query = parse_line(1, line, &defaults()).unwrap();
        assert_eq!(query.id, "q7");
        assert_eq!(query.query.as_deref(), Some("oil"));
        let request = query.request.unwrap();
        assert_eq!(request.limit, 3);
        assert_eq!(request.filters.since.unwrap().to_string(), "2020-01-01");
        assert_eq!(request.filters.until.unwrap().to_string(), "2020-02-29");
        assert_eq!(request.filters.source.as_deref(), Some("Times"));
        assert_eq!(request.sort, Sort::Newest);
        assert_eq!(request.per_article, Some(1));
        for blank in [
            r#"{"id": "", "query": "x"}"#,
            r#"{"id": " \t", "query": "x"}"#,
        ] {
            let refused = parse_line(4, blank, &defaults()).unwrap();
            assert_eq!(refused.id, "4");
            assert_eq!(
                refused.request.unwrap_err(),
                "line 4: the id is empty; give the query an id, or leave `id` out to use the \
                 line number"
            );
        }
        let numeric = parse_line(2, r#"{"id": 42, "query": "x"}"#, &defaults()).unwrap();
        assert_eq!(numeric.id, "42");
    }

    fn read_all(input: &[u8]) -> Vec<BatchQuery> {
        queries(input, &defaults()).map(Result::unwrap).collect()
    }

    #[test]
    fn lines_are_numbered_blank_ones_skipped() {
        let read = read_all(b"oil\n\n  \r\n{\"id\": \"g\", \"query\": \"gas\"}\r\nlast");
        let seen: Vec<_> = read
            .iter()
            .map(|query| (query.line, query.id.as_str(), query.query.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (1, "1", Some("oil")),
                (4, "g", Some("gas")),
                (5, "5", Some("last"))
            ]
        );
    }

    #[test]
    fn a_line_too_long_is_refused_and_the_next_read() {
        let mut input = vec![b'x'; MAX_LINE_BYTES];
        input.extend_from_slice(b"\n");
        input.extend(std::iter::repeat_n(b'y', 3 * MAX_LINE_BYTES));
        input.extend_from_slice(b"\n\xff\nafter");
        // Read through a small buffer, so that the long line arrives in many parts.
        let read: Vec<_> = queries(io::BufReader::with_capacity(1000, &input[..]), &defaults())
            .map(Result::unwrap)
            .collect();
        assert_eq!(read.len(), 4);
        assert_eq!(
            read[0].query.as_ref().map(String::len),
            Some(MAX_LINE_BYTES)
        );
        let err = read[1].request.as_ref().unwrap_err();
        assert_eq!(err, "line 2: longer than the 64 KiB a batch line may hold");
        assert_eq!((read[1].id.as_str(), read[1].query.as_ref()), ("2", None));
        assert_eq!(
            read[2].request.as_ref().unwrap_err(),
            "line 3: not UTF-8 text"
        );
        assert_eq!(read[3].query.as_deref(), Some("after"));
    }

    #[test]
    fn bad_lines_say_what_and_where() {
        for (line, expected) in [
            (r#"{"query": "x", "limit": 0}"#, "limit"),
            (r#"{"query": "x", "since": "yesterday"}"#, "YYYY"),
            (r#"{"qeury": "x"}"#, "qeury"),
            (r#"{"id": "a""#, "EOF"),
            (r#"{"query": 5}"#, "invalid type"),
        ] {
            let query = parse_line(9, line, &defaults()).unwrap();
            let err = query.request.unwrap_err();
            assert_eq!(query.id, "9");
            assert!(
                err.starts_with("line 9: ") && err.contains(expected),
                "{line}: {err}"
            );
        }
    }
}
