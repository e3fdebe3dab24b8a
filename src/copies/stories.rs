//! The stories of a version of the index: its groups of copies, each with its original. They are
//! found after each write and kept in a file beside the index ([`record`]), tied to the segments
//! they were found in; a query reads the file, and finds them itself only when the file is
//! missing or was written for other segments (a run killed between its commit and the file).

use std::cmp::Reverse;
use std::path::Path;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use tantivy::columnar::{BytesColumn, Column};
use tantivy::time::Date;
use tantivy::{DateTime, DocAddress, TantivyDocument};

use super::signature::{About, COPY_MIN_CONTAINMENT, Signature, groups};
use crate::index::schema::{DATE, Fields, PATH, SIGNATURE, stored_text};
use crate::index::store::{self, STORIES_FILE, Store};
use crate::list::{Listed, part_order};
use crate::paths::path_from_bytes;

/// How much longer a copy is than another, at least, to count as more complete.
const LENGTH_CLASS_RATIO: f64 = 1.1;

/// The version of the file's layout: a file of another is found again.
const FILE_FORMAT: u32 = 1;

/// One story told by several articles: a group of copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its articles, the original first, then in the order of their paths.
    pub copies: Vec<Copy>,
    /// Which copy gave each field the original does not have itself.
    pub completed: Completed,
}

/// An article of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copy {
    pub key: u64,
    /// Its first passage, which carries its metadata.
    pub address: DocAddress,
}

/// For each metadata field the original lacks, the position in [`Group::copies`] of the copy
/// that has it. (Never its source: another copy's source is the site that reposted it, and
/// a repost naming the publisher makes a copy with that source the original.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<usize>,
    /// The earliest date of a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<usize>,
}

/// The groups of copies of one version of the index.
#[derive(Debug, Default)]
pub struct Stories {
    /// Largest first.
    groups: Vec<Group>,
    /// The group of each article that has copies, by article key.
    group_of: foldhash::HashMap<u64, usize>,
}

impl Stories {
    /// The stories of the version `searcher` reads, kept by the write that made it in the
    /// generation folder `folder`, or found now.
    pub fn of(searcher: &tantivy::Searcher, fields: &Fields, folder: &Path) -> Result<Stories> {
        match Stories::load(folder, searcher) {
            Some(stories) => Ok(stories),
            None => Stories::find(searcher, fields, COPY_MIN_CONTAINMENT),
        }
    }

    /// Finds the groups of articles whose texts overlap by at least `threshold`, and the
    /// original of each. Reads signatures and fast fields only, no stored document (but the part
    /// of two articles of one file in one group).
    pub fn find(searcher: &tantivy::Searcher, fields: &Fields, threshold: f64) -> Result<Stories> {
        let keys = crate::index::searcher::article_keys(searcher)?;
        let signed = signatures(searcher, fields, &keys)?;
        let columns = Columns::of(searcher)?;
        let mut found = Vec::new();
        for group in groups(&signed, threshold) {
            let mut members: Vec<Member> = (group.into_iter())
                .map(|at| {
                    let Signed(address, signature) = &signed[at];
                    let address = *address;
                    Member {
                        copy: Copy {
                            key: key_of(&keys, address),
                            address,
                        },
                        about: signature.about,
                        shingles: signature.shingles(),
                        date: columns.date(address),
                        path: columns.path(address),
                        part: None,
                    }
                })
                .collect();
            // Articles of one file are told apart by their parts, read from their documents.
            members.sort_by(|a, b| a.path.cmp(&b.path));
            let shared: Vec<bool> = (0..members.len())
                .map(|at| {
                    let path = &members[at].path;
                    (at > 0 && members[at - 1].path == *path)
                        || members.get(at + 1).is_some_and(|next| next.path == *path)
                })
                .collect();
            for (member, shared) in members.iter_mut().zip(shared) {
                if shared {
                    let doc: TantivyDocument = searcher.doc(member.copy.address)?;
                    member.part = stored_text(&doc, fields.part);
                }
            }
            let group = choose_original(members);
            let original = (
                group.copies[0].address,
                columns.path(group.copies[0].address),
            );
            found.push((original, group));
        }
        // Largest first, then by the original's path: the same whatever the index's segments.
        found.sort_by(|((_, a_path), a), ((_, b_path), b)| {
            (b.copies.len().cmp(&a.copies.len())).then_with(|| a_path.cmp(b_path))
        });
        Ok(Stories::from_groups(
            found.into_iter().map(|(_, group)| group).collect(),
        ))
    }

