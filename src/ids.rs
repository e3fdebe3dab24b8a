//! Article ids: what results, TREC runs and relevance judgments call an article. They are
//! unique in an index, and stable: once given, an id stays with its file for as long as the
//! file is indexed under the same root.
//!
//! An id is the file's path relative to its root, without extension (`2020/a.txt` -> `2020/a`).
//! When another article already has that id, the extension is kept (`2020/a.md` beside it);
//! then the root folder's name goes first (`news/2020/a.txt`, for a second root holding the
//! same path); then `~2`, `~3`, … are added. Which file keeps the shorter id is settled by
//! the order they were indexed in, and never changes after.
//!
//! The articles of a file that holds several add their part to its id: `inbox#3` for the third
//! message of `inbox.mbox`, `inbox#3/report.pdf` for that message's attachment.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::article;
use crate::formats::Format;
use crate::index::schema::{Fields, stored_text};
use crate::paths::{path_bytes, path_text};

/// The ids an index has given, and those given since in this run.
pub struct Ids {
    /// Sorted, to find the ids that begin `ID#`: the articles inside a file.
    taken: BTreeSet<String>,
}

impl Ids {
    /// Every id the index holds: the terms of its `article` field. A term may outlive its
    /// articles until their segment is merged, which only makes an id look taken a while
    /// longer.
    pub fn load(searcher: &Searcher, fields: &Fields) -> Result<Ids> {
        let mut taken = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(fields.article)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                taken.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(Ids { taken })
    }

    /// Gives the file at `path`, new under `root`, the first of its possible ids that no
    /// article has.
    pub fn assign(&mut self, root: &Path, path: &Path) -> String {
        let plain = article::id(root, path);
        let with_extension = match path.extension() {
            Some(extension) => format!("{plain}.{}", path_text(Path::new(extension))),
            None => plain.clone(),
        };
        let root_name = root
            .file_name()
            .filter(|_| root != path)
            .map(|name| path_text(Path::new(name)));
        let with_root = root_name.map(|name| format!("{name}/{with_extension}"));
        let holds_articles = Format::of(path).is_some_and(Format::holds_articles);
        let chosen = [Some(plain), Some(with_extension.clone()), with_root.clone()]
            .into_iter()
            .flatten()
            .find(|id| self.is_free(id, holds_articles))
            .unwrap_or_else(|| {
                let base = with_root.unwrap_or(with_extension);
                (2..)
                    .map(|n| format!("{base}~{n}"))
                    .find(|id| self.is_free(id, holds_articles))
                    .unwrap_or(base)
            });
        self.taken.insert(chosen.clone());
        chosen
    }

    /// Whether `id` can be given: no article has it, and it can't be taken for one inside a
    /// file that holds several (`ID#PART`), nor give such articles an id another has. A file
    /// that may hold articles (a mailbox) takes an id that no article's begins with `ID#`; and
    /// any file an id whose part before a `#` is no other's. (Refused more than needed when
    /// names hold `#`: they are given a longer form.)
    fn is_free(&self, id: &str, holds_articles: bool) -> bool {
        let is_prefix = |base: &str| {
            let inside = format!("{base}#");
            self.taken
                .range(inside.clone()..)
                .next()
                .is_some_and(|taken| taken.starts_with(&inside))
        };
        if self.taken.contains(id) || (holds_articles && is_prefix(id)) {
            return false;
        }
        // Of any file, mailboxes too: `msg.eml#x.txt` could be `msg.eml`'s attachment.
        !id.match_indices('#')
            .any(|(at, _)| self.taken.contains(&id[..at]) || is_prefix(&id[..at]))
    }
}

/// The id the index gave the file at `path`, if it holds the file. (The articles inside a file
/// that holds several are `ID#PART`.)
pub fn stored(searcher: &Searcher, fields: &Fields, path: &Path) -> Result<Option<String>> {
    let query = TermQuery::new(
        Term::from_field_bytes(fields.path, path_bytes(path)),
        IndexRecordOption::Basic,
    );
    let Some(address) = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    let id = stored_text(&doc, fields.article);
    // An article inside the file (a mailbox's message) adds its part to the file's id.
    Ok(match stored_text(&doc, fields.part) {
        Some(part) => id.map(|id| match id.strip_suffix(&part) {
            Some(file_id) => file_id.strip_suffix('#').unwrap_or(file_id).to_string(),
            None => id,
        }),
        None => id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Ids {
        Ids {
            taken: BTreeSet::new(),
        }
    }

    #[test]
    fn the_shortest_free_form_is_given() {
        let mut ids = empty();
        let (c1, c2) = (Path::new("/data/c1"), Path::new("/data/c2"));
        assert_eq!(ids.assign(c1, Path::new("/data/c1/2020/a.txt")), "2020/a");
        assert_eq!(ids.assign(c1, Path::new("/data/c1/2020/a.md")), "2020/a.md");
        assert_eq!(
            ids.assign(c2, Path::new("/data/c2/2020/a.txt")),
            "2020/a.txt"
        );
        assert_eq!(
            ids.assign(c2, Path::new("/data/c2/2020/a.md")),
            "c2/2020/a.md"
        );
        let other_c2 = Path::new("/elsewhere/c2");
        assert_eq!(
            ids.assign(other_c2, Path::new("/elsewhere/c2/2020/a.md")),
            "c2/2020/a.md~2"
        );
    }

    #[test]
    fn the_articles_of_a_mailbox_share_no_id_with_a_file() {
        let root = Path::new("/mail");
        // A mailbox indexed earlier: its messages' ids are known, its own is not.
        let mut ids = empty();
        ids.taken
            .extend(["inbox#1".to_string(), "inbox#2".to_string()]);
        // `inbox#3.txt` could be an attachment's: the root's name goes first.
        assert_eq!(
            ids.assign(root, Path::new("/mail/inbox#3.txt")),
            "mail/inbox#3.txt"
        );
        assert_eq!(ids.assign(root, Path::new("/mail/inbox.mbx")), "inbox.mbx");
        // In one run: whichever comes first, the other takes a longer form.
        let mut ids = empty();
        assert_eq!(ids.assign(root, Path::new("/mail/news.mbox")), "news");
        assert_eq!(
            ids.assign(root, Path::new("/mail/news#1.txt")),
            "mail/news#1.txt"
        );
        let mut ids = empty();
        assert_eq!(ids.assign(root, Path::new("/mail/news#1.txt")), "news#1");
        assert_eq!(ids.assign(root, Path::new("/mail/news.mbox")), "news.mbox");
        assert_eq!(ids.assign(root, Path::new("/mail/a#b.txt")), "a#b");
        // An e-mail whose id could be another's attachment's.
        let mut ids = empty();
        assert_eq!(ids.assign(root, Path::new("/mail/msg.eml")), "msg");
        assert_eq!(
            ids.assign(root, Path::new("/mail/msg#x.txt.eml")),
            "mail/msg#x.txt.eml"
        );
    }

    #[test]
    fn a_file_indexed_on_its_own_is_named_by_its_name() {
        let mut ids = empty();
        let file = Path::new("/data/one.html");
        assert_eq!(ids.assign(file, file), "one");
        assert_eq!(ids.assign(file, file), "one.html");
        assert_eq!(ids.assign(file, file), "one.html~2");
    }
}
