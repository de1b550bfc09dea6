//! The Retarus client: credentials, data centers, and the one request path.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use faxkit::http::Request;
use faxkit::{Credentials, Error, HttpClient, HttpConfig, Result, Secret};
use reqwest::header::HeaderValue;
use url::Url;

use crate::VENDOR;
use crate::model::pull::{InboundFaxJob, InboundJobId};
use crate::region::{CustomRegion, DataCenter, Region, with_slash};

/// Which Retarus API a request belongs to; they authenticate differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// Fax4A: Basic `login-id:password`.
    Fax4A,
    /// Fax2WSPull: Basic `customer-number:password`.
    Pull,
}

/// One Fax4A host: the HA URL or a data center.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) data_center: Option<DataCenter>,
    pub(crate) http: HttpClient,
}

/// A Retarus client for both fax APIs. Cheap to clone (one shared connection pool per host).
///
/// Get one with [`Client::builder`], [`Client::from_env`] or [`Client::builder_from_env`]; then use
/// [`Client::jobs`] (Fax4A sends), [`Client::reports`] (Fax4A status reports, fanned out over the region's data
/// centers) and [`Client::topic`] (Fax2WSPull inbound).
///
/// ```
/// # #[cfg(feature = "sandbox")] tokio_test(async {
/// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
/// use retarus_fax::{Client, Region};
///
/// let client = Client::builder()
///     .credentials("login-id", "password")
///     .customer_number("99999TE")
///     .region(Region::De)
///     .build()?;
/// assert_eq!(client.customer_number(), "99999TE");
/// # let _ = sandbox; Ok::<(), faxkit::Error>(()) });
/// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) credentials: Credentials,
    pub(crate) pull_password: Option<Secret>,
    /// `Basic …` for the fax API (`credentials`) and for the pull API (customer number and pull password),
    /// encoded once (sensitive: hidden from `Debug`).
    pub(crate) authorization: [reqwest::header::HeaderValue; 2],
    pub(crate) customer_number: String,
    pub(crate) region: Region,
    pub(crate) send: Endpoint,
    pub(crate) data_centers: Vec<Endpoint>,
    /// `None` when no Fax2WSPull data center was configured and the region's are not all one (pull calls fail).
    pub(crate) pull: Option<HttpClient>,
    pub(crate) pull_data_center: Option<DataCenter>,
    pub(crate) topic: Option<String>,
    /// Inbound jobs seen by `FaxService::list_inbound`, so `download` can find their documents.
    pub(crate) seen_inbound: Mutex<HashMap<InboundJobId, InboundFaxJob>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("credentials", &i.credentials)
            .field("pull_password", &i.pull_password)
            .field("customer_number", &i.customer_number)
            .field("send_url", &i.send.http.base_url().as_str())
            .field("data_centers", &i.data_centers.iter().map(|e| e.http.base_url().as_str()).collect::<Vec<_>>())
            .field("pull_url", &i.pull.as_ref().map(|p| p.base_url().as_str()))
            .field("topic", &i.topic)
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`]. [`credentials`](Self::credentials),
/// [`customer_number`](Self::customer_number) and [`region`](Self::region) (or a base URL) are required.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    customer_number: Option<String>,
    region: Option<Region>,
    send_via: Option<DataCenter>,
    pull_data_center: Option<DataCenter>,
    pull_url: Option<String>,
    pull_password: Option<Secret>,
    topic: Option<String>,
    http: HttpConfig,
}

impl ClientBuilder {
    /// The Fax4A login id and password (required); the password is also the Fax2WSPull one unless
    /// [`pull_password`](Self::pull_password) is set.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// The Fax2WSPull password, when it differs from the Fax4A one. Fax2WSPull authenticates as
    /// `<customer number>:<password>`.
    pub fn pull_password(mut self, password: impl Into<Secret>) -> Self {
        self.pull_password = Some(password.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for missing credentials, customer number or region, an empty customer number,
    /// user name or password, a region without data centers, or a URL that is not https (plain http is allowed
    /// on loopback only).
    pub fn build(self) -> Result<Client> {
        let Some(credentials) = self.credentials else {
            return Err(Error::invalid_input(
                VENDOR,
                format!(
                    "credentials are required: call ClientBuilder::credentials or set {}/{}",
                    env::USERNAME,
                    env::PASSWORD
                ),
            ));
        };
        let Some(customer_number) = self.customer_number else {
            return Err(Error::invalid_input(
                VENDOR,
                format!(
                    "the customer number is required: call ClientBuilder::customer_number or set {}",
                    env::CUSTOMER_NUMBER
                ),
            ));
        };
        if customer_number.trim().is_empty() {
            return Err(Error::invalid_input(VENDOR, "the customer number is empty"));
        }
        if credentials.username.trim().is_empty() || credentials.password.is_empty() {
            return Err(Error::invalid_input(VENDOR, "the user name or password is empty"));
        }
        let region = match (self.region, &self.http.base_url) {
            (Some(r), _) => r,
            (None, Some(base)) => Region::Custom(CustomRegion::from_base_url(base)),
            (None, None) => {
                return Err(Error::invalid_input(VENDOR, "no region set: call .region(Region::De) or set a base URL"));
            }
        };
        let dcs = region.data_centers();
        if dcs.is_empty() {
            return Err(Error::invalid_input(VENDOR, "the region has no data centers for status reports"));
        }
        let send_url = self.send_via.as_ref().map(DataCenter::fax4a_url).unwrap_or_else(|| region.send_url());
        // The topic's data center, never guessed: set, or the only one the region's data centers name.
        let pull_dc = self.pull_data_center.or_else(|| {
            let first = dcs.first()?;
            dcs.iter().all(|dc| dc.pull_url() == first.pull_url()).then(|| first.clone())
        });
        let pull_url = self.pull_url.or_else(|| pull_dc.as_ref().map(DataCenter::pull_url)).filter(|u| !u.is_empty());
        let mut http = self.http;
        http.base_url = None;
        let make = |url: &str| HttpClient::new(VENDOR, env!("CARGO_PKG_VERSION"), &with_slash(url), &http);
        let send = Endpoint { data_center: self.send_via.clone(), http: make(&send_url)? };
        let data_centers = dcs
            .into_iter()
            .map(|dc| Ok(Endpoint { http: make(&dc.fax4a_url())?, data_center: Some(dc) }))
            .collect::<Result<Vec<_>>>()?;
        let customer_number = customer_number.trim().to_owned();
        let pull_password = self.pull_password.as_ref().unwrap_or(&credentials.password);
        let authorization = [
            faxkit::http::basic_auth(VENDOR, &credentials.username, &credentials.password)?,
            faxkit::http::basic_auth(VENDOR, &customer_number, pull_password)?,
        ];
        let pull = pull_url.as_deref().map(make).transpose()?;
        Ok(Client {
            inner: Arc::new(Inner {
                authorization,
                credentials,
                pull_password: self.pull_password,
                customer_number,
                region,
                send,
                data_centers,
                pull,
                pull_data_center: pull_dc,
                topic: self.topic,
                seen_inbound: Mutex::new(HashMap::new()),
            }),
        })
    }
}

faxkit::setters!(ClientBuilder {
    strings {
        /// The customer number (`99999TE`; required): part of every Fax4A path and the Fax2WSPull user name.
        customer_number,
        /// Overrides the Fax2WSPull base URL.
        pull_url,
        /// The default Fax2WSPull topic, used by [`faxkit::FaxService`]'s inbound methods.
        topic,
    }
    plain {
        /// The processing region (required unless [`HttpConfig::base_url`] is set): sends go to its HA URL, reports
        /// are read from all its data centers.
        region: Region,
        /// Sends through this data center instead of the HA URL (reports are still read from every data center of
        /// the region). Not the Fax2WSPull data center: set that with [`pull_data_center`](Self::pull_data_center).
        send_via: DataCenter,
        /// The data center of your Fax2WSPull topics (Retarus's implementation team tells you which). Required for
        /// Fax2WSPull calls (or [`pull_url`](Self::pull_url)) unless every data center of the region has the same
        /// Fax2WSPull URL (CH, SG, a custom region on one server); without it those calls fail with
        /// [`Error::InvalidInput`]. Never guessed: a topic lives in one data center.
        pull_data_center: DataCenter,
        /// HTTP settings (timeouts, retries, user agent). A `base_url` here means a single server serving both APIs
        /// ([`CustomRegion::from_base_url`]), used when no region is set.
        http: HttpConfig,
    }
});

/// Environment variables read by [`Client::from_env`] and [`Client::builder_from_env`].
pub mod env {
    /// Fax4A login id (required).
    pub const USERNAME: &str = "RETARUS_USERNAME";
    /// Fax4A password (required); also the Fax2WSPull password unless [`PULL_PASSWORD`] is set.
    pub const PASSWORD: &str = "RETARUS_PASSWORD";
    /// Customer number, e.g. `99999TE` (required).
    pub const CUSTOMER_NUMBER: &str = "RETARUS_CUSTOMER_NUMBER";
    /// `DE`, `US`, `CH`, `SG`, or a data center (`DE1`, `DE2`, `US1`, `US2`, `CH1`, `SG1`: its region, sending
    /// through that data center). Required unless [`BASE_URL`] is set.
    pub const REGION: &str = "RETARUS_REGION";
    /// One server serving both APIs (the sandbox, a mock): Fax4A under `rest/v1/`, Fax2WSPull under
    /// `faxin/rest/v1/`.
    pub const BASE_URL: &str = "RETARUS_BASE_URL";
    /// With [`BASE_URL`]: comma-separated Fax4A data-center URLs that hold the reports (default: the base's
    /// `rest/v1/`).
    pub const FAX4A_DC_URLS: &str = "RETARUS_FAX4A_DC_URLS";
    /// Overrides the Fax2WSPull base URL.
    pub const PULL_URL: &str = "RETARUS_PULL_URL";
    /// The data center of your Fax2WSPull topics (`DE1`, `DE2`, `US1`, `US2`, `CH1`, `SG1`). Required for
    /// Fax2WSPull in DE and US (each has two data centers with different pull hosts) unless [`PULL_URL`] is set.
    pub const PULL_DATA_CENTER: &str = "RETARUS_PULL_DATA_CENTER";
    /// Fax2WSPull password, when it differs from [`PASSWORD`].
    pub const PULL_PASSWORD: &str = "RETARUS_PULL_PASSWORD";
    /// Default Fax2WSPull topic.
    pub const TOPIC: &str = "RETARUS_TOPIC";
}

impl Client {
    /// Starts a builder; set the Fax4A login with [`ClientBuilder::credentials`], the customer number
    /// (`99999TE`) with [`ClientBuilder::customer_number`] and the region with [`ClientBuilder::region`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: `RETARUS_USERNAME`, `RETARUS_PASSWORD`, `RETARUS_CUSTOMER_NUMBER`,
    /// `RETARUS_REGION`, and optionally `RETARUS_BASE_URL`, `RETARUS_FAX4A_DC_URLS`, `RETARUS_PULL_DATA_CENTER`,
    /// `RETARUS_PULL_URL`, `RETARUS_PULL_PASSWORD`, `RETARUS_TOPIC` (see [`mod@env`]).
    ///
    /// ```
    /// fn client() -> faxkit::Result<retarus_fax::Client> {
    ///     // RETARUS_USERNAME=… RETARUS_PASSWORD=… RETARUS_CUSTOMER_NUMBER=99999TE RETARUS_REGION=DE
    ///     retarus_fax::Client::from_env()
    /// }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a missing or invalid variable (never a value).
    pub fn from_env() -> Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// A builder pre-filled from the environment (see [`from_env`](Self::from_env)), to adjust before building.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a missing or invalid variable (never a value).
    pub fn builder_from_env() -> Result<ClientBuilder> {
        Self::builder_from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any source of variables (a map in tests, a config file).
    ///
    /// # Errors
    /// As [`from_env`](Self::from_env).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Client> {
        Self::builder_from_vars(get)?.build()
    }

    /// [`builder_from_env`](Self::builder_from_env) over any source of variables.
    ///
    /// # Errors
    /// As [`builder_from_env`](Self::builder_from_env).
    pub fn builder_from_vars(get: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        let var = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let required = |name: &str| {
            var(name).ok_or_else(|| Error::invalid_input(VENDOR, format!("environment variable {name} is not set")))
        };
        let mut builder = Client::builder()
            .credentials(required(env::USERNAME)?, required(env::PASSWORD)?)
            .customer_number(required(env::CUSTOMER_NUMBER)?);
        if let Some(base) = var(env::BASE_URL) {
            let mut custom = CustomRegion::from_base_url(&base);
            if let Some(list) = var(env::FAX4A_DC_URLS) {
                let pull = custom.data_centers.first().map(DataCenter::pull_url).unwrap_or_default();
                custom.data_centers = list
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .enumerate()
                    .map(|(i, u)| DataCenter::custom(format!("DC{}", i + 1), u, pull.clone()))
                    .collect();
            }
            builder = builder.region(Region::Custom(custom));
        } else {
            let code = required(env::REGION)?;
            if let Some(region) = Region::from_code(&code) {
                builder = builder.region(region);
            } else if let Some(dc) = DataCenter::from_code(&code) {
                let region = dc.region().unwrap_or(Region::De);
                builder = builder.region(region).send_via(dc);
            } else {
                return Err(Error::invalid_input(
                    VENDOR,
                    format!("{} must be DE, US, CH, SG or a data center (DE1, DE2, US1, US2, CH1, SG1)", env::REGION),
                ));
            }
        }
        if let Some(url) = var(env::PULL_URL) {
            builder = builder.pull_url(url);
        }
        if let Some(code) = var(env::PULL_DATA_CENTER) {
            let dc = DataCenter::from_code(&code).ok_or_else(|| {
                Error::invalid_input(
                    VENDOR,
                    format!("{} must be a data center (DE1, DE2, US1, US2, CH1, SG1)", env::PULL_DATA_CENTER),
                )
            })?;
            builder = builder.pull_data_center(dc);
        }
        if let Some(pw) = var(env::PULL_PASSWORD) {
            builder = builder.pull_password(pw);
        }
        if let Some(topic) = var(env::TOPIC) {
            builder = builder.topic(topic);
        }
        Ok(builder)
    }

    /// The customer number used in Fax4A paths and as the Fax2WSPull user name.
    pub fn customer_number(&self) -> &str {
        &self.inner.customer_number
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The data centers reports are read from.
    pub fn data_centers(&self) -> Vec<DataCenter> {
        self.inner.data_centers.iter().filter_map(|e| e.data_center.clone()).collect()
    }

    /// The Fax2WSPull data center: the one configured, or the only one the region's data centers name; `None`
    /// when neither (Fax2WSPull calls then fail unless a pull URL was set).
    pub fn pull_data_center(&self) -> Option<&DataCenter> {
        self.inner.pull_data_center.as_ref()
    }

    /// The Fax2WSPull HTTP client, or the error naming how to configure it.
    pub(crate) fn pull_http(&self) -> Result<&HttpClient> {
        self.inner.pull.as_ref().ok_or_else(|| {
            Error::invalid_input(
                VENDOR,
                format!(
                    "no Fax2WSPull data center configured: set {} (DE1, DE2, US1, US2, CH1, SG1) or {}, or call \
                     ClientBuilder::pull_data_center; Retarus keeps a topic in one data center (its implementation \
                     team tells you which), so it is not guessed",
                    env::PULL_DATA_CENTER,
                    env::PULL_URL
                ),
            )
        })
    }

    /// The default topic, if one was configured.
    pub fn default_topic(&self) -> Option<&str> {
        self.inner.topic.as_deref()
    }

    /// A URL under `http`'s base URL, each segment percent-encoded, as [`Request::segments`] builds it: empty,
    /// `.` and `..` segments are refused (the URL library would drop them, turning `DELETE reports/..` into
    /// `DELETE reports`, which deletes the oldest 1000).
    pub(crate) fn url(http: &HttpClient, segments: &[&str]) -> Result<Url> {
        Request::segments(reqwest::Method::GET, segments.iter().copied()).url(http)
    }

    /// The one request path, [`HttpClient::execute`] with the authorization for `api` and Retarus's error
    /// mapper ([`crate::error::from_response`]).
    pub(crate) async fn send_request(
        &self,
        http: &HttpClient,
        api: Api,
        request: Request,
    ) -> Result<reqwest::Response> {
        http.execute(request, self.authorization(api), crate::error::from_response).await
    }

    fn authorization(&self, api: Api) -> &HeaderValue {
        let [fax4a, pull] = &self.inner.authorization;
        match api {
            Api::Fax4A => fax4a,
            Api::Pull => pull,
        }
    }

    /// [`send_request`](Self::send_request) asking for JSON, through [`HttpClient::execute_json`] (the body
    /// read in the send's future and decoded).
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        http: &HttpClient,
        api: Api,
        request: Request,
    ) -> Result<T> {
        let request = request.header(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        http.execute_json(request, self.authorization(api), crate::error::from_response).await
    }

    /// [`send_json`](Self::send_json) for a read (report `GET`s, the bulk `GET`): also retried on 500
    /// `INTERNAL_ERROR` and 520 `UNKNOWN_ERROR`, which Retarus documents for these reads and which faxkit's
    /// policy (429, 502–504) does not retry. At most [`RetryConfig::max_retries`](faxkit::RetryConfig) more
    /// attempts, with its backoff, within the call's deadline and the client's retry budget
    /// ([`HttpClient::may_retry`]). Never used for deletes or sends.
    pub(crate) async fn send_read_json<T: serde::de::DeserializeOwned>(
        &self,
        http: &HttpClient,
        api: Api,
        mut request: Request,
    ) -> Result<T> {
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            let spare = if attempt < http.config().retry.max_retries { request.try_clone() } else { None };
            match self.send_json(http, api, request).await {
                Err(e) if matches!(e.status(), Some(500 | 520)) => {
                    let Some(next) = spare else { return Err(e) };
                    // The call's deadline and the client's retry budget bound these retries too.
                    let Some(delay) = http.may_retry(started, attempt) else { return Err(e) };
                    tracing::debug!(attempt, status = e.status(), "retrying a read");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    request = next;
                }
                other => return other,
            }
        }
    }

    /// Sends a Fax4A job (never retried). A 409 "Duplicate job" that names the earlier job (a `jobId` body or a
    /// `Location` header) is that job, marked [`already_accepted`](crate::model::jobs::FaxJobResponse); one that
    /// names none stays [`crate::ApiErrorCode::DuplicateJob`].
    pub(crate) async fn send_job(
        &self,
        http: &HttpClient,
        request: Request,
    ) -> Result<crate::model::jobs::FaxJobResponse> {
        let request = request.header(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        let response = http.execute_unchecked(request, self.authorization(Api::Fax4A)).await?;
        if response.status() == reqwest::StatusCode::CONFLICT {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
                .filter(|id| !id.trim().is_empty())
                .map(str::to_owned);
            let body = http.read_limited(response, faxkit::http::ERROR_BODY_LIMIT).await.unwrap_or_default();
            let named = serde_json::from_slice::<crate::model::jobs::FaxJobResponse>(&body)
                .ok()
                .map(|r| r.job_id)
                .filter(|id| !id.as_str().trim().is_empty())
                .or_else(|| location.map(crate::model::jobs::JobId::from));
            return match named {
                Some(job_id) => {
                    tracing::info!(%job_id, "409 duplicate job: already accepted");
                    Ok(crate::model::jobs::FaxJobResponse { job_id, already_accepted: true })
                }
                None => Err(crate::error::from_response(409, &body)
                    .unwrap_or_else(|| Error::from_status(VENDOR, 409, &body, None))),
            };
        }
        let response = http.check(response, crate::error::from_response).await?;
        let body = http.read_body(response).await?;
        http.decode_json(&body)
    }

    /// Runs `op` against every report data center in parallel.
    pub(crate) async fn fan_out<'a, T, F, Fut>(&'a self, op: F) -> Vec<(DataCenter, Result<T>)>
    where
        F: Fn(&'a Endpoint) -> Fut,
        Fut: std::future::Future<Output = Result<T>> + 'a,
    {
        let calls = self.inner.data_centers.iter().map(|ep| {
            let fut = op(ep);
            let dc = ep.data_center.clone().unwrap_or(DataCenter::De1);
            async move { (dc, fut.await) }
        });
        futures::future::join_all(calls).await
    }
}

#[cfg(test)]
mod tests;
