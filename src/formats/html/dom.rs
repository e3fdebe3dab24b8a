//! The page as a tree, built by html5ever's tree builder (the HTML standard's parsing, as a
//! browser does it: unclosed and misnested tags end where a browser ends them), into one
//! arena of nodes. Each text node knows the source lines of its first and last characters.
//!
//! Pages are untrusted. Between the tokenizer and the tree builder a gate keeps the tree
//! within [`MAX_DEPTH`] and [`MAX_ELEMENTS`]: the tree builder searches its stack of open
//! elements for many tags, so nesting without bound would make it quadratic, and every element
//! costs memory. Tags past either limit are left out; their text is kept, in the element
//! that is open.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use foldhash::{HashMap, HashMapExt};

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, Namespace, QualName, TokenizerResult, local_name, ns};

/// Elements nested deeper than this are left out (their text stays). Browsers stop nesting at
/// 512; the pages of the extraction benchmark nest at most 60 deep.
pub const MAX_DEPTH: usize = 256;

/// Elements past this many in one page are left out (their text stays): a large real page
/// has tens of thousands.
pub const MAX_ELEMENTS: usize = 400_000;

/// The attributes kept: those the reading of a page looks at. The others only cost memory.
const KEPT_ATTRIBUTES: &[LocalName] = &[
    local_name!("class"),
    local_name!("id"),
    local_name!("role"),
    local_name!("itemprop"),
    local_name!("itemtype"),
    local_name!("rel"),
    local_name!("href"),
    local_name!("datetime"),
    local_name!("content"),
    local_name!("property"),
    local_name!("name"),
    local_name!("type"),
    local_name!("hidden"),
    local_name!("aria-hidden"),
    local_name!("style"),
];

pub type NodeId = u32;

/// No node: the parent of the document, the sibling of a first or last child.
pub const NONE: NodeId = u32::MAX;

/// The document node: the root of the tree.
pub const DOCUMENT: NodeId = 0;

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub previous: NodeId,
    pub next: NodeId,
    pub data: NodeData,
}

#[derive(Debug)]
pub enum NodeData {
    /// The document, or a template's contents (never part of the document's tree).
    Document,
    Element(Element),
    Text(Text),
    /// Comments, processing instructions: nothing a reader sees.
    Other,
}

#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    attributes: Vec<Attribute>,
}

impl Element {
    /// The element's name if it is an HTML element (not SVG or MathML).
    pub fn html_name(&self) -> Option<&LocalName> {
        (self.name.ns == ns!(html)).then_some(&self.name.local)
    }

    pub fn is(&self, name: &LocalName) -> bool {
        self.html_name() == Some(name)
    }

    /// The value of an attribute this tree keeps (see [`KEPT_ATTRIBUTES`]).
    pub fn attribute(&self, name: &LocalName) -> Option<&str> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name.local == *name)
            .map(|attribute| &*attribute.value)
    }
}

#[derive(Debug)]
pub struct Text {
    pub text: StrTendril,
    /// The lines of the first and last characters that are not white space (0 while there
    /// are none).
    pub first_line: u32,
    pub last_line: u32,
}

/// A parsed page.
pub struct Dom {
    nodes: Vec<Node>,
}

impl Dom {
    /// Parses a page.
    pub fn parse(page: &str) -> Dom {
        let builder = TreeBuilder::new(
            Sink::default(),
            TreeBuilderOpts {
                scripting_enabled: false,
                ..TreeBuilderOpts::default()
            },
        );
        let gate = Gate {
            builder,
            left_out: RefCell::new(HashMap::new()),
            swallowing: RefCell::new(None),
        };
        let tokenizer = Tokenizer::new(gate, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(page));
        // The tokenizer pauses after each script, for it to run, and at a `<meta charset>`, for
        // the page to be decoded again: neither is done here.
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        tokenizer.end();
        let nodes = tokenizer.sink.builder.sink.nodes.into_inner();
        Dom { nodes }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            NodeData::Element(element) => Some(element),
            _ => None,
        }
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.node(id).first_child,
        }
    }

    /// The nodes under `id` (not `id` itself), in document order, without recursion: a page may
    /// nest thousands deep.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.node(id).first_child,
        }
    }

    /// The node after `id` in document order, not entering `id`'s children, within `root`.
    pub fn next_skipping_children(&self, id: NodeId, root: NodeId) -> NodeId {
        let mut at = id;
        while at != root && at != NONE {
            let node = self.node(at);
            if node.next != NONE {
                return node.next;
            }
            at = node.parent;
        }
        NONE
    }
}

/// A step of [`Dom::walk`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Enter(NodeId),
    Leave(NodeId),
}

