#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 19: the idempotency key as `reference.customerDefinedId`, 409 "Duplicate job", ambiguous outcomes,
//! `reconcile` over the status reports. A lost answer and `send_each` (one job) run against the sandbox in the
//! workspace suite (`faxkit_tests::lost_answer`, `send_each_keys`).

mod common;

use faxkit::{Document, ErrorKind, FaxId, FaxNumber, FaxService, Reconciliation, SendRequest};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

fn pdf() -> Document {
    Document::from_bytes(&b"%PDF-1.4 key"[..], "key.pdf")
}

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

fn report(job: &str, key: &str) -> serde_json::Value {
    json!({"jobId": job, "recipientStatus": [{"number": "+498912345678", "status": "PENDING", "reason": "",
           "durationInSecs": 0}], "pages": 1, "reference": {"customerDefinedId": key}})
}

async fn mount_reports(server: &wiremock::MockServer, dc: &str, reports: Vec<serde_json::Value>) {
    Mock::given(method("GET"))
        .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "reports": reports })))
        .mount(server)
        .await;
}

#[tokio::test]
async fn send_puts_the_key_into_customer_defined_id() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .and(body_partial_json(json!({
            "reference": {"customerDefinedId": "order-42"},
            "recipients": [{"number": "+498912345678"}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"jobId": "FJ42"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let req = SendRequest::new(number("+498912345678"), pdf()).reference("not sent").idempotency_key("order-42");
    assert_eq!(client.send(&req).await.unwrap(), FaxId::new("FJ42"));
}

#[tokio::test]
async fn a_key_longer_than_256_characters_is_refused_before_any_request() {
    let server = common::server().await;
    let client = common::client(&server);
    let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("k".repeat(257));
    assert_eq!(client.send(&req).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_409_naming_the_job_is_the_job_already_accepted() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"jobId": "FJEARLIER"})))
        .expect(2)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let job = client.jobs().send(FaxNumber::parse("+4989123").unwrap()).document(pdf()).send().await.unwrap();
    assert_eq!(job.job_id.as_str(), "FJEARLIER");
    assert!(job.already_accepted);
    let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("order-1");
    assert_eq!(client.send(&req).await.unwrap(), FaxId::new("FJEARLIER"));
}

#[tokio::test]
async fn a_bare_409_with_a_key_is_resolved_through_the_reports() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(409))
        .expect(2)
        .mount(&server)
        .await;
    mount_reports(&server, "dc1", vec![report("FJOTHER", "other")]).await;
    mount_reports(&server, "dc2", vec![report("FJMINE", "order-2")]).await;
    let client = common::client(&server);
    let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("order-2");
    assert_eq!(client.send(&req).await.unwrap(), FaxId::new("FJMINE"));
    // A duplicate whose key no report holds stays the typed 409.
    let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("order-3");
    let err = client.send(&req).await.unwrap_err();
    assert!(retarus_fax::error::is_duplicate_job(&err), "{err}");
}

#[tokio::test]
async fn reconcile_reads_every_data_center() {
    let server = common::server().await;
    mount_reports(&server, "dc1", vec![report("FJ1", "a")]).await;
    mount_reports(&server, "dc2", vec![report("FJ2", "b")]).await;
    let client = common::client(&server);
    assert_eq!(client.reconcile("b", None).await.unwrap(), Reconciliation::Found(FaxId::new("FJ2")));
    assert_eq!(client.reconcile("c", None).await.unwrap(), Reconciliation::NotFound);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().filter(|r| r.method.as_str() == "GET").count(), 4);
}

#[tokio::test]
async fn reconcile_never_says_not_found_when_a_data_center_is_silent_or_full() {
    let server = common::server().await;
    mount_reports(&server, "dc1", (0..1000).map(|i| report(&format!("FJ{i}"), "x")).collect()).await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = common::client(&server);
    assert!(client.reconcile("y", None).await.is_err(), "DC2 did not answer: the outcome is unknown");
}

#[tokio::test]
async fn reconcile_with_1000_reports_is_not_a_not_found() {
    let server = common::server().await;
    mount_reports(&server, "dc1", (0..1000).map(|i| report(&format!("FJ{i}"), "x")).collect()).await;
    mount_reports(&server, "dc2", vec![]).await;
    let client = common::client(&server);
    assert!(matches!(client.reconcile("y", None).await.unwrap(), Reconciliation::Unsupported(_)));
}

#[cfg(feature = "sandbox")]
mod sandbox {
    use super::*;
    use retarus_fax::sandbox::Sandbox;

    #[tokio::test]
    async fn a_repeated_send_the_sandbox_rejects_as_duplicate_returns_the_first_job() {
        let sandbox = Sandbox::start().await.unwrap();
        sandbox.reject_duplicates(true);
        let client = sandbox.client();
        let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("twice");
        let first = client.send(&req).await.unwrap();
        let second = client.send(&req).await.unwrap();
        assert_eq!(first, second);
        assert_eq!(sandbox.sent_faxes().len(), 1);
    }
}

#[tokio::test]
async fn a_503_on_a_send_is_never_retried() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&server)
        .await;
    let retry = faxkit::RetryConfig {
        max_retries: 3,
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(5),
        ..faxkit::RetryConfig::default()
    };
    let client = common::builder(&server).http(faxkit::HttpConfig::default().retry(retry)).build().unwrap();
    let req = SendRequest::new(number("+498912345678"), pdf()).idempotency_key("order-503");
    let err = client.send(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Ambiguous, "{err}");
    assert_eq!(err.idempotency_key(), Some("order-503"));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        1,
        "the send went out once: {:?}",
        requests.iter().map(|r| r.url.path()).collect::<Vec<_>>()
    );
}
