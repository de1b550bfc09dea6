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
use crate::client::Operation;

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
