//! A stateful Fax2 simulator on a loopback wiremock server (feature `sandbox`).
//!
//! It speaks the recorded Fax2 wire under `/v1`: OAuth2 tokens that expire (lifetime settable, revocable),
//! `fax_services`, `upload_document` (multipart or raw; type list, conversion of PDFs checked),
//! `send_fax` (form with `documents[]`), `sent_faxes/{id}` advancing one step per read (`sending` → `sent`, or
//! `sending` → `waiting` → `failed` with a reason for numbers set to fail), and `received_faxes` in no
//! particular order with unordered ids, `limit`/`next_page_url` paging and `from_time`/`before_time` filters.
//! Received faxes are injected, also with a `received_at` in the past to simulate late arrivals within Fax2's
//! 5-minute window.
//!
//! The control route of every faxkit sandbox ([`faxkit::sandbox`]) injects received faxes while it runs:
//! `POST /__sandbox/inbound` with the document as the body answers `201 {"id":"…"}` (Fax2 reports no sender,
//! so `X-Sandbox-From` is accepted and not kept); `GET /__sandbox/inbound` reports every received fax as JSON.
//! Fax2 keeps no read state, so none is ever acknowledged there; `downloads` counts `content.pdf` reads.
//! [`VendorSandbox::set_latency`](faxkit::sandbox::VendorSandbox::set_latency) delays every answer.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use fax2::sandbox::Sandbox;
//! let sandbox = Sandbox::start().await?;
//! let id = sandbox.inject_received(bytes::Bytes::from_static(b"%PDF-1.4 hello")).await;
//! let client = sandbox.client();
//! let pdf = client.received_faxes().content(&id).await?.bytes(1 << 20).await?;
//! assert_eq!(&pdf[..], b"%PDF-1.4 hello");
//! # Ok::<(), faxkit::Error>(()) }).unwrap();
//! ```

mod routes;
mod state;

use std::sync::{Arc, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::{SandboxBase, SandboxInbound, SandboxOutbound, SandboxServer, SandboxState};
use faxkit::{FaxId, FaxNumber, FaxService};
use jiff::Timestamp;

pub use state::{SandboxSentFax, SandboxUpload};

use crate::client::{Client, ClientBuilder, ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME};
use crate::model::{FailureReason, ReceivedFax, ReceivedFaxId, ServiceId};
use state::State;

/// The sandbox account's user name.
pub const USERNAME: &str = "sandbox-user";
/// The sandbox account's password.
pub const PASSWORD: &str = "sandbox-password";

/// A running Fax2 simulator. Dropping it stops the server.
pub struct Sandbox {
    base: SandboxServer<State>,
    client: Client,
    wrong_client: Client,
}

impl SandboxState for State {
    /// Fax2 reports no sender for received faxes, so `from` is not kept.
    fn inject_inbound(&mut self, _from: &FaxNumber, document: Bytes) -> FaxId {
        self.inject(None, Timestamp::now(), document).into()
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        State::inbound_report(self)
    }

    /// Every fax sent, in id order. Fax2's `send_fax` has no field a key could travel in: no key.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        let fax =
            |f: &SandboxSentFax| SandboxOutbound::new(FaxId::new(f.id.clone()), None, vec![f.dest_number.clone()]);
        self.sent.values().map(fax).collect()
    }
}

faxkit::vendor_sandbox!(Sandbox, base, launch);

/// A client for the sandbox's user with `password`, at `base_url`.
fn client_at(password: &str, base_url: &str) -> faxkit::Result<Client> {
    Client::builder().credentials(USERNAME, password).base_url(base_url).build()
}

impl Sandbox {
    async fn launch(port: Option<u16>) -> faxkit::Result<Self> {
        let base = SandboxServer::start_with(crate::VENDOR, port, |uri| State::new(USERNAME, PASSWORD, uri))
            .await?
            .api_path("/v1");
        routes::mount(base.server(), &base.shared(), base.latency()).await;
        let uri = base.api_uri();
        let (client, wrong_client) = (client_at(PASSWORD, &uri)?, client_at("wrong-password", &uri)?);
        Ok(Sandbox { base, client, wrong_client })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.base.state()
    }

