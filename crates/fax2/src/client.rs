//! The Fax2 [`Client`], its builder and the one request path every endpoint goes through.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use faxkit::http::Request;
use faxkit::{Credentials, HttpClient, HttpConfig};
use url::Url;

use crate::auth::TokenCache;
use crate::error::{ApiError, ErrorCode, decode};
use crate::{DEFAULT_BASE_URL, VENDOR};

/// The body of [`Client::send_request`] over one of faxkit's exchanges (`execute`: the response to stream;
/// `execute_read`: the body read whole): access token, the request, one refresh and repeat on a curable 401.
///
/// A macro rather than a function generic over the exchange: the exchanges return borrowing futures, and a
/// trait over them loses their `Send` (rust-lang/rust#100013); a boxed future would cost an allocation a call.
macro_rules! authorized {
    ($client:expr, $make:expr, $exchange:ident $(, $arg:expr)*) => {{
        let http = &$client.inner.http;
        let mut refused: Option<faxkit::Error> = None;
        loop {
            let token = $client.inner.auth.token(http).await?;
            let request = match $make().await {
                Ok(r) => r,
                // The repeat could not be built (a reader document is single-use): report the 401.
                Err(e) => break Err(refused.unwrap_or(e)),
            };
            let first = refused.is_none();
            let mut curable = false;
            let errors = |status: u16, body: &[u8]| {
                if status == 401 && first {
                    let (error, cure) = refusal(body);
                    curable = cure;
                    return Some(error);
                }
                crate::error::from_response(status, body)
            };
            match http.$exchange(request, &token.header, errors $(, $arg)*).await {
                Err(error) if curable => {
                    tracing::debug!("fax2: access token refused; refreshing once");
                    $client.inner.auth.invalidate(&token).await;
                    refused = Some(error);
                }
                outcome => break outcome,
            }
        }
    }};
}

/// Environment variable holding the Fax2 user name.
pub const ENV_USERNAME: &str = "FAX2_USERNAME";
/// Environment variable holding the Fax2 password.
pub const ENV_PASSWORD: &str = "FAX2_PASSWORD";
/// Optional environment variable replacing the base URL (a sandbox, a proxy).
pub const ENV_BASE_URL: &str = "FAX2_BASE_URL";

/// A Fax2 API client. Cheap to clone: clones share the HTTP connection pool and the access token.
///
/// # Example
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # let sandbox = fax2::sandbox::Sandbox::start().await?;
/// # let (username, password, base_url) = sandbox.credentials();
/// let client = fax2::Client::builder()
///     .credentials(username, password)
///     .base_url(base_url) // only for a sandbox or proxy; defaults to https://api.fax2.com.au/v1
///     .build()?;
/// let services = client.fax_services().list().await?;
/// assert!(!services.is_empty());
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    auth: TokenCache,
}

/// Builds a [`Client`]; open it with [`Client::builder`].
///
/// ```
/// use std::time::Duration;
///
/// let client = fax2::Client::builder()
///     .credentials("alice", "s3cret")
///     // Optional settings
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(client.username(), "alice");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    http: HttpConfig,
}

impl ClientBuilder {
    /// The Fax2 user name and password (the OAuth2 client id and secret; required).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<faxkit::Secret>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    faxkit::setters! {
        in http;
        strings {
            /// Replaces the base URL (default `https://api.fax2.com.au/v1`). Plain http is accepted on loopback only.
            base_url,
        }
        plain {
            /// Sets the timeout of ordinary requests (uploads and downloads use the transfer timeout).
            timeout: Duration,
        }
    }

    /// Builds the client. No request is made: the first call fetches the access token.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] without credentials, for an empty user name or password, or for a bad
    /// base URL.
    pub fn build(self) -> faxkit::Result<Client> {
        let Some(credentials) = self.credentials else {
            return Err(faxkit::Error::invalid_input(
                VENDOR,
                format!(
                    "credentials are required: call ClientBuilder::credentials or set {ENV_USERNAME}/{ENV_PASSWORD}"
                ),
            ));
        };
        if credentials.username.trim().is_empty() || credentials.password.is_empty() {
            return Err(faxkit::Error::invalid_input(VENDOR, "the Fax2 user name and password must not be empty"));
        }
        let http = HttpClient::new(VENDOR, env!("CARGO_PKG_VERSION"), DEFAULT_BASE_URL, &self.http)?;
        Ok(Client { inner: Arc::new(Inner { http, auth: TokenCache::new(credentials) }) })
    }
}

faxkit::setters!(ClientBuilder {
    plain {
        /// Replaces all shared HTTP settings (timeouts, retries, user agent, base URL).
        http: HttpConfig,
    }
});

