//! The client: configuration, sessions, and the one `send_request` every operation goes through.

use std::sync::Arc;
use std::time::Duration;

use faxkit::{Credentials, HttpClient, HttpConfig, Idempotency, Secret};
use reqwest::header::{HeaderMap, HeaderValue};

use crate::VENDOR;
use crate::legacy::SetProductId;
use crate::model::ProductId;
use crate::operation::{Dialect, Operation, Param, ParamValue, ProductUse, SoapVariant};
use crate::security::SecurityAuthenticate;
use crate::transport::{self, Call, Encoder, PathCase, ResponseFormat, RestEncoding, RpcNaming, Transport};

/// Hosts of the WestFax API (reference §1).
pub mod hosts {
    /// Production, as published in the current docs (the default).
    pub const API2: &str = "https://api2.westfax.com/";
    /// Production, older name, still live (the npm client's default).
    pub const APISECURE: &str = "https://apisecure.westfax.com/";
    /// Developer sandbox: sends no faxes; its paths are case-sensitive (`/rest/`).
    pub const INTEGRATE: &str = "https://integrate.westfax.com/";
    /// The legacy Polka.Api generation (the SOAP WSDL's home).
    pub const LEGACY: &str = "https://api.westfax.com/Polka.Api/";
}

/// The default base URL.
pub const DEFAULT_BASE_URL: &str = hosts::API2;

/// How long WestFax serves a cached status: "There is a cache on the server side. Calls will only be updated
/// every 3 minutes. So just be patient." (the vendor's SDK demo, `DemoWorkflow.cs` in github.com/westfax/SDK-Fax).
/// The default of [`ClientBuilder::min_status_interval`].
pub const STATUS_CACHE: Duration = Duration::from_secs(180);

/// How the client authenticates calls (reference §4).
///
/// In the stateful modes over SOAP, the client signs in with `Authenticate` and then binds the configured fax
/// line with the WSDL's `SetProductId` before the first operation (the stateful SOAP messages carry no
/// `ProductId`); a refused `SetProductId` fails the call and keeps no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SessionMode {
    /// `Username`/`Password` (and `ProductId`) on every call; SOAP `…Stateless` messages. The default.
    #[default]
    Stateless,
    /// Sign in once with `Cookies=true`; the client keeps the `ASP.NET_SessionId` cookie and sends it;
    /// SOAP `…StatefulCookie` messages.
    Cookie,
    /// Sign in once with `Cookies=false`; the client sends the returned token as `SessionToken` in each body;
    /// SOAP `…StatefulNoCookie` messages.
    Token,
}

impl SessionMode {
    fn variant(self) -> SoapVariant {
        match self {
            SessionMode::Stateless => SoapVariant::Stateless,
            SessionMode::Cookie => SoapVariant::StatefulCookie,
            SessionMode::Token => SoapVariant::StatefulNoCookie,
        }
    }
}

#[derive(Default)]
struct Session {
    token: Option<Secret>,
    cookie: Option<Secret>,
}

struct Inner {
    http: HttpClient,
    credentials: Credentials,
    product_id: Option<ProductId>,
    transport: Transport,
    encoder: Box<dyn Encoder>,
    session_mode: SessionMode,
    session: tokio::sync::Mutex<Session>,
    body_limit: usize,
    rpc_naming: RpcNaming,
    min_status_interval: Duration,
}

