//! The cross-vendor scenario suite: plain async functions that take any vendor's sandbox through the
//! vendor-neutral [`FaxService`] and [`VendorSandbox`] interfaces. Each vendor's test file in `tests/` calls them
//! against that vendor's sandbox (WestFax once per transport).
#![deny(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(unsafe_code)]
pub mod alloc;
pub mod faults;
pub mod fuzz;

use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::{FaultProxy, SandboxOutbound, VendorSandbox, sample_pdf};
use faxkit::{
    DeliveryStatus, Direction, Document, ErrorKind, FaxId, FaxNumber, FaxService, InboundQuery, Reconciliation,
    SendRequest, WaitOptions,
};

/// A small valid PDF whose text makes each document distinct.
pub fn pdf(text: &str) -> Bytes {
    let body = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    );
    Bytes::from(body)
}

fn one_document_request() -> SendRequest {
    SendRequest::new(FaxNumber::parse("+1 212 555 0100").unwrap(), Document::from_bytes(pdf("only"), "only.pdf"))
}

fn two_document_request() -> SendRequest {
    SendRequest::new(FaxNumber::parse("+1 212 555 0100").unwrap(), Document::from_bytes(pdf("first"), "first.pdf"))
        .document(Document::from_bytes(pdf("second"), "second.pdf"))
        .reference("faxkit conformance")
}

/// Sends with two documents; a vendor whose wire takes one document per fax must refuse with `Unsupported`
/// before sending anything, and then takes the same fax as one document.
async fn send_two_documents(svc: &dyn FaxService) -> FaxId {
    match svc.send(&two_document_request()).await {
        Ok(id) => id,
        Err(e) if e.kind() == ErrorKind::Unsupported => {
            svc.send(&one_document_request()).await.unwrap_or_else(|e| panic!("{}: send failed: {e}", svc.vendor()))
        }
        Err(e) => panic!("{}: send failed: {e}", svc.vendor()),
    }
}

/// Sends a fax with two documents and follows its status to `Delivered`, checking it moves only forward.
pub async fn send_and_track(svc: &dyn FaxService) {
    let id = send_two_documents(svc).await;
    let mut seen = Vec::new();
    for _ in 0..50 {
        let status = svc.status(&id).await.unwrap_or_else(|e| panic!("{}: status failed: {e}", svc.vendor()));
        assert_eq!(status.id, id, "{}: status is for another fax", svc.vendor());
        assert!(!status.raw_status.is_empty(), "{}: the vendor's raw status must be kept", svc.vendor());
        let done = status.status.is_final();
        seen.push(status.status);
        if done {
            break;
        }
    }
    assert_eq!(seen.last(), Some(&DeliveryStatus::Delivered), "{}: statuses seen: {seen:?}", svc.vendor());
    assert!(seen.len() >= 2, "{}: a fresh fax cannot be delivered on the first read: {seen:?}", svc.vendor());
    assert!(seen[..seen.len() - 1].iter().all(|s| !s.is_final()), "{}: a final status changed: {seen:?}", svc.vendor());
    let waited = svc.wait(&id, &WaitOptions::new(Duration::from_secs(5), Duration::from_millis(1))).await.unwrap();
    assert_eq!(waited.status, DeliveryStatus::Delivered);
}

