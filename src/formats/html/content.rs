//! Finding the article in a page: the text a browser's reader view would show.
//!
//! The page is cut into blocks (the text between two block boundaries: paragraphs, headings,
//! list items, cells). A block of prose counts for the elements that hold it, a block of links
//! or a snippet counts against them, and so does everything inside navigation, sidebars,
//! comments, share bars and the like (known by their tags, roles, and class and id names). The
//! element with the best sum holds the article: all of the prose and as little else as can be.
//! Its blocks, less the navigation and the lists of links inside it, are the article's text.

use std::collections::HashMap;

use html5ever::{LocalName, local_name};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::dom::{Dom, NONE, NodeData, NodeId, Step};

/// A block of the article's text, with the source lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    pub first_line: u32,
    pub last_line: u32,
}

/// A block is prose when at most this share of its characters are in links.
const PROSE_MAX_LINK_SHARE: f32 = 0.35;

/// A block of prose has at least this many characters (not counting spaces); a shorter one
/// ending in a full stop at least [`SENTENCE_MIN_CHARS`].
const PROSE_MIN_CHARS: usize = 100;
const SENTENCE_MIN_CHARS: usize = 40;

/// A label (a heading, `Share this:`) has at most this many words and characters.
const LABEL_MAX_WORDS: usize = 6;
const LABEL_MAX_CHARS: usize = 50;

/// What a short block that is neither prose nor links weighs, per character, against the
/// element holding it: headings, captions, labels, dates belong to articles and to page
/// furniture alike.
const SHORT_BLOCK_WEIGHT: f32 = -0.1;

/// An element beside the one holding the article is part of it when it weighs more than this
/// share of it, and is at most [`PART_LEVELS`] up: enough for a lede in the header, a story
/// cut up by advertisements, not a teaser list beside it.
const PART_MIN_SHARE: f32 = 0.02;
const PART_LEVELS: usize = 6;

/// After the article, an element must weigh this share of it (not [`PART_MIN_SHARE`]) to be
/// part of it: what follows a story is more often a notice, a call to subscribe or an
/// author's note than its tail.
const PART_AFTER_MIN_SHARE: f32 = 0.2;

/// An element named the article's body (`itemprop="articleBody"`, `entry-content`) counts this
/// many times its weight when the article's element is chosen.
const ARTICLE_BODY_NAME_FACTOR: f32 = 2.0;

/// A block with more than this share of its characters in links is a list of links, left out
/// of the article even inside it.
const LINKS_MIN_SHARE: f32 = 0.5;

/// What the page's markup says of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Holds text like any element.
    Plain,
    /// Navigation, a sidebar, a share bar…: not the article's, unless it holds most of the
    /// page's prose (a misleading name, an `<aside>` left open).
    Furniture,
    /// Readers' comments: never the article, however long the thread.
    Comments,
}

/// The article found in a page.
pub struct MainText {
    pub blocks: Vec<Block>,
    /// The element holding the article (the document when the page has no text).
    pub container: NodeId,
}

/// The main text of a parsed page.
pub fn main_text(dom: &Dom) -> MainText {
    let kinds = kinds(dom);
    let blocks = blocks(dom);
    if blocks.is_empty() {
        return MainText {
            blocks: Vec::new(),
            container: super::dom::DOCUMENT,
        };
    }
    let furniture: Vec<bool> = furniture_of(dom, &kinds, &blocks)
        .into_iter()
        .zip(teasers(dom, &blocks))
        .map(|(furniture, teaser)| furniture || teaser)
        .collect();
    let parts = article_parts(dom, &blocks, &furniture);
    let keep = kept_blocks(dom, &blocks, &furniture, &parts);
    let mut kept: Vec<Block> = blocks
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|(block, _)| block.to_block())
        .collect();
    if kept.is_empty() {
        // Nothing but links and furniture: better all of the page's text than none of it.
        kept = blocks.iter().map(Block::from).collect();
    }
    MainText {
        blocks: kept,
        container: parts.container,
    }
}

/// Which blocks are the article's: in the element holding it, those that are not furniture,
/// lists of links, captions that are no sentence (a credit, a name), nor the label of something
/// left out (the `Share this` over share buttons, the `Related` over a list of links, a
/// heading after the last sentence; a short block with figures is data, not a label); in the
/// parts beside that element, its prose alone.
fn kept_blocks(dom: &Dom, blocks: &[RawBlock], furniture: &[bool], parts: &Parts) -> Vec<bool> {
    let junk: Vec<bool> = blocks
        .iter()
        .zip(furniture)
        .map(|(block, &furniture)| furniture || block.link_share() > LINKS_MIN_SHARE)
        .collect();
    let mut keep: Vec<bool> = blocks
        .iter()
        .zip(&junk)
        .map(|(block, &junk)| {
            let wanted = match parts.part_of(dom, block.owner) {
                Some(Part::Container) => true,
                Some(Part::Beside) => block.is_prose(),
                None => false,
            };
            wanted && !junk && (!block.caption || block.is_sentence_caption())
        })
        .collect();
    let mut next_junk = false;
    for ((block, keep), &junk) in blocks.iter().zip(&mut keep).zip(&junk).rev() {
        if *keep && next_junk && block.is_label() {
            *keep = false;
        }
        next_junk = junk || (next_junk && !*keep);
    }
    for (block, keep) in blocks.iter().zip(&mut keep).rev() {
        if !*keep {
            continue;
        }
        let sentence = block.is_prose() || block.text.trim_end().ends_with('.');
        let short = block.text.split_whitespace().count() <= LABEL_MAX_WORDS
            && block.chars <= LABEL_MAX_CHARS;
        if sentence || !short || block.has_figures() {
            break;
        }
        *keep = false;
    }
    keep
}

