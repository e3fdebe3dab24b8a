//! Running queries against the index and turning matches into [`Hit`]s.
//!
//! Nothing here knows about printing: the printers in [`crate::output`] take the hits.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{BytesColumn, Column, StrColumn};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::time::Date;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DateTime, DocAddress, DocId, DocSet, IndexReader, Order, Score, SegmentOrdinal, SegmentReader,
    TERMINATED, TantivyDocument, TantivyError, Term,
};

use crate::article::{DateOrigin, part_path};
use crate::copies::{Copy, Group, Stories};
use crate::index::filters::{Filters, Sort};
use crate::index::highlight::Highlighter;
use crate::index::schema::{
    ARTICLE, ARTICLE_KEY, DATE, Fields, PATH, stored_bytes, stored_day, stored_text, stored_u64,
};
use crate::index::store::{self, Store};
use crate::list::Listed;
use crate::passage::{LineMap, PageMap};
use crate::paths::{path_from_bytes, path_text};
use crate::query::{self, Syntax};

/// Parentheses and `NOT`s a query may nest.
const MAX_NESTING: usize = 100;
/// Longest query, in bytes: longer ones are not questions, and parsing one of 48 MB took
/// 4.5 GB. One of this length takes some 20 MB and a few hundredths of a second.
pub const MAX_QUERY_BYTES: usize = 64 << 10;
/// Copies of its story listed with a hit, at most: a story saved thousands of times would
/// otherwise make every hit of it that long.
pub const COPIES_LISTED: usize = 20;
/// How deep the ranking is first read when passages are collapsed by article.
const COLLAPSE_FIRST_DEPTH: usize = 64;

/// One passage that matched a query. (Printers turn it into output; the JSON has its own wire
/// types in `output`.) A hit of a ranking alone ([`Detail::Ranking`]) has its rank, score and
/// article, the rest left empty.
#[derive(Debug, Clone, Default)]
pub struct Hit {
    /// 1-based position in the ranking (counting the skipped `--offset` hits).
    pub rank: usize,
    pub score: f32,
    pub article: String,
    /// The file's path as text, for people: bytes that are not UTF-8 written `\xNN`.
    pub path: String,
    /// The file's path as the file system has it: opens the file when `path` can't.
    pub path_bytes: Vec<u8>,
    /// Which article of its file, when the file holds several (a mailbox's message `3`).
    pub part: Option<String>,
    /// First and last line of the passage in its file, 1-based.
    pub lines: [u32; 2],
    /// Where each line of the file after the first starts in `passage`.
    pub line_map: LineMap,
    /// The pages of a PDF the passage is on: how its lines are shown.
    pub pages: PageMap,
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    /// Where the date came from; null when undated.
    pub date_origin: Option<DateOrigin>,
    pub passage: String,
    /// Byte ranges `[start, end)` in `passage` of the words that matched the query.
    pub highlights: Vec<[usize; 2]>,
    /// How many passages of this hit's article match, when the request counted them.
    pub article_matches: Option<u64>,
    /// The other articles of its story, when it has copies, the original first: the first
    /// [`COPIES_LISTED`] of them.
    pub copies: Vec<OtherCopy>,
    /// How many other articles its story has.
    pub copies_total: usize,
    /// The metadata fields the article does not have that were taken from a copy, each with
    /// that copy's path (`path#part` for an article inside a file).
    pub completed_from: Vec<(&'static str, String)>,
    /// How the score was made (with `--explain`): tantivy's explanation, a tree of
    /// `{"value", "description", "details"}`.
    pub explanation: Option<serde_json::Value>,
}

/// Another article of a hit's story.
#[derive(Debug, Clone)]
pub struct OtherCopy {
    pub article: Listed,
    /// It is the story's original.
    pub original: bool,
}

/// Whether the copies of one story are one hit or several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Copies {
    /// One hit per story: its original's passage, the copies listed with it.
    #[default]
    Collapse,
    /// Every copy a hit of its own.
    Show,
}

