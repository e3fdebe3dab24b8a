//! The signature of an article's text (a MinHash of its word shingles, its figures) and the
//! groups of copies among many signatures.
//!
//! Words are compared lowercased and without punctuation, so line wrapping, typography (quotes,
//! dashes, spaces) and title case do not tell copies apart; figures are words, so stories from
//! one template (earnings, prices) that differ in their figures are not copies.

use std::sync::LazyLock;

use crate::article::Article;

/// Two articles are copies when the shorter one's text is at least this share of the
/// longer one's (estimated): chosen by measurement (BENCHMARKS.md, `bench/copies.py`).
pub const COPY_MIN_CONTAINMENT: f64 = 0.7;
/// Values in a signature: more tell similarities apart more finely, and cost a byte each (8
/// bits of each least hash: two different shingles agree on them once in 255, which adds
/// under half a percent to a similarity estimate).
pub const VALUES: usize = 128;
/// Words in a shingle.
const SHINGLE_WORDS: usize = 5;
/// Bands of the locality-sensitive hashing that finds the pairs to compare, and values in each:
/// two articles are compared when all values of one band agree. With 32 bands of 4, a pair of
/// Jaccard similarity 0.5 is compared with probability 0.87, one of 0.3 with 0.23.
const BANDS: usize = 32;
const BAND_VALUES: usize = VALUES / BANDS;
/// Bytes of a stored signature.
const ENCODED_BYTES: usize = VALUES + 4 + FIGURE_BITS / 8 + 1 + 8 + 4;
/// The stored day of an undated article.
const NO_DAY: i32 = i32::MIN;
/// Bits of the set of a text's figures.
const FIGURE_BITS: usize = 256;
/// Copies share at least this share of the figures of the one with fewer.
const COPY_MIN_FIGURES: f64 = 0.8;
/// Figures spelt out, which a report from a template changes as it changes digits (`one
/// billion dlrs`, `two billion dlrs`).
const NUMBER_WORDS: [&str; 28] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];
/// A text of fewer shingles than this is a line or two: it is a copy of another only when the
/// two are alike as a whole, not when it is found inside a longer one (`Qtly div six cts vs six
/// cts prior` is in every dividend notice).
const CONTAINED_MIN_SHINGLES: u32 = 40;
/// A value no shingle gave: the signature of a text without words.
const EMPTY: u8 = u8::MAX;

/// What is kept of an article's text to find its copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The least hash (its top 8 bits) of the shingles falling in each of [`VALUES`] buckets
    /// (one-permutation MinHash, empty buckets filled from the next full one).
    values: [u8; VALUES],
    /// How many distinct shingles the text has (estimated from its hashes), to tell how much of
    /// the shorter text the longer one holds.
    shingles: u32,
    /// The figures of the text (words with a digit: `69.35`, `1987`, `4TH`), each two bits of
    /// [`FIGURE_BITS`]: reports from one template share their words, not their figures.
    figures: [u64; FIGURE_BITS / 64],
    /// What choosing the original of its group needs to know of the article.
    pub about: About,
}

/// What choosing a group's original needs to know of an article, kept with its signature so
/// that no stored document is read to choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct About {
    /// It says it first appeared elsewhere (`This article originally appeared in …`): it is a
    /// repost, and its source names the publisher whose copy is the original.
    pub reposted: bool,
    /// Its source as publishers compare ([`publisher`]), hashed; 0 when it has none.
    pub publisher: u64,
    pub has_title: bool,
    pub has_author: bool,
    /// Its date, in days since 1970: reports from one template are told apart by their days.
    pub day: Option<i32>,
}

impl About {
    fn of(article: &Article) -> About {
        let meta = &article.metadata;
        About {
            reposted: article.reposted,
            publisher: meta
                .source
                .as_deref()
                .map_or(0, |source| word_hash(&publisher(source)).max(1)),
            has_title: meta.title.is_some(),
            has_author: meta.author.is_some(),
            day: meta
                .date
                .map(|date| date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY),
        }
    }

    fn flags(self) -> u8 {
        u8::from(self.reposted) | u8::from(self.has_title) << 1 | u8::from(self.has_author) << 2
    }
}

/// 1970-01-01 as a Julian day.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A publisher's name as sources compare: its words lowercased, without a leading `the`.
pub fn publisher(source: &str) -> String {
    let words: Vec<String> = source
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let start = usize::from(words.first().is_some_and(|word| word == "the"));
    words[start..].join(" ")
}

