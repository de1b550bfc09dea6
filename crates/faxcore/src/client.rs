//! The FaxCore client: configuration, authentication and the one request path every resource uses.

use std::fmt;
use std::time::Duration;

use faxkit::http::Body;
use faxkit::{Credentials, HttpClient, HttpConfig, Idempotency, Result, Secret};
use futures::FutureExt as _;
use reqwest::header::{ACCEPT, HeaderValue};

use crate::VENDOR;
use crate::model::envelope::{self, Reply};
pub use crate::operation::Operation;

/// The base URL of the hosted FaxCore API, as the reference gives it (`https://api.FaxCore.com/api/`).
pub const DEFAULT_BASE_URL: &str = "https://api.faxcore.com/api/";

/// The second host the reference names, `https://api.fax87.com/api/`.
pub const FAX87_BASE_URL: &str = "https://api.fax87.com/api/";

/// Environment variable holding the FaxCore user name (the account's fax number).
pub const ENV_USERNAME: &str = "FAXCORE_USERNAME";
/// Environment variable holding the FaxCore password.
pub const ENV_PASSWORD: &str = "FAXCORE_PASSWORD";
/// Optional environment variable replacing the base URL (e.g. [`FAX87_BASE_URL`] or a sandbox).
pub const ENV_BASE_URL: &str = "FAXCORE_BASE_URL";

/// Largest XML reply read into memory (a `GetFaxList` of a very full folder stays far below it).
const XML_LIMIT: usize = 8 * 1024 * 1024;

/// How a recipient's number is written into `SendFax`'s `recpfax` parameter.
///
/// The reference does not say; its samples show bare digits (`5557152222` as a user name, `72088884441` as a
/// `FaxNumber`). The default is [`RecipientFormat::Digits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RecipientFormat {
    /// Country code and number as digits: `12125550100` (the default).
    #[default]
    Digits,
    /// E.164 with a plus: `+12125550100`.
    E164,
    /// The 10-digit North American form `2125550100`; numbers outside `+1` are refused before sending.
    Nanp,
}

impl RecipientFormat {
    pub(crate) fn format(self, number: &faxkit::FaxNumber) -> Result<String> {
        match self {
            RecipientFormat::Digits => Ok(number.digits()),
            RecipientFormat::E164 => Ok(number.e164()),
            RecipientFormat::Nanp => number.nanp().map_err(|_| {
                faxkit::Error::invalid_input(
                    VENDOR,
                    format!("{} is not a +1 number; this client is set to RecipientFormat::Nanp", number.e164()),
                )
            }),
        }
    }
}

/// The `Content-Type` of the `SendFax` POST, whose body is the document itself.
///
/// The reference: "All parameters in POST operations use the `application/x-www-form-urlencoded`
/// content-type in the HTTP header", and for `SendFax`: "The entire POST body will be treated as the fax
/// attachment". The default follows the reference literally; the body is the raw document either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum UploadContentType {
    /// `application/x-www-form-urlencoded`, as the reference says for every POST (the default).
    #[default]
    FormUrlEncoded,
    /// The document's own MIME type (`application/pdf`, …), for servers or proxies that inspect it.
    Document,
}

/// A FaxCore API client. Cheap to clone; clones share one connection pool.
///
/// ```
/// # #[cfg(feature = "sandbox")] {
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
/// # let base_url = sandbox.uri();
/// use faxcore::{Client, Folder};
///
/// let client = Client::builder().credentials("5557152222", "sandbox-password").base_url(base_url).build()?;
/// let inbox = client.get_fax_list(Folder::Inbox).send().await?;
/// assert!(inbox.is_empty());
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    credentials: Credentials,
    /// `Basic …` for `credentials`, encoded once (sensitive: hidden from `Debug`).
    authorization: reqwest::header::HeaderValue,
    recipient_format: RecipientFormat,
    upload_content_type: UploadContentType,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.http.base_url().as_str())
            .field("credentials", &self.credentials)
            .field("recipient_format", &self.recipient_format)
            .field("upload_content_type", &self.upload_content_type)
            .finish()
    }
}

