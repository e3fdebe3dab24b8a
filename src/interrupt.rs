//! Ctrl-C (and `kill`, and a closed terminal) during `quarry index`: the first signal asks the
//! run to stop and keep what it has done; a second ends the process at once, which still
//! leaves the last commit readable.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, Result};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::flag;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static SIGNAL: AtomicUsize = AtomicUsize::new(0);

/// From now on, a termination signal asks the run to stop instead of killing the process.
pub fn listen() -> Result<()> {
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let register = || -> std::io::Result<()> {
            // In this order: the second signal finds the flag the first one set.
            flag::register_conditional_shutdown(signal, 128 + signal, &REQUESTED)?;
            flag::register_usize(signal, &SIGNAL, signal as usize)?;
            flag::register(signal, &REQUESTED)?;
            Ok(())
        };
        register().context("cannot listen for Ctrl-C")?;
    }
    Ok(())
}

/// Whether a signal asked the run to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// The exit code of a process a signal ended, as shells give it: 128 and the signal's number.
pub fn exit_code() -> u8 {
    let signal = SIGNAL.load(Ordering::SeqCst);
    u8::try_from(128 + signal).unwrap_or(130)
}