impl AsRef<Signature> for Signature {
    fn as_ref(&self) -> &Signature {
        self
    }
}

impl Signature {
    /// The signature of `text`: linear in its length, whatever it is.
    pub fn of(text: &str) -> Signature {
        Signature::of_parts([text])
    }

    /// The signature of an article: its title and its passages' text.
    pub fn of_article(article: &Article) -> Signature {
        let title = article.metadata.title.as_deref().unwrap_or_default();
        let passages = article.passages.iter().map(|passage| passage.text.as_str());
        Signature {
            about: About::of(article),
            ..Signature::of_parts(std::iter::once(title).chain(passages))
        }
    }

    /// The signature of the texts `parts`, one after the other (no word runs from one into
    /// the next).
    fn of_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> Signature {
        let mut read = Read::default();
        for part in parts {
            read.scan(part);
        }
        let words = read.words;
        let mut values = [EMPTY; VALUES];
        let mut full = 0_u32;
        let width = SHINGLE_WORDS.min(words.len()).max(1);
        for shingle in words.windows(width) {
            // The words are mixed already: each turned by its place, then mixed once more.
            let combined = (shingle.iter().enumerate()).fold(0_u64, |acc, (at, &word)| {
                acc ^ word.rotate_left(13 * at as u32)
            });
            let hash = mix(combined);
            let bucket = (hash % VALUES as u64) as usize;
            let value = ((hash >> 56) as u8).min(EMPTY - 1);
            if values[bucket] == EMPTY {
                full += 1;
            }
            values[bucket] = values[bucket].min(value);
        }
        let shingles = estimate_distinct(full, words.len().saturating_sub(width - 1));
        densify(&mut values);
        Signature {
            values,
            shingles,
            figures: read.figures,
            about: About::default(),
        }
    }

    /// How much text it was made from: distinct shingles, estimated.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// Whether two articles are copies: the shorter one's text mostly in the longer one
    /// (`min_overlap` of it, estimated), the figures of the one with fewer mostly among the
    /// other's, and not two reports of other days with figures changed.
    pub fn is_copy(&self, other: &Signature, min_overlap: f64) -> bool {
        let overlap = if self.shingles.min(other.shingles) < CONTAINED_MIN_SHINGLES {
            self.jaccard(other)
        } else {
            self.containment(other)
        };
        overlap >= min_overlap && self.same_figures(other) && !self.next_report(other)
    }

    /// Whether the two are dated on different days and each has figures the other lacks: the
    /// same report of another day, its table of prices or estimates changed in places. (A
    /// copy trimmed or added to has fewer or more figures, not others; a copy reposted on
    /// another day keeps its figures.)
    fn next_report(&self, other: &Signature) -> bool {
        let (Some(day), Some(other_day)) = (self.about.day, other.about.day) else {
            return false;
        };
        let lacks = |a: &[u64; FIGURE_BITS / 64], b: &[u64; FIGURE_BITS / 64]| {
            a.iter().zip(b).any(|(a, b)| a & !b != 0)
        };
        day != other_day
            && lacks(&self.figures, &other.figures)
            && lacks(&other.figures, &self.figures)
    }

    /// Whether the one with fewer figures has [`COPY_MIN_FIGURES`] of them in the other.
    fn same_figures(&self, other: &Signature) -> bool {
        let count = |bits: &[u64]| bits.iter().map(|word| word.count_ones()).sum::<u32>();
        let both: Vec<u64> = (self.figures.iter().zip(&other.figures))
            .map(|(a, b)| a & b)
            .collect();
        let fewer = count(&self.figures).min(count(&other.figures));
        f64::from(count(&both)) >= COPY_MIN_FIGURES * f64::from(fewer)
    }

