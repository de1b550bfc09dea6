//! What every vendor sandbox shares: a loopback wiremock server and one trait so the CLI's `demo`, the
//! workspace tests and users' own tests can drive any vendor's simulator the same way.
//!
//! # The control route
//!
//! Every vendor sandbox also answers one route of its own, the same in all five, so a running sandbox (`fax
//! sandbox VENDOR`, or one started by a test) can receive faxes from outside and say what happened to them:
//!
//! | request | answer |
//! |---|---|
//! | `POST /__sandbox/inbound`, body = the document bytes (a PDF), optional header `X-Sandbox-From: +1…` | `201` with `{"id":"<fax id>"}`: the fax is in the sandbox's inbox, as if faxed from that number (default [`DEFAULT_FROM`]); `400` with `{"error":"…"}` for an empty body or a bad number |
//! | `GET /__sandbox/inbound` | `200` with the [`inbound_report`](VendorSandbox::inbound_report) as a JSON array, without the documents: `[{"id":"…","acknowledged":true,"acks":1,"downloads":1,"length":734}]` |
//!
//! ```text
//! curl -s -X POST --data-binary @fax.pdf -H 'X-Sandbox-From: +12125550100' http://127.0.0.1:PORT/__sandbox/inbound
//! curl -s http://127.0.0.1:PORT/__sandbox/inbound
//! ```
//!
//! The route needs no credentials (it is not part of any vendor's API) and waits the sandbox's
//! [latency](VendorSandbox::set_latency) like every other route.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::error::{Error, Result};
use crate::number::FaxNumber;
use crate::service::{FaxId, FaxService};

pub use wiremock;

mod proxy;
mod server;

pub use proxy::FaultProxy;
pub use server::{SandboxBase, SandboxServer, SandboxState, lock};

/// Starts a wiremock server on 127.0.0.1, on `port` or on a free port when `None`.
///
/// # Errors
/// [`Error::Io`] when the port cannot be bound.
pub async fn start_server(port: Option<u16>) -> Result<wiremock::MockServer> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
        .map_err(|e| Error::io("faxkit", format!("binding sandbox port {}", port.unwrap_or(0)), e))?;
    Ok(wiremock::MockServer::builder().listener(listener).start().await)
}

/// A running vendor sandbox, seen through the vendor-neutral interface.
///
/// Each vendor crate's `sandbox::Sandbox` implements it. Sandboxes advance an outbound fax one status step per
/// status read, so tests and demos finish in milliseconds without sleeping. What every sandbox does alike (its
/// URL, the inbox, the outbox, the latency) comes from its [`SandboxServer`], through [`server`](Self::server).
#[async_trait::async_trait]
pub trait VendorSandbox: Send + Sync {
    /// The sandbox's server: its vendor, its URL, its state as [`SandboxState`] sees it, its latency.
    fn server(&self) -> &dyn SandboxBase;

    /// The vendor crate name.
    fn vendor(&self) -> &'static str {
        self.server().vendor()
    }

    /// The base URL clients should use.
    fn uri(&self) -> String {
        self.server().api_uri()
    }

    /// A client with the sandbox's valid credentials, as a [`FaxService`].
    fn service(&self) -> Arc<dyn FaxService> {
        self.service_via(&self.uri())
    }

    /// A client with the sandbox's valid credentials whose requests go to `base_url`, the root of something
    /// that forwards to [`uri`](Self::uri) (a [`FaultProxy`]), as a [`FaxService`].
    fn service_via(&self, base_url: &str) -> Arc<dyn FaxService>;

    /// A client with wrong credentials, for testing authentication errors.
    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService>;

    /// A text found only in the request with which [`service`](Self::service) submits a fax (in its request
    /// line, like `"POST /outbound/faxes"`, its headers or its body), for [`FaultProxy::reset_after_forwarding`].
    fn send_marker(&self) -> &'static str;

    /// Delivers a received fax into the sandbox's inbox, as if `from` had faxed `document` (PDF bytes).
    async fn inject_inbound(&self, from: &FaxNumber, document: Bytes) -> FaxId {
        self.server().inject_inbound(from, document)
    }

    /// The environment variables (name, value) that point the vendor's `Client::from_env()` at this sandbox.
    fn env(&self) -> Vec<(String, String)>;

    /// Every received fax the sandbox holds, oldest first, with what happened to it at the vendor: whether it
    /// is acknowledged (in the vendor's own terms: read, retrieved, acked, downloaded), how often it was
    /// acknowledged and downloaded. Each vendor crate's sandbox docs say what counts for that vendor (Fax2
    /// keeps no read state: never acknowledged).
    fn inbound_report(&self) -> Vec<SandboxInbound> {
        self.server().inbound_report()
    }

    /// Every outbound fax job the sandbox accepted, oldest first, with the idempotency key the vendor
    /// recorded for it.
    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        self.server().outbound_report()
    }

    /// Makes every request to the sandbox wait `latency` before it is answered (a simulated vendor latency;
    /// default zero).
    fn set_latency(&self, latency: Duration) {
        self.server().latency().set(latency);
    }

    /// Injects `n` received faxes from [`DEFAULT_FROM`], each with a distinct small PDF ([`sample_pdf`]`(i)`
    /// for `i` in `0..n`), and returns their ids in order.
    async fn seed_inbound(&self, n: usize) -> Vec<FaxId> {
        let Ok(from) = FaxNumber::parse(DEFAULT_FROM) else { return Vec::new() };
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            ids.push(self.inject_inbound(&from, sample_pdf(i)).await);
        }
        ids
    }
}

