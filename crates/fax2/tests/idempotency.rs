//! Issue 19 on Fax2: no client reference on the wire, so `reconcile` is `Unsupported`; a lost `send_fax`
//! answer is ambiguous (with the caller's key), a lost upload answer is not; `send_each` sends one fax per
//! recipient.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fax2::sandbox::{PASSWORD, Sandbox, USERNAME};
use faxkit::sandbox::FaultProxy;
use faxkit::{Document, FaxId, FaxNumber, FaxService, Reconciliation, SendRequest};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF";

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

async fn proxied() -> (Sandbox, FaultProxy, fax2::Client) {
    let sandbox = Sandbox::start().await.unwrap();
    let proxy = FaultProxy::start(&sandbox.uri()).await.unwrap();
    let client = fax2::Client::builder().credentials(USERNAME, PASSWORD).base_url(proxy.uri()).build().unwrap();
    (sandbox, proxy, client)
}

#[tokio::test]
async fn a_lost_send_fax_answer_is_ambiguous_and_cannot_be_reconciled() {
    let (sandbox, proxy, client) = proxied().await;
    proxy.reset_after_forwarding("POST /v1/send_fax");
    let req = SendRequest::new(number("+61281234567"), Document::from_bytes(PDF, "a.pdf")).idempotency_key("k-1");
    let err = client.send(&req).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
    assert_eq!(err.idempotency_key(), Some("k-1"));
    assert_eq!(sandbox.sent_faxes().len(), 1, "the sandbox took it");
    assert!(matches!(client.reconcile("k-1", None).await.unwrap(), Reconciliation::Unsupported(_)));
}

#[tokio::test]
async fn a_lost_upload_answer_is_not_ambiguous_because_no_fax_was_sent() {
    let (sandbox, proxy, client) = proxied().await;
    proxy.reset_after_forwarding("POST /v1/upload_document");
    let req = SendRequest::new(number("+61281234567"), Document::from_bytes(PDF, "a.pdf")).idempotency_key("k-2");
    let err = client.send(&req).await.unwrap_err();
    assert!(!err.is_ambiguous(), "{err:?}");
    assert!(sandbox.sent_faxes().is_empty());
}

#[tokio::test]
async fn send_each_sends_one_fax_per_recipient() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let req = SendRequest::new(number("+61281234567"), Document::from_bytes(PDF, "a.pdf"))
        .to(number("+61281234568"))
        .idempotency_key("multi");
    let outcomes = client.send_each(&req).await.unwrap();
    let sent = sandbox.sent_faxes();
    assert_eq!(sent.len(), 2);
    let mut dests: Vec<&str> = sent.iter().map(|s| s.dest_number.as_str()).collect();
    dests.sort_unstable();
    assert_eq!(dests, ["61281234567", "61281234568"]);
    for o in &outcomes {
        let id = o.result.as_ref().unwrap();
        let fax = sent.iter().find(|s| FaxId::new(s.id.clone()) == *id).unwrap();
        assert_eq!(fax.dest_number, o.to.digits());
    }
    assert_eq!(outcomes.iter().map(|o| o.key.as_deref().unwrap()).collect::<Vec<_>>(), ["multi#1", "multi#2"]);
}
