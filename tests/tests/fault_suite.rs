#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every vendor against a misbehaving server (`faxkit_tests::faults`), with a counting allocator so each
//! hostile answer is shown to be refused without being buffered: a typed error within the hang guard, and a
//! peak allocation growth under `faxkit_tests::MEMORY_BOUND`.

mod common;

use std::sync::Arc;

use faxkit::FaxService;
use faxkit_tests::Wire;
use faxkit_tests::alloc::CountingAlloc;
use westfax::Transport;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn interfax(url: &str) -> Arc<dyn FaxService> {
    Arc::new(interfax::Client::builder().credentials("user", "pw").http(common::fault_http(url)).build().unwrap())
}

fn westfax_over(transport: Transport) -> impl Fn(&str) -> Arc<dyn FaxService> + Send + Sync {
    move |url: &str| -> Arc<dyn FaxService> {
        Arc::new(
            westfax::Client::builder()
                .credentials("user", "pw")
                .product_id("00000000-0000-0000-0000-000000000000")
                .transport(transport)
                .http(common::fault_http(url))
                .build()
                .unwrap(),
        )
    }
}

fn faxcore(url: &str) -> Arc<dyn FaxService> {
    Arc::new(faxcore::Client::builder().credentials("2125550100", "pw").http(common::fault_http(url)).build().unwrap())
}

fn fax2(url: &str) -> Arc<dyn FaxService> {
    Arc::new(
        fax2::Client::builder()
            .credentials("client-id", "client-secret")
            .http(common::fault_http(url))
            .build()
            .unwrap(),
    )
}

fn retarus(url: &str) -> Arc<dyn FaxService> {
    Arc::new(
        retarus_fax::Client::builder()
            .credentials("user", "pw")
            .customer_number("99999TE")
            .topic("topic")
            .http(common::fault_http(url))
            .build()
            .unwrap(),
    )
}

#[test]
fn the_counting_allocator_is_installed() {
    assert!(faxkit_tests::alloc::installed());
    // And it sees a big allocation in the peak.
    faxkit_tests::alloc::reset_peak();
    let before = faxkit_tests::alloc::current();
    let big = vec![1u8; 8 << 20];
    assert!(faxkit_tests::alloc::peak() >= before + big.len());
}

#[tokio::test]
async fn interfax_faults() {
    faxkit_tests::fault_suite(&interfax).await;
}

#[tokio::test]
async fn interfax_hostile_server() {
    faxkit_tests::hostile_server_suite(&interfax, Wire::Json).await;
}

#[tokio::test]
async fn westfax_faults_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        faxkit_tests::fault_suite(&westfax_over(transport)).await;
    }
}

#[tokio::test]
async fn westfax_rest_hostile_server() {
    faxkit_tests::hostile_server_suite(&westfax_over(Transport::Rest), Wire::Json).await;
}

#[tokio::test]
async fn westfax_soap_hostile_server() {
    faxkit_tests::hostile_server_suite(&westfax_over(Transport::Soap), Wire::Soap).await;
}

#[tokio::test]
async fn faxcore_faults() {
    faxkit_tests::fault_suite(&faxcore).await;
}

#[tokio::test]
async fn faxcore_hostile_server() {
    faxkit_tests::hostile_server_suite(&faxcore, Wire::Xml).await;
}

#[tokio::test]
async fn fax2_faults() {
    faxkit_tests::fault_suite(&fax2).await;
}

#[tokio::test]
async fn fax2_hostile_server() {
    faxkit_tests::hostile_server_suite(&fax2, Wire::Json).await;
}

#[tokio::test]
async fn retarus_faults() {
    faxkit_tests::fault_suite(&retarus).await;
}

#[tokio::test]
async fn retarus_hostile_server() {
    faxkit_tests::hostile_server_suite(&retarus, Wire::Json).await;
}

// Huge numbers in each vendor's recorded replies.