/// The number injected faxes come from when no other is given (`X-Sandbox-From`, [`VendorSandbox::seed_inbound`]).
pub const DEFAULT_FROM: &str = "+12125550199";

/// The path of the control route (module docs).
pub const CONTROL_PATH: &str = "/__sandbox/inbound";

/// The header naming the sender on the control route.
pub const FROM_HEADER: &str = "X-Sandbox-From";

/// One received fax in a sandbox, as [`VendorSandbox::inbound_report`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxInbound {
    /// The fax's id, as the vendor-neutral interface names it.
    pub id: FaxId,
    /// The document the sandbox serves for it.
    pub document: Bytes,
    /// Whether the vendor now holds it acknowledged (read, retrieved, acked, downloaded: per vendor).
    pub acknowledged: bool,
    /// How many acknowledgements reached the sandbox.
    pub acks: u32,
    /// How many times its document was downloaded.
    pub downloads: u32,
}

impl SandboxInbound {
    /// A fax not acknowledged and never downloaded.
    pub fn new(id: FaxId, document: Bytes) -> Self {
        SandboxInbound { id, document, acknowledged: false, acks: 0, downloads: 0 }
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id.as_str(),
            "acknowledged": self.acknowledged,
            "acks": self.acks,
            "downloads": self.downloads,
            "length": self.document.len(),
        })
    }
}

/// One outbound fax job in a sandbox, as [`VendorSandbox::outbound_report`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxOutbound {
    /// The job's id, as the vendor-neutral interface names it (what `send` returned, or would have).
    pub id: FaxId,
    /// The idempotency key the vendor holds for the job, read from the field the vendor crate writes it to
    /// (InterFAX `reference`, FaxCore `subject`, WestFax `JobName`, Retarus `customerDefinedId`); `None` where
    /// the vendor's send has no such field (Fax2) or the send carried no key.
    pub key: Option<String>,
    /// The numbers the job goes to, as they were written on the wire.
    pub recipients: Vec<String>,
}

impl SandboxOutbound {
    /// A job with its key and recipients.
    pub fn new(id: FaxId, key: Option<String>, recipients: Vec<String>) -> Self {
        SandboxOutbound { id, key, recipients }
    }
}

