//! Everything quarry says on stderr: errors, warnings and notes, each on one line, escaped.
//! Messages quote paths, batch lines, queries and what files hold: all of it goes through
//! [`escape`] here, so no call site can forget to. Quiet is kept here for the same reason:
//! set once from `-q`, it silences every warning and note, wherever they are said.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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

/// How many [`catch_panic`]s are running: their panics are reported as errors, so the panic
/// hook stays quiet. Counted for the whole process, not per thread: the work may panic on one
/// of rayon's threads and be resumed on the caller's.
static CATCHING: AtomicUsize = AtomicUsize::new(0);

/// Has a panic said as any message is (one escaped line: a library's panic message may quote
/// the file it was reading), and not at all when [`catch_panic`] catches it to report it.
/// `RUST_BACKTRACE` set also gets Rust's own report, for whoever debugs quarry.
pub fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        let backtrace = std::env::var_os("RUST_BACKTRACE").is_some();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.load(Ordering::SeqCst) > 0 {
                return;
            }
            say("internal error: ", &info.to_string().replace('\n', " "));
            if backtrace {
                default(info);
            }
        }));
    });
}

/// Runs `work`, a panic in it turned into its message (empty when it has none): for code that
/// reads hostile files or trusts a damaged index, where one failure must not stop the run.
pub fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    CATCHING.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.fetch_sub(1, Ordering::SeqCst);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|message| message.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}