    fn from_groups(groups: Vec<Group>) -> Stories {
        let group_of = groups
            .iter()
            .enumerate()
            .flat_map(|(at, group)| group.copies.iter().map(move |copy| (copy.key, at)))
            .collect();
        Stories { groups, group_of }
    }

    /// The groups, largest first.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group of the article with key `key`, when it has copies.
    pub fn group_of(&self, key: u64) -> Option<&Group> {
        self.group_of.get(&key).map(|&at| &self.groups[at])
    }

    /// How many stories the articles of `keys` tell (each key once).
    pub fn count(&self, keys: impl Iterator<Item = u64>) -> u64 {
        let stories: foldhash::HashSet<(bool, u64)> = keys
            .map(|key| match self.group_of.get(&key) {
                Some(&group) => (true, group as u64),
                None => (false, key),
            })
            .collect();
        stories.len() as u64
    }

    /// How many articles are copies of another's story: all but one of each group.
    pub fn copies(&self) -> u64 {
        self.groups
            .iter()
            .map(|group| group.copies.len() as u64 - 1)
            .sum()
    }

    /// Keeps the stories in the generation folder `folder`, for the version `searcher` reads.
    fn save(&self, folder: &Path, searcher: &tantivy::Searcher) -> Result<()> {
        let segments = segment_names(searcher);
        let saved = Saved {
            format: FILE_FORMAT,
            segments,
            groups: self
                .groups
                .iter()
                .map(|group| SavedGroup {
                    copies: (group.copies.iter())
                        .map(|copy| (copy.address.segment_ord, copy.address.doc_id, copy.key))
                        .collect(),
                    completed: group.completed,
                })
                .collect(),
        };
        store::write_beside(folder, STORIES_FILE, &serde_json::to_vec(&saved)?)
    }

    /// The stories kept for the version `searcher` reads; `None` when there are none, they
    /// are of other segments, or the file is not one quarry wrote: each article it names must
    /// be where it says, and in one group only.
    fn load(folder: &Path, searcher: &tantivy::Searcher) -> Option<Stories> {
        let bytes = std::fs::read(folder.join(STORIES_FILE)).ok()?;
        let saved: Saved = serde_json::from_slice(&bytes).ok()?;
        if saved.format != FILE_FORMAT || saved.segments != segment_names(searcher) {
            return None;
        }
        let readers = searcher.segment_readers();
        let keys = crate::index::searcher::article_keys(searcher).ok()?;
        let groups = saved
            .groups
            .into_iter()
            .map(|group| {
                let copies = (group.copies.into_iter())
                    .map(|(segment_ord, doc_id, key)| {
                        let reader = readers.get(segment_ord as usize)?;
                        let address = DocAddress::new(segment_ord, doc_id);
                        let there = doc_id < reader.max_doc()
                            && !reader.is_deleted(doc_id)
                            && key_of(&keys, address) == key;
                        there.then_some(Copy { key, address })
                    })
                    .collect::<Option<Vec<Copy>>>()?;
                let count = copies.len();
                let completed = group.completed;
                let fields = [completed.title, completed.author, completed.date];
                (count > 1 && fields.iter().flatten().all(|&at| at < count))
                    .then_some(Group { copies, completed })
            })
            .collect::<Option<Vec<Group>>>()?;
        let stories = Stories::from_groups(groups);
        let named: usize = stories.groups.iter().map(|group| group.copies.len()).sum();
        (stories.group_of.len() == named).then_some(stories)
    }
}

