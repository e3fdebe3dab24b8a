//! quarry: a command-line full-text search engine for folders of articles.
//!
//! The stages, in the order data flows through them: [`walk`] finds files, [`article`] reads
//! one into text, metadata and [`passage`]s, [`indexer`] writes them into the tantivy index
//! described by [`schema`] and kept by [`store`], [`search`] runs queries into hits, and
//! [`output`] prints them. [`cli`] and [`commands`] tie these to the command line.

pub mod article;
pub mod cli;
pub mod commands;
pub mod indexer;
pub mod output;
pub mod passage;
pub mod schema;
pub mod search;
pub mod store;
pub mod walk;