impl MainText {
    /// Takes the page's own statement of its article's text (JSON-LD `articleBody`) instead of
    /// what was found, when what was found holds much less of it: a page whose story is drawn
    /// by its scripts, or hidden behind a paywall's markup. Its lines are those of the script
    /// holding it.
    pub fn prefer_article_body(&mut self, body: &super::metadata::ArticleBody) {
        let body_chars = body.text.chars().filter(|c| !c.is_whitespace()).count();
        let found_chars: usize = self
            .blocks
            .iter()
            .map(|block| block.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        if body_chars < ARTICLE_BODY_MIN_CHARS
            || found_chars as f32 >= body_chars as f32 * ARTICLE_BODY_MIN_SHARE
        {
            return;
        }
        let paragraphs = body_paragraphs(&body.text);
        if paragraphs.is_empty() {
            return;
        }
        self.blocks = paragraphs
            .into_iter()
            .map(|text| Block {
                text,
                first_line: body.first_line,
                last_line: body.last_line,
            })
            .collect();
    }
}

/// An `articleBody` shorter than this is a summary, not the article.
const ARTICLE_BODY_MIN_CHARS: usize = 200;

/// The article found in the page's markup is taken over its `articleBody` when it holds at
/// least this share of the body's length.
const ARTICLE_BODY_MIN_SHARE: f32 = 0.5;

/// The paragraphs of an `articleBody`: plain text with line breaks between paragraphs, or
/// markup (some sites put HTML there), read as a page.
fn body_paragraphs(text: &str) -> Vec<String> {
    let markup = text
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'/'));
    if markup {
        return blocks(&Dom::parse(text))
            .into_iter()
            .map(|block| block.text)
            .collect();
    }
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

/// A block as found: its text and where it stands.
#[derive(Debug)]
struct RawBlock {
    /// The element whose text this is: the nearest block-level element around it.
    owner: NodeId,
    text: String,
    first_line: u32,
    last_line: u32,
    /// Characters that are not white space, and those of them inside links.
    chars: usize,
    link_chars: usize,
    /// The block is (part of) a picture's caption.
    caption: bool,
}

impl RawBlock {
    fn link_share(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }

    fn is_prose(&self) -> bool {
        let ends_sentence = self
            .text
            .trim_end_matches(['"', '\'', '”', '’', '»', ')'])
            .ends_with(['.', '!', '?', '…', '。', '！', '？', ':']);
        self.link_share() <= PROSE_MAX_LINK_SHARE
            && (self.chars >= PROSE_MIN_CHARS
                || (ends_sentence && self.chars >= SENTENCE_MIN_CHARS))
    }

    /// Figures make a short block data, not a label: a quantity, a price, a row of a table
    /// (`390 kcal`, `Payable March 31`).
    fn has_figures(&self) -> bool {
        self.text.bytes().any(|byte| byte.is_ascii_digit())
    }

    /// A few words that are no sentence: a heading, a label.
    fn is_label(&self) -> bool {
        !self.has_figures()
            && self.text.split_whitespace().count() <= LABEL_MAX_WORDS
            && self.chars <= LABEL_MAX_CHARS
            && !self
                .text
                .trim_end()
                .ends_with(['.', '!', '?', '。', '！', '？'])
    }

    /// A caption that says something: a sentence of a few words, not a credit.
    fn is_sentence_caption(&self) -> bool {
        const CREDITS: &[&str] = &[
            "©", "foto:", "photo:", "bild:", "image:", "quelle:", "source:", "credit:", "fotos:",
            "photos:", "(foto", "getty",
        ];
        let lower = self.text.to_lowercase();
        let ends_sentence = self
            .text
            .trim_end_matches(['"', '\'', '”', '’', '»', ')'])
            .ends_with(['.', '!', '?', '。', '！', '？']);
        ends_sentence
            && self.text.split_whitespace().count() >= 8
            && !CREDITS.iter().any(|credit| lower.contains(credit))
    }

    /// What the block weighs for the elements holding it.
    fn weight(&self) -> f32 {
        if self.is_prose() {
            self.chars as f32
        } else if self.link_share() > PROSE_MAX_LINK_SHARE {
            -(self.chars as f32)
        } else {
            SHORT_BLOCK_WEIGHT * self.chars as f32
        }
    }

    fn to_block(&self) -> Block {
        Block::from(self)
    }
}

impl From<&RawBlock> for Block {
    fn from(block: &RawBlock) -> Block {
        Block {
            text: block.text.clone(),
            first_line: block.first_line,
            last_line: block.last_line,
        }
    }
}

/// Every block of visible text, none left out as furniture: for documents that are all
/// article (an e-book's chapters), whose short last lines are text, not a page's labels.
pub fn all_text(dom: &Dom) -> Vec<Block> {
    blocks(dom).iter().map(Block::from).collect()
}

/// The blocks of text of the page's visible elements, in document order.
fn blocks(dom: &Dom) -> Vec<RawBlock> {
    let mut blocks = Vec::new();
    let mut current = Builder::default();
    // The block-level elements open around the walk, innermost last.
    let mut owners: Vec<NodeId> = vec![super::dom::DOCUMENT];
    let mut links = 0usize;
    let mut captions = 0usize;
    dom.walk(super::dom::DOCUMENT, |step| match step {
        Step::Enter(id) => match &dom.node(id).data {
            NodeData::Element(element) => {
                let Some(name) = element.html_name() else {
                    return false;
                };
                if never_text(name) || hidden(element) {
                    return false;
                }
                let block = is_block(name);
                let caption = is_caption(element);
                if block || caption || *name == local_name!("br") {
                    current.flush(&mut blocks, *owners.last().unwrap_or(&id));
                }
                if block {
                    owners.push(id);
                }
                captions += usize::from(caption);
                current.caption = captions > 0;
                links += usize::from(*name == local_name!("a"));
                true
            }
            NodeData::Text(text) => {
                current.push(&text.text, text.first_line, text.last_line, links > 0);
                false
            }
            NodeData::Document | NodeData::Other => false,
        },
        Step::Leave(id) => {
            if let Some(element) = dom.element(id)
                && let Some(name) = element.html_name()
                && !never_text(name)
                && !hidden(element)
            {
                let block = is_block(name);
                let caption = is_caption(element);
                if block || caption {
                    current.flush(&mut blocks, *owners.last().unwrap_or(&id));
                }
                if block {
                    owners.pop();
                }
                captions = captions.saturating_sub(usize::from(caption));
                current.caption = captions > 0;
                links = links.saturating_sub(usize::from(*name == local_name!("a")));
            }
            true
        }
    });
    current.flush(&mut blocks, *owners.last().unwrap_or(&super::dom::DOCUMENT));
    blocks
}

