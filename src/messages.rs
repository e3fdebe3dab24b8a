//! Everything quarry says on stderr: errors, warnings and notes, each on one line, escaped.
//! Messages quote paths, batch lines, queries and what files hold: all of it goes through
//! [`escape`] here, so no call site can forget to. Quiet is kept here for the same reason:
//! set once from `-q`, it silences every warning and note, wherever they are said.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::output::escape;

static QUIET: AtomicBool = AtomicBool::new(false);

/// With `quiet`, only errors are said from now on (`-q`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether warnings and notes are silenced.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Why a command stopped (or a batch line could not run): said even when quiet.
pub fn error(message: &str) {
    say("error: ", message);
}

/// Something the user should know that did not stop the command.
pub fn warn(message: &str) {
    if !is_quiet() {
        say("warning: ", message);
    }
}

/// A note on what quarry is doing.
pub fn note(message: &str) {
    if !is_quiet() {
        say("", message);
    }
}

/// A usage error as clap words it (`error: ...`, usage, a hint), each line escaped: clap
/// quotes the arguments it refuses, and only strips the escape sequences it recognises.
pub fn usage(text: &str) {
    let mut stderr = std::io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(stderr, "{}", escape(line));
    }
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
