//! OpenDocument text (`.odt`): the paragraphs and headings of `content.xml` in order, table
//! cells and list items each a paragraph, footnotes after the text (not inside the sentence
//! that cites them), comments left out; the title and author from `meta.xml` when plausible.
//! Its dates are the file's, not a publication date, and are not read.

use super::FormatError;
use super::office::{self, Extracted, Paragraphs};
use super::package::Package;
use super::xml::{self, Node};

const KIND: &str = "OpenDocument text";

pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut package = Package::open(bytes, KIND)?;
    let content = package.required("content.xml")?;
    let mut body = Paragraphs::default();
    let mut notes = Paragraphs::default();
    // Inside a note's body (text goes to `notes`), a note's citation mark, a comment.
    let (mut in_note, mut in_citation, mut in_comment) = (0usize, false, 0usize);
    let mut title_paragraph = false;
    let mut title = None;
    xml::walk(&content, |node| match node {
        Node::Start(start) => match xml::local(start) {
            "note-body" => in_note += 1,
            "note-citation" => in_citation = true,
            "annotation" => in_comment += 1,
            "s" => {
                let count = xml::attribute(start, "c")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                let spaces = " ".repeat(usize::min(count, 8));
                target(&mut body, &mut notes, in_note).push(&spaces);
            }
            "tab" | "line-break" => target(&mut body, &mut notes, in_note).push(" "),
            "p" | "h" if in_note == 0 => {
                title_paragraph = xml::attribute(start, "style-name")
                    .is_some_and(|style| style.eq_ignore_ascii_case("title"));
            }
            _ => {}
        },
        Node::End(name) => match name {
            "note-body" => in_note = in_note.saturating_sub(1),
            "note-citation" => in_citation = false,
            "annotation" => in_comment = in_comment.saturating_sub(1),
            "p" | "h" if in_comment == 0 => {
                if in_note > 0 {
                    notes.end_paragraph(false);
                } else {
                    let text = body.end_paragraph(false);
                    if title_paragraph && title.is_none() {
                        title = text;
                    }
                    title_paragraph = false;
                }
            }
            _ => {}
        },
        Node::Text(text) if !in_citation && in_comment == 0 => {
            target(&mut body, &mut notes, in_note).push(&text);
        }
        Node::Text(_) => {}
    })
    .map_err(|why| FormatError::Unreadable(format!("{KIND}: {why}")))?;
    let notes = notes.into_text();
    for note in notes.split("\n\n") {
        body.push(note);
        body.end_paragraph(false);
    }
    let meta = package.text("meta.xml")?;
    Ok(office::extracted(body, meta.as_deref(), title))
}

/// Where text goes: the notes inside a note's body, else the body.
fn target<'a>(
    body: &'a mut Paragraphs,
    notes: &'a mut Paragraphs,
    in_note: usize,
) -> &'a mut Paragraphs {
    if in_note > 0 { notes } else { body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::package::tests::zipped;

    /// An OpenDocument text with a title, a heading, a paragraph citing a footnote, spaces
    /// written as `text:s`, a comment and a table.
    pub fn sample() -> Vec<u8> {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>
<text:p text:style-name="Title">Strike Ends at the Port</text:p>
<text:h text:outline-level="1">Background</text:h>
<text:p>Dock workers voted<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Figures from the port authority.</text:p></text:note-body></text:note> to end the strike.<text:s text:c="3"/>It lasted<text:tab/>ten days.</text:p>
<text:p><office:annotation><text:p>check this</text:p></office:annotation>The union said wages rise 4%.</text:p>
<table:table><table:table-row><table:table-cell><text:p>Port</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:meta><meta:initial-creator>Ann Writer</meta:initial-creator><dc:title>Untitled 1</dc:title>
<meta:creation-date>2021-03-04T10:00:00</meta:creation-date></office:meta></office:document-meta>"#;
        zipped(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("meta.xml", meta.as_bytes()),
        ])
    }

    #[test]
    fn paragraphs_in_order_footnotes_after_comments_out() {
        let read = read(&sample()).unwrap();
        assert_eq!(
            read.text,
            "Strike Ends at the Port\n\nBackground\n\nDock workers voted to end the strike. It \
             lasted ten days.\n\nThe union said wages rise 4%.\n\nPort\n\n\
             Figures from the port authority.\n"
        );
        assert_eq!(
            read.metadata.title.as_deref(),
            Some("Strike Ends at the Port")
        );
        assert_eq!(read.metadata.author.as_deref(), Some("Ann Writer"));
        assert_eq!(read.metadata.date, None);
    }
}