/// Finds the stories of the index as its last commit left it and keeps them beside it, for
/// queries. Called after each write, once its merges are done (they change the segments). A
/// failure is a warning: the index is whole, and queries find the stories themselves.
pub fn record(store: &Store) {
    let recorded = store.reader().and_then(|reader| {
        store::guard(&store.path, "read", || {
            let searcher = reader.searcher();
            let stories = Stories::find(&searcher, &store.fields, COPY_MIN_CONTAINMENT)?;
            stories.save(&store.generation_path, &searcher)
        })
    });
    if let Err(err) = recorded {
        crate::messages::warn(&format!(
            "cannot record the copies in the index at {}: {err:#}; queries will find them \
             each time, more slowly, until the next `quarry index`",
            store.path.display()
        ));
    }
}

/// The groups of copies in the index, largest first, each with its original first and its
/// articles' metadata: articles sharing at least `min_overlap` of the shorter one's text; with
/// `place`, only the groups with an article at or under it.
pub fn in_index(store: &Store, place: Option<&Path>, min_overlap: f64) -> Result<Vec<Vec<Listed>>> {
    let reader = store.reader()?;
    store::guard(&store.path, "read", || {
        let searcher = reader.searcher();
        let stories = if min_overlap == COPY_MIN_CONTAINMENT {
            Stories::of(&searcher, &store.fields, &store.generation_path)?
        } else {
            Stories::find(&searcher, &store.fields, min_overlap)?
        };
        let mut found = Vec::new();
        for group in stories.groups() {
            let articles = (group.copies.iter())
                .map(|copy| {
                    let doc: TantivyDocument = searcher.doc(copy.address)?;
                    Ok(Listed::of(&doc, &store.fields))
                })
                .collect::<Result<Vec<Listed>>>()?;
            let wanted = place.is_none_or(|place| {
                (articles.iter())
                    .any(|article| path_from_bytes(&article.path_bytes).starts_with(place))
            });
            if wanted {
                found.push(articles);
            }
        }
        Ok(found)
    })
}

/// What the choice of a group's original looks at.
struct Member {
    copy: Copy,
    about: About,
    shingles: u32,
    date: Option<Date>,
    path: Vec<u8>,
    /// Only for articles of one file in one group.
    part: Option<String>,
}

/// The group of `members` with its original first: the copy whose source is the publisher a
/// repost names as the original (its own copy before the repost's), else the earliest dated,
/// else the most complete; then the original's missing metadata taken from the others.
fn choose_original(mut members: Vec<Member>) -> Group {
    let publishers: Vec<u64> = (members.iter())
        .filter(|member| member.about.reposted && member.about.publisher != 0)
        .map(|member| member.about.publisher)
        .collect();
    let by_publisher = |member: &Member| {
        let named = member.about.publisher != 0 && publishers.contains(&member.about.publisher);
        match (named, member.about.reposted) {
            (true, false) => 0,
            (true, true) => 1,
            (false, _) => 2,
        }
    };
    members.sort_by(|a, b| {
        let rank = |m: &Member| {
            let date = m.date;
            (
                by_publisher(m),
                date.is_none(),
                date,
                Reverse(length_class(m.shingles)),
            )
        };
        rank(a).cmp(&rank(b)).then_with(|| in_path_order(a, b))
    });
    // The others in path order, for a person cleaning the folder.
    members[1..].sort_by(in_path_order);
    let original = &members[0];
    let first_with = |has: &dyn Fn(&Member) -> bool| members.iter().skip(1).position(has);
    let after_original = |found: Option<usize>| found.map(|at| at + 1);
    let completed = Completed {
        title: (!original.about.has_title)
            .then(|| after_original(first_with(&|m| m.about.has_title)))
            .flatten(),
        author: (!original.about.has_author)
            .then(|| after_original(first_with(&|m| m.about.has_author)))
            .flatten(),
        date: (original.date.is_none())
            .then(|| earliest(&members[1..]).map(|at| at + 1))
            .flatten(),
    };
    Group {
        copies: members.into_iter().map(|member| member.copy).collect(),
        completed,
    }
}

