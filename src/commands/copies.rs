//! `quarry copies`: the groups of copies of one story in the index.

use std::io::{BufWriter, Write};

use anyhow::Result;

use super::Outcome;
use crate::cli::{CopiesArgs, ListFormat};
use crate::index::store::{self, Store};
use crate::output::list::{write_groups_json_lines, write_groups_text};

pub fn run(args: &CopiesArgs) -> Result<Outcome> {
    let place = args
        .place
        .as_deref()
        .map(crate::roots::absolute)
        .transpose()?;
    let location = store::locate(args.location.index.as_deref())?;
    let store = Store::open(&location)?;
    let groups = crate::copies::in_index(&store, place.as_deref(), args.min_overlap)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Text => write_groups_text(&mut out, &groups)?,
        ListFormat::Jsonl => write_groups_json_lines(&mut out, &groups)?,
    }
    out.flush()?;
    Ok(if groups.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Success
    })
}
