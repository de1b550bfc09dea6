//! The cross-vendor scenario suite: plain async functions that take any vendor's sandbox through the
//! vendor-neutral [`FaxService`] and [`VendorSandbox`] interfaces. Each vendor's test file in `tests/` calls them
//! against that vendor's sandbox (WestFax once per transport).
#![deny(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod faults;
pub mod fuzz;

use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::{VendorSandbox, sample_pdf};
use faxkit::{
    DeliveryStatus, Direction, Document, ErrorKind, FaxId, FaxNumber, FaxService, InboundQuery, SendRequest,
    WaitOptions,
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

/// How long any faulty call may take before the test calls it hung: the 1 s timeout × 4 attempts + backoff.
const FAULT_BUDGET: Duration = Duration::from_secs(8);

async fn bounded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(FAULT_BUDGET, fut)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {FAULT_BUDGET:?}"))
}

/// Runs every injected fault against one vendor's client: each call ends in a typed error within the
/// timeout budget, and a send reaches the server exactly once.
pub async fn fault_suite(make: &MakeService) {
    use faults::{Fault, FaultServer};
    let status_of = |svc: std::sync::Arc<dyn FaxService>| async move { svc.status(&FaxId::new("12345")).await };

    // Slow responses past the timeout.
    let server = FaultServer::start(Fault::Stall(Duration::from_secs(30))).await;
    let svc = make(&server.uri());
    let vendor = svc.vendor();
    let err = bounded(vendor, status_of(svc.clone())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{vendor}: stalled status: {err}");
    let err = bounded(vendor, svc.send(&one_document_request())).await.unwrap_err();
    // The send's request went out and no answer came: its outcome is unknown, the timeout is the cause. Fax2
    // stalls earlier, at its token or document upload, before any fax request: a plain timeout.
    let expected = if vendor == "fax2" { ErrorKind::Timeout } else { ErrorKind::Ambiguous };
    assert_eq!(err.kind(), expected, "{vendor}: stalled send: {err}");
    assert!(!err.is_not_sent(), "{vendor}: stalled send: {err}");
    assert!(server.document_requests() <= 1, "{vendor}: a timed-out send was repeated");

    // Connection reset in the middle of a body.
    let server = FaultServer::start(Fault::ResetMidBody).await;
    let err = bounded(vendor, status_of(make(&server.uri()))).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport | ErrorKind::Decode), "{vendor}: reset mid-body: {err}");

    // Truncated JSON and XML, and an HTML error page with 200.
    for fault in [
        Fault::Truncated { content_type: "application/json", body: "{\"id\": 1, \"status\": \"sen" },
        Fault::Truncated { content_type: "text/xml", body: "<?xml version=\"1.0\"?><ApiResponse><Status>Com" },
        Fault::HtmlPage,
    ] {
        let server = FaultServer::start(fault.clone()).await;
        let err = bounded(vendor, status_of(make(&server.uri()))).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{vendor}: {fault:?}: {err}");
    }

    // 429 with Retry-After: reads retry then report rate limiting; a send is never repeated.
    let server = FaultServer::start(Fault::Status { status: 429, retry_after: Some(0) }).await;
    let svc = make(&server.uri());
    let err = bounded(vendor, svc.send(&one_document_request())).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RateLimited | ErrorKind::Vendor), "{vendor}: 429 send: {err}");
    assert!(server.document_requests() <= 1, "{vendor}: a rate-limited send was repeated");
    let err = bounded(vendor, status_of(svc)).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RateLimited | ErrorKind::Vendor), "{vendor}: 429 status: {err}");
    assert!(server.requests() >= 3, "{vendor}: a rate-limited status read was not retried");

    // A storm of 503s: the send goes out once, the read is retried and gives up with a retryable error.
    let server = FaultServer::start(Fault::Status { status: 503, retry_after: None }).await;
    let svc = make(&server.uri());
    let err = bounded(vendor, svc.send(&one_document_request())).await.unwrap_err();
    assert!(server.document_requests() <= 1, "{vendor}: a send was repeated after 503: {err}");
    let err = bounded(vendor, status_of(svc)).await.unwrap_err();
    assert!(err.is_retryable(), "{vendor}: 503 should be retryable: {err}");

    // 100 MB of garbage: a decode error, without reading it all into memory.
    let server = FaultServer::start(Fault::Garbage { megabytes: 100 }).await;
    let err = bounded(vendor, status_of(make(&server.uri()))).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode | ErrorKind::Transport), "{vendor}: garbage: {err}");
}