impl Dom {
    /// Walks the nodes under `root` in document order without recursion, entering each and
    /// leaving it after its children. `visit` says on entering whether to go into the node's
    /// children (what it answers on leaving is not asked).
    pub fn walk(&self, root: NodeId, mut visit: impl FnMut(Step) -> bool) {
        let mut at = self.node(root).first_child;
        while at != NONE {
            let node = self.node(at);
            if visit(Step::Enter(at)) && node.first_child != NONE {
                at = node.first_child;
                continue;
            }
            loop {
                visit(Step::Leave(at));
                let node = self.node(at);
                if node.next != NONE {
                    at = node.next;
                    break;
                }
                at = node.parent;
                if at == root || at == NONE {
                    return;
                }
            }
        }
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let at = self.next;
        if at == NONE {
            return None;
        }
        self.next = self.dom.node(at).next;
        Some(at)
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let at = self.next;
        if at == NONE {
            return None;
        }
        let node = self.dom.node(at);
        self.next = if node.first_child != NONE {
            node.first_child
        } else {
            self.dom.next_skipping_children(at, self.root)
        };
        Some(at)
    }
}

/// Between the tokenizer and the tree builder: leaves out the tags past the limits.
struct Gate {
    builder: TreeBuilder<NodeId, Sink>,
    /// How many start tags of each name were left out, each waiting for its end tag.
    left_out: RefCell<HashMap<LocalName, usize>>,
    /// The raw-text element (a script) left out whose content is being read, if any.
    swallowing: RefCell<Option<LocalName>>,
}

