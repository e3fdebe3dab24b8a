//! Reading a query's text: words, "phrases", +required, -excluded, AND / OR / NOT, (groups),
//! `field:value`, `word*` and `word~1`, forgiving of prose.
//!
//! Whatever is not clearly an operator is text: `Q3: earnings` is two words, `10:30` and a URL
//! are the words they contain, a dash is an exclusion only glued to the word it precedes, and
//! an all-capitals query has no operators. Nothing here fails: the worst text is words.

use tantivy::query::Occur;
use tantivy::time::Date;

use crate::index::filters::{End, parse_day};

/// How a query's text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// Operators, phrases, fields, prefixes and fuzzy words.
    #[default]
    Query,
    /// Every word is a word: prose, such as a judged topic.
    Plain,
}

/// The field a part of a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Passage text and title.
    Default,
    Title,
    Author,
    Source,
    /// Passage text only.
    Text,
}

/// A part of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Text cut into words by the index's analyzer: with `phrase`, its words in that order
    /// (a quoted phrase, a URL, `10:30`); without, each word on its own.
    Words {
        target: Target,
        text: String,
        phrase: bool,
    },
    /// Words starting with `start` (`soleim*`).
    Prefix { target: Target, start: String },
    /// Words within `distance` edits of `word` (`iran~1`).
    Fuzzy {
        target: Target,
        word: String,
        distance: u8,
    },
    /// Articles dated in a period (`date:2020-01..2020-06`), both ends included.
    Dates {
        since: Option<Date>,
        until: Option<Date>,
    },
    /// Every passage (`*`).
    All,
    /// A parenthesized group.
    Group(Vec<Clause>),
    /// Parts joined by `AND`: each must match the same passage.
    Conjunction(Vec<Clause>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub occur: Occur,
    pub node: Node,
}

/// A query as read: its clauses, and what was noticed in reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub clauses: Vec<Clause>,
    /// What was read otherwise than it may have been meant.
    pub notes: Vec<String>,
    /// Why the query can't be run (a date that is no date, an impossible period).
    pub error: Option<String>,
}

/// Groups nested deeper than this are read as text: the search refuses such queries anyway.
const MAX_DEPTH: usize = 100;
/// The largest edit distance of a fuzzy word: more matches most short words.
pub const MAX_DISTANCE: u8 = 2;

/// Reads `text` as `syntax` says.
pub fn parse(text: &str, syntax: Syntax) -> Parsed {
    let mut parsed = Parsed {
        clauses: Vec::new(),
        notes: Vec::new(),
        error: None,
    };
    if syntax == Syntax::Plain {
        parsed.clauses.push(Clause {
            occur: Occur::Should,
            node: Node::Words {
                target: Target::Default,
                text: text.to_string(),
                phrase: false,
            },
        });
        return parsed;
    }
    // In an all-capitals query (a topic typed in capitals), AND, OR and NOT are words.
    let operators = text.chars().any(char::is_lowercase);
    let tokens = tokens(text, operators, &mut parsed.notes);
    let mut reader = Reader {
        tokens: &tokens,
        at: 0,
        parsed: &mut parsed,
    };
    let clauses = reader.level(0);
    parsed.clauses = clauses;
    parsed
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `+` or `-` glued to the group or phrase after it.
    Sign(Occur),
    Phrase(String),
    /// A run of text without spaces, parentheses or quotes.
    Chunk(String),
}

/// Cuts the text into tokens. A quote without its closing quote is punctuation.
fn tokens(text: &str, operators: bool, notes: &mut Vec<String>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c == '(' {
            tokens.push(Token::Open);
            rest = &rest[1..];
        } else if c == ')' {
            tokens.push(Token::Close);
            rest = &rest[1..];
        } else if c == '"' {
            match rest[1..].find('"') {
                Some(end) => {
                    tokens.push(Token::Phrase(rest[1..1 + end].to_string()));
                    rest = &rest[end + 2..];
                }
                None => {
                    notes.push("a quote without its closing quote was read as punctuation".into());
                    rest = &rest[1..];
                }
            }
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
                .unwrap_or(rest.len());
            let chunk = &rest[..end];
            rest = &rest[end..];
            let glued_to_next = rest.starts_with(['(', '"']);
            tokens.push(match chunk {
                "AND" | "&&" if operators => Token::And,
                "OR" | "||" if operators => Token::Or,
                "NOT" if operators => Token::Not,
                "+" if glued_to_next => Token::Sign(Occur::Must),
                "-" if glued_to_next => Token::Sign(Occur::MustNot),
                _ => Token::Chunk(chunk.to_string()),
            });
        }
    }
    tokens
}

