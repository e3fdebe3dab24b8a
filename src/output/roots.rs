//! Printing the roots of an index (`quarry roots`).

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::json::{not_utf8, write_json_line};
use super::stats::timestamp;
use crate::paths::{path_bytes, path_text};
use crate::roots::{Held, State};

/// A root, as scripts read it.
#[derive(Serialize)]
struct RootJson<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    articles: usize,
    /// Seconds since the Unix epoch.
    updated: Option<u64>,
    /// `present`, `missing`, `other-device` or `unreadable`.
    state: &'static str,
}

pub fn write_json(out: &mut impl Write, roots: &[Held]) -> io::Result<()> {
    let roots: Vec<RootJson> = roots
        .iter()
        .map(|root| RootJson {
            path: path_text(&root.path),
            path_bytes: not_utf8(path_bytes(&root.path)),
            articles: root.articles,
            updated: root.updated,
            state: root.state.name(),
        })
        .collect();
    write_json_line(out, &roots)
}

/// One line per root: its articles, when it was last updated, its state, its path.
pub fn write_text(out: &mut impl Write, roots: &[Held]) -> io::Result<()> {
    for root in roots {
        let updated = root
            .updated
            .map_or_else(|| "never walked to the end".to_string(), timestamp);
        let state = match &root.state {
            State::Present => String::new(),
            State::Missing => "  (missing)".to_string(),
            State::OtherDevice => "  (on another device: a drive not mounted?)".to_string(),
            State::Unreadable(why) => format!("  (cannot be looked at: {why})"),
        };
        writeln!(
            out,
            "{:>8} {:<9}  {:<23}  {}{}",
            root.articles,
            if root.articles == 1 {
                "article"
            } else {
                "articles"
            },
            updated,
            escape(&path_text(&root.path)),
            escape(&state)
        )?;
    }
    Ok(())
}
