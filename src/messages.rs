//! What quarry says on stderr besides errors: warnings and notes, each on one line, escaped.

use crate::output::escape;

/// Something the user should know that did not stop the command.
pub fn warn(message: &str) {
    eprintln!("quarry: warning: {}", escape(message));
}

/// A note on what quarry is doing.
pub fn note(message: &str) {
    eprintln!("quarry: {}", escape(message));
}
