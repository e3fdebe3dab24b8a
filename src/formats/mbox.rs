//! Mailboxes (`mbox`): a file of e-mail messages, each after a `From ` line. Read as a stream,
//! a message at a time, so that a mailbox of any size takes the memory of its largest
//! message, and no more than a cap whatever the file holds.
//!
//! (mail-parser's own mbox reader keeps a whole message and a whole line in memory however
//! long they are, and splits at any line starting `From `, also inside an unescaped message.)

use std::io::{self, BufRead, Read};

/// The longest piece of a line read at once: a longer line is read in pieces.
const PIECE_BYTES: u64 = 64 << 10;

/// One message of a mailbox.
#[derive(Debug, PartialEq, Eq)]
pub struct Mailed {
    /// Its position in the mailbox, from 1.
    pub number: usize,
    /// The message (headers and body), without its `From ` line and with `>From ` lines
    /// unescaped; empty when it was larger than the cap.
    pub bytes: Vec<u8>,
    /// How large it is, in bytes.
    pub size: u64,
}

impl Mailed {
    /// Whether the message was larger than the cap, and so not kept.
    pub fn too_large(&self) -> bool {
        self.bytes.is_empty() && self.size > 0
    }
}

/// The messages of a mailbox, in order; each larger than `max_message_bytes` is given empty,
/// with its size.
pub struct Messages<R> {
    reader: R,
    max_message_bytes: u64,
    current: Option<Mailed>,
    /// How many messages have begun.
    begun: usize,
    piece: Vec<u8>,
    at_line_start: bool,
    after_blank_line: bool,
    failed: bool,
}

impl<R: BufRead> Messages<R> {
    pub fn new(reader: R, max_message_bytes: u64) -> Messages<R> {
        Messages {
            reader,
            max_message_bytes,
            current: None,
            begun: 0,
            piece: Vec::new(),
            at_line_start: true,
            after_blank_line: true,
            failed: false,
        }
    }

    /// Adds a piece of a line to the current message, or says the file is not a mailbox.
    fn keep(&mut self, line_start: bool) -> io::Result<()> {
        let Some(message) = &mut self.current else {
            if self.piece.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a mailbox: it does not start with a `From ` line",
            ));
        };
        // mboxrd escapes a `From ` line inside a message as `>From `, and `>From ` as `>>From `.
        let escaped = line_start && {
            let quotes = self.piece.iter().take_while(|&&byte| byte == b'>').count();
            quotes > 0 && self.piece[quotes..].starts_with(b"From ")
        };
        let kept = if escaped {
            &self.piece[1..]
        } else {
            &self.piece[..]
        };
        message.size += kept.len() as u64;
        if message.size <= self.max_message_bytes {
            message.bytes.extend_from_slice(kept);
        } else if !message.bytes.is_empty() {
            message.bytes = Vec::new();
        }
        Ok(())
    }
}

impl<R: BufRead> Iterator for Messages<R> {
    type Item = io::Result<Mailed>;

    fn next(&mut self) -> Option<io::Result<Mailed>> {
        if self.failed {
            return None;
        }
        loop {
            self.piece.clear();
            let read = (&mut self.reader)
                .take(PIECE_BYTES)
                .read_until(b'\n', &mut self.piece);
            match read {
                Ok(0) => return self.current.take().map(Ok),
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
            let line_start = self.at_line_start;
            self.at_line_start = self.piece.ends_with(b"\n");
            let blank = line_start && matches!(self.piece.as_slice(), b"\n" | b"\r\n");
            let begins = line_start && self.after_blank_line && is_envelope(&self.piece);
            self.after_blank_line = blank;
            if begins {
                self.begun += 1;
                let next = Mailed {
                    number: self.begun,
                    bytes: Vec::new(),
                    size: 0,
                };
                if let Some(done) = self.current.replace(next) {
                    return Some(Ok(done));
                }
                continue;
            }
            if let Err(err) = self.keep(line_start) {
                self.failed = true;
                return Some(Err(err));
            }
        }
    }
}

/// Whether a line is the `From ` line that begins a message: `From sender date`, the date with
/// a time of day (`From ann@example.org Mon Mar  4 07:30:00 2024`). A paragraph that happens to
/// begin with "From " in a mailbox that did not escape it has no such time.
fn is_envelope(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let words = rest
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let has_time = rest.windows(5).any(|five| {
        five[0].is_ascii_digit()
            && five[1].is_ascii_digit()
            && five[2] == b':'
            && five[3].is_ascii_digit()
            && five[4].is_ascii_digit()
    });
    words.count() >= 3 && has_time
}

/// Whether `bytes` begin as a mailbox does.
pub fn looks_like_mailbox(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    let first_line = start
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    is_envelope(first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(mailbox: &str, cap: u64) -> Vec<Mailed> {
        Messages::new(mailbox.as_bytes(), cap)
            .collect::<io::Result<_>>()
            .unwrap()
    }

    const MAILBOX: &str = "From ann@example.org Mon Mar  4 07:30:00 2024\n\
        From: Ann <ann@example.org>\nSubject: One\n\nFirst body.\n>From the start, it was clear.\n\
        >>From here\n\nFrom the desk of the editor: no envelope.\n\n\
        From bob@example.org Tue Mar  5 08:00:00 2024\r\nSubject: Two\r\n\r\nSecond body.\r\n";

    #[test]
    fn a_mailbox_is_cut_at_its_envelope_lines() {
        let found = messages(MAILBOX, 1 << 20);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].number, 1);
        assert_eq!(
            String::from_utf8_lossy(&found[0].bytes),
            "From: Ann <ann@example.org>\nSubject: One\n\nFirst body.\n\
             From the start, it was clear.\n>From here\n\n\
             From the desk of the editor: no envelope.\n\n"
        );
        assert_eq!(found[1].number, 2);
        assert_eq!(
            String::from_utf8_lossy(&found[1].bytes),
            "Subject: Two\r\n\r\nSecond body.\r\n"
        );
    }

    #[test]
    fn a_message_over_the_cap_is_given_empty_with_its_size() {
        let found = messages(MAILBOX, 40);
        assert!(found[0].too_large(), "{found:?}");
        assert!(found[0].size > 40);
        assert!(!found[1].too_large());
        assert_eq!(found[1].bytes.len() as u64, found[1].size);
    }

    #[test]
    fn long_lines_are_read_in_pieces_and_stay_whole() {
        let long = "x".repeat(200_000);
        let mailbox = format!(
            "From a@b.c Mon Mar  4 07:30:00 2024\nSubject: Long\n\n{long}\n\n\
             From a@b.c Mon Mar  4 07:31:00 2024\nSubject: After\n\nshort\n"
        );
        let found = messages(&mailbox, 1 << 20);
        assert_eq!(found.len(), 2);
        assert!(String::from_utf8_lossy(&found[0].bytes).contains(&long));
    }

    #[test]
    fn a_file_that_is_no_mailbox_is_said() {
        let mut read = Messages::new(&b"Subject: hi\n\nno envelope\n"[..], 1 << 20);
        assert!(read.next().unwrap().is_err());
        assert!(read.next().is_none());
        assert!(looks_like_mailbox(MAILBOX.as_bytes()));
        assert!(!looks_like_mailbox(b"From the desk of the editor\n"));
    }
}
