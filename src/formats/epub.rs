//! EPUB books (`.epub`): the chapters of the spine in reading order, each read as a web page
//! is (`html`), and the package's Dublin Core metadata: title, author, publisher (the source)
//! and date, which for a book is its publication date.

use std::collections::HashMap;

use super::FormatError;
use super::html;
use super::office::{Extracted, Paragraphs, plausible_author};
use super::package::{Package, indefinite};
use super::xml::{self, Node};
use crate::article::metadata::{DateOrigin, Metadata, date_at_start};

const KIND: &str = "EPUB book";

pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut package = Package::open(bytes, KIND)?;
    let container = package.required("META-INF/container.xml")?;
    let opf_path = rootfile(&container)?;
    let opf = package.required(&opf_path)?;
    let book = Opf::read(&opf)?;
    let folder = opf_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut body = Paragraphs::default();
    for href in &book.spine {
        let path = joined(folder, &percent_decoded(href));
        let Some(chapter) = package.text(&path)? else {
            continue;
        };
        // A chapter is all text: its short last lines (a table's rows) are no page labels.
        for line in html::read_all(&chapter) {
            body.push(&line.text);
            body.end_paragraph(false);
        }
    }
    Ok(Extracted {
        text: body.into_text(),
        metadata: book.metadata,
        ..Extracted::default()
    })
}

/// The path of the package document that `META-INF/container.xml` names.
fn rootfile(container: &str) -> Result<String, FormatError> {
    let mut path = None;
    xml::walk(container, |node| {
        if let Node::Start(start) = node
            && xml::local(start) == "rootfile"
            && path.is_none()
        {
            path = xml::attribute(start, "full-path");
        }
    })
    .map_err(|why| FormatError::Unreadable(format!("{KIND}: META-INF/container.xml: {why}")))?;
    path.ok_or_else(|| {
        FormatError::Unreadable(format!(
            "not {}: its container names no package file",
            indefinite(KIND)
        ))
    })
}

/// What a package document says: the metadata, and the chapters in reading order.
struct Opf {
    metadata: Metadata,
    spine: Vec<String>,
}

impl Opf {
    fn read(opf: &str) -> Result<Opf, FormatError> {
        let mut manifest: HashMap<String, String> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut fields: HashMap<&'static str, String> = HashMap::new();
        let mut reading: Option<&'static str> = None;
        let mut piece = String::new();
        xml::walk(opf, |node| match node {
            Node::Start(start) => {
                reading = None;
                piece.clear();
                match xml::local(start) {
                    "item" => {
                        if let (Some(id), Some(href)) =
                            (xml::attribute(start, "id"), xml::attribute(start, "href"))
                        {
                            manifest.insert(id, href);
                        }
                    }
                    "itemref" if xml::attribute(start, "linear").as_deref() != Some("no") => {
                        order.extend(xml::attribute(start, "idref"));
                    }
                    "title" => reading = Some("title"),
                    "creator" => reading = Some("creator"),
                    "publisher" => reading = Some("publisher"),
                    "date" => reading = Some("date"),
                    _ => {}
                }
            }
            Node::End(_) => {
                // The first of each field, its pieces (text, entities) joined.
                if let Some(field) = reading.take() {
                    let value = piece.trim();
                    if !value.is_empty() {
                        fields.entry(field).or_insert_with(|| value.to_string());
                    }
                }
            }
            Node::Text(text) => {
                if reading.is_some() {
                    piece.push_str(&text);
                }
            }
        })
        .map_err(|why| FormatError::Unreadable(format!("{KIND}: package file: {why}")))?;
        let date = fields.get("date").and_then(|date| date_at_start(date));
        Ok(Opf {
            metadata: Metadata {
                title: fields.remove("title"),
                author: fields
                    .remove("creator")
                    .filter(|author| plausible_author(author)),
                source: fields.remove("publisher"),
                ..Metadata::default()
            }
            .with_date(date, DateOrigin::Package),
            spine: order
                .iter()
                .filter_map(|id| manifest.get(id).cloned())
                .collect(),
        })
    }
}

/// `href` relative to the package's `folder`, `..` and `.` resolved.
fn joined(folder: &str, href: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// `%20` and its kin decoded; a `%` not followed by two hex digits stays.
fn percent_decoded(href: &str) -> String {
    let href = href.split('#').next().unwrap_or(href);
    let bytes = href.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::formats::package::tests::zipped;

    fn chapter(title: &str, paragraphs: &[&str]) -> String {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head>\
             <title>{title}</title></head><body><section><h1>{title}</h1>{body}</section>\
             </body></html>"
        )
    }

    /// A book of two chapters, the second in a folder and named with a space, the spine in
    /// the other order than the manifest.
    pub fn sample() -> Vec<u8> {
        let opf = r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Harbour &lt;Year&gt;</dc:title>
<dc:creator>Ann Writer</dc:creator><dc:publisher>Tide Press</dc:publisher><dc:date>2019-05-02</dc:date></metadata>
<manifest><item id="two" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
<item id="one" href="one.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="one"/><itemref idref="two"/></spine></package>"#;
        let one = chapter(
            "Spring",
            &[
                "The harbour froze late that year, and the first ships came in April.",
                "Dock workers said the season would be short and hard.",
                "Shr 80 cts vs 72 cts",
            ],
        );
        let two = chapter(
            "Summer",
            &["By June the strike had begun, and the cranes stood still for ten days."],
        );
        zipped(&[
            ("mimetype", b"application/epub+zip"),
            (
                "META-INF/container.xml",
                br#"<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>"#,
            ),
            ("OEBPS/content.opf", opf.as_bytes()),
            ("OEBPS/one.xhtml", one.as_bytes()),
            ("OEBPS/text/chapter 2.xhtml", two.as_bytes()),
        ])
    }

    #[test]
    fn chapters_in_spine_order_and_the_package_metadata() {
        let read = read(&sample()).unwrap();
        let spring = read.text.find("The harbour froze").expect("chapter one");
        let summer = read.text.find("By June the strike").expect("chapter two");
        assert!(spring < summer, "{}", read.text);
        assert!(read.text.contains("Dock workers said"));
        // A chapter's short last line is text, not a web page's label.
        assert!(read.text.contains("Shr 80 cts vs 72 cts"), "{}", read.text);
        // A title with entities is read whole.
        assert_eq!(read.metadata.title.as_deref(), Some("The Harbour <Year>"));
        assert_eq!(read.metadata.author.as_deref(), Some("Ann Writer"));
        assert_eq!(read.metadata.source.as_deref(), Some("Tide Press"));
        assert_eq!(
            read.metadata.date.map(|d| d.to_string()).as_deref(),
            Some("2019-05-02")
        );
        assert_eq!(read.metadata.date_origin, Some(DateOrigin::Package));
    }

    #[test]
    fn paths_are_resolved_and_decoded() {
        assert_eq!(
            joined("OEBPS", "text/chapter%202.xhtml"),
            "OEBPS/text/chapter%202.xhtml"
        );
        assert_eq!(joined("OEBPS/text", "../one.xhtml"), "OEBPS/one.xhtml");
        assert_eq!(joined("", "./a.xhtml"), "a.xhtml");
        assert_eq!(percent_decoded("chapter%202.xhtml#part"), "chapter 2.xhtml");
        assert_eq!(percent_decoded("100%.xhtml"), "100%.xhtml");
    }
}
