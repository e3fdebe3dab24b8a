//! Running queries against the index and turning matches into [`Hit`]s.
//!
//! Nothing here knows about printing: the printers in [`crate::output`] take the hits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::time::Date;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocAddress, IndexReader, Order, Score, TantivyDocument, TantivyError};

use crate::article::DateOrigin;
use crate::filter::{Filters, Sort};
use crate::highlight::Highlighter;
use crate::paths::{path_from_bytes, path_text};
use crate::query::{self, Syntax};
use crate::schema::{ARTICLE_KEY, Fields, stored_bytes, stored_day, stored_text, stored_u64};
use crate::store::{self, Store};

/// Parentheses and `NOT`s a query may nest.
const MAX_NESTING: usize = 100;
/// Longest query, in bytes: longer ones are not questions, and parsing one of 48 MB took
/// 4.5 GB. One of this length takes some 20 MB and a few hundredths of a second.
pub const MAX_QUERY_BYTES: usize = 64 << 10;
/// How deep the ranking is first read when passages are collapsed by article.
const COLLAPSE_FIRST_DEPTH: usize = 64;

/// One passage that matched a query. (Printers turn it into output; the JSON has its own wire
/// types in `output`.)
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based position in the ranking (counting the skipped `--offset` hits).
    pub rank: usize,
    pub score: f32,
    pub article: String,
    /// The file's path as text, for people: bytes that are not UTF-8 written `\xNN`.
    pub path: String,
    /// The file's path as the file system has it: opens the file when `path` can't.
    pub path_bytes: Vec<u8>,
    /// First and last line of the passage in its file, 1-based.
    pub lines: [u32; 2],
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    /// Where the date came from; null when undated.
    pub date_origin: Option<DateOrigin>,
    pub passage: String,
    /// Byte ranges `[start, end)` in `passage` of the words that matched the query.
    pub highlights: Vec<[usize; 2]>,
    /// How the score was made (with `--explain`): tantivy's explanation, a tree of
    /// `{"value", "description", "details"}`.
    pub explanation: Option<serde_json::Value>,
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
    /// At most this many passages of one article in the ranking.
    pub per_article: Option<usize>,
    /// Explain each hit's score.
    pub explain: bool,
}

/// The hits for one request, and what was wrong with the query, if anything.
#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Parts of the query that could not be understood and were searched leniently.
    pub warnings: Vec<String>,
}

/// An open index, ready for queries. One `Searcher` serves any number of threads.
pub struct Searcher {
    /// The index folder, to name it in errors.
    path: PathBuf,
    reader: IndexReader,
    fields: Fields,
    /// The analyzer of indexed text, built once and cloned for each query.
    english: TextAnalyzer,
}

impl Searcher {
    /// Opens the index at `path` for searching.
    pub fn open(path: &Path) -> Result<Searcher> {
        let store = Store::open(path)?;
        let fields = store.fields.clone();
        let reader = store.reader()?;
        Ok(Searcher {
            path: path.to_path_buf(),
            reader,
            fields,
            english: crate::analyzer::english(),
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
            return Ok(Results {
                hits: Vec::new(),
                warnings,
            });
        }
        // Asking for more hits than there are passages only wastes memory.
        let passages = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = request.offset.min(passages);
        let limit = request.limit.min(passages - offset);
        if limit == 0 {
            return Ok(Results {
                hits: Vec::new(),
                warnings,
            });
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
        let wanted = offset + limit;
        let ranked = match request.per_article {
            None => self.ranked(&searcher, &query, request.sort, wanted),
            Some(per_article) => {
                self.collapsed(&searcher, &query, request.sort, wanted, per_article)
            }
        }
        .with_context(|| format!("cannot run the query {:?}", request.query))?;
        let mut highlighter = Highlighter::new(built.terms);
        let mut hits = Vec::with_capacity(limit);
        for (position, (score, address)) in ranked.into_iter().enumerate().skip(offset) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(position + 1, score, &doc, &mut highlighter);
            if request.explain {
                let explanation = query.explain(&searcher, address)?;
                hit.explanation = Some(serde_json::to_value(&explanation)?);
            }
            hits.push(hit);
        }
        Ok(Results { hits, warnings })
    }

    /// The best `count` passages, in the requested order.
    fn ranked(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        sort: Sort,
        count: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let top = TopDocs::with_limit(count);
        let order = match sort {
            Sort::Relevance => return Ok(searcher.search(query, &top.order_by_score())?),
            Sort::Newest => Order::Desc,
            Sort::Oldest => Order::Asc,
        };
        // Passages of one day are ranked by relevance among themselves.
        let by_date = (
            (SortByStaticFastValue::<DateTime>::for_field("date"), order),
            (SortBySimilarityScore, Order::Desc),
        );
        let sorted = searcher.search(query, &top.order_by(by_date))?;
        Ok(sorted
            .into_iter()
            .map(|((_, score), address)| (score, address))
            .collect())
    }

    /// The best `count` passages keeping at most `per_article` of each article. The ranking is
    /// read deeper until enough articles are found or every match has been seen, so collapsing
    /// never loses hits.
    fn collapsed(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        sort: Sort,
        count: usize,
        per_article: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let keys: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(ARTICLE_KEY))
            .collect::<tantivy::Result<_>>()?;
        let mut depth = (count * 4).max(COLLAPSE_FIRST_DEPTH);
        loop {
            let ranked = self.ranked(searcher, query, sort, depth)?;
            let exhausted = ranked.len() < depth;
            let mut seen: HashMap<u64, usize> = HashMap::new();
            let kept: Vec<(Score, DocAddress)> = ranked
                .into_iter()
                .filter(|(_, address)| {
                    let key = keys[address.segment_ord as usize].first(address.doc_id);
                    let taken = seen.entry(key.unwrap_or_default()).or_default();
                    *taken += 1;
                    *taken <= per_article
                })
                .take(count)
                .collect();
            if kept.len() >= count || exhausted {
                return Ok(kept);
            }
            depth *= 4;
        }
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
        Hit {
            rank,
            score,
            article: text(self.fields.article).unwrap_or_default(),
            path: path_text(&path_from_bytes(&path_bytes)),
            path_bytes,
            lines: [
                number(self.fields.first_line),
                number(self.fields.last_line),
            ],
            title: text(self.fields.title),
            source: text(self.fields.source),
            author: text(self.fields.author),
            date: stored_day(doc, self.fields.date),
            date_origin: text(self.fields.date_origin).and_then(|o| DateOrigin::parse(&o)),
            highlights: highlighter.ranges(&passage),
            explanation: None,
            passage,
        }
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