/// What each hit of a request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// The passage with its highlights, the article's metadata and its copies.
    #[default]
    Hits,
    /// The rank, score and article id alone, read from fast fields: a TREC run, `quarry eval`.
    /// No stored passage is read and nothing is highlighted.
    Ranking,
}

/// A query with its filters, order and paging.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    /// How the query's text is read.
    pub syntax: Syntax,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// What `limit` and `offset` count.
    pub unit: Unit,
    /// At most this many passages of one article in the ranking.
    pub per_article: Option<usize>,
    /// Whether copies of one story are one hit.
    pub copies: Copies,
    /// Count every passage and article that matches, not only those returned.
    pub count: bool,
    /// Explain each hit's score.
    pub explain: bool,
    /// What each hit carries.
    pub detail: Detail,
}

impl Request {
    /// A request for the best 10 passages of `query`, in the query language, unfiltered.
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            syntax: Syntax::Query,
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            unit: Unit::Passages,
            per_article: None,
            copies: Copies::Collapse,
            count: false,
            explain: false,
            detail: Detail::Hits,
        }
    }
}

/// What a request's limit and offset count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// Passages: the hits themselves.
    #[default]
    Passages,
    /// Articles: every passage returned of an article counts as one (results shown grouped by
    /// article).
    Articles,
}

/// How many passages, and of how many articles, match a query in the whole index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matched {
    pub articles: u64,
    /// The articles, copies of one story counted once ([`crate::copies`]).
    pub stories: u64,
    pub passages: u64,
}

/// The hits for one request, and what was wrong with the query, if anything.
#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Parts of the query that could not be understood and were searched leniently.
    pub warnings: Vec<String>,
    /// Every match in the index, when the request asked for the count.
    pub matched: Option<Matched>,
}

impl Results {
    fn empty(warnings: Vec<String>, count: bool) -> Results {
        Results {
            hits: Vec::new(),
            warnings,
            matched: count.then_some(Matched::default()),
        }
    }
}

/// An open index, ready for queries. One `Searcher` serves any number of threads.
pub struct Searcher {
    /// The index folder, to name it in errors.
    path: PathBuf,
    /// The folder of its live generation, which keeps its [`Stories`] beside it.
    generation_path: PathBuf,
    reader: IndexReader,
    fields: Fields,
    /// The analyzer of indexed text, built once and cloned for each query.
    english: TextAnalyzer,
    /// The order of the paths of the index's version last searched ([`PathOrder`]).
    path_order: PerVersion<PathOrder>,
    /// The groups of copies of that version.
    stories: PerVersion<Stories>,
    /// The article ids of that version, once a ranking alone is asked for.
    article_ids: PerVersion<ArticleIds>,
}

/// What is made once per version of the index, for the queries that read that version.
struct PerVersion<T>(Mutex<Option<(u64, Arc<T>)>>);

impl<T> PerVersion<T> {
    fn new() -> PerVersion<T> {
        PerVersion(Mutex::new(None))
    }

    /// What `make` gives for the version `searcher` reads, made once per version.
    fn get(
        &self,
        searcher: &tantivy::Searcher,
        make: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        let generation = searcher.generation().generation_id();
        let mut cached = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((made_for, made)) = cached.as_ref()
            && *made_for == generation
        {
            return Ok(Arc::clone(made));
        }
        let made = Arc::new(make()?);
        *cached = Some((generation, Arc::clone(&made)));
        Ok(made)
    }
}

impl Searcher {
    /// Opens the index at `path` for searching.
    pub fn open(path: &Path) -> Result<Searcher> {
        let store = Store::open(path)?;
        let fields = store.fields.clone();
        let reader = store.reader()?;
        Ok(Searcher {
            path: path.to_path_buf(),
            generation_path: store.generation_path.clone(),
            reader,
            fields,
            english: crate::analyzer::english(),
            path_order: PerVersion::new(),
            stories: PerVersion::new(),
            article_ids: PerVersion::new(),
        })
    }