/// The text of the block being read.
#[derive(Default)]
struct Builder {
    text: String,
    first_line: u32,
    last_line: u32,
    chars: usize,
    link_chars: usize,
    /// A space is due before the next character.
    space: bool,
    /// The text is a picture's caption.
    caption: bool,
}

impl Builder {
    fn push(&mut self, text: &str, first_line: u32, last_line: u32, in_link: bool) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = !self.text.is_empty();
                continue;
            }
            // Soft hyphens only say where a word may break.
            if c == '\u{ad}' {
                continue;
            }
            if self.space {
                self.text.push(' ');
                self.space = false;
            }
            self.text.push(c);
            self.chars += 1;
            if in_link {
                self.link_chars += 1;
            }
        }
        if first_line != 0 {
            if self.first_line == 0 {
                self.first_line = first_line;
            }
            self.last_line = last_line;
        }
    }

    fn flush(&mut self, blocks: &mut Vec<RawBlock>, owner: NodeId) {
        let caption = self.caption;
        let built = std::mem::replace(
            self,
            Builder {
                caption,
                ..Builder::default()
            },
        );
        if built.chars > 0 {
            // Pages write `ü` as `u` and a combining mark too; the text is kept composed.
            let text =
                if built.text.is_ascii() || is_nfc_quick(built.text.chars()) == IsNormalized::Yes {
                    built.text
                } else {
                    built.text.nfc().collect()
                };
            blocks.push(RawBlock {
                owner,
                text,
                first_line: built.first_line,
                last_line: built.last_line,
                chars: built.chars,
                link_chars: built.link_chars,
                caption: built.caption,
            });
        }
    }
}

/// For each block, whether it stands in the page's furniture: inside an element the markup
/// calls navigation, a sidebar, comments and the like. Such an element that holds most of the
/// page's prose is taken for the page's body under a misleading name (a `with-sidebar`
/// layout, an `<aside>` left open).
fn furniture_of(dom: &Dom, kinds: &[Kind], blocks: &[RawBlock]) -> Vec<bool> {
    let mut prose = vec![0usize; dom.len()];
    let mut total = 0;
    for block in blocks.iter().filter(|block| block.is_prose()) {
        total += block.chars;
        for ancestor in ancestors(dom, block.owner) {
            prose[ancestor as usize] += block.chars;
        }
    }
    let is_furniture = |id: NodeId| match kinds[id as usize] {
        Kind::Plain => false,
        Kind::Furniture => prose[id as usize] * 2 <= total.max(1),
        Kind::Comments => true,
    };
    blocks
        .iter()
        .map(|block| ancestors(dom, block.owner).any(is_furniture))
        .collect()
}

/// A teaser's text is at most this many characters besides its heading: a sentence or two.
const TEASER_MAX_CHARS: usize = 300;

/// For each block, whether it is part of a teaser: a heading that links to another page, with
/// a sentence or two under it, alone in an element that it opens (a card of a "more stories"
/// list). The card is the largest element around the heading that starts with it and holds no
/// other heading. A card holding most of the page's prose is a short post under a heading that
/// links to itself, not a teaser.
fn teasers(dom: &Dom, blocks: &[RawBlock]) -> Vec<bool> {
    let mut headings = vec![0u32; dom.len()];
    let mut chars = vec![0usize; dom.len()];
    let mut prose = vec![0usize; dom.len()];
    let mut first_block = vec![usize::MAX; dom.len()];
    let mut total_prose = 0;
    for (index, block) in blocks.iter().enumerate() {
        let heading = is_heading(dom, block.owner);
        let block_prose = if block.is_prose() { block.chars } else { 0 };
        total_prose += block_prose;
        for ancestor in ancestors(dom, block.owner) {
            headings[ancestor as usize] += u32::from(heading);
            chars[ancestor as usize] += block.chars;
            prose[ancestor as usize] += block_prose;
            let first = &mut first_block[ancestor as usize];
            *first = (*first).min(index);
        }
    }
    let own_addresses = own_addresses(dom);
    // Whether each heading links to the page itself, found once per heading however many
    // blocks it holds.
    let mut titles: HashMap<NodeId, bool> = HashMap::new();
    let mut is_card = vec![false; dom.len()];
    for (index, block) in blocks.iter().enumerate() {
        if !is_heading(dom, block.owner) || block.link_share() <= LINKS_MIN_SHARE {
            continue;
        }
        if *titles
            .entry(block.owner)
            .or_insert_with(|| links_to_itself(dom, block.owner, &own_addresses))
        {
            continue;
        }
        let card = ancestors(dom, block.owner)
            .skip(1)
            .take_while(|&id| {
                headings[id as usize] == 1
                    && first_block[id as usize] == index
                    && dom
                        .element(id)
                        .and_then(|element| element.html_name())
                        .is_some_and(|name| {
                            !matches!(*name, local_name!("body") | local_name!("html"))
                        })
            })
            .last();
        if let Some(card) = card
            && chars[card as usize] - block.chars <= TEASER_MAX_CHARS
            && prose[card as usize] * 2 <= total_prose
        {
            is_card[card as usize] = true;
        }
    }
    blocks
        .iter()
        .map(|block| ancestors(dom, block.owner).any(|id| is_card[id as usize]))
        .collect()
}

