//! What Word and OpenDocument files share: text gathered paragraph by paragraph, and the
//! Dublin Core properties that name a title and an author, which are often the template's or
//! the machine's rather than the article's.

use super::xml::{self, Node};
use crate::article::metadata::Metadata;

/// A document's text, one paragraph to a line and a blank line between paragraphs, and what
/// its package says of it.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
    /// What could not be read (some pages of a PDF), each said once.
    pub warnings: Vec<String>,
    /// Files the document carries that are articles of their own (an e-mail's PDF).
    pub attached: Vec<Attached>,
}

/// A file carried inside another (an e-mail's attachment), to be read as an article of its own.
#[derive(Debug)]
pub struct Attached {
    /// Its file name, made safe to show and unique among its document's.
    pub name: String,
    pub format: super::Format,
    pub bytes: Vec<u8>,
}

/// Text gathered paragraph by paragraph.
#[derive(Debug, Default)]
pub struct Paragraphs {
    text: String,
    current: String,
}

impl Paragraphs {
    pub fn push(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// Ends the current paragraph, its white space collapsed; adds it unless it is blank or
    /// `dropped`, and returns its text when added.
    pub fn end_paragraph(&mut self, dropped: bool) -> Option<String> {
        let mut paragraph = String::with_capacity(self.current.len());
        for word in self.current.split_whitespace() {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(word);
        }
        self.current.clear();
        if dropped || paragraph.is_empty() {
            return None;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(&paragraph);
        Some(paragraph)
    }

    pub fn into_text(mut self) -> String {
        self.end_paragraph(false);
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text
    }
}

/// The text, and the title and author of the Dublin Core `properties` (a Word document's
/// `core.xml`, an OpenDocument's `meta.xml`) where plausible; the paragraph styled as the
/// title stands in for an implausible title.
pub fn extracted(
    body: Paragraphs,
    properties: Option<&str>,
    styled_title: Option<String>,
) -> Extracted {
    let (title, author) = properties.map(dublin_core).unwrap_or_default();
    Extracted {
        text: body.into_text(),
        metadata: Metadata {
            title: title
                .filter(|title| plausible_title(title))
                .or(styled_title),
            author: author.filter(|author| plausible_author(author)),
            ..Metadata::default()
        },
        ..Extracted::default()
    }
}

/// The title and the creator (else the initial creator) of Dublin Core properties; broken XML
/// gives what was read before it broke.
fn dublin_core(xml: &str) -> (Option<String>, Option<String>) {
    let (mut title, mut creator, mut initial_creator) = (None, None, None);
    let mut reading: Option<&'static str> = None;
    // The text of the field being read, its pieces (text, entities) joined.
    let mut piece = String::new();
    let _ = xml::walk(xml, |node| match node {
        Node::Start(start) => {
            piece.clear();
            reading = match xml::local(start) {
                "title" => Some("title"),
                "creator" => Some("creator"),
                "initial-creator" => Some("initial-creator"),
                _ => None,
            }
        }
        Node::End(_) => {
            let slot = match reading.take() {
                Some("title") => &mut title,
                Some("creator") => &mut creator,
                Some("initial-creator") => &mut initial_creator,
                _ => return,
            };
            let value = piece.trim();
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.to_string());
            }
        }
        Node::Text(text) => {
            if reading.is_some() {
                piece.push_str(&text);
            }
        }
    });
    (title, creator.or(initial_creator))
}

/// Titles that name the file or the template, not the article.
pub fn plausible_title(title: &str) -> bool {
    let lower = title.trim().to_lowercase();
    const PLACEHOLDERS: &[&str] = &["untitled", "document", "title", "draft", "new document"];
    const FILE_ENDINGS: &[&str] = &[
        ".doc", ".docx", ".odt", ".rtf", ".pdf", ".txt", ".dot", ".tex", ".dvi", ".ps", ".indd",
        ".qxd",
    ];
    !lower.is_empty()
        && !lower.starts_with("microsoft word - ")
        && !PLACEHOLDERS.contains(&lower.trim_end_matches(char::is_numeric).trim())
        && !FILE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// Authors that name an account or an application, not a person.
pub fn plausible_author(author: &str) -> bool {
    let lower = author.trim().to_lowercase();
    const ACCOUNTS: &[&str] = &[
        "administrator",
        "admin",
        "user",
        "owner",
        "unknown",
        "author",
        "microsoft office user",
        "windows user",
        "libreoffice",
        "openoffice",
    ];
    lower.chars().any(char::is_alphabetic) && !ACCOUNTS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_templates_are_no_titles_nor_accounts_authors() {
        for title in [
            "Microsoft Word - draft3.doc",
            "Document1",
            "Untitled 2",
            "report.docx",
            "",
        ] {
            assert!(!plausible_title(title), "{title}");
        }
        assert!(plausible_title("Strike Ends at the Port"));
        assert!(plausible_title("Documents Show a Cover-Up"));
        for author in ["Administrator", "Microsoft Office User", "1234", ""] {
            assert!(!plausible_author(author), "{author}");
        }
        assert!(plausible_author("Ann Writer"));
    }

    #[test]
    fn paragraphs_collapse_white_space_and_skip_blank_ones() {
        let mut body = Paragraphs::default();
        body.push("  a \t b ");
        body.end_paragraph(false);
        body.end_paragraph(false);
        body.push("c");
        assert_eq!(body.into_text(), "a b\n\nc\n");
    }
}