/// Shingle counts a tenth apart, or less, fall in one class or neighbouring ones: counts are
/// estimated, and copies of one length should be told apart by their paths, not by noise.
fn length_class(shingles: u32) -> i32 {
    (f64::from(shingles.max(1)).ln() / LENGTH_CLASS_RATIO.ln()).floor() as i32
}

/// The position of the earliest dated member.
fn earliest(members: &[Member]) -> Option<usize> {
    let dated = members.iter().enumerate();
    let dates = dated.filter_map(|(at, member)| member.date.map(|date| (date, at)));
    dates
        .min_by_key(|&(date, at): &(Date, usize)| (date, at))
        .map(|(_, at)| at)
}

fn in_path_order(a: &Member, b: &Member) -> std::cmp::Ordering {
    (a.path.cmp(&b.path)).then_with(|| part_order(&a.part, &b.part))
}

/// The fast fields of each segment that choosing originals reads.
struct Columns {
    dates: Vec<Column<DateTime>>,
    paths: Vec<Option<BytesColumn>>,
}

impl Columns {
    fn of(searcher: &tantivy::Searcher) -> Result<Columns> {
        let readers = searcher.segment_readers();
        Ok(Columns {
            dates: (readers.iter())
                .map(|reader| reader.fast_fields().date(DATE))
                .collect::<tantivy::Result<_>>()?,
            paths: (readers.iter())
                .map(|reader| reader.fast_fields().bytes(PATH))
                .collect::<tantivy::Result<_>>()?,
        })
    }

    fn date(&self, address: DocAddress) -> Option<Date> {
        let column = &self.dates[address.segment_ord as usize];
        column
            .first(address.doc_id)
            .map(|date| date.into_utc().date())
    }

    fn path(&self, address: DocAddress) -> Vec<u8> {
        let mut path = Vec::new();
        if let Some(column) = &self.paths[address.segment_ord as usize]
            && let Some(ord) = column.ords().first(address.doc_id)
        {
            // An ordinal the dictionary lacks would be a damaged index: an empty path sorts it first.
            let _ = column.ord_to_bytes(ord, &mut path);
        }
        path
    }
}

/// The signature of every article of the index, with the address of its first passage, in
/// the order of their article keys (`keys`, by segment): which copies a group gathers may
/// depend on the order they are compared in, and this one is the same whatever the segments.
fn signatures(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    keys: &[Column<u64>],
) -> Result<Vec<Signed>> {
    let mut found = Vec::new();
    for (segment, docs) in crate::index::catalog::first_passages(searcher, fields)? {
        let columns = searcher.segment_reader(segment).fast_fields();
        // Decoded as read: nothing but the signatures is held for every article.
        crate::index::catalog::each_value(columns, SIGNATURE, &docs, |at, bytes| {
            if let Some(signature) = Signature::decode(bytes) {
                found.push(Signed(DocAddress::new(segment, docs[at]), signature));
            }
        })?;
    }
    found.sort_unstable_by_key(|Signed(address, _)| (key_of(keys, *address), *address));
    Ok(found)
}

/// An article's signature with the address of its first passage.
struct Signed(DocAddress, Signature);

impl AsRef<Signature> for Signed {
    fn as_ref(&self) -> &Signature {
        &self.1
    }
}

fn key_of(columns: &[Column<u64>], address: DocAddress) -> u64 {
    columns[address.segment_ord as usize]
        .first(address.doc_id)
        .unwrap_or_default()
}

/// The segments a searcher reads, each with the deletes it sees: what a kept file must match.
fn segment_names(searcher: &tantivy::Searcher) -> Vec<String> {
    (searcher.segment_readers().iter())
        .map(|reader| {
            let deletes = reader
                .delete_opstamp()
                .map_or_else(|| "-".to_string(), |opstamp| opstamp.to_string());
            format!("{}.{deletes}", reader.segment_id().uuid_string())
        })
        .collect()
}