/// Cancels a freshly queued fax; vendors without cancel must say `Unsupported`.
pub async fn cancel_queued(svc: &dyn FaxService) {
    let id = send_two_documents(svc).await;
    match svc.cancel(&id).await {
        Ok(()) => {
            let status = svc.status(&id).await.unwrap();
            assert_eq!(status.status, DeliveryStatus::Cancelled, "{}: after cancel: {status:?}", svc.vendor());
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{}: cancel failed: {e}", svc.vendor()),
    }
}

/// Injects an inbound fax, finds it in the inbox, downloads exactly its bytes and acknowledges it.
pub async fn inbound_roundtrip(sandbox: &dyn VendorSandbox, svc: &dyn FaxService) {
    let document = pdf("inbound conformance fax");
    let from = FaxNumber::parse("+1 646 555 0199").unwrap();
    let id = sandbox.inject_inbound(&from, document.clone()).await;
    let listed = svc.list_inbound(&InboundQuery::default()).await.unwrap();
    assert!(listed.iter().any(|f| f.id == id), "{}: {id} not in inbox {listed:?}", svc.vendor());
    let download = svc.download(&id, Direction::Inbound).await.unwrap();
    let bytes = download.bytes(1 << 24).await.unwrap();
    assert_eq!(bytes, document, "{}: downloaded bytes differ from the injected fax", svc.vendor());
    match svc.acknowledge(&id).await {
        Ok(()) => {
            let unread = svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap();
            assert!(!unread.iter().any(|f| f.id == id), "{}: {id} still unread after acknowledge", svc.vendor());
        }
        // A vendor without server-side read state says so (Fax2: its InboxPoller is the exactly-once tool).
        Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{}: acknowledge failed: {e}", svc.vendor()),
    }
}

/// The inbox-engine primitives: seeds 3 faxes, polls them through `service.inbound_source()`, downloads
/// each (bytes compared), acknowledges each, and polls again: nothing is left, and the sandbox saw every fax
/// acknowledged at least once. Sources whose vendor keeps no read state (Fax2) say `acknowledges() == false`
/// and refuse to acknowledge. Run on a fresh sandbox.
pub async fn inbound_source_flow(sandbox: &dyn VendorSandbox) {
    let vendor = sandbox.vendor();
    let source = sandbox.service().inbound_source();
    assert_eq!(source.vendor(), vendor);
    assert!(source.poll(50).await.unwrap().is_empty(), "{vendor}: a fresh sandbox has nothing waiting");
    let ids = sandbox.seed_inbound(3).await;
    let items = source.poll(50).await.unwrap_or_else(|e| panic!("{vendor}: poll failed: {e}"));
    assert_eq!(items.len(), 3, "{vendor}: polled {items:?}");
    for (i, id) in ids.iter().enumerate() {
        let item = items.iter().find(|it| &it.fax.id == id).unwrap_or_else(|| panic!("{vendor}: {id} not polled"));
        let bytes = source.download(item).await.unwrap().bytes(1 << 24).await.unwrap();
        assert_eq!(bytes, sample_pdf(i), "{vendor}: {id}: downloaded bytes differ from the injected fax");
    }
    if source.acknowledges() {
        for item in &items {
            source.acknowledge(item).await.unwrap_or_else(|e| panic!("{vendor}: acknowledge {}: {e}", item.fax.id));
        }
        let again = source.poll(50).await.unwrap();
        assert!(again.is_empty(), "{vendor}: acknowledged faxes polled again: {again:?}");
        let report = sandbox.inbound_report();
        assert_eq!(report.len(), 3, "{vendor}: {report:?}");
        for r in &report {
            assert!(ids.contains(&r.id), "{vendor}: unexpected {r:?}");
            assert!(r.acknowledged && r.acks >= 1 && r.downloads >= 1, "{vendor}: {r:?}");
        }
    } else {
        let err = source.acknowledge(&items[0]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{vendor}: {err}");
        // Listed again or not: the engine's store deduplicates by id. Never anything new.
        let again = source.poll(50).await.unwrap();
        assert!(again.iter().all(|i| ids.contains(&i.fax.id)), "{vendor}: {again:?}");
        assert!(sandbox.inbound_report().iter().all(|r| !r.acknowledged && r.acks == 0 && r.downloads == 1));
    }
}

/// The sandbox's own surface: `seed_inbound` (distinct sample PDFs), `inbound_report`, the control route
/// (`POST`/`GET /__sandbox/inbound`) and `set_latency`. Run on a fresh sandbox.
pub async fn sandbox_controls(sandbox: &dyn VendorSandbox) {
    let vendor = sandbox.vendor();
    let seeded = sandbox.seed_inbound(2).await;
    assert_eq!(seeded.len(), 2);
    assert_ne!(seeded[0], seeded[1]);
    let report = sandbox.inbound_report();
    assert_eq!(report.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), seeded, "{vendor}: oldest first");
    for (i, r) in report.iter().enumerate() {
        assert_eq!(r.document, sample_pdf(i), "{vendor}");
        assert!(!r.acknowledged && r.acks == 0 && r.downloads == 0, "{vendor}: {r:?}");
    }

    // The control route: the same path on every sandbox, no credentials.
    let http = reqwest::Client::new();
    let url = format!("{}{}", origin(&sandbox.uri()), faxkit::sandbox::CONTROL_PATH);
    let document = pdf("posted to the control route");
    let posted =
        http.post(&url).header("X-Sandbox-From", "+1 646 555 0123").body(document.clone()).send().await.unwrap();
    assert_eq!(posted.status().as_u16(), 201, "{vendor}");
    let body: serde_json::Value = serde_json::from_slice(&posted.bytes().await.unwrap()).unwrap();
    let id = FaxId::new(body["id"].as_str().unwrap_or_else(|| panic!("{vendor}: {body}")));
    let svc = sandbox.service();
    let bytes = svc.download(&id, Direction::Inbound).await.unwrap().bytes(1 << 20).await.unwrap();
    assert_eq!(bytes, document, "{vendor}: the posted fax is served");
    let empty = http.post(&url).send().await.unwrap();
    assert_eq!(empty.status().as_u16(), 400, "{vendor}: an empty body is refused");
    let bad_from = http.post(&url).header("X-Sandbox-From", "not a number").body("%PDF-1.4").send().await.unwrap();
    assert_eq!(bad_from.status().as_u16(), 400, "{vendor}: a bad sender is refused");
    let listed: serde_json::Value =
        serde_json::from_slice(&http.get(&url).send().await.unwrap().bytes().await.unwrap()).unwrap();
    let listed = listed.as_array().unwrap_or_else(|| panic!("{vendor}: {listed}"));
    assert_eq!(listed.len(), 3, "{vendor}: {listed:?}");
    let last = &listed[2];
    assert_eq!(last["id"].as_str(), Some(id.as_str()), "{vendor}: {last}");
    assert_eq!(last["length"].as_u64(), Some(document.len() as u64), "{vendor}: {last}");
    assert_eq!(last["downloads"].as_u64(), Some(1), "{vendor}: {last}");
    assert!(last.get("document").is_none(), "{vendor}: the JSON report leaves the documents out");

    // Latency: every request waits, the control route too; back to zero.
    sandbox.set_latency(Duration::from_millis(150));
    let started = std::time::Instant::now();
    svc.list_inbound(&InboundQuery::default()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150), "{vendor}: no latency on the API");
    let started = std::time::Instant::now();
    http.get(&url).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150), "{vendor}: no latency on the control route");
    sandbox.set_latency(Duration::ZERO);
    let started = std::time::Instant::now();
    http.get(&url).send().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(150), "{vendor}: latency not reset");
}

