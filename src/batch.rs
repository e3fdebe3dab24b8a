//! Batch files for `quarry query --batch`: one query per line, either a JSON object
//! `{"id", "query", "limit", "offset", "since", "until", "include_undated", "source", "author",
//! "sort", "per_article"}` (only `query` required) or plain query text whose id is its line
//! number.

use serde::Deserialize;
use serde_json::Value;

use crate::filter::{End, Sort, parse_day};
use crate::search::Request;

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
    let request = request(parsed, defaults).map_err(|err| format!("line {line}: {err}"));
    Some(BatchQuery {
        line,
        id,
        query,
        request,
    })
}

/// A line that could not be read at all: its id is its number, its query unknown.
pub fn unreadable(line: usize, error: String) -> BatchQuery {
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
    use crate::filter::Filters;

    fn defaults() -> Request {
        Request {
            query: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            per_article: None,
            explain: false,
        }
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
        let numeric = parse_line(2, r#"{"id": 42, "query": "x"}"#, &defaults()).unwrap();
        assert_eq!(numeric.id, "42");
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