/// A WestFax client. Cheap to clone; one connection pool and session per client.
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = westfax::sandbox::Sandbox::start().await.unwrap();
/// use westfax::{Client, Operation, SessionMode, Transport, security::SecurityGetUserInfo};
///
/// let client = Client::builder()
///     .credentials("user@example.com", "secret")
/// #   .credentials(westfax::sandbox::USERNAME, westfax::sandbox::PASSWORD)
///     .product_id("00000000-1111-2222-3333-444444444444")
/// #   .product_id(westfax::sandbox::PRODUCT_ID)
/// #   .base_url(sandbox.uri())
///     // Optional settings
///     .transport(Transport::Soap12)
///     .session(SessionMode::Token)
///     .build()?;
/// let me = SecurityGetUserInfo.send(&client.with_transport(Transport::Rest)?).await?;
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    config: Arc<ClientBuilder>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.http.base_url().as_str())
            .field("credentials", &self.inner.credentials)
            .field("product_id", &self.inner.product_id)
            .field("transport", &self.inner.transport)
            .field("session", &self.inner.session_mode)
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    product_id: Option<ProductId>,
    transport: Transport,
    session: SessionMode,
    rest_encoding: RestEncoding,
    path_case: Option<PathCase>,
    http: HttpConfig,
    body_limit: Option<usize>,
    rpc_naming: Option<RpcNaming>,
    min_status_interval: Option<Duration>,
}

impl ClientBuilder {
    /// The account's user name and password (required).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// The fax line to use (`ProductId`), required by most `Fax_*` calls.
    pub fn product_id(mut self, id: impl Into<ProductId>) -> Self {
        self.product_id = Some(id.into());
        self
    }

    /// The base URL: one of [`hosts`] or your own (default [`hosts::API2`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.http = self.http.base_url(url);
        self
    }

    /// The wire (default [`Transport::Rest`]).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Stateless or stateful (default [`SessionMode::Stateless`]).
    pub fn session(mut self, mode: SessionMode) -> Self {
        self.session = mode;
        self
    }

    /// The REST response suffix for [`Transport::Rest`] (`json` or `json2`).
    pub fn rest_encoding(mut self, encoding: RestEncoding) -> Self {
        self.rest_encoding = encoding;
        self
    }

    /// The case of `/REST/`; default upper case, lower case on `integrate.westfax.com`.
    pub fn path_case(mut self, case: PathCase) -> Self {
        self.path_case = Some(case);
        self
    }

    /// Shared HTTP settings (timeouts, retries, user agent, base URL). A base URL set before is kept unless
    /// `config` has its own.
    pub fn http(mut self, mut config: HttpConfig) -> Self {
        if config.base_url.is_none() {
            config.base_url = self.http.base_url.take();
        }
        self.http = config;
        self
    }

    /// The request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.http = self.http.timeout(timeout);
        self
    }

    /// How RPC and SOAP Object requests name methods and fields (default: [`RpcNaming::Legacy`] on the legacy
    /// host `api.westfax.com`, the form of the one recorded RPC request; [`RpcNaming::Current`] elsewhere, a
    /// guess). See [`RpcNaming`].
    pub fn rpc_naming(mut self, naming: RpcNaming) -> Self {
        self.rpc_naming = Some(naming);
        self
    }

    /// The shortest time between two status reads of [`FaxService::wait`](faxkit::FaxService::wait) (default
    /// [`STATUS_CACHE`], 3 minutes): WestFax refreshes a status only every 3 minutes, so polling faster reads
    /// the same answer again. A shorter `WaitOptions::interval` is raised to this; the sandbox, which has no
    /// cache, sets zero.
    pub fn min_status_interval(mut self, interval: Duration) -> Self {
        self.min_status_interval = Some(interval);
        self
    }

    /// The largest response body read into memory (default 16 MiB); documents stream past it.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] without credentials or with a bad base URL.
    pub fn build(self) -> faxkit::Result<Client> {
        let Some(credentials) = self.credentials.clone() else {
            return Err(faxkit::Error::invalid_input(VENDOR, "credentials are required"));
        };
        let http = HttpClient::with_builder(VENDOR, env!("CARGO_PKG_VERSION"), DEFAULT_BASE_URL, &self.http, |b| {
            b.no_gzip().no_deflate()
        })?;
        let case = self.path_case.unwrap_or_else(|| {
            let lower = http.base_url().host_str().is_some_and(|h| h.eq_ignore_ascii_case("integrate.westfax.com"));
            if lower { PathCase::Lower } else { PathCase::Upper }
        });
        let rpc_naming = self.rpc_naming.unwrap_or_else(|| {
            let legacy = http.base_url().host_str().is_some_and(|h| h.eq_ignore_ascii_case("api.westfax.com"));
            if legacy { RpcNaming::Legacy } else { RpcNaming::Current }
        });
        let inner = Inner {
            rpc_naming,
            min_status_interval: self.min_status_interval.unwrap_or(STATUS_CACHE),
            encoder: transport::encoder(self.transport, self.rest_encoding, case),
            http,
            credentials,
            product_id: self.product_id.clone(),
            transport: self.transport,
            session_mode: self.session,
            session: tokio::sync::Mutex::new(Session::default()),
            body_limit: self.body_limit.unwrap_or(DEFAULT_BODY_LIMIT),
        };
        Ok(Client { inner: Arc::new(inner), config: Arc::new(self) })
    }
}

