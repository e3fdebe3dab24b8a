//! `quarry completions`: print a shell completion script.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use super::Outcome;
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    // Made in memory first: the generator panics when its writer fails (a closed pipe), and
    // a failed write to stdout must be an error like any other.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "quarry", &mut script);
    std::io::stdout().write_all(&script)?;
    Ok(Outcome::Success)
}
