//! One module per subcommand: each turns its arguments into settings and runs.

mod check;
mod completions;
mod copies;
mod eval;
mod forget;
mod index;
mod inspect;
mod list;
mod query;
mod roots;
mod stats;

use anyhow::Result;

use crate::cli::{Cli, ColorChoice, Command, Verbosity};
use crate::output::TextStyle;

/// What to say when the system refuses memory or threads.
pub const LIMIT_ADVICE: &str = "a limit such as `ulimit -v` or `ulimit -u` may be too low \
    (README.md, \"Memory\", says what a run needs)";

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The query ran and matched nothing.
    NoMatch,
    /// Some queries of a batch could not run (each was reported); the others did.
    PartialFailure,
    /// A signal stopped the run early; what it did is kept.
    Interrupted,
}

/// Runs the command the arguments name.
pub fn run(cli: Cli) -> Result<Outcome> {
    let verbosity = cli.verbosity;
    crate::messages::set_quiet(verbosity.quiet);
    // Started here, where failing is an error like any other: rayon's own start, on first use,
    // panics when the threads can't be made (a low `ulimit -v` or `ulimit -u`).
    rayon::ThreadPoolBuilder::new()
        .build_global()
        .map_err(|err| anyhow::anyhow!("cannot start worker threads ({err}); {LIMIT_ADVICE}"))?;
    match cli.command {
        Command::Index(args) => index::run(&args, verbosity),
        Command::Query(args) => query::run(&args, verbosity),
        Command::Inspect(args) => inspect::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Roots(args) => roots::run(&args),
        Command::List(args) => list::run(&args),
        Command::Copies(args) => copies::run(&args),
        Command::Forget(args) => forget::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Eval(args) => eval::run(&args),
    }
}

impl Verbosity {
    /// Prints a detail on stderr, when verbose.
    fn detail(&self, message: &str) {
        if self.verbose {
            crate::messages::note(message);
        }
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