/// A response whose status and body have not been looked at yet.
pub(crate) struct Raw {
    /// Whether the call creates something (`Fax_SendFax`): its failures after the request left are ambiguous.
    pub(crate) non_idempotent: bool,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) format: ResponseFormat,
    pub(crate) stream: faxkit::ByteStream,
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: `WESTFAX_USERNAME`, `WESTFAX_PASSWORD`, `WESTFAX_PRODUCT_ID`, and
    /// optionally `WESTFAX_BASE_URL`, `WESTFAX_TRANSPORT` (`rest`, `rest-xml`, `rpc-json`, `rpc-xml`,
    /// `soap`, `soap12`, `soap-object`) and `WESTFAX_MIN_STATUS_INTERVAL` (seconds,
    /// [`ClientBuilder::min_status_interval`]; the sandbox sets `0`).
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] for a missing variable, an unknown transport or an interval that is not
    /// a number of seconds.
    pub fn from_env() -> faxkit::Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// [`Client::from_env`] as a builder, to change more settings.
    ///
    /// # Errors
    /// As [`Client::from_env`].
    pub fn builder_from_env() -> faxkit::Result<ClientBuilder> {
        let creds = Credentials::from_env(VENDOR, "WESTFAX_USERNAME", "WESTFAX_PASSWORD")?;
        let mut b = Client::builder().product_id(faxkit::secret::env_var(VENDOR, "WESTFAX_PRODUCT_ID")?);
        b.credentials = Some(creds);
        if let Some(url) = std::env::var("WESTFAX_BASE_URL").ok().filter(|s| !s.is_empty()) {
            b = b.base_url(url);
        }
        if let Some(t) = std::env::var("WESTFAX_TRANSPORT").ok().filter(|s| !s.is_empty()) {
            b = b.transport(t.parse()?);
        }
        if let Some(s) = std::env::var("WESTFAX_MIN_STATUS_INTERVAL").ok().filter(|s| !s.is_empty()) {
            let secs = s.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                faxkit::Error::invalid_input(
                    VENDOR,
                    format!("WESTFAX_MIN_STATUS_INTERVAL={s:?} is not a number of seconds"),
                )
            })?;
            b = b.min_status_interval(Duration::try_from_secs_f64(secs).map_err(|e| {
                faxkit::Error::invalid_input(VENDOR, format!("WESTFAX_MIN_STATUS_INTERVAL={s:?}: {e}"))
            })?);
        }
        Ok(b)
    }

    /// The same settings over another transport, with its own session.
    ///
    /// # Errors
    /// The errors of [`ClientBuilder::build`]: the new client could not be built (it never falls back to this
    /// client's transport).
    pub fn with_transport(&self, transport: Transport) -> faxkit::Result<Client> {
        (*self.config).clone().transport(transport).build()
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        self.inner.transport
    }

    /// How RPC and SOAP Object requests name methods and fields ([`ClientBuilder::rpc_naming`]).
    pub fn rpc_naming(&self) -> RpcNaming {
        self.inner.rpc_naming
    }

    /// The shortest time between two status reads of `FaxService::wait` ([`ClientBuilder::min_status_interval`]).
    pub fn min_status_interval(&self) -> Duration {
        self.inner.min_status_interval
    }

    /// The configured fax line.
    pub fn product_id(&self) -> Option<&ProductId> {
        self.inner.product_id.as_ref()
    }

    /// Sends an operation and decodes its `Result`.
    ///
    /// # Errors
    /// [`faxkit::Error::Unsupported`] when the transport cannot carry the method (a current-only method over
    /// SOAP); [`faxkit::Error::Auth`] for refused credentials; [`faxkit::Error::Vendor`] for `Success=false`
    /// (HTTP 200 or 500) with [`ApiError`](crate::ApiError) as detail; transport and decode errors.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, transport = %self.inner.transport))]
    pub async fn call<O: Operation>(&self, op: O) -> faxkit::Result<O::Output> {
        self.call_inner(&op).await.map_err(|e| e.with_idempotency_key(op.idempotency_key()))
    }

    /// [`call`](Self::call) reading the answer without the text of its `FileContents` (dropped as it
    /// streams in), for listings whose files are not wanted: memory and [`ClientBuilder::body_limit`] then
    /// bound only the other fields, whatever the size of the files.
    pub(crate) async fn call_without_files<O: Operation>(&self, op: O) -> faxkit::Result<O::Output> {
        self.call_inner_with(&op, true).await.map_err(|e| e.with_idempotency_key(op.idempotency_key()))
    }

    async fn call_inner<O: Operation>(&self, op: &O) -> faxkit::Result<O::Output> {
        self.call_inner_with(op, false).await
    }

    async fn call_inner_with<O: Operation>(&self, op: &O, without_files: bool) -> faxkit::Result<O::Output> {
        // Id lists longer than WestFax takes go out in calls of `IDS_PER_CALL`, one after another.
        if let Some(parts) = op.split(crate::fax::IDS_PER_CALL) {
            let mut outputs = Vec::with_capacity(parts.len());
            for part in &parts {
                outputs.push(self.call_unsplit(part, without_files).await?);
            }
            return O::merge(outputs);
        }
        self.call_unsplit(op, without_files).await
    }

    async fn call_unsplit<O: Operation>(&self, op: &O, without_files: bool) -> faxkit::Result<O::Output> {
        match self.call_once(op, without_files).await {
            // Only a definite refusal is repeated after signing in again; an ambiguous send never is.
            Err(e) if !e.is_ambiguous() && self.session_expired(&e) => {
                tracing::debug!("session expired; signing in again");
                self.inner.session.lock().await.token = None;
                self.inner.session.lock().await.cookie = None;
                self.call_once(op, without_files).await
            }
            other => other,
        }
    }

    fn session_expired(&self, e: &faxkit::Error) -> bool {
        if self.inner.session_mode == SessionMode::Stateless {
            return false;
        }
        let detail = e.vendor_detail::<crate::ApiError>().is_some_and(crate::ApiError::is_session_expired);
        detail || matches!(e, faxkit::Error::Auth { message, .. } if message.to_ascii_lowercase().contains("session"))
    }

    async fn call_once<O: Operation>(&self, op: &O, without_files: bool) -> faxkit::Result<O::Output> {
        let mut raw = self.send_request(op).await?;
        if without_files {
            raw.stream = crate::download::strip_file_contents(raw.stream, raw.format == ResponseFormat::Json);
        }
        self.finish(raw).await
    }

    /// The one send path: resolve names, add credentials or session, encode, send, decompress.
    pub(crate) async fn send_request<O: Operation>(&self, op: &O) -> faxkit::Result<Raw> {
        self.send_request_in(op, None).await
    }

    /// [`send_request`](Self::send_request) in a given session (`None`: the client's, signing in when needed).
    async fn send_request_in<O: Operation>(&self, op: &O, given: Option<SessionSnapshot>) -> faxkit::Result<Raw> {
        op.validate()?;
        let inner = &self.inner;
        let transport = inner.transport;
        let dialect = match (transport.dialect(), inner.rpc_naming) {
            (Dialect::Object, RpcNaming::Legacy) => Dialect::LegacyObject,
            (d, _) => d,
        };
        let method = match dialect {
            Dialect::Soap => O::LEGACY,
            Dialect::LegacyObject => O::LEGACY.or(O::CURRENT),
            _ => O::CURRENT.or(O::LEGACY),
        };
        let Some(method) = method else {
            let name = O::CURRENT.or(O::LEGACY).unwrap_or("operation");
            return Err(faxkit::Error::unsupported(
                VENDOR,
                format!("{name} over {transport} (current-generation method; the SOAP WSDL is the legacy API)"),
            ));
        };
        let mode = if O::SIGN_IN || !O::CREDENTIALS { SessionMode::Stateless } else { inner.session_mode };
        let soap_message = op.soap_message(mode.variant());
        if transport.is_soap() && soap_message.is_none() {
            return Err(faxkit::Error::unsupported(
                VENDOR,
                format!("{method} over SOAP in {:?} mode (the WSDL has no such message)", inner.session_mode),
            ));
        }
        let op_params = op.params(dialect);
        if let Some(field) = op_params.unsupported().first() {
            return Err(faxkit::Error::unsupported(
                VENDOR,
                format!("{field} of {method} over {transport} (not in the legacy WSDL)"),
            ));
        }
        let session = match (mode, given) {
            (SessionMode::Stateless, _) => None,
            (_, Some(given)) => Some(given),
            (_, None) => Some(self.session().await?),
        };
        let mut params = self.auth_params::<O>(dialect, mode, session.as_ref(), soap_message.as_deref(), op)?;
        let has_files = op_params.items().iter().any(|p| matches!(p.value, ParamValue::Files(_)));
        params.extend(op_params.into_items());
        let encoded = inner.encoder.encode(Call { method: method.to_owned(), soap_message, params }).await?;

        let url = inner.http.url(&encoded.path)?;
        let mut req = inner.http.request(reqwest::Method::POST, url);
        req = req.header(reqwest::header::ACCEPT_ENCODING, crate::compression::ACCEPT_ENCODING);
        for (name, value) in &encoded.headers {
            req = req.header(*name, value.as_str());
        }
        if let Some(cookie) = session.as_ref().and_then(|s| s.cookie.as_ref()) {
            req = req.header(reqwest::header::COOKIE, format!("{COOKIE_NAME}={}", cookie.expose()));
        }
        if has_files {
            req = req.timeout(inner.http.config().transfer_timeout);
        }
        req = match encoded.body {
            transport::Body::Bytes { content_type, bytes } => {
                req.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes)
            }
            transport::Body::Stream { content_type, len, stream } => req
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(reqwest::Body::wrap_stream(stream)),
        };
        let idempotency = if O::IDEMPOTENT { Idempotency::Idempotent } else { Idempotency::NonIdempotent };
        let response = inner.http.send(req, idempotency).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let encoding = headers.get(reqwest::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok());
        let stream = crate::compression::decode(encoding, faxkit::stream::response_stream(VENDOR, response))?;
        Ok(Raw { non_idempotent: !O::IDEMPOTENT, status, headers, format: encoded.format, stream })
    }

    fn auth_params<O: Operation>(
        &self,
        dialect: Dialect,
        mode: SessionMode,
        session: Option<&SessionSnapshot>,
        soap_message: Option<&str>,
        op: &O,
    ) -> faxkit::Result<Vec<Param>> {
        let inner = &self.inner;
        let mut out = Vec::new();
        let text = |name: &'static str, v: &str| Param { name, value: ParamValue::Text(v.to_owned()) };
        if !O::CREDENTIALS {
            return Ok(out);
        }
        let product = match (dialect, O::PRODUCT) {
            (_, ProductUse::None) => None,
            (Dialect::Soap, _) if !O::SOAP_PRODUCT || mode != SessionMode::Stateless => None,
            (_, ProductUse::Optional) => inner.product_id.as_ref(),
            (_, ProductUse::Required) => Some(inner.product_id.as_ref().ok_or_else(|| {
                faxkit::Error::invalid_input(VENDOR, "this call needs a ProductId (ClientBuilder::product_id)")
            })?),
        };
        match (mode, session) {
            (SessionMode::Token, Some(s)) => {
                let name = if dialect == Dialect::Soap { op.soap_token_element() } else { "SessionToken" };
                out.push(text(name, s.token.as_ref().map(Secret::expose).unwrap_or_default()));
            }
            (SessionMode::Cookie, Some(_)) => {}
            _ => {
                out.push(text("Username", &inner.credentials.username));
                out.push(text("Password", inner.credentials.password.expose()));
                if dialect == Dialect::Soap && soap_message == Some("MarkInboundFaxesDownloadedStateless") {
                    out.push(text("SessionToken", ""));
                }
                if matches!(dialect, Dialect::Rest | Dialect::Object) && O::COOKIES_FLAG {
                    out.push(text("Cookies", "false"));
                }
            }
        }
        if let Some(p) = product {
            out.push(text("ProductId", p.as_str()));
        }
        Ok(out)
    }

    /// Reads the body and decodes the envelope, whatever the status.
    ///
    /// For a call that creates something, the outcome is [`faxkit::Error::Ambiguous`] when the answer is lost
    /// (the body stream broke), a 5xx (SOAP faults and `Success=false` envelopes included: the server failed
    /// after the request arrived), or a 2xx that cannot be decoded (accepted, id unreadable).
    pub(crate) async fn finish<T: serde::de::DeserializeOwned>(&self, raw: Raw) -> faxkit::Result<T> {
        let (status, non_idempotent) = (raw.status, raw.non_idempotent);
        let body = match faxkit::stream::collect(VENDOR, raw.stream, self.inner.body_limit).await {
            Ok(body) => body,
            Err(e) if non_idempotent => return Err(faxkit::Error::ambiguous(VENDOR, None, e)),
            Err(e) => return Err(e),
        };
        match decode_body(status, raw.format, &body) {
            Err(e)
                if non_idempotent
                    && (status >= 500 || ((200..300).contains(&status) && e.kind() == faxkit::ErrorKind::Decode)) =>
            {
                Err(faxkit::Error::ambiguous(VENDOR, None, e))
            }
            other => other,
        }
    }

    /// Signs in when the session is empty; returns the current session.
    async fn session(&self) -> faxkit::Result<SessionSnapshot> {
        let mut guard = self.inner.session.lock().await;
        if guard.token.is_none() && guard.cookie.is_none() {
            let cookies = self.inner.session_mode == SessionMode::Cookie;
            let mut op = SecurityAuthenticate::new().cookies(cookies);
            // SOAP binds the fax line with `SetProductId` below, the WSDL's operation for it; the REST/RPC
            // sign-in takes `ProductId` itself (the vendor's SDK and Postman collection send it there).
            let soap = self.inner.transport.is_soap();
            if !soap {
                op.product_id = self.inner.product_id.clone();
            }
            let raw = Box::pin(self.send_request(&op)).await?;
            let cookie = session_cookie(&raw.headers);
            // Cookie mode lives on the cookie: a null or absent `Result` is a valid sign-in there (the WSDL's
            // `ApiResultOfString.Result` is minOccurs="0"). Token mode needs the token it sends back.
            let token: Option<String> = self.finish(raw).await?;
            let token = token.filter(|t| !t.is_empty());
            if cookies {
                guard.cookie = Some(Secret::new(cookie.ok_or_else(|| {
                    faxkit::Error::decode(VENDOR, "sign-in with Cookies=true set no ASP.NET_SessionId", b"", None)
                })?));
            } else if token.is_none() {
                return Err(faxkit::Error::decode(
                    VENDOR,
                    "sign-in with Cookies=false returned no session token in Result",
                    b"",
                    None,
                ));
            }
            guard.token = token.map(Secret::new);
            if soap && let Some(product) = self.inner.product_id.clone() {
                // Before the first operation: a session whose line is not bound is dropped, not kept.
                let snapshot = SessionSnapshot { token: guard.token.clone(), cookie: guard.cookie.clone() };
                let bound = async {
                    let raw = Box::pin(self.send_request_in(&SetProductId::new(product), Some(snapshot))).await?;
                    self.finish::<Option<String>>(raw).await
                };
                if let Err(e) = bound.await {
                    *guard = Session::default();
                    return Err(e);
                }
            }
        }
        Ok(SessionSnapshot { token: guard.token.clone(), cookie: guard.cookie.clone() })
    }

    /// Signs in now (stateful modes); stateless clients need not call it.
    ///
    /// # Errors
    /// [`faxkit::Error::Auth`] for refused credentials.
    pub async fn sign_in(&self) -> faxkit::Result<()> {
        if self.inner.session_mode != SessionMode::Stateless {
            self.session().await?;
        }
        Ok(())
    }

    /// Forgets the session; the next call signs in again.
    pub async fn sign_out(&self) {
        let mut s = self.inner.session.lock().await;
        *s = Session::default();
    }
}

