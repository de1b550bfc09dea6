//! Issue 19: the idempotency key as `JobName`, ambiguous sends, `reconcile` over `Fax_GetFaxDescriptions`
//! and its window. A lost answer over every transport and `send_each` (one job with `Numbers1…n`) run against
//! the sandbox in the workspace suite (`faxkit_tests::lost_answer`, `send_each_keys`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{form, ok};
use faxkit::{Document, ErrorKind, FaxId, FaxNumber, FaxService, Reconciliation, SendRequest};
use serde_json::json;
use westfax::Transport;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const JOB: &str = "6b98617b-932c-46d7-8800-a5325640c91b";

fn pdf() -> Document {
    Document::from_bytes(&b"%PDF-1.4 key"[..], "key.pdf")
}

fn number(n: &str) -> FaxNumber {
    FaxNumber::parse(n).unwrap()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

#[tokio::test]
async fn send_puts_the_key_into_job_name_and_every_number_into_one_job() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_SendFax/json"))
        .respond_with(ok(json!(JOB)))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let req = SendRequest::new(number("+12125550100"), pdf())
        .to(number("+12125550101"))
        .reference("not sent")
        .idempotency_key("order-42");
    let outcomes = client.send_each(&req).await.unwrap();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes.iter().all(|o| o.result.as_ref().unwrap() == &FaxId::new(JOB)));
    let fields = form(&server.received_requests().await.unwrap()[0]);
    assert_eq!(field(&fields, "JobName"), ["order-42"]);
    assert_eq!(field(&fields, "Numbers1"), ["2125550100"]);
    assert_eq!(field(&fields, "Numbers2"), ["2125550101"]);
}

#[tokio::test]
async fn a_500_after_fax_sendfax_is_ambiguous_with_the_key_and_never_repeated() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_SendFax/json"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"Success": false, "ErrorString": "Api_Failed_", "InfoString": "internal", "Result": null}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let req = SendRequest::new(number("+12125550100"), pdf()).idempotency_key("order-43");
    let err = client.send(&req).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    assert_eq!(err.idempotency_key(), Some("order-43"));
    assert_eq!(err.vendor_code(), Some("Api_Failed_"), "the vendor's answer stays readable");
}

#[tokio::test]
async fn a_refusal_with_200_stays_a_definite_vendor_error() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_SendFax/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"Success": false, "ErrorString": "Fax_Failed_MissingParameters", "InfoString": "x", "Result": null}),
        ))
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let err = client.send(&SendRequest::new(number("+12125550100"), pdf()).idempotency_key("k")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor, "{err}");
}

#[tokio::test]
async fn reconcile_lists_outbound_descriptions_from_the_window_start() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxDescriptions/json"))
        .respond_with(ok(json!([
            {"Id": "11111111-0000-4000-8000-000000000001", "Direction": "Outbound", "JobName": "other"},
            {"Id": JOB, "Direction": "Outbound", "JobName": "order-42"}
        ])))
        .expect(2)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let sent_after: jiff::Timestamp = "2026-12-05T18:21:10Z".parse().unwrap();
    assert_eq!(client.reconcile("order-42", Some(sent_after)).await.unwrap(), Reconciliation::Found(FaxId::new(JOB)));
    assert_eq!(client.reconcile("order-44", Some(sent_after)).await.unwrap(), Reconciliation::NotFound);
    let fields = form(&server.received_requests().await.unwrap()[0]);
    // 10 minutes of clock-skew margin before `sent_after`.
    assert_eq!(field(&fields, "StartDate"), ["12/5/2026 6:11:10 PM"]);
    assert_eq!(field(&fields, "FaxDirection"), ["Outbound"]);
}

#[cfg(feature = "sandbox")]
mod sandbox {
    use super::*;
    use westfax::sandbox::Sandbox;

    #[tokio::test]
    async fn reconcile_searches_only_the_window_it_is_given() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = sandbox.client();
        let started = jiff::Timestamp::now();
        let id = client.send(&SendRequest::new(number("+12125550100"), pdf()).idempotency_key("k-1")).await.unwrap();
        assert_eq!(client.reconcile("k-1", Some(started)).await.unwrap(), Reconciliation::Found(id));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
        assert_eq!(client.reconcile("k-1", Some(later)).await.unwrap(), Reconciliation::NotFound);
    }

    #[tokio::test]
    async fn reconcile_over_legacy_soap_is_unsupported() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = sandbox.client_with(Transport::Soap, westfax::SessionMode::Stateless);
        assert!(matches!(client.reconcile("k", None).await.unwrap(), Reconciliation::Unsupported(_)));
    }
}

/// A client that retries idempotent requests quickly (3 retries), so a send that were retried would show.
fn retrying_client(server: &wiremock::MockServer, transport: Transport) -> westfax::Client {
    let retry = faxkit::RetryConfig {
        max_retries: 3,
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(5),
        ..faxkit::RetryConfig::default()
    };
    westfax::Client::builder()
        .credentials(common::USER, common::PASS)
        .product_id(common::PRODUCT)
        .transport(transport)
        .http(faxkit::HttpConfig::default().base_url(server.uri()).retry(retry))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_503_on_a_send_is_never_retried_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        let server = common::server().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
            .mount(&server)
            .await;
        let client = retrying_client(&server, transport);
        // The same client does retry a read on 503: the send's single request is the policy, not a setting.
        let status = client.status(&FaxId::new(JOB)).await.unwrap_err();
        let reads = server.received_requests().await.unwrap().len();
        assert_eq!(reads, 4, "{transport:?}: a status read is retried on 503 ({status})");
        let req = SendRequest::new(number("+12125550100"), pdf()).idempotency_key("order-503");
        let err = client.send(&req).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Ambiguous, "{transport:?}: {err}");
        assert_eq!(err.idempotency_key(), Some("order-503"));
        let requests = server.received_requests().await.unwrap();
        let sends = &requests[reads..];
        assert_eq!(sends.len(), 1, "{transport:?}: the send went out once");
        let what = format!("{} {}", sends[0].url.path(), String::from_utf8_lossy(&sends[0].body));
        assert!(what.contains("SendFax"), "{transport:?}: not a send: {what:.200}");
    }
}
