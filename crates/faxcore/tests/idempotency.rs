//! Issue 19: the idempotency key in `subject` and ambiguous sends. A lost answer, `reconcile` over the outbound
//! folders and `send_each` (one `SendFax` per recipient) run against the sandbox in the workspace suite
//! (`faxkit_tests::lost_answer`, `send_each_keys`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{QueryIs, SEND_FAX, setup, xml};
use faxkit::{Document, FaxId, FaxNumber, FaxService, SendRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%EOF\n";

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

#[tokio::test]
async fn send_appends_the_key_to_the_subject() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .and(QueryIs(
            "sendername=&sendercompany=&subject=Invoice%2042%20%5Border-42%5D&notes=&recpname=&recpfax=12125550100\
             &filename=a.pdf",
        ))
        .respond_with(xml(SEND_FAX))
        .expect(1)
        .mount(&server)
        .await;
    let req = SendRequest::new(number("+12125550100"), Document::from_bytes(PDF, "a.pdf"))
        .subject("Invoice 42")
        .idempotency_key("order-42");
    assert_eq!(client.send(&req).await.unwrap(), FaxId::new("209608080375"));
}

#[tokio::test]
async fn a_503_after_the_upload_is_ambiguous_with_the_key() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let req = SendRequest::new(number("+12125550100"), Document::from_bytes(PDF, "a.pdf")).idempotency_key("order-43");
    let err = client.send(&req).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    assert_eq!(err.idempotency_key(), Some("order-43"));
}
