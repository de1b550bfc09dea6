//! The client: its doors ([`Client::builder`], [`Client::from_env`], [`Client::builder_from_env`]) and the
//! calls, which all go through `send_request` (in `request.rs`: resolve → authenticate → encode → send) and
//! `Reply::decode`.

mod builder;
mod download;
mod request;
mod session;

use std::sync::Arc;
use std::time::Duration;

use faxkit::{Credentials, HttpClient};

pub use builder::{ClientBuilder, DEFAULT_BASE_URL, STATUS_CACHE, hosts};
pub use session::SessionMode;
use session::{Session, SessionSnapshot};

use crate::VENDOR;
use crate::model::ProductId;
use crate::operation::Operation;
use crate::transport::{Codec, RpcNaming, Transport};

struct Inner {
    http: HttpClient,
    credentials: Credentials,
    product_id: Option<ProductId>,
    transport: Transport,
    codec: Box<dyn Codec>,
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
///     .transport(Transport::Rest)
///     .session(SessionMode::Token)
///     .build()?;
/// let me = SecurityGetUserInfo.send(&client).await?;
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
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
        let mut b = Client::builder()
            .credentials(creds.username, creds.password)
            .product_id(faxkit::secret::env_var(VENDOR, "WESTFAX_PRODUCT_ID")?);
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

    /// The base URL in use.
    pub fn base_url(&self) -> &url::Url {
        self.inner.http.base_url()
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
                self.sign_out().await;
                self.call_once(op, without_files).await
            }
            other => other,
        }
    }

    /// One attempt: send, then decode (`Reply::decode`); when `without_files`, the text of documents is
    /// dropped on the way.
    async fn call_once<O: Operation>(&self, op: &O, without_files: bool) -> faxkit::Result<O::Output> {
        let mut reply = self.send_request(op, None).await?;
        if without_files {
            let json = reply.format == crate::transport::ResponseFormat::Json;
            reply.stream = crate::download::strip_file_contents(reply.stream, json);
        }
        reply.decode().await
    }
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
    /// is required off loopback, and the tests have no TLS): the encoded request's URL from the client.
    #[tokio::test]
    async fn integrate_host_gets_lower_case_paths() {
        let url_of = |c: Client| async move {
            let call =
                crate::transport::Call { method: "Security_Ping".into(), soap_message: None, params: Vec::new() };
            let request = c.inner.codec.encode(call).await.unwrap();
            request.url(&c.inner.http).unwrap().to_string()
        };
        let integrate = Client::builder().credentials("u", "p").base_url(hosts::INTEGRATE).build().unwrap();
        assert_eq!(url_of(integrate).await, "https://integrate.westfax.com/rest/Security_Ping/json");
        let api2 = Client::builder().credentials("u", "p").base_url(hosts::API2).build().unwrap();
        assert!(url_of(api2).await.ends_with("/REST/Security_Ping/json"));
    }
}
