#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `TopicSource`, the Fax2WSPull inbound source: the wire of poll, download and acknowledge, and the lock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use faxkit::{ErrorKind, FaxService, InboundSource};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const FETCH: &str = include_str!("fixtures/fetch_response.json");

fn empty() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json")
}

#[tokio::test]
async fn poll_locks_download_reads_the_handle_and_each_ack_is_one_call() {
    let server = common::server().await;
    let local = FETCH.replace("https://api.us1.retarus.com", &server.uri());
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(header("authorization", common::PULL_AUTH))
        .and(body_bytes(Vec::new()))
        .and(|req: &Request| req.url.query() == Some("fetch=5&timeout=300"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(local, "application/json"))
        .expect(1)
        .named("poll: fetch=5&timeout=300")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxin/rest/v1/files/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf"))
        .and(header("authorization", common::PULL_AUTH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"%PDF-1.4 job 29"[..], "application/pdf"))
        .expect(1)
        .mount(&server)
        .await;
    for id in ["29", "30"] {
        Mock::given(method("POST"))
            .and(path("/faxin/rest/v1/topics/abc123"))
            .and(move |req: &Request| req.url.query() == Some(&format!("fetch=0&timeout=60&ids={id}")))
            .respond_with(empty())
            .expect(1)
            .named(format!("ack of job {id} alone"))
            .mount(&server)
            .await;
    }
    let source = common::client(&server).topic("abc123").inbound_source().lock(Duration::from_secs(300));
    assert_eq!(source.name(), "retarus:99999TE:abc123");
    let before = tokio::time::Instant::now();
    let items = source.poll(5).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].fax.id.as_str(), "29/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf");
    assert_eq!(
        items[0].handle.as_deref(),
        Some(format!("{}/faxin/rest/v1/files/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf", server.uri()).as_str())
    );
    for item in &items {
        let until = item.locked_until.expect("every polled job carries its lock end");
        assert!(
            until >= before + Duration::from_secs(300)
                && until <= tokio::time::Instant::now() + Duration::from_secs(300)
        );
        assert_eq!(source.renew(item).await.unwrap(), Some(until), "no re-lock call: the end stays");
    }
    // The download goes to `documents[].url` as given (on the configured host).
    let pdf = source.download(&items[0]).await.unwrap().bytes(1024).await.unwrap();
    assert_eq!(&pdf[..], b"%PDF-1.4 job 29");
    source.acknowledge(&items[0]).await.unwrap();
    source.acknowledge(&items[1]).await.unwrap();
    assert_eq!(source.poll(0).await.unwrap(), Vec::new(), "limit 0 fetches nothing");
}

#[tokio::test]
async fn a_client_without_topic_has_a_source_that_says_so() {
    let server = common::server().await;
    let client = retarus_fax::Client::builder()
        .credentials(common::USER, common::PASSWORD)
        .customer_number(common::CUNO)
        .region(common::region(&server))
        .build()
        .unwrap();
    let source = Arc::new(client).inbound_source();
    assert_eq!(source.poll(5).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[cfg(feature = "sandbox")]
mod sandbox {
    use super::*;
    use faxkit::sandbox::VendorSandbox;
    use retarus_fax::InboundJobId;
    use retarus_fax::sandbox::Sandbox;

    fn job(item: &faxkit::InboundItem) -> InboundJobId {
        InboundJobId::from(item.fax.id.as_str().split('/').next().unwrap())
    }

    #[tokio::test]
    async fn an_ack_after_the_lock_ended_is_refused_and_never_reaches_retarus() {
        let sandbox = Sandbox::start().await.unwrap();
        let from = faxkit::FaxNumber::parse("+49 89 111 222").unwrap();
        sandbox.inject_inbound(&from, bytes::Bytes::from_static(b"%PDF-1.4 a")).await;
        sandbox.inject_inbound(&from, bytes::Bytes::from_static(b"%PDF-1.4 b")).await;
        let source = VendorSandbox::service(&sandbox).inbound_source();
        let items = source.poll(10).await.unwrap();
        assert_eq!(items.len(), 2);
        let late = &items[0];
        assert_eq!(source.download(late).await.unwrap().bytes(64).await.unwrap(), &b"%PDF-1.4 a"[..]);

        // The lock passes: at Retarus (the job is available again) and on the client's clock.
        sandbox.advance_clock(Duration::from_secs(61));
        tokio::time::pause();
        tokio::time::advance(Duration::from_secs(61)).await;
        let err = source.acknowledge(late).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("lock has ended"), "{err}");
        tokio::time::resume();
        assert_eq!(sandbox.acks(&job(late)), 0, "the refused ack never reached the sandbox");
        let received = sandbox.server().received_requests().await.unwrap();
        assert!(!received.iter().any(|r| r.url.query().is_some_and(|q| q.contains("ids="))), "no ack was sent");

        // Both jobs come back; polled again, they carry a new lock and can be acknowledged, once each.
        let again = source.poll(10).await.unwrap();
        assert_eq!(again.iter().map(job).collect::<Vec<_>>(), items.iter().map(job).collect::<Vec<_>>());
        for item in &again {
            source.acknowledge(item).await.unwrap();
            assert_eq!((sandbox.deliveries(&job(item)), sandbox.acks(&job(item))), (2, 1));
        }
        sandbox.expire_locks();
        assert!(source.poll(10).await.unwrap().is_empty(), "acknowledged jobs never come back");
    }

    #[tokio::test]
    async fn an_item_without_a_lock_is_not_acknowledged() {
        let sandbox = Sandbox::start().await.unwrap();
        let id = sandbox.inject_inbound(&faxkit::FaxNumber::parse("+4989111").unwrap(), "%PDF-1.4".into()).await;
        let source = VendorSandbox::service(&sandbox).inbound_source();
        let item = faxkit::InboundItem::new(faxkit::InboundFax::new(id));
        assert_eq!(source.acknowledge(&item).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        // Downloading works from the id alone (it carries the document's file name).
        assert_eq!(source.download(&item).await.unwrap().bytes(64).await.unwrap(), &b"%PDF-1.4"[..]);
    }
}
