//! The `<ApiResponse>` envelope every FaxCore reply comes in, and how error bodies are recognised.

use quick_xml::events::Event;

use crate::error::{ApiError, ApiErrorKind, classify_error, is_error_element, parse_tree, text};
use crate::operation::Operation;

/// The XML declaration FaxCore writes before every reply (API reference, overview).
pub(crate) const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

/// The element one operation answers with inside `<ApiResponse>` (`<SendFax>`, `<GetFaxList>`, …).
pub(crate) trait Reply: serde::de::DeserializeOwned {
    /// A result came with it: the condition under which error elements beside it do not count (see
    /// [`decode`]).
    fn has_result(&self) -> bool;
}

/// `<Results>text</Results>`: the element of `SendFax` (the new fax id), `FaxStatus` (the status) and
/// `DeleteFax` (`OK`). The reference writes `<Results>`; its text also shows `<results>`, read too.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub(crate) struct TextResults {
    #[serde(rename = "Results", alias = "results", default)]
    pub(crate) results: String,
}

impl Reply for TextResults {
    fn has_result(&self) -> bool {
        !self.results.trim().is_empty()
    }
}

/// `<ApiResponse>` with the element of one operation: `T` under the operation's name, other elements ignored.
///
/// Read with [`decode`]; the sandbox writes one with [`ApiResponse::to_xml`].
#[derive(Debug, Clone)]
pub(crate) struct ApiResponse<T> {
    /// The operation's element, when the reply has one.
    pub(crate) body: Option<T>,
}

impl<T: serde::Serialize> ApiResponse<T> {
    /// Serializes the envelope as FaxCore writes it (declaration, then `<ApiResponse><Op>…</Op></ApiResponse>`).
    #[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
    pub(crate) fn to_xml(op: Operation, body: &T) -> String {
        match quick_xml::se::to_string_with_root(op.as_str(), body) {
            Ok(xml) => format!("{XML_DECLARATION}\n<ApiResponse>{xml}</ApiResponse>"),
            Err(e) => format!("{XML_DECLARATION}\n<ApiResponse><Error>{e}</Error></ApiResponse>"),
        }
    }
}

/// Reads `<ApiResponse>`'s children as a map, keeping the one named after the operation.
struct Envelope<T> {
    op: Operation,
    _body: std::marker::PhantomData<T>,
}

impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for Envelope<T> {
    type Value = ApiResponse<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Envelope<T> {
    type Value = ApiResponse<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<ApiResponse> with <{}>", self.op.as_str())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut body = None;
        while let Some(is_op) = map.next_key_seed(IsNamed(self.op.as_str()))? {
            if body.is_none() && is_op {
                body = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(ApiResponse { body })
    }
}

/// A map key read as "is it `name`?", without copying the key.
struct IsNamed(&'static str);

impl<'de> serde::de::DeserializeSeed<'de> for IsNamed {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for IsNamed {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an element name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<bool, E> {
        Ok(key == self.0.as_bytes())
    }
}

fn from_xml<T: serde::de::DeserializeOwned>(op: Operation, xml: &str) -> Result<ApiResponse<T>, quick_xml::DeError> {
    use serde::de::DeserializeSeed as _;
    let mut de = quick_xml::de::Deserializer::from_str(xml);
    Envelope { op, _body: std::marker::PhantomData }.deserialize(&mut de)
}

/// The local name of the document's root element is `ApiResponse`; reads only up to the first element.
fn root_is_api_response(xml: &str) -> bool {
    plain_root(xml).unwrap_or_else(|| read_root(xml))
}

/// [`root_is_api_response`] through the XML reader: past comments, a DOCTYPE and processing instructions.
fn read_root(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name();
                let name: &str = name.as_ref();
                return name.rsplit_once(':').map_or(name, |(_, l)| l) == "ApiResponse";
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// Decodes a successful reply to `op`, or the typed error the body holds instead.
///
/// One serde pass decides the usual case: the root is `<ApiResponse>` and the operation's element holds a
/// result. Only a reply without a result (an error, an empty list, an unexpected document) is walked again
/// as a tree to tell an error body from an empty answer; so a successful call parses its body once.
pub(crate) fn decode<T: Reply>(op: Operation, status: u16, body: &[u8]) -> Result<ApiResponse<T>, ApiError> {
    let xml = text(body).map_err(|_| classify_error(op, status, body))?;
    if root_is_api_response(xml)
        && let Ok(reply) = from_xml::<T>(op, xml)
        && reply.body.as_ref().is_some_and(Reply::has_result)
    {
        return Ok(reply);
    }
    let root = parse_tree(xml).map_err(|_| classify_error(op, status, body))?;
    // The operation's element must be there; an error element inside it counts only when no result came
    // with it (so a future `<ErrorCount>0</ErrorCount>` beside `<Results>` is not an error).
    let well_formed = root.name == "ApiResponse"
        && root.child(op.as_str()).is_some_and(|el| {
            let has_result = match op {
                Operation::GetFaxList => el.child("FaxId").is_some(),
                _ => el.child("Results").is_some_and(|r| !r.all_text().is_empty() || !r.children.is_empty()),
            };
            has_result || !el.children.iter().any(|c| is_error_element(&c.name) && !c.all_text().is_empty())
        });
    if !well_formed {
        return Err(classify_error(op, status, body));
    }
    from_xml::<T>(op, xml).map_err(|e| {
        ApiError::new(
            op,
            status,
            ApiErrorKind::Unexpected,
            None,
            format!("<{}> does not have the documented shape: {e}", op.as_str()),
            body,
        )
    })
}

/// Whether the root is `ApiResponse`, read by hand when the document starts as FaxCore writes it: a byte order
/// mark, the XML declaration and whitespace (each optional), then the root's start tag. `None` for anything
/// else (a comment, a DOCTYPE, another processing instruction), which the XML reader decides. Every reply is
/// checked, and the reader took about 1,700 instructions a reply to find the root; this takes a few hundred.
fn plain_root(xml: &str) -> Option<bool> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let skip_space = |s: &[u8]| -> usize { s.iter().position(|b| !is_space(b)).unwrap_or(s.len()) };
    let bytes = xml.as_bytes();
    let mut at = if bytes.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
    at += skip_space(&bytes[at..]);
    if bytes[at..].starts_with(b"<?xml") {
        // The declaration's values (version, encoding, standalone) cannot hold a `?`: the first one ends it.
        let end = at + 2 + xml[at + 2..].find('?')?;
        if bytes.get(end + 1) != Some(&b'>') {
            return None;
        }
        at = end + 2;
        at += skip_space(&bytes[at..]);
    }
    let tag = bytes[at..].strip_prefix(b"<")?;
    let end = tag.iter().position(|b| is_space(b) || matches!(b, b'>' | b'/'))?;
    let name = &tag[..end];
    if name.is_empty() || matches!(name[0], b'?' | b'!') {
        return None;
    }
    let local = name.iter().rposition(|&b| b == b':').map_or(name, |colon| &name[colon + 1..]);
    Some(local == b"ApiResponse")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::get_fax_list::FaxListBody;

    #[test]
    fn tree_resolves_entities_and_prefixes() {
        let root = parse_tree("<a:ApiResponse><Error>x &amp; y &#65;&#x42;<![CDATA[<c>]]></Error><E/></a:ApiResponse>")
            .unwrap();
        assert_eq!(root.name, "ApiResponse");
        assert_eq!(root.children[0].all_text(), "x & y AB<c>");
        assert_eq!(root.children[1].name, "E");
        assert!(parse_tree("<a><b></a>").is_err());
        assert!(parse_tree("<a/><b/>").is_err());
        assert!(parse_tree("plain text").is_err());
        assert!(parse_tree("").is_err());
        let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        assert!(parse_tree(&deep).is_err(), "nesting past the limit is refused");
    }

    #[test]
    fn error_elements_beside_a_result_are_not_errors() {
        let ok = b"<ApiResponse><SendFax><Results>12</Results><ErrorCount>0</ErrorCount></SendFax></ApiResponse>";
        assert_eq!(decode::<TextResults>(Operation::SendFax, 200, ok).unwrap().body.unwrap().results, "12");
        let bad = b"<ApiResponse><SendFax><Results/><Error>Invalid number</Error></SendFax></ApiResponse>";
        let e = decode::<TextResults>(Operation::SendFax, 200, bad).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ApiErrorKind::ErrorBody, "Invalid number"));
        let list = b"<ApiResponse><GetFaxList><ErrorMessage>Invalid folder</ErrorMessage></GetFaxList></ApiResponse>";
        assert_eq!(decode::<FaxListBody>(Operation::GetFaxList, 200, list).unwrap_err().kind, ApiErrorKind::ErrorBody);
        let empty = b"<ApiResponse><GetFaxList><Error/></GetFaxList></ApiResponse>";
        assert!(decode::<FaxListBody>(Operation::GetFaxList, 200, empty).unwrap().body.unwrap().fax_ids.is_empty());
    }

    #[test]
    fn the_one_pass_path_still_checks_the_root_and_the_operation() {
        // serde alone would accept these: the root name and the operation's element are checked too.
        let wrong_root = b"<Error><FaxStatus><Results>Completed</Results></FaxStatus></Error>";
        assert_eq!(
            decode::<TextResults>(Operation::FaxStatus, 200, wrong_root).unwrap_err().kind,
            ApiErrorKind::ErrorBody
        );
        let other_op = b"<ApiResponse><DeleteFax><Results>OK</Results></DeleteFax></ApiResponse>";
        assert_eq!(
            decode::<TextResults>(Operation::FaxStatus, 200, other_op).unwrap_err().kind,
            ApiErrorKind::Unexpected
        );
        let prefixed =
            b"<x:ApiResponse xmlns:x=\"urn:x\"><FaxStatus><Results>Completed</Results></FaxStatus></x:ApiResponse>";
        assert_eq!(
            decode::<TextResults>(Operation::FaxStatus, 200, prefixed).unwrap().body.unwrap().results,
            "Completed"
        );
        let blank = b"<ApiResponse><FaxStatus><Results> </Results><Error>No such fax</Error></FaxStatus></ApiResponse>";
        let e = decode::<TextResults>(Operation::FaxStatus, 200, blank).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ApiErrorKind::ErrorBody, "No such fax"));
        assert!(!root_is_api_response("<?xml version=\"1.0\"?><!-- c --><ApiResponses/>"));
        assert!(!root_is_api_response("<?xml version=\"1.0\"?><!-- <ApiResponse> --><Other/>"));
        assert!(root_is_api_response("<?xml version=\"1.0\"?><!-- c --><ApiResponse/>"));
    }

    #[test]
    fn the_hand_read_root_agrees_with_the_reader() {
        let plain = [
            "<ApiResponse>",
            "<ApiResponse/>",
            "<ApiResponse\n>",
            "<x:ApiResponse xmlns:x=\"urn:x\">",
            "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<ApiResponse><FaxStatus/></ApiResponse>",
            "<?xml version=\"1.0\"?><ApiResponses/>",
            "<?xml version=\"1.0\"?> <html><body>Server Error</body></html>",
            "<ApiResponsex>",
            "<a:b:ApiResponse>",
        ];
        for xml in plain {
            assert_eq!(plain_root(xml), Some(read_root(xml)), "{xml}");
        }
        // Left to the reader: what a hand scan cannot read safely.
        let odd = [
            "<!-- c --><ApiResponse/>",
            "<!DOCTYPE x><ApiResponse/>",
            "<?pi x?><ApiResponse/>",
            "<?xml-stylesheet href=\"a?b\"?><ApiResponse/>",
            "<?xml version=\"1.0\"",
            "",
            "text",
            "<",
            "<>",
        ];
        for xml in odd {
            assert_eq!(plain_root(xml), None, "{xml}");
        }
    }

    #[test]
    fn a_byte_order_mark_and_whitespace_are_accepted() {
        let body = "\u{feff}<?xml version=\"1.0\"?> \n<ApiResponse> \n <FaxStatus> <Results>Completed</Results> </FaxStatus>\n</ApiResponse> ";
        let reply = decode::<TextResults>(Operation::FaxStatus, 200, body.as_bytes()).unwrap();
        assert_eq!(reply.body.unwrap().results, "Completed");
    }

    #[test]
    fn error_documents_are_classified() {
        let e = classify_error(Operation::FaxStatus, 200, b"<ApiResponse><Error>Invalid login</Error></ApiResponse>");
        assert_eq!(
            (e.kind, e.element.as_deref(), e.message.as_str()),
            (ApiErrorKind::ErrorBody, Some("Error"), "Invalid login")
        );
        let e = classify_error(
            Operation::SendFax,
            500,
            b"<Error><Message>An error has occurred.</Message><ExceptionMessage>Disk full</ExceptionMessage></Error>",
        );
        assert_eq!((e.kind, e.message.as_str()), (ApiErrorKind::ErrorBody, "Disk full"));
        let e = classify_error(Operation::FaxStatus, 200, b"<html><body>Bad gateway</body></html>");
        assert_eq!(e.kind, ApiErrorKind::Unexpected);
        assert!(e.excerpt.contains("Bad gateway"));
        let e = classify_error(
            Operation::FaxStatus,
            200,
            b"<ApiResponse><DeleteFax><Results>OK</Results></DeleteFax></ApiResponse>",
        );
        assert_eq!(e.kind, ApiErrorKind::Unexpected);
        assert!(e.message.contains("DeleteFax"), "{}", e.message);
        let e = classify_error(Operation::FaxStatus, 200, b"\xff\xfe");
        assert_eq!(e.kind, ApiErrorKind::Unexpected);
    }
}
