//! Queries: reading what a person typed ([`syntax`]) and turning it into tantivy queries over
//! the index's fields.
//!
//! A query ranks passages. Its `+required` and `-excluded` parts (and `NOT`) are about the
//! article, as a reader means them: `+Soleimani -Trump` finds passages of articles that name
//! Soleimani and never Trump, wherever in the article each name is.

mod named;
pub mod syntax;

use std::collections::{BTreeMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, TextAnalyzer, TokenStream};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use crate::analyzer::WordTokenizer;
use crate::index::highlight::Marks;
use crate::index::schema::{Fields, PATH};
use named::Named;
use syntax::{Clause, Parsed};
pub use syntax::{Node, Syntax, Target};

/// Weight of the title field besides the passage's body (which holds the title too): a word of
/// the title counts a little more than one of the text. Measured on BEIR SciFact (see
/// BENCHMARKS.md): more weight makes titles drown passages.
const TITLE_BOOST: f32 = 0.2;
/// A `word*` stands for at most this many of the index's words, the most frequent: more
/// would make one prefix outweigh the rest of the query and take long to search.
pub const MAX_PREFIX_WORDS: usize = 64;
/// Words of the index read to expand a prefix, per segment: bounds the time of `a*`.
const MAX_PREFIX_SCAN: usize = 200_000;

/// Why a query can't be run: its text, not the index.
#[derive(Debug)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// A query ready to run.
pub struct Built {
    /// What ranks passages.
    pub query: Box<dyn Query>,
    /// Whether anything is searched at all (not only stop words or punctuation).
    pub searches: bool,
    /// Articles each of which must match (`+word`), and any of which must not (`-word`).
    pub required: Vec<Box<dyn Query>>,
    pub excluded: Vec<Box<dyn Query>>,
    /// The words and phrases searched in passage text, for highlighting.
    pub highlight: Marks,
    /// What was understood otherwise than it may have been meant.
    pub notes: Vec<String>,
}

/// Reads `text` and builds its query over `fields` of the index `searcher` reads; `english` is
/// the analyzer of the indexed text.
pub fn build(
    text: &str,
    syntax: Syntax,
    fields: &Fields,
    searcher: &Searcher,
    english: TextAnalyzer,
) -> Result<Built, QueryError> {
    let Parsed {
        clauses,
        notes,
        error,
    } = syntax::parse(text, syntax);
    if let Some(error) = error {
        return Err(QueryError(error));
    }
    let mut builder = Builder {
        fields,
        searcher,
        english,
        highlight: Marks::default(),
        notes,
    };
    let mut ranking: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut required = Vec::new();
    let mut excluded = Vec::new();
    let mut excluded_text = Vec::new();
    for clause in clauses {
        // A period is a filter wherever it stands.
        if let Node::Dates { since, until } = clause.node {
            ranking.push((Occur::Must, dates(fields, since, until)));
            continue;
        }
        match clause.occur {
            Occur::MustNot => {
                excluded_text.push(describe(&clause.node));
                excluded.extend(builder.node(&clause.node));
            }
            Occur::Must => {
                if let Some(query) = builder.node(&clause.node) {
                    required.push(query.box_clone());
                    ranking.push((Occur::Should, query));
                }
            }
            Occur::Should => match clause.node {
                // `iran AND NOT trump`: the exclusion is the article's too.
                Node::Conjunction(members) => {
                    let (out, kept): (Vec<Clause>, Vec<Clause>) = members
                        .into_iter()
                        .partition(|member| member.occur == Occur::MustNot);
                    for member in out {
                        excluded_text.push(describe(&member.node));
                        excluded.extend(builder.node(&member.node));
                    }
                    if let Some(query) = builder.node(&Node::Conjunction(kept)) {
                        ranking.push((Occur::Should, query));
                    }
                }
                node => ranking.extend(builder.node(&node).map(|q| (Occur::Should, q))),
            },
        }
    }
    let searches = ranking.iter().any(|(occur, _)| *occur == Occur::Should);
    if !searches && !excluded_text.is_empty() {
        return Err(QueryError(format!(
            "the query only says what to leave out ({}): add words to search for, or `*` for \
             every article",
            excluded_text.join(", ")
        )));
    }
    if !searches && ranking.iter().any(|(occur, _)| *occur == Occur::Must) {
        // Only a period: every passage in it.
        ranking.push((Occur::Should, Box::new(AllQuery)));
    }
    let searches = ranking.iter().any(|(occur, _)| *occur == Occur::Should);
    Ok(Built {
        query: Box::new(BooleanQuery::new(ranking)),
        searches,
        required,
        excluded,
        highlight: builder.highlight,
        notes: builder.notes,
    })
}

