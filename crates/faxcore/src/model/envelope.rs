//! The `<ApiResponse>` envelope every FaxCore reply comes in, and how error bodies are recognised.

use faxkit::xml::Element;
use quick_xml::events::Event;

use crate::client::Operation;
use crate::error::{ApiError, ApiErrorKind};
use crate::model::delete_fax::DeleteFaxBody;
use crate::model::fax_status::FaxStatusBody;
use crate::model::get_fax_details::FaxDetailsBody;
use crate::model::get_fax_list::FaxListBody;
use crate::model::send_fax::SendFaxBody;

/// The XML declaration FaxCore writes before every reply (API reference, overview).
pub(crate) const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

/// `<ApiResponse>` with the element of each operation; exactly one is present in a reply.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename = "ApiResponse")]
pub(crate) struct ApiResponse {
    #[serde(rename = "SendFax", default, skip_serializing_if = "Option::is_none")]
    pub(crate) send_fax: Option<SendFaxBody>,
    #[serde(rename = "FaxStatus", default, skip_serializing_if = "Option::is_none")]
    pub(crate) fax_status: Option<FaxStatusBody>,
    #[serde(rename = "GetFaxList", default, skip_serializing_if = "Option::is_none")]
    pub(crate) get_fax_list: Option<FaxListBody>,
    #[serde(rename = "GetFaxDetails", default, skip_serializing_if = "Option::is_none")]
    pub(crate) get_fax_details: Option<FaxDetailsBody>,
    #[serde(rename = "DeleteFax", default, skip_serializing_if = "Option::is_none")]
    pub(crate) delete_fax: Option<DeleteFaxBody>,
}

impl ApiResponse {
    /// Serializes the envelope as FaxCore writes it (declaration, then `<ApiResponse>`).
    #[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
    pub(crate) fn to_xml(&self) -> String {
        match quick_xml::se::to_string(self) {
            Ok(xml) => format!("{XML_DECLARATION}\n{xml}"),
            Err(e) => format!("{XML_DECLARATION}\n<ApiResponse><Error>{e}</Error></ApiResponse>"),
        }
    }
}

/// Parses a whole reply with faxkit's hardened XML tree parser (depth, size, element and attribute limits;
/// no document type declarations).
pub(crate) fn parse_tree(xml: &str) -> Result<Element, faxkit::xml::XmlError> {
    faxkit::xml::parse(xml.as_bytes(), &faxkit::xml::XmlLimits::default())
}

/// The body as text without a byte-order mark.
fn text(body: &[u8]) -> Result<&str, std::str::Utf8Error> {
    std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body))
}

/// Names of elements that carry an error message.
fn is_error_element(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("error") || n.contains("exception") || n == "message" || n == "fault"
}

/// Classifies a body that is not the operation's documented reply: an error document becomes
/// [`ApiErrorKind::ErrorBody`], anything else [`ApiErrorKind::Unexpected`].
pub(crate) fn classify_error(op: Operation, status: u16, body: &[u8]) -> ApiError {
    let unexpected = |message: String| ApiError::new(op, status, ApiErrorKind::Unexpected, None, message, body);
    let Ok(xml) = text(body) else {
        return unexpected("the body is not UTF-8 text".to_owned());
    };
    if xml.trim().is_empty() {
        return unexpected("the body is empty".to_owned());
    }
    let root = match parse_tree(xml) {
        Ok(root) => root,
        Err(e) => return unexpected(format!("the body is not an <ApiResponse> XML document ({e})")),
    };
    let error = |element: &Element, message: String| {
        ApiError::new(op, status, ApiErrorKind::ErrorBody, Some(element.name.clone()), message, body)
    };
    // ASP.NET's error document: <Error><Message>…</Message><ExceptionMessage>…</ExceptionMessage></Error>.
    if is_error_element(&root.name) {
        let message = ["ExceptionMessage", "MessageDetail", "Message"]
            .iter()
            .filter_map(|n| root.child(n).map(|c| c.all_text()))
            .find(|t| !t.is_empty())
            .unwrap_or_else(|| root.all_text());
        return error(&root, message);
    }
    if !root.name.eq_ignore_ascii_case("ApiResponse") {
        return unexpected(format!("expected an <ApiResponse> root element, found <{}>", root.name));
    }
    // An error element directly in <ApiResponse>, or inside the operation's element.
    let scopes = [Some(&root), root.child(op.as_str())];
    for scope in scopes.into_iter().flatten() {
        if let Some(e) = scope.children.iter().find(|c| is_error_element(&c.name) && !c.all_text().is_empty()) {
            return error(e, e.all_text());
        }
    }
    let found: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
    unexpected(format!("expected <{}> in <ApiResponse>, found {:?}", op.as_str(), found))
}

