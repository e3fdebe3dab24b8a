//! Copies of one story: the same article reposted by another site, saved twice, or kept as HTML
//! and as PDF. Each article gets a [`Signature`] of its cleaned text when it is indexed; articles
//! whose signatures say that most of the shorter one's text is in the longer one are copies.
//! Comparing signatures, never texts, keeps this linear: a new file is compared with what is
//! indexed without reading the rest again.
//!
//! After each write the index's [`Stories`] (the groups, each with its original) are found once
//! and kept beside it; queries read them to show one hit per story.

mod signature;
mod stories;

pub use signature::{COPY_MIN_CONTAINMENT, Signature, groups};
pub use stories::{Copy, Group, Stories, in_index, record};