/// How a part of the query is named in a message.
fn describe(node: &Node) -> String {
    match node {
        Node::Words { text, .. } => format!("-{text}"),
        Node::Prefix { start, .. } => format!("-{start}*"),
        Node::Fuzzy { word, distance, .. } => format!("-{word}~{distance}"),
        _ => "-(…)".to_string(),
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    english: TextAnalyzer,
    highlight: Marks,
    notes: Vec<String>,
}

impl Builder<'_> {
    /// The query of a node; `None` when it searches nothing (stop words, punctuation).
    fn node(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Words {
                target,
                text,
                phrase,
            } => self.per_field(*target, |builder, field| {
                builder.words(field, *target, text, *phrase)
            }),
            Node::Prefix { target, start } => self.prefix(*target, start),
            Node::Fuzzy {
                target,
                word,
                distance,
            } => self.per_field(*target, |builder, field| {
                builder.fuzzy(field, *target, word, *distance)
            }),
            Node::Dates { since, until } => Some(dates(self.fields, *since, *until)),
            Node::All => Some(Box::new(AllQuery)),
            Node::Group(clauses) | Node::Conjunction(clauses) => {
                let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for clause in clauses {
                    if let Some(query) = self.node(&clause.node) {
                        parts.push((clause.occur, query));
                    }
                }
                let positive = parts.iter().any(|(occur, _)| *occur != Occur::MustNot);
                positive.then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
            }
        }
    }

    /// The query of `target`'s fields, each built by `make`, the title weighed less.
    fn per_field(
        &mut self,
        target: Target,
        mut make: impl FnMut(&mut Self, Field) -> Option<Box<dyn Query>>,
    ) -> Option<Box<dyn Query>> {
        let fields: &[(Field, Score)] = match target {
            Target::Default => &[(self.fields.body, 1.0), (self.fields.title, TITLE_BOOST)],
            Target::Title => &[(self.fields.title, 1.0)],
            Target::Author => &[(self.fields.author, 1.0)],
            Target::Source => &[(self.fields.source, 1.0)],
            Target::Text => &[(self.fields.body, 1.0)],
        };
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        for &(field, boost) in fields {
            if let Some(query) = make(self, field) {
                parts.push(if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                });
            }
        }
        any_of(parts)
    }

    /// Text in `field`: its words in order for a phrase, else each word.
    fn words(
        &mut self,
        field: Field,
        target: Target,
        text: &str,
        phrase: bool,
    ) -> Option<Box<dyn Query>> {
        let words = self.analyze(text);
        let marked = &mut self.highlight;
        if matches!(target, Target::Default | Target::Text) && field == self.fields.body {
            if phrase && words.len() > 1 {
                marked.phrases.push(words.clone());
            } else {
                marked
                    .words
                    .extend(words.iter().map(|(_, word)| word.clone()));
            }
        }
        let term = |word: &str| Term::from_field_text(field, word);
        let name = self.field_name(field);
        if phrase && words.len() > 1 {
            let terms = words.iter().map(|(at, word)| (*at, term(word))).collect();
            let stems: Vec<&str> = words.iter().map(|(_, word)| word.as_str()).collect();
            return Some(Named::boxed(
                Box::new(PhraseQuery::new_with_offset(terms)),
                format!("{name}:\"{}\"", stems.join(" ")),
            ));
        }
        any_of(
            words
                .iter()
                .map(|(_, word)| {
                    Named::boxed(
                        Box::new(TermQuery::new(term(word), IndexRecordOption::WithFreqs)),
                        format!("{name}:{word}"),
                    )
                })
                .collect(),
        )
    }

    /// A field as the query language names it (`text` stands for the passage with its title).
    fn field_name(&self, field: Field) -> &'static str {
        let fields = self.fields;
        match field {
            _ if field == fields.title => "title",
            _ if field == fields.author => "author",
            _ if field == fields.source => "source",
            _ => "text",
        }
    }

    /// The indexed words of `text`, with their positions.
    fn analyze(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut words = Vec::new();
        let mut stream = self.english.token_stream(text);
        while let Some(token) = stream.next() {
            words.push((token.position, token.text.clone()));
        }
        words
    }

    /// A word within `distance` edits in `field`.
    fn fuzzy(
        &mut self,
        field: Field,
        target: Target,
        word: &str,
        distance: u8,
    ) -> Option<Box<dyn Query>> {
        match self.analyze(word).as_slice() {
            [(_, one)] => {
                if matches!(target, Target::Default | Target::Text) {
                    self.highlight.words.insert(one.clone());
                }
                Some(Named::boxed(
                    Box::new(FuzzyTermQuery::new(
                        Term::from_field_text(field, one),
                        distance,
                        true,
                    )),
                    format!("{}:{one}~{distance}", self.field_name(field)),
                ))
            }
            _ => self.words(field, target, word, true),
        }
    }

    /// Words of the index starting with `start`, in `target`'s fields: the most frequent
    /// [`MAX_PREFIX_WORDS`], a passage scored by the best of them.
    fn prefix(&mut self, target: Target, start: &str) -> Option<Box<dyn Query>> {
        let folded = fold(start);
        if folded.is_empty() {
            return None;
        }
        let mut found = 0;
        let mut cut = false;
        let query = self.per_field(target, |builder, field| {
            let (words, total, scan_cut) = builder.words_starting(field, &folded);
            found = found.max(total);
            cut |= scan_cut || total > words.len();
            if matches!(target, Target::Default | Target::Text) {
                builder.highlight.words.extend(words.iter().cloned());
            }
            let name = builder.field_name(field);
            let each: Vec<Box<dyn Query>> = words
                .iter()
                .map(|word| {
                    Named::boxed(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, word),
                            IndexRecordOption::WithFreqs,
                        )),
                        format!("{name}:{word} (from {start}*)"),
                    )
                })
                .collect();
            (!each.is_empty()).then(|| Box::new(DisjunctionMaxQuery::new(each)) as Box<dyn Query>)
        });
        if cut {
            self.notes.push(format!(
                "`{start}*` stands for the {MAX_PREFIX_WORDS} most frequent of {}{found} words \
                 starting `{folded}`",
                if found >= MAX_PREFIX_SCAN {
                    "more than "
                } else {
                    ""
                }
            ));
        } else if query.is_none() {
            self.notes.push(format!(
                "no indexed word starts `{folded}` (from `{start}*`)"
            ));
        }
        query
    }

    /// The most frequent words of `field` starting with `start`, how many there are (up to
    /// the scan's bound), and whether the scan stopped at its bound.
    fn words_starting(&self, field: Field, start: &str) -> (Vec<String>, usize, bool) {
        let mut frequency: BTreeMap<String, u64> = BTreeMap::new();
        let mut cut = false;
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().range().ge(start.as_bytes()).into_stream() else {
                continue;
            };
            let mut read = 0;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(start.as_bytes()) {
                    break;
                }
                read += 1;
                if read > MAX_PREFIX_SCAN {
                    cut = true;
                    break;
                }
                if let Ok(word) = std::str::from_utf8(key) {
                    *frequency.entry(word.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let total = frequency.len();
        let mut ranked: Vec<(String, u64)> = frequency.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(MAX_PREFIX_WORDS);
        (
            ranked.into_iter().map(|(word, _)| word).collect(),
            total,
            cut,
        )
    }
}

/// A query matching what any of `parts` matches, scored by their sum; `None` for no part.
fn any_of(mut parts: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            parts
                .into_iter()
                .map(|query| (Occur::Should, query))
                .collect(),
        ))),
    }
}

