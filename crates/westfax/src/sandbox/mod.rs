//! A stateful WestFax simulator on loopback, for your tests and the CLI demo (feature `sandbox`).
//!
//! One wiremock server answers every transport, in both session styles, from one state: REST
//! (`/REST/{Method}/{json|json2|xml}`, any path case), RPC (`/RPC/{json|xml}`), SOAP 1.1 and 1.2 (`/SOAP`,
//! checking the `SOAPAction`/`action` against the message and the namespace) and SOAP Object (`/SOAPObj`).
//! It speaks the recorded wire: multipart indexed fields, `ApiResult` envelopes in JSON, XmlSerializer XML
//! and SOAP, `Success=false` errors on HTTP 200, `ASP.NET_SessionId` cookies and session tokens.
//!
//! Outbound faxes advance one step per status read (`Submitted` → `Production` → `Complete`/`Success`), so
//! tests never sleep. Switches: [`Sandbox::expire_sessions`], [`Sandbox::set_compression`],
//! [`VendorSandbox::set_latency`] (delays every answer).
//!
//! The control route of every faxkit sandbox ([`faxkit::sandbox`]) injects received faxes while it runs:
//! `POST /__sandbox/inbound` with the document as the body (optional `X-Sandbox-From: +1…`) answers `201
//! {"id":"…"}`; `GET /__sandbox/inbound` reports every inbound fax as JSON (acknowledged = tagged
//! `Retrieved`; `acks` counts `Fax_ChangeFaxFilterValue` to `Retrieved` and `MarkInboundFaxesDownloaded`,
//! `downloads` counts `Fax_GetFaxDocuments` and `GetInboundFaxes`).
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use faxkit::{Document, FaxNumber, FaxService, SendRequest};
//! use westfax::{Transport, sandbox::Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let fax = sandbox.service_with_transport(Transport::Soap12);
//! let to = FaxNumber::parse("+1 212 555 0100")?;
//! let id = fax.send(&SendRequest::new(to, Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf"))).await?;
//! assert_eq!(sandbox.sent_faxes()[0].id, id.as_str());
//! assert_eq!(sandbox.sent_faxes()[0].transport, "soap");
//! # Ok::<(), faxkit::Error>(()) }).unwrap();
//! ```

mod routes;
mod state;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use faxkit::sandbox::{SandboxBase, SandboxInbound, SandboxOutbound, SandboxServer, SandboxState, VendorSandbox};
use faxkit::{FaxNumber, FaxService};
use wiremock::Mock;
use wiremock::matchers::method;

pub use state::{SandboxRequest, SentFax};

use crate::{Client, SessionMode, Transport};

/// The sandbox user name.
pub const USERNAME: &str = "sandbox@westfax.test";
/// The sandbox password.
pub const PASSWORD: &str = "sandbox-password";
/// The sandbox fax line.
pub const PRODUCT_ID: &str = "5a0db0c5-0000-4000-8000-00000000f0f0";
/// The sandbox's inbound number.
pub const INBOUND_NUMBER: &str = "5552001111";

/// How the sandbox compresses successful responses (when the client accepts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: deflate` with the zlib wrapper (RFC 1950).
    Deflate,
    /// `Content-Encoding: deflate` as raw DEFLATE (RFC 1951), as .NET servers send it.
    RawDeflate,
}

/// A running sandbox.
pub struct Sandbox {
    base: SandboxServer<state::State>,
    compression: Arc<Mutex<Option<Compression>>>,
    transport: Transport,
}

impl SandboxState for state::State {
    fn inject_inbound(&mut self, from: &FaxNumber, document: Bytes) -> faxkit::FaxId {
        faxkit::FaxId::new(state::State::inject_inbound(self, from, document))
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        state::State::inbound_report(self)
    }

    /// Every job `Fax_SendFax` accepted, in order; the key is the `JobName` it carried.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        let job =
            |f: &SentFax| SandboxOutbound::new(faxkit::FaxId::new(f.id.clone()), f.job_name.clone(), f.numbers.clone());
        self.sent.iter().map(job).collect()
    }
}

faxkit::vendor_sandbox!(Sandbox, base, launch, debug: transport);

