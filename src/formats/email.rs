//! E-mail messages (`.eml`): the message's HTML part through the web page reader (a
//! newsletter), else its plain text without quoted replies and signature; the subject as the
//! title, the sender as the author, the `Date:` header as the date (when a newsletter was
//! published), the mailing list or the sender's domain as the source. Attachments that are
//! articles (a report in PDF, a Word file) come out beside the message, to be read on their own.

use std::collections::{HashMap, HashSet};

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};
use tantivy::time::{Date, Month};

use super::html;
use super::office::{Attached, Extracted, Paragraphs};
use super::{Format, FormatError};
use crate::article::metadata::{DateOrigin, Metadata};

pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|message| message.from().is_some() || message.subject().is_some())
        .ok_or_else(|| {
            FormatError::Unreadable("not an e-mail message (no sender, no subject)".into())
        })?;
    let text = match body(&message) {
        Some(Body::Html(page)) => {
            let mut paragraphs = Paragraphs::default();
            for line in html::read(page).lines {
                paragraphs.push(&line.text);
                paragraphs.end_paragraph(false);
            }
            paragraphs.into_text()
        }
        Some(Body::Text(text)) => without_replies(text),
        None => String::new(),
    };
    let date = message.date().and_then(|date| {
        Date::from_calendar_date(
            i32::from(date.year),
            Month::try_from(date.month).ok()?,
            date.day,
        )
        .ok()
    });
    let sender = message.from().and_then(|from| from.first());
    let author = sender.and_then(|sender| {
        sender
            .name()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .or(sender.address())
            .map(str::to_string)
    });
    let domain = sender
        .and_then(|sender| sender.address())
        .and_then(|address| address.rsplit_once('@'))
        .map(|(_, domain)| domain.to_string());
    Ok(Extracted {
        text,
        metadata: Metadata {
            title: message.subject().map(|subject| subject.trim().to_string()),
            author,
            source: message.header_raw("List-Id").and_then(list_name).or(domain),
            ..Metadata::default()
        }
        .with_date(date, DateOrigin::Mail),
        attached: attachments(&message),
        ..Extracted::default()
    })
}

/// Longest attachment name kept, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The message's attachments that quarry reads as articles, named by their file names made
/// safe (no folders, no control characters) and unique within the message. Attached messages
/// are not read: a forwarded message is the sender's, and its own attachments would nest.
fn attachments(message: &Message) -> Vec<Attached> {
    // The names given, and the last number tried after each: the next attachment of a name
    // is told apart without trying the numbers before (a message may carry thousands of
    // `image.pdf`, and names chosen to collide).
    let mut used: HashSet<String> = HashSet::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut attached = Vec::new();
    for part in message.attachments() {
        if part.is_message() || part.is_empty() {
            continue;
        }
        let given = part.attachment_name().map(safe_name).unwrap_or_default();
        // By the name's extension when it has one, else by the media type.
        let format = match std::path::Path::new(&given).extension() {
            Some(_) => Format::of(std::path::Path::new(&given)),
            None => part
                .content_type()
                .and_then(|media| Format::of_media_type(media.ctype(), media.subtype()?)),
        };
        let Some(format) = format.filter(|&format| format.is_article_in_mail()) else {
            continue;
        };
        let base = if given.is_empty() {
            format!("attachment.{}", format.extension())
        } else {
            given
        };
        // `report.pdf~2`, `~3`…: each base's counter only goes up, so that however the
        // names given collide, each attachment takes a step or two.
        let mut name = base.clone();
        while used.contains(&name) {
            let next = names.entry(base.clone()).or_insert(1);
            *next += 1;
            name = format!("{base}~{next}");
        }
        used.insert(name.clone());
        attached.push(Attached {
            name,
            format,
            bytes: part.contents().to_vec(),
        });
    }
    attached
}

/// An attachment's name as a file name to show: its last component, without control
/// characters, cut to [`MAX_NAME_CHARS`].
fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