/// A prefix as the index spells its words' starts: lowercased and folded, not stemmed (a stem
/// may be shorter than the word typed).
fn fold(start: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut folded = String::new();
    let mut stream = analyzer.token_stream(start);
    while let Some(token) = stream.next() {
        folded.push_str(&token.text);
    }
    folded
}

/// Passages of articles dated in a period: a filter, which adds nothing to scores.
fn dates(
    fields: &Fields,
    since: Option<tantivy::time::Date>,
    until: Option<tantivy::time::Date>,
) -> Box<dyn Query> {
    let range = crate::index::filters::dated(fields, since, until);
    Box::new(ConstScoreQuery::new(Box::new(range), 0.0))
}

/// The passages of articles that match each of `required` and none of `excluded`, as a filter
/// on the article's path; `None` when there is nothing to filter.
pub fn article_filter(
    searcher: &Searcher,
    fields: &Fields,
    required: &[Box<dyn Query>],
    excluded: &[Box<dyn Query>],
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for query in required {
        let paths = searcher.search(query.as_ref(), &ArticlePaths)?;
        clauses.push((Occur::Must, paths_query(fields, paths)));
    }
    for query in excluded {
        let paths = searcher.search(query.as_ref(), &ArticlePaths)?;
        if !paths.is_empty() {
            clauses.push((Occur::MustNot, paths_query(fields, paths)));
        }
    }
    if clauses.is_empty() {
        return Ok(None);
    }
    if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        0.0,
    ))))
}

fn paths_query(fields: &Fields, paths: HashSet<Vec<u8>>) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        paths
            .iter()
            .map(|path| Term::from_field_bytes(fields.path, path)),
    ))
}

/// Collects the paths of the articles whose passages match.
struct ArticlePaths;

struct SegmentPaths {
    column: Option<tantivy::columnar::BytesColumn>,
    ords: HashSet<u64>,
}

impl Collector for ArticlePaths {
    type Fruit = HashSet<Vec<u8>>;
    type Child = SegmentPaths;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentPaths> {
        Ok(SegmentPaths {
            column: segment.fast_fields().bytes(PATH)?,
            ords: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<std::io::Result<HashSet<Vec<u8>>>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut paths = HashSet::new();
        for fruit in fruits {
            paths.extend(fruit?);
        }
        Ok(paths)
    }
}

impl SegmentCollector for SegmentPaths {
    type Fruit = std::io::Result<HashSet<Vec<u8>>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(ord) = self
            .column
            .as_ref()
            .and_then(|column| column.ords().first(doc))
        {
            self.ords.insert(ord);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let Some(column) = self.column else {
            return Ok(HashSet::new());
        };
        let mut ords: Vec<u64> = self.ords.into_iter().collect();
        ords.sort_unstable();
        let mut paths = HashSet::with_capacity(ords.len());
        column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            paths.insert(bytes.to_vec());
        })?;
        Ok(paths)
    }
}