/// `scheme://host:port` of a sandbox URI (the control route is at the server's root).
fn origin(uri: &str) -> String {
    let url = reqwest::Url::parse(uri).unwrap();
    format!("{}://{}:{}", url.scheme(), url.host_str().unwrap(), url.port_or_known_default().unwrap())
}

/// Wrong credentials are an authentication error, not a generic failure.
pub async fn wrong_credentials_are_auth_errors(sandbox: &dyn VendorSandbox) {
    let bad = sandbox.service_with_wrong_credentials();
    let err = bad.list_inbound(&InboundQuery::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{}: {err}", sandbox.vendor());
    let err = bad.send(&one_document_request()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{}: {err}", sandbox.vendor());
}

/// An id the vendor never issued is `NotFound`.
pub async fn unknown_id_is_not_found(svc: &dyn FaxService) {
    let err = svc.status(&FaxId::new("999999999")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{}: {err}", svc.vendor());
}

/// The ids of every outbound job the sandbox holds.
fn outbound_ids(sandbox: &dyn VendorSandbox) -> Vec<FaxId> {
    sandbox.outbound_report().into_iter().map(|j| j.id).collect()
}

/// The outbound jobs the sandbox took since it held `earlier`.
fn outbound_since(sandbox: &dyn VendorSandbox, earlier: &[FaxId]) -> Vec<SandboxOutbound> {
    sandbox.outbound_report().into_iter().filter(|j| !earlier.contains(&j.id)).collect()
}

/// A send whose answer is lost after the vendor took it (the sandbox's [`FaultProxy`] resets the connection
/// instead of passing the answer on): the send is `Ambiguous` and names its key, the vendor holds the fax
/// exactly once, and `reconcile` finds that fax (the vendor crates' own tests check their search windows). A vendor that
/// cannot be searched by key says `Unsupported` for every key, never `NotFound`. Another fax goes first, so
/// reconcile has to tell the two apart.
pub async fn lost_answer(sandbox: &dyn VendorSandbox) {
    let vendor = sandbox.vendor();
    let proxy = FaultProxy::start(&sandbox.uri()).await.unwrap();
    let svc = sandbox.service_via(&proxy.uri());
    let earlier = outbound_ids(sandbox);
    let started = faxkit::jiff::Timestamp::now();
    let other = svc.send(&one_document_request().idempotency_key("other-1")).await;
    let other = other.unwrap_or_else(|e| panic!("{vendor}: send through the proxy failed: {e}"));
    proxy.reset_after_forwarding(sandbox.send_marker());
    let err = svc.send(&one_document_request().idempotency_key("lost-answer-1")).await.unwrap_err();
    assert!(err.is_ambiguous(), "{vendor}: {err:?}");
    assert_eq!(err.idempotency_key(), Some("lost-answer-1"), "{vendor}");
    assert_eq!(proxy.resets(), 1, "{vendor}: the marker {:?} matched no send", sandbox.send_marker());
    let mut taken = outbound_since(sandbox, &earlier);
    taken.retain(|j| j.id != other);
    assert_eq!(taken.len(), 1, "{vendor}: the vendor must hold the lost send exactly once: {taken:?}");
    let lost = &taken[0];
    match svc.reconcile("lost-answer-1", Some(started)).await.unwrap() {
        Reconciliation::Found(id) => {
            assert_eq!(id, lost.id, "{vendor}: reconcile found another fax");
            assert_eq!(lost.key.as_deref(), Some("lost-answer-1"), "{vendor}: the key is not on the vendor's record");
            let never = svc.reconcile("never-sent", Some(started)).await.unwrap();
            assert_eq!(never, Reconciliation::NotFound, "{vendor}");
        }
        Reconciliation::Unsupported(_) => {
            let never = svc.reconcile("never-sent", Some(started)).await.unwrap();
            assert!(matches!(never, Reconciliation::Unsupported(_)), "{vendor}: {never:?}");
        }
        other => panic!("{vendor}: reconcile said {other:?} of a fax the vendor holds: {lost:?}"),
    }
}

/// `send_each` to two numbers: one outcome per recipient, in order, each naming a job the vendor took for that
/// number, with the key that job carries. The vendor either sends one job to both (both outcomes keep the key)
/// or one job per recipient (keys `multi#1`, `multi#2`).
pub async fn send_each_keys(sandbox: &dyn VendorSandbox) {
    let vendor = sandbox.vendor();
    let svc = sandbox.service();
    let earlier = outbound_ids(sandbox);
    let second = FaxNumber::parse("+1 212 555 0101").unwrap();
    let req = one_document_request().to(second).idempotency_key("multi");
    let outcomes = svc.send_each(&req).await.unwrap();
    let taken = outbound_since(sandbox, &earlier);
    assert_eq!(outcomes.len(), 2, "{vendor}: {outcomes:?}");
    let keys: Vec<&str> = outcomes.iter().map(|o| o.key.as_deref().unwrap_or_default()).collect();
    match taken.len() {
        1 => assert_eq!(keys, ["multi", "multi"], "{vendor}: one job for both"),
        2 => assert_eq!(keys, ["multi#1", "multi#2"], "{vendor}: one job each"),
        n => panic!("{vendor}: {n} jobs for two recipients: {taken:?}"),
    }
    for (o, to) in outcomes.iter().zip(&req.to) {
        assert_eq!(&o.to, to, "{vendor}");
        let id = o.result.as_ref().unwrap_or_else(|e| panic!("{vendor}: {to}: {e}"));
        let job = taken.iter().find(|j| &j.id == id).unwrap_or_else(|| panic!("{vendor}: {id} is no job {taken:?}"));
        let digits = |r: &String| r.chars().filter(char::is_ascii_digit).collect::<String>();
        assert!(job.recipients.iter().any(|r| to.digits().ends_with(&digits(r))), "{vendor}: {to} not in {job:?}");
        if job.key.is_some() {
            assert_eq!(job.key, o.key, "{vendor}: the outcome's key is not the job's");
        }
    }
}

/// Runs every scenario against one sandbox.
pub async fn conformance(sandbox: &dyn VendorSandbox) {
    let svc = sandbox.service();
    send_and_track(&*svc).await;
    cancel_queued(&*svc).await;
    inbound_roundtrip(sandbox, &*svc).await;
    wrong_credentials_are_auth_errors(sandbox).await;
    unknown_id_is_not_found(&*svc).await;
}

/// Builds a vendor's client for a base URL with a 1-second timeout and fast retries (each vendor's test file
/// supplies one).
pub type MakeService = dyn Fn(&str) -> std::sync::Arc<dyn FaxService> + Send + Sync;

/// How long any faulty call may take before the test calls it hung: the 1 s timeout × 3 attempts + backoff,
/// with room to spare. Not a timing assertion: a call that returns at all, with a typed error, is bounded.
const FAULT_BUDGET: Duration = Duration::from_secs(15);

/// The hang guard of a call whose whole (small) reply arrives at once and is never retried: three times
/// the 1 s timeout.
const NUMBER_BUDGET: Duration = Duration::from_secs(3);

/// Most a faulty call may add to the process's peak allocation.
pub const MEMORY_BOUND: usize = 64 * 1024 * 1024;

/// Attempts a status read makes with the fault suite's retry settings (1 + `max_retries` 2).
const READ_ATTEMPTS: usize = 3;

async fn bounded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(FAULT_BUDGET, fut)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {FAULT_BUDGET:?}"))
}

/// Runs `fut` under the hang guard and measures its peak allocation growth ([`alloc::measure`]); fails past
/// [`MEMORY_BOUND`] (only meaningful in a binary that installs [`alloc::CountingAlloc`]).
pub async fn bounded_in_memory<T>(what: &str, fut: impl Future<Output = T>) -> T {
    let (out, peak) = alloc::measure(bounded(what, fut)).await;
    assert!(peak < MEMORY_BOUND, "{what}: peak allocation grew by {} MiB", peak >> 20);
    out
}

/// The format a vendor's replies come in, for bodies built to hurt its parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// JSON (InterFAX, WestFax REST, Fax2, Retarus).
    Json,
    /// Plain XML (FaxCore).
    Xml,
    /// SOAP 1.1 envelopes (WestFax SOAP).
    Soap,
}

impl Wire {
    fn content_type(self) -> &'static str {
        match self {
            Wire::Json => "application/json",
            Wire::Xml | Wire::Soap => "text/xml; charset=utf-8",
        }
    }
}

