//! `quarry list`: the indexed articles with their metadata.

use std::io::{BufWriter, Write};

use anyhow::{Result, anyhow};

use super::Outcome;
use crate::cli::{ListArgs, ListFormat};
use crate::index::store::{self, Store};
use crate::list::{self, Selection};
use crate::output::list::{write_json_lines, write_text};

pub fn run(args: &ListArgs) -> Result<Outcome> {
    let filters = args.filters.filters(&[])?;
    filters.check().map_err(|err| anyhow!(err))?;
    let location = store::locate(args.location.index.as_deref())?;
    let store = Store::open(&location)?;
    let selection = Selection {
        filters,
        undated: args.undated,
        order: args.sort,
    };
    let listed = list::articles(&store, &selection)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Text => write_text(&mut out, &listed)?,
        ListFormat::Jsonl => write_json_lines(&mut out, &listed)?,
    }
    out.flush()?;
    // Like a query: nothing listed is exit code 1, for scripts that test for it.
    Ok(if listed.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Success
    })
}
