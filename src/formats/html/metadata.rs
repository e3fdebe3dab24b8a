//! A page's metadata, in this order of trust: JSON-LD, Open Graph and `article:*` meta tags,
//! Dublin Core and `citation_*` meta tags, the article's header (`<time>`, `datePublished`,
//! the byline), then `<title>` without the site's name. A publication date, never a
//! modification date, nor a date of a related story or a comment.

use html5ever::local_name;
use serde_json::Value;

use super::content;
use super::dom::{DOCUMENT, Dom, NONE, NodeData, NodeId};
use crate::article::metadata::{DateOrigin, Metadata, date_at_start};

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ScholarlyArticle",
    "Report",
    "TechArticle",
    "LiveBlogPosting",
];

/// A JSON-LD block longer than this is left unread: a parsed JSON document takes tens of times
/// its size in memory, and the metadata of real pages takes a few kilobytes (even with the
/// whole article inside).
pub const JSON_LD_MAX_BYTES: usize = 512 * 1024;

/// A byline longer than this is not a byline.
const BYLINE_MAX_CHARS: usize = 120;

/// The nodes of a byline block looked through for a name marked as the author's: a byline is
/// small, and a page of nested bylines must not be read once per byline.
const BYLINE_MAX_NODES: usize = 64;

/// What the page says of itself, gathered in one walk.
#[derive(Default)]
pub struct Facts {
    /// `<meta>` tags' `property` or `name` (lowercase), and content.
    meta: Vec<(String, String)>,
    title_tag: Option<String>,
    /// Each JSON-LD block with the lines of its script.
    json_ld: Vec<(Value, u32, u32)>,
}

/// The text of a JSON-LD `articleBody`, with the lines of the script holding it.
pub struct ArticleBody {
    pub text: String,
    pub first_line: u32,
    pub last_line: u32,
}

impl Facts {
    pub fn gather(dom: &Dom) -> Facts {
        let mut facts = Facts::default();
        for id in dom.descendants(DOCUMENT) {
            let Some(element) = dom.element(id) else {
                continue;
            };
            let Some(name) = element.html_name() else {
                continue;
            };
            match *name {
                local_name!("meta") => {
                    let key = element
                        .attribute(&local_name!("property"))
                        .or_else(|| element.attribute(&local_name!("name")));
                    if let (Some(key), Some(content)) =
                        (key, element.attribute(&local_name!("content")))
                    {
                        facts
                            .meta
                            .push((key.trim().to_ascii_lowercase(), content.trim().to_string()));
                    }
                }
                local_name!("title") if facts.title_tag.is_none() => {
                    facts.title_tag = Some(collapsed(&raw_text(dom, id)));
                }
                local_name!("script") => {
                    let json_ld = element.attribute(&local_name!("type")).is_some_and(|kind| {
                        kind.trim().eq_ignore_ascii_case("application/ld+json")
                    });
                    let text = if json_ld {
                        raw_text(dom, id)
                    } else {
                        String::new()
                    };
                    if json_ld
                        && text.len() <= JSON_LD_MAX_BYTES
                        && let Ok(value) = serde_json::from_str(&text)
                    {
                        let (first, last) = text_lines(dom, id);
                        facts.json_ld.push((value, first, last));
                    }
                }
                _ => {}
            }
        }
        facts
    }

    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.meta
                .iter()
                .find(|(name, content)| name == key && !content.is_empty())
                .map(|(_, content)| content.clone())
        })
    }

    /// All the values of one key, joined: `citation_author` comes once per author.
    fn meta_all(&self, key: &str) -> Option<String> {
        let values: Vec<&str> = self
            .meta
            .iter()
            .filter(|(name, content)| name == key && !content.is_empty())
            .map(|(_, content)| content.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    fn article(&self) -> Option<&Value> {
        self.json_ld
            .iter()
            .find_map(|(value, _, _)| article_object(value))
    }

    /// The `articleBody` of the page's JSON-LD article, if it has one.
    pub fn article_body(&self) -> Option<ArticleBody> {
        self.json_ld
            .iter()
            .find_map(|(value, first_line, last_line)| {
                let text = article_object(value)?.get("articleBody")?.as_str()?;
                Some(ArticleBody {
                    text: text.to_string(),
                    first_line: *first_line,
                    last_line: *last_line,
                })
            })
    }

    /// The page's metadata; `container` is the element holding the article.
    pub fn metadata(&self, dom: &Dom, container: NodeId) -> Metadata {
        let from_json_ld = self
            .article()
            .map(|article| {
                let mut found = Metadata::from_fields(article, DateOrigin::Html);
                if found.date.is_none() {
                    let created = article.get("dateCreated").and_then(Value::as_str);
                    found = found.with_date(created.and_then(date_at_start), DateOrigin::Html);
                }
                found
            })
            .unwrap_or_default();
        let date = |keys: &[&str]| {
            keys.iter()
                .filter_map(|key| self.meta(&[key]))
                .find_map(|value| date_at_start(&value))
        };
        let from_open_graph = Metadata {
            title: self.meta(&["og:title", "twitter:title"]),
            source: self.meta(&["og:site_name", "application-name"]),
            author: self
                .meta(&[
                    "author",
                    "article:author",
                    "byl",
                    "parsely-author",
                    "sailthru.author",
                ])
                .filter(|author| !is_address(author)),
            ..Metadata::default()
        }
        .with_date(
            date(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "publish-date",
                "date",
                "sailthru.date",
                "parsely-pub-date",
            ]),
            DateOrigin::Html,
        );
        let from_dublin_core = Metadata {
            title: self.meta(&["dc.title", "dcterms.title", "citation_title"]),
            source: self.meta(&[
                "dc.publisher",
                "dcterms.publisher",
                "citation_journal_title",
                "citation_publisher",
            ]),
            author: self
                .meta(&["dc.creator", "dcterms.creator"])
                .or_else(|| self.meta_all("citation_author")),
            ..Metadata::default()
        }
        .with_date(
            date(&[
                "dc.date.issued",
                "dcterms.issued",
                "dc.date",
                "dcterms.date",
                "dcterms.created",
                "citation_publication_date",
                "citation_date",
                "citation_online_date",
            ]),
            DateOrigin::Html,
        );
        let from_header = header(dom, container);
        let from_title_tag = Metadata {
            title: self
                .title_tag
                .as_deref()
                .map(strip_site_name)
                .filter(|t| !t.is_empty()),
            ..Metadata::default()
        };
        from_json_ld
            .or(from_open_graph)
            .or(from_dublin_core)
            .or(from_header)
            .or(from_title_tag)
    }
}

