//! [`Client`], its builder, and the one request path every endpoint goes through.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub(crate) use faxkit::http::{Body, Request};
use faxkit::{Credentials, Error, HttpClient, HttpConfig, Result, RetryConfig};
use url::Url;

use crate::VENDOR;
use crate::model::common::last_segment;

/// The standard REST host.
pub const DEFAULT_BASE_URL: &str = "https://rest.interfax.net/";
/// Largest chunk the documents API takes ("up to 1 Mb per chunk").
pub const MAX_CHUNK_SIZE: usize = 1024 * 1024;
/// Environment variable holding the user name.
pub const ENV_USERNAME: &str = "INTERFAX_USERNAME";
/// Environment variable holding the password.
pub const ENV_PASSWORD: &str = "INTERFAX_PASSWORD";
/// Optional environment variable overriding the base URL (a sandbox, a PCI host).
pub const ENV_BASE_URL: &str = "INTERFAX_BASE_URL";

/// Which InterFAX host to talk to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Host {
    /// `https://rest.interfax.net/` (the default).
    #[default]
    Standard,
    /// The PCI-DSS API, `https://rest-sl.interfax.net/`. It lacks `postponeTime` and `fitToPage`.
    Pci,
    /// The PCI-DSS API in the USA, `https://restus-sl.interfax.net/`.
    PciUs,
    /// The PCI-DSS API in Canada, `https://restca-sl.interfax.net/`.
    PciCa,
    /// Any other base URL (a proxy, the sandbox). https is required except on loopback.
    Custom(String),
}

impl Host {
    /// The base URL.
    ///
    /// ```
    /// # use interfax::Host;
    /// assert_eq!(Host::PciCa.base_url(), "https://restca-sl.interfax.net/");
    /// ```
    pub fn base_url(&self) -> &str {
        match self {
            Host::Standard => DEFAULT_BASE_URL,
            Host::Pci => "https://rest-sl.interfax.net/",
            Host::PciUs => "https://restus-sl.interfax.net/",
            Host::PciCa => "https://restca-sl.interfax.net/",
            Host::Custom(url) => url,
        }
    }
}

/// Builds a [`Client`]; get one with [`Client::builder`].
///
/// ```
/// # use interfax::{Client, Host};
/// # use std::time::Duration;
/// let client = Client::builder()
///     .credentials("alice", "s3cret")
///     .host(Host::Pci)
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://rest-sl.interfax.net/");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    host: Host,
    http: HttpConfig,
    chunk_size: usize,
    upload_threshold: u64,
    pci: bool,
    poll_limit_retry: Option<RetryConfig>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            host: Host::Standard,
            http: HttpConfig::default(),
            chunk_size: MAX_CHUNK_SIZE,
            upload_threshold: MAX_CHUNK_SIZE as u64,
            pci: false,
            poll_limit_retry: None,
        }
    }
}

impl ClientBuilder {
    /// The InterFAX user name and password (HTTP Basic on every call).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<faxkit::Secret>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// A custom base URL (same as `host(Host::Custom(url))`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.host = Host::Custom(url.into());
        self
    }

    /// The per-request timeout (uploads and downloads use the HTTP config's transfer timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.http = self.http.timeout(timeout);
        self
    }

    /// Opt-in: repeats an idempotent status read (`GET /outbound/faxes/{id}`, `GET /outbound/faxes/completed`)
    /// that InterFAX refused with `-1011` ("Too many data requests": more than 6 polls of a fax in a minute),
    /// waiting `retry`'s back-off between attempts (use at least 10 s in production: the limit is per minute).
    /// Off by default: a refused poll is [`Error::RateLimited`] with the InterFAX detail. Sends, uploads and
    /// other calls are never repeated by this.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let client = interfax::Client::builder()
    ///     .credentials("alice", "s3cret")
    ///     .retry_too_many_data_requests(faxkit::RetryConfig {
    ///         max_retries: 3,
    ///         initial_backoff: Duration::from_secs(10),
    ///         max_backoff: Duration::from_secs(60),
    ///         ..faxkit::RetryConfig::default()
    ///     })
    ///     .build()?;
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    pub fn retry_too_many_data_requests(mut self, retry: impl Into<Option<RetryConfig>>) -> Self {
        self.poll_limit_retry = retry.into();
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] without credentials, with a bad base URL, or a chunk size of 0 or above 1 MiB.
    pub fn build(self) -> Result<Client> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::invalid_input(
                VENDOR,
                format!(
                    "credentials are required: call ClientBuilder::credentials or set {ENV_USERNAME}/{ENV_PASSWORD}"
                ),
            )
        })?;
        if credentials.username.is_empty() {
            return Err(Error::invalid_input(VENDOR, "the user name is empty"));
        }
        if self.chunk_size == 0 || self.chunk_size > MAX_CHUNK_SIZE {
            return Err(Error::invalid_input(
                VENDOR,
                format!("chunk size {} is outside 1..={MAX_CHUNK_SIZE}", self.chunk_size),
            ));
        }
        let http = HttpClient::new(VENDOR, env!("CARGO_PKG_VERSION"), self.host.base_url(), &self.http)?;
        let pci =
            self.pci || http.base_url().host_str().is_some_and(|h| PCI_HOSTS.iter().any(|p| h.eq_ignore_ascii_case(p)));
        let authorization = faxkit::http::basic_auth(VENDOR, &credentials.username, &credentials.password)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials,
                authorization,
                chunk_size: self.chunk_size,
                upload_threshold: self.upload_threshold,
                pci,
                poll_limit_retry: self.poll_limit_retry,
            }),
        })
    }
}