    /// Runs one query. A damaged index may make tantivy fail or even panic: either is an
    /// error saying so, unless the error is about the query itself.
    pub fn search(&self, request: &Request) -> Result<Results> {
        check_query(&request.query)?;
        request.filters.check().map_err(anyhow::Error::msg)?;
        let outcome = store::guard(&self.path, "search", || Ok(self.run(request)))?;
        outcome.map_err(|err| {
            if is_about_the_query(&err) {
                err
            } else {
                store::explain(err, &self.path, "search")
            }
        })
    }

    fn run(&self, request: &Request) -> Result<Results> {
        let searcher = self.reader.searcher();
        let built = query::build(
            &request.query,
            request.syntax,
            &self.fields,
            &searcher,
            self.english.clone(),
        )?;
        let mut warnings = built.notes.clone();
        if !built.searches {
            // Unless a note says why (a prefix no word starts with), it is the words.
            if warnings.is_empty() {
                warnings
                    .push("nothing to search: the query has only stop words or punctuation".into());
            }
            return Ok(Results::empty(warnings, request.count));
        }
        let mut query = request
            .filters
            .apply(built.query, &self.fields, &searcher)?;
        if let Some(articles) =
            query::article_filter(&searcher, &self.fields, &built.required, &built.excluded)?
        {
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, articles),
            ]));
        }
        let per_article_matches = if request.count {
            Some(searcher.search(&query, &MatchesPerArticle)?)
        } else {
            None
        };
        let stories = self.stories.get(&searcher, || {
            Stories::of(&searcher, &self.fields, &self.generation_path)
        })?;
        let matched = per_article_matches.as_ref().map(|counts| Matched {
            articles: counts.len() as u64,
            stories: stories.count(counts.keys().copied()),
            passages: counts.values().sum(),
        });
        // Asking for more hits than there are passages only wastes memory.
        let passages = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = request.offset.min(passages);
        let limit = request.limit.min(passages - offset);
        if limit == 0 {
            return Ok(Results {
                matched,
                ..Results::empty(warnings, false)
            });
        }
        let keys = article_keys(&searcher)?;
        let path_order = self
            .path_order
            .get(&searcher, || PathOrder::new(&searcher))?;
        let ranking = Ranking {
            searcher: &searcher,
            query: query.as_ref(),
            sort: request.sort,
            keys: &keys,
            path_order: &path_order,
            stories: (request.copies == Copies::Collapse).then_some(stories.as_ref()),
        };
        let ranked = match (request.unit, request.per_article) {
            (Unit::Passages, None) if ranking.stories.is_none() => ranking.best(offset, limit),
            (unit, per_article) => {
                ranking.collapsed(offset, limit, unit, per_article.unwrap_or(usize::MAX))
            }
        }
        .with_context(|| format!("cannot run the query {:?}", request.query))?;
        let ranked = match ranking.stories {
            Some(stories) => {
                self.with_originals(ranked, query.as_ref(), &searcher, &keys, stories)?
            }
            None => ranked,
        };
        if request.detail == Detail::Ranking {
            let ids = self
                .article_ids
                .get(&searcher, || ArticleIds::new(&searcher))?;
            return Ok(Results {
                hits: ranking_hits(&ids, ranked),
                warnings,
                matched,
            });
        }
        let mut highlighter = Highlighter::new(built.highlight);
        let mut hits = Vec::with_capacity(ranked.len());
        for (position, (score, address)) in ranked {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(position + 1, score, &doc, &mut highlighter);
            let key = keys[address.segment_ord as usize].first(address.doc_id);
            if let Some(counts) = &per_article_matches {
                hit.article_matches = key.and_then(|key| counts.get(&key).copied());
            }
            if let Some(key) = key
                && let Some(group) = stories.group_of(key)
            {
                self.add_copies(&mut hit, key, group, &searcher)?;
            }
            if request.explain {
                let explanation = query.explain(&searcher, address)?;
                hit.explanation = Some(serde_json::to_value(&explanation)?);
            }
            hits.push(hit);
        }
        Ok(Results {
            hits,
            warnings,
            matched,
        })
    }

    fn hit(
        &self,
        rank: usize,
        score: f32,
        doc: &TantivyDocument,
        highlighter: &mut Highlighter,
    ) -> Hit {
        let text = |field| stored_text(doc, field);
        let number = |field| {
            stored_u64(doc, field)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        let passage = text(self.fields.text).unwrap_or_default();
        let path_bytes = stored_bytes(doc, self.fields.path).unwrap_or_default();
        let first_line = number(self.fields.first_line);
        let line_map = stored_bytes(doc, self.fields.line_starts)
            .map(|bytes| LineMap::decode(&bytes))
            .unwrap_or_default();
        Hit {
            rank,
            score,
            article: text(self.fields.article).unwrap_or_default(),
            path: path_text(&path_from_bytes(&path_bytes)),
            path_bytes,
            part: text(self.fields.part),
            lines: [first_line, number(self.fields.last_line)],
            line_map,
            pages: stored_bytes(doc, self.fields.pages)
                .map(|bytes| PageMap::decode(&bytes))
                .unwrap_or_default(),
            title: text(self.fields.title),
            source: text(self.fields.source),
            author: text(self.fields.author),
            date: stored_day(doc, self.fields.date),
            date_origin: text(self.fields.date_origin).and_then(|o| DateOrigin::parse(&o)),
            highlights: highlighter.ranges(&passage),
            article_matches: None,
            copies: Vec::new(),
            copies_total: 0,
            completed_from: Vec::new(),
            explanation: None,
            passage,
        }
    }
}

