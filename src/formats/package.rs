//! Zip packages (Word and OpenDocument files, EPUB books), read within bounds: a part is
//! inflated only up to a size, and so is the whole package, so that a zip bomb (a few
//! kilobytes that inflate to gigabytes) is reported, never held in memory.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::FormatError;

/// The most one part of a package may inflate to: a book's longest chapter or a report's
/// document.xml is a few megabytes.
const MAX_PART_BYTES: u64 = 64 << 20;
/// The most all the parts read from one package may inflate to.
const MAX_PACKAGE_BYTES: u64 = 256 << 20;

/// An open package and what has been inflated of it so far.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// What the package is, to say in errors (`Word document`).
    kind: &'static str,
    inflated: u64,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], kind: &'static str) -> Result<Package<'a>, FormatError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
            FormatError::Unreadable(format!(
                "not {} (its zip structure is broken: {err})",
                indefinite(kind)
            ))
        })?;
        Ok(Package {
            archive,
            kind,
            inflated: 0,
        })
    }

    /// The part named `name` as text; `None` when the package has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, FormatError> {
        let kind = self.kind;
        let mut part = match self.archive.by_name(name) {
            Ok(part) => part,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(why)) if why.contains("Password") => {
                return Err(FormatError::Unreadable(format!(
                    "the {kind} is encrypted (protected by a password)"
                )));
            }
            Err(err) => {
                return Err(FormatError::Unreadable(format!(
                    "cannot read {name} in the {kind}: {err}"
                )));
            }
        };
        let room = MAX_PART_BYTES.min(MAX_PACKAGE_BYTES - self.inflated);
        let mut bytes = Vec::new();
        (&mut part)
            .take(room + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| {
                FormatError::Unreadable(format!("cannot inflate {name} in the {kind}: {err}"))
            })?;
        if bytes.len() as u64 > room {
            return Err(FormatError::Unreadable(format!(
                "{name} in the {kind} inflates to more than {} MiB (a zip bomb?); not read",
                room >> 20
            )));
        }
        self.inflated += bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|_| {
            FormatError::Unreadable(format!("{name} in the {kind} is not UTF-8 text"))
        })?;
        Ok(Some(text))
    }

    /// The part `name`, which the format requires.
    pub fn required(&mut self, name: &str) -> Result<String, FormatError> {
        let kind = self.kind;
        self.text(name)?.ok_or_else(|| {
            FormatError::Unreadable(format!("not {}: it has no {name}", indefinite(kind)))
        })
    }
}

/// `a Word document`, `an EPUB book`.
pub fn indefinite(kind: &str) -> String {
    let vowel = kind.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
pub mod tests {
    use std::io::Write;

    use super::*;

    /// A zip of `parts` (name, content), deflated.
    pub fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_without_being_held() {
        let huge = vec![b'a'; (MAX_PART_BYTES + 10) as usize];
        let bomb = zipped(&[("word/document.xml", &huge)]);
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let mut package = Package::open(&bomb, "Word document").unwrap();
        let err = package.text("word/document.xml").unwrap_err();
        assert!(err.to_string().contains("zip bomb"), "{err}");
    }

    #[test]
    fn an_encrypted_part_is_said_to_be() {
        let mut zip = zipped(&[("word/document.xml", b"<w:document/>")]);
        // Mark the entry encrypted (bit 0 of its flags), in its local header and in the
        // central directory, as an office suite's password does.
        for (signature, flags_at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
            let at = zip
                .windows(4)
                .position(|window| window == signature)
                .unwrap();
            zip[at + flags_at] |= 1;
        }
        let mut package = Package::open(&zip, "Word document").unwrap();
        let err = package.text("word/document.xml").unwrap_err().to_string();
        assert!(err.contains("encrypted"), "{err}");
    }

    #[test]
    fn missing_parts_and_broken_zips_are_said() {
        let zip = zipped(&[("a.xml", b"<a/>")]);
        let mut package = Package::open(&zip, "Word document").unwrap();
        assert_eq!(package.text("b.xml").unwrap(), None);
        assert!(
            package
                .required("b.xml")
                .unwrap_err()
                .to_string()
                .contains("has no b.xml")
        );
        let broken = Package::open(b"PK\x03\x04garbage", "EPUB book");
        assert!(matches!(broken, Err(FormatError::Unreadable(why)) if why.contains("zip")));
    }
}