struct Reader<'a> {
    tokens: &'a [Token],
    at: usize,
    parsed: &'a mut Parsed,
}

impl Reader<'_> {
    /// Reads clauses up to the end or the `)` closing this level. Clauses joined by `AND`
    /// become one conjunction; the others are alternatives (or required, or excluded).
    fn level(&mut self, depth: usize) -> Vec<Clause> {
        let mut clauses: Vec<Clause> = Vec::new();
        // Whether the last clause was joined to the one before it by AND.
        let mut joined = false;
        let mut and = false;
        let mut not = false;
        while let Some(token) = self.tokens.get(self.at) {
            self.at += 1;
            let (sign, node) = match token {
                Token::Close if depth > 0 => return clauses,
                Token::Close => {
                    self.note("a `)` without its `(` was read as punctuation");
                    continue;
                }
                Token::And => {
                    and = !clauses.is_empty();
                    continue;
                }
                Token::Or => {
                    and = false;
                    continue;
                }
                Token::Not => {
                    not = true;
                    continue;
                }
                Token::Sign(occur) => {
                    let Some(node) = self.operand(Target::Default, depth) else {
                        continue;
                    };
                    (*occur, node)
                }
                Token::Open | Token::Phrase(_) | Token::Chunk(_) => {
                    self.at -= 1;
                    match self.signed_operand(depth) {
                        Some(found) => found,
                        None => continue,
                    }
                }
            };
            let occur = if not { Occur::MustNot } else { sign };
            let clause = Clause { occur, node };
            if and && let Some(last) = clauses.pop() {
                clauses.push(conjoin(last, clause, joined));
                joined = true;
            } else {
                clauses.push(clause);
                joined = false;
            }
            and = false;
            not = false;
        }
        if depth > 0 {
            self.note("a `(` without its `)` was closed at the end of the query");
        }
        clauses
    }

    fn note(&mut self, note: &str) {
        if !self.parsed.notes.iter().any(|known| known == note) {
            self.parsed.notes.push(note.to_string());
        }
    }

    /// A chunk with its `+`/`-` sign, or a group or phrase.
    fn signed_operand(&mut self, depth: usize) -> Option<(Occur, Node)> {
        if let Some(Token::Chunk(chunk)) = self.tokens.get(self.at) {
            let (occur, rest) = sign(chunk);
            if occur != Occur::Should {
                self.at += 1;
                return self.chunk(rest, Target::Default).map(|node| (occur, node));
            }
        }
        self.operand(Target::Default, depth)
            .map(|node| (Occur::Should, node))
    }

    /// The group, phrase or chunk at the cursor, searched in `target`.
    fn operand(&mut self, target: Target, depth: usize) -> Option<Node> {
        let token = self.tokens.get(self.at)?;
        self.at += 1;
        match token {
            Token::Open if depth < MAX_DEPTH => {
                let clauses = self.level(depth + 1);
                let clauses = if target == Target::Default {
                    clauses
                } else {
                    clauses
                        .into_iter()
                        .map(|clause| retarget(clause, target))
                        .collect()
                };
                (!clauses.is_empty()).then_some(Node::Group(clauses))
            }
            Token::Phrase(text) => Some(Node::Words {
                target,
                text: text.clone(),
                phrase: true,
            }),
            Token::Chunk(chunk) => self.chunk(chunk, target),
            _ => None,
        }
    }

    /// A chunk of text: `field:value`, `word*`, `word~N`, `*`, or words.
    fn chunk(&mut self, chunk: &str, target: Target) -> Option<Node> {
        if target == Target::Default
            && let Some((name, value)) = chunk.split_once(':')
            && let Some(field) = field(name)
        {
            return match field {
                Field::Dates if value.is_empty() => match self.tokens.get(self.at) {
                    Some(Token::Chunk(value)) => {
                        self.at += 1;
                        Some(self.dates(&value.clone()))
                    }
                    _ => None,
                },
                Field::Dates => Some(self.dates(value)),
                Field::Searched(target) if value.is_empty() => self.operand(target, 0),
                Field::Searched(target) => self.chunk(value, target),
            };
        }
        if chunk == "*" {
            return Some(Node::All);
        }
        if let Some(start) = chunk.strip_suffix('*')
            && start.chars().last().is_some_and(char::is_alphanumeric)
        {
            return Some(Node::Prefix {
                target,
                start: start.to_string(),
            });
        }
        if let Some((word, distance)) = chunk.rsplit_once('~')
            && word.chars().last().is_some_and(char::is_alphanumeric)
            && (distance.is_empty() || distance.bytes().all(|b| b.is_ascii_digit()))
        {
            let asked: u32 = distance.parse().unwrap_or(1);
            let distance = u8::try_from(asked.min(u32::from(MAX_DISTANCE))).unwrap_or(1);
            if asked > u32::from(MAX_DISTANCE) {
                self.parsed.notes.push(format!(
                    "`{chunk}`: at most {MAX_DISTANCE} edits, searched `{word}~{MAX_DISTANCE}`"
                ));
            }
            return Some(Node::Fuzzy {
                target,
                word: word.to_string(),
                distance,
            });
        }
        Some(Node::Words {
            target,
            text: chunk.to_string(),
            phrase: true,
        })
    }

    /// `2020`, `2020-01..2020-06`, `..2020`, `2020-03..`: the period of a `date:` field.
    fn dates(&mut self, value: &str) -> Node {
        let (first, last) = value.split_once("..").unwrap_or((value, value));
        let day = |text: &str, end: End| -> Result<Option<Date>, String> {
            if text.is_empty() {
                Ok(None)
            } else {
                parse_day(text, end).map(Some)
            }
        };
        match (day(first, End::First), day(last, End::Last)) {
            (Ok(since), Ok(until)) => {
                if let (Some(since), Some(until)) = (since, until)
                    && since > until
                {
                    self.fail(format!(
                        "`date:{value}` ends before it starts: no article can be in it"
                    ));
                }
                Node::Dates { since, until }
            }
            (Err(err), _) | (_, Err(err)) => {
                self.fail(format!("`date:{value}`: {err}, or a period FIRST..LAST"));
                Node::Dates {
                    since: None,
                    until: None,
                }
            }
        }
    }

    fn fail(&mut self, error: String) {
        self.parsed.error.get_or_insert(error);
    }
}

