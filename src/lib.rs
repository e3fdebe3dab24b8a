//! quarry: a command-line full-text search engine for folders of articles.
//!
//! The stages, in the order data flows through them: [`walk`] finds files, [`article`] reads
//! one into metadata and [`paragraph`]s, [`passage`] packs those into passages, [`index`]
//! writes them into the tantivy index (with the [`analyzer`]), keeps it, and runs queries on it
//! into hits, and [`output`] prints them. [`cli`] and [`commands`] tie these to the command
//! line.

pub mod analyzer;
pub mod article;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod copies;
pub mod eval;
pub mod formats;
pub mod ids;
pub mod index;
pub mod interrupt;
pub mod list;
pub mod memory;
pub mod messages;
pub mod output;
pub mod pager;
pub mod paragraph;
pub mod passage;
pub mod paths;
pub mod query;
pub mod roots;
pub mod snippet;
pub mod walk;
