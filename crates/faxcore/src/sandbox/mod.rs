//! A stateful FaxCore simulator on loopback, for tests and demos (feature `sandbox`).
//!
//! It speaks the recorded wire: `POST /api/SendFax` with the document as the body, `GET /api/FaxStatus`,
//! `GetFaxList`, `GetFaxDetails`, `DownloadFax` (base64 body), `DeleteFax`, Basic auth, `<ApiResponse>`
//! replies, Pacific-time dates. Behaviour:
//!
//! * a sent fax lands in `Outbox` as `In Queue`; each status read (`FaxStatus` or `GetFaxDetails`) returns
//!   the status and then moves it one step on: `In Queue` → `Completed` (folder `Sent`), or `Failed` (folder
//!   `Failed`) after [`Sandbox::fail_next_send`]; [`Sandbox::hold_queue`] keeps faxes queued;
//! * [`Sandbox::inject_inbound_fax`] puts a received fax in `Inbox`; `DownloadFax` marks a fax downloaded, so
//!   `hidedownloaded=true` leaves it out;
//! * `DeleteFax` moves a fax to `Trash`, and deletes it for good from there;
//! * wrong credentials → HTTP 401, unknown id → HTTP 404, bad parameters → HTTP 400, each with an
//!   `<ApiResponse><Error>…</Error></ApiResponse>` body.
//!
//! The control route of every faxkit sandbox ([`faxkit::sandbox`]) injects received faxes while it runs:
//! `POST /__sandbox/inbound` with the document as the body (optional `X-Sandbox-From: +1…`) answers `201
//! {"id":"…"}`; `GET /__sandbox/inbound` reports the inbox as JSON. FaxCore's only read state is
//! "downloaded", so in that report (and [`VendorSandbox::inbound_report`]) a fax is acknowledged once
//! `DownloadFax` served it, and `acks` counts those downloads (the client's `acknowledge` sends nothing).
//! [`VendorSandbox::set_latency`] delays every answer.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use faxcore::sandbox::Sandbox;
//! use faxcore::{FaxCoreStatus, Folder};
//! use faxkit::{Document, FaxNumber};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client();
//! let id = client.send_fax(FaxNumber::parse("+12125550100")?, Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
//! assert_eq!(client.fax_status(id).await?, FaxCoreStatus::InQueue);
//! assert_eq!(client.fax_status(id).await?, FaxCoreStatus::Completed);
//! assert_eq!(client.get_fax_list(Folder::Sent).send().await?, vec![id]);
//! assert_eq!(sandbox.sent_faxes()[0].recpfax, "12125550100");
//! # Ok::<(), faxkit::Error>(()) }).unwrap();
//! ```

mod routes;
mod state;

use std::sync::Arc;

use bytes::Bytes;
use faxkit::sandbox::{SandboxBase, SandboxInbound, SandboxOutbound, SandboxServer, SandboxState, VendorSandbox};
use faxkit::{FaxNumber, FaxService, Result};
use wiremock::{Mock, MockServer, matchers::any};

pub use state::SentFax;

use crate::client::Client;
use crate::model::{FaxCoreStatus, FaxDetails, FaxId, Folder};
use routes::FaxCoreApi;
use state::State;

/// A running FaxCore sandbox. Dropping it stops the server.
pub struct Sandbox {
    base: SandboxServer<State>,
    client: Client,
    wrong_client: Client,
}

impl SandboxState for State {
    fn inject_inbound(&mut self, from: &FaxNumber, document: Bytes) -> faxkit::FaxId {
        self.receive(&from.digits(), document).into()
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        State::inbound_report(self)
    }

    /// Every fax `SendFax` accepted, in order. The client writes the key into `subject`: as its bracketed tail
    /// (`Invoice 42 [order-42]`), or as the whole subject when there is no other; that is the key reported.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        let fax = |f: &SentFax| {
            let subject = f.subject.trim();
            let tail = subject.strip_suffix(']').and_then(|s| s.rsplit_once(" [")).map(|(_, key)| key);
            let key = Some(tail.unwrap_or(subject).to_owned()).filter(|k| !k.is_empty());
            SandboxOutbound::new(f.id.into(), key, vec![f.recpfax.clone()])
        };
        self.sent.iter().map(fax).collect()
    }
}

