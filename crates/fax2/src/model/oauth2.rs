//! `POST /oauth2/token`.

use faxkit::Secret;

/// The lifetime assumed for a token whose answer has no `expires_in`, in seconds.
///
/// Fax2 documents `expires_in` (3600 by default), but RFC 6749 section 5.1 makes it only RECOMMENDED. Five
/// minutes is deliberately short: a token taken to live longer than it does would fail calls, one refreshed
/// early only costs a token request.
pub const DEFAULT_EXPIRES_IN: u64 = 300;

/// The token endpoint's answer.
#[derive(Debug, Clone, serde::Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token (redacted in `Debug`).
    #[serde(deserialize_with = "secret")]
    pub access_token: Secret,
    /// Lifetime in seconds (Fax2's default is 3600); [`DEFAULT_EXPIRES_IN`] when the answer has none.
    #[serde(default = "default_expires_in")]
    pub expires_in: u64,
    /// `bearer` in API version 1.
    #[serde(default)]
    pub token_type: Option<String>,
}

fn secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    <String as serde::Deserialize>::deserialize(d).map(Secret::new)
}

fn default_expires_in() -> u64 {
    DEFAULT_EXPIRES_IN
}