impl Searcher {
    /// Lists the other articles of `hit`'s story `group` with it (`key` is its article's), the
    /// first [`COPIES_LISTED`], and, when it is the original, gives it the metadata it lacks
    /// from them.
    fn add_copies(
        &self,
        hit: &mut Hit,
        key: u64,
        group: &Group,
        searcher: &tantivy::Searcher,
    ) -> Result<()> {
        let read = |at: usize| -> Result<Listed> {
            let doc: TantivyDocument = searcher.doc(group.copies[at].address)?;
            Ok(Listed::of(&doc, &self.fields))
        };
        if group.copies[0].key == key {
            let completed = &group.completed;
            // Only what the article does not say itself.
            type Fill = fn(&mut Hit, Listed) -> bool;
            let fields: [(&str, Option<usize>, Fill); 3] = [
                ("title", completed.title, |hit, copy| {
                    fill(&mut hit.title, copy.title)
                }),
                ("author", completed.author, |hit, copy| {
                    fill(&mut hit.author, copy.author)
                }),
                ("date", completed.date, |hit, copy| {
                    let undated = hit.date.is_none() && copy.date.is_some();
                    if undated {
                        (hit.date, hit.date_origin) = (copy.date, copy.date_origin);
                    }
                    undated
                }),
            ];
            for (field, at, take) in fields {
                let Some(at) = at else { continue };
                let copy = read(at)?;
                let path = part_path(&path_from_bytes(&copy.path_bytes), copy.part.as_deref());
                if take(hit, copy) {
                    hit.completed_from.push((field, path_text(&path)));
                }
            }
        }
        let others = (0..group.copies.len()).filter(|&at| group.copies[at].key != key);
        hit.copies_total = others.clone().count();
        hit.copies = others
            .take(COPIES_LISTED)
            .map(|at| {
                Ok(OtherCopy {
                    article: read(at)?,
                    original: at == 0,
                })
            })
            .collect::<Result<_>>()?;
        Ok(())
    }
}