    /// The share of their shingles two texts have in common (Jaccard similarity), estimated.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        if self.values[0] == EMPTY || other.values[0] == EMPTY {
            return 0.0;
        }
        let same = (self.values.iter().zip(&other.values))
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / VALUES as f64
    }

    /// The share of the shorter text's shingles that the longer one has, estimated: a copy
    /// with a site's header and footer around it, or a paragraph more or less, holds most of
    /// the other.
    pub fn containment(&self, other: &Signature) -> f64 {
        let jaccard = self.jaccard(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let smaller = a.min(b).max(1.0);
        (jaccard * (a + b) / ((1.0 + jaccard) * smaller)).min(1.0)
    }

    /// The signature as stored: its values, its shingle count, its figures, little-endian,
    /// then what is known about the article (flags, then the publisher).
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(ENCODED_BYTES);
        bytes.extend_from_slice(&self.values);
        bytes.extend_from_slice(&self.shingles.to_le_bytes());
        for word in self.figures {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes.push(self.about.flags());
        bytes.extend_from_slice(&self.about.publisher.to_le_bytes());
        bytes.extend_from_slice(&self.about.day.unwrap_or(NO_DAY).to_le_bytes());
        bytes
    }

    /// A stored signature; `None` for bytes that are not one.
    pub fn decode(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != ENCODED_BYTES {
            return None;
        }
        let (values, rest) = bytes.split_at(VALUES);
        let (shingles, rest) = rest.split_at(4);
        let (large, rest) = rest.split_at(FIGURE_BITS / 8);
        let (flags, rest) = rest.split_first()?;
        let (publisher, day) = rest.split_at(8);
        let day = i32::from_le_bytes(day.try_into().ok()?);
        let values = values.try_into().ok()?;
        let shingles = u32::from_le_bytes(shingles.try_into().ok()?);
        let mut figures = [0_u64; FIGURE_BITS / 64];
        for (word, eight) in figures.iter_mut().zip(large.chunks_exact(8)) {
            *word = u64::from_le_bytes(eight.try_into().ok()?);
        }
        Some(Signature {
            values,
            shingles,
            figures,
            about: About {
                reposted: flags & 1 != 0,
                publisher: u64::from_le_bytes(publisher.try_into().ok()?),
                has_title: flags & 2 != 0,
                has_author: flags & 4 != 0,
                day: (day != NO_DAY).then_some(day),
            },
        })
    }
}

/// Where a run of non-space characters starts before it has a letter or digit.
const NO_TOKEN: usize = usize::MAX;

/// What one pass over a text finds: its words (lowercased, hashed and mixed) and its figures.
#[derive(Default)]
struct Read {
    words: Vec<u64>,
    figures: [u64; FIGURE_BITS / 64],
}

impl Read {
    /// Reads the words of `text` (runs of letters and digits) and its figures: the number words,
    /// and the runs of non-space characters with a digit (`69.35`, `1,750`, `6-1/8`, `4TH`)
    /// without the punctuation around them. One pass over the bytes, most of them ASCII and
    /// taken as they are.
    fn scan(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut word = WORD_HASH_START;
        let mut word_chars = 0_usize;
        // The run of non-space characters being read: where its first letter or digit is
        // (`NO_TOKEN` before one), where its last ends, and whether it has a digit.
        let (mut first, mut end, mut has_digit) = (NO_TOKEN, 0, false);
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            let (alphanumeric, space, len) = if byte.is_ascii() {
                let alphanumeric = byte.is_ascii_alphanumeric();
                if alphanumeric {
                    word = word_hash_step(word, char::from(byte.to_ascii_lowercase()));
                    has_digit |= byte.is_ascii_digit();
                }
                (alphanumeric, char::from(byte).is_whitespace(), 1)
            } else {
                let Some(c) = text[at..].chars().next() else {
                    break;
                };
                let alphanumeric = c.is_alphanumeric();
                if alphanumeric {
                    word = c.to_lowercase().fold(word, word_hash_step);
                }
                (alphanumeric, c.is_whitespace(), c.len_utf8())
            };
            if alphanumeric {
                word_chars += 1;
                if first == NO_TOKEN {
                    first = at;
                }
                end = at + len;
            } else {
                self.end_word(&mut word, &mut word_chars);
                if space {
                    self.end_token(&text[first.min(end)..end], has_digit);
                    (first, has_digit) = (NO_TOKEN, false);
                }
            }
            at += len;
        }
        self.end_word(&mut word, &mut word_chars);
        self.end_token(&text[first.min(end)..end], has_digit);
    }

    fn end_word(&mut self, word: &mut u64, chars: &mut usize) {
        if *chars == 0 {
            return;
        }
        if NUMBER_WORD_CHARS.contains(chars)
            && NUMBER_WORDS_SEEN.may_hold(*word)
            && NUMBER_WORD_HASHES.binary_search(word).is_ok()
        {
            add_figure(&mut self.figures, *word);
        }
        self.words.push(mix(*word));
        (*word, *chars) = (WORD_HASH_START, 0);
    }

    /// A run of non-space characters ends: `figure`, without the punctuation around it, is a
    /// figure when it has a digit.
    fn end_token(&mut self, figure: &str, has_digit: bool) {
        if has_digit {
            add_figure(&mut self.figures, word_hash(figure));
        }
    }
}

