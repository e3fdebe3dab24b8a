//! A query named for `--explain`: tantivy explains a term by its field's number, and a phrase
//! not at all; wrapped, each names its field and words (`text:pressure`, `title:"maximum
//! pressure"`). Everything else is the wrapped query's own: its scorer (so tantivy's
//! optimisations for terms still apply), counts and pruning.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, Score, SeekDangerResult, SegmentReader, Term};

/// `query`, explained under `label`.
#[derive(Debug)]
pub struct Named {
    query: Box<dyn Query>,
    label: String,
}

impl Named {
    pub fn boxed(query: Box<dyn Query>, label: String) -> Box<dyn Query> {
        Box::new(Named { query, label })
    }
}

impl Clone for Named {
    fn clone(&self) -> Named {
        Named {
            query: self.query.box_clone(),
            label: self.label.clone(),
        }
    }
}

impl Query for Named {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(NamedWeight {
            weight: self.query.weight(enable_scoring)?,
            label: self.label.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct NamedWeight {
    weight: Box<dyn Weight>,
    label: String,
}

impl Weight for NamedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.weight.scorer(reader, boost)
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        self.weight.scorer_danger(reader, target, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.weight.explain(reader, doc)?;
        let mut named = Explanation::new_with_string(self.label.clone(), inner.value());
        named.add_detail(inner);
        Ok(named)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.weight.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.weight.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.weight.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.weight.for_each_pruning(threshold, reader, callback)
    }
}
