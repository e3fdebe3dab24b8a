//! The index: how an article becomes tantivy documents, and everything that reads or writes
//! them. Changing what is indexed touches this folder alone.
//!
//! - [`schema`]: the fields, one constant per field name, and how each is indexed;
//! - [`writer`]: articles into passage documents, incrementally and crash-safely;
//! - [`catalog`]: what the index knows of each file, to index only what changed;
//! - [`store`]: the index folder, its generations, locks and damage checks;
//! - [`searcher`]: queries into ranked hits; [`filters`] narrow them, [`highlight`] marks them;
//! - [`stats`]: what an index holds.

pub mod catalog;
pub mod filters;
pub mod highlight;
pub mod schema;
pub mod searcher;
pub mod stats;
pub mod store;
pub mod writer;

pub use searcher::{Copies, Detail, Hit, Request, Results, Searcher, Unit};
pub use store::Store;