impl Sandbox {
    async fn launch(port: Option<u16>) -> faxkit::Result<Sandbox> {
        let base = SandboxServer::start(crate::VENDOR, port, state::State::default()).await?.api_path("/");
        let compression = Arc::new(Mutex::new(None));
        let router = routes::Router { state: base.shared(), compression: compression.clone() };
        Mock::given(method("POST")).respond_with(base.latency().wrap(router)).mount(base.server()).await;
        Ok(Sandbox { base, compression, transport: Transport::Rest })
    }

    /// The transport [`VendorSandbox::service`] and [`Sandbox::client`] use (default REST).
    pub fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// The base URL.
    pub fn uri(&self) -> String {
        self.base.api_uri()
    }

    /// A client with the sandbox's credentials over the sandbox's transport, stateless.
    pub fn client(&self) -> Client {
        self.client_with(self.transport, SessionMode::Stateless)
    }

    /// A client over `transport` in `session` mode.
    pub fn client_with(&self, transport: Transport, session: SessionMode) -> Client {
        self.builder(USERNAME, PASSWORD).transport(transport).session(session).build().unwrap_or_else(|_| {
            // The builder only fails on a bad base URL or missing credentials; neither can happen here.
            unreachable_client()
        })
    }

    /// A builder preset with the sandbox URL, product and the given credentials.
    pub fn builder(&self, username: &str, password: &str) -> crate::ClientBuilder {
        builder_at(username, password, &self.uri())
    }

    /// The client for `transport` as a [`FaxService`].
    pub fn service_with_transport(&self, transport: Transport) -> Arc<dyn FaxService> {
        Arc::new(self.client_with(transport, SessionMode::Stateless))
    }

    /// The faxes sent so far.
    pub fn sent_faxes(&self) -> Vec<SentFax> {
        self.base.state().sent.clone()
    }

    /// Every request received so far, decoded.
    pub fn requests(&self) -> Vec<SandboxRequest> {
        self.base.state().requests.clone()
    }

    /// Ends every session, as a server-side timeout would; the next stateful call then gets the error
    /// `Authorization_Failed_SessionExpired` back.
    pub fn expire_sessions(&self) {
        let mut s = self.base.state();
        s.sessions.clear();
        s.expired = true;
    }

    /// Compresses successful responses from now on (`None`: plain). Error bodies stay uncompressed.
    pub fn set_compression(&self, compression: Option<Compression>) {
        if let Ok(mut c) = self.compression.lock() {
            *c = compression;
        }
    }

    /// Delivers an inbound fax from `from` carrying `pdf`; returns its id.
    pub fn inject(&self, from: &FaxNumber, pdf: Bytes) -> String {
        self.base.state().inject_inbound(from, pdf)
    }
}

#[allow(clippy::panic)]
fn unreachable_client() -> Client {
    panic!("the sandbox client configuration is always valid")
}

/// A builder preset with `base_url`, the sandbox product and the given credentials.
fn builder_at(username: &str, password: &str, base_url: &str) -> crate::ClientBuilder {
    // No status cache here: faxes advance one step per status read.
    Client::builder()
        .credentials(username, password)
        .product_id(PRODUCT_ID)
        .base_url(base_url)
        .min_status_interval(std::time::Duration::ZERO)
}

#[async_trait::async_trait]
impl VendorSandbox for Sandbox {
    fn server(&self) -> &dyn SandboxBase {
        &self.base
    }

    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService> {
        match builder_at(USERNAME, PASSWORD, base_url).transport(self.transport).build() {
            Ok(c) => Arc::new(c),
            Err(_) => Arc::new(unreachable_client()),
        }
    }

    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService> {
        match self.builder(USERNAME, "wrong-password").transport(self.transport).build() {
            Ok(c) => Arc::new(c),
            Err(_) => Arc::new(unreachable_client()),
        }
    }

    /// In the path (REST), the `SOAPAction` or content type (SOAP) or the body (RPC, SOAP object) of a send.
    fn send_marker(&self) -> &'static str {
        "SendFax"
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("WESTFAX_USERNAME".into(), USERNAME.into()),
            ("WESTFAX_PASSWORD".into(), PASSWORD.into()),
            ("WESTFAX_PRODUCT_ID".into(), PRODUCT_ID.into()),
            ("WESTFAX_BASE_URL".into(), self.uri()),
            ("WESTFAX_TRANSPORT".into(), self.transport.as_str().into()),
            // No status cache here: `wait` may poll as fast as it likes.
            ("WESTFAX_MIN_STATUS_INTERVAL".into(), "0".into()),
        ]
    }
}