impl Client {
    /// Starts a builder; set the account with [`ClientBuilder::credentials`] (the user name is the account's fax
    /// number).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with default settings.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Result<Self> {
        Client::builder().credentials(username, password).build()
    }

    /// A client from the environment: `FAXCORE_USERNAME`, `FAXCORE_PASSWORD` and, optionally,
    /// `FAXCORE_BASE_URL` (for [`FAX87_BASE_URL`], a proxy or a sandbox).
    ///
    /// ```standalone_crate
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # use faxkit::sandbox::VendorSandbox;
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # // Its own process (standalone_crate), single-threaded: setting variables here races with nothing.
    /// # for (k, v) in sandbox.env() { unsafe { std::env::set_var(k, v) } }
    /// let client = faxcore::Client::from_env()?;
    /// # assert!(client.get_fax_list(faxcore::Folder::Sent).send().await?.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] naming a missing variable, or as [`ClientBuilder::build`].
    pub fn from_env() -> Result<Self> {
        Self::builder_from_env()?.build()
    }

    /// [`Client::from_env`] as a builder, to change more settings before building (as every faxkit vendor
    /// crate offers).
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] naming a missing variable.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        let credentials = Credentials::from_env(VENDOR, ENV_USERNAME, ENV_PASSWORD)?;
        let mut builder = Client::builder().credentials(credentials.username, credentials.password);
        if let Ok(url) = std::env::var(ENV_BASE_URL)
            && !url.trim().is_empty()
        {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &url::Url {
        self.http.base_url()
    }

    /// The user name (fax number) this client authenticates as.
    pub fn username(&self) -> &str {
        &self.credentials.username
    }

    pub(crate) fn recipient_format(&self) -> RecipientFormat {
        self.recipient_format
    }

    /// The request for `op`: path and method, query in order, transfer timeout, body (`Accept` is a default
    /// header of the HTTP client, set once).
    fn request(
        &self,
        op: Operation,
        query: &[(&'static str, String)],
        upload: Option<Upload>,
    ) -> faxkit::http::Request {
        let mut request = faxkit::http::Request::new(op.method(), op.as_str());
        request = match op.idempotency() {
            Idempotency::Idempotent => request.idempotent(),
            Idempotency::NonIdempotent => request.non_idempotent(),
        };
        for (k, v) in query {
            request = request.query(*k, v);
        }
        if matches!(op, Operation::SendFax | Operation::DownloadFax) {
            request = request.transfer();
        }
        if let Some(upload) = upload {
            let content_type = match self.upload_content_type {
                UploadContentType::FormUrlEncoded => "application/x-www-form-urlencoded".to_owned(),
                UploadContentType::Document => upload.content_type,
            };
            request = request.body(Body::Stream {
                body: upload.body,
                content_type: content_type.into(),
                len: Some(upload.len),
            });
        }
        request
    }

    /// Sends one request through [`HttpClient::execute`]: the resource's path and method, the query, Basic
    /// auth, `Accept: application/xml`, the transfer timeout for `SendFax` and `DownloadFax`, retries for reads
    /// only, and the XML error body parsed. Returns the successful response unread.
    ///
    /// Not an async fn: the request is built here and `execute`'s future returned as it is, so a call does not
    /// move through one more future (nor keep a second copy of `upload` in it).
    pub(crate) fn send_request(
        &self,
        op: Operation,
        query: &[(&'static str, String)],
        upload: Option<Upload>,
    ) -> impl Future<Output = Result<reqwest::Response>> {
        let request = self.request(op, query, upload);
        self.http
            .execute(request, &self.authorization, move |status, body| crate::error::from_response(op, status, body))
    }

    /// Sends a request and decodes the operation's element of its `<ApiResponse>` (`None` when the reply has
    /// no such element and no error either, as an empty `GetFaxList`).
    pub(crate) fn call<T: Reply>(
        &self,
        op: Operation,
        query: &[(&'static str, String)],
        upload: Option<Upload>,
    ) -> impl Future<Output = Result<Option<T>>> {
        let request = self.request(op, query, upload);
        let errors = move |status, body: &[u8]| crate::error::from_response(op, status, body);
        // A combinator on `execute_read`'s future, not an async block around it (which would hold it twice).
        self.http.execute_read(request, &self.authorization, errors, XML_LIMIT).map(move |read| {
            let (status, body) = read?;
            Ok(envelope::decode::<T>(op, status.as_u16(), &body)?.body)
        })
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }
}

/// A streamed request body with its length and type.
pub(crate) struct Upload {
    pub(crate) body: reqwest::Body,
    pub(crate) len: u64,
    pub(crate) content_type: String,
}

/// Builds a [`Client`]: optional settings chained, [`build`](ClientBuilder::build) validates.
///
/// ```
/// use std::time::Duration;
/// use faxcore::{Client, RecipientFormat, FAX87_BASE_URL};
///
/// let client = Client::builder()
///     .credentials("5557152222", "mypassword")
///     // Optional settings
///     .base_url(FAX87_BASE_URL)
///     .timeout(Duration::from_secs(30))
///     .recipient_format(RecipientFormat::E164)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://api.fax87.com/api/");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    http: HttpConfig,
    recipient_format: RecipientFormat,
    upload_content_type: UploadContentType,
}

impl ClientBuilder {
    /// The FaxCore user name (the account's fax number) and password, sent as HTTP Basic on every call
    /// (required).
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// Replaces the base URL (default [`DEFAULT_BASE_URL`]; [`FAX87_BASE_URL`] is the other documented host).
    /// https is required except on loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.http.base_url = Some(url.into());
        self
    }

    /// Replaces every HTTP setting (timeouts, retries, user agent, base URL).
    pub fn http(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// Sets the timeout for ordinary requests (uploads and downloads use the transfer timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.http.timeout = timeout;
        self
    }

    /// Sets the timeout for `SendFax` uploads and `DownloadFax` downloads.
    pub fn transfer_timeout(mut self, timeout: Duration) -> Self {
        self.http.transfer_timeout = timeout;
        self
    }

    /// Sets how recipients are written into `recpfax`.
    pub fn recipient_format(mut self, format: RecipientFormat) -> Self {
        self.recipient_format = format;
        self
    }

    /// Sets the `Content-Type` of the `SendFax` upload.
    pub fn upload_content_type(mut self, content_type: UploadContentType) -> Self {
        self.upload_content_type = content_type;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] without credentials, for an empty user name or password, a user name
    /// containing `:` (Basic authentication cannot carry it), or a base URL that does not parse or is plain http
    /// off loopback.
    pub fn build(self) -> Result<Client> {
        let Some(credentials) = self.credentials else {
            return Err(faxkit::Error::invalid_input(
                VENDOR,
                format!(
                    "credentials are required: call ClientBuilder::credentials or set {ENV_USERNAME}/{ENV_PASSWORD}"
                ),
            ));
        };
        let user = credentials.username.trim();
        if user.is_empty() {
            return Err(faxkit::Error::invalid_input(
                VENDOR,
                "the FaxCore user name (the account's fax number) is empty",
            ));
        }
        if user.contains(':') {
            return Err(faxkit::Error::invalid_input(VENDOR, "the FaxCore user name must not contain ':'"));
        }
        if credentials.password.is_empty() {
            return Err(faxkit::Error::invalid_input(VENDOR, "the FaxCore password is empty"));
        }
        // Every FaxCore reply is XML: `Accept` goes on every request as a default header, built once.
        let accept = HeaderValue::from_static("application/xml, text/xml;q=0.9, */*;q=0.8");
        let headers = reqwest::header::HeaderMap::from_iter([(ACCEPT, accept)]);
        let http = HttpClient::with_builder(VENDOR, env!("CARGO_PKG_VERSION"), DEFAULT_BASE_URL, &self.http, |b| {
            b.default_headers(headers.clone())
        })?;
        let credentials = Credentials::new(user, credentials.password);
        let authorization = faxkit::http::basic_auth(VENDOR, &credentials.username, &credentials.password)?;
        Ok(Client {
            http,
            credentials,
            authorization,
            recipient_format: self.recipient_format,
            upload_content_type: self.upload_content_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_uses_percent_20_and_keeps_order() {
        let c = Client::new("5557152222", "pw").unwrap();
        let q = [("subject", "Q3 report + notes".into()), ("recpname", "Ann & Bo".into()), ("x", String::new())];
        let url = c.request(Operation::FaxStatus, &q, None).url(&c.http).unwrap();
        assert_eq!(url.query(), Some("subject=Q3%20report%20%2B%20notes&recpname=Ann%20%26%20Bo&x="));
    }

    #[test]
    fn debug_hides_the_password() {
        let c = Client::new("5557152222", "very-secret-pw").unwrap();
        let text = format!("{c:?} {:?}", Client::builder().credentials("5557152222", "very-secret-pw"));
        assert!(!text.contains("very-secret-pw"), "{text}");
        assert!(text.contains("5557152222"));
        assert_eq!(c.base_url().as_str(), DEFAULT_BASE_URL);
    }

    #[test]
    fn every_host_forms_the_documented_urls() {
        let q = [("faxid", "209608080375".to_owned())];
        for (base, want) in [
            (DEFAULT_BASE_URL, "https://api.faxcore.com/api/FaxStatus?faxid=209608080375"),
            (FAX87_BASE_URL, "https://api.fax87.com/api/FaxStatus?faxid=209608080375"),
            ("https://api.FaxCore.com/api", "https://api.faxcore.com/api/FaxStatus?faxid=209608080375"),
            (
                "https://proxy.example.com/faxcore/api/",
                "https://proxy.example.com/faxcore/api/FaxStatus?faxid=209608080375",
            ),
        ] {
            let c = Client::builder().credentials("5557152222", "pw").base_url(base).build().unwrap();
            assert_eq!(c.request(Operation::FaxStatus, &q, None).url(&c.http).unwrap().as_str(), want, "{base}");
        }
        let c = Client::new("5557152222", "pw").unwrap();
        for op in [
            Operation::SendFax,
            Operation::GetFaxList,
            Operation::GetFaxDetails,
            Operation::DownloadFax,
            Operation::DeleteFax,
        ] {
            assert_eq!(c.request(op, &[], None).url(&c.http).unwrap().path(), format!("/api/{op}"));
        }
    }

    #[test]
    fn build_validates() {
        assert!(Client::new("", "pw").is_err());
        assert!(Client::new("555:1", "pw").is_err());
        assert!(Client::new("5557152222", "").is_err());
        let err = Client::builder().build().unwrap_err().to_string();
        assert!(err.contains("ClientBuilder::credentials") && err.contains("FAXCORE_USERNAME"), "{err}");
        assert!(
            Client::builder().credentials("5557152222", "pw").base_url("http://api.faxcore.com/api/").build().is_err()
        );
        let c = Client::builder().credentials("5557152222", "pw").base_url(FAX87_BASE_URL).build().unwrap();
        assert_eq!(c.base_url().as_str(), FAX87_BASE_URL);
    }
}