impl Searcher {
    /// Puts the original of each story whose copy ranked first in that copy's place: its own
    /// passages that match the query, best first, in the places of the copy's (as many as the
    /// copy had there: fewer when it has fewer). A story whose original does not match (the
    /// words are in a paragraph only the copy has) keeps its copy.
    fn with_originals(
        &self,
        mut ranked: Vec<(usize, (Score, DocAddress))>,
        query: &dyn Query,
        searcher: &tantivy::Searcher,
        keys: &[Column<u64>],
        stories: &Stories,
    ) -> Result<Vec<(usize, (Score, DocAddress))>> {
        // Each copy standing for its original, with its places in `ranked`.
        let mut standing: Vec<(&Copy, Vec<usize>)> = Vec::new();
        let mut of_copy: HashMap<u64, usize> = HashMap::new();
        for (at, (_, (_, address))) in ranked.iter().enumerate() {
            let Some(key) = keys[address.segment_ord as usize].first(address.doc_id) else {
                continue;
            };
            let Some(group) = stories.group_of(key) else {
                continue;
            };
            let original = &group.copies[0];
            if original.key == key {
                continue;
            }
            let slot = *of_copy.entry(key).or_insert_with(|| {
                standing.push((original, Vec::new()));
                standing.len() - 1
            });
            standing[slot].1.push(at);
        }
        if standing.is_empty() {
            return Ok(ranked);
        }
        let mut passages = self.matching_passages(
            query,
            searcher,
            keys,
            standing.iter().map(|(original, _)| original.key),
        )?;
        let mut dropped = HashSet::new();
        for (original, places) in standing {
            let Some(passages) = passages.get_mut(&original.key) else {
                continue;
            };
            passages.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (at, &place) in places.iter().enumerate() {
                match passages.get(at) {
                    Some(&passage) => ranked[place].1 = passage,
                    None => {
                        dropped.insert(place);
                    }
                }
            }
        }
        Ok(ranked
            .into_iter()
            .enumerate()
            .filter(|(at, _)| !dropped.contains(at))
            .map(|(_, hit)| hit)
            .collect())
    }

    /// The passages of the `articles` (by key) that match `query`, with the scores the query
    /// gives them, by article. Their passages are found by key and scored by seeking the
    /// query's scorer to each: no search of the whole index.
    fn matching_passages(
        &self,
        query: &dyn Query,
        searcher: &tantivy::Searcher,
        keys: &[Column<u64>],
        articles: impl Iterator<Item = u64>,
    ) -> Result<HashMap<u64, Vec<(Score, DocAddress)>>> {
        let terms: Vec<Term> = articles
            .map(|key| Term::from_field_u64(self.fields.article_key, key))
            .collect();
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut by_article: HashMap<u64, Vec<(Score, DocAddress)>> = HashMap::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(self.fields.article_key)?;
            let mut docs: Vec<DocId> = Vec::new();
            for term in &terms {
                let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                while postings.doc() != TERMINATED {
                    if !segment.is_deleted(postings.doc()) {
                        docs.push(postings.doc());
                    }
                    postings.advance();
                }
            }
            if docs.is_empty() {
                continue;
            }
            // A scorer moves forward only.
            docs.sort_unstable();
            let mut scorer = weight.scorer(segment, 1.0)?;
            for doc in docs {
                if scorer.doc() > doc {
                    continue;
                }
                if scorer.seek(doc) == doc
                    && let Some(key) = keys[ordinal].first(doc)
                {
                    let address = DocAddress::new(ordinal as SegmentOrdinal, doc);
                    by_article
                        .entry(key)
                        .or_default()
                        .push((scorer.score(), address));
                }
            }
        }
        Ok(by_article)
    }
}

/// Gives `field` the copy's `value` when it has none and the copy has one; says whether it did.
fn fill(field: &mut Option<String>, value: Option<String>) -> bool {
    let filled = field.is_none() && value.is_some();
    if filled {
        *field = value;
    }
    filled
}

/// A query's passages in the requested order.
struct Ranking<'a> {
    searcher: &'a tantivy::Searcher,
    query: &'a dyn Query,
    sort: Sort,
    /// The article key column of each segment.
    keys: &'a [Column<u64>],
    path_order: &'a PathOrder,
    /// The groups of copies, when each story is one hit.
    stories: Option<&'a Stories>,
}

