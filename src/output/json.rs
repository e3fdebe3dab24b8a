//! JSON printers: the schema is documented in README.md and must stay stable.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::Hit;

#[derive(Serialize)]
struct QueryRecord<'a> {
    query: &'a str,
    hits: &'a [Hit],
}

#[derive(Serialize)]
struct HitRecord<'a> {
    query: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
}

/// One line: `{"query": ..., "hits": [...]}`.
pub fn write_query(out: &mut impl Write, query: &str, hits: &[Hit]) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &QueryRecord { query, hits })?;
    writeln!(out)
}

/// One line per hit: the hit's fields plus `query`.
pub fn write_hit_lines(out: &mut impl Write, query: &str, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, &HitRecord { query, hit })?;
        writeln!(out)?;
    }
    Ok(())
}
