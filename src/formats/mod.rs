//! The formats quarry reads, each turned into the same structure: lines of text that know the
//! line of the file they come from, and the metadata the format itself carries. What an
//! article is (its title, byline, date, furniture, repeats) is for [`crate::article`] to say,
//! alike for every format.
//!
//! Reading is two steps: [`open`] turns a file's bytes into text (decoding it) and the
//! format's own metadata kept beside the text, and [`read`] turns that text into lines,
//! borrowing it (a file may be large, and most lines are kept as they are).

pub mod decode;
mod docx;
mod email;
mod epub;
mod html;
mod markdown;
pub mod mbox;
mod odt;
mod office;
mod package;
mod pdf;
mod xml;

use std::borrow::Cow;
use std::path::Path;

use crate::article::metadata::Metadata;
use crate::paragraph::Line;

pub use decode::DecodeError;
pub use office::Attached;

/// The kinds of file quarry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    /// Word (Office Open XML).
    Docx,
    /// OpenDocument text.
    Odt,
    Epub,
    /// An e-mail message.
    Eml,
    /// A mailbox: many e-mail messages in one file, each an article.
    Mbox,
    Pdf,
}

impl Format {
    /// The extensions of the files quarry reads, as said to users.
    pub const EXTENSIONS: [&str; 11] = [
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".docx",
        ".odt",
        ".epub",
        ".eml",
        ".mbox",
        ".pdf",
    ];

    /// The format of a file, by its extension (any case); `None` for files quarry doesn't read.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "epub" => Some(Format::Epub),
            "eml" => Some(Format::Eml),
            "mbox" | "mbx" => Some(Format::Mbox),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The format of a file without an extension, by what it starts with: a mailbox as mail
    /// programs keep them (Thunderbird's `Inbox`, `Sent`). Only for regular files: reading a
    /// pipe could wait for ever.
    pub fn sniffed(path: &Path) -> Option<Format> {
        use std::io::Read;
        if path.extension().is_some() {
            return None;
        }
        let mut head = Vec::with_capacity(512);
        std::fs::File::open(path)
            .ok()?
            .take(512)
            .read_to_end(&mut head)
            .ok()?;
        mbox::looks_like_mailbox(&head).then_some(Format::Mbox)
    }

    /// The format of an e-mail attachment by its media type, when its name says nothing.
    pub fn of_media_type(kind: &str, subtype: &str) -> Option<Format> {
        let kind = kind.to_ascii_lowercase();
        match (kind.as_str(), subtype.to_ascii_lowercase().as_str()) {
            ("text", "plain") => Some(Format::Text),
            ("text", "markdown") => Some(Format::Markdown),
            ("text", "html") => Some(Format::Html),
            ("application", "pdf") => Some(Format::Pdf),
            ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document") => {
                Some(Format::Docx)
            }
            ("application", "vnd.oasis.opendocument.text") => Some(Format::Odt),
            ("application", "epub+zip") => Some(Format::Epub),
            _ => None,
        }
    }

    /// The extension a file of this format is given.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Epub => "epub",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
            Format::Pdf => "pdf",
        }
    }

    /// Whether a file of this format may hold articles of its own (`ID#PART`): a mailbox's
    /// messages, an e-mail's attachments.
    pub fn holds_articles(self) -> bool {
        matches!(self, Format::Eml | Format::Mbox)
    }

    /// Whether an e-mail attachment of this format is read as an article of its own. Mail
    /// inside mail is not: a forwarded message is not the sender's article, and would nest.
    pub fn is_article_in_mail(self) -> bool {
        !self.holds_articles()
    }
}