faxkit::setters!(ClientBuilder {
    plain {
        /// The host (standard, PCI, or custom).
        host: Host,
        /// Shared HTTP settings (timeouts, user agent, retries of idempotent calls). Its `base_url`, when set,
        /// wins over [`host`](Self::host).
        http: HttpConfig,
        /// Chunk size of document uploads, at most [`MAX_CHUNK_SIZE`] (the default).
        chunk_size: usize,
        /// Local documents larger than this are uploaded through `/outbound/documents` in chunks and then faxed
        /// by reference (default 1 MiB, like the official SDKs). `u64::MAX` streams every document in the send.
        upload_threshold: u64,
        /// Marks the account as a REST PCI API account even though the base URL is not one of InterFAX's PCI hosts
        /// (a proxy in front of `rest-sl.interfax.net`, say). The PCI hosts ([`Host::Pci`], [`Host::PciUs`],
        /// [`Host::PciCa`], or a custom URL on one of them) are recognised without it. A PCI client refuses
        /// `postponeTime` and `fitToPage` before any request: the PCI API does not have them.
        pci: bool,
    }
});

/// The InterFAX client: cheap to clone, one connection pool, HTTP Basic on every call.
///
/// Resources hang off it as handlers: [`outbound`](Client::outbound), [`batches`](Client::batches),
/// [`documents`](Client::documents), [`inbound`](Client::inbound), [`accounts`](Client::accounts).
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # let (user, password, base_url) = sandbox.credentials();
/// let client = interfax::Client::builder().credentials(user, password).base_url(base_url).build()?;
/// let balance = client.accounts().balance().await?;
/// println!("{balance}");
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    credentials: Credentials,
    /// `Basic …` for `credentials`, encoded once (sensitive: hidden from `Debug`).
    authorization: reqwest::header::HeaderValue,
    chunk_size: usize,
    upload_threshold: u64,
    pci: bool,
    poll_limit_retry: Option<RetryConfig>,
}

/// InterFAX's REST PCI API hosts (PCI API reference; the .NET SDK's `ApiRoot`).
const PCI_HOSTS: [&str; 3] = ["rest-sl.interfax.net", "restus-sl.interfax.net", "restca-sl.interfax.net"];

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.http.base_url().as_str())
            .field("credentials", &self.inner.credentials)
            .field("chunk_size", &self.inner.chunk_size)
            .field("upload_threshold", &self.inner.upload_threshold)
            .field("pci", &self.inner.pci)
            .field("poll_limit_retry", &self.inner.poll_limit_retry)
            .finish()
    }
}