/// How many distinct shingles filled `full` of the buckets, from `count` shingles in all:
/// while some buckets are empty, what balls thrown at random into [`VALUES`] bins would have
/// to number to fill that many (linear counting), so that a text that repeats itself is not
/// taken for a long one; past that, the count.
fn estimate_distinct(full: u32, count: usize) -> u32 {
    let bins = VALUES as f64;
    let empty = bins - f64::from(full);
    let count = count as f64;
    let distinct = if empty >= 1.0 {
        (-bins * (empty / bins).ln()).min(count)
    } else {
        count
    };
    distinct.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Adds the figure of hash `hash` to the set `figures`.
fn add_figure(figures: &mut [u64; FIGURE_BITS / 64], hash: u64) {
    // Two bits a figure, from two parts of the mixed hash (FNV's low bits are its weakest):
    // with one, two reports of one figure each shared it by chance once in 256 pairs, and
    // were taken for copies (`field 26`, `field 56`); with two, once in some 16,000.
    let mixed = mix(hash);
    for bit in [
        mixed % FIGURE_BITS as u64,
        (mixed >> 32) % FIGURE_BITS as u64,
    ] {
        let bit = bit as usize;
        figures[bit / 64] |= 1 << (bit % 64);
    }
}

/// Fills each empty bucket from the next full one (going round), changed by how far it had to
/// go, so that two texts agree on a filled bucket only where they agree on its source.
fn densify(values: &mut [u8]) {
    let Some(first_full) = values.iter().position(|&value| value != EMPTY) else {
        return;
    };
    let count = values.len();
    let mut source = values[first_full];
    let mut distance = 0_u32;
    for step in 1..=count {
        let at = (first_full + count - step) % count;
        if values[at] == EMPTY {
            distance += 1;
            let filled = mix(u64::from(source) ^ (u64::from(distance) << 32)) >> 56;
            values[at] = (filled as u8).min(EMPTY - 1);
        } else {
            source = values[at];
            distance = 0;
        }
    }
}

/// A word's hash, lowercased (FNV-1a over its characters): stable across runs and versions
/// (signatures are stored).
fn word_hash(word: &str) -> u64 {
    word.chars()
        .flat_map(char::to_lowercase)
        .fold(WORD_HASH_START, word_hash_step)
}

const WORD_HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

fn word_hash_step(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
}

/// The hashes of [`NUMBER_WORDS`], in order, to look words up in.
static NUMBER_WORD_HASHES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut hashes: Vec<u64> = NUMBER_WORDS.iter().map(|word| word_hash(word)).collect();
    hashes.sort_unstable();
    hashes
});
/// The top bytes of the hashes of [`NUMBER_WORDS`], as bits: most words are told not to be
/// one by a bit, without a search.
static NUMBER_WORDS_SEEN: LazyLock<TopBytes> = LazyLock::new(|| {
    let mut seen = TopBytes([0; 4]);
    for &hash in NUMBER_WORD_HASHES.iter() {
        let byte = (hash >> 56) as usize;
        seen.0[byte / 64] |= 1 << (byte % 64);
    }
    seen
});

/// A set of bytes, a bit each.
struct TopBytes([u64; 4]);

impl TopBytes {
    /// Whether a hash of that top byte was added.
    fn may_hold(&self, hash: u64) -> bool {
        let byte = (hash >> 56) as usize;
        self.0[byte / 64] & (1 << (byte % 64)) != 0
    }
}

/// The lengths of [`NUMBER_WORDS`]: only a word of one of them is looked up.
const NUMBER_WORD_CHARS: std::ops::RangeInclusive<usize> = 3..=9;

