//! A stateful simulator of Retarus Fax4A and Fax2WSPull on loopback, for your own tests.
//!
//! One wiremock server speaks both recorded wires:
//!
//! | path | what |
//! |---|---|
//! | `rest/v1/{custNr}/fax` | the HA send URL: jobs land on DC1 and DC2 alternately (skipping a data center that is down) |
//! | `dc1/rest/v1/…`, `dc2/rest/v1/…` | Fax4A of each data center: send, reports, bulk; each keeps only its own reports |
//! | `faxin/rest/v1/topics/{topic}`, `faxin/rest/v1/files/{id}.pdf` | Fax2WSPull with locks that expire |
//!
//! Behaviour: Fax4A answers 401 to wrong credentials and 403 to another customer number; a report reads
//! `PENDING` on its first status read and its final status (`OK`, or `BUSY` for numbers ending in `666`) from
//! the second on; a data center switched [down](Sandbox::set_data_center_down) answers 503. Fax2WSPull
//! authenticates `99999TE:<password>`, locks fetched jobs for `timeout` seconds of a clock you can
//! [advance](Sandbox::advance_clock), and counts deliveries, downloads and acknowledgements per job.
//!
//! The control route of every faxkit sandbox ([`faxkit::sandbox`]) injects received faxes (on [`TOPIC`])
//! while it runs: `POST /__sandbox/inbound` with the document as the body (optional `X-Sandbox-From: +1…`)
//! answers `201 {"id":"<job id>/<file name>"}`; `GET /__sandbox/inbound` reports every job as JSON
//! (acknowledged = acked with `ids=`, `acks`, `downloads` of `files/…`). [`VendorSandbox::set_latency`]
//! delays every answer.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use faxkit::FaxService;
//! use retarus_fax::sandbox::Sandbox;
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client();
//! let to = faxkit::FaxNumber::parse("+49 89 1234567")?;
//! let doc = faxkit::Document::from_bytes(&b"%PDF-1.4 hello"[..], "hello.pdf");
//! let id = client.send(&faxkit::SendRequest::new(to, doc)).await?;
//! assert_eq!(sandbox.sent_faxes()[0].job_id, id.as_str());
//! # Ok::<(), faxkit::Error>(()) }).unwrap();
//! ```

mod routes;
mod state;

use std::sync::{Arc, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::{SandboxBase, SandboxInbound, SandboxOutbound, SandboxServer, SandboxState, VendorSandbox};
use faxkit::{FaxId, FaxNumber, FaxService, HttpConfig, RetryConfig};
use wiremock::matchers::{any, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use state::{SentDocument, SentFax};

use crate::model::pull::InboundJobId;
use crate::region::{CustomRegion, DataCenter, Region};
use crate::{Client, VENDOR};

/// The sandbox's customer number.
pub const CUSTOMER_NUMBER: &str = "99999TE";
/// The sandbox's Fax4A login id.
pub const USERNAME: &str = "sandbox-login";
/// The sandbox's password (Fax4A and Fax2WSPull).
pub const PASSWORD: &str = "sandbox-password";
/// The topic injected faxes arrive on.
pub const TOPIC: &str = "sandbox-topic";
/// The number injected faxes are received on.
pub const RECEIVER: &str = "+4989262080440";

/// A running sandbox; stops when dropped.
pub struct Sandbox {
    base: SandboxServer<state::State>,
}

impl SandboxState for state::State {
    fn inject_inbound(&mut self, from: &FaxNumber, document: Bytes) -> FaxId {
        let n = state::State::inject_inbound(self, TOPIC, from.international_00(), document);
        self.neutral_id(n)
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        state::State::inbound_report(self)
    }

    /// Every job sent, in order; the key is the `reference.customerDefinedId` it carried.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        let job = |f: &SentFax| {
            let key = f.request.pointer("/reference/customerDefinedId").and_then(|k| k.as_str()).map(str::to_owned);
            SandboxOutbound::new(FaxId::new(f.job_id.clone()), key, f.recipients.clone())
        };
        self.sent.iter().map(job).collect()
    }
}

faxkit::vendor_sandbox!(Sandbox, base, launch, start_on: optional);

impl Sandbox {
    async fn launch(port: Option<u16>) -> faxkit::Result<Self> {
        let base = SandboxServer::start(VENDOR, port, state::State::new()).await?;
        let root = format!("{}/", base.uri());
        let (server, latency) = (base.server(), base.latency());
        Mock::given(path_regex(r"^/faxin/rest/v1/"))
            .respond_with(latency.wrap(routes::Router { state: base.shared(), base: root.clone() }))
            .with_priority(1)
            .mount(server)
            .await;
        Mock::given(path_regex(r"^/(dc[0-9]+/)?rest/v1/"))
            .respond_with(latency.wrap(routes::Router { state: base.shared(), base: root }))
            .with_priority(1)
            .mount(server)
            .await;
        Mock::given(any())
            .respond_with(latency.wrap(ResponseTemplate::new(404).set_body_string("unknown sandbox path")))
            .with_priority(u8::MAX)
            .mount(server)
            .await;
        Ok(Sandbox { base })
    }

