//! Turning a file's bytes into text: UTF-8 or UTF-16 by byte-order mark, UTF-8 without one, and
//! legacy single-byte encodings (Windows-1252 and kin) guessed from the bytes.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// Why bytes could not be turned into article text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes hold NUL characters: an image, archive or other binary file.
    Binary,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary => write!(f, "binary data, not text"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a whole file. Undecodable bytes become U+FFFD rather than failing the file; text
/// with NUL characters is binary. Lines ended by a lone carriage return (old Mac files) are
/// given line feeds, so that lines are counted as an editor shows them. UTF-8 with nothing to
/// change (most files) is not copied.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let text = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => encoding.decode_without_bom_handling(&bytes[bom_len..]).0,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => {
                if bytes.contains(&0) {
                    return Err(DecodeError::Binary);
                }
                let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
                detector.feed(bytes, true);
                // UTF-8 was ruled out; a mostly-UTF-8 file with a few bad bytes still decodes
                // as UTF-8 when the detector says so, keeping the good characters intact.
                let encoding = detector.guess(None, Utf8Detection::Allow);
                encoding.decode(bytes).0
            }
        },
    };
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    if text.contains('\r') {
        return Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_passes_through() {
        assert_eq!(decode("Iran’s".as_bytes()).unwrap(), "Iran’s");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFTehran").unwrap(), "Tehran");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Qom ‘holy’".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Qom ‘holy’");
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"The caf\xe9 owner said \x93no comment\x94 about the na\xefve plan.";
        assert_eq!(
            decode(bytes).unwrap(),
            "The café owner said “no comment” about the naïve plan."
        );
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(decode(b"text\0more"), Err(DecodeError::Binary));
    }

    #[test]
    fn nul_anywhere_is_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFtext\0"), Err(DecodeError::Binary));
        let mut late = b"caf\xe9 ".repeat(5000);
        late.push(0);
        assert_eq!(decode(&late), Err(DecodeError::Binary));
    }

    #[test]
    fn carriage_returns_end_lines() {
        assert_eq!(decode(b"one\rtwo\r\nthree").unwrap(), "one\ntwo\nthree");
    }

    #[test]
    fn stray_invalid_byte_never_fails() {
        let text = decode(b"plain words and one bad \xff byte").unwrap();
        assert!(text.starts_with("plain words"));
    }
}