impl Client {
    /// A client for the standard host.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new(username: impl Into<String>, password: impl Into<faxkit::Secret>) -> Result<Client> {
        Client::builder().credentials(username, password).build()
    }

    /// A builder with no credentials yet, the standard host (`https://rest.interfax.net`) and faxkit's default
    /// HTTP settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from `INTERFAX_USERNAME`, `INTERFAX_PASSWORD` and, optionally, `INTERFAX_BASE_URL`.
    ///
    /// ```no_run
    /// let client = interfax::Client::from_env()?;
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a missing variable.
    pub fn from_env() -> Result<Client> {
        Client::builder_from_env()?.build()
    }

    /// A builder pre-filled from the environment (see [`from_env`](Client::from_env)), to adjust further.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a missing variable.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        Client::builder_from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`builder_from_env`](Client::builder_from_env), reading the variables through `lookup` (a map in
    /// tests, a secrets store in production).
    ///
    /// ```
    /// let builder = interfax::Client::builder_from_vars(|name| match name {
    ///     "INTERFAX_USERNAME" => Some("alice".into()),
    ///     "INTERFAX_PASSWORD" => Some("s3cret".into()),
    ///     "INTERFAX_BASE_URL" => Some("https://rest-sl.interfax.net".into()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(builder.build()?.base_url().as_str(), "https://rest-sl.interfax.net/");
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a missing or empty variable (never a value).
    pub fn builder_from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        let required = |name: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Error::invalid_input(VENDOR, format!("environment variable {name} is not set")))
        };
        let mut builder = Client::builder().credentials(required(ENV_USERNAME)?, required(ENV_PASSWORD)?);
        if let Some(url) = lookup(ENV_BASE_URL).filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &Url {
        self.inner.http.base_url()
    }

    pub(crate) fn chunk_size(&self) -> usize {
        self.inner.chunk_size
    }

    pub(crate) fn upload_threshold(&self) -> u64 {
        self.inner.upload_threshold
    }

    /// Whether the client talks to the REST PCI API (a PCI host, or [`ClientBuilder::pci`]).
    ///
    /// ```
    /// let client = interfax::Client::builder().credentials("a", "b").host(interfax::Host::PciUs).build()?;
    /// assert!(client.is_pci());
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    pub fn is_pci(&self) -> bool {
        self.inner.pci
    }

    /// A status read: [`json`](Self::json), repeated after `-1011` when the client opted in
    /// ([`ClientBuilder::retry_too_many_data_requests`]). `make` builds the (idempotent, bodiless) request anew
    /// for each attempt.
    pub(crate) async fn status_read<T: serde::de::DeserializeOwned>(&self, make: impl Fn() -> Request) -> Result<T> {
        let mut attempt = 0;
        loop {
            let result = self.json(make()).await;
            let Some(retry) = &self.inner.poll_limit_retry else { return result };
            match result {
                Err(e) if attempt < retry.max_retries && is_too_many_data_requests(&e) => {
                    let delay = retry.backoff(attempt);
                    tracing::debug!(attempt, ?delay, "interfax: -1011, polling again after a pause");
                    // Boxed: a timer is large, and this future is copied on every status read.
                    Box::pin(tokio::time::sleep(delay)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        self.inner.http.url(path)
    }

    /// The one request path, [`HttpClient::execute`] with InterFAX's Basic authorization and error mapper.
    pub(crate) async fn send_request(&self, req: Request) -> Result<reqwest::Response> {
        self.inner.http.execute(req, &self.inner.authorization, crate::error::from_response).await
    }

    /// Sends and decodes a JSON reply, whatever its content type (`text/json` or `application/json`).
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, req: Request) -> impl Future<Output = Result<T>> {
        // `execute_json`'s own future, not one more level around it (each level is copied on every call).
        self.inner.http.execute_json(req, &self.inner.authorization, crate::error::from_response)
    }

    /// Every item of a listing paged by `lastId`, page after page: each page is `request(cursor)` (no cursor for
    /// the first page unless `start`), and a full page (`limit`, default 25 items) goes on after the id of its
    /// last item (`id_of`). A cursor seen twice ends the listing with an error.
    pub(crate) fn last_id_pages<T, Id, R>(
        &self,
        start: Option<Id>,
        limit: Option<u32>,
        request: R,
        id_of: fn(&T) -> Id,
    ) -> impl futures::Stream<Item = Result<T>> + Send + use<T, Id, R>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
        Id: Copy + std::hash::Hash + Send + 'static,
        R: Fn(Option<Id>) -> Request + Send + 'static,
    {
        let page_size = limit.unwrap_or(25) as usize;
        let client = self.clone();
        faxkit::paging::paginate_unique(
            start,
            |c| Some(*c),
            move |cursor| {
                let (req, client) = (request(cursor), client.clone());
                async move {
                    let page: Vec<T> = client.json(req).await?;
                    let next = (page.len() >= page_size).then(|| page.last().map(id_of)).flatten();
                    Ok((page, next.map(Some)))
                }
            },
        )
    }

    /// Every item of a listing paged by `offset`, page after page from `start` (default 0): each page is
    /// `request(offset)`, and a full page (`limit`, default 25 items) goes on at the offset after it. An offset
    /// seen twice ends the listing with an error.
    pub(crate) fn offset_pages<T, R>(
        &self,
        start: Option<u32>,
        limit: Option<u32>,
        request: R,
    ) -> impl futures::Stream<Item = Result<T>> + Send + use<T, R>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
        R: Fn(u32) -> Request + Send + 'static,
    {
        let page_size = limit.unwrap_or(25);
        let client = self.clone();
        faxkit::paging::paginate_unique(
            start.unwrap_or(0),
            |c| Some(*c),
            move |offset| {
                let (req, client) = (request(offset), client.clone());
                async move {
                    let page: Vec<T> = client.json(req).await?;
                    let got = u32::try_from(page.len()).unwrap_or(u32::MAX);
                    Ok((page, (got >= page_size).then(|| offset.saturating_add(got))))
                }
            },
        )
    }

    /// Sends and returns the last path segment of `Location` (create replies carry the new id only there, with
    /// an empty body; 201 and 202 are both seen).
    pub(crate) async fn created(&self, req: Request) -> Result<String> {
        self.created_location(req).await.map(|(id, _)| id)
    }

    /// Like [`created`](Self::created), also returning the whole `Location` URI (a relative one resolved
    /// against the base URL).
    pub(crate) async fn created_location(&self, req: Request) -> Result<(String, String)> {
        let response = self.send_request(req).await?;
        // A success to a request that creates something, whose id cannot be read: it may have been created.
        let accepted = faxkit::http::is_non_idempotent(&response);
        let lost = |e: Error| if accepted { Error::ambiguous(VENDOR, None, e) } else { e };
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| lost(Error::decode(VENDOR, "the reply has no Location header", b"", None)))?;
        let _ = self.inner.http.read_limited(response, faxkit::http::ERROR_BODY_LIMIT).await;
        let id = last_segment(&location)
            .map(str::to_owned)
            .ok_or_else(|| lost(Error::decode(VENDOR, "no id in the Location header", location.as_bytes(), None)))?;
        let uri = self.inner.http.base_url().join(&location).map(String::from).map_err(|e| {
            lost(Error::decode(VENDOR, format!("the Location header is not a URI: {e}"), location.as_bytes(), None))
        })?;
        Ok((id, uri))
    }

    /// Like [`created`](Self::created), parsed into a numeric id.
    pub(crate) async fn created_id<I: FromStr<Err = Error>>(&self, req: Request) -> Result<I> {
        let id = self.created(req).await?;
        id.parse().map_err(|_| Error::decode(VENDOR, "the id in Location is not numeric", id.as_bytes(), None))
    }

    /// Sends; accepts an empty body or the bare literal `true` (mark, inbound resend). A bare `false` is an error.
    pub(crate) async fn confirmed(&self, req: Request) -> Result<()> {
        let response = self.send_request(req).await?;
        let status = response.status().as_u16();
        let body = self.inner.http.read_limited(response, faxkit::http::ERROR_BODY_LIMIT).await?;
        let text = String::from_utf8_lossy(&body);
        if text.trim().eq_ignore_ascii_case("false") {
            return Err(Error::from_vendor(VENDOR, status, "false", "InterFAX answered `false`", None));
        }
        Ok(())
    }

    /// Sends and returns the whole small body.
    pub(crate) async fn raw(&self, req: Request) -> Result<(reqwest::StatusCode, Option<String>, bytes::Bytes)> {
        let response = self.send_request(req).await?;
        let status = response.status();
        let ct = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = self.inner.http.read_body(response).await?;
        Ok((status, ct, body))
    }

    /// Sends and streams the reply body as a download.
    pub(crate) async fn download(&self, req: Request) -> Result<faxkit::Download> {
        let response = self.send_request(req.transfer()).await?;
        Ok(self.inner.http.download(response))
    }
}

/// InterFAX's `-1011` ("Too many data requests").
fn is_too_many_data_requests(e: &Error) -> bool {
    e.vendor_detail::<crate::error::ApiError>()
        .is_some_and(|d| d.code == crate::model::common::ErrorCode::TOO_MANY_REQUESTS)
}