/// The stories file: groups of copies by segment ordinal, document and article key.
#[derive(Serialize, Deserialize)]
struct Saved {
    format: u32,
    segments: Vec<String>,
    groups: Vec<SavedGroup>,
}

#[derive(Serialize, Deserialize)]
struct SavedGroup {
    copies: Vec<(u32, u32, u64)>,
    completed: Completed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copies::signature::publisher;
    use tantivy::time::Month;

    fn member(path: &str, source: Option<&str>, date: Option<u8>, reposted: bool) -> Member {
        Member {
            copy: Copy {
                key: (path.bytes()).fold(0, |key: u64, byte| {
                    key.wrapping_mul(31).wrapping_add(u64::from(byte))
                }),
                address: DocAddress::new(0, path.len() as u32),
            },
            about: About {
                reposted,
                publisher: source.map_or(0, |source| {
                    (publisher(source).bytes()).fold(1, |hash: u64, byte| {
                        hash.wrapping_mul(31).wrapping_add(u64::from(byte))
                    })
                }),
                has_title: false,
                has_author: false,
                day: None,
            },
            shingles: 300,
            date: date.and_then(|day| Date::from_calendar_date(2020, Month::March, day).ok()),
            path: path.as_bytes().to_vec(),
            part: None,
        }
    }

    fn order(members: Vec<Member>) -> Vec<String> {
        let paths: foldhash::HashMap<u64, String> = (members.iter())
            .map(|m| (m.copy.key, String::from_utf8(m.path.clone()).unwrap()))
            .collect();
        let group = choose_original(members);
        group.copies.iter().map(|c| paths[&c.key].clone()).collect()
    }

    #[test]
    fn the_publisher_a_repost_names_comes_before_earlier_copies() {
        let members = vec![
            member("/a/blog.html", Some("Daily Blog"), Some(1), false),
            member("/a/repost.txt", Some("The New York Times"), Some(9), true),
            member("/a/nyt.html", Some("New York Times"), None, false),
        ];
        assert_eq!(
            order(members),
            ["/a/nyt.html", "/a/blog.html", "/a/repost.txt"]
        );
        // Without the publisher's own copy, the repost naming it.
        let members = vec![
            member("/a/blog.html", Some("Daily Blog"), Some(1), false),
            member("/a/repost.txt", Some("The New York Times"), Some(9), true),
        ];
        assert_eq!(order(members), ["/a/repost.txt", "/a/blog.html"]);
    }

    #[test]
    fn else_the_earliest_dated_then_the_longest_then_the_first_by_path() {
        let members = vec![
            member("/b", None, None, false),
            member("/c", None, Some(5), false),
            member("/d", None, Some(3), false),
        ];
        assert_eq!(order(members), ["/d", "/b", "/c"]);
        let mut longer = member("/z", None, None, false);
        longer.shingles = 400;
        let mut about_as_long = member("/y", None, None, false);
        about_as_long.shingles = 310;
        let members = vec![member("/x", None, None, false), longer, about_as_long];
        assert_eq!(order(members), ["/z", "/x", "/y"]);
        let members = vec![
            member("/q", None, None, false),
            member("/p", None, None, false),
        ];
        assert_eq!(order(members), ["/p", "/q"]);
    }

    #[test]
    fn what_the_original_lacks_comes_from_its_copies() {
        let mut nyt = member("/nyt", Some("The New York Times"), None, false);
        nyt.about.has_title = true;
        let mut blog = member("/blog", Some("Daily Blog"), Some(7), false);
        blog.about.has_author = true;
        let repost = member("/repost", Some("The New York Times"), Some(2), true);
        let group = choose_original(vec![blog, repost, nyt]);
        // The original, then the others by path: /blog, /repost.
        let expected = Completed {
            title: None,
            author: Some(1),
            date: Some(2),
        };
        assert_eq!(group.completed, expected);
        // Never a source: another copy's is the site that reposted it.
        let undated = member("/a", None, None, false);
        let blog = member("/blog", Some("Daily Blog"), None, false);
        let group = choose_original(vec![undated, blog]);
        assert_eq!(group.completed, Completed::default());
    }
}