/// `+word` and `-word`: the sign glued to a word, and the word. A lone dash, or one before a
/// space, is punctuation.
fn sign(chunk: &str) -> (Occur, &str) {
    let occur = match chunk.as_bytes().first() {
        Some(b'+') => Occur::Must,
        Some(b'-') => Occur::MustNot,
        _ => return (Occur::Should, chunk),
    };
    let rest = &chunk[1..];
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        (occur, rest)
    } else {
        (Occur::Should, chunk)
    }
}

enum Field {
    Searched(Target),
    Dates,
}

/// The field a `name:` prefix names, in any case; `None` when it names none (`Q3:`, `Note:`,
/// `https:` are text).
fn field(name: &str) -> Option<Field> {
    Some(match name.to_ascii_lowercase().as_str() {
        "title" => Field::Searched(Target::Title),
        "author" => Field::Searched(Target::Author),
        "source" => Field::Searched(Target::Source),
        "text" => Field::Searched(Target::Text),
        "date" => Field::Dates,
        _ => return None,
    })
}

/// Joins `clause` to `last` (already a conjunction if `joined`) with AND: each must match,
/// unless excluded.
fn conjoin(last: Clause, clause: Clause, joined: bool) -> Clause {
    let required = |clause: Clause| Clause {
        occur: match clause.occur {
            Occur::MustNot => Occur::MustNot,
            _ => Occur::Must,
        },
        node: clause.node,
    };
    let mut members = match last.node {
        Node::Conjunction(members) if joined => members,
        node => vec![required(Clause {
            occur: last.occur,
            node,
        })],
    };
    members.push(required(clause));
    Clause {
        occur: Occur::Should,
        node: Node::Conjunction(members),
    }
}