/// splitmix64's finaliser: every bit of the input moves every bit of the output.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The groups of copies among `signatures`, each a list of their positions (two or more, in
/// order), largest first: articles whose estimated containment is at least `threshold`, and
/// those copies of copies.
pub fn groups(signatures: &[impl AsRef<Signature>], threshold: f64) -> Vec<Vec<usize>> {
    let signatures: Vec<&Signature> = signatures.iter().map(AsRef::as_ref).collect();
    let mut parents: Vec<usize> = (0..signatures.len()).collect();
    for band in 0..BANDS {
        // Keys are a band's values: any hash will do (foldhash, seeded per run).
        let mut buckets: foldhash::HashMap<&[u8], usize> =
            foldhash::HashMap::with_capacity_and_hasher(signatures.len(), Default::default());
        for (at, signature) in signatures.iter().enumerate() {
            if signature.values[0] == EMPTY {
                continue;
            }
            let key = &signature.values[band * BAND_VALUES..(band + 1) * BAND_VALUES];
            match buckets.get(key) {
                // Each article is compared with the first of its bucket; copies of copies join
                // through it.
                Some(&first) => {
                    if signatures[first].is_copy(signature, threshold) {
                        union(&mut parents, first, at);
                    }
                }
                None => {
                    buckets.insert(key, at);
                }
            }
        }
    }
    // Most articles have no copies: only groups of two or more are gathered.
    let roots: Vec<usize> = (0..signatures.len())
        .map(|at| find(&mut parents, at))
        .collect();
    let mut sizes = vec![0_u32; signatures.len()];
    for &root in &roots {
        sizes[root] += 1;
    }
    let mut by_root: foldhash::HashMap<usize, Vec<usize>> = foldhash::HashMap::default();
    for (at, &root) in roots.iter().enumerate() {
        if sizes[root] > 1 {
            by_root.entry(root).or_default().push(at);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
}

fn find(parents: &mut [usize], mut at: usize) -> usize {
    while parents[at] != at {
        parents[at] = parents[parents[at]];
        at = parents[at];
    }
    at
}

fn union(parents: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parents, a), find(parents, b));
    if a != b {
        parents[a.max(b)] = a.min(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Dock workers voted on Monday to end a ten-day strike at the port of \
        Rotterdam, the union said. The strike had stranded hundreds of container ships outside \
        the harbour and cost shippers millions of euros a day. Wages will rise by four percent \
        this year and again next year, and the cranes started again within the hour. Shipping \
        lines said it would take weeks to clear the backlog of cargo waiting at sea.";

    #[test]
    fn copies_are_found_whatever_their_typography_and_wrapping() {
        let original = Signature::of(STORY);
        let retyped = STORY
            .replace("ten-day", "ten‐day")
            .replace(", ", ",\n")
            .replace("Dock workers", "DOCK WORKERS");
        let reposted = format!(
            "Harbour News Online — your port, every day. Subscribe now.\n\n{STORY}\n\n\
             Share this story. Comments are closed. © 2024 Harbour News Online."
        );
        assert!(original.containment(&Signature::of(&retyped)) > 0.95);
        assert!(original.containment(&Signature::of(&reposted)) > 0.8);
        let other = Signature::of(
            "Farmers near the estuary reported a good barley harvest this year, and prices at \
             the market in Leeuwarden fell for the third week running as the grain arrived.",
        );
        assert!(original.containment(&other) < 0.2);
    }

    #[test]
    fn stories_from_one_template_differ_in_their_figures() {
        let dividend = |company: &str, cents: u32, month: &str| {
            Signature::of(&format!(
                "{company} QUARTERLY DIVIDEND\n\nQtly div {cents} cts vs {cents} cts prior\n\
                 Pay {month} one\nRecord March 13"
            ))
        };
        let a = dividend("TULTEX CORP", 5, "April");
        let b = dividend("TONKA CORP", 9, "March");
        assert!(a.containment(&b) < 0.5, "{}", a.containment(&b));
    }

    #[test]
    fn number_words_are_figures() {
        let notice = |amount: &str| {
            Signature::of(&format!(
                "FED ADDS RESERVES VIA CUSTOMER REPURCHASES\n\nThe Federal Reserve entered the \
                 government securities market to arrange {amount} billion dlrs of customer \
                 repurchase agreements, a Fed spokesman said. Dealers said Federal funds were \
                 trading at a level the market had expected before the Fed's action."
            ))
        };
        let (one, two) = (notice("one"), notice("two"));
        assert!(one.containment(&two) > COPY_MIN_CONTAINMENT);
        assert!(!one.same_figures(&two));
        assert!(one.same_figures(&notice("ONE")));
    }

    #[test]
    fn daily_reports_that_differ_in_their_figures_are_not_copies() {
        let report = |day: u32, price: &str| {
            Signature::of(&format!(
                "U.S. FEEDER STEER PRICE\n\nThe U.S. Feeder Steer Price, or USFSP, as posted by \
                 the CME is calculated by Cattle Fax and represents the price used for cash \
                 settlement of the CME Feeder Cattle contract. The USFSP is a seven-calendar-day \
                 average of feeder steer prices from 27 states, based on auction and direct \
                 country sales for feeder steers that weigh between 600 and 800 lbs.\n\
                 April {day} Previous quote {price} 69.25"
            ))
        };
        let (monday, friday) = (report(5, "69.35"), report(9, "70.03"));
        assert!(monday.containment(&friday) >= COPY_MIN_CONTAINMENT);
        assert!(!monday.is_copy(&friday, COPY_MIN_CONTAINMENT));
        assert!(monday.is_copy(&report(5, "69.35"), COPY_MIN_CONTAINMENT));
    }

    #[test]
    fn a_table_of_another_day_with_some_figures_changed_is_not_a_copy() {
        let table = |wheat: &str, corn: &str| {
            format!(
                "NATIONAL AVERAGE PRICES FOR FARMER-OWNED RESERVE\n\nThe U.S. Agriculture \
                 Department reported the farmer-owned reserve national five-day average price \
                 as follows.\nWheat {wheat} 2.40 IV 4.65\nCorn {corn} 1.92 IV 3.15 3.15\n\
                 Sorghum 2.34 3.25 IV 5.36 5.36\nOats 1.57 0.99 V 1.65\nBarley 1.49 1.56 IV \
                 2.55 2.55\nSoybeans 4.95 4.77 V 6.32 5.80"
            )
        };
        let dated = |text: &str, day: i32| Signature {
            about: About {
                day: Some(day),
                ..About::default()
            },
            ..Signature::of(text)
        };
        let february = dated(&table("2.55", "1.35"), 100);
        let april = dated(&table("2.64", "1.40"), 140);
        assert!(february.same_figures(&april));
        assert!(!february.is_copy(&april, COPY_MIN_CONTAINMENT));
        // The same table reposted another day, or corrected the same day, is a copy.
        let reposted = dated(&table("2.55", "1.35"), 150);
        assert!(february.is_copy(&reposted, COPY_MIN_CONTAINMENT));
        let corrected = dated(&table("2.56", "1.35"), 100);
        assert!(february.is_copy(&corrected, COPY_MIN_CONTAINMENT));
    }

    #[test]
    fn short_notes_that_differ_in_their_one_figure_are_not_copies() {
        // Each pair of 100 notes of one figure: with a bit a figure, some 20 pairs shared it.
        let notes: Vec<Signature> = (0..100)
            .map(|n| Signature::of(&format!("Filler {n}\n\nA zebra grazed in field {n}.")))
            .collect();
        for (at, note) in notes.iter().enumerate() {
            for other in &notes[at + 1..] {
                assert!(!note.same_figures(other), "{at}");
            }
        }
    }

    #[test]
    fn groups_join_copies_and_leave_the_rest() {
        let texts = [
            STORY.to_string(),
            "Farmers near the estuary reported a good barley harvest this year.".to_string(),
            format!("Reposted from the Harbour Gazette.\n\n{STORY}"),
            STORY.to_uppercase(),
            String::new(),
            String::new(),
        ];
        let signatures: Vec<Signature> = texts.iter().map(|text| Signature::of(text)).collect();
        assert_eq!(groups(&signatures, 0.8), [vec![0, 2, 3]]);
    }

    #[test]
    fn publishers_compare_by_their_words() {
        assert_eq!(publisher("The New York Times"), "new york times");
        assert_eq!(publisher("new-york times."), "new york times");
        assert_eq!(publisher("The"), "");
        assert_eq!(publisher(""), "");
    }

    #[test]
    fn signatures_are_stored_and_read_back() {
        let signature = Signature::of(STORY);
        assert_eq!(
            Signature::decode(&signature.encode()),
            Some(signature.clone())
        );
        let about = About {
            reposted: true,
            publisher: 77,
            has_title: false,
            has_author: true,
            day: Some(6000),
        };
        let reposted = Signature { about, ..signature };
        assert_eq!(Signature::decode(&reposted.encode()), Some(reposted));
        assert_eq!(Signature::decode(b"short"), None);
    }

    #[test]
    fn a_text_repeating_itself_is_not_taken_for_a_long_one() {
        let once = Signature::of(STORY);
        let thrice = Signature::of(&[STORY; 3].join(" "));
        assert!(f64::from(thrice.shingles) < 1.5 * f64::from(once.shingles));
    }
}