/// The local name of the document's root element is `ApiResponse`; reads only up to the first element.
fn root_is_api_response(xml: &str) -> bool {
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

impl ApiResponse {
    /// The operation's element is there with a result in it (the condition under which error elements beside
    /// the result do not count; see [`decode`]).
    fn has_result(&self, op: Operation) -> bool {
        let text = |r: &str| !r.trim().is_empty();
        match op {
            Operation::SendFax => self.send_fax.as_ref().is_some_and(|b| text(&b.results)),
            Operation::FaxStatus => self.fax_status.as_ref().is_some_and(|b| text(&b.results)),
            Operation::DeleteFax => self.delete_fax.as_ref().is_some_and(|b| text(&b.results)),
            Operation::GetFaxList => self.get_fax_list.as_ref().is_some_and(|b| !b.fax_ids.is_empty()),
            // `<Results>` (or `<results>`); every child is optional (issue 21).
            Operation::GetFaxDetails => self.get_fax_details.is_some(),
            Operation::DownloadFax => false,
        }
    }
}

/// Decodes a successful reply to `op`, or the typed error the body holds instead.
///
/// One serde pass decides the usual case: the root is `<ApiResponse>` and the operation's element holds a
/// result. Only a reply without a result (an error, an empty list, an unexpected document) is walked again
/// as a tree to tell an error body from an empty answer; so a successful call parses its body once.
pub(crate) fn decode(op: Operation, status: u16, body: &[u8]) -> Result<ApiResponse, ApiError> {
    let xml = text(body).map_err(|_| classify_error(op, status, body))?;
    if root_is_api_response(xml)
        && let Ok(reply) = quick_xml::de::from_str::<ApiResponse>(xml)
        && reply.has_result(op)
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
    quick_xml::de::from_str::<ApiResponse>(xml).map_err(|e| {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(decode(Operation::SendFax, 200, ok).unwrap().send_fax.unwrap().results, "12");
        let bad = b"<ApiResponse><SendFax><Results/><Error>Invalid number</Error></SendFax></ApiResponse>";
        let e = decode(Operation::SendFax, 200, bad).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ApiErrorKind::ErrorBody, "Invalid number"));
        let list = b"<ApiResponse><GetFaxList><ErrorMessage>Invalid folder</ErrorMessage></GetFaxList></ApiResponse>";
        assert_eq!(decode(Operation::GetFaxList, 200, list).unwrap_err().kind, ApiErrorKind::ErrorBody);
        let empty = b"<ApiResponse><GetFaxList><Error/></GetFaxList></ApiResponse>";
        assert!(decode(Operation::GetFaxList, 200, empty).unwrap().get_fax_list.unwrap().fax_ids.is_empty());
    }

    #[test]
    fn the_one_pass_path_still_checks_the_root_and_the_operation() {
        // serde alone would accept these: the root name and the operation's element are checked too.
        let wrong_root = b"<Error><FaxStatus><Results>Completed</Results></FaxStatus></Error>";
        assert_eq!(decode(Operation::FaxStatus, 200, wrong_root).unwrap_err().kind, ApiErrorKind::ErrorBody);
        let other_op = b"<ApiResponse><DeleteFax><Results>OK</Results></DeleteFax></ApiResponse>";
        assert_eq!(decode(Operation::FaxStatus, 200, other_op).unwrap_err().kind, ApiErrorKind::Unexpected);
        let prefixed =
            b"<x:ApiResponse xmlns:x=\"urn:x\"><FaxStatus><Results>Completed</Results></FaxStatus></x:ApiResponse>";
        assert_eq!(decode(Operation::FaxStatus, 200, prefixed).unwrap().fax_status.unwrap().results, "Completed");
        let blank = b"<ApiResponse><FaxStatus><Results> </Results><Error>No such fax</Error></FaxStatus></ApiResponse>";
        let e = decode(Operation::FaxStatus, 200, blank).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ApiErrorKind::ErrorBody, "No such fax"));
        assert!(!root_is_api_response("<?xml version=\"1.0\"?><!-- c --><ApiResponses/>"));
        assert!(root_is_api_response("<?xml version=\"1.0\"?><!-- c --><ApiResponse/>"));
    }

    #[test]
    fn a_byte_order_mark_and_whitespace_are_accepted() {
        let body = "\u{feff}<?xml version=\"1.0\"?> \n<ApiResponse> \n <FaxStatus> <Results>Completed</Results> </FaxStatus>\n</ApiResponse> ";
        let reply = decode(Operation::FaxStatus, 200, body.as_bytes()).unwrap();
        assert_eq!(reply.fax_status.unwrap().results, "Completed");
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
