//! FaxCore's error detail and its mapping into [`faxkit::Error`].
//!
//! The API reference documents no error body. What this crate recognises:
//!
//! * an HTTP error status (401/403 → [`faxkit::Error::Auth`], 404 → [`faxkit::Error::NotFound`], 429 →
//!   [`faxkit::Error::RateLimited`], others → [`faxkit::Error::HttpStatus`] or, with an XML error body,
//!   [`faxkit::Error::Vendor`]);
//! * an `<ApiResponse>` that carries an error element instead of the operation's element, or an ASP.NET
//!   `<Error><Message>…</Message></Error>` document → [`faxkit::Error::Vendor`] with an [`ApiError`] of kind
//!   [`ApiErrorKind::ErrorBody`];
//! * an operation element whose `<Results>` is not a result (`SendFax` without a numeric fax id, `DeleteFax`
//!   without `OK`) → [`faxkit::Error::Vendor`] with kind [`ApiErrorKind::Rejected`];
//! * anything else (not XML, another root, no known element) → [`faxkit::Error::Decode`] whose source is an
//!   [`ApiError`] of kind [`ApiErrorKind::Unexpected`].
//!
//! Every [`ApiError`] keeps an excerpt of the body. Get it back with
//! [`faxkit::Error::vendor_detail`]`::<ApiError>()` or by walking `source()`.

use std::fmt;

use crate::VENDOR;
use faxkit::xml::Element;

use crate::operation::Operation;

/// What kind of FaxCore error an [`ApiError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The operation's `<Results>` held something other than a result (an error text).
    Rejected,
    /// The body was an error document (an error element in `<ApiResponse>`, or an `<Error>` root).
    ErrorBody,
    /// The body was not the documented `<ApiResponse>` for the operation.
    Unexpected,
}

impl ApiErrorKind {
    /// A short name: `rejected`, `error`, `unexpected`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiErrorKind::Rejected => "rejected",
            ApiErrorKind::ErrorBody => "error",
            ApiErrorKind::Unexpected => "unexpected",
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A FaxCore error body, typed: the operation, the HTTP status, the element that held the error, its text and
/// an excerpt of the whole body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("FaxCore {operation}: {kind} response (HTTP {http_status}): {message}")]
#[non_exhaustive]
pub struct ApiError {
    /// The operation called.
    pub operation: Operation,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What kind of error this is.
    pub kind: ApiErrorKind,
    /// The element that carried the error (`Results`, `Error`, `Message`, …), where there was one.
    pub element: Option<String>,
    /// The error text, as FaxCore wrote it (or a description of what was unexpected).
    pub message: String,
    /// The first [`faxkit::error::EXCERPT_LEN`] characters of the body.
    pub excerpt: String,
}

impl ApiError {
    pub(crate) fn new(
        operation: Operation,
        http_status: u16,
        kind: ApiErrorKind,
        element: Option<String>,
        message: impl Into<String>,
        body: &[u8],
    ) -> Self {
        ApiError {
            operation,
            http_status,
            kind,
            element,
            message: message.into(),
            excerpt: faxkit::error::excerpt(body),
        }
    }
}

/// Parses a whole reply with faxkit's hardened XML tree parser (depth, size, element and attribute limits;
/// no document type declarations).
pub(crate) fn parse_tree(xml: &str) -> Result<Element, faxkit::xml::XmlError> {
    faxkit::xml::parse(xml.as_bytes(), &faxkit::xml::XmlLimits::default())
}

/// The body as text without a byte-order mark.
pub(crate) fn text(body: &[u8]) -> Result<&str, std::str::Utf8Error> {
    std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body))
}

/// Names of elements that carry an error message.
pub(crate) fn is_error_element(name: &str) -> bool {
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

/// The error mapper [`faxkit::HttpClient::execute`] calls for an error status: the typed error an error body
/// holds, or `None` to let faxkit map the bare status.
pub(crate) fn from_response(op: Operation, status: u16, body: &[u8]) -> Option<faxkit::Error> {
    let e = classify_error(op, status, body);
    (e.kind != ApiErrorKind::Unexpected).then(|| e.into())
}

impl From<ApiError> for faxkit::Error {
    fn from(e: ApiError) -> Self {
        match e.kind {
            ApiErrorKind::Unexpected => faxkit::Error::Decode {
                vendor: VENDOR,
                message: format!("{}: {}", e.operation, e.message),
                excerpt: e.excerpt.clone(),
                source: Some(Box::new(e)),
            },
            ApiErrorKind::Rejected | ApiErrorKind::ErrorBody => {
                let code = e.element.clone().unwrap_or_else(|| e.kind.as_str().to_owned());
                let (status, message) = (e.http_status, e.message.clone());
                faxkit::Error::from_vendor(VENDOR, status, code, message, Some(Box::new(e)))
            }
        }
    }
}