/// Why a file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum FormatError {
    /// Binary data where text was expected.
    Binary,
    /// The file is not what its name says, is damaged, encrypted or too large once inflated.
    Unreadable(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Binary => DecodeError::Binary.fmt(f),
            FormatError::Unreadable(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for FormatError {}

impl From<DecodeError> for FormatError {
    fn from(err: DecodeError) -> FormatError {
        match err {
            DecodeError::Binary => FormatError::Binary,
        }
    }
}

/// A file's text (borrowed from its bytes when they were UTF-8 already), how that text is
/// read into lines, and what the file says of itself outside its text.
#[derive(Debug)]
pub struct Source<'a> {
    pub text: Cow<'a, str>,
    /// How the text is read into lines ([`read_text`]).
    pub format: Format,
    /// What a package's properties say (a Word document's title, an e-book's date).
    pub metadata: Metadata,
    /// What could not be read (some pages of a PDF), each said once.
    pub warnings: Vec<String>,
    /// Files inside this one that are articles of their own (an e-mail's attachments).
    pub attached: Vec<Attached>,
}

/// Reads the bytes of a file of `format` into text. Office documents and e-books come out as
/// plain text, a paragraph to a line and a blank line between paragraphs: their line numbers
/// are those of that text, which `quarry inspect` shows.
pub fn open(bytes: &[u8], format: Format) -> Result<Source<'_>, FormatError> {
    let extracted = match format {
        Format::Text | Format::Markdown | Format::Html => {
            let declared = match format {
                Format::Html => html::declared_encoding(bytes),
                _ => None,
            };
            return Ok(Source {
                text: decode::decode(bytes, declared)?,
                format,
                metadata: Metadata::default(),
                warnings: Vec::new(),
                attached: Vec::new(),
            });
        }
        Format::Docx => docx::read(bytes)?,
        Format::Odt => odt::read(bytes)?,
        Format::Epub => epub::read(bytes)?,
        Format::Eml => email::read(bytes)?,
        // Many articles, read message by message ([`mbox::Messages`]), each as an e-mail.
        Format::Mbox => {
            return Err(FormatError::Unreadable(
                "a mailbox is read a message at a time".into(),
            ));
        }
        Format::Pdf => pdf::read(bytes)?,
    };
    Ok(Source {
        text: Cow::Owned(extracted.text),
        // A PDF's text says where its pages start; the others' is plain text.
        format: match format {
            Format::Pdf => Format::Pdf,
            _ => Format::Text,
        },
        metadata: extracted.metadata,
        warnings: extracted.warnings,
        attached: extracted.attached,
    })
}

/// A file as lines of text and the metadata its format carries.
#[derive(Debug)]
pub struct Document<'a> {
    /// The body's lines, numbered as in the file.
    pub lines: Vec<Line<'a>>,
    /// What the format says of the article (front matter, a page's tags).
    pub metadata: Metadata,
    /// The format's source names the site the file was saved from, which a statement in the
    /// text of where the article first appeared outranks.
    pub source_is_site: bool,
    /// What could not be read, each said once.
    pub warnings: Vec<String>,
    /// For a paged document (a PDF), the number of the first line of each page.
    pub page_starts: Vec<u32>,
}

/// The lines and metadata of `text` in `format`.
pub fn read_text(text: &str, format: Format) -> Document<'_> {
    match format {
        Format::Text | Format::Docx | Format::Odt | Format::Epub | Format::Eml | Format::Mbox => {
            Document {
                lines: Line::numbered(text),
                metadata: Metadata::default(),
                source_is_site: false,
                warnings: Vec::new(),
                page_starts: Vec::new(),
            }
        }
        Format::Pdf => {
            let (lines, page_starts) = pdf::lines(text);
            Document {
                lines,
                metadata: Metadata::default(),
                source_is_site: false,
                warnings: Vec::new(),
                page_starts,
            }
        }
        Format::Markdown => {
            let (front_matter, lines, warnings) = markdown::read(text);
            Document {
                lines,
                metadata: front_matter,
                source_is_site: false,
                warnings,
                page_starts: Vec::new(),
            }
        }
        Format::Html => {
            let page = html::read(text);
            Document {
                lines: page.lines,
                metadata: page.metadata,
                source_is_site: true,
                warnings: Vec::new(),
                page_starts: Vec::new(),
            }
        }
    }
}
