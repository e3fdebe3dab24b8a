//! Page furniture: the sign-up forms, share buttons, ads, promotions, contact blocks and
//! disclaimers that scraped articles carry. Decided line by line, by the shape and the words of
//! the line, so that it holds for pages quarry has never seen.

use std::sync::LazyLock;

use regex::Regex;

use super::push_lowercase;
use crate::paragraph::word_count;

/// Widget and call-to-action lines are short.
const WIDGET_MAX_WORDS: usize = 10;
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
    if words <= WIDGET_MAX_WORDS
        && LEADING_WORDS
            .iter()
            // The first byte first: most lines are compared with every phrase.
            .filter(|lead| lead.as_bytes().first() == plain.as_bytes().first())
            .any(|lead| starts_with_words(&plain, lead))
    {
        return true;
    }
    if DISCLAIMERS.iter().any(|lead| plain.starts_with(lead)) {
        return true;
    }
    is_contact_block(line, words) || is_promotion(line, words)
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
    words <= CONTACT_MAX_WORDS
        && line
            .split_whitespace()
            .any(|token| token.contains(['@', '.']))
        && line
            .split_whitespace()
            .all(|token| CONTACT_TOKEN.is_match(token))
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