impl TokenSink for Gate {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        let mut swallowing = self.swallowing.borrow_mut();
        if let Some(raw) = swallowing.as_ref() {
            // The content of a script left out is not text.
            match &token {
                Token::TagToken(tag) if tag.kind == TagKind::EndTag && tag.name == *raw => {
                    *swallowing = None;
                }
                Token::EOFToken => *swallowing = None,
                _ => return TokenSinkResult::Continue,
            }
            if !matches!(token, Token::EOFToken) {
                return TokenSinkResult::Continue;
            }
        }
        if let Token::TagToken(tag) = &token {
            let sink = &self.builder.sink;
            let mut left_out = self.left_out.borrow_mut();
            match tag.kind {
                TagKind::StartTag => {
                    let full = sink.depth.get() >= MAX_DEPTH || sink.elements.get() >= MAX_ELEMENTS;
                    if full && !tag.self_closing {
                        if let Some(kind) = raw_kind(&tag.name) {
                            *swallowing = Some(tag.name.clone());
                            return TokenSinkResult::RawData(kind);
                        }
                        if !is_void(&tag.name) {
                            *left_out.entry(tag.name.clone()).or_default() += 1;
                        }
                        return TokenSinkResult::Continue;
                    }
                }
                TagKind::EndTag => {
                    if let Some(count) = left_out.get_mut(&tag.name) {
                        *count -= 1;
                        if *count == 0 {
                            left_out.remove(&tag.name);
                        }
                        return TokenSinkResult::Continue;
                    }
                }
            }
        }
        drop(swallowing);
        self.builder.process_token(token, line)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Elements without content, that never wait for an end tag.
fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

/// How the tokenizer reads the content of an element whose content is text, not tags (what the
/// tree builder would tell it).
fn raw_kind(name: &LocalName) -> Option<RawKind> {
    match *name {
        local_name!("script") => Some(RawKind::ScriptData),
        local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes") => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// Builds the arena as the tree builder says.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// The line the tokenizer is at.
    line: Cell<u32>,
    /// How deep the last node inserted is: the tree builder's stack of open elements is about
    /// as deep.
    depth: Cell<usize>,
    elements: Cell<usize>,
    /// Each node's depth, known once it is inserted.
    depths: RefCell<Vec<u32>>,
}

impl Default for Sink {
    fn default() -> Sink {
        Sink {
            nodes: RefCell::new(vec![new_node(NodeData::Document)]),
            line: Cell::new(1),
            depth: Cell::new(0),
            elements: Cell::new(0),
            depths: RefCell::new(vec![0]),
        }
    }
}

fn new_node(data: NodeData) -> Node {
    Node {
        parent: NONE,
        first_child: NONE,
        last_child: NONE,
        previous: NONE,
        next: NONE,
        data,
    }
}

/// What the tree builder asks of an element's name: a copy (names are interned atoms).
#[derive(Debug)]
pub struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn add(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        let id = nodes.len() as NodeId;
        nodes.push(new_node(data));
        self.depths.borrow_mut().push(0);
        id
    }

    fn text_node(&self, text: StrTendril) -> NodeId {
        let (first_line, last_line) = self.lines_of(&text);
        self.add(NodeData::Text(Text {
            text,
            first_line,
            last_line,
        }))
    }

    /// The lines of the first and last characters of `text` that are not white space (0, 0 for
    /// none). The tokenizer is at the line where `text` ends.
    fn lines_of(&self, text: &str) -> (u32, u32) {
        let line = self.line.get();
        let Some(first) = text.find(|c: char| !c.is_whitespace()) else {
            return (0, 0);
        };
        let last = text.rfind(|c: char| !c.is_whitespace()).unwrap_or(first);
        let before = |at: usize| line.saturating_sub(newlines(&text[at..]));
        (before(first), before(last))
    }

    /// Appends `text` to the text node `id`.
    fn extend_text(&self, id: NodeId, text: &StrTendril) {
        let (first_line, last_line) = self.lines_of(text);
        if let NodeData::Text(node) = &mut self.nodes.borrow_mut()[id as usize].data {
            node.text.push_tendril(text);
            if first_line != 0 {
                if node.first_line == 0 {
                    node.first_line = first_line;
                }
                node.last_line = last_line;
            }
        }
    }

    fn is_text(&self, id: NodeId) -> bool {
        id != NONE && matches!(self.nodes.borrow()[id as usize].data, NodeData::Text(_))
    }

    /// Links `child` (detached) into `parent`'s children before `before` (or last).
    fn link(&self, parent: NodeId, child: NodeId, before: NodeId) {
        {
            let mut nodes = self.nodes.borrow_mut();
            let previous = if before == NONE {
                nodes[parent as usize].last_child
            } else {
                nodes[before as usize].previous
            };
            let node = &mut nodes[child as usize];
            node.parent = parent;
            node.previous = previous;
            node.next = before;
            if previous == NONE {
                nodes[parent as usize].first_child = child;
            } else {
                nodes[previous as usize].next = child;
            }
            if before == NONE {
                nodes[parent as usize].last_child = child;
            } else {
                nodes[before as usize].previous = child;
            }
        }
        let mut depths = self.depths.borrow_mut();
        let depth = depths[parent as usize] + 1;
        depths[child as usize] = depth;
        self.depth.set(depth as usize);
    }

    fn unlink(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let Node {
            parent,
            previous,
            next,
            ..
        } = nodes[id as usize];
        if parent == NONE {
            return;
        }
        if previous == NONE {
            nodes[parent as usize].first_child = next;
        } else {
            nodes[previous as usize].next = next;
        }
        if next == NONE {
            nodes[parent as usize].last_child = previous;
        } else {
            nodes[next as usize].previous = previous;
        }
        let node = &mut nodes[id as usize];
        node.parent = NONE;
        node.previous = NONE;
        node.next = NONE;
    }

    fn insert(&self, parent: NodeId, child: NodeOrText<NodeId>, before: NodeId) {
        let previous = if before == NONE {
            self.nodes.borrow()[parent as usize].last_child
        } else {
            self.nodes.borrow()[before as usize].previous
        };
        match child {
            NodeOrText::AppendText(text) if self.is_text(previous) => {
                self.extend_text(previous, &text);
            }
            NodeOrText::AppendText(text) => {
                let id = self.text_node(text);
                self.link(parent, id, before);
            }
            NodeOrText::AppendNode(id) => {
                self.unlink(id);
                self.link(parent, id, before);
            }
        }
    }
}

/// Line feeds in `text`: the tokenizer counts lines by them (it has made every `\r\n` and
/// `\r` one).
fn newlines(text: &str) -> u32 {
    u32::try_from(text.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX)
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Sink;
    type ElemName<'a> = Name;

    fn finish(self) -> Sink {
        self
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name(&self, target: &NodeId) -> Name {
        match &self.nodes.borrow()[*target as usize].data {
            NodeData::Element(element) => Name(element.name.clone()),
            // The tree builder asks only of elements.
            _ => Name(QualName::new(None, ns!(), local_name!(""))),
        }
    }

    fn create_element(
        &self,
        name: QualName,
        mut attributes: Vec<Attribute>,
        flags: ElementFlags,
    ) -> NodeId {
        attributes.retain(|attribute| {
            attribute.name.ns == ns!() && KEPT_ATTRIBUTES.contains(&attribute.name.local)
        });
        attributes.shrink_to_fit();
        self.elements.set(self.elements.get() + 1);
        let id = self.add(NodeData::Element(Element { name, attributes }));
        if flags.template {
            // Its contents: a fragment of their own, outside the document.
            self.add(NodeData::Document);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.add(NodeData::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.add(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, child, NONE);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        previous_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let parent = self.nodes.borrow()[*element as usize].parent;
        if parent == NONE {
            self.insert(*previous_element, child, NONE);
        } else {
            self.insert(parent, child, *element);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Made right after the template (see `create_element`).
        target + 1
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, child: NodeOrText<NodeId>) {
        let parent = self.nodes.borrow()[*sibling as usize].parent;
        if parent != NONE {
            self.insert(parent, child, *sibling);
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attributes: Vec<Attribute>) {
        if let NodeData::Element(element) = &mut self.nodes.borrow_mut()[*target as usize].data {
            for attribute in attributes {
                let kept =
                    attribute.name.ns == ns!() && KEPT_ATTRIBUTES.contains(&attribute.name.local);
                let missing = !element
                    .attributes
                    .iter()
                    .any(|present| present.name == attribute.name);
                if kept && missing {
                    element.attributes.push(attribute);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.unlink(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        loop {
            let child = self.nodes.borrow()[*node as usize].first_child;
            if child == NONE {
                break;
            }
            self.unlink(child);
            self.link(*new_parent, child, NONE);
            // A child's own children keep their depths: close enough for a limit.
        }
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(u32::try_from(line).unwrap_or(u32::MAX));
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// The text nodes under the document, with their lines.
    fn texts(dom: &Dom) -> Vec<(String, u32, u32)> {
        dom.descendants(DOCUMENT)
            .filter_map(|id| match &dom.node(id).data {
                NodeData::Text(text) if text.first_line != 0 => Some((
                    text.text.split_whitespace().collect::<Vec<_>>().join(" "),
                    text.first_line,
                    text.last_line,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn text_keeps_the_lines_of_its_first_and_last_characters() {
        let dom = Dom::parse("<p>\n  one\ntwo &amp;\nthree\n</p>\n<p>four</p>");
        assert_eq!(
            texts(&dom),
            [("one two & three".into(), 2, 4), ("four".into(), 6, 6)]
        );
    }

    #[test]
    fn scripts_and_a_charset_do_not_stop_the_parse() {
        // The tokenizer pauses at each; a parse that stopped there would lose the page.
        let dom = Dom::parse(
            "<head><meta charset=iso-8859-1><script>var a = '<p>';</script></head>\
             <body><p>Kept</p><script>x()</script><p>Also kept</p></body>",
        );
        let all: Vec<String> = texts(&dom).into_iter().map(|(text, ..)| text).collect();
        assert_eq!(all, ["var a = '<p>';", "Kept", "x()", "Also kept"]);
    }

    #[test]
    fn a_template_s_contents_are_not_in_the_document() {
        let dom = Dom::parse("<p>Seen</p><template><p>Unseen</p></template>");
        let all: Vec<String> = texts(&dom).into_iter().map(|(text, ..)| text).collect();
        assert_eq!(all, ["Seen"]);
    }

    #[test]
    fn misnested_tags_end_where_a_browser_ends_them() {
        let dom = Dom::parse("<div><aside>Most read</div><p>Story</p>");
        let story = dom
            .descendants(DOCUMENT)
            .find(|&id| dom.element(id).is_some_and(|e| e.is(&local_name!("p"))))
            .and_then(|id| dom.element(dom.node(id).parent))
            .map(|parent| parent.name.local.to_string());
        assert_eq!(story.as_deref(), Some("body"));
    }

    #[test]
    fn deep_nesting_and_many_elements_stay_linear_and_keep_their_text() {
        // Without the gate, the first two take minutes (the tree builder searches its stack of
        // open elements for each tag).
        let cases = [
            "<div>x".repeat(100_000),
            (0..100_000).map(|i| format!("<b id={i}>x")).collect(),
            "<font><center>x</font>".repeat(100_000),
            "<p>x".repeat(MAX_ELEMENTS + 10_000),
            format!("{}{}", "<div>x".repeat(50_000), "</div>y".repeat(50_000)),
        ];
        for page in cases {
            let started = Instant::now();
            let dom = Dom::parse(&page);
            let took = started.elapsed();
            assert!(took < Duration::from_secs(20), "{took:?}");
            let kept: usize = texts(&dom)
                .iter()
                .map(|(text, ..)| text.matches(['x', 'y']).count())
                .sum();
            let written = page.matches(['x', 'y']).count();
            assert_eq!(kept, written, "{}", &page[..40]);
        }
    }

    #[test]
    fn scripts_past_the_limits_stay_code() {
        let page = format!(
            "{}<script>if (a < b) {{ document.write('<p>no') }}</script><p>end",
            "<div>".repeat(MAX_DEPTH + 10)
        );
        let dom = Dom::parse(&page);
        let all: Vec<String> = texts(&dom).into_iter().map(|(text, ..)| text).collect();
        assert_eq!(all, ["end"]);
    }
}
