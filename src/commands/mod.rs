//! One module per subcommand: each turns its arguments into settings and runs.

mod index;
mod inspect;
mod query;

use anyhow::Result;

use crate::cli::{Cli, ColorChoice, Command};
use crate::output::TextStyle;

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
        Command::Inspect(args) => inspect::run(&args),
    }
}

/// How text output looks on this stdout: colour and wrapping only on a terminal.
fn text_style(choice: ColorChoice) -> TextStyle {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    let width = terminal
        .then(terminal_size::terminal_size)
        .flatten()
        .map(|(width, _)| usize::from(width.0));
    TextStyle {
        color,
        width,
        relative_to: std::env::current_dir().ok(),
    }
}
