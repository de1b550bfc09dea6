//! Issue 19 on Fax2: a lost upload answer is not ambiguous, since no fax was sent. A lost `send_fax` answer
//! (ambiguous, with the caller's key; `reconcile` is `Unsupported`, as Fax2 carries no client reference) and
//! `send_each` (one fax per recipient) run against the sandbox in the workspace suite
//! (`faxkit_tests::lost_answer`, `send_each_keys`).
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fax2::sandbox::{PASSWORD, Sandbox, USERNAME};
use faxkit::sandbox::FaultProxy;
use faxkit::{Document, FaxNumber, FaxService, SendRequest};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF";

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

#[tokio::test]
async fn a_lost_upload_answer_is_not_ambiguous_because_no_fax_was_sent() {
    let sandbox = Sandbox::start().await.unwrap();
    let proxy = FaultProxy::start(&sandbox.uri()).await.unwrap();
    let client = fax2::Client::builder().credentials(USERNAME, PASSWORD).base_url(proxy.uri()).build().unwrap();
    proxy.reset_after_forwarding("POST /v1/upload_document");
    let req = SendRequest::new(number("+61281234567"), Document::from_bytes(PDF, "a.pdf")).idempotency_key("k-2");
    let err = client.send(&req).await.unwrap_err();
    assert!(!err.is_ambiguous(), "{err:?}");
    assert!(sandbox.sent_faxes().is_empty());
}
