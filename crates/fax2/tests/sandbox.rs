//! The sandbox through the typed client and through `faxkit::FaxService`.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use fax2::sandbox::Sandbox;
use fax2::{FailureReason, SentFaxStatus};
use faxkit::sandbox::VendorSandbox;
use faxkit::{Direction, Document, ErrorKind, FaxId, FaxNumber, InboundQuery, SendRequest, WaitOptions};
use futures::TryStreamExt;

const PDF_A: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF";
const PDF_B: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Pages /Count 1 >> endobj\n3 0 obj << /Type /Page >> endobj\n%%EOF";

#[tokio::test]
async fn fax_service_round_trip() {
    let sandbox = Sandbox::start().await.unwrap();
    let svc = VendorSandbox::service(&sandbox);
    assert_eq!(svc.vendor(), "fax2");
    let to = FaxNumber::parse("+61 2 8123 4567").unwrap();
    let request =
        SendRequest::new(to, Document::from_bytes(PDF_A, "a.pdf")).document(Document::from_bytes(PDF_B, "b.pdf"));
    let id = svc.send(&request).await.unwrap();
    let first = svc.status(&id).await.unwrap();
    assert_eq!(first.raw_status, "sending");
    let done = svc.wait(&id, &WaitOptions::new(Duration::from_secs(5), Duration::from_millis(1))).await.unwrap();
    assert_eq!(done.status, faxkit::DeliveryStatus::Delivered);
    assert_eq!(done.pages, Some(3));
    let sent = sandbox.sent_faxes();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].dest_number, "61281234567");
    assert_eq!(sent[0].documents.len(), 2);
    let uploads = sandbox.uploads();
    assert!(uploads.iter().all(|u| u.mode == "multipart" && u.content_type == "application/pdf"));

    let injected = sandbox.inject_inbound(&FaxNumber::parse("+61390001234").unwrap(), Bytes::from_static(PDF_B)).await;
    let inbound = svc.list_inbound(&InboundQuery::default()).await.unwrap();
    assert_eq!(inbound.len(), 1);
    assert_eq!(inbound[0].id, injected);
    assert_eq!(inbound[0].to.as_deref(), Some("61290000000"));
    let download = svc.download(&injected, Direction::Inbound).await.unwrap();
    assert_eq!(download.bytes(1 << 20).await.unwrap(), PDF_B);
    assert_eq!(svc.acknowledge(&injected).await.unwrap_err().kind(), ErrorKind::Unsupported);
    assert_eq!(svc.cancel(&id).await.unwrap_err().kind(), ErrorKind::Unsupported);
    assert_eq!(svc.download(&id, Direction::Outbound).await.unwrap_err().kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn wrong_credentials_and_unknown_ids() {
    let sandbox = Sandbox::start().await.unwrap();
    let wrong = sandbox.service_with_wrong_credentials();
    let err = wrong.status(&FaxId::new("x")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    let svc = VendorSandbox::service(&sandbox);
    assert_eq!(svc.status(&FaxId::new("nope")).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(svc.download(&FaxId::new("nope"), Direction::Inbound).await.unwrap_err().kind(), ErrorKind::NotFound);
    let env = sandbox.env();
    assert!(env.iter().any(|(k, v)| k == "FAX2_BASE_URL" && *v == sandbox.uri()));
    assert!(env.iter().any(|(k, _)| k == "FAX2_USERNAME"));
}

#[tokio::test]
async fn failing_destination_goes_waiting_then_failed() {
    let sandbox = Sandbox::start().await.unwrap();
    let to = FaxNumber::parse("+61 3 9000 1111").unwrap();
    sandbox.fail_destination(&to, FailureReason::NoCarrier);
    let client = sandbox.client();
    let doc = client.upload_document(Document::from_bytes("hello", "a.txt")).send().await.unwrap();
    let id = client.send_fax(to, [doc.document_id]).send().await.unwrap().id;
    let statuses: Vec<SentFaxStatus> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            v.push(client.sent_faxes().get(&id).await.unwrap().status);
        }
        v
    };
    assert_eq!(
        statuses,
        [SentFaxStatus::Sending, SentFaxStatus::Waiting, SentFaxStatus::Failed, SentFaxStatus::Failed]
    );
    let last = client.sent_faxes().get(&id).await.unwrap();
    assert_eq!(last.reason, Some(FailureReason::NoCarrier));
    assert_eq!(last.send_attempts, 3);
    assert_eq!(last.pages_sent, Some(0));
    assert!(last.sent_at.is_some());
}

#[tokio::test]
async fn sandbox_errors_are_typed() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.set_insufficient_credit(true);
    let doc =
        client.upload_document(Document::from_bytes(PDF_A, "a.pdf")).mode(fax2::UploadMode::Raw).send().await.unwrap();
    assert_eq!(doc.pages, 2);
    let err = client.send_fax(FaxNumber::parse("+61281234567").unwrap(), [doc.document_id]).send().await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("insufficient_credit"));
    let err = client
        .upload_document(Document::from_bytes("%PDF-broken", "a.pdf").content_type("application/pdf"))
        .send()
        .await;
    assert!(err.is_ok(), "starts with %PDF- so it converts");
    let err = client
        .upload_document(Document::from_bytes("not a pdf", "a.pdf").content_type("application/pdf"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.vendor_code(), Some("conversion_error"));
}