#[tokio::test(flavor = "multi_thread")]
async fn interfax_huge_numbers() {
    let status = include_str!("../../crates/interfax/tests/fixtures/outbound_fax_full.json");
    faxkit_tests::huge_numbers(&interfax, Wire::Json, status, |svc| {
        Box::pin(async move { svc.status(&faxkit::FaxId::new("1")).await })
    })
    .await;
    let inbox = format!("[{}]", include_str!("../../crates/interfax/tests/fixtures/inbound_fax.json"));
    faxkit_tests::huge_numbers(&interfax, Wire::Json, &inbox, |svc| {
        Box::pin(async move { svc.list_inbound(&faxkit::InboundQuery::default()).await })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn fax2_huge_numbers() {
    let status = include_str!("../../crates/fax2/tests/fixtures/sent_fax_failed.json");
    faxkit_tests::huge_numbers(&fax2, Wire::Json, status, |svc| {
        Box::pin(async move { svc.status(&faxkit::FaxId::new("1")).await })
    })
    .await;
    let inbox = include_str!("../../crates/fax2/tests/fixtures/received_faxes.json").replace(
        "\"next_page_url\": \"https://api.fax2.com.au/v1/received_faxes?limit=2&continue_from=10488\"",
        "\"next_page_url\": null",
    );
    faxkit_tests::huge_numbers(&fax2, Wire::Json, &inbox, |svc| {
        Box::pin(async move { svc.list_inbound(&faxkit::InboundQuery::default()).await })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn retarus_huge_numbers() {
    let reports: serde_json::Value =
        serde_json::from_str(include_str!("../../crates/retarus-fax/tests/fixtures/get_fax_reports_response.json"))
            .unwrap();
    let report = reports["reports"][0].to_string();
    faxkit_tests::huge_numbers(&retarus, Wire::Json, &report, |svc| {
        Box::pin(async move { svc.status(&faxkit::FaxId::new("FJ1")).await })
    })
    .await;
    let fetch = include_str!("../../crates/retarus-fax/tests/fixtures/fetch_response.json");
    faxkit_tests::huge_numbers(&retarus, Wire::Json, fetch, |svc| {
        Box::pin(async move { svc.list_inbound(&faxkit::InboundQuery::default()).await })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn faxcore_huge_numbers() {
    let list = include_str!("../../crates/faxcore/tests/fixtures/get_fax_list.xml");
    faxkit_tests::huge_numbers(&faxcore, Wire::Xml, list, |svc| {
        Box::pin(async move { svc.list_inbound(&faxkit::InboundQuery::default()).await })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn westfax_huge_numbers_over_rest_xml() {
    let status = include_str!("../../crates/westfax/tests/fixtures/GetFaxStatus.xml");
    faxkit_tests::huge_numbers(&westfax_over(Transport::RestXml), Wire::Xml, status, |svc| {
        Box::pin(async move { svc.status(&faxkit::FaxId::new("bcfd4b37-ffaf-4ffa-bab9-ddfb776a0620")).await })
    })
    .await;
}

// Looping and stuck pagination.

/// A Fax2 listing whose `next_page_url` names the page just read: ends with a decode error after two pages.
#[tokio::test]
async fn fax2_looping_next_link() {
    let page = r#"{"data":[{"id":"10492","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"2201","pages":3}],"next_page_url":"received_faxes?continue_from=10492"}"#;
    let server = faxkit_tests::faults::FaultServer::start(faxkit_tests::faults::Fault::Body {
        content_type: "application/json",
        body: bytes::Bytes::from_static(page.as_bytes()),
    })
    .await;
    let svc = fax2(&server.uri());
    let err = faxkit_tests::bounded_in_memory("fax2 loop", svc.list_inbound(&faxkit::InboundQuery::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "{err}");
    assert!(server.fault_requests() <= 3, "fax2: {} pages read", server.fault_requests());
}

/// A Fax2 listing whose next link changes every time (a counter) but whose pages repeat the same fax.
#[tokio::test]
async fn fax2_stuck_cursor() {
    let server = faxkit_tests::faults::FaultServer::start(faxkit_tests::faults::Fault::Pages {
        content_type: "application/json",
        template: r#"{"data":[{"id":"10492","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"2201","pages":3}],"next_page_url":"received_faxes?continue_from={n}"}"#,
    })
    .await;
    let svc = fax2(&server.uri());
    let err = faxkit_tests::bounded_in_memory("fax2 stuck", svc.list_inbound(&faxkit::InboundQuery::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "{err}");
    assert!(server.fault_requests() <= 3, "fax2: {} pages read", server.fault_requests());
}

/// An InterFAX listing whose every full page is the same (the `lastId` never moves).
#[tokio::test]
async fn interfax_looping_last_id() {
    use futures::TryStreamExt;
    let page = format!("[{}]", include_str!("../../crates/interfax/tests/fixtures/inbound_fax.json"));
    let server = faxkit_tests::faults::FaultServer::start(faxkit_tests::faults::Fault::Body {
        content_type: "application/json",
        body: bytes::Bytes::from(page),
    })
    .await;
    let client = interfax::Client::builder().credentials("user", "pw").http(common::fault_http(&server.uri())).build();
    let client = client.unwrap();
    let listing = client.inbound().list().limit(1).stream().try_collect::<Vec<_>>();
    let err = faxkit_tests::bounded_in_memory("interfax loop", listing).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "{err}");
    assert!(server.fault_requests() <= 3, "interfax: {} pages read", server.fault_requests());
}

/// A Fax2WSPull topic that hands out the same jobs on every fetch, however often they are acknowledged:
/// a consumer that stops when the topic is empty must not run forever.
#[tokio::test]
async fn retarus_consumer_on_a_topic_that_never_empties() {
    let fetch = include_str!("../../crates/retarus-fax/tests/fixtures/fetch_response.json");
    let server = faxkit_tests::faults::FaultServer::start(faxkit_tests::faults::Fault::Body {
        content_type: "application/json",
        body: bytes::Bytes::from_static(fetch.as_bytes()),
    })
    .await;
    let svc = retarus_fax::Client::builder()
        .credentials("user", "pw")
        .customer_number("99999TE")
        .topic("abc123")
        .http(common::fault_http(&server.uri()))
        .build()
        .unwrap();
    let topic = svc.topic("abc123");
    let run = topic.consumer().stop_when_empty(true).build().run(|_| async { Ok::<(), String>(()) });
    let err = faxkit_tests::bounded_in_memory("retarus consumer", run).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "{err}");
}

// Webhook bodies: parsed in memory from what a web framework hands over (no HTTP, no compression).

/// Retarus status pushes (XML and JSON) and Fax2WS pushes nested 100,000 deep: a decode error, no stack
/// overflow (which would abort this whole binary), and bounded memory. WestFax callbacks are query strings
/// (no nesting); FaxCore, InterFAX and Fax2 have no webhook parser.
#[tokio::test]
async fn retarus_webhook_bodies_nested_deeply() {
    use faxkit_tests::faults::{nested_json, nested_xml};
    let xml = nested_xml(100_000, false);
    let json = nested_json(100_000);
    let (results, peak) = faxkit_tests::alloc::measure(async {
        [
            retarus_fax::webhook::parse_status_push(&xml).map(|_| ()),
            retarus_fax::webhook::parse_status_push_xml(&xml).map(|_| ()),
            retarus_fax::webhook::parse_status_push(&json).map(|_| ()),
            retarus_fax::webhook::parse_status_push_json(&json).map(|_| ()),
            retarus_fax::webhook::parse_fax2ws_push(&json).map(|_| ()),
        ]
    })
    .await;
    assert!(peak < faxkit_tests::MEMORY_BOUND, "webhooks: peak allocation grew by {} MiB", peak >> 20);
    for (i, r) in results.into_iter().enumerate() {
        let err = r.expect_err("a 100,000-deep body is refused");
        assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "parser {i}: {err}");
    }
}
