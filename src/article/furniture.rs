//! Page furniture: the sign-up forms, share buttons, ads, promotions, contact blocks and
//! disclaimers that scraped articles carry. Decided line by line, by the shape and the words of
//! the line, so that it holds for pages quarry has never seen.

use std::sync::LazyLock;

use regex::Regex;

use super::push_lowercase;
use crate::paragraph::{ends_sentence, word_count};

/// Widget and call-to-action lines are short.
const WIDGET_MAX_WORDS: usize = 10;
/// A sentence glued onto a widget line has at least this many words: `The talks resume.`
const GLUED_SENTENCE_MIN_WORDS: usize = 3;
/// A line of digits with `+` or `(` and at least this many digits is a phone number.
const PHONE_MIN_DIGITS: usize = 7;
/// Promotions shout in capitals, briefly.
const PROMOTION_MAX_WORDS: usize = 12;
/// A block of contact details (`jane@example.com | +1 555 0100`) is a few tokens.
const CONTACT_MAX_WORDS: usize = 6;
/// Longer than any phrase below, so that a line cut here still tells a whole-line match and a
/// leading phrase followed by more words.
const PHRASE_PREFIX_BYTES: usize = 48;

/// Lines that are furniture when they are all there is (after trimming `*`, `:` and the like).
const WHOLE_LINES: &[&str] = &[
    "comments",
    "comment",
    "submit",
    "send",
    "email",
    "e-mail",
    "email address",
    "e-mail address",
    "name",
    "full name",
    "first name",
    "last name",
    "your name",
    "your email",
    "phone",
    "website",
    "share",
    "tweet",
    "print",
    "advertisement",
    "sponsored",
    "ad",
    "menu",
    "search",
    "home",
    "loading",
    "continue reading",
    "read more",
    "show more",
    "related",
    "tags",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "reddit",
    "pinterest",
    "telegram",
];

/// Lines that are furniture when a short line starts with these words.
const LEADING_WORDS: &[&str] = &[
    "click here",
    "subscribe",
    "sign up",
    "sign in",
    "log in",
    "login",
    "register now",
    "follow us",
    "follow @",
    "share this",
    "share on",
    "share via",
    "tweet this",
    "print this",
    "email this",
    "read more",
    "read next",
    "read also",
    "also read",
    "see also:",
    "related:",
    "related articles",
    "related posts",
    "related stories",
    "recommended for you",
    "you may also like",
    "advertisement",
    "sponsored content",
    "back to top",
    "skip to",
    "scroll to top",
    "facebook comments",
    "leave a comment",
    "leave a reply",
    "join today",
    "join now",
    "join us",
    "download the app",
    "get the app",
    "made with mailchimp",
    "powered by",
    "accept cookies",
    "we use cookies",
    "privacy policy",
    "terms of use",
    "terms of service",
    "all rights reserved",
    "* indicates required",
    "indicates required",
    "enter your email",
    "previous article",
    "next article",
    "previous post",
    "next post",
    "tags:",
    "filed under",
    "posted in",
    "categories:",
    "listen to this article",
    "sign up for",
    "get our newsletter",
    "support our journalism",
    "donate",
];

/// Words that mark a capitalised line as a promotion rather than a section heading.
const PROMOTION_WORDS: &[&str] = &[
    "COURSE",
    "COURSES",
    "ONLINE",
    "JOIN",
    "TODAY",
    "REGISTER",
    "ENROLL",
    "ENROL",
    "SUBSCRIBE",
    "OFFER",
    "FREE",
    "DISCOUNT",
    "CERTIFICATE",
    "WEBINAR",
    "SALE",
    "BUY",
    "SHOP",
    "DONATE",
    "NEWSLETTER",
    "SIGN",
];

/// Openings of disclaimers that stand under opinion pieces.
const DISCLAIMERS: &[&str] = &[
    "the views and opinions expressed",
    "the views expressed",
    "the opinions expressed",
    "views expressed in this",
    "opinions expressed in this",
    "disclaimer:",
];

/// An e-mail address, a web address or a bare domain, or a phone number's pieces.
static CONTACT_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?|[+()\d][\d()+.-]*)$",
    )
    .expect("contact pattern is valid")
});

