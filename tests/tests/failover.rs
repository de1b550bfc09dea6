//! `faxkit::Failover` over real vendor clients and sandboxes: a refused connection fails over, a lost answer
//! does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use faxkit::sandbox::{FaultProxy, VendorSandbox};
use faxkit::{Document, FaxNumber, FaxService, Reconciliation, SendRequest};

fn request(key: &str) -> SendRequest {
    SendRequest::new(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes("%PDF-1.4 failover", "f.pdf"))
        .idempotency_key(key)
}

#[tokio::test]
async fn a_primary_refusing_connections_sends_once_through_the_backup() {
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let primary = interfax::Client::builder()
        .credentials("u", "p")
        .base_url(format!("http://127.0.0.1:{dead_port}/"))
        .build()
        .unwrap();
    let backup = westfax::sandbox::Sandbox::start().await.unwrap();
    let fo = faxkit::Failover::new(vec![Arc::new(primary), VendorSandbox::service(&backup)]);
    let id = fo.send(&request("fo-1")).await.unwrap();
    let sent = backup.sent_faxes();
    assert_eq!(sent.len(), 1);
    assert_eq!(id.as_str(), format!("westfax:{}", sent[0].id));
    assert_eq!(sent[0].job_name.as_deref(), Some("fo-1"));
    // Reads go to the vendor holding the fax.
    assert_eq!(fo.status(&id).await.unwrap().id, id);
}

#[tokio::test]
async fn a_primary_whose_answer_is_lost_does_not_fail_over_and_reconcile_finds_the_fax() {
    let primary = interfax::sandbox::Sandbox::start().await.unwrap();
    let proxy = FaultProxy::start(&primary.uri()).await.unwrap();
    let (user, password, _) = primary.credentials();
    let via_proxy = interfax::Client::builder().credentials(user, password).base_url(proxy.uri()).build().unwrap();
    let backup = westfax::sandbox::Sandbox::start().await.unwrap();
    let fo = faxkit::Failover::new(vec![Arc::new(via_proxy), VendorSandbox::service(&backup)]);
    proxy.reset_after_forwarding("POST /outbound/faxes");
    let err = fo.send(&request("fo-2")).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    assert!(backup.sent_faxes().is_empty(), "an ambiguous send was repeated at the backup");
    assert_eq!(primary.sent_faxes().len(), 1);
    let found = fo.reconcile("fo-2", None).await.unwrap();
    assert_eq!(found, Reconciliation::Found(faxkit::FaxId::new(format!("interfax:{}", primary.sent_faxes()[0].id.0))));
}
