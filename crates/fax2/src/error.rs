//! The Fax2 error body and its mapping into [`faxkit::Error`].
//!
//! Every 4xx/5xx response carries `{"error": "...", "error_description": "...", "more_info": "..."}`, possibly
//! with extra properties depending on the error (Fax2 API, "Errors"). The code is an open enum: minor versions
//! "introduce new error codes" without notice, so unknown codes are kept in [`ErrorCode::Other`].

use std::fmt;

use crate::VENDOR;

faxkit::open_enum! {
    /// A Fax2 error code (Fax2 API, "Error Codes").
    pub enum ErrorCode {
        /// Something is missing or invalid in a token request (token endpoint only).
        InvalidRequest = "invalid_request",
        /// Wrong user name or password (token endpoint only).
        InvalidClient = "invalid_client",
        /// The URL is not an endpoint, or the HTTP method is wrong for it.
        InvalidEndpoint = "invalid_endpoint",
        /// The access token is missing, invalid or expired.
        Unauthorized = "unauthorized",
        /// `grant_type` is not `client_credentials` (token endpoint only).
        UnsupportedGrantType = "unsupported_grant_type",
        /// The account may not access the resource, or is not enabled.
        Forbidden = "forbidden",
        /// The resource does not exist.
        NotFound = "not_found",
        /// A parameter is invalid, missing or unknown.
        BadParameter = "bad_parameter",
        /// Not enough credit to send the fax.
        InsufficientCredit = "insufficient_credit",
        /// The document's MIME type is not a supported document type.
        UnsupportedDocumentType = "unsupported_document_type",
        /// The converted document has no pages.
        EmptyDocument = "empty_document",
        /// The document could not be converted to fax format.
        ConversionError = "conversion_error",
        /// An unexpected server error.
        UnknownError = "unknown_error",
    }
}

/// The error body Fax2 sends with every 4xx/5xx status.
///
/// Reach it from a [`faxkit::Error`] with `err.vendor_detail::<fax2::ApiError>()`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status the error came with (not on the wire; filled in by the client).
    #[serde(skip)]
    pub status: u16,
    /// The error code, for software.
    pub error: ErrorCode,
    /// The English description, for people. Never match on it: minor versions change it.
    #[serde(default)]
    pub error_description: String,
    /// A link to more information about the code.
    #[serde(default)]
    pub more_info: Option<String>,
    /// Any further properties the error carries ("The response may contain other properties, depending on
    /// the error").
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} {}: {}", self.status, self.error, self.error_description)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// Parses an error body; `None` when the body is not a Fax2 error.
    pub fn parse(status: u16, body: &[u8]) -> Option<Self> {
        let mut err: ApiError = serde_json::from_slice(body).ok()?;
        err.status = status;
        Some(err)
    }
}

impl From<ApiError> for faxkit::Error {
    fn from(err: ApiError) -> Self {
        let status = err.status;
        match err.error {
            ErrorCode::InvalidClient | ErrorCode::Unauthorized | ErrorCode::Forbidden => faxkit::Error::Auth {
                vendor: VENDOR,
                status,
                message: format!("{}: {}", err.error, err.error_description),
            },
            ErrorCode::NotFound => {
                faxkit::Error::NotFound { vendor: VENDOR, message: format!("{}: {}", err.error, err.error_description) }
            }
            _ => {
                let (code, message) = (err.error.to_string(), err.error_description.clone());
                faxkit::Error::from_vendor(VENDOR, status, code, message, Some(Box::new(err)))
            }
        }
    }
}

/// The hook for [`faxkit::HttpClient::check`]: a typed error when the body is a Fax2 error. A 429 is left to
/// faxkit so its `Retry-After` is kept.
pub(crate) fn from_response(status: u16, body: &[u8]) -> Option<faxkit::Error> {
    if status == 429 {
        return None;
    }
    ApiError::parse(status, body).map(Into::into)
}

/// Decodes a 2xx JSON body; a Fax2 error body that arrives with a 2xx status is still an error.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(http: &faxkit::HttpClient, body: &[u8]) -> faxkit::Result<T> {
    http.decode_json(body).map_err(|decode_error| match ApiError::parse(200, body) {
        Some(api) => api.into(),
        None => decode_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use faxkit::ErrorKind;

    #[test]
    fn codes_map_to_kinds_and_keep_detail() {
        let body = br#"{"error":"insufficient_credit","error_description":"Not enough credit","more_info":"https://www.fax2.com.au/api/doc#error","balance":"0.00"}"#;
        let err = from_response(402, body).unwrap();
        assert_eq!(err.kind(), ErrorKind::Vendor);
        assert_eq!(err.vendor_code(), Some("insufficient_credit"));
        let detail = err.vendor_detail::<ApiError>().unwrap();
        assert_eq!(detail.error, ErrorCode::InsufficientCredit);
        assert_eq!(detail.extra["balance"], "0.00");
        assert_eq!(detail.status, 402);

        assert_eq!(from_response(400, br#"{"error":"invalid_client"}"#).unwrap().kind(), ErrorKind::Auth);
        assert_eq!(from_response(404, br#"{"error":"not_found"}"#).unwrap().kind(), ErrorKind::NotFound);
        let new = from_response(400, br#"{"error":"shiny_new_code","error_description":"x"}"#).unwrap();
        assert_eq!(new.vendor_code(), Some("shiny_new_code"));
        assert!(from_response(502, b"<html>bad gateway</html>").is_none());
        assert!(from_response(429, br#"{"error":"unknown_error"}"#).is_none());
    }
}