#[tokio::test]
async fn expiring_and_revoked_tokens_are_renewed_transparently() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_token_lifetime(Duration::from_secs(1));
    let client = sandbox.client();
    client.fax_services().list().await.unwrap();
    assert_eq!(sandbox.token_requests(), 1);
    // The client's clock (tokio's) moves past the token's refresh point without sleeping; the client renews
    // before the sandbox would refuse the token (its own expiry is `expire_tokens` below).
    tokio::time::pause();
    tokio::time::advance(Duration::from_millis(1100)).await;
    tokio::time::resume();
    client.fax_services().list().await.unwrap();
    assert_eq!(sandbox.token_requests(), 2);
    sandbox.set_token_lifetime(Duration::from_secs(3600));
    client.fax_services().list().await.unwrap();
    sandbox.expire_tokens();
    client.fax_services().list().await.unwrap();
    assert!(sandbox.token_requests() >= 3);
    let unauthorized = sandbox.requests().iter().filter(|r| r.as_str() == "GET /v1/fax_services").count();
    assert!(unauthorized >= 4);
}

#[tokio::test]
async fn paging_and_filters_in_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let base: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            sandbox.inject_received_at(base + jiff::SignedDuration::from_secs(60 * i), Bytes::from_static(PDF_A)).await,
        );
    }
    let client = sandbox.client();
    let all: Vec<fax2::ReceivedFax> = client.received_faxes().list().limit(3).stream().try_collect().await.unwrap();
    let mut got: Vec<_> = all.iter().map(|f| f.id.clone()).collect();
    got.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(got, want);
    let page = client.received_faxes().list().limit(3).send().await.unwrap();
    assert!(page.next_page_url.is_some());
    let window: Vec<fax2::ReceivedFax> = client
        .received_faxes()
        .list()
        .from_time(base + jiff::SignedDuration::from_secs(120))
        .before_time(base + jiff::SignedDuration::from_secs(300))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(window.len(), 3);
    let svc = sandbox.add_service(&FaxNumber::parse("+61390001234").unwrap());
    sandbox.inject_received_for(&svc, base, Bytes::from_static(PDF_A)).await;
    let only: Vec<fax2::ReceivedFax> =
        client.received_faxes().list().service(svc.clone()).stream().try_collect().await.unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].to, "61390001234");
    assert_eq!(client.fax_services().list().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_after_revocation_make_one_token_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    client.fax_services().list().await.unwrap();
    assert_eq!(sandbox.token_requests(), 1);
    sandbox.expire_tokens();
    let calls = (0..20).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.fax_services().list().await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(sandbox.token_requests(), 2);
}
