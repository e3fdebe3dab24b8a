//! Turning a file's bytes into text: UTF-8 or UTF-16 by byte-order mark, UTF-8 without one, and
//! legacy single-byte encodings (Windows-1252 and kin) guessed from the bytes.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// A NUL byte this near the start makes a file binary. Git's number (`buffer_is_binary` looks at
/// the first 8,000 bytes), so that quarry and git call the same files binary: the headers of
/// images, archives and office files hold NULs within it, and text files seldom do.
const BINARY_SNIFF_BYTES: usize = 8000;
/// More than one NUL in this many bytes makes a file binary wherever they are: UTF-16 without a
/// byte-order mark (every other byte of English text), images and archives whose first NUL
/// comes late. A text file's stray NULs (junk a page's server left after a tag) are far fewer.
const MAX_NUL_SHARE: usize = 100;

/// Why bytes could not be turned into article text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes hold a NUL character near the start, or many of them: an image, archive,
    /// UTF-16 without a byte-order mark or other binary file.
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

/// Decodes a whole file. Undecodable bytes become U+FFFD rather than failing the file. Text with
/// a NUL character in its first [`BINARY_SNIFF_BYTES`], or with NULs more than one in
/// [`MAX_NUL_SHARE`], is binary; other NULs are dropped (a reader sees nothing of them, and
/// HTML parsers ignore them). Lines ended by a lone carriage return (old Mac files) are given
/// line feeds, so that lines are counted as an editor shows them. UTF-8 with nothing to change
/// (most files) is not copied.
///
/// Bytes that say which encoding they are in (a web page's `<meta charset>`) and are not UTF-8
/// are decoded in that encoding (`declared`) rather than the one guessed.
pub fn decode<'a>(
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
) -> Result<Cow<'a, str>, DecodeError> {
    let text = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => {
            // UTF-16's code units hold zero bytes: the NULs are looked for in the text.
            let text = encoding.decode_without_bom_handling(&bytes[bom_len..]).0;
            if has_nuls(text.as_bytes())? {
                Cow::Owned(text.replace('\0', ""))
            } else {
                text
            }
        }
        // Looked for in the bytes, before guessing an encoding: every encoding guessed reads a
        // zero byte as NUL and nothing else, and a binary file is not worth the guess.
        None if has_nuls(bytes)? => {
            let kept: Vec<u8> = bytes.iter().copied().filter(|&byte| byte != 0).collect();
            match String::from_utf8(kept) {
                Ok(text) => Cow::Owned(text),
                Err(err) => Cow::Owned(guessed(err.as_bytes(), declared).into_owned()),
            }
        }
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => guessed(bytes, declared),
        },
    };
    if text.contains('\r') {
        return Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")));
    }
    Ok(text)
}

/// Whether `bytes` hold NULs to drop; binary when they hold one near the start or many.
fn has_nuls(bytes: &[u8]) -> Result<bool, DecodeError> {
    // `contains` on bytes is a fast search: most files hold no NUL, and are looked at once.
    if !bytes.contains(&0) {
        return Ok(false);
    }
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(DecodeError::Binary);
    }
    let nuls = bytes.iter().filter(|&&byte| byte == 0).count();
    if nuls * MAX_NUL_SHARE > bytes.len() {
        return Err(DecodeError::Binary);
    }
    Ok(true)
}