/// A clause of a group given a field (`title:(iran oil)`) searched in that field.
fn retarget(clause: Clause, target: Target) -> Clause {
    let node = match clause.node {
        Node::Words { text, phrase, .. } => Node::Words {
            target,
            text,
            phrase,
        },
        Node::Prefix { start, .. } => Node::Prefix { target, start },
        Node::Fuzzy { word, distance, .. } => Node::Fuzzy {
            target,
            word,
            distance,
        },
        Node::Group(clauses) => Node::Group(
            clauses
                .into_iter()
                .map(|clause| retarget(clause, target))
                .collect(),
        ),
        Node::Conjunction(clauses) => Node::Conjunction(
            clauses
                .into_iter()
                .map(|clause| retarget(clause, target))
                .collect(),
        ),
        node @ (Node::Dates { .. } | Node::All) => node,
    };
    Clause {
        occur: clause.occur,
        node,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::time::Month;

    fn words(target: Target, text: &str) -> Node {
        Node::Words {
            target,
            text: text.into(),
            phrase: true,
        }
    }

    fn should(node: Node) -> Clause {
        Clause {
            occur: Occur::Should,
            node,
        }
    }

    fn read(text: &str) -> Vec<Clause> {
        let parsed = parse(text, Syntax::Query);
        assert_eq!(parsed.error, None, "{text}");
        parsed.clauses
    }

    #[test]
    fn everyday_text_is_words() {
        let text = |t: &str| should(words(Target::Default, t));
        // An unknown `word:` is text; a time, a price, a URL are the words they contain.
        assert_eq!(read("Q3: earnings"), [text("Q3:"), text("earnings")]);
        assert_eq!(read("price: $18"), [text("price:"), text("$18")]);
        assert_eq!(read("Note: oil"), [text("Note:"), text("oil")]);
        assert_eq!(read("at 10:30"), [text("at"), text("10:30")]);
        assert_eq!(
            read("https://example.com/a-b?x=1"),
            [text("https://example.com/a-b?x=1")]
        );
        assert_eq!(read("me@example.org"), [text("me@example.org")]);
        // Slashes are no regular expression.
        assert_eq!(read("/slip flow/"), [text("/slip"), text("flow/")]);
        // A spaced dash is punctuation; a hyphenated word is one.
        assert_eq!(
            read("algorithms - concurrent state-of-the-art"),
            [
                text("algorithms"),
                text("-"),
                text("concurrent"),
                text("state-of-the-art")
            ]
        );
        // A quote left open is punctuation.
        assert_eq!(
            read("the \"open quote"),
            [text("the"), text("open"), text("quote")]
        );
    }

    #[test]
    fn field_names_in_any_case_and_only_known_ones() {
        assert_eq!(read("TITLE:iran"), [should(words(Target::Title, "iran"))]);
        assert_eq!(read("text:iran"), [should(words(Target::Text, "iran"))]);
        assert_eq!(
            read("Author:\"Ann Lee\""),
            [should(words(Target::Author, "Ann Lee"))]
        );
        assert_eq!(
            read("source: reuters"),
            [should(words(Target::Source, "reuters"))]
        );
        assert_eq!(
            read("title:(iran oil)"),
            [should(Node::Group(vec![
                should(words(Target::Title, "iran")),
                should(words(Target::Title, "oil"))
            ]))]
        );
        assert_eq!(
            read("headline:iran"),
            [should(words(Target::Default, "headline:iran"))]
        );
    }

    #[test]
    fn prefixes_fuzzy_words_and_everything() {
        assert_eq!(
            read("Soleim*"),
            [should(Node::Prefix {
                target: Target::Default,
                start: "Soleim".into()
            })]
        );
        assert_eq!(
            read("iran~1 irak~"),
            [
                should(Node::Fuzzy {
                    target: Target::Default,
                    word: "iran".into(),
                    distance: 1
                }),
                should(Node::Fuzzy {
                    target: Target::Default,
                    word: "irak".into(),
                    distance: 1
                })
            ]
        );
        let parsed = parse("iran~9", Syntax::Query);
        assert!(matches!(
            parsed.clauses[0].node,
            Node::Fuzzy { distance: 2, .. }
        ));
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        assert_eq!(read("*"), [should(Node::All)]);
    }

    #[test]
    fn signs_glued_to_words_groups_and_phrases() {
        let clause = |occur, node| Clause { occur, node };
        assert_eq!(
            read("+Soleimani -Trump -\"Pompeo said\" -(a b)"),
            [
                clause(Occur::Must, words(Target::Default, "Soleimani")),
                clause(Occur::MustNot, words(Target::Default, "Trump")),
                clause(Occur::MustNot, words(Target::Default, "Pompeo said")),
                clause(
                    Occur::MustNot,
                    Node::Group(vec![
                        should(words(Target::Default, "a")),
                        should(words(Target::Default, "b"))
                    ])
                ),
            ]
        );
        assert_eq!(
            read("iran NOT oil"),
            [
                should(words(Target::Default, "iran")),
                clause(Occur::MustNot, words(Target::Default, "oil"))
            ]
        );
    }

    #[test]
    fn and_binds_tighter_than_the_alternatives() {
        let must = |t: &str| Clause {
            occur: Occur::Must,
            node: words(Target::Default, t),
        };
        assert_eq!(
            read("a b AND c AND NOT d OR e"),
            [
                should(words(Target::Default, "a")),
                should(Node::Conjunction(vec![
                    must("b"),
                    must("c"),
                    Clause {
                        occur: Occur::MustNot,
                        node: words(Target::Default, "d")
                    }
                ])),
                should(words(Target::Default, "e")),
            ]
        );
    }

    #[test]
    fn an_all_capitals_query_has_no_operators() {
        assert_eq!(
            read("WHAT IS IRAN AND OIL"),
            ["WHAT", "IS", "IRAN", "AND", "OIL"]
                .map(|w| should(words(Target::Default, w)))
                .to_vec()
        );
    }

    #[test]
    fn periods_in_the_query_and_impossible_ones() {
        let day = |y, m, d| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).ok();
        assert_eq!(
            read("date:2020-01..2020-06"),
            [should(Node::Dates {
                since: day(2020, 1, 1),
                until: day(2020, 6, 30)
            })]
        );
        assert_eq!(
            read("date:..2019"),
            [should(Node::Dates {
                since: None,
                until: day(2019, 12, 31)
            })]
        );
        let bad = parse("date:2021..2020", Syntax::Query);
        assert!(bad.error.unwrap().contains("ends before it starts"));
        let bad = parse("date:last-week", Syntax::Query);
        assert!(bad.error.unwrap().contains("YYYY-MM-DD"));
    }

    #[test]
    fn plain_syntax_reads_everything_as_words() {
        assert_eq!(
            parse("+a -b title:c \"d\" e* AND", Syntax::Plain).clauses,
            [should(Node::Words {
                target: Target::Default,
                text: "+a -b title:c \"d\" e* AND".into(),
                phrase: false
            })]
        );
    }

    #[test]
    fn unbalanced_and_deep_parentheses_are_read() {
        assert_eq!(read("a)"), [should(words(Target::Default, "a"))]);
        assert_eq!(
            read("(a"),
            [should(Node::Group(vec![should(words(
                Target::Default,
                "a"
            ))]))]
        );
        let deep = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
        assert_eq!(parse(&deep, Syntax::Query).error, None);
    }
}