impl Ranking<'_> {
    /// The best passages from the `offset`-th on, at most `limit`, each with its position
    /// in the ranking.
    fn best(&self, offset: usize, limit: usize) -> Result<Vec<(usize, (Score, DocAddress))>> {
        let ranked = self.ranked(offset.saturating_add(limit))?;
        Ok(ranked.into_iter().enumerate().skip(offset).collect())
    }

    /// The best `count` passages in order. Passages of equal rank come in the order of their
    /// paths, then of the article, not in the order of the index's segments, which depends on
    /// how the index was written: the same files give the same ranking.
    fn ranked(&self, count: usize) -> Result<Vec<(Score, DocAddress)>> {
        let top = TopDocs::with_limit(count);
        let order = match self.sort {
            Sort::Relevance => {
                let mut ranked = self.searcher.search(self.query, &top.order_by_score())?;
                for tied in ranked.chunk_by_mut(|a, b| a.0 == b.0) {
                    self.settle(tied, |(_, address)| address);
                }
                return Ok(ranked);
            }
            Sort::Newest => Order::Desc,
            Sort::Oldest => Order::Asc,
        };
        // Passages of one day are ranked by relevance among themselves.
        let by_date = (
            (SortByStaticFastValue::<DateTime>::for_field(DATE), order),
            (SortBySimilarityScore, Order::Desc),
        );
        let mut sorted = self.searcher.search(self.query, &top.order_by(by_date))?;
        for tied in sorted.chunk_by_mut(|a, b| a.0 == b.0) {
            self.settle(tied, |(_, address)| address);
        }
        Ok(sorted
            .into_iter()
            .map(|((_, score), address)| (score, address))
            .collect())
    }

    /// Orders passages of equal rank by path, then place in the article.
    fn settle<T>(&self, tied: &mut [T], address: impl Fn(&T) -> &DocAddress) {
        if tied.len() > 1 {
            tied.sort_by_key(|item| {
                let address = address(item);
                (self.path_order.rank(address), address.doc_id)
            });
        }
    }

    fn key(&self, address: &DocAddress) -> u64 {
        self.keys[address.segment_ord as usize]
            .first(address.doc_id)
            .unwrap_or_default()
    }

    /// The ranking keeping at most `per_article` passages of each article, from the
    /// `offset`-th to the `offset + limit`-th in `unit`s (passages, or articles with their
    /// passages), each with its position among the passages kept. The ranking is read deeper
    /// until enough are found or every match has been seen, so collapsing never loses hits.
    /// (An article's further passages are those within the depth read: at least four times
    /// as deep as what is shown.)
    fn collapsed(
        &self,
        offset: usize,
        limit: usize,
        unit: Unit,
        per_article: usize,
    ) -> Result<Vec<(usize, (Score, DocAddress))>> {
        let passages = usize::try_from(self.searcher.num_docs()).unwrap_or(usize::MAX);
        let wanted = offset.saturating_add(limit);
        // One passage of each article needs little more than one passage each (an article's
        // other matching passages are skipped); more of each are shown with their count.
        let first_depth = if per_article == 1 {
            wanted.saturating_add(wanted / 2)
        } else {
            wanted.saturating_mul(4)
        };
        let mut depth = first_depth.max(COLLAPSE_FIRST_DEPTH).min(passages.max(1));
        loop {
            let ranked = self.ranked(depth)?;
            let exhausted = ranked.len() < depth || depth >= passages;
            let shown = self.shown_copies(&ranked);
            // Each article seen: its number in order of first appearance, passages kept.
            let mut articles: HashMap<u64, (usize, usize)> = HashMap::new();
            // Passages kept, with the number of the unit each counts in.
            let mut kept = Vec::new();
            for (score, address) in ranked {
                let key = self.key(&address);
                if shown.get(&key).is_some_and(|&shown| !shown) {
                    continue;
                }
                let next_number = articles.len();
                let (number, taken) = articles.entry(key).or_insert((next_number, 0));
                *taken += 1;
                if *taken > per_article {
                    continue;
                }
                let unit_number = match unit {
                    Unit::Passages => kept.len(),
                    Unit::Articles => *number,
                };
                if unit_number < wanted {
                    kept.push((unit_number, (score, address)));
                } else if unit == Unit::Passages {
                    break;
                }
            }
            let units = match unit {
                Unit::Passages => kept.len(),
                Unit::Articles => articles.len(),
            };
            if units >= wanted || exhausted {
                // Positions count the passages skipped by the offset too.
                return Ok(kept
                    .into_iter()
                    .enumerate()
                    .filter(|(_, (unit_number, _))| *unit_number >= offset)
                    .map(|(position, (_, hit))| (position, hit))
                    .collect());
            }
            depth = depth.saturating_mul(4).min(passages);
        }
    }
}