/// Bytes that are not UTF-8, decoded in the encoding they say they are in, else in the one they
/// look like.
fn guessed<'a>(bytes: &'a [u8], declared: Option<&'static Encoding>) -> Cow<'a, str> {
    if let Some(encoding) = declared {
        return encoding.decode_without_bom_handling(bytes).0;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // UTF-8 was ruled out; a mostly-UTF-8 file with a few bad bytes still decodes as UTF-8 when
    // the detector says so, keeping the good characters intact.
    let encoding = detector.guess(None, Utf8Detection::Allow);
    encoding.decode(bytes).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_encoding_is_believed_when_the_bytes_are_not_utf8() {
        // Mostly UTF-8 with one stray byte: the detector may call it Windows-1252.
        let mut bytes = "Fundację Lux Veritatis zażółć gęślą jaźń"
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        let text = decode(&bytes, Some(encoding_rs::UTF_8)).unwrap();
        assert!(text.starts_with("Fundację Lux Veritatis zażółć"), "{text}");
        let latin = b"Gr\xFC\xDFe";
        assert_eq!(
            decode(latin, Encoding::for_label(b"iso-8859-1")).unwrap(),
            "Grüße"
        );
        assert_eq!(
            decode(b"plain", Some(encoding_rs::UTF_16LE)).unwrap(),
            "plain"
        );
    }

    #[test]
    fn plain_utf8_passes_through() {
        assert_eq!(decode("Iran’s".as_bytes(), None).unwrap(), "Iran’s");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFTehran", None).unwrap(), "Tehran");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Qom ‘holy’".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None).unwrap(), "Qom ‘holy’");
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"The caf\xe9 owner said \x93no comment\x94 about the na\xefve plan.";
        assert_eq!(
            decode(bytes, None).unwrap(),
            "The café owner said “no comment” about the naïve plan."
        );
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            Err(DecodeError::Binary)
        );
        assert_eq!(decode(b"text\0more", None), Err(DecodeError::Binary));
    }

    #[test]
    fn a_nul_in_the_first_8000_bytes_is_binary() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFtext\0", None),
            Err(DecodeError::Binary)
        );
        let mut text = b"words ".repeat(2000);
        text[BINARY_SNIFF_BYTES - 1] = 0;
        assert_eq!(decode(&text, None), Err(DecodeError::Binary));
        // One byte further on, the same NUL is junk in a text.
        text[BINARY_SNIFF_BYTES - 1] = b' ';
        text[BINARY_SNIFF_BYTES] = 0;
        assert!(!decode(&text, None).unwrap().contains('\0'));
    }

    #[test]
    fn a_few_nuls_late_in_a_long_text_are_dropped() {
        // As in a saved page: junk after an <img> tag, far into the page.
        let page = "<p>Un juicio en Cochabamba.</p>\n".repeat(1000);
        let mut bytes = page.as_bytes().to_vec();
        bytes.splice(20_000..20_000, [0; 11]);
        bytes.splice(25_000..25_000, [0; 11]);
        assert_eq!(decode(&bytes, None).unwrap(), page);
        // In a legacy encoding, guessed from the bytes around them.
        let mut late = b"caf\xe9 ".repeat(5000);
        late.splice(12_000..12_000, [0; 3]);
        assert_eq!(decode(&late, None).unwrap(), "café ".repeat(5000));
        // In UTF-16, as characters.
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Qom ‘holy’ ".repeat(1000).encode_utf16().chain([0]) {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&utf16, None).unwrap(), "Qom ‘holy’ ".repeat(1000));
    }

    #[test]
    fn many_nuls_are_binary_wherever_they_are() {
        let mut bytes = b"words ".repeat(2000);
        // One in 100 bytes is still text; one more is binary.
        let nuls = bytes.len() / MAX_NUL_SHARE;
        for at in 0..nuls {
            bytes[BINARY_SNIFF_BYTES + at * 3] = 0;
        }
        assert!(decode(&bytes, None).is_ok());
        bytes[BINARY_SNIFF_BYTES + nuls * 3] = 0;
        assert_eq!(decode(&bytes, None), Err(DecodeError::Binary));
    }

    #[test]
    fn utf16_without_bom_is_binary() {
        let text = "Qom ‘holy’ city, said the report. ".repeat(400);
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&little, None), Err(DecodeError::Binary));
        assert_eq!(decode(&big, None), Err(DecodeError::Binary));
        // Its first NUL late, after 8,000 bytes of other text: binary by their number.
        let mut late = "words ".repeat(1500).into_bytes();
        late.extend_from_slice(&little);
        assert_eq!(decode(&late, None), Err(DecodeError::Binary));
    }

    #[test]
    fn carriage_returns_end_lines() {
        assert_eq!(
            decode(b"one\rtwo\r\nthree", None).unwrap(),
            "one\ntwo\nthree"
        );
    }

    #[test]
    fn stray_invalid_byte_never_fails() {
        let text = decode(b"plain words and one bad \xff byte", None).unwrap();
        assert!(text.starts_with("plain words"));
    }
}
