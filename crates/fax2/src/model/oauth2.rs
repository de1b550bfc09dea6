//! `POST /oauth2/token`.

use faxkit::Secret;

/// The token endpoint's answer.
#[derive(Debug, Clone, serde::Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token (redacted in `Debug`).
    #[serde(deserialize_with = "secret")]
    pub access_token: Secret,
    /// Lifetime in seconds (3600 by default).
    pub expires_in: u64,
    /// `bearer` in API version 1.
    #[serde(default)]
    pub token_type: Option<String>,
}

fn secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    <String as serde::Deserialize>::deserialize(d).map(Secret::new)
}
