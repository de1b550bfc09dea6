//! The one XML tree parser every vendor crate reads answers and webhooks with, hardened for hostile input.
//!
//! Vendors answer in XML of a simple shape (elements and text; attributes only for `xsi:nil`), so faxkit
//! reads a whole body into an [`Element`] tree and each vendor crate maps the tree to its types: as a tree
//! (FaxCore's error classification) or through [`Element::into_value`] into a `serde_json::Value` that serde
//! then reads (WestFax, Retarus webhooks).
//!
//! Every limit is checked while reading, before anything is built past it ([`XmlLimits`], defaults in
//! brackets): the body's size (16 MiB), nesting depth (64, so building, converting or dropping a tree can
//! never exhaust the stack), the number of elements (100,000), attributes on one element (64) and the length
//! of one name (256 bytes). Document type declarations are refused, so no entity can be defined and none
//! expanded; only the five predefined entities and character references are resolved.
//!
//! ```
//! use faxkit::xml::{XmlLimits, parse};
//! let tree = parse(b"<a:Envelope xmlns:a='urn:x'><Body><Id>7</Id><Id>8</Id><Note xsi:nil='true'/></Body></a:Envelope>",
//!     &XmlLimits::default()).unwrap();
//! assert_eq!(tree.name, "Envelope");
//! let body = tree.child("body").unwrap();
//! assert_eq!(body.children_named("Id").count(), 2);
//! assert!(body.child("Note").unwrap().nil);
//! let nested = "<a>".repeat(100) + &"</a>".repeat(100);
//! assert!(parse(nested.as_bytes(), &XmlLimits::default()).is_err());
//! ```

use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};

/// Bounds on one XML document; [`XmlLimits::default`] suits every vendor answer faxkit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlLimits {
    /// Largest document, in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Deepest nesting of elements, the root counting 1 (default 64).
    pub max_depth: usize,
    /// Most elements in one document (default 100,000).
    pub max_elements: usize,
    /// Most attributes on one element (default 64).
    pub max_attributes: usize,
    /// Longest element name, in bytes (default 256).
    pub max_name: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_elements: 100_000,
            max_attributes: 64,
            max_name: 256,
        }
    }
}

crate::setters!(XmlLimits {
    plain {
        /// Sets the largest document accepted, in bytes.
        ///
        /// ```
        /// let limits = faxkit::xml::XmlLimits::default().max_bytes(1024);
        /// assert!(faxkit::xml::parse(&[b' '; 2048], &limits).is_err());
        /// ```
        max_bytes: usize,
        /// Sets the deepest nesting accepted.
        max_depth: usize,
        /// Sets the most elements accepted in one document.
        max_elements: usize,
        /// Sets the most attributes accepted on one element.
        max_attributes: usize,
    }
});

/// Why a document was refused: malformed, or past one of the [`XmlLimits`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct XmlError(String);

impl XmlError {
    fn new(message: impl Into<String>) -> Self {
        XmlError(message.into())
    }
}

/// One element: its local name (namespace prefix dropped), its text and its child elements, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Element {
    /// The local name: `Body` for `<soap:Body>`.
    pub name: String,
    /// The element's own text, entities resolved, CDATA included, untrimmed; text between child elements is
    /// kept here too.
    pub text: String,
    /// Whether the element carries `xsi:nil="true"` (any prefix): a null, not an empty string.
    pub nil: bool,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child whose local name matches `name`, ignoring ASCII case.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every child whose local name matches `name`, ignoring ASCII case.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// The element's trimmed text, or when it has none, its descendants' texts joined with "; " (for error
    /// messages spread over several elements).
    pub fn all_text(&self) -> String {
        let own = self.text.trim();
        if !own.is_empty() {
            return own.to_owned();
        }
        self.children.iter().map(Element::all_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("; ")
    }

    /// The element as a JSON-shaped value: an element with children becomes an object (a repeated child name
    /// becomes an array, in order), a leaf becomes its text (trimmed when `trim`), `xsi:nil` becomes null.
    /// Text beside child elements is dropped.
    ///
    /// ```
    /// let tree = faxkit::xml::parse(b"<r><a> 1 </a><b>x</b><b>y</b><c/></r>", &Default::default()).unwrap();
    /// assert_eq!(tree.into_value(true), serde_json::json!({"a": "1", "b": ["x", "y"], "c": ""}));
    /// ```
    pub fn into_value(self, trim: bool) -> Value {
        if self.nil {
            return Value::Null;
        }
        if self.children.is_empty() {
            return Value::String(if trim { self.text.trim().to_owned() } else { self.text });
        }
        let mut map = Map::new();
        for child in self.children {
            let name = child.name.clone();
            let value = child.into_value(trim);
            match map.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    map.insert(name, value);
                }
            }
        }
        Value::Object(map)
    }
}

