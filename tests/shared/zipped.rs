//! Writing zip packages for the tests of office documents and e-books.

use std::io::{Cursor, Write};

/// A zip of `parts` (name, content), deflated, as office applications write them.
pub fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).expect("a zip entry");
        zip.write_all(content).expect("zip content");
    }
    zip.finish().expect("a zip").into_inner()
}