/// At most this many of the page's names for itself are kept.
const OWN_ADDRESSES_MAX: usize = 4;

/// The page's own address as it names it (`<link rel="canonical">`, `og:url`), without its
/// scheme, `www.` and trailing slash.
fn own_addresses(dom: &Dom) -> Vec<String> {
    let mut addresses = Vec::new();
    for id in dom.descendants(super::dom::DOCUMENT) {
        let Some(element) = dom.element(id) else {
            continue;
        };
        let address = if element.is(&local_name!("link")) {
            element
                .attribute(&local_name!("rel"))
                .filter(|rel| {
                    rel.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                })
                .and(element.attribute(&local_name!("href")))
        } else if element.is(&local_name!("meta")) {
            element
                .attribute(&local_name!("property"))
                .filter(|property| property.trim().eq_ignore_ascii_case("og:url"))
                .and(element.attribute(&local_name!("content")))
        } else {
            None
        };
        if let Some(address) = address.map(bare_address)
            && !address.is_empty()
            && !addresses.contains(&address)
        {
            addresses.push(address);
            // A page names itself once or twice; more is noise, and costs time.
            if addresses.len() == OWN_ADDRESSES_MAX {
                break;
            }
        }
    }
    addresses
}

/// An address without its scheme, `www.`, fragment and trailing slash, so that the ways one
/// page is named compare equal.
fn bare_address(address: &str) -> String {
    let address = address.trim();
    let address = address.split('#').next().unwrap_or(address);
    let address = address
        .split_once("//")
        .filter(|(scheme, _)| scheme.is_empty() || scheme.ends_with(':'))
        .map_or(address, |(_, rest)| rest);
    let address = address.strip_prefix("www.").unwrap_or(address);
    address.trim_end_matches('/').to_ascii_lowercase()
}

/// Whether the heading's link goes to the page it is on: the title of a post, not a teaser
/// of another. A link by path alone (`/2015/leo/`) is compared with the end of the address.
fn links_to_itself(dom: &Dom, heading: NodeId, own_addresses: &[String]) -> bool {
    let Some(href) = dom
        .descendants(heading)
        .filter_map(|id| dom.element(id))
        .find(|element| element.is(&local_name!("a")))
        .and_then(|link| link.attribute(&local_name!("href")))
    else {
        return false;
    };
    let href = bare_address(href);
    !href.is_empty()
        && own_addresses.iter().any(|own| {
            *own == href
                || (href.starts_with('/') && own.find('/').is_some_and(|path| own[path..] == href))
        })
}

/// Where a block stands against the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// In the element holding the article.
    Container,
    /// In an element beside it, or beside one of the elements around it, that holds prose of
    /// its own: an article cut up by pictures and advertisements, a lede in the header.
    Beside,
}

/// The parts of the page that hold the article.
struct Parts {
    container: NodeId,
    /// For each node, the part it starts, if any.
    starts: Vec<Option<Part>>,
}

impl Parts {
    /// The part `id` is in: the innermost part around it.
    fn part_of(&self, dom: &Dom, id: NodeId) -> Option<Part> {
        ancestors(dom, id).find_map(|ancestor| self.starts[ancestor as usize])
    }
}

/// The element holding the article, and the elements beside it (or beside the elements
/// around it, up to [`PART_LEVELS`] up) that weigh more than [`PART_MIN_SHARE`] of it
/// ([`PART_AFTER_MIN_SHARE`] after it). An element beside it that weighs less is looked into:
/// a lede stands in a header with the title, the date and share buttons.
fn article_parts(dom: &Dom, blocks: &[RawBlock], furniture: &[bool]) -> Parts {
    let (container, weights) = best_container(dom, blocks, furniture);
    let weight = |id: NodeId| weights[id as usize].unwrap_or(0.0);
    let mut starts = vec![None; dom.len()];
    let before = (PART_MIN_SHARE * weight(container)).max(0.0);
    let after = (PART_AFTER_MIN_SHARE * weight(container)).max(0.0);
    // Each node is looked at once at most: the subtrees beside the chain up are disjoint.
    let mut looked_into = Vec::new();
    let mut at = container;
    for _ in 0..PART_LEVELS {
        let parent = dom.node(at).parent;
        if parent == NONE || dom.element(parent).is_none() {
            break;
        }
        let mut threshold = before;
        for child in dom.children(parent) {
            if child == at {
                threshold = after;
                continue;
            }
            looked_into.push(child);
            while let Some(id) = looked_into.pop() {
                match weights[id as usize] {
                    Some(weight) if weight > threshold => starts[id as usize] = Some(Part::Beside),
                    Some(_) => looked_into.extend(dom.children(id)),
                    None => {}
                }
            }
        }
        at = parent;
    }
    starts[container as usize] = Some(Part::Container);
    Parts { container, starts }
}

/// The element whose blocks weigh most (those named the article's body twice), and what each
/// element weighs.
fn best_container(
    dom: &Dom,
    blocks: &[RawBlock],
    furniture: &[bool],
) -> (NodeId, Vec<Option<f32>>) {
    // Only the elements holding a block are candidates.
    let mut weights: Vec<Option<f32>> = vec![None; dom.len()];
    for (block, &furniture) in blocks.iter().zip(furniture) {
        let weight = if furniture {
            -(block.chars as f32)
        } else {
            block.weight()
        };
        for ancestor in ancestors(dom, block.owner) {
            *weights[ancestor as usize].get_or_insert(0.0) += weight;
        }
    }
    // Without prose to go by, the whole page.
    let mut best = super::dom::DOCUMENT;
    let mut best_score = weights[best as usize].unwrap_or(0.0).max(0.0);
    for (id, weight) in weights.iter().enumerate() {
        let (Some(weight), Some(element)) = (*weight, dom.element(id as NodeId)) else {
            continue;
        };
        if !element.html_name().is_some_and(holds_articles) {
            continue;
        }
        let score = if weight > 0.0 && names_article_body(element) {
            weight * ARTICLE_BODY_NAME_FACTOR
        } else {
            weight
        };
        if score > best_score {
            best = id as NodeId;
            best_score = score;
        }
    }
    (best, weights)
}

