//! What a failure of the index means for the user: damage (rebuild), a full disk (free space),
//! missing permissions (ask, or use another folder). Tantivy trusts the files it wrote and may
//! panic on a damaged one; [`guard`] turns such a panic into the same kind of error.

use std::path::Path;

use anyhow::{Error, anyhow};

use super::REBUILD_ADVICE;
use crate::commands::LIMIT_ADVICE;

/// Runs `work` on the index at `index`, `doing` ("open", "read", "search", "write") it: a
/// panic becomes an error saying the index is damaged, and any other error says what it means.
pub fn guard<T>(
    index: &Path,
    doing: &str,
    work: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match crate::messages::catch_panic(work) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(explain(err, index, doing)),
        Err(panic) => {
            let what = if panic.is_empty() {
                "an internal check failed".to_string()
            } else {
                panic
            };
            Err(anyhow!(
                "the index at {} is damaged (tantivy: {what}); {REBUILD_ADVICE}",
                index.display()
            ))
        }
    }
}

/// Adds to an error of the index at `index` what it means and what to do.
pub fn explain(err: Error, index: &Path, doing: &str) -> Error {
    let place = index.display();
    match os_error(&err) {
        Some(ENOMEM | EAGAIN) => err.context(format!(
            "cannot {doing} the index at {place}: the system refused memory or threads; \
             {LIMIT_ADVICE}"
        )),
        Some(ENOSPC | EDQUOT) => err.context(format!(
            "no space left on the device holding {place}: free some space and run \
             `quarry index` again (what was committed before is kept)"
        )),
        Some(EACCES | EPERM | EROFS) if doing == "write" => err.context(format!(
            "cannot write to the index at {place}: permission denied; use an index folder \
             you can write (--index DIR)"
        )),
        Some(EACCES | EPERM) => err.context(format!(
            "cannot {doing} the index at {place}: permission denied"
        )),
        _ if doing == "write" => err.context(format!("cannot write to the index at {place}")),
        _ => err.context(format!(
            "cannot {doing} the index at {place}: it is damaged; {REBUILD_ADVICE}"
        )),
    }
}

const EPERM: i32 = 1;
const EAGAIN: i32 = 11;
const ENOMEM: i32 = 12;
const EACCES: i32 = 13;
const ENOSPC: i32 = 28;
const EROFS: i32 = 30;
const EDQUOT: i32 = 122;

/// The operating system's error number behind an error. Tantivy keeps some I/O errors only as
/// text ("Internal error: 'No space left on device (os error 28)'"), so the text is read too.
fn os_error(err: &Error) -> Option<i32> {
    err.chain().find_map(|cause| {
        if let Some(code) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
        {
            return Some(code);
        }
        let text = cause.to_string();
        // Tantivy drops the error of a thread it could not start, and keeps only this.
        if text.contains("Failed to spawn") {
            return Some(EAGAIN);
        }
        // Either io::Error's Display, "… (os error 12)", or its Debug, "Os { code: 12, … }".
        let (_, after) = text
            .split_once("(os error ")
            .or_else(|| text.split_once("Os { code: "))?;
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_advice() {
        let err = guard(Path::new("/idx"), "search", || -> anyhow::Result<()> {
            panic!("index out of bounds")
        })
        .err()
        .unwrap();
        let message = format!("{err:#}");
        assert!(
            message.contains("the index at /idx is damaged"),
            "{message}"
        );
        assert!(message.contains("index out of bounds"), "{message}");
        assert!(message.contains("--rebuild"), "{message}");
    }

    #[test]
    fn a_full_disk_is_said_as_such() {
        let err = anyhow!("Internal error: 'No space left on device (os error 28)'");
        let message = format!("{:#}", explain(err, Path::new("/idx"), "write"));
        assert!(
            message.starts_with("no space left on the device holding /idx"),
            "{message}"
        );
        let err = Error::from(std::io::Error::from_raw_os_error(ENOSPC));
        let message = format!("{:#}", explain(err, Path::new("/idx"), "write"));
        assert!(message.starts_with("no space left"), "{message}");
    }

    #[test]
    fn only_damage_advises_a_rebuild() {
        let denied = Error::from(std::io::Error::from_raw_os_error(EACCES));
        let message = format!("{:#}", explain(denied, Path::new("/idx"), "read"));
        assert!(!message.contains("rebuild"), "{message}");
        let damaged = anyhow!("Data corrupted: checksum mismatch");
        let message = format!("{:#}", explain(damaged, Path::new("/idx"), "read"));
        assert!(message.contains("--rebuild"), "{message}");
    }
}
