//! `quarry stats`: describe the index.

use std::io::{BufWriter, Write};

use anyhow::Result;

use super::Outcome;
use crate::cli::{StatsArgs, StatsFormat};
use crate::index::stats;
use crate::index::store::{self, Store};
use crate::output::stats::{write_json, write_text};

pub fn run(args: &StatsArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let store = Store::open(&location)?;
    let stats = stats::collect(&store)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        StatsFormat::Text => write_text(&mut out, &stats)?,
        StatsFormat::Json => write_json(&mut out, &stats)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}
