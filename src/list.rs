//! The indexed articles with their metadata (`quarry list`), narrowed by the query filters:
//! to find what was indexed without a date, a source or an author, or all of one outlet's.

use anyhow::Result;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, ExistsQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::time::Date;
use tantivy::{DocAddress, TantivyDocument, Term};

use crate::article::DateOrigin;
use crate::index::filters::Filters;
use crate::index::schema::{DATE, Fields, stored_bytes, stored_day, stored_text};
use crate::index::store::{self, Store};
use crate::paths::{path_from_bytes, path_text};

/// The order of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListOrder {
    /// By path.
    #[default]
    Path,
    /// Most recent first; undated ones last.
    Newest,
    /// Oldest first; undated ones last.
    Oldest,
}

/// Which articles to list, in what order.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub filters: Filters,
    /// Only those without a date.
    pub undated: bool,
    pub order: ListOrder,
}

/// One indexed article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub article: String,
    /// The path as text, for people.
    pub path: String,
    /// The path as the file system has it.
    pub path_bytes: Vec<u8>,
    /// Which article of its file, when the file holds several.
    pub part: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    pub date_origin: Option<DateOrigin>,
}

impl Listed {
    /// The article a stored passage is of.
    pub fn of(doc: &TantivyDocument, fields: &Fields) -> Listed {
        let path_bytes = stored_bytes(doc, fields.path).unwrap_or_default();
        Listed {
            article: stored_text(doc, fields.article).unwrap_or_default(),
            path: path_text(&path_from_bytes(&path_bytes)),
            path_bytes,
            part: stored_text(doc, fields.part),
            title: stored_text(doc, fields.title),
            source: stored_text(doc, fields.source),
            author: stored_text(doc, fields.author),
            date: stored_day(doc, fields.date),
            date_origin: stored_text(doc, fields.date_origin)
                .and_then(|origin| DateOrigin::parse(&origin)),
        }
    }
}

/// The articles of the index that `selection` keeps, in its order.
pub fn articles(store: &Store, selection: &Selection) -> Result<Vec<Listed>> {
    let reader = store.reader()?;
    store::guard(&store.path, "read", || {
        let searcher = reader.searcher();
        let fields = &store.fields;
        // Each article's metadata is on every passage: its first stands for it.
        let first = TermQuery::new(
            Term::from_field_u64(fields.passage, 0),
            IndexRecordOption::Basic,
        );
        let mut query: Box<dyn Query> = Box::new(first);
        if selection.undated {
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (
                    Occur::MustNot,
                    Box::new(ExistsQuery::new(DATE.to_string(), false)),
                ),
            ]));
        }
        let query = selection.filters.apply(query, fields, &searcher)?;
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort_unstable();
        let mut listed = Vec::with_capacity(addresses.len());
        for address in addresses {
            listed.push(Listed::of(&searcher.doc(address)?, fields));
        }
        let by_path = |a: &Listed, b: &Listed| {
            (a.path_bytes.cmp(&b.path_bytes)).then_with(|| part_order(&a.part, &b.part))
        };
        // Undated articles last either way; one day's articles by path.
        match selection.order {
            ListOrder::Path => listed.sort_by(by_path),
            ListOrder::Newest => listed.sort_by(|a, b| {
                (b.date.is_some().cmp(&a.date.is_some()))
                    .then(b.date.cmp(&a.date))
                    .then_with(|| by_path(a, b))
            }),
            ListOrder::Oldest => listed.sort_by(|a, b| {
                (a.date.is_none().cmp(&b.date.is_none()))
                    .then(a.date.cmp(&b.date))
                    .then_with(|| by_path(a, b))
            }),
        }
        Ok(listed)
    })
}

/// The order of the articles of one file: the file's own first, then a mailbox's messages by
/// number, each before its attachments.
pub fn part_order(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    let key = |part: &Option<String>| {
        part.as_deref().map(|part| {
            let (message, rest) = part.split_once('/').unwrap_or((part, ""));
            (
                message.parse::<u64>().ok(),
                message.to_string(),
                rest.to_string(),
            )
        })
    };
    key(a).cmp(&key(b))
}
