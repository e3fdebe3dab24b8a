//! `quarry roots`: the folders the index holds, and whether each is there.

use std::io::{BufWriter, Write};

use anyhow::Result;

use super::Outcome;
use crate::cli::{RootsArgs, StatsFormat};
use crate::index::store::{self, Store};
use crate::output::roots::{write_json, write_text};
use crate::roots;

pub fn run(args: &RootsArgs) -> Result<Outcome> {
    let location = store::locate(args.location.index.as_deref())?;
    let store = Store::open(&location)?;
    let held = roots::held(&store)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        StatsFormat::Text => write_text(&mut out, &held)?,
        StatsFormat::Json => write_json(&mut out, &held)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}
