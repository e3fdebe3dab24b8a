//! Repairs on an article's paragraphs: a paragraph printed twice (or a pull quote repeating a
//! sentence of the text) is kept once, and words glued together by a lost space are split.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;

use super::push_lowercase;
use crate::paragraph::{Paragraph, ends_sentence};

/// A paragraph whose word pairs appear at least this much in a longer one repeats it.
const REPEAT_OVERLAP: f64 = 0.7;
/// Near-repeats are looked for among sentences with at least this many words (a pull quote is
/// a sentence; a heading, which may sum up the paragraph under it in its words, is not)...
const REPEAT_MIN_WORDS: usize = 6;
/// ...in articles of at most this many paragraphs...
const REPEAT_MAX_PARAGRAPHS: usize = 2000;
/// ...and this many words (a book): their word pairs are held in memory, three times over.
const REPEAT_MAX_WORDS: usize = 200_000;
/// Comparing paragraphs stops after this many steps (a word pair looked up), a fraction of a
/// second: a text made for every paragraph to resemble every other costs no more. Real
/// articles take far fewer: only paragraphs sharing their rarest word pairs are compared.
const REPEAT_MAX_STEPS: usize = 10_000_000;

/// Function words that a lost space glues onto the end of the word before them.
const GLUED_SUFFIXES: &[&str] = &["with", "the", "and", "to", "for", "from", "that", "of"];
/// The word left after taking a suffix off must be at least this long.
const GLUED_MIN_PREFIX: usize = 6;

/// Words are compared by a 64-bit hash of their lowercase form rather than as strings: this
/// runs on every paragraph of every article, and hashing spares an allocation per word. A
/// collision among the few thousand words of an article is vanishingly unlikely.
const WORD_HASHER: FixedState = FixedState::with_seed(0x7175_6172_7279);

/// Finds paragraphs repeated word for word, as they are made: a file of a million copies of
/// a paragraph never holds more than one. Each paragraph is kept as one hash of its words.
pub struct Repeats {
    seen: HashMap<u64, usize, FixedState>,
    lowercase: String,
    other: String,
}

impl Default for Repeats {
    fn default() -> Repeats {
        Repeats {
            seen: HashMap::with_hasher(WORD_HASHER),
            lowercase: String::new(),
            other: String::new(),
        }
    }
}

impl Repeats {
    /// Removes the last of `paragraphs` if it repeats an earlier one (a paragraph without words
    /// repeats none).
    pub fn drop_last(&mut self, paragraphs: &mut Vec<Paragraph>) {
        let Some((last, earlier)) = paragraphs.split_last() else {
            return;
        };
        let mut hasher = WORD_HASHER.build_hasher();
        let mut words = 0;
        for word in word_hashes(last.text(), &mut self.lowercase) {
            hasher.write_u64(word);
            words += 1;
        }
        if words == 0 {
            return;
        }
        let repeated = match self.seen.entry(hasher.finish()) {
            Entry::Vacant(entry) => {
                entry.insert(earlier.len());
                false
            }
            // Equal hashes of different words (never seen yet) keep both.
            Entry::Occupied(first) => {
                word_hashes(earlier[*first.get()].text(), &mut self.lowercase)
                    .eq(word_hashes(last.text(), &mut self.other))
            }
        };
        if repeated {
            paragraphs.pop();
        }
    }
}

/// Drops the shorter paragraphs whose wording is (almost) all inside a longer one: a pull quote,
/// a paragraph printed twice with an edit.
pub fn drop_near_repeats(paragraphs: &mut Vec<Paragraph>) {
    if paragraphs.len() > REPEAT_MAX_PARAGRAPHS {
        return;
    }
    let mut lowercase = String::new();
    let lengths: Vec<usize> = paragraphs
        .iter()
        .map(|p| word_hashes(p.text(), &mut lowercase).count())
        .collect();
    if lengths.iter().sum::<usize>() > REPEAT_MAX_WORDS {
        return;
    }
    let pairs: Vec<Vec<u64>> = paragraphs
        .iter()
        .map(|p| word_pairs(p.text(), &mut lowercase))
        .collect();
    let mut keep = vec![true; paragraphs.len()];
    let candidates: Vec<bool> = paragraphs
        .iter()
        .zip(&lengths)
        .map(|(p, &length)| length >= REPEAT_MIN_WORDS && ends_sentence(p.text()))
        .collect();
    mark_near_repeats(&pairs, &lengths, &candidates, &mut keep);
    let mut flags = keep.into_iter();
    paragraphs.retain(|_| flags.next().unwrap_or(true));
}