/// The default limit on a response read into memory (documents stream past it).
const DEFAULT_BODY_LIMIT: usize = 16 << 20;

/// The cookie ASP.NET keeps the session in.
pub(crate) const COOKIE_NAME: &str = "ASP.NET_SessionId";

#[derive(Clone)]
struct SessionSnapshot {
    token: Option<Secret>,
    cookie: Option<Secret>,
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v: &HeaderValue| v.to_str().ok()).find_map(|c| {
        let (pair, _) = c.split_once(';').unwrap_or((c, ""));
        let (name, value) = pair.split_once('=')?;
        (name.trim() == COOKIE_NAME).then(|| value.trim().to_owned())
    })
}

/// Decodes a whole body: the envelope on success, the vendor's error (JSON, XML or SOAP Fault) otherwise.
pub(crate) fn decode_body<T: serde::de::DeserializeOwned>(
    status: u16,
    format: ResponseFormat,
    body: &[u8],
) -> faxkit::Result<T> {
    if (200..300).contains(&status) {
        let tree = transport::decode(format, body)?;
        return crate::envelope::unwrap(tree, status);
    }
    if let Some(fault) = transport::soap::fault_in(body, status) {
        return Err(fault.into());
    }
    if format == ResponseFormat::Soap
        && let Ok(tree) = transport::soap::unwrap(body)
        && has_error_string(&tree)
    {
        return crate::envelope::unwrap(tree, status);
    }
    let trimmed = body.trim_ascii_start();
    let tree = match trimmed.first() {
        Some(b'{') => serde_json::from_slice::<serde_json::Value>(trimmed).ok(),
        Some(b'<') => crate::wire::xml_to_value(trimmed).ok().map(|(_, v)| v),
        _ => None,
    };
    match tree {
        Some(tree) if has_error_string(&tree) => crate::envelope::unwrap(tree, status),
        _ => Err(faxkit::Error::from_status(VENDOR, status, body, None)),
    }
}