/// The date and byline in the article's header: in the element holding the article or the
/// `<article>` around it, not inside a story of its own (a teaser) or the page's furniture
/// (comments, related stories).
fn header(dom: &Dom, container: NodeId) -> Metadata {
    let scope = article_scope(dom, container);
    let mut date = None;
    let mut author = None;
    for id in dom.descendants(scope) {
        if date.is_some() && author.is_some() {
            break;
        }
        let Some(element) = dom.element(id) else {
            continue;
        };
        let itemprop = element
            .attribute(&local_name!("itemprop"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let wanted_date = date.is_none()
            && (itemprop.split_whitespace().any(|p| p == "datepublished")
                || (element.is(&local_name!("time")) && !names_modification(element)));
        // A byline block holding a name marked as the author's gives way to that name.
        let wanted_author = author.is_none()
            && (marks_author(element)
                || (class_names(element).any(|name| name == "byline" || name == "author-name")
                    && !dom
                        .descendants(id)
                        .take(BYLINE_MAX_NODES)
                        .filter_map(|inner| dom.element(inner))
                        .any(marks_author)));
        if !(wanted_date || wanted_author) || !belongs_to_scope(dom, id, scope) {
            continue;
        }
        if wanted_date {
            let value = element
                .attribute(&local_name!("datetime"))
                .or_else(|| element.attribute(&local_name!("content")))
                .map(str::to_string)
                .unwrap_or_else(|| collapsed(&visible_text(dom, id, 64)));
            date = date_at_start(&value);
        }
        if wanted_author {
            let value = element
                .attribute(&local_name!("content"))
                .map(str::to_string)
                .unwrap_or_else(|| collapsed(&byline_text(dom, id)));
            author = byline_name(&value);
        }
    }
    Metadata {
        author,
        ..Metadata::default()
    }
    .with_date(date, DateOrigin::Html)
}

/// Where the article's header is looked for: the `<article>` (or `<main>`) around the element
/// holding the article, else that element's parent.
fn article_scope(dom: &Dom, container: NodeId) -> NodeId {
    let mut at = container;
    for _ in 0..6 {
        if at == NONE || at == DOCUMENT {
            break;
        }
        if let Some(element) = dom.element(at)
            && (element.is(&local_name!("article")) || element.is(&local_name!("main")))
        {
            return at;
        }
        at = dom.node(at).parent;
    }
    let parent = dom.node(container).parent;
    if parent == NONE { container } else { parent }
}

/// Whether `id` is part of `scope`'s own story: not inside an `<article>` of its own (a teaser,
/// a comment) nor inside furniture.
fn belongs_to_scope(dom: &Dom, id: NodeId, scope: NodeId) -> bool {
    let mut at = dom.node(id).parent;
    while at != scope && at != NONE {
        if let Some(element) = dom.element(at)
            && (element.is(&local_name!("article"))
                || (content::is_furniture(element) && !is_byline_block(element)))
        {
            return false;
        }
        at = dom.node(at).parent;
    }
    true
}

/// A byline's or an article header's own block (`byline`, `author-box`, `entry-meta`), which
/// the text leaves out but the metadata reads.
fn is_byline_block(element: &super::dom::Element) -> bool {
    class_names(element)
        .any(|name| name.contains("byline") || name.contains("author") || name.contains("meta"))
}

/// `itemprop="author"`, `rel="author"`: the author's name itself.
fn marks_author(element: &super::dom::Element) -> bool {
    element
        .attribute(&local_name!("itemprop"))
        .is_some_and(|value| {
            value
                .split_whitespace()
                .any(|p| p.eq_ignore_ascii_case("author"))
        })
        || element.attribute(&local_name!("rel")).is_some_and(|rel| {
            rel.split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("author"))
        })
}

/// A byline's text without the date beside the name (`By Jane Roe · <time>March 4</time>`)
/// nor the marks between them.
fn byline_text(dom: &Dom, id: NodeId) -> String {
    let mut text = String::new();
    let mut at = dom.node(id).first_child;
    while at != NONE && text.len() <= BYLINE_MAX_CHARS {
        match &dom.node(at).data {
            NodeData::Element(element) if element.is(&local_name!("time")) => {
                at = dom.next_skipping_children(at, id);
                continue;
            }
            NodeData::Text(node) => {
                text.push_str(&node.text);
                text.push(' ');
            }
            _ => {}
        }
        let first_child = dom.node(at).first_child;
        at = if first_child != NONE {
            first_child
        } else {
            dom.next_skipping_children(at, id)
        };
    }
    text.trim_matches(|c: char| c.is_whitespace() || "·|•–—-,;/".contains(c))
        .to_string()
}

/// `<time class="updated">`, `itemprop="dateModified"`: when the article was changed.
fn names_modification(element: &super::dom::Element) -> bool {
    let itemprop = element
        .attribute(&local_name!("itemprop"))
        .unwrap_or_default();
    itemprop.to_ascii_lowercase().contains("modified")
        || class_names(element).any(|name| name.contains("updated") || name.contains("modified"))
}

fn class_names(element: &super::dom::Element) -> impl Iterator<Item = String> + '_ {
    element
        .attribute(&local_name!("class"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_ascii_lowercase)
}

/// The name in a byline: `By Jane Doe` -> `Jane Doe`; none when the text is too long or holds
/// no letter.
fn byline_name(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let name = ["by ", "von ", "par ", "por ", "di ", "door "]
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
        .map_or(text, |prefix| &text[prefix.len()..])
        .trim();
    let plausible = !name.is_empty()
        && name.chars().count() <= BYLINE_MAX_CHARS
        && name.chars().any(char::is_alphabetic)
        && !is_address(name);
    plausible.then(|| name.to_string())
}

/// A web address (an author's profile page, not a name).
fn is_address(text: &str) -> bool {
    let text = text.trim();
    text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.")
}

/// The text under an element as the tokenizer gave it (a script's, a title's).
fn raw_text(dom: &Dom, id: NodeId) -> String {
    let mut text = String::new();
    for child in dom.children(id) {
        if let NodeData::Text(node) = &dom.node(child).data {
            text.push_str(&node.text);
        }
    }
    text
}

/// The first and last lines of an element's text.
fn text_lines(dom: &Dom, id: NodeId) -> (u32, u32) {
    let lines = dom
        .children(id)
        .filter_map(|child| match &dom.node(child).data {
            NodeData::Text(text) if text.first_line != 0 => Some((text.first_line, text.last_line)),
            _ => None,
        });
    lines.fold((0, 0), |(first, _), (start, end)| {
        (if first == 0 { start } else { first }, end)
    })
}

/// The text under an element, up to about `limit` bytes.
fn visible_text(dom: &Dom, id: NodeId, limit: usize) -> String {
    let mut text = String::new();
    for node in dom.descendants(id) {
        if text.len() >= limit {
            break;
        }
        if let NodeData::Text(node) = &dom.node(node).data {
            text.push_str(&node.text);
            text.push(' ');
        }
    }
    text
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first JSON-LD object describing an article, looking inside lists and `@graph`.
fn article_object(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(article_object),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => ARTICLE_TYPES.contains(&kind.as_str()),
                Some(Value::Array(kinds)) => kinds
                    .iter()
                    .any(|k| k.as_str().is_some_and(|k| ARTICLE_TYPES.contains(&k))),
                _ => false,
            };
            if is_article {
                Some(value)
            } else {
                object.get("@graph").and_then(article_object)
            }
        }
        _ => None,
    }
}