async fn status_of(svc: std::sync::Arc<dyn FaxService>) -> faxkit::Result<faxkit::FaxStatus> {
    svc.status(&FaxId::new("12345")).await
}

/// Sends one document to a fresh fault server and checks the request that creates the fax reached it exactly
/// once (and the document exactly once), ending in `expected`.
async fn send_once(make: &MakeService, fault: Fault, expected: &[ErrorKind]) {
    let server = FaultServer::start(fault.clone()).await;
    let svc = make(&server.uri());
    let vendor = svc.vendor();
    let err = bounded(vendor, svc.send(&one_document_request())).await.unwrap_err();
    assert!(expected.contains(&err.kind()), "{vendor}: send under {fault:?}: {err} (expected one of {expected:?})");
    assert!(!err.is_not_sent(), "{vendor}: send under {fault:?} reached the server, yet: {err}");
    assert_eq!(server.fault_requests(), 1, "{vendor}: send under {fault:?}: requests that create a fax");
    assert_eq!(server.document_requests(), 1, "{vendor}: send under {fault:?}: requests carrying the document");
}

/// Reads a status from a fresh fault server; returns the error and how many attempts reached the server.
async fn read_status(make: &MakeService, fault: Fault) -> (faxkit::Error, usize) {
    let server = FaultServer::start(fault.clone()).await;
    let svc = make(&server.uri());
    let vendor = svc.vendor();
    let err = bounded_in_memory(&format!("{vendor}: status under {fault:?}"), status_of(svc))
        .await
        .expect_err("a status read under a fault cannot succeed");
    (err, server.fault_requests())
}

