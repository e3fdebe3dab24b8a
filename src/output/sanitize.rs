//! Text bound for a terminal is untrusted (article text, file names, batch ids, sidecar
//! paths, error messages quoting any of them): every character a terminal would act on, or
//! that hides or reorders text on screen, is shown as a visible escape, `\u{1b}`, never written
//! raw. Printers and messages all go through [`escape`].

use std::borrow::Cow;

/// `text` with each unsafe character written as its Rust escape: `\u{1b}`, `\u{202e}`, and
/// `\n`, `\r` for line breaks. A tab is kept: it only moves the cursor right.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            push_escaped(&mut safe, c);
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

/// Writes `c` as its visible escape.
pub(super) fn push_escaped(out: &mut String, c: char) {
    out.extend(c.escape_default());
}

/// Controls (C0 but tab, DEL, C1: escape sequences and line breaks among them); the marks that
/// reorder text on screen (bidirectional marks, embeddings, overrides and isolates), which could
/// make a line say something other than it does; line and paragraph separators, a line break
/// to some terminals; and invisible characters with no part in the look of text (zero width
/// space, word joiner, invisible operators, byte order mark, deprecated format controls,
/// interlinear annotation, tags). The zero width joiner and non-joiner are kept: Persian,
/// Indic scripts and emoji sequences need them.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_marks_are_escaped() {
        let hostile = "a\x1b[2Jb\u{9b}c\x7fd\u{202e}e\u{2066}f\u{200f}g\u{61c}h\u{2028}i\u{2029}\
                       j\u{200b}k\u{feff}l\u{e0041}m\nn\ro";
        assert_eq!(
            escape(hostile),
            "a\\u{1b}[2Jb\\u{9b}c\\u{7f}d\\u{202e}e\\u{2066}f\\u{200f}g\\u{61c}h\\u{2028}i\
             \\u{2029}j\\u{200b}k\\u{feff}l\\u{e0041}m\\nn\\ro"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        for text in [
            "plain",
            "tab\tkept",
            "café — “quoted” \\ backslash",
            "می\u{200c}خواهم",
            "👩\u{200d}💻",
            "עברית العربية",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = escape("\x1b]0;title\x07 \u{202e}");
        assert_eq!(escape(&once), once);
    }
}
