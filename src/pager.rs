//! Long output on a terminal goes through a pager, as git and bat do: `$QUARRY_PAGER`, else
//! `$PAGER`, else `less`. `less` is told (through `LESS`, unless the user set it) to leave at
//! once when the output fits one screen (`F`), to show colours (`R`) and to leave the output
//! on the screen (`X`).

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The options `less` gets when `LESS` is not set.
const LESS_OPTIONS: &str = "FRX";

/// A running pager, reading what is written to it.
pub struct Pager {
    child: Child,
    input: Option<ChildStdin>,
}

impl Pager {
    /// Starts the pager the environment names; `None` when paging is turned off (an empty
    /// pager, or `cat`) or the pager can't be started, and output goes straight to stdout.
    pub fn start() -> Option<Pager> {
        let command = std::env::var("QUARRY_PAGER")
            .or_else(|_| std::env::var("PAGER"))
            .unwrap_or_else(|_| "less".to_string());
        let mut words = command.split_whitespace();
        let program = words.next()?;
        let name = std::path::Path::new(program).file_name()?;
        if name == "cat" {
            return None;
        }
        let mut pager = Command::new(program);
        pager.args(words).stdin(Stdio::piped());
        if name == "less" && std::env::var_os("LESS").is_none() {
            pager.env("LESS", LESS_OPTIONS);
        }
        let mut child = pager.spawn().ok()?;
        let input = child.stdin.take();
        Some(Pager { child, input })
    }

    /// Closes the pager's input and waits for the reader to leave it.
    pub fn finish(mut self) -> io::Result<()> {
        drop(self.input.take());
        self.child.wait().map(|_| ())
    }
}

impl Write for Pager {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.input {
            Some(input) => input.write(bytes),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.input {
            Some(input) => input.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pager {
    /// A pager left running would fight the shell for the terminal: it is always waited for.
    fn drop(&mut self) {
        drop(self.input.take());
        let _ = self.child.wait();
    }
}