    fn state(&self) -> MutexGuard<'_, state::State> {
        self.base.state()
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.base.uri()
    }

    /// The underlying wiremock server (for [`MockServer::received_requests`]).
    pub fn server(&self) -> &MockServer {
        self.base.server()
    }

    /// The sandbox's region: sends to `rest/v1/`, reports from `dc1/rest/v1/` and `dc2/rest/v1/`.
    pub fn region(&self) -> Region {
        region_at(&self.uri())
    }

    fn client_with(&self, password: &str) -> Client {
        client_at(password, &self.uri())
    }

    /// A client with the sandbox's credentials, region and topic.
    pub fn client(&self) -> Client {
        self.client_with(PASSWORD)
    }

    /// Every fax sent so far.
    pub fn sent_faxes(&self) -> Vec<SentFax> {
        self.state().sent.clone()
    }

    /// Job ids of the reports a data center (`0` = DC1, `1` = DC2) holds.
    pub fn reports_in(&self, data_center: usize) -> Vec<String> {
        self.state()
            .data_centers
            .get(data_center)
            .map(|d| d.reports.iter().map(|r| r.job_id.clone()).collect())
            .unwrap_or_default()
    }

    /// Takes a data center (`0` = DC1, `1` = DC2) down (it answers 503) or back up.
    pub fn set_data_center_down(&self, data_center: usize, down: bool) {
        if let Some(d) = self.state().data_centers.get_mut(data_center) {
            d.down = down;
        }
    }

    /// Answers the next send with this HTTP status (409 duplicate, 520 unknown error, …).
    pub fn fail_next_send(&self, status: u16) {
        self.state().fail_next_send = Some(status);
    }

    /// Answers 409 to a send whose body equals an earlier one.
    pub fn reject_duplicates(&self, yes: bool) {
        self.state().reject_duplicates = yes;
    }

    /// Moves the lock clock forward (locks expire as if `by` had passed).
    pub fn advance_clock(&self, by: Duration) {
        self.state().clock_offset += by;
    }

    /// Releases every lock at once.
    pub fn expire_locks(&self) {
        for job in self.state().inbound.values_mut() {
            job.locked_until = None;
        }
    }

    /// Delivers an inbound fax to `topic`, as if `from` had faxed `document` (served as PDF).
    pub fn inject_inbound_to(&self, topic: &str, from: &FaxNumber, document: Bytes) -> InboundJobId {
        let n = self.state().inject_inbound(topic, from.international_00(), document);
        InboundJobId::from(n.to_string())
    }

    /// How often an inbound job's document was downloaded (`GET files/…`).
    pub fn downloads(&self, id: &InboundJobId) -> u32 {
        self.inbound_field(id, |j| j.downloads)
    }

    /// How often an inbound job was handed out by a fetch.
    pub fn deliveries(&self, id: &InboundJobId) -> u32 {
        self.inbound_field(id, |j| j.deliveries)
    }

    /// How often an inbound job was acknowledged.
    pub fn acks(&self, id: &InboundJobId) -> u32 {
        self.inbound_field(id, |j| j.acks)
    }

    fn inbound_field(&self, id: &InboundJobId, f: impl Fn(&state::InboundJob) -> u32) -> u32 {
        let st = self.state();
        id.as_str().parse::<u64>().ok().and_then(|n| st.inbound.get(&n)).map(f).unwrap_or(0)
    }
}

#[allow(clippy::panic)]
fn unreachable_client(e: &faxkit::Error) -> Client {
    panic!("sandbox client could not be built: {e}")
}

/// The sandbox's region with every URL under `base` (the sandbox's root, or a proxy in front of it).
fn region_at(base: &str) -> Region {
    let pull = format!("{base}/faxin/rest/v1/");
    Region::Custom(CustomRegion::new(
        format!("{base}/rest/v1/"),
        vec![
            DataCenter::custom("DC1", format!("{base}/dc1/rest/v1/"), pull.clone()),
            DataCenter::custom("DC2", format!("{base}/dc2/rest/v1/"), pull),
        ],
    ))
}

/// A client for the sandbox's login with `password`, its region under `base`, its topic and quick retries.
fn client_at(password: &str, base: &str) -> Client {
    let retry = RetryConfig {
        max_retries: 1,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryConfig::default()
    };
    let built = Client::builder()
        .credentials(USERNAME, password)
        .customer_number(CUSTOMER_NUMBER)
        .region(region_at(base))
        .topic(TOPIC)
        .http(HttpConfig::default().retry(retry))
        .build();
    match built {
        Ok(c) => c,
        // The sandbox's own URLs are loopback http and always valid; keep a total fallback anyway.
        Err(e) => unreachable_client(&e),
    }
}

#[faxkit::async_trait]
impl VendorSandbox for Sandbox {
    fn server(&self) -> &dyn SandboxBase {
        &self.base
    }

    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService> {
        Arc::new(client_at(PASSWORD, base_url))
    }

    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService> {
        Arc::new(self.client_with("wrong-password"))
    }

    fn send_marker(&self) -> &'static str {
        "POST /rest/v1/99999TE/fax"
    }

    fn env(&self) -> Vec<(String, String)> {
        let base = self.uri();
        vec![
            (crate::client::env::USERNAME.into(), USERNAME.into()),
            (crate::client::env::PASSWORD.into(), PASSWORD.into()),
            (crate::client::env::CUSTOMER_NUMBER.into(), CUSTOMER_NUMBER.into()),
            (crate::client::env::BASE_URL.into(), format!("{base}/")),
            (crate::client::env::FAX4A_DC_URLS.into(), format!("{base}/dc1/rest/v1/,{base}/dc2/rest/v1/")),
            (crate::client::env::TOPIC.into(), TOPIC.into()),
        ]
    }
}
