//! The InterFAX error body and its mapping into [`faxkit::Error`].
//!
//! Failures arrive with an HTTP error status and a JSON body `{"code":-1005,"message":"…","moreInfo":"…"}`
//! (`Content-Type: text/json` even when `application/json` was asked for). The docs spell `more_info`; the wire
//! `moreInfo`, possibly `null`. Both are read.

use serde::Deserialize;

use crate::VENDOR;
use crate::model::common::ErrorCode;

/// The typed detail of an InterFAX error, kept inside [`faxkit::Error::Vendor`]
/// (reach it with [`faxkit::Error::vendor_detail`]).
///
/// ```
/// # use interfax::{ApiError, ErrorCode};
/// let e = ApiError::parse(404, br#"{"code":-1062,"message":"Wrong uploaded document resource","moreInfo":null}"#).unwrap();
/// assert_eq!(e.code, ErrorCode::WRONG_DOCUMENT);
/// assert_eq!(e.more_info, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Deserialize)]
#[error("InterFAX error {code} (HTTP {status}): {message}{}", more_info.as_deref().map(|m| format!(" ({m})")).unwrap_or_default())]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status it arrived with.
    #[serde(skip)]
    pub status: u16,
    /// The InterFAX code (open set; see [`ErrorCode::meaning`]).
    pub code: ErrorCode,
    /// `message`: InterFAX's text for the code (e.g. "Fax resource not found"); empty when the body had none.
    #[serde(default)]
    pub message: String,
    /// Extra detail (`moreInfo`, or `more_info` as documented).
    #[serde(default, rename = "moreInfo", alias = "more_info")]
    pub more_info: Option<String>,
}

impl ApiError {
    /// Parses an error body; `None` when it is not InterFAX's error JSON.
    pub fn parse(status: u16, body: &[u8]) -> Option<ApiError> {
        let mut e: ApiError = serde_json::from_slice(body).ok()?;
        e.status = status;
        Some(e)
    }
}

impl From<ApiError> for faxkit::Error {
    /// 401/403 and -1003/-1876 → `Auth`; 404 → `NotFound`; -1011 (polling too fast) → `RateLimited` keeping
    /// this detail (code, message, `moreInfo`); the rest → `Vendor` with the code as text.
    fn from(e: ApiError) -> Self {
        let message = match &e.more_info {
            Some(more) if !more.is_empty() => format!("{} ({more})", e.message),
            _ => e.message.clone(),
        };
        match e.code.0 {
            -1011 => faxkit::Error::RateLimited { vendor: VENDOR, retry_after: None, detail: Some(Box::new(e)) },
            -1003 | -1876 => faxkit::Error::Auth { vendor: VENDOR, status: e.status, message },
            _ => faxkit::Error::from_vendor(VENDOR, e.status, e.code.to_string(), message, Some(Box::new(e))),
        }
    }
}

/// The error for an error status: InterFAX's JSON body when there is one, else the status mapping.
pub(crate) fn from_response(status: u16, body: &[u8]) -> Option<faxkit::Error> {
    ApiError::parse(status, body).map(faxkit::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use faxkit::ErrorKind;

    #[test]
    fn both_more_info_spellings() {
        let a =
            ApiError::parse(400, br#"{"code":-113,"message":"m","more_info":"List name [MyList2] does not exist"}"#)
                .unwrap();
        assert_eq!(a.more_info.as_deref(), Some("List name [MyList2] does not exist"));
        let b = ApiError::parse(404, br#"{"code":-1005,"message":"Fax resource not found","moreInfo":"x"}"#).unwrap();
        assert_eq!(b.more_info.as_deref(), Some("x"));
        assert!(ApiError::parse(500, b"<html>").is_none());
    }

    #[test]
    fn kinds() {
        let e = from_response(400, br#"{"code":-111,"message":"designated","moreInfo":null}"#).unwrap();
        assert_eq!(e.kind(), ErrorKind::Vendor);
        assert_eq!(e.vendor_code(), Some("-111"));
        assert_eq!(e.vendor_detail::<ApiError>().map(|d| d.code), Some(ErrorCode::NOT_DESIGNATED_NUMBER));
        assert_eq!(from_response(404, br#"{"code":-1005,"message":"m"}"#).unwrap().kind(), ErrorKind::NotFound);
        assert_eq!(from_response(401, br#"{"code":-1003,"message":"m"}"#).unwrap().kind(), ErrorKind::Auth);
        assert_eq!(from_response(400, br#"{"code":-1011,"message":"m"}"#).unwrap().kind(), ErrorKind::RateLimited);
    }
}