/// True when a line is page furniture, not article text.
pub fn is_furniture(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return false;
    }
    let words = word_count(line);
    // Separators (`* * *`) and phone numbers are not prose; a bare figure may be.
    if !line.chars().any(char::is_alphabetic) {
        let digits = line.chars().filter(char::is_ascii_digit).count();
        let phone = line.contains(['+', '(']) && digits >= PHONE_MIN_DIGITS;
        return digits == 0 || phone;
    }
    let plain = normalised_start(line);
    if WHOLE_LINES.contains(&plain.as_str()) {
        return true;
    }
    if widget_lead(&plain, words).is_some() {
        return true;
    }
    if DISCLAIMERS.iter().any(|lead| plain.starts_with(lead)) {
        return true;
    }
    is_contact_block(line, words) || is_promotion(line, words)
}

/// The text of a line once its furniture is gone: all of it, none of it, or the sentence
/// glued onto a widget's words (`Back to top buttonThe talks resume on Monday.`, from a file
/// appended to without a final newline).
pub fn text_of(line: &str) -> &str {
    if !is_furniture(line) {
        return line;
    }
    let plain = normalised_start(line);
    widget_lead(&plain, word_count(line))
        .and_then(|lead| glued_sentence(line, word_count(lead)))
        .unwrap_or_default()
}

/// The phrase a short widget line (`Subscribe to …`, `Back to top`) starts with.
fn widget_lead(plain: &str, words: usize) -> Option<&'static str> {
    if words > WIDGET_MAX_WORDS {
        return None;
    }
    LEADING_WORDS
        .iter()
        // The first byte first: most lines are compared with every phrase.
        .filter(|lead| lead.as_bytes().first() == plain.as_bytes().first())
        .find(|lead| starts_with_words(plain, lead))
        .copied()
}

/// A sentence after the first `lead_words` words of `line`: from the next capital that starts
/// a word or follows a lowercase letter (`buttonThe`) to a sentence end at the end of the line,
/// with lowercase words in it. Only that first capital is tried, so that this stays linear.
fn glued_sentence(line: &str, lead_words: usize) -> Option<&str> {
    let line = line.trim_end();
    if !ends_sentence(line) {
        return None;
    }
    let mut rest = line.trim_start();
    for _ in 0..lead_words {
        rest = rest
            .trim_start()
            .trim_start_matches(|c: char| !c.is_whitespace());
    }
    let mut previous = ' ';
    let (start, _) = rest.char_indices().find(|&(_, c)| {
        let starts = c.is_uppercase() && (previous.is_lowercase() || previous.is_whitespace());
        previous = c;
        starts
    })?;
    let sentence = &rest[start..];
    let prose = sentence
        .split_whitespace()
        .skip(1)
        .any(|word| word.starts_with(char::is_lowercase));
    (word_count(sentence) >= GLUED_SENTENCE_MIN_WORDS && prose).then_some(sentence)
}

/// The start of a line as the phrase lists spell it: lowercase, single-spaced, without the
/// bullets and markup around it. Only the first [`PHRASE_PREFIX_BYTES`] or so are made: every
/// line of every article comes through here, and no phrase is longer.
fn normalised_start(line: &str) -> String {
    let mut plain = String::with_capacity(PHRASE_PREFIX_BYTES + 16);
    let trimmed = line.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | ':' | '•' | '|' | '>' | '#')
    });
    for word in trimmed.split_whitespace() {
        if plain.len() > PHRASE_PREFIX_BYTES {
            break;
        }
        if !plain.is_empty() {
            plain.push(' ');
        }
        push_lowercase(&mut plain, word);
    }
    plain
}

/// True when `text` starts with the words of `lead`, not with a longer word (`Subscribers`
/// does not start with `subscribe`).
fn starts_with_words(text: &str, lead: &str) -> bool {
    text.strip_prefix(lead).is_some_and(|rest| {
        lead.ends_with(|c: char| !c.is_alphanumeric())
            || !rest.starts_with(|c: char| c.is_alphanumeric())
    })
}

/// A line of nothing but e-mail addresses, web addresses and phone numbers.
fn is_contact_block(line: &str, words: usize) -> bool {
    // Told by hand before the pattern runs (or is even built): the line has letters (see
    // `is_furniture`), so it has an address (`@`) or a domain (a dot before letters); a phone
    // number's pieces are digits and `+().-`. `2016.` at the end of a line is neither.
    let address = |token: &str| {
        token.contains('@')
            || (token.split('.').skip(1))
                .any(|after_dot| after_dot.starts_with(char::is_alphabetic))
    };
    let phone = |token: &str| {
        token
            .chars()
            .all(|c| c.is_numeric() || matches!(c, '+' | '(' | ')' | '.' | '-'))
    };
    words <= CONTACT_MAX_WORDS
        && line.split_whitespace().any(address)
        && line
            .split_whitespace()
            .all(|token| (address(token) || phone(token)) && CONTACT_TOKEN.is_match(token))
}

