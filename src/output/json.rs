//! JSON printers: the schema is documented in README.md and must stay stable (fields may be
//! added, never renamed or removed).

use std::io::{self, Write};

use serde::Serialize;

use super::QueryRecord;
use crate::search::Hit;

#[derive(Serialize)]
struct QueryJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    took_ms: f64,
    hits: &'a [Hit],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    id: &'a str,
    query: Option<&'a str>,
    error: &'a str,
}

/// One line: `{"id", "query", "took_ms", "hits": [...]}`, and `"error"` when the query failed.
pub fn write_query(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let json = QueryJson {
        id: record.id,
        query: record.query,
        took_ms: (record.took_ms * 1000.0).round() / 1000.0,
        hits: record.hits,
        error: record.error,
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// One line per hit: the hit's fields plus `id` and `query`; a failed query gives one line
/// with `error`.
pub fn write_hit_lines(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    if let Some(error) = record.error {
        let json = ErrorJson {
            id: record.id,
            query: record.query,
            error,
        };
        serde_json::to_writer(&mut *out, &json)?;
        return writeln!(out);
    }
    for hit in record.hits {
        let json = HitJson {
            id: record.id,
            query: record.query,
            hit,
        };
        serde_json::to_writer(&mut *out, &json)?;
        writeln!(out)?;
    }
    Ok(())
}