impl Ranking<'_> {
    /// For each ranked article that has copies, whether it is the first of its story in the
    /// ranking: the story stands there, however deep the ranking was read (its original's
    /// passages are put in that place after: [`Searcher::with_originals`]).
    fn shown_copies(&self, ranked: &[(Score, DocAddress)]) -> HashMap<u64, bool> {
        let mut shown = HashMap::new();
        let Some(stories) = self.stories else {
            return shown;
        };
        // The stories seen, by their original.
        let mut seen = HashSet::new();
        for (_, address) in ranked {
            let key = self.key(address);
            if shown.contains_key(&key) {
                continue;
            }
            if let Some(group) = stories.group_of(key) {
                shown.insert(key, seen.insert(group.copies[0].key));
            }
        }
        shown
    }
}

/// Where each article's path stands among all the paths of a version of the index, by segment
/// and the path's ordinal in the segment: passages of equal score are ordered by path without
/// reading one. Made by merging the segments' sorted path dictionaries.
pub struct PathOrder {
    columns: Vec<Option<BytesColumn>>,
    /// By segment, by path ordinal: the path's place among all paths.
    ranks: Vec<Vec<u32>>,
}

impl PathOrder {
    fn new(searcher: &tantivy::Searcher) -> Result<PathOrder> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().bytes(PATH))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut ranks: Vec<Vec<u32>> = Vec::with_capacity(columns.len());
        let mut streams = Vec::with_capacity(columns.len());
        for column in &columns {
            let terms = column.as_ref().map_or(0, |c| c.dictionary().num_terms());
            ranks.push(vec![0; terms]);
            let mut stream = match column {
                Some(column) => Some(column.dictionary().stream()?),
                None => None,
            };
            if let Some(live) = stream.as_mut()
                && !live.advance()
            {
                stream = None;
            }
            streams.push(stream);
        }
        let mut rank: u32 = 0;
        // Segments are few: the smallest current path is found by looking at each.
        while let Some(segment) = streams
            .iter()
            .enumerate()
            .filter_map(|(segment, stream)| Some((stream.as_ref()?.key(), segment)))
            .min()
            .map(|(_, segment)| segment)
        {
            if let Some(stream) = streams[segment].as_mut() {
                if let Some(slot) = usize::try_from(stream.term_ord())
                    .ok()
                    .and_then(|ord| ranks[segment].get_mut(ord))
                {
                    *slot = rank;
                }
                rank = rank.saturating_add(1);
                if !stream.advance() {
                    streams[segment] = None;
                }
            }
        }
        Ok(PathOrder { columns, ranks })
    }

    /// The place of a passage's path.
    fn rank(&self, address: &DocAddress) -> u32 {
        let segment = address.segment_ord as usize;
        self.columns[segment]
            .as_ref()
            .and_then(|column| column.ords().first(address.doc_id))
            .and_then(|ord| usize::try_from(ord).ok())
            .and_then(|ord| self.ranks[segment].get(ord).copied())
            .unwrap_or(u32::MAX)
    }
}

/// Hits carrying their rank, score and article id alone.
fn ranking_hits(ids: &ArticleIds, ranked: Vec<(usize, (Score, DocAddress))>) -> Vec<Hit> {
    ranked
        .into_iter()
        .map(|(position, (score, address))| Hit {
            rank: position + 1,
            score,
            article: ids.of(&address).to_string(),
            ..Hit::default()
        })
        .collect()
}

/// The article id of every passage of a version of the index, by segment and the id's
/// ordinal in the segment's article column. Read whole once per version: looking one id up
/// in the column's dictionary decompresses a block of it.
struct ArticleIds {
    columns: Vec<Option<StrColumn>>,
    /// By segment: the ids, one after another, and where each ends.
    ids: Vec<(String, Vec<usize>)>,
}

