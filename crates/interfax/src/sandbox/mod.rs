//! A stateful InterFAX simulator on loopback, speaking the recorded wire (feature `sandbox`).
//!
//! Built on wiremock: one router holds the state in an `Arc<Mutex<_>>`. It checks HTTP Basic on every call,
//! answers JSON as `text/json`, returns ids in `Location` (201), bare `true` for mark/resend, a bare decimal
//! balance, 64-bit ids (above 2³²), datetimes without offset, and real error bodies:
//!
//! | situation | reply |
//! |---|---|
//! | wrong credentials | 401 with `WWW-Authenticate: Basic realm="Secure Area"` |
//! | unknown fax | 404 `{"code":-1005,"message":"Fax resource not found",…}` |
//! | unknown or used-up single-use document | 404 `{"code":-1062,"message":"Wrong uploaded document resource","moreInfo":null}` |
//! | developer account faxing another number ([`Sandbox::set_designated_number`]) | 400 `-111` |
//! | unknown batch list | 400 `-113` |
//! | more than 6 polls a minute ([`Sandbox::enforce_poll_limit`]) | 400 `-1011` |
//! | [`Sandbox::fail_next`] | any status and code, once |
//!
//! Outbound faxes start at `-2` (ready) and advance one step per status read (`GET /outbound/faxes/{id}` or
//! `/completed?ids=`): `-2` → `-3` → the outcome set by [`Sandbox::set_next_outcome`] (default `0`). A cancelled
//! fax gets `205000`, the only documented cancellation code.
//!
//! The control route of every faxkit sandbox ([`faxkit::sandbox`]) injects received faxes while it runs:
//! `POST /__sandbox/inbound` with the document as the body (optional `X-Sandbox-From: +1…`) answers `201
//! {"id":"…"}`; `GET /__sandbox/inbound` reports every received fax as JSON (acknowledged = marked read,
//! `acks` = `mark?unread=false` calls, `downloads` = `image` reads). It needs no credentials.
//! [`VendorSandbox::set_latency`](faxkit::sandbox::VendorSandbox::set_latency) delays every answer.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use interfax::sandbox::Sandbox;
//! use faxkit::{Document, FaxNumber};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client();
//! let id = client.outbound()
//!     .send_fax(FaxNumber::parse("+12125550100")?, Document::from_bytes("%PDF-1.4 hi", "hi.pdf"))
//!     .send().await?;
//! assert_eq!(sandbox.sent_faxes()[0].documents[0].bytes, &b"%PDF-1.4 hi"[..]);
//! assert_eq!(client.outbound().get(id).await?.status.0, -3);
//! assert_eq!(client.outbound().get(id).await?.status.0, 0);
//! # Ok::<(), faxkit::Error>(()) }).unwrap();
//! ```

mod routes;
mod state;

use std::sync::{Arc, MutexGuard};

use bytes::Bytes;
use faxkit::sandbox::{SandboxBase, SandboxInbound, SandboxOutbound, SandboxServer, SandboxState};
use faxkit::{FaxId, FaxNumber, FaxService, Result};
use wiremock::{Mock, matchers::any};

use crate::client::{Client, ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME};
use crate::model::common::{ErrorCode, FaxStatusCode, InboundFaxId, OutboundFaxId};
pub use state::{SandboxDocument, SentDocument, SentFax};

/// The sandbox's user name.
pub const USERNAME: &str = "sandbox-user";
/// The sandbox's password.
pub const PASSWORD: &str = "sandbox-password";
/// The number injected faxes are received on.
pub const INBOUND_NUMBER: &str = "2125550123";

/// A running InterFAX simulator. Dropping it stops the server.
pub struct Sandbox {
    base: SandboxServer<state::State>,
    client: Client,
}

impl SandboxState for state::State {
    fn inject_inbound(&mut self, from: &FaxNumber, document: Bytes) -> FaxId {
        self.inject(&from.e164(), INBOUND_NUMBER, document).into()
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        state::State::inbound_report(self)
    }

    /// Every fax accepted, batch children included; the key is the `reference` the send carried.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        let fax = |f: &state::OutFax| {
            let key = f.fax.options.get("reference").cloned();
            SandboxOutbound::new(FaxId::from(f.fax.id.0), key, vec![f.fax.fax_number.clone()])
        };
        self.outbound.values().map(fax).collect()
    }
}

faxkit::vendor_sandbox!(Sandbox, base, launch);

