//! TREC run lines, `QID Q0 DOCNO RANK SCORE RUN`, for trec_eval and ir_measures. The search
//! collapses passages to one per article for this format, so each line is an article ranked
//! by its best passage.

use std::io::{self, Write};

use super::QueryRecord;

/// The run's name, the last column.
const RUN: &str = "quarry";

pub fn write(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let id = no_spaces(record.id);
    // Files under two indexed folders may share an id (`a` in both): a run names each once.
    let mut seen = std::collections::HashSet::new();
    let mut rank = 0;
    for hit in record.hits {
        let article = no_spaces(&hit.article);
        if seen.insert(article.clone()) {
            rank += 1;
            writeln!(out, "{id} Q0 {article} {rank} {:.6} {RUN}", hit.score)?;
        }
    }
    Ok(())
}

/// TREC columns are split on white space: it can't appear inside one.
fn no_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}
