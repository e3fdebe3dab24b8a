//! TREC run lines, `QID Q0 DOCNO RANK SCORE RUN`, for trec_eval and ir_measures. The search
//! collapses passages to one per article for this format, so each line is an article ranked
//! by its best passage.

use std::borrow::Cow;
use std::io::{self, Write};

use super::QueryRecord;
use super::sanitize::escape;

/// The run's name, the last column.
const RUN: &str = "quarry";

pub fn write(out: &mut impl Write, record: &QueryRecord) -> io::Result<()> {
    let id = column(record.id);
    // Files under two indexed folders may share an id (`a` in both): a run names each once.
    let mut seen = std::collections::HashSet::new();
    let mut rank = 0;
    for hit in record.hits {
        let article = column(&hit.article);
        // Written before it is kept: a run of 1,000 articles a query is written fast.
        if !seen.contains(&article) {
            rank += 1;
            writeln!(out, "{id} Q0 {article} {rank} {:.6} {RUN}", hit.score)?;
            seen.insert(article);
        }
    }
    Ok(())
}

/// TREC columns are split on white space: a run of it inside one is written `_`, an empty one
/// is `_`, and controls are escaped as everywhere else.
fn column(text: &str) -> Cow<'_, str> {
    let escaped = escape(text);
    if !escaped.is_empty() && !escaped.contains(char::is_whitespace) {
        return escaped;
    }
    let words: Vec<&str> = escaped.split_whitespace().collect();
    if words.is_empty() {
        return Cow::Borrowed("_");
    }
    Cow::Owned(words.join("_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_hold_neither_spaces_nor_controls_and_are_never_empty() {
        assert_eq!(column("q 1\t\u{3000}x"), "q_1_x");
        assert_eq!(column("\x1b[2J\u{85}id"), "\\u{1b}[2J\\u{85}id");
        assert_eq!(column(" \t"), "_");
        assert_eq!(column(""), "_");
    }
}