enum Body<'a> {
    Html(&'a str),
    Text(&'a str),
}

/// The first HTML part of the message's body, else its first plain text part.
fn body<'a>(message: &'a Message<'a>) -> Option<Body<'a>> {
    let html = (0..message.html_body_count()).find_map(|at| {
        match &message.html_part(u32::try_from(at).ok()?)?.body {
            PartType::Html(page) => Some(Body::Html(page.as_ref())),
            _ => None,
        }
    });
    html.or_else(|| {
        (0..message.text_body_count()).find_map(|at| {
            match &message.text_part(u32::try_from(at).ok()?)?.body {
                PartType::Text(text) => Some(Body::Text(text.as_ref())),
                _ => None,
            }
        })
    })
}

/// A mailing list's name from its `List-Id` (`Weekly News <weekly.example.org>`): the phrase
/// before the id, else the id.
fn list_name(list_id: &str) -> Option<String> {
    let id = list_id.trim();
    let name = match id.split_once('<') {
        Some((phrase, _)) if !phrase.trim().is_empty() => phrase.trim().trim_matches('"'),
        Some((_, rest)) => rest.trim_end_matches('>'),
        None => id,
    };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// Plain text without what is not the message's own: quoted lines (`> …`) and the line that
/// introduces them (`On Monday, Ann wrote:`), and the signature after a `-- ` line.
fn without_replies(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line == "-- " || line == "--" {
            break;
        }
        if line.trim_start().starts_with('>') {
            if kept
                .last()
                .is_some_and(|last| last.trim_end().ends_with("wrote:"))
            {
                kept.pop();
            }
            continue;
        }
        kept.push(line);
    }
    let mut text = kept.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWSLETTER: &str = "From: Harbour Weekly <news@harbour.example.org>\r
To: reader@example.com\r
Subject: Port strike ends after ten days\r
Date: Mon, 4 Mar 2024 07:30:00 +0100\r
List-Id: Harbour Weekly <weekly.harbour.example.org>\r
MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary=\"b\"\r
\r
--b\r
Content-Type: text/plain; charset=utf-8\r
\r
Plain version.\r
--b\r
Content-Type: text/html; charset=iso-8859-1\r
Content-Transfer-Encoding: quoted-printable\r
\r
<html><body><article><h1>Port strike ends</h1><p>Dock workers voted on Monday to end a =\r
ten-day strike at the port of Rotterdam, the union said.</p><p>Caf=E9 owners on the quay =\r
cheered the news.</p></article></body></html>\r
--b--\r
";

    #[test]
    fn a_newsletter_is_read_through_its_html_part() {
        let read = read(NEWSLETTER.as_bytes()).unwrap();
        assert!(
            read.text.contains("Dock workers voted on Monday"),
            "{}",
            read.text
        );
        assert!(read.text.contains("Café owners"), "{}", read.text);
        assert!(!read.text.contains("Plain version"));
        let metadata = read.metadata;
        assert_eq!(
            metadata.title.as_deref(),
            Some("Port strike ends after ten days")
        );
        assert_eq!(metadata.author.as_deref(), Some("Harbour Weekly"));
        assert_eq!(metadata.source.as_deref(), Some("Harbour Weekly"));
        assert_eq!(
            metadata.date.map(|d| d.to_string()).as_deref(),
            Some("2024-03-04")
        );
        assert_eq!(metadata.date_origin, Some(DateOrigin::Mail));
    }

    #[test]
    fn quoted_replies_and_signatures_are_left_out() {
        let message = "From: ann@example.org\nSubject: Re: the strike\n\n\
                       The vote is on Monday.\n\nOn Sunday, Bob wrote:\n> Is there a vote?\n\
                       > When?\n\nSee you there.\n-- \nAnn, union office\n";
        let read = read(message.as_bytes()).unwrap();
        assert_eq!(read.text, "The vote is on Monday.\n\n\nSee you there.\n");
        assert_eq!(read.metadata.author.as_deref(), Some("ann@example.org"));
        assert_eq!(read.metadata.source.as_deref(), Some("example.org"));
    }

    #[test]
    fn attachments_are_named_safely_and_apart() {
        let attachment = |name: &str| {
            format!(
                "--x\nContent-Type: text/plain\nContent-Disposition: attachment; \
                 filename=\"{name}\"\n\nWords of {name}.\n"
            )
        };
        // Named `a~2` (read as text by its media type) before two more `a`s.
        let names = ["a", "a~2", "a", "a", "../../etc/b\u{7}.txt", "photo.jpg"];
        let message = format!(
            "From: ann@example.org\nSubject: Files\nContent-Type: multipart/mixed; \
             boundary=\"x\"\n\n--x\nContent-Type: text/plain\n\nBody.\n{}--x--\n",
            names.map(attachment).concat()
        );
        let read = read(message.as_bytes()).unwrap();
        let named: Vec<&str> = read
            .attached
            .iter()
            .map(|file| file.name.as_str())
            .collect();
        // The picture is no article; the rest are told apart, with no folders or controls.
        assert_eq!(named, ["a", "a~2", "a~3", "a~4", "b.txt"]);
    }

    #[test]
    fn bytes_that_are_no_message_are_said() {
        assert!(read(b"just some words\nand more").is_err());
        assert!(read(&[0xff, 0, 1, 2]).is_err());
    }
}