/// Parses a whole document into its root [`Element`], within `limits`.
///
/// # Errors
/// [`XmlError`] for malformed XML (unbalanced tags, text or a second element outside the root, an unknown
/// entity, no root at all), a document type declaration, or a document past one of the limits.
pub fn parse(xml: &[u8], limits: &XmlLimits) -> Result<Element, XmlError> {
    if xml.len() > limits.max_bytes {
        return Err(XmlError::new(format!("{} bytes of XML exceed the {}-byte limit", xml.len(), limits.max_bytes)));
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| XmlError::new(format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::new(format!("elements nested deeper than {}", limits.max_depth)));
                }
                stack.push(open(&start, limits, &mut elements)?);
            }
            Event::Empty(start) => {
                let element = open(&start, limits, &mut elements)?;
                close(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| XmlError::new("unbalanced end tag"))?;
                close(&mut stack, &mut root, element)?;
            }
            Event::Text(text) => {
                let text = text.xml10_content();
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(XmlError::new("text outside the root element")),
                }
            }
            Event::CData(data) => match stack.last_mut() {
                Some(top) => top.text.push_str(&data.xml10_content()),
                None => return Err(XmlError::new("CDATA outside the root element")),
            },
            Event::GeneralRef(reference) => {
                let c = match reference.resolve_char_ref().map_err(|e| XmlError::new(format!("malformed XML: {e}")))? {
                    Some(c) => c,
                    None => match reference.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(XmlError::new(format!("unknown entity &{other};"))),
                    },
                };
                match stack.last_mut() {
                    Some(top) => top.text.push(c),
                    None => return Err(XmlError::new("an entity outside the root element")),
                }
            }
            Event::DocType(_) => return Err(XmlError::new("document type declarations are not accepted")),
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(XmlError::new("the document ends inside an element"));
    }
    root.ok_or_else(|| XmlError::new("no root element"))
}

/// Parses `body` as [`parse`] does, with [`XmlLimits::default`], reporting failure as
/// [`Error::Decode`](crate::Error::Decode) for `vendor` with an excerpt of the body.
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode).
pub fn parse_for(vendor: &'static str, body: &[u8]) -> crate::Result<Element> {
    parse(body, &XmlLimits::default())
        .map_err(|e| crate::Error::decode(vendor, format!("invalid XML: {e}"), body, Some(Box::new(e))))
}

fn open(start: &BytesStart<'_>, limits: &XmlLimits, elements: &mut usize) -> Result<Element, XmlError> {
    *elements += 1;
    if *elements > limits.max_elements {
        return Err(XmlError::new(format!("more than {} elements", limits.max_elements)));
    }
    let qname = start.name();
    if qname.as_ref().len() > limits.max_name {
        return Err(XmlError::new(format!("an element name longer than {} bytes", limits.max_name)));
    }
    let mut nil = false;
    for (i, attribute) in start.attributes().with_checks(false).enumerate() {
        if i >= limits.max_attributes {
            return Err(XmlError::new(format!("an element with more than {} attributes", limits.max_attributes)));
        }
        let attribute = attribute.map_err(|e| XmlError::new(format!("malformed attribute: {e}")))?;
        if attribute.key.local_name().into_inner() == "nil" && attribute.value.trim() == "true" {
            nil = true;
        }
    }
    Ok(Element { name: qname.local_name().into_inner().to_owned(), nil, ..Element::default() })
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(XmlError::new("more than one root element")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(xml: &str) -> Result<Element, XmlError> {
        parse(xml.as_bytes(), &XmlLimits::default())
    }

    #[test]
    fn reads_names_text_entities_and_nil() {
        let root = p("<?xml version='1.0'?><s:E xmlns:s='u'><B>x &amp; y &#65;&#x42;<![CDATA[<c>]]></B><N i:nil=\"true\"/></s:E>")
            .unwrap();
        assert_eq!(root.name, "E");
        assert_eq!(root.child("b").unwrap().text, "x & y AB<c>");
        assert!(root.child("N").unwrap().nil);
        assert_eq!(root.into_value(false), serde_json::json!({"B": "x & y AB<c>", "N": null}));
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in ["", "plain text", "<a><b></a>", "<a/><b/>", "<a>&bogus;</a>", "<a>", "</a>", "<a/>x"] {
            assert!(p(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn refuses_a_doctype_so_no_entity_is_ever_expanded() {
        let bomb = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><r>&b;</r>";
        assert!(p(bomb).unwrap_err().to_string().contains("document type"));
    }

    #[test]
    fn every_limit_holds() {
        let deep = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
        assert!(p(&deep(64)).is_ok());
        assert!(p(&deep(65)).unwrap_err().to_string().contains("deeper than 64"));
        // A deep hostile document fails fast without building anything deep.
        assert!(p(&deep(200_000)).is_err());
        let wide = format!("<r>{}</r>", "<e/>".repeat(100_000));
        assert!(p(&wide).unwrap_err().to_string().contains("more than 100000 elements"));
        let attrs = format!("<r {}/>", (0..65).map(|i| format!("a{i}='x'")).collect::<Vec<_>>().join(" "));
        assert!(p(&attrs).unwrap_err().to_string().contains("attributes"));
        let long = format!("<{0}></{0}>", "n".repeat(257));
        assert!(p(&long).unwrap_err().to_string().contains("name longer"));
        let limits = XmlLimits::default().max_bytes(10);
        assert!(parse(b"<a>0123456789</a>", &limits).unwrap_err().to_string().contains("limit"));
    }

    #[test]
    fn all_text_joins_descendants() {
        let root = p("<Error><Code> 12 </Code><Message>bad</Message></Error>").unwrap();
        assert_eq!(root.all_text(), "12; bad");
        assert_eq!(p("<E> x </E>").unwrap().all_text(), "x");
    }
}
