//! The client's settings: hosts, [`ClientBuilder`] and what it builds.

use std::sync::Arc;
use std::time::Duration;

use faxkit::{Credentials, HttpClient, HttpConfig, Secret};

use super::session::Session;
use super::{Client, Inner, SessionMode};
use crate::VENDOR;
use crate::model::ProductId;
use crate::transport::{self, PathCase, RestEncoding, RpcNaming, Transport};

/// Hosts of the WestFax API (the WestFax API documentation and the vendor's clients).
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

    /// Builds the client.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] without credentials or with a bad base URL.
    pub fn build(self) -> faxkit::Result<Client> {
        let Some(credentials) = self.credentials else {
            return Err(faxkit::Error::invalid_input(
                VENDOR,
                "credentials are required: call ClientBuilder::credentials or set WESTFAX_USERNAME/WESTFAX_PASSWORD",
            ));
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
            codec: transport::codec(self.transport, self.rest_encoding, case),
            http,
            credentials,
            product_id: self.product_id,
            transport: self.transport,
            session_mode: self.session,
            session: tokio::sync::Mutex::new(Session::default()),
            body_limit: self.body_limit.unwrap_or(DEFAULT_BODY_LIMIT),
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

faxkit::setters!(ClientBuilder {
    plain {
        /// The wire (default [`Transport::Rest`]).
        transport: Transport,
        /// Stateless or stateful (default [`SessionMode::Stateless`]).
        session: SessionMode,
        /// The REST response suffix for [`Transport::Rest`] (`json` or `json2`).
        rest_encoding: RestEncoding,
        /// The case of `/REST/`; default upper case, lower case on `integrate.westfax.com`.
        path_case: PathCase,
        /// How RPC and SOAP Object requests name methods and fields (default: [`RpcNaming::Legacy`] on the legacy
        /// host `api.westfax.com`, the form of the one recorded RPC request; [`RpcNaming::Current`] elsewhere, a
        /// guess). See [`RpcNaming`].
        rpc_naming: RpcNaming,
        /// The shortest time between two status reads of [`FaxService::wait`](faxkit::FaxService::wait) (default
        /// [`STATUS_CACHE`], 3 minutes): WestFax refreshes a status only every 3 minutes, so polling faster reads
        /// the same answer again. A shorter `WaitOptions::interval` is raised to this; the sandbox, which has no
        /// cache, sets zero.
        min_status_interval: Duration,
        /// The largest response body read into memory (default 16 MiB); documents stream past it.
        body_limit: usize,
    }
});

/// The default limit on a response read into memory (documents stream past it).
const DEFAULT_BODY_LIMIT: usize = 16 << 20;