faxkit::vendor_sandbox!(Sandbox, base, launch);

/// A client for the sandbox's user with `password`, at `base_url`.
fn client_at(password: &str, base_url: &str) -> Result<Client> {
    Client::builder().credentials(Sandbox::USERNAME, password).base_url(base_url).build()
}

impl Sandbox {
    /// The sandbox account's user name (a fax number, as FaxCore user names are).
    pub const USERNAME: &'static str = "5557152222";
    /// The sandbox account's password.
    pub const PASSWORD: &'static str = "sandbox-password";

    async fn launch(port: Option<u16>) -> Result<Self> {
        let base = SandboxServer::start(crate::VENDOR, port, State::new(Self::USERNAME, Self::PASSWORD))
            .await?
            .api_path("/api/");
        let api = FaxCoreApi { state: base.shared() };
        Mock::given(any()).respond_with(base.latency().wrap(api)).mount(base.server()).await;
        let uri = base.api_uri();
        let (client, wrong_client) = (client_at(Self::PASSWORD, &uri)?, client_at("wrong-password", &uri)?);
        Ok(Sandbox { base, client, wrong_client })
    }

    /// The base URL (`http://127.0.0.1:<port>/api/`).
    pub fn uri(&self) -> String {
        self.base.api_uri()
    }

    /// A client with the sandbox's credentials.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The underlying wiremock server (for [`MockServer::received_requests`]).
    pub fn server(&self) -> &MockServer {
        self.base.server()
    }

    /// Every fax `SendFax` accepted, in order.
    pub fn sent_faxes(&self) -> Vec<SentFax> {
        self.base.state().sent.clone()
    }

    /// Delivers a received fax into the `Inbox`, as if `from` had faxed `document`.
    pub fn inject_inbound_fax(&self, from: &FaxNumber, document: Bytes) -> FaxId {
        self.base.state().receive(&from.digits(), document)
    }

    /// The details of a fax as the sandbox holds them, without advancing its status.
    pub fn fax(&self, id: FaxId) -> Option<FaxDetails> {
        self.base.state().faxes.get(&id).map(|f| f.details.clone())
    }

    /// The folder a fax is in.
    pub fn folder(&self, id: FaxId) -> Option<Folder> {
        self.base.state().faxes.get(&id).map(|f| f.folder.clone())
    }

    /// Whether a fax was downloaded.
    pub fn is_downloaded(&self, id: FaxId) -> Option<bool> {
        self.base.state().faxes.get(&id).map(|f| f.downloaded)
    }

    /// Sets a fax's status (and moves it to the matching folder); `false` for an unknown id.
    pub fn set_status(&self, id: FaxId, status: FaxCoreStatus) -> bool {
        self.base.state().set_status(id, status)
    }

    /// Makes the next sent fax end `Failed` instead of `Completed`.
    pub fn fail_next_send(&self) {
        self.base.state().fail_next_send = true;
    }

    /// Keeps outbound faxes `In Queue` (status reads stop advancing them) while `hold` is true.
    pub fn hold_queue(&self, hold: bool) {
        self.base.state().hold_queue = hold;
    }
}

#[async_trait::async_trait]
impl VendorSandbox for Sandbox {
    fn server(&self) -> &dyn SandboxBase {
        &self.base
    }

    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService> {
        Arc::new(client_at(Self::PASSWORD, base_url).unwrap_or_else(|_| self.client.clone()))
    }

    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService> {
        Arc::new(self.wrong_client.clone())
    }

    fn send_marker(&self) -> &'static str {
        "POST /api/SendFax"
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            (crate::client::ENV_USERNAME.to_owned(), Self::USERNAME.to_owned()),
            (crate::client::ENV_PASSWORD.to_owned(), Self::PASSWORD.to_owned()),
            (crate::client::ENV_BASE_URL.to_owned(), self.uri()),
        ]
    }
}
