//! Paths as the index keeps them (their bytes, without loss) and as people read them (text).

use std::path::{Path, PathBuf};

/// A path as text, for people: UTF-8 as it is, any other byte written `\xNN`. Unlike U+FFFD,
/// this keeps apart names that differ only in bytes that are not UTF-8. It is for showing
/// only: a name may spell `\xNN` out, so the index keys files by [`path_bytes`].
pub fn path_text(path: &Path) -> String {
    let bytes = path_bytes(path);
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

/// A path's bytes, as the operating system gives them.
pub fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The path whose bytes [`path_bytes`] gave.
#[cfg(unix)]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// The path whose bytes [`path_bytes`] gave (outside Unix, paths quarry keeps are UTF-8).
#[cfg(not(unix))]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_text_for_people() {
        let one = path_from_bytes(b"/a/bad\xff.txt");
        let two = path_from_bytes(b"/a/bad\xfe.txt");
        assert_eq!(path_text(&one), "/a/bad\\xff.txt");
        assert_ne!(path_text(&one), path_text(&two));
        assert_eq!(path_text(Path::new("/a/café.txt")), "/a/café.txt");
    }

    #[test]
    fn bytes_keep_apart_what_text_shows_alike() {
        let raw = path_from_bytes(b"/a/a\xff.txt");
        let spelled = Path::new("/a/a\\xff.txt");
        assert_eq!(path_text(&raw), path_text(spelled));
        assert_ne!(path_bytes(&raw), path_bytes(spelled));
        assert_eq!(path_from_bytes(path_bytes(&raw)), raw);
    }
}
