//! Issue 19: the idempotency key on the wire (`reference`), ambiguous outcomes, `reconcile` by
//! `GET /outbound/search?reference=`. A lost answer and `send_each` (one fax per recipient) run against the
//! sandbox in the workspace suite (`faxkit_tests::lost_answer`, `send_each_keys`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::{Document, ErrorKind, FaxId, FaxNumber, FaxService, Reconciliation, SendRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn pdf() -> Document {
    Document::from_bytes("%PDF-1.4 key", "key.pdf")
}

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

#[tokio::test]
async fn send_puts_the_key_into_reference() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(auth())
        .and(exact_query(&[("faxNumber", "+12125550100"), ("reference", "order-42"), ("csid", "ACME")]))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/777"))
        .expect(1)
        .mount(&server)
        .await;
    // The key wins over the request's own reference.
    let req =
        SendRequest::new(number("+12125550100"), pdf()).reference("ignored").csid("ACME").idempotency_key("order-42");
    assert_eq!(client.send(&req).await.unwrap(), FaxId::new("777"));
}

#[tokio::test]
async fn a_key_longer_than_60_characters_is_refused_before_any_request() {
    let (server, client) = setup().await;
    let req = SendRequest::new(number("+12125550100"), pdf()).idempotency_key("k".repeat(61));
    let err = client.send(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.to_string().contains("60"), "{err}");
    let err = client.reconcile(&"k".repeat(61), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // 60 is fine for send, but send_each's `#2` suffix would not fit: refused before the first fax.
    let req =
        SendRequest::new(number("+12125550100"), pdf()).to(number("+12125550101")).idempotency_key("k".repeat(59));
    assert_eq!(client.send_each(&req).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty(), "a request went out");
}

#[tokio::test]
async fn send_takes_one_recipient_and_send_each_several() {
    let (server, client) = setup().await;
    let two = SendRequest::new(number("+12125550100"), pdf()).to(number("+12125550101")).idempotency_key("multi");
    assert_eq!(client.send(&two).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty(), "a request went out");
}

#[tokio::test]
async fn a_503_after_the_upload_is_ambiguous_with_the_key() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let req = SendRequest::new(number("+12125550100"), pdf()).idempotency_key("order-43");
    let err = client.send(&req).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    assert_eq!(err.idempotency_key(), Some("order-43"));
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn the_native_builder_reports_its_reference_as_the_key() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let err = client.outbound().send_fax(number("+12125550100"), pdf()).reference("R-9").send().await.unwrap_err();
    assert_eq!(err.idempotency_key(), Some("R-9"), "{err}");
}

#[tokio::test]
async fn reconcile_searches_by_reference_from_the_window_start() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(auth())
        .and(exact_query(&[
            ("reference", "order-42"),
            ("dateFrom", "2026-01-02T03:04:05+00:00"),
            ("sortOrder", "asc"),
            ("limit", "1"),
        ]))
        .respond_with(text_json(&format!("[{}]", include_str!("fixtures/outbound_fax_full.json"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(exact_query(&[("reference", "unknown"), ("sortOrder", "asc"), ("limit", "1")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    // sent_after less the 10-minute clock-skew margin.
    let sent_after: jiff::Timestamp = "2026-01-02T03:14:05Z".parse().unwrap();
    let found = client.reconcile("order-42", Some(sent_after)).await.unwrap();
    assert_eq!(found, Reconciliation::Found(FaxId::new("667915751")));
    assert_eq!(client.reconcile("unknown", None).await.unwrap(), Reconciliation::NotFound);
}
