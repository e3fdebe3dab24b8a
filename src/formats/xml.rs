//! Walking the XML inside office documents and e-books as a stream of element starts, ends and
//! text, by local name (`w:p` is `p`): one pass, no tree, whatever the nesting.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// One step through an XML document.
pub enum Node<'a, 'x> {
    /// An element starts (an empty one is followed by its end).
    Start(&'a BytesStart<'x>),
    /// The element of this local name ends.
    End(&'a str),
    /// Character data, entities resolved.
    Text(Cow<'a, str>),
}

/// Calls `visit` for every start, end and run of text of `xml`. XML that breaks off is an
/// error saying where.
pub fn walk(xml: &str, mut visit: impl FnMut(Node)) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| format!("broken XML near byte {}: {err}", reader.error_position()))?;
        match event {
            Event::Start(start) => visit(Node::Start(&start)),
            Event::Empty(start) => {
                visit(Node::Start(&start));
                visit(Node::End(local(&start)));
            }
            Event::End(end) => visit(Node::End(without_prefix(end.name().0))),
            Event::Text(text) => visit(Node::Text(text.xml10_content())),
            Event::CData(data) => visit(Node::Text(data.xml10_content())),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::unescape(&format!("&{};", &*reference))
                        .ok()
                        .map(Cow::into_owned),
                };
                if let Some(text) = resolved {
                    visit(Node::Text(Cow::Owned(text)));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The local name of an element (`p` of `w:p`).
pub fn local<'a>(start: &'a BytesStart) -> &'a str {
    without_prefix(start.name().0)
}

fn without_prefix(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of the attribute of an element whose local name is `name`, entities resolved.
pub fn attribute(start: &BytesStart, name: &str) -> Option<String> {
    start.attributes().flatten().find_map(|attribute| {
        (without_prefix(attribute.key.0) == name).then(|| {
            attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_or_else(|_| attribute.value.to_string(), Cow::into_owned)
        })
    })
}