/// Marks as dropped each kept candidate whose word pairs are mostly inside a longer kept
/// paragraph, and returns the steps taken. A paragraph holding most of another's pairs holds
/// one of its rarest: the holders of those alone are compared.
fn mark_near_repeats(
    pairs: &[Vec<u64>],
    lengths: &[usize],
    candidates: &[bool],
    keep: &mut [bool],
) -> usize {
    // Every pair with a paragraph holding it, sorted: a pair's holders are one run.
    let mut holders: Vec<(u64, usize)> = pairs
        .iter()
        .enumerate()
        .flat_map(|(j, pairs)| pairs.iter().map(move |&pair| (pair, j)))
        .collect();
    holders.sort_unstable();
    let holding = |pair: u64| {
        let start = holders.partition_point(|&(other, _)| other < pair);
        let count = holders[start..].partition_point(|&(other, _)| other == pair);
        &holders[start..start + count]
    };
    let mut compared_with = vec![usize::MAX; pairs.len()];
    let mut steps = 0;
    for (i, part) in pairs.iter().enumerate() {
        if !keep[i] || !candidates[i] || part.is_empty() {
            continue;
        }
        // One that holds `needed` of the pairs holds one of any `len - needed + 1` of them.
        let needed = (REPEAT_OVERLAP * part.len() as f64).ceil() as usize;
        let mut rarest: Vec<&[(u64, usize)]> = part.iter().map(|&pair| holding(pair)).collect();
        rarest.sort_by_key(|holders| holders.len());
        rarest.truncate(part.len() - needed + 1);
        for &(_, j) in rarest.iter().flat_map(|holders| holders.iter()) {
            steps += 1;
            if j == i || compared_with[j] == i || !keep[j] || lengths[j] <= lengths[i] {
                continue;
            }
            compared_with[j] = i;
            steps += part.len();
            if steps > REPEAT_MAX_STEPS {
                return steps;
            }
            if mostly_inside(part, &pairs[j]) {
                keep[i] = false;
                break;
            }
        }
    }
    steps
}

/// The hashes of a text's lowercase alphanumeric words, in order; `lowercase` is scratch space.
fn word_hashes<'a>(text: &'a str, lowercase: &'a mut String) -> impl Iterator<Item = u64> + 'a {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(move |word| word_hash(word, lowercase))
}

fn word_hash(word: &str, lowercase: &mut String) -> u64 {
    lowercase.clear();
    push_lowercase(lowercase, word);
    WORD_HASHER.hash_one(lowercase.as_str())
}