fn has_error_string(tree: &serde_json::Value) -> bool {
    tree.as_object()
        .is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case("ErrorString") || k.eq_ignore_ascii_case("Success")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_password() {
        let c = Client::builder().credentials("user", "hunter2-secret").build().unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("hunter2-secret"), "{dbg}");
        assert!(dbg.contains("user"));
    }

    /// The URL a request would go to (a wire test cannot reach `integrate.westfax.com` on loopback: https
    /// is required off loopback, and the tests have no TLS): the encoded path joined to the base URL.
    #[tokio::test]
    async fn integrate_host_gets_lower_case_paths() {
        let url_of = |c: Client| async move {
            let call =
                crate::transport::Call { method: "Security_Ping".into(), soap_message: None, params: Vec::new() };
            let encoded = c.inner.encoder.encode(call).await.unwrap();
            c.inner.http.url(&encoded.path).unwrap().to_string()
        };
        let integrate = Client::builder().credentials("u", "p").base_url(hosts::INTEGRATE).build().unwrap();
        assert_eq!(url_of(integrate).await, "https://integrate.westfax.com/rest/Security_Ping/json");
        let api2 = Client::builder().credentials("u", "p").base_url(hosts::API2).build().unwrap();
        assert!(url_of(api2).await.ends_with("/REST/Security_Ping/json"));
    }
}
