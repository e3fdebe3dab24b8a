//! Everything quarry says on stderr: errors, warnings and notes, each on one line, escaped.
//! Messages quote paths, batch lines, queries and what files hold: all of it goes through
//! [`escape`] here, so no call site can forget to.

use std::io::Write;

use crate::output::escape;

/// Why a command stopped (or a batch line could not run).
pub fn error(message: &str) {
    say("error: ", message);
}

/// Something the user should know that did not stop the command.
pub fn warn(message: &str) {
    say("warning: ", message);
}

/// A note on what quarry is doing.
pub fn note(message: &str) {
    say("", message);
}

fn say(kind: &str, message: &str) {
    // Unlike `eprintln!`, a stderr that can't be written (a full disk behind `2>file`) is no
    // panic: there is nowhere left to tell of it, and the exit code still says what happened.
    let _ = writeln!(
        std::io::stderr().lock(),
        "quarry: {kind}{}",
        escape(message)
    );
}