/// `id` and the elements around it, innermost first.
fn ancestors(dom: &Dom, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    std::iter::successors(Some(id), |&at| {
        Some(dom.node(at).parent).filter(|&p| p != NONE)
    })
}

/// What the markup says of each element.
fn kinds(dom: &Dom) -> Vec<Kind> {
    (0..dom.len() as NodeId)
        .map(|id| match dom.element(id) {
            Some(element) if names_comments(element) => Kind::Comments,
            Some(element) if is_furniture(element) => Kind::Furniture,
            _ => Kind::Plain,
        })
        .collect()
}

fn is_heading(dom: &Dom, id: NodeId) -> bool {
    dom.element(id)
        .and_then(|element| element.html_name())
        .is_some_and(|name| {
            matches!(
                *name,
                local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6")
            )
        })
}

/// A picture's caption or credit: a `<figure>`, or an element named so by its first or last
/// word (`wp-caption`, `image-credit`, `bildunterschrift`).
fn is_caption(element: &super::dom::Element) -> bool {
    const WORDS: &[&str] = &[
        "caption",
        "credit",
        "credits",
        "copyright",
        "legend",
        "bildunterschrift",
        "bildnachweis",
        "annotation",
    ];
    element
        .html_name()
        .is_some_and(|name| matches!(*name, local_name!("figure") | local_name!("figcaption")))
        || name_tokens(element).any(|token| {
            end_words(&token)
                .into_iter()
                .flatten()
                .any(|word| WORDS.contains(&word))
        })
}

/// Elements that may hold an article: not a paragraph, a heading or a list, whose text is
/// part of one.
fn holds_articles(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("body")
            | local_name!("td")
            | local_name!("center")
            | local_name!("form")
            | local_name!("span")
            | local_name!("font")
    )
}

/// Whether the markup names the element the article's body: `itemprop="articleBody"`, or a
/// class or id that says article (post, entry, story…) and body (content, text):
/// `entry-content`, `article__body`, `storyText`.
fn names_article_body(element: &super::dom::Element) -> bool {
    const WHAT: &[&str] = &[
        "article", "post", "entry", "story", "news", "blog", "artikel", "beitrag",
    ];
    const PART: &[&str] = &["body", "content", "text", "inhalt"];
    if element
        .attribute(&local_name!("itemprop"))
        .is_some_and(|value| {
            value
                .split_whitespace()
                .any(|p| p.eq_ignore_ascii_case("articleBody"))
        })
    {
        return true;
    }
    name_tokens(element).any(|token| {
        WHAT.iter().any(|what| token.contains(what)) && PART.iter().any(|part| token.contains(part))
    })
}

/// The words of an element's class and id, lowercased.
fn name_tokens(element: &super::dom::Element) -> impl Iterator<Item = String> + '_ {
    [local_name!("class"), local_name!("id")]
        .into_iter()
        .filter_map(|name| element.attribute(&name))
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_lowercase)
}

/// Elements whose content is never text a reader sees.
fn never_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("head")
            | local_name!("script")
            | local_name!("style")
            | local_name!("template")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("canvas")
            | local_name!("button")
            | local_name!("select")
            | local_name!("option")
            | local_name!("textarea")
            | local_name!("input")
            | local_name!("label")
            | local_name!("map")
            | local_name!("audio")
            | local_name!("video")
            | local_name!("picture")
            | local_name!("dialog")
            // Ruby's readings and their fallback brackets: 子(こ)ども is 子ども to a reader.
            | local_name!("rt")
            | local_name!("rp")
    )
}

/// Whether the element is hidden from readers.
fn hidden(element: &super::dom::Element) -> bool {
    if element.attribute(&local_name!("hidden")).is_some() {
        return true;
    }
    if element
        .attribute(&local_name!("aria-hidden"))
        .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    element
        .attribute(&local_name!("style"))
        .filter(|style| style.contains("none") || style.contains("hidden"))
        .is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
}

/// Elements that start and end a block of text.
fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("nav")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("li")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("table")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("form")
            | local_name!("fieldset")
            | local_name!("address")
            | local_name!("hr")
            | local_name!("body")
            | local_name!("center")
            | local_name!("menu")
            | local_name!("details")
            | local_name!("summary")
    )
}

/// Tags and roles of page furniture.
pub fn is_furniture(element: &super::dom::Element) -> bool {
    let Some(name) = element.html_name() else {
        return false;
    };
    if matches!(
        *name,
        local_name!("nav") | local_name!("aside") | local_name!("footer") | local_name!("menu")
    ) {
        return true;
    }
    if matches!(*name, local_name!("html") | local_name!("body")) {
        return false;
    }
    if let Some(role) = element.attribute(&local_name!("role"))
        && matches!(
            role.trim().to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "search"
                | "menu"
                | "menubar"
                | "dialog"
                | "alertdialog"
                | "toolbar"
        )
    {
        return true;
    }
    name_tokens(element).any(|token| furniture_name(&token))
}