/// A tiny valid one-page PDF whose page text is `faxkit sandbox fax {i}`, so every `i` gives distinct bytes.
///
/// ```
/// let a = faxkit::sandbox::sample_pdf(1);
/// assert!(a.starts_with(b"%PDF-1.4") && a.ends_with(b"%%EOF\n"));
/// assert_ne!(a, faxkit::sandbox::sample_pdf(2));
/// ```
pub fn sample_pdf(i: usize) -> Bytes {
    let content = format!("BT /F1 18 Tf 72 720 Td (faxkit sandbox fax {i}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", n + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    Bytes::from(out)
}

/// A sandbox's simulated latency, shared by its responders ([`VendorSandbox::set_latency`]).
#[derive(Debug, Clone, Default)]
pub struct Latency(Arc<AtomicU64>);

impl Latency {
    /// Zero latency.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the latency (saturating at about 584 years).
    pub fn set(&self, latency: Duration) {
        self.0.store(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The latency.
    pub fn get(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }

    /// `template`, answered after the latency.
    pub fn apply(&self, template: ResponseTemplate) -> ResponseTemplate {
        match self.get() {
            Duration::ZERO => template,
            latency => template.set_delay(latency),
        }
    }

    /// `inner`, with every answer delayed by this latency.
    pub fn wrap<R: Respond>(&self, inner: R) -> Delayed<R> {
        Delayed { latency: self.clone(), inner }
    }
}

/// A responder whose answers wait the sandbox's [`Latency`]; see [`Latency::wrap`].
#[derive(Debug)]
pub struct Delayed<R> {
    latency: Latency,
    inner: R,
}

impl<R: Respond> Respond for Delayed<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.latency.apply(self.inner.respond(request))
    }
}

/// What a vendor sandbox does for the control route: inject a received fax and report the inbox. Both are
/// synchronous (they only touch the sandbox's state).
pub trait InboundControl: Send + Sync + 'static {
    /// Puts a received fax from `from` into the inbox; returns its id.
    fn inject(&self, from: &FaxNumber, document: Bytes) -> FaxId;

    /// The inbox, as [`VendorSandbox::inbound_report`].
    fn report(&self) -> Vec<SandboxInbound>;
}

struct ControlRoute {
    control: Arc<dyn InboundControl>,
}

fn json(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

impl Respond for ControlRoute {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match request.method.as_str() {
            "GET" => json(
                200,
                &serde_json::Value::Array(self.control.report().iter().map(SandboxInbound::to_json).collect()),
            ),
            "POST" => {
                if request.body.is_empty() {
                    return json(400, &serde_json::json!({ "error": "the body must be the fax document (PDF bytes)" }));
                }
                let from = match request.headers.get(FROM_HEADER).map(|v| v.to_str()) {
                    None => FaxNumber::parse(DEFAULT_FROM),
                    Some(Ok(v)) => FaxNumber::parse(v),
                    Some(Err(_)) => Err(Error::invalid_input("faxkit", format!("{FROM_HEADER} is not text"))),
                };
                match from {
                    Ok(from) => {
                        let id = self.control.inject(&from, Bytes::copy_from_slice(&request.body));
                        json(201, &serde_json::json!({ "id": id.as_str() }))
                    }
                    Err(e) => json(400, &serde_json::json!({ "error": e.to_string() })),
                }
            }
            other => {
                json(405, &serde_json::json!({ "error": format!("{other} is not allowed here; use GET or POST") }))
            }
        }
    }
}

/// Mounts the control route (module docs) on a sandbox's server, ahead of the vendor's routes, with the
/// sandbox's latency. Call it before mounting the vendor's own routes.
pub async fn mount_inbound_control(server: &MockServer, control: Arc<dyn InboundControl>, latency: &Latency) {
    Mock::given(wiremock::matchers::path(CONTROL_PATH))
        .respond_with(latency.wrap(ControlRoute { control }))
        .with_priority(1)
        .named("faxkit sandbox control route")
        .mount(server)
        .await;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn sample_pdfs_are_distinct_valid_one_page_pdfs() {
        let pdf = sample_pdf(7);
        let text = std::str::from_utf8(&pdf).unwrap();
        assert!(text.contains("(faxkit sandbox fax 7) Tj"), "{text}");
        assert_eq!(text.matches("/Type /Page ").count(), 1);
        // Every xref offset points at its object.
        let xref = text.find("\nxref\n").unwrap() + 1;
        let startxref: usize = text.split("startxref\n").nth(1).unwrap().lines().next().unwrap().parse().unwrap();
        assert_eq!(startxref, xref);
        for (n, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj", n + 1)), "object {}", n + 1);
        }
        assert_ne!(sample_pdf(1), sample_pdf(10));
    }

    #[test]
    fn latency_is_shared_and_saturates() {
        let latency = Latency::new();
        let other = latency.clone();
        latency.set(Duration::from_millis(25));
        assert_eq!(other.get(), Duration::from_millis(25));
        latency.set(Duration::MAX);
        assert_eq!(other.get(), Duration::from_nanos(u64::MAX));
    }
}