/// The distinct pairs of neighbouring words of a text, sorted, each as one hash.
fn word_pairs(text: &str, lowercase: &mut String) -> Vec<u64> {
    let words: Vec<u64> = word_hashes(text, lowercase).collect();
    let mut pairs: Vec<u64> = words
        .windows(2)
        .map(|pair| WORD_HASHER.hash_one((pair[0], pair[1])))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Whether at least [`REPEAT_OVERLAP`] of `part`'s word pairs are in `whole`; both are sorted
/// and distinct. Gives up as soon as too many are missing: most paragraphs share little.
fn mostly_inside(part: &[u64], whole: &[u64]) -> bool {
    if part.is_empty() {
        return false;
    }
    let needed = (REPEAT_OVERLAP * part.len() as f64).ceil() as usize;
    let allowed_missing = part.len() - needed;
    let (mut missing, mut rest) = (0, whole);
    for pair in part {
        let at = rest.partition_point(|other| other < pair);
        rest = &rest[at..];
        if rest.first() != Some(pair) {
            missing += 1;
            if missing > allowed_missing {
                return false;
            }
        }
    }
    true
}

/// Splits words glued to a following function word (`Soleimaniwith` -> `Soleimani with`) when
/// the article uses the first part as a word of its own and never uses the glued form twice.
pub fn split_glued_words(paragraphs: &mut [Paragraph]) {
    // Counting the article's words is the costly part: most articles have no candidate.
    if !paragraphs
        .iter()
        .any(|p| word_spans(p.text()).any(|(_, word)| glued_suffixes(word).next().is_some()))
    {
        return;
    }
    let mut lowercase = String::new();
    let mut counts: HashMap<u64, usize, FixedState> = HashMap::with_hasher(WORD_HASHER);
    for paragraph in paragraphs.iter() {
        for word in word_hashes(paragraph.text(), &mut lowercase) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let count = |word: &str, lowercase: &mut String| {
        counts
            .get(&word_hash(word, lowercase))
            .copied()
            .unwrap_or(0)
    };
    for paragraph in paragraphs.iter_mut() {
        let mut splits = Vec::new();
        for (start, word) in word_spans(paragraph.text()) {
            if !word.is_ascii() || count(word, &mut lowercase) > 1 {
                continue;
            }
            let split = glued_suffixes(word).find_map(|suffix| {
                let prefix = &word[..word.len() - suffix.len()];
                (count(prefix, &mut lowercase) > 0).then_some(start + prefix.len())
            });
            splits.extend(split);
        }
        paragraph.insert_spaces(&splits);
    }
}

/// The function words that `word` may end with after a lost space.
fn glued_suffixes(word: &str) -> impl Iterator<Item = &&'static str> {
    let bytes = word.as_bytes();
    // Most words are too short to hold a prefix and a suffix: they are spared the comparisons.
    let suffixes = if bytes.len() >= GLUED_MIN_PREFIX + 2 {
        GLUED_SUFFIXES
    } else {
        &[]
    };
    suffixes.iter().filter(move |suffix| {
        bytes.len() >= GLUED_MIN_PREFIX + suffix.len()
            && bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    })
}

/// Alphabetic words of a text with their byte offsets.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraph::{self, Line};

    fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
        paragraph::from_lines(&Line::numbered(text))
    }

    /// Both passes over repeats, as an article is read.
    fn drop_repeats(ps: &mut Vec<Paragraph>) {
        let mut repeats = Repeats::default();
        for paragraph in std::mem::take(ps) {
            ps.push(paragraph);
            repeats.drop_last(ps);
        }
        drop_near_repeats(ps);
    }

    fn texts<'p>(paragraphs: &'p [Paragraph]) -> Vec<&'p str> {
        paragraphs.iter().map(Paragraph::text).collect()
    }

    #[test]
    fn an_exact_repeat_is_dropped() {
        let mut ps = paragraphs("One paragraph here.\n\nAnother one.\n\nOne  paragraph here.");
        drop_repeats(&mut ps);
        assert_eq!(texts(&ps), ["One paragraph here.", "Another one."]);
    }

    #[test]
    fn a_pull_quote_and_a_near_repeat_are_dropped() {
        let mut ps = paragraphs(
            "Tensions between the two sides have ratcheted up—and the Trump administration has \
             found itself largely alone.\n\nTensions between the two sides ratcheted up—and the \
             Trump administration found itself largely alone. The previous administration had \
             assembled a broad coalition.\n\nThe only remaining diplomatic option is to work \
             through an intermediary.\n\nNow, Iran refuses to talk. The only remaining \
             diplomatic option is thus to work through an intermediary. Others have tried.",
        );
        drop_repeats(&mut ps);
        assert_eq!(ps.len(), 2, "{:?}", texts(&ps));
        assert!(ps[0].text().ends_with("broad coalition."));
        assert!(ps[1].text().starts_with("Now, Iran"));
    }

    #[test]
    fn a_heading_in_the_words_of_its_paragraph_stays() {
        let mut ps = paragraphs(
            "A small step towards a green source of energy\n\nThe progress made gives hope: \
             a small step towards a green source of energy, without fossil fuels.",
        );
        drop_repeats(&mut ps);
        assert_eq!(ps.len(), 2, "{:?}", texts(&ps));
    }

    #[test]
    fn different_paragraphs_on_one_subject_stay() {
        let mut ps = paragraphs(
            "Iran attacked oil tankers in the Gulf in May.\n\nIn June, Iran downed an expensive \
             American drone over the Gulf.",
        );
        drop_repeats(&mut ps);
        assert_eq!(ps.len(), 2);
    }

    /// Paragraphs of `lengths` words, each sharing its first `shared` percent with the others
    /// and ending in words of its own.
    fn look_alikes(lengths: impl Iterator<Item = usize>, shared: usize) -> String {
        let text: Vec<String> = lengths
            .enumerate()
            .map(|(i, length)| {
                let common = length * shared / 100;
                let own = (common..length).map(|j| format!("p{i}w{j}"));
                let words: Vec<String> = (0..common).map(|j| format!("w{j}")).chain(own).collect();
                words.join(" ") + "."
            })
            .collect();
        text.join("\n\n")
    }

    #[test]
    fn near_repeats_are_not_looked_for_in_a_book() {
        // Each paragraph shares 69% of its words with every longer one: every comparison went
        // nearly to the end, minutes here.
        let text = look_alikes((0..REPEAT_MAX_PARAGRAPHS).map(|i| 100 + i / 10), 69);
        let mut ps = paragraphs(&text);
        let started = std::time::Instant::now();
        drop_repeats(&mut ps);
        let took = started.elapsed();
        assert_eq!(ps.len(), REPEAT_MAX_PARAGRAPHS);
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    }

    #[test]
    fn comparing_paragraphs_is_bounded() {
        let pairs_of = |ps: &[Paragraph]| -> Vec<Vec<u64>> {
            ps.iter()
                .map(|p| word_pairs(p.text(), &mut String::new()))
                .collect()
        };
        let lengths_of = |ps: &[Paragraph]| -> Vec<usize> {
            ps.iter()
                .map(|p| word_hashes(p.text(), &mut String::new()).count())
                .collect()
        };
        // Paragraphs of their own words take a step per pair or so.
        let text = look_alikes((0..1000).map(|i| 20 + i % 50), 0);
        let ps = paragraphs(&text);
        let words: usize = lengths_of(&ps).iter().sum();
        let steps = mark_near_repeats(
            &pairs_of(&ps),
            &lengths_of(&ps),
            &[true; 1000],
            &mut vec![true; 1000],
        );
        assert!(steps <= words, "{steps} steps for {words} words");
        // The same few words in every order: every paragraph is compared with every other.
        let mut seed = 1u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let text: Vec<String> = (0..REPEAT_MAX_PARAGRAPHS)
            .map(|i| {
                let words: Vec<String> = (0..50 + i % 50)
                    .map(|_| format!("w{}", next() % 20))
                    .collect();
                words.join(" ") + "."
            })
            .collect();
        let text = text.join("\n\n");
        let ps = paragraphs(&text);
        let everyone = vec![true; ps.len()];
        let steps = mark_near_repeats(
            &pairs_of(&ps),
            &lengths_of(&ps),
            &everyone,
            &mut everyone.clone(),
        );
        assert!(steps <= REPEAT_MAX_STEPS + 100, "{steps}");
        assert!(steps > REPEAT_MAX_STEPS, "the limit was reached");
    }

    #[test]
    fn glued_words_are_split_when_the_article_knows_the_word() {
        let mut ps = paragraphs(
            "They targeted Qasem Soleimaniwith an airstrike.\n\nThe slaying of Soleimani \
             followed. A broad coalitionto pressure Iran. That coalition is now in tatters.",
        );
        split_glued_words(&mut ps);
        assert_eq!(
            ps[0].text(),
            "They targeted Qasem Soleimani with an airstrike."
        );
        assert!(ps[1].text().contains("A broad coalition to pressure"));
    }

    #[test]
    fn many_glued_words_are_split_at_once() {
        // One insertion at a time moved the rest of the paragraph and its line starts: minutes.
        let letters = |i: usize| -> String {
            (0..6)
                .map(|k| char::from(b'a' + (i / 26usize.pow(k) % 26) as u8))
                .collect()
        };
        let text: Vec<String> = (0..100_000)
            .map(|i| format!("q{0} q{0}with", letters(i)))
            .collect();
        let text = text.join("\n");
        let mut ps = paragraphs(&text);
        let started = std::time::Instant::now();
        split_glued_words(&mut ps);
        let took = started.elapsed();
        assert!(
            ps[0]
                .text()
                .starts_with("qaaaaaa qaaaaaa with qbaaaaa qbaaaaa with")
        );
        assert_eq!(ps[0].text().matches(" with").count(), 100_000);
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    }

    #[test]
    fn real_words_are_not_split() {
        let text = "Within the homeland, the husband said thereto. Washington and Toronto. \
                    Within hours, within days. Breathe.";
        let mut ps = paragraphs(text);
        split_glued_words(&mut ps);
        assert_eq!(ps[0].text(), text);
    }
}