/// Class and id names of page furniture. A name says what its element is by its first or last
/// word (`comment-list`, `site-footer`; not `content-sidebar-wrap`, a wrapper of both, nor
/// `category-no-newsletter`, a label); in BEM names only the block counts (`gallery__comment`
/// is a gallery's part, `section--has-ads` a section).
fn furniture_name(token: &str) -> bool {
    const WORDS: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "menu",
        "menubar",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "comment",
        "comments",
        "disqus",
        "respond",
        "related",
        "recommended",
        "recommendations",
        "share",
        "sharing",
        "social",
        "newsletter",
        "subscribe",
        "subscription",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "banner",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "advertising",
        "sponsor",
        "sponsored",
        "promo",
        "footer",
        "masthead",
        "toolbar",
        "popup",
        "modal",
        "trending",
        "popular",
        "mostread",
        "pagination",
        "pager",
        "tags",
        "tagcloud",
        "signup",
        "login",
        "outbrain",
        "taboola",
        "byline",
        "author",
        "bio",
        "authorbox",
        "meta",
        "disclaimer",
        "donate",
        "donation",
        "cta",
        "rating",
        "ratings",
        "feedback",
        "sr",
        "screen",
    ];
    let [first, last] = end_words(token);
    // Some names glue words: `relatedposts`, `commentlist`, `sharedaddy`.
    const GLUED: &[&str] = &[
        "related",
        "comment",
        "share",
        "sidebar",
        "newsletter",
        "breadcrumb",
        "social",
        "sponsor",
        "advert",
        "footer",
        "cookie",
    ];
    let glued = |word: &str| {
        !is_commentary(word)
            && GLUED.iter().any(|glued| {
                word.len() > glued.len() && (word.starts_with(glued) || word.ends_with(glued))
            })
    };
    first.is_some_and(|word| {
        WORDS.contains(&word) || word == "widget" || word == "widgets" || glued(word)
    }) || last.is_some_and(|word| WORDS.contains(&word) || glued(word))
}

/// The first and last words of a class or id name's BEM block (`gallery` and `comment` in
/// `gallery-comment__text--big`); the last is none for a name of one word.
fn end_words(token: &str) -> [Option<&str>; 2] {
    let block = token.split("--").next().unwrap_or(token);
    let block = block.split("__").next().unwrap_or(block);
    let mut words = block
        .split(['-', '_', ':', '.'])
        .filter(|word| !word.is_empty());
    [words.next(), words.next_back()]
}

/// Class and id names of comment threads (`comment-list`, `commentlist`, `disqus_thread`).
fn comments_name(token: &str) -> bool {
    end_words(token).into_iter().flatten().any(|word| {
        matches!(word, "comments" | "disqus" | "respond")
            || (word.contains("comment") && !is_commentary(word))
    })
}

/// `commentary`, an opinion piece: an article, not a comment.
fn is_commentary(word: &str) -> bool {
    word.contains("commentary")
}

