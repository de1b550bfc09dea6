//! Issue 19: the idempotency key in `subject`, ambiguous sends, `reconcile` over the outbound folders, and
//! `send_each` as one `SendFax` per recipient.
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

#[cfg(feature = "sandbox")]
mod sandbox {
    use super::*;
    use faxcore::sandbox::Sandbox;
    use faxkit::Reconciliation;
    use faxkit::sandbox::FaultProxy;

    #[tokio::test]
    async fn a_send_whose_answer_is_lost_is_ambiguous_and_reconcile_finds_it() {
        let sandbox = Sandbox::start().await.unwrap();
        let proxy = FaultProxy::start(&sandbox.uri()).await.unwrap();
        let client = faxcore::Client::builder()
            .credentials(Sandbox::USERNAME, Sandbox::PASSWORD)
            .base_url(proxy.uri())
            .build()
            .unwrap();
        // Another fax first, so reconcile has to tell them apart.
        client.send(&SendRequest::new(number("+12125550101"), Document::from_bytes(PDF, "b.pdf"))).await.unwrap();
        proxy.reset_after_forwarding("POST /api/SendFax");
        let req =
            SendRequest::new(number("+12125550100"), Document::from_bytes(PDF, "a.pdf")).idempotency_key("lost-1");
        let err = client.send(&req).await.unwrap_err();
        assert!(err.is_ambiguous(), "{err:?}");
        assert_eq!(err.idempotency_key(), Some("lost-1"));
        let sent = sandbox.sent_faxes();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].subject, "lost-1");
        let found = client.reconcile("lost-1", None).await.unwrap();
        assert_eq!(found, Reconciliation::Found(sent[1].id.into()));
        assert_eq!(client.reconcile("never-sent", None).await.unwrap(), Reconciliation::NotFound);
    }

    #[tokio::test]
    async fn send_each_sends_one_fax_per_recipient_with_suffixed_keys() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = sandbox.client();
        let req = SendRequest::new(number("+12125550100"), Document::from_bytes(PDF, "a.pdf"))
            .to(number("+12125550101"))
            .idempotency_key("multi");
        let outcomes = client.send_each(&req).await.unwrap();
        let sent = sandbox.sent_faxes();
        assert_eq!(sent.len(), 2);
        assert_eq!((sent[0].subject.as_str(), sent[1].subject.as_str()), ("multi#1", "multi#2"));
        assert_eq!((sent[0].recpfax.as_str(), sent[1].recpfax.as_str()), ("12125550100", "12125550101"));
        for (o, s) in outcomes.iter().zip(&sent) {
            assert_eq!(o.result.as_ref().unwrap(), &FaxId::from(s.id));
        }
        assert_eq!(client.reconcile("multi#2", None).await.unwrap(), Reconciliation::Found(sent[1].id.into()));
    }
}
