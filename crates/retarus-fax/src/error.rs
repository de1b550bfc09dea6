//! Retarus's error detail and its mapping into [`faxkit::Error`].
//!
//! Fax4A documents its error bodies as "No Content": the HTTP status is the error. The statuses with a
//! Retarus-specific meaning become [`faxkit::Error::Vendor`] with an [`ApiError`] inside:
//!
//! | status | [`ApiErrorCode`] | meaning (Fax4A reference) |
//! |---|---|---|
//! | 400 | `BadRequest` | authorization missing or JSON not processable (also a `jobValid.start` without zone) |
//! | 409 | `DuplicateJob` | "CONFLICT: Duplicate job" |
//! | 500 | `InternalError` | server error |
//! | 520 | `UnknownError` | "unknown problem, most likely with the backend adaptor" |
//!
//! 401/403 become [`faxkit::Error::Auth`], 404 [`faxkit::Error::NotFound`], 429 rate limited, 503 and the
//! rest [`faxkit::Error::HttpStatus`] (503 is retryable).

use std::fmt;

use crate::VENDOR;

/// What a Retarus error status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorCode {
    /// HTTP 400.
    BadRequest,
    /// HTTP 409: a job with the same content was already accepted.
    DuplicateJob,
    /// HTTP 500.
    InternalError,
    /// HTTP 520, Retarus's "UNKNOWN_ERROR".
    UnknownError,
}

impl ApiErrorCode {
    /// The code as it appears in [`faxkit::Error::Vendor::code`].
    pub fn as_str(self) -> &'static str {
        match self {
            ApiErrorCode::BadRequest => "BAD_REQUEST",
            ApiErrorCode::DuplicateJob => "DUPLICATE_JOB",
            ApiErrorCode::InternalError => "INTERNAL_ERROR",
            ApiErrorCode::UnknownError => "UNKNOWN_ERROR",
        }
    }

    /// The code for an HTTP status, where the status has a Retarus meaning.
    pub fn from_status(status: u16) -> Option<Self> {
        match status {
            400 => Some(ApiErrorCode::BadRequest),
            409 => Some(ApiErrorCode::DuplicateJob),
            500 => Some(ApiErrorCode::InternalError),
            520 => Some(ApiErrorCode::UnknownError),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ApiErrorCode::BadRequest => "bad request (missing authorization or unprocessable JSON)",
            ApiErrorCode::DuplicateJob => "duplicate job",
            ApiErrorCode::InternalError => "internal server error",
            ApiErrorCode::UnknownError => "unknown error, most likely in the backend adaptor",
        }
    }
}

impl fmt::Display for ApiErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The typed detail inside a [`faxkit::Error::Vendor`] from this crate; get it with
/// `err.vendor_detail::<retarus_fax::ApiError>()`.
///
/// ```
/// # use retarus_fax::{ApiError, ApiErrorCode};
/// let err = retarus_fax::error::from_response(409, b"");
/// let detail = err.as_ref().and_then(|e| e.vendor_detail::<ApiError>()).unwrap();
/// assert_eq!(detail.code, ApiErrorCode::DuplicateJob);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Retarus answered HTTP {status} {code}: {message}")]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// Its Retarus meaning.
    pub code: ApiErrorCode,
    /// A description of the code.
    pub message: String,
    /// The start of the response body (usually empty).
    pub body: String,
}

/// Maps an error status and body to a typed error where Retarus gives the status a meaning; `None` lets
/// faxkit's status mapping decide (401/403, 404, 429, 503, …).
pub fn from_response(status: u16, body: &[u8]) -> Option<faxkit::Error> {
    let code = ApiErrorCode::from_status(status)?;
    let detail = ApiError { status, code, message: code.describe().to_owned(), body: faxkit::error::excerpt(body) };
    let message =
        if detail.body.is_empty() { detail.message.clone() } else { format!("{}: {}", detail.message, detail.body) };
    Some(faxkit::Error::from_vendor(VENDOR, status, code.as_str(), message, Some(Box::new(detail))))
}

/// Whether an error is Fax4A's 409 duplicate-job answer.
pub fn is_duplicate_job(err: &faxkit::Error) -> bool {
    err.vendor_detail::<ApiError>().is_some_and(|d| d.code == ApiErrorCode::DuplicateJob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let e = from_response(520, b"").unwrap();
        assert_eq!(e.kind(), faxkit::ErrorKind::Vendor);
        assert_eq!(e.vendor_code(), Some("UNKNOWN_ERROR"));
        assert!(is_duplicate_job(&from_response(409, b"dup").unwrap()));
        assert!(from_response(401, b"").is_none());
        assert!(from_response(503, b"").is_none());
    }
}