/// Whether the markup names the element a thread of readers' comments (not the page's body:
/// `<body class="showing-comments">`).
fn names_comments(element: &super::dom::Element) -> bool {
    if element
        .html_name()
        .is_none_or(|name| matches!(*name, local_name!("html") | local_name!("body")))
    {
        return false;
    }
    name_tokens(element).any(|token| comments_name(&token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &str) -> Vec<String> {
        main_text(&Dom::parse(page))
            .blocks
            .into_iter()
            .map(|block| block.text)
            .collect()
    }

    const STORY: &str = "The council voted on Tuesday to close the old bridge to cars, after engineers \
                         found cracks in two of its piers.";

    #[test]
    fn a_story_in_a_div_beats_teaser_articles() {
        let page = format!(
            "<html><body><nav><a href=/>Home</a><a href=/w>World</a></nav>\
             <div class=main-story><h1>Bridge closed</h1><p>{STORY}</p><p>{STORY} Again.</p></div>\
             <article class=card><a href=/x>Other story of the day</a><p>Short teaser.</p></article>\
             <article class=card><a href=/y>Yet another story</a><p>Teaser two.</p></article>\
             </body></html>"
        );
        let texts = texts(&page);
        assert!(texts.iter().any(|t| t == STORY), "{texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("teaser") || t.contains("Home")),
            "{texts:?}"
        );
    }

    /// A paragraph of prose, numbered to tell them apart.
    fn prose(n: usize) -> String {
        format!(
            "Paragraph {n} says that the river rose by two metres overnight, and that the \
             town's volunteers worked until dawn to fill sandbags along the old quay."
        )
    }

    #[test]
    fn comments_sidebars_and_share_bars_are_left_out_even_when_they_are_prose() {
        let comment = "I have lived by this river for forty years and never seen it so high, \
                       thank you for this report and for the photographs of the quay.";
        let page = format!(
            "<body><header><a href=/>Home</a> <a href=/news>News</a></header>\
             <article class='post category-news'><h1>Flood</h1>\
             <div class=entry-content><p>{}</p><h2>The night</h2><p>{}</p>\
             <ul><li>Sandbags: 4,000</li><li>Volunteers: 300</li></ul>\
             <blockquote>{}</blockquote></div>\
             <div class=sharedaddy><h3>Share this:</h3><a href=/f>Facebook</a> <a href=/t>X</a></div>\
             <div id=jp-relatedposts><h3>Related</h3><a href=/r>Another flood story</a></div>\
             </article>\
             <div id=comments class=comments-area><ol class=comment-list>\
             <li>{comment}</li><li>{comment} Twice.</li></ol></div>\
             <aside id=secondary class=widget-area><p>{comment} About me.</p></aside>\
             <footer>Imprint</footer></body>",
            prose(1),
            prose(2),
            prose(3)
        );
        let texts = texts(&page);
        for wanted in [
            prose(1),
            prose(2),
            prose(3),
            "The night".into(),
            "Sandbags: 4,000".into(),
        ] {
            assert!(texts.contains(&wanted), "{wanted} not in {texts:?}");
        }
        let all = texts.join("\n");
        for furniture in [
            "forty years",
            "Share this",
            "Related",
            "Facebook",
            "Imprint",
            "Home",
        ] {
            assert!(!all.contains(furniture), "{furniture} in {all}");
        }
    }

    #[test]
    fn a_lede_beside_the_body_and_paragraphs_cut_up_by_advertisements_stay() {
        let page = format!(
            "<body><nav><a href=/>Home</a></nav><article><header><h1>Flood</h1>\
             <p class=lede>{}</p><span class=date>3 May 2021</span></header>\
             <div class=body><p>{}</p><p>{}</p></div>\
             <div class=ad-slot>Advertisement</div>\
             <div class=body><p>{}</p></div></article>\
             <div class=teasers><div><a href=/a>Other story</a></div></div></body>",
            prose(1),
            prose(2),
            prose(3),
            prose(4)
        );
        let texts = texts(&page);
        for n in 1..=4 {
            assert!(texts.contains(&prose(n)), "{n} not in {texts:?}");
        }
        // The date stays here: the article's own rules read it as its dateline.
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("Advertisement") || t.contains("Other"))
        );
    }

    #[test]
    fn a_lede_in_a_header_of_little_weight_stays_and_a_notice_after_the_story_goes() {
        // The header weighs less than nothing (its menu, title and share links), the lede in it
        // a lot; the notice after the story is prose that weighs little beside it.
        let share: String = [
            "Facebook",
            "Twitter",
            "LinkedIn",
            "WhatsApp",
            "Telegram",
            "Reddit",
            "Pinterest",
            "E-mail",
            "Flipboard",
            "Mastodon",
        ]
        .map(|name| format!("<a href=/share/{name}>Share on {name}</a> "))
        .concat();
        let menu: String = [
            "World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion", "Travel",
            "Weather",
        ]
        .map(|name| format!("<li><a href=/{name}>{name}</a></li>"))
        .concat();
        let notice = "This article is the copyrighted property of the Daily Planet and may not \
                      be republished.";
        let page = format!(
            "<body><div class=page><header><ul class=menu>{menu}</ul>\
             <h1>Flood</h1><p class=standfirst>{}</p><div class=tools>{share}</div></header>\
             <div class=story><p>{}</p><p>{}</p><p>{}</p><p>{}</p></div>\
             <div class=legal><p>{notice}</p></div></div></body>",
            prose(1),
            prose(2),
            prose(3),
            prose(4),
            prose(5)
        );
        let texts = texts(&page);
        for n in 1..=5 {
            assert!(texts.contains(&prose(n)), "{n} not in {texts:?}");
        }
        assert!(
            !texts.iter().any(|t| t.contains("copyrighted")),
            "{texts:?}"
        );
    }

    #[test]
    fn a_navigation_left_open_does_not_hide_the_page() {
        // An `<aside>` or `<nav>` never closed holds the rest of the page: it is furniture only
        // while it does not hold most of the page's prose.
        let page = format!(
            "<body><aside>Most read: <a href=/a>A</a> <a href=/b>B</a>\
             <div><p>{}</p><p>{}</p><p>{}</p></div></body>",
            prose(1),
            prose(2),
            prose(3)
        );
        assert_eq!(texts(&page)[..3], [prose(1), prose(2), prose(3)]);
    }

    #[test]
    fn captions_that_say_something_stay_and_credits_go() {
        let said = "Volunteers fill sandbags on the quay as the river rises past the old mark.";
        let page = format!(
            "<body><div><p>{}</p><figure><img src=a.jpg><figcaption>{said}</figcaption></figure>\
             <figure><img src=b.jpg><figcaption>Photo: Ann Lee/Reuters</figcaption></figure>\
             <figure><figcaption>The quay</figcaption></figure><p>{}</p></div></body>",
            prose(1),
            prose(2)
        );
        assert_eq!(texts(&page), [prose(1), said.to_string(), prose(2)]);
    }

    #[test]
    fn captions_and_credits_known_by_their_names_are_captions() {
        let page = format!(
            "<body><div><p>{}</p><div class=wp-caption><img src=a.jpg>\
             <p class=credit>Bild: Jahr Media</p></div>\
             <p>{} <span class=\"image-credit\">Getty</span></p>\
             <a class=\"slide caption\" href=/x>More</a><p>{}</p></div></body>",
            prose(1),
            prose(2),
            prose(3)
        );
        // The caption's link closes with it: the paragraph after it is no link.
        assert_eq!(texts(&page), [prose(1), prose(2), prose(3)]);
    }

    #[test]
    fn what_a_page_shows_without_scripts_is_text() {
        let page = format!(
            "<body><div><script type=text/template><p>{}</p></script>\
             <noscript><p>{}</p></noscript></div></body>",
            prose(1),
            prose(2)
        );
        assert_eq!(texts(&page), [prose(2)]);
    }

    #[test]
    fn labels_of_what_is_left_out_go_with_it() {
        let page = format!(
            "<body><div><p>{}</p><p>{}</p><h3>Read more</h3><ul><li><a href=/a>One story</a></li>\
             <li><a href=/b>Another story</a></li></ul><p>{}</p><h4>Was this helpful?</h4>\
             </div></body>",
            prose(1),
            prose(2),
            prose(3)
        );
        assert_eq!(texts(&page), [prose(1), prose(2), prose(3)]);
    }

    #[test]
    fn short_blocks_with_figures_are_data_not_labels() {
        // A recipe's quantities, a dividend's dates: kept at the end and before the footer.
        let page = format!(
            "<body><article><p>{}</p><p>6 eggs</p><p>Payable March 31</p></article>\
             <footer><a href=/about>About us</a></footer></body>",
            prose(1)
        );
        assert_eq!(
            texts(&page),
            [prose(1), "6 eggs".into(), "Payable March 31".into()]
        );
    }

    #[test]
    fn hidden_elements_are_not_text() {
        let page = format!(
            "<body><div><p>{}</p><p hidden>Hidden one</p><div style='display: none'>Hidden two\
             </div><span aria-hidden=true>Hidden three</span><p>{}</p></div></body>",
            prose(1),
            prose(2)
        );
        assert_eq!(texts(&page), [prose(1), prose(2)]);
    }

    #[test]
    fn a_thread_of_comments_longer_than_the_article_is_left_out() {
        let comment = "I have lived by this river for forty years and never seen it so high, \
                       thank you for this report and for the photographs of the quay.";
        let thread: String = (0..20)
            .map(|i| format!("<li>{comment} ({i})</li>"))
            .collect();
        // `commentary` names an opinion piece, and `showing-comments` the body: no thread.
        let page = format!(
            "<body class='single showing-comments'><div class='commentary-article'>\
             <p>{}</p><p>{}</p></div>\
             <div class=comments-wrapper><ol class=commentlist>{thread}</ol></div></body>",
            prose(1),
            prose(2)
        );
        assert_eq!(texts(&page), [prose(1), prose(2)]);
    }

    #[test]
    fn teaser_cards_go_and_a_short_post_under_a_linked_title_stays() {
        let teaser = "The council approved the increase after a debate that lasted well past \
                      midnight.";
        let cards: String = ["tolls", "lighthouse"]
            .map(|name| {
                format!(
                    "<div class=card><h3><a href=/{name}>Story on {name}</a></h3><p>{teaser}</p></div>"
                )
            })
            .concat();
        // The cards and the story in one element: teasers weigh against it, not for it.
        let page = format!(
            "<main><div class=story><p>{}</p><p>{}</p></div><h2>More</h2>{cards}</main>",
            prose(1),
            prose(2)
        );
        assert_eq!(texts(&page), [prose(1), prose(2)]);
        let post = format!(
            "<div class=post><h2><a href=/post>Number two</a></h2><p>{}</p></div>",
            prose(1)
        );
        assert_eq!(texts(&post), [prose(1)]);
        // A short post beside a sidebar of prose: its title links to the page itself.
        let sidebar = format!("<div id=extra><p>{}</p><p>{}</p></div>", prose(8), prose(9));
        for own in [
            "<link rel=canonical href='https://www.example.org/leo/'>",
            "<meta property=og:url content='http://example.org/leo'>",
        ] {
            let post = format!(
                "<head>{own}</head><body><div class=post>\
                 <h2><a href='http://example.org/leo/#top'>Number two</a></h2>\
                 <p>{}</p></div>{sidebar}</body>",
                prose(1)
            );
            assert!(texts(&post).contains(&prose(1)), "{own}");
        }
        let elsewhere = format!(
            "<head><link rel=canonical href=https://example.org/leo/></head><body>\
             <div class=post><h2><a href=/tom/>Number one</a></h2><p>{}</p></div>{sidebar}</body>",
            prose(1)
        );
        assert!(!texts(&elsewhere).contains(&prose(1)));
    }

    #[test]
    fn addresses_compare_without_scheme_www_fragment_or_slash() {
        assert_eq!(
            bare_address(" https://www.Example.org/a/b/#x"),
            "example.org/a/b"
        );
        assert_eq!(bare_address("//example.org/a"), "example.org/a");
        assert_eq!(bare_address("/a/b/"), "/a/b");
    }

    #[test]
    fn ruby_readings_are_no_text() {
        let page = "<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもの<ruby>法律<rt>ほうりつ</rt></ruby></p>";
        assert_eq!(texts(page), ["子どもの法律"]);
    }

    #[test]
    fn text_is_composed_and_soft_hyphens_go() {
        let page = "<p>Gepru\u{308}ft: Werk\u{ad}zeug</p>";
        assert_eq!(texts(page), ["Geprüft: Werkzeug"]);
    }

    #[test]
    fn the_article_body_of_json_ld_replaces_a_page_that_shows_little() {
        let body = super::super::metadata::ArticleBody {
            text: format!("{}\n\n{}", prose(1), prose(2)),
            first_line: 3,
            last_line: 5,
        };
        let mut shell = main_text(&Dom::parse("<body><div id=root>Loading…</div></body>"));
        shell.prefer_article_body(&body);
        let blocks: Vec<(String, u32, u32)> = shell
            .blocks
            .into_iter()
            .map(|block| (block.text, block.first_line, block.last_line))
            .collect();
        assert_eq!(blocks, [(prose(1), 3, 5), (prose(2), 3, 5)]);
        let page = format!(
            "<body><div><p>{}</p><p>{}</p></div></body>",
            prose(1),
            prose(2)
        );
        let mut found = main_text(&Dom::parse(&page));
        found.prefer_article_body(&body);
        assert_eq!(found.blocks[0].first_line, 1, "the page's own text is kept");
        let markup = super::super::metadata::ArticleBody {
            text: format!("<p>{}</p><p>{}</p>", prose(1), prose(2)),
            ..body
        };
        let mut shell = main_text(&Dom::parse("<body></body>"));
        shell.prefer_article_body(&markup);
        assert_eq!(shell.blocks.len(), 2);
    }

    #[test]
    fn furniture_names_by_their_first_or_last_word() {
        for name in [
            "comment-list",
            "comments",
            "site-footer",
            "jp-relatedposts",
            "sharedaddy",
            "nav__item",
            "widget-area",
            "ad",
        ] {
            assert!(furniture_name(name), "{name}");
        }
        for name in [
            "content-sidebar-wrap",
            "category-no-newsletter-rss",
            "section--has-ads",
            "gallery__comment",
            "elementor-widget-wrap",
            "header",
            "shadow",
        ] {
            assert!(!furniture_name(name), "{name}");
        }
    }
}