impl ArticleIds {
    fn new(searcher: &tantivy::Searcher) -> Result<ArticleIds> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().str(ARTICLE))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut ids = Vec::with_capacity(columns.len());
        for column in &columns {
            let mut text = String::new();
            let mut ends = Vec::new();
            if let Some(column) = column {
                let mut terms = column.dictionary().stream()?;
                while terms.advance() {
                    text.push_str(&String::from_utf8_lossy(terms.key()));
                    ends.push(text.len());
                }
            }
            ids.push((text, ends));
        }
        Ok(ArticleIds { columns, ids })
    }

    /// The id of the article of the passage at `address` (empty if it has none).
    fn of(&self, address: &DocAddress) -> &str {
        let segment = address.segment_ord as usize;
        let (text, ends) = &self.ids[segment];
        self.columns[segment]
            .as_ref()
            .and_then(|column| column.ords().first(address.doc_id))
            .and_then(|ord| usize::try_from(ord).ok())
            .and_then(|ord| {
                let start = if ord == 0 { 0 } else { *ends.get(ord - 1)? };
                text.get(start..*ends.get(ord)?)
            })
            .unwrap_or_default()
    }
}

/// The article key column of each segment.
pub(crate) fn article_keys(searcher: &tantivy::Searcher) -> Result<Vec<Column<u64>>> {
    Ok(searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64(ARTICLE_KEY))
        .collect::<tantivy::Result<_>>()?)
}

/// Counts the matching passages of each article (by article key).
struct MatchesPerArticle;

struct SegmentMatches {
    keys: Column<u64>,
    counts: HashMap<u64, u64>,
}

impl Collector for MatchesPerArticle {
    type Fruit = HashMap<u64, u64>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            keys: segment.fast_fields().u64(ARTICLE_KEY)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut counts = HashMap::new();
        for fruit in fruits {
            for (key, count) in fruit {
                *counts.entry(key).or_default() += count;
            }
        }
        Ok(counts)
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = HashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(key) = self.keys.first(doc) {
            *self.counts.entry(key).or_default() += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// Refuses queries longer than [`MAX_QUERY_BYTES`], and those nested so deeply that parsing
/// them would exhaust the stack: more than [`MAX_NESTING`] parentheses deep, or more than that
/// many `NOT`s.
fn check_query(query: &str) -> Result<()> {
    if query.len() > MAX_QUERY_BYTES {
        anyhow::bail!(
            "the query is {} bytes long: at most {} KiB",
            query.len(),
            MAX_QUERY_BYTES >> 10
        );
    }
    let mut depth: usize = 0;
    let mut deepest = 0;
    for c in query.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    let nots = query
        .split_whitespace()
        .filter(|word| *word == "NOT")
        .count();
    if deepest > MAX_NESTING || nots > MAX_NESTING {
        anyhow::bail!(
            "the query nests too deeply: at most {MAX_NESTING} levels of parentheses and \
             {MAX_NESTING} NOTs"
        );
    }
    Ok(())
}

/// Whether tantivy refused the query (a field that does not exist or has no positions), which
/// says nothing of the index.
fn is_about_the_query(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<query::QueryError>()
            || matches!(
                cause.downcast_ref::<TantivyError>(),
                Some(
                    TantivyError::FieldNotFound(_)
                        | TantivyError::InvalidArgument(_)
                        | TantivyError::SchemaError(_)
                )
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_plain_length_is_not() {
        assert!(check_query("(iran AND (oil OR gas))").is_ok());
        assert!(check_query(&"oil ".repeat(10_000)).is_ok());
        let deep = format!("{}x{}", "(".repeat(101), ")".repeat(101));
        assert!(
            check_query(&deep)
                .unwrap_err()
                .to_string()
                .contains("nests too deeply")
        );
        assert!(check_query(&"NOT ".repeat(101)).is_err());
    }

    #[test]
    fn a_query_longer_than_the_limit_is_refused() {
        assert!(check_query(&"x".repeat(MAX_QUERY_BYTES)).is_ok());
        let err = check_query(&"x".repeat(MAX_QUERY_BYTES + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the query is 65537 bytes long: at most 64 KiB"
        );
    }
}
