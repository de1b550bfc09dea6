//! Account balance and the helper endpoints' replies.

use bytes::Bytes;

/// The reply of a helper or tester endpoint (`/tests/date`, `/tests/errorcodes`, `/outbound/help/mediatype`,
/// `/outbound/test` …), whose shapes are not documented: kept raw, with its content type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HelperResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, when sent.
    pub content_type: Option<String>,
    /// The body bytes exactly as received (text, JSON or HTML; not decoded).
    pub body: Bytes,
}

impl HelperResponse {
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded as JSON into `T`.
    ///
    /// # Errors
    /// [`faxkit::Error::Decode`].
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> faxkit::Result<T> {
        faxkit::http::decode_json(crate::VENDOR, &self.body)
    }
}