/// `Iran Talks Stall | The Daily Planet` -> `Iran Talks Stall`: a short last part after a
/// separator names the site, not the article.
fn strip_site_name(title: &str) -> String {
    for separator in [" | ", " — ", " – ", " - ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(separator)
            && tail.split_whitespace().count() <= 4
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(page: &str) -> Metadata {
        super::super::read(page).metadata
    }

    fn day(metadata: &Metadata) -> Option<String> {
        metadata.date.map(|date| date.to_string())
    }

    const STORY: &str = "<p>The river rose by two metres overnight, and the town's volunteers \
                         worked until dawn to fill sandbags along the old quay.</p>";

    #[test]
    fn json_ld_comes_first_and_is_found_in_a_graph() {
        let page = format!(
            r#"<head><meta property="og:title" content="OG title">
<meta property="article:published_time" content="2020-01-01">
<script type="application/ld+json">{{"@graph": [{{"@type": "WebPage"}},
{{"@type": ["NewsArticle"], "headline": "LD title", "datePublished": "2021-04-06T10:00:00Z",
"dateModified": "2022-01-01", "author": [{{"name": "Ann Lee"}}, {{"name": "Bo Chen"}}],
"publisher": {{"name": "The Wire"}}}}]}}</script></head><body>{STORY}</body>"#
        );
        let found = metadata(&page);
        assert_eq!(found.title.as_deref(), Some("LD title"));
        assert_eq!(found.author.as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(found.source.as_deref(), Some("The Wire"));
        assert_eq!(day(&found).as_deref(), Some("2021-04-06"));
        assert_eq!(found.date_origin, Some(DateOrigin::Html));
    }

    #[test]
    fn open_graph_then_dublin_core_and_citation_tags() {
        let page = format!(
            r#"<head><meta name="citation_title" content="Cited title">
<meta name="citation_author" content="Lee, Ann"><meta name="citation_author" content="Chen, Bo">
<meta name="citation_journal_title" content="Journal of Rivers">
<meta name="citation_publication_date" content="2019/05/02">
<meta name="DC.date.issued" content="2019-05-03">
<meta property="article:modified_time" content="2023-01-01">
<meta property="article:author" content="https://facebook.com/someone">
<meta property="og:site_name" content="River News"></head><body>{STORY}</body>"#
        );
        let found = metadata(&page);
        assert_eq!(found.title.as_deref(), Some("Cited title"));
        assert_eq!(found.author.as_deref(), Some("Lee, Ann, Chen, Bo"));
        assert_eq!(found.source.as_deref(), Some("River News"));
        assert_eq!(day(&found).as_deref(), Some("2019-05-03"));
    }

    #[test]
    fn the_header_s_time_and_byline_not_a_teaser_s_or_a_comment_s() {
        let page = format!(
            r#"<body><article class="teaser"><time datetime="2018-01-01">Jan 1</time>
<a rel="author" href="/x">Teaser Author</a></article>
<article><header><h1>Flood</h1><p class="byline">By Jane Roe</p>
<time class="updated" datetime="2022-02-02">Updated</time>
<time datetime="2021-03-04T08:00:00+01:00">March 4, 2021</time></header>{STORY}{STORY}
<div class="comments"><time datetime="2021-03-05">a day later</time></div></article></body>"#
        );
        let found = metadata(&page);
        assert_eq!(day(&found).as_deref(), Some("2021-03-04"));
        assert_eq!(found.author.as_deref(), Some("Jane Roe"));
        let only_teasers = format!(
            r#"<body><div>{STORY}{STORY}</div><aside><article><time datetime="2018-01-01">x</time>
</article></aside></body>"#
        );
        assert_eq!(metadata(&only_teasers).date, None);
    }

    #[test]
    fn the_title_tag_loses_the_site_s_name() {
        let found = metadata(&format!(
            "<head><title>Flood on the Quay | River News</title></head><body>{STORY}</body>"
        ));
        assert_eq!(found.title.as_deref(), Some("Flood on the Quay"));
    }

    #[test]
    fn bylines_are_names() {
        assert_eq!(byline_name("By Jane Roe").as_deref(), Some("Jane Roe"));
        assert_eq!(byline_name("von Hans Meier").as_deref(), Some("Hans Meier"));
        assert_eq!(byline_name("https://example.com/jane"), None);
        assert_eq!(byline_name(&"word ".repeat(40)), None);
        assert_eq!(byline_name("— 12 —"), None);
    }
}