    /// The base URL, like `http://127.0.0.1:PORT/v1`.
    pub fn uri(&self) -> String {
        self.base.api_uri()
    }

    /// The user name, password and base URL of the sandbox account.
    pub fn credentials(&self) -> (String, String, String) {
        (USERNAME.to_owned(), PASSWORD.to_owned(), self.uri())
    }

    /// A client builder for this sandbox, with valid credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder().credentials(USERNAME, PASSWORD).base_url(self.uri())
    }

    /// A client for this sandbox, with valid credentials (clones share one token).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The environment variables that point [`Client::from_env`] at this sandbox.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            (ENV_USERNAME.to_owned(), USERNAME.to_owned()),
            (ENV_PASSWORD.to_owned(), PASSWORD.to_owned()),
            (ENV_BASE_URL.to_owned(), self.uri()),
        ]
    }

    /// Sets the lifetime (`expires_in`) of tokens issued from now on (default 1 hour).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state().token_lifetime = lifetime;
    }

    /// Invalidates every issued token, so the next call gets a 401 `unauthorized`.
    pub fn expire_tokens(&self) {
        self.state().tokens.clear();
    }

    /// How many tokens `/oauth2/token` has issued.
    pub fn token_requests(&self) -> usize {
        self.state().token_requests
    }

    /// Every request received, as `METHOD /path`.
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }

    /// Adds a fax service (receiving number, Fax2 form without `+`) and returns its id.
    pub fn add_service(&self, number: &FaxNumber) -> ServiceId {
        let mut state = self.state();
        let id = ServiceId::new(state.next_id("svc"));
        state.services.push((id.clone(), number.digits()));
        id
    }

    /// The account's fax services.
    pub fn services(&self) -> Vec<(ServiceId, String)> {
        self.state().services.clone()
    }

    /// Delivers a received fax to the first fax service, received now.
    pub async fn inject_received(&self, pdf: Bytes) -> ReceivedFaxId {
        self.inject_received_at(Timestamp::now(), pdf).await
    }

    /// Delivers a received fax to the first fax service with the given `received_at` (to the second). A time
    /// in the past simulates a fax that becomes visible late, which Fax2 allows up to 5 minutes before the
    /// latest `received_at` already listed.
    pub async fn inject_received_at(&self, received_at: Timestamp, pdf: Bytes) -> ReceivedFaxId {
        self.state().inject(None, received_at, pdf)
    }

    /// Delivers a received fax to a given fax service.
    pub async fn inject_received_for(&self, service: &ServiceId, received_at: Timestamp, pdf: Bytes) -> ReceivedFaxId {
        self.state().inject(Some(service.clone()), received_at, pdf)
    }

    /// Every received fax in the sandbox.
    pub fn received_faxes(&self) -> Vec<ReceivedFax> {
        self.state().received.iter().map(|r| r.fax.clone()).collect()
    }

    /// Every uploaded document.
    pub fn uploads(&self) -> Vec<SandboxUpload> {
        self.state().uploads.values().cloned().collect()
    }

    /// Every fax sent, in id order.
    pub fn sent_faxes(&self) -> Vec<SandboxSentFax> {
        self.state().sent.values().cloned().collect()
    }

    /// Makes `send_fax` answer `insufficient_credit` (or stop doing so).
    pub fn set_insufficient_credit(&self, on: bool) {
        self.state().insufficient_credit = on;
    }

    /// Makes faxes sent to `number` from now on fail with `reason` (after a `waiting` retry).
    pub fn fail_destination(&self, number: &FaxNumber, reason: FailureReason) {
        self.state().failing_numbers.insert(number.digits(), reason);
    }
}

#[faxkit::async_trait]
impl faxkit::sandbox::VendorSandbox for Sandbox {
    fn server(&self) -> &dyn SandboxBase {
        &self.base
    }

    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService> {
        Arc::new(client_at(PASSWORD, base_url).unwrap_or_else(|_| self.client()))
    }

    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService> {
        Arc::new(self.wrong_client.clone())
    }

    fn send_marker(&self) -> &'static str {
        "POST /v1/send_fax"
    }

    fn env(&self) -> Vec<(String, String)> {
        Sandbox::env(self)
    }
}
