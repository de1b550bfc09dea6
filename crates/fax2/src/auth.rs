//! The OAuth2 token cache: one token shared by every call, refreshed before it expires, one refresh at a time.
//!
//! Fax2 uses the OAuth2 client-credentials grant: `POST /oauth2/token` with the Fax2 user name and password as
//! HTTP Basic and the form field `grant_type=client_credentials`; the answer's `access_token` is sent as
//! `Authorization: bearer <token>` on every other call and lives `expires_in` seconds (3600 by default).

use std::time::Duration;

use faxkit::http::Body;
use faxkit::{Credentials, HttpClient, Secret};
use tokio::sync::Mutex;
use tokio::time::Instant;

use reqwest::header::HeaderValue;

use crate::VENDOR;
use crate::model::TokenResponse;

/// `Authorization: bearer <token>`, marked sensitive. The Fax2 document writes the scheme in lower case.
fn bearer(token: &Secret) -> faxkit::Result<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("bearer {}", token.expose())).map_err(|_| {
        faxkit::Error::decode(VENDOR, "the access token holds characters not allowed in a header", b"", None)
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Refresh at most this long before the token expires.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Longest token lifetime taken at its word.
const MAX_LIFETIME_SECS: u64 = 24 * 3600;

/// A token handed to one request; `generation` tells a stale token from the current one.
#[derive(Clone)]
pub(crate) struct Token {
    /// `Authorization: bearer <token>`, built once when the token arrives and marked sensitive.
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

struct Cached {
    token: Token,
    refresh_at: Instant,
}

/// The shared token state. The mutex is held across a refresh, so concurrent calls wait for one token request
/// instead of each making their own.
pub(crate) struct TokenCache {
    credentials: Credentials,
    state: Mutex<State>,
    /// The current token and when to refresh it, read without waiting on `state` by every call while it is
    /// fresh (the common case); written only under `state`.
    fresh: std::sync::RwLock<Option<(Token, Instant)>>,
}

struct State {
    current: Option<Cached>,
    generation: u64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache").field("credentials", &self.credentials).finish_non_exhaustive()
    }
}

impl TokenCache {
    pub(crate) fn new(credentials: Credentials) -> Self {
        TokenCache {
            credentials,
            state: Mutex::new(State { current: None, generation: 0 }),
            fresh: std::sync::RwLock::new(None),
        }
    }

    pub(crate) fn username(&self) -> &str {
        &self.credentials.username
    }

    /// The current token, fetching a new one when there is none or it is about to expire.
    pub(crate) async fn token(&self, http: &HttpClient) -> faxkit::Result<Token> {
        if let Ok(fresh) = self.fresh.read()
            && let Some((token, refresh_at)) = &*fresh
            && Instant::now() < *refresh_at
        {
            return Ok(token.clone());
        }
        let mut state = self.state.lock().await;
        if let Some(cached) = &state.current
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        let response = self.request_token(http).await?;
        // Capped at a day so no `expires_in` the vendor sends can overflow the clock.
        let lifetime = Duration::from_secs(response.expires_in.min(MAX_LIFETIME_SECS));
        let margin = MAX_REFRESH_MARGIN.min(lifetime / 4);
        state.generation += 1;
        let token = Token { header: bearer(&response.access_token)?, generation: state.generation };
        let refresh_at = Instant::now() + (lifetime - margin);
        state.current = Some(Cached { token: token.clone(), refresh_at });
        if let Ok(mut fresh) = self.fresh.write() {
            *fresh = Some((token.clone(), refresh_at));
        }
        tracing::debug!(expires_in = response.expires_in, "fax2: new access token");
        Ok(token)
    }

    /// Drops `token` after the API refused it (401 `unauthorized`), unless another call already replaced it.
    pub(crate) async fn invalidate(&self, token: &Token) {
        let mut state = self.state.lock().await;
        if state.current.as_ref().is_some_and(|c| c.token.generation == token.generation) {
            state.current = None;
            if let Ok(mut fresh) = self.fresh.write() {
                *fresh = None;
            }
        }
    }

    async fn request_token(&self, http: &HttpClient) -> faxkit::Result<TokenResponse> {
        let basic = faxkit::http::basic_auth(VENDOR, &self.credentials.username, &self.credentials.password)?;
        // A token request creates nothing the caller sees, so it may be repeated.
        let request = faxkit::http::Request::post("oauth2/token")
            .idempotent()
            .body(Body::Form(vec![("grant_type".into(), "client_credentials".to_owned())]));
        let response = http.execute(request, &basic, crate::error::from_response).await?;
        let body = http.read_body(response).await?;
        crate::error::decode(http, &body)
    }
}
