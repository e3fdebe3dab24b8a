//! Word documents (`.docx`): the paragraphs of `word/document.xml` in order — headings, list
//! items and table cells each a paragraph — then the footnotes and endnotes; the title and
//! author from `docProps/core.xml` when they are plausible. Its dates are the file's (when it
//! was created or saved), not a publication date, and are not read.

use super::FormatError;
use super::office::{self, Extracted, Paragraphs};
use super::package::Package;
use super::xml::{self, Node};

const KIND: &str = "Word document";

pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut package = Package::open(bytes, KIND)?;
    let document = package.required("word/document.xml")?;
    let mut body = Paragraphs::default();
    let styled_title = paragraphs(&document, &mut body)?;
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(xml) = package.text(notes)? {
            paragraphs(&xml, &mut body)?;
        }
    }
    let core = package.text("docProps/core.xml")?;
    Ok(office::extracted(body, core.as_deref(), styled_title))
}

/// Adds the paragraphs of a WordprocessingML part to `into`; returns the text of the first
/// paragraph styled as the title, if any.
fn paragraphs(xml: &str, into: &mut Paragraphs) -> Result<Option<String>, FormatError> {
    let mut in_text = false;
    // A footnote that is only the line above the notes (its type says so) is no text.
    let mut separator = false;
    let mut title_paragraph = false;
    let mut title = None;
    xml::walk(xml, |node| match node {
        Node::Start(start) => match xml::local(start) {
            "t" => in_text = true,
            "tab" | "br" | "cr" => into.push(" "),
            "noBreakHyphen" => into.push("-"),
            "pStyle" => {
                title_paragraph = xml::attribute(start, "val")
                    .is_some_and(|style| style.eq_ignore_ascii_case("title"));
            }
            "footnote" | "endnote" => {
                separator = xml::attribute(start, "type")
                    .is_some_and(|kind| kind == "separator" || kind == "continuationSeparator");
            }
            _ => {}
        },
        Node::End(name) => match name {
            "t" => in_text = false,
            "p" => {
                let text = into.end_paragraph(separator);
                if title_paragraph && title.is_none() {
                    title = text;
                }
                title_paragraph = false;
            }
            _ => {}
        },
        Node::Text(text) if in_text => into.push(&text),
        Node::Text(_) => {}
    })
    .map_err(|why| FormatError::Unreadable(format!("{KIND}: {why}")))?;
    Ok(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::package::tests::zipped;

    const CORE: &str = r#"<?xml version="1.0"?><cp:coreProperties
        xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
        <dc:title>Microsoft Word - draft3.doc</dc:title><dc:creator>Ann Writer</dc:creator>
        <dcterms:created>2021-03-04T10:00:00Z</dcterms:created></cp:coreProperties>"#;

    /// A Word document with a title paragraph, a heading, two paragraphs (one split in runs,
    /// with an entity and a tab), a table and a footnote.
    pub fn sample() -> Vec<u8> {
        let document = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Strike Ends at the Port</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Background</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Dock workers </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>voted</w:t></w:r><w:r><w:t xml:space="preserve"> to end the strike &amp; return<w:tab/>on Monday.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p><w:r><w:delText>deleted words</w:delText><w:instrText>PAGE</w:instrText><w:t>The union said wages rise 4%.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Port</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Tonnes</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;
        let footnotes = r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Figures from the port authority.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;
        zipped(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", document.as_bytes()),
            ("word/footnotes.xml", footnotes.as_bytes()),
            ("docProps/core.xml", CORE.as_bytes()),
        ])
    }

    #[test]
    fn paragraphs_tables_and_footnotes_in_order_and_a_plausible_title() {
        let read = read(&sample()).unwrap();
        assert_eq!(
            read.text,
            "Strike Ends at the Port\n\nBackground\n\nDock workers voted to end the strike & \
             return on Monday.\n\nThe union said wages rise 4%.\n\nPort\n\nTonnes\n\n\
             Figures from the port authority.\n"
        );
        // "Microsoft Word - draft3.doc" is no title: the paragraph styled as one is.
        assert_eq!(
            read.metadata.title.as_deref(),
            Some("Strike Ends at the Port")
        );
        assert_eq!(read.metadata.author.as_deref(), Some("Ann Writer"));
        assert_eq!(
            read.metadata.date, None,
            "a file date is no publication date"
        );
    }

    #[test]
    fn a_title_with_entities_is_read_whole() {
        let core = "<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>STERLING \
                    &lt;SSW&gt; NOTE HOLDERS OK BUY</dc:title></cp:coreProperties>";
        let document = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Text.</w:t></w:r>\
                        </w:p></w:body></w:document>";
        let zip = zipped(&[
            ("word/document.xml", document.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ]);
        let read = read(&zip).unwrap();
        assert_eq!(
            read.metadata.title.as_deref(),
            Some("STERLING <SSW> NOTE HOLDERS OK BUY")
        );
    }

    #[test]
    fn not_a_word_document_is_said() {
        let zip = zipped(&[("content.xml", b"<a/>")]);
        let err = read(&zip).unwrap_err().to_string();
        assert!(err.contains("no word/document.xml"), "{err}");
        let broken = zipped(&[("word/document.xml", b"<w:document><w:p>")]);
        assert!(
            read(&broken).is_ok(),
            "XML that ends early keeps what it read"
        );
    }
}
