//! End-to-end tests: the real `quarry` binary on `corpus/` and on small fixtures.
//! Every test passes `--index` into a temporary folder, so no user's index is touched.

mod copies;
mod escapes;
mod filters;
mod formats;
mod incremental;
mod index;
mod inspect;
mod list;
mod mail;
mod messages;
mod pages;
mod pdf;
#[path = "../shared/pdfs.rs"]
mod pdfs;
mod query;
mod relevance;
mod robustness;
mod roots;
mod safety;
mod scripting;
mod support;
mod untrusted;
mod views;
mod walk;
#[path = "../shared/zipped.rs"]
mod zipped;