/// A line in capitals that sells something: `SIX-WEEK ONLINE COURSE … JOIN TODAY!`.
fn is_promotion(line: &str, words: usize) -> bool {
    let shouting = !line.chars().any(char::is_lowercase);
    shouting
        && words <= PROMOTION_MAX_WORDS
        && line
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| PROMOTION_WORDS.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_fits_in_the_normalised_start() {
        for phrase in WHOLE_LINES.iter().chain(LEADING_WORDS).chain(DISCLAIMERS) {
            assert!(phrase.len() < PHRASE_PREFIX_BYTES, "{phrase}");
        }
        let long = "The  views expressed here are the author's own and not those of \
                    the newspaper, its owners or its advertisers, who do not endorse them.";
        assert!(is_furniture(long));
        let comment = "Comments from readers ".repeat(10);
        assert!(!is_furniture(&comment));
        assert!(normalised_start(&comment).len() < comment.len());
    }

    #[test]
    fn widgets_forms_and_buttons() {
        for line in [
            "Click Here: cheap dragons jersey",
            "Subscribe to the International Relations Updates by The Kootneeti",
            "* indicates required",
            "Full Name",
            "Email Address *",
            "Subscribe",
            "made with  mailchimp",
            "Back to top button",
            "Facebook Comments",
            "Share this article on Twitter",
            "READ MORE: Iran’s hardliners sweep the vote",
            "Sign up for our daily briefing",
            "Leave a Reply",
            "Advertisement",
            "Related Articles",
            "Tags: Iran, Sanctions, Oil",
        ] {
            assert!(is_furniture(line), "{line}");
        }
    }

    #[test]
    fn a_sentence_glued_onto_a_widget_stays() {
        let cases = [
            (
                "Back to top buttonThe minister said talks would resume.",
                "The minister said talks would resume.",
            ),
            (
                "Back to top button The talks resume on Monday.",
                "The talks resume on Monday.",
            ),
            ("Back to top button", ""),
            ("Sign up for our daily briefing.", ""),
            ("Advertisement", ""),
            (
                "Iran does not see talks as a prize.",
                "Iran does not see talks as a prize.",
            ),
        ];
        for (line, text) in cases {
            assert_eq!(text_of(line), text, "{line}");
        }
        let long = format!("Back to top {}.", "aB".repeat(100_000));
        assert_eq!(text_of(&long), "");
    }

    #[test]
    fn promotions_contacts_and_disclaimers() {
        for line in [
            "CERTIFICATE COURSE IN INTERNATIONAL RELATIONS",
            "SIX-WEEK ONLINE COURSE IN INTERNATIONAL RELATIONS BY THE KOOTNEETI",
            "JOIN TODAY!",
            " team@thekootneeti.com",
            " courses.thekootneeti.in",
            " (+91) 120 4565994",
            "https://example.org/newsletter",
            "The views and opinions expressed in this article are those of the author and do \
             not necessarily reflect the views of The Kootneeti Team",
            "* * *",
        ] {
            assert!(is_furniture(line), "{line}");
        }
    }

    #[test]
    fn article_text_and_headings_are_kept() {
        for line in [
            "A STRATEGY BACKFIRES",
            "MISREADING INTERNAL POLITICS",
            "A WAY OUT?",
            "A String of Attacks",
            "The Brink of War",
            "Subscribers to the service saw prices rise by a third over the year, the company \
             said in a statement on Tuesday.",
            "Iran does not see negotiations with the United States as a prize.",
            "Mr. Kirby added the U.S. did not want to escalate: “Nobody’s looking for a conflict \
             with Iran.”",
            "In 2019, 1,500 sanctions were imposed.",
            "1010",
            "2.27 - 2.28",
            "Comments from officials suggested otherwise.",
            "Subscribers to the local paper were asked to help.",
            "Advertisements for the drive appeared on every bus.",
            "Loginov, the mayor, thanked the volunteers.",
            "Made with care, the posters were hand-painted by pupils.",
            "U.S. officials said.",
        ] {
            assert!(!is_furniture(line), "{line}");
        }
    }
}