use faults::{Encoding, Fault, FaultServer};

/// Runs every injected fault against one vendor's client: each call ends in a typed error of the kind the
/// fault implies within the hang guard; the request that creates a fax reaches the server exactly once
/// (the fault hits it, not a sign-in before it); status reads are retried exactly as configured when the
/// fault is transient and not at all when it is not; 100 MB of garbage is refused without being buffered.
pub async fn fault_suite(make: &MakeService) {
    let vendor = make("http://127.0.0.1:9/").vendor();

    // Slow responses past the timeout: a read is retried and times out; the send's request went out and no
    // answer came, so its outcome is unknown.
    let (err, attempts) = read_status(make, Fault::Stall(Duration::from_secs(30))).await;
    assert_eq!(err.kind(), ErrorKind::Timeout, "{vendor}: stalled status: {err}");
    assert_eq!(attempts, READ_ATTEMPTS, "{vendor}: stalled status attempts");
    send_once(make, Fault::Stall(Duration::from_secs(30)), &[ErrorKind::Ambiguous]).await;

    // Connection reset in the middle of a body: a read fails (not retried: the answer had begun); a send
    // whose answer broke off is ambiguous.
    let (err, _) = read_status(make, Fault::ResetMidBody).await;
    assert!(matches!(err.kind(), ErrorKind::Transport | ErrorKind::Decode), "{vendor}: reset mid-body: {err}");
    send_once(make, Fault::ResetMidBody, &[ErrorKind::Ambiguous]).await;

    // Truncated JSON and XML, and an HTML error page with 200: a decode error, not retried.
    for fault in [
        Fault::Truncated { content_type: "application/json", body: "{\"id\": 1, \"status\": \"sen" },
        Fault::Truncated { content_type: "text/xml", body: "<?xml version=\"1.0\"?><ApiResponse><Status>Com" },
        Fault::HtmlPage,
    ] {
        let (err, attempts) = read_status(make, fault.clone()).await;
        assert_eq!(err.kind(), ErrorKind::Decode, "{vendor}: {fault:?}: {err}");
        assert_eq!(attempts, 1, "{vendor}: {fault:?}: an undecodable answer was asked again");
    }

    // 429 with Retry-After: reads retry then report rate limiting; a send is never repeated and was refused
    // before anything was created.
    let fault = Fault::Status { status: 429, retry_after: Some(0) };
    let (err, attempts) = read_status(make, fault.clone()).await;
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{vendor}: 429 status: {err}");
    assert_eq!(attempts, READ_ATTEMPTS, "{vendor}: 429 status attempts");
    send_once(make, fault, &[ErrorKind::RateLimited]).await;

    // A storm of 503s: the read is retried and gives up with a retryable error; the send goes out once and,
    // the server having failed after it arrived, is ambiguous.
    let fault = Fault::Status { status: 503, retry_after: None };
    let (err, attempts) = read_status(make, fault.clone()).await;
    assert!(err.is_retryable(), "{vendor}: 503 should be retryable: {err}");
    assert_eq!(attempts, READ_ATTEMPTS, "{vendor}: 503 status attempts");
    send_once(make, fault, &[ErrorKind::Ambiguous]).await;

    // 100 MB of garbage: a decode error, without reading it all into memory.
    let (err, _) = read_status(make, Fault::Garbage { megabytes: 100 }).await;
    assert!(matches!(err.kind(), ErrorKind::Decode | ErrorKind::Transport), "{vendor}: garbage: {err}");
}

