use std::process::ExitCode;

use clap::Parser;
use quarry::cli::Cli;
use quarry::commands::{self, Outcome};

#[global_allocator]
static ALLOCATOR: quarry::memory::Allocator = quarry::memory::Allocator;

fn main() -> ExitCode {
    quarry::messages::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            quarry::messages::usage(&quarry::cli::usage_error(&err));
            return ExitCode::from(2);
        }
        // --help and --version: clap prints them, and a closed pipe is no failure.
        Err(err) => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
    };
    match commands::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::NoMatch) => ExitCode::from(1),
        Ok(Outcome::PartialFailure) => ExitCode::from(2),
        Ok(Outcome::Interrupted) => ExitCode::from(quarry::interrupt::exit_code()),
        // A closed pipe (`quarry query ... | head -1`) is a normal way for output to end.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            quarry::messages::error(&format!("{err:#}"));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