impl Client {
    /// Opens a builder; set the Fax2 user name and password (the OAuth2 client id and secret) with
    /// [`ClientBuilder::credentials`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with default settings.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new(username: impl Into<String>, password: impl Into<faxkit::Secret>) -> faxkit::Result<Self> {
        Self::builder().credentials(username, password).build()
    }

    /// A client from `FAX2_USERNAME`, `FAX2_PASSWORD` and the optional `FAX2_BASE_URL`.
    ///
    /// ```no_run
    /// # async fn run() -> faxkit::Result<()> {
    /// let client = fax2::Client::from_env()?;
    /// let services = client.fax_services().list().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] naming a missing variable (never a value).
    pub fn from_env() -> faxkit::Result<Self> {
        Self::builder_from_env()?.build()
    }

    /// A builder preset from the environment (see [`Client::from_env`]), to adjust before building.
    ///
    /// # Errors
    /// As [`Client::from_env`].
    pub fn builder_from_env() -> faxkit::Result<ClientBuilder> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Client::builder_from_env`] over any variable lookup.
    fn builder_from_lookup(get: impl Fn(&str) -> Option<String>) -> faxkit::Result<ClientBuilder> {
        let required = |name: &str| {
            get(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| faxkit::Error::invalid_input(VENDOR, format!("environment variable {name} is not set")))
        };
        let mut builder = Client::builder().credentials(required(ENV_USERNAME)?, required(ENV_PASSWORD)?);
        if let Some(url) = get(ENV_BASE_URL)
            && !url.trim().is_empty()
        {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The user name this client authenticates as.
    pub fn username(&self) -> &str {
        self.inner.auth.username()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &Url {
        self.inner.http.base_url()
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// A URL under the base URL from path segments, each percent-encoded (ids never change the path; empty,
    /// `.` and `..` segments are refused), as [`Request::segments`] builds it.
    pub(crate) fn url(&self, segments: &[&str]) -> faxkit::Result<Url> {
        Request::segments(reqwest::Method::GET, segments.iter().copied()).url(&self.inner.http)
    }

    /// The one request path: access token, `Authorization: bearer`, tracing span and retries (faxkit),
    /// one token refresh and repeat on a 401 `unauthorized`, and the Fax2 error body as a typed error.
    ///
    /// `make` builds the request; it is called again for the repeat after a refresh (an upload re-opens its
    /// document). A 401 is a refusal before any work, so the repeat cannot double a send.
    pub(crate) async fn send_request<F, Fut>(&self, mut make: F) -> faxkit::Result<reqwest::Response>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = faxkit::Result<Request>>,
    {
        authorized!(self, make, execute)
    }

    /// [`Client::send_request`] with the answer read whole, in the same future as the send
    /// ([`HttpClient::execute_read`]), and decoded as JSON.
    pub(crate) async fn send_json<T, F, Fut>(&self, mut make: F) -> faxkit::Result<T>
    where
        T: serde::de::DeserializeOwned,
        F: FnMut() -> Fut,
        Fut: Future<Output = faxkit::Result<Request>>,
    {
        let (_, body) = authorized!(self, make, execute_read, faxkit::http::JSON_LIMIT)?;
        decode(&self.inner.http, &body)
    }

    /// A GET of JSON at the path `segments` under the base URL (each percent-encoded, as
    /// [`Request::segments`]), idempotent; the URL is built once per attempt, with no link to check.
    pub(crate) async fn get_json_at<T: serde::de::DeserializeOwned>(&self, segments: &[&str]) -> faxkit::Result<T> {
        self.send_json(|| std::future::ready(Ok(Request::segments(reqwest::Method::GET, segments.iter().copied()))))
            .await
    }

    /// A GET of JSON at `url` (under the base URL), idempotent.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(&self, url: Url) -> faxkit::Result<T> {
        self.send_json(|| std::future::ready(Ok(Request::at(reqwest::Method::GET, url.clone())))).await
    }
}

/// What a 401 says: the error to report, and whether one token refresh may cure it (a Fax2 `unauthorized`, or
/// a body that is not a Fax2 error at all); any other code (`invalid_client`, …) is final.
fn refusal(body: &[u8]) -> (faxkit::Error, bool) {
    let parsed = ApiError::parse(401, body);
    let curable = parsed.as_ref().is_none_or(|p| p.error == ErrorCode::Unauthorized);
    let error = match parsed {
        Some(api) => api.into(),
        None => faxkit::Error::from_status(VENDOR, 401, body, None),
    };
    (error, curable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_env_reads_credentials_and_base_url() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
        };
        let client = Client::builder_from_lookup(vars(&[
            ("FAX2_USERNAME", "alice"),
            ("FAX2_PASSWORD", "pw"),
            ("FAX2_BASE_URL", "http://127.0.0.1:9/v1"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.username(), "alice");
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/v1/");

        let default = Client::builder_from_lookup(vars(&[("FAX2_USERNAME", "a"), ("FAX2_PASSWORD", "p")])).unwrap();
        assert_eq!(default.build().unwrap().base_url().as_str(), "https://api.fax2.com.au/v1/");

        let err = Client::builder_from_lookup(vars(&[("FAX2_USERNAME", "a"), ("FAX2_PASSWORD", " ")])).unwrap_err();
        assert!(err.to_string().contains("FAX2_PASSWORD"), "{err}");
        let err = Client::builder_from_lookup(vars(&[])).unwrap_err();
        assert!(err.to_string().contains("FAX2_USERNAME"), "{err}");
        let err = Client::builder().build().unwrap_err().to_string();
        assert!(err.contains("ClientBuilder::credentials") && err.contains("FAX2_USERNAME"), "{err}");
    }
}