/// A client for the sandbox's user with `password`, at `base_url`.
fn client_at(password: &str, base_url: &str) -> Result<Client> {
    Client::builder().credentials(USERNAME, password).base_url(base_url).build()
}

impl Sandbox {
    async fn launch(port: Option<u16>) -> Result<Sandbox> {
        let base = SandboxServer::start(crate::VENDOR, port, state::State::new(USERNAME, PASSWORD)).await?;
        let router = routes::Router { state: base.shared(), base: base.uri() };
        Mock::given(any()).respond_with(base.latency().wrap(router)).mount(base.server()).await;
        let client = client_at(PASSWORD, &base.uri())?;
        Ok(Sandbox { base, client })
    }

    fn state(&self) -> MutexGuard<'_, state::State> {
        self.base.state()
    }

    /// The base URL (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.base.uri()
    }

    /// A client with the sandbox's credentials.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// User name, password and base URL, to build your own client.
    pub fn credentials(&self) -> (String, String, String) {
        (USERNAME.to_owned(), PASSWORD.to_owned(), self.uri())
    }

    /// Every fax accepted so far (batch children included), oldest first.
    pub fn sent_faxes(&self) -> Vec<SentFax> {
        self.state().outbound.values().map(|f| f.fax.clone()).collect()
    }

    /// Every upload session.
    pub fn documents(&self) -> Vec<SandboxDocument> {
        self.state().documents.values().cloned().collect()
    }

    /// `METHOD /path` of every request received, in order.
    pub fn requests(&self) -> Vec<String> {
        self.state().log.clone()
    }

    /// Receives a fax from `from` (a PDF, or a TIFF when the bytes start like one) on [`INBOUND_NUMBER`].
    pub fn inject_inbound_fax(&self, from: &str, document: Bytes) -> InboundFaxId {
        self.state().inject(from, INBOUND_NUMBER, document)
    }

    /// Sets the balance, as the decimal text InterFAX returns (`"3.8500"`).
    pub fn set_balance(&self, balance: &str) {
        self.state().balance = balance.to_owned();
    }

    /// Makes the account a developer account that may fax only `number` (others get `-111`); `None` lifts it.
    pub fn set_designated_number(&self, number: Option<&FaxNumber>) {
        self.state().designated_number = number.map(FaxNumber::e164);
    }

    /// The final status of faxes sent from now on (default `0`; e.g. `FaxStatusCode(3931)` to simulate failure).
    pub fn set_next_outcome(&self, status: FaxStatusCode) {
        self.state().next_outcome = status.0;
    }

    /// Sets a fax's status directly.
    pub fn set_status(&self, id: OutboundFaxId, status: FaxStatusCode) {
        if let Some(f) = self.state().outbound.get_mut(&id.0) {
            f.fax.status = status;
        }
    }

    /// The next request (after authentication) fails with this HTTP status and InterFAX code.
    pub fn fail_next(&self, http_status: u16, code: ErrorCode, message: &str) {
        self.state().fault = Some(state::Fault { status: http_status, code: code.0, message: message.to_owned() });
    }

    /// Answers `-1011` when one fax is polled more than 6 times in a minute, as InterFAX does (off by default so
    /// demos can poll quickly).
    pub fn enforce_poll_limit(&self, on: bool) {
        self.state().poll_limit = on;
    }

    /// Defines a named batch list (`POST /outbound/batches?list=<name>`).
    pub fn add_list(&self, name: &str, numbers: &[&str]) {
        self.state().lists.insert(name.to_owned(), numbers.iter().map(|n| (*n).to_owned()).collect());
    }
}

#[faxkit::async_trait]
impl faxkit::sandbox::VendorSandbox for Sandbox {
    fn server(&self) -> &dyn SandboxBase {
        &self.base
    }

    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService> {
        Arc::new(client_at(PASSWORD, base_url).unwrap_or_else(|_| self.client.clone()))
    }

    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService> {
        Arc::new(client_at("wrong-password", &self.uri()).unwrap_or_else(|_| self.client.clone()))
    }

    fn send_marker(&self) -> &'static str {
        "POST /outbound/faxes"
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            (ENV_USERNAME.to_owned(), USERNAME.to_owned()),
            (ENV_PASSWORD.to_owned(), PASSWORD.to_owned()),
            (ENV_BASE_URL.to_owned(), self.uri()),
        ]
    }
}