/// The hostile-server classes: deep nesting, compression bombs (gzip, raw deflate, zlib), an endless body,
/// a drip-fed body, oversized headers and a redirect to `https` on the same host and port. Each call ends
/// in a typed error within the hang guard and adds less than [`MEMORY_BOUND`] to the peak allocation.
pub async fn hostile_server_suite(make: &MakeService, wire: Wire) {
    let vendor = make("http://127.0.0.1:9/").vendor();
    let ct = wire.content_type();

    // Deep nesting: 100,000 levels.
    let body = match wire {
        Wire::Json => faults::nested_json(100_000),
        Wire::Xml => faults::nested_xml(100_000, false),
        Wire::Soap => faults::nested_xml(100_000, true),
    };
    let (err, attempts) = read_status(make, Fault::Body { content_type: ct, body: body.clone() }).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{vendor}: deeply nested status: {err}");
    assert_eq!(attempts, 1, "{vendor}: deeply nested status attempts");
    let server = FaultServer::start(Fault::Body { content_type: ct, body }).await;
    let svc = make(&server.uri());
    let err = bounded_in_memory(vendor, svc.list_inbound(&InboundQuery::default())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{vendor}: deeply nested listing: {err}");

    // Compression bombs: 4 GiB of spaces in about 4 MB.
    for encoding in [Encoding::Gzip, Encoding::RawDeflate, Encoding::Zlib] {
        let (err, _) = read_status(make, Fault::Bomb { encoding, gigabytes: 4, content_type: ct }).await;
        assert!(matches!(err.kind(), ErrorKind::Decode | ErrorKind::Transport), "{vendor}: {encoding:?} bomb: {err}");
    }

    // A body that never ends: refused at the size limit (or the per-attempt timeout), never buffered whole.
    let (err, _) = read_status(make, Fault::Endless { content_type: ct }).await;
    assert!(
        matches!(err.kind(), ErrorKind::Decode | ErrorKind::Timeout | ErrorKind::Transport),
        "{vendor}: endless body: {err}"
    );

    // One byte every 100 ms: each attempt is cut by its 1 s timeout.
    let (err, _) = read_status(make, Fault::Drip { interval: Duration::from_millis(100), content_type: ct }).await;
    assert_eq!(err.kind(), ErrorKind::Timeout, "{vendor}: drip-fed body: {err}");

    // A 1 MiB header.
    let (err, _) = read_status(make, Fault::HugeHeader { bytes: 1024 * 1024 }).await;
    assert_eq!(err.kind(), ErrorKind::Transport, "{vendor}: oversized header: {err}");

    // A redirect to https on the same host and port (a downgrade the other way round, which plain-http
    // loopback tests can show): not followed, so no TLS handshake reaches the port.
    let server = FaultServer::start(Fault::Redirect { scheme: "https" }).await;
    let svc = make(&server.uri());
    let err = bounded(vendor, status_of(svc)).await.unwrap_err();
    assert!(
        !matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{vendor}: redirect to another scheme: {err}"
    );
    assert_eq!(server.non_http_connections(), 0, "{vendor}: the redirect to another scheme was followed");
    assert_eq!(server.fault_requests(), 1, "{vendor}: redirect: {err}");
}

/// Huge numbers in a vendor's own reply (`sample`, a recorded body of what `call` reads): every number
/// becomes `1e999999999`, `-1e999999999`, `0e2147483647` (a zero mantissa: nothing overflows to stop a loop over the exponent) or a 400-digit integer (strings of digits too), all at once and then
/// one at a time (so a field read after others that fail is reached too). Each call must come back within
/// the hang guard and the memory bound, with the value parsed or a `Decode` error, never a panic or a loop.
/// Returns how many of the calls failed to decode.
///
/// `call` runs as its own task, so the hang guard fires even when a parser spins without yielding: run
/// these tests on a multi-threaded runtime (`#[tokio::test(flavor = "multi_thread")]`).
pub async fn huge_numbers<T: Send + 'static>(
    make: &MakeService,
    wire: Wire,
    sample: &str,
    call: fn(std::sync::Arc<dyn FaxService>) -> futures::future::BoxFuture<'static, faxkit::Result<T>>,
) -> usize {
    let vendor = make("http://127.0.0.1:9/").vendor();
    let mut refused = 0;
    for with in ["1e999999999", "-1e999999999", "0e2147483647", faults::digits_400().as_str()] {
        for only in std::iter::once(None).chain((0..).map(Some)) {
            let body = match wire {
                Wire::Json => faults::huge_json_numbers(sample, with, only),
                Wire::Xml | Wire::Soap => faults::huge_xml_numbers(sample, with, only),
            };
            if only.is_some() && &body[..] == sample.as_bytes() {
                break;
            }
            assert_ne!(&body[..], sample.as_bytes(), "{vendor}: the sample holds no number to replace");
            let server = FaultServer::start(Fault::Body { content_type: wire.content_type(), body }).await;
            let svc = make(&server.uri());
            // The body is all there at once and nothing is retried: a guard of a few timeouts is ample.
            let what = format!("{vendor}: number {only:?} as {with:.12}");
            let (out, peak) = alloc::measure(async {
                // The alarm is a plain thread: a task spinning on a worker can hold up tokio's timers.
                let (alarm, rung) = tokio::sync::oneshot::channel::<()>();
                std::thread::spawn(move || {
                    std::thread::sleep(NUMBER_BUDGET);
                    let _ = alarm.send(());
                });
                tokio::select! {
                    out = tokio::spawn(call(svc)) => out.unwrap_or_else(|e| panic!("{what}: the call panicked: {e}")),
                    _ = rung => panic!("{what}: no answer within {NUMBER_BUDGET:?}"),
                }
            })
            .await;
            assert!(peak < MEMORY_BOUND, "{what}: peak allocation grew by {} MiB", peak >> 20);
            if let Err(e) = &out {
                assert_eq!(e.kind(), ErrorKind::Decode, "{vendor}: number {only:?} as {with:.12}: {e}");
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "{vendor}: no huge number was refused");
    refused
}
