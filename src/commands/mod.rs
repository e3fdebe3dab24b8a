//! One module per subcommand: each turns its arguments into settings and runs.

mod index;
mod query;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The query ran and matched nothing.
    NoMatch,
}

/// Runs the command the arguments name.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Index(args) => index::run(&args),
        Command::Query(args) => query::run(&args),
    }
}
