//! The vendor's limits, modelled before any request: the 32-day usage window, 10 ids per call (split and
//! merged), the 3-minute status cache, and the numbers and files one send takes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use faxkit::{Document, ErrorKind, FaxService, WaitOptions};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use westfax::Transport;
use westfax::fax::{FaxChangeFaxFilterValue, FaxGetFaxStatus, FaxResendFaxNotification, FaxSendFax, IDS_PER_CALL};
use westfax::model::{Direction, FaxId, FaxIdItem, FilterValue};
use westfax::profile::ProfileGetFaxUsageByProductId;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    server
}

#[tokio::test]
async fn usage_queries_longer_than_32_days_are_refused_before_any_request() {
    let server = silent_server().await;
    let client = common::client(&server, Transport::Rest);
    let end: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    for (start, end) in [
        (end - SignedDuration::from_hours(32 * 24 + 1), end),
        (end - SignedDuration::from_hours(90 * 24), end),
        (end, end - SignedDuration::from_hours(1)),
    ] {
        let err = client.call(ProfileGetFaxUsageByProductId::new(start, end)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }
    // `expect(0)` is checked when the server drops.
}

#[tokio::test]
async fn a_usage_query_of_exactly_32_days_is_sent() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Profile_GetFaxUsageByProductId/json"))
        .respond_with(common::ok(json!({"Inbound": 1, "Outbound": 2})))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let end: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    client.call(ProfileGetFaxUsageByProductId::new(end - SignedDuration::from_hours(32 * 24), end)).await.unwrap();
    let form = common::form(&server.received_requests().await.unwrap()[0]);
    assert!(form.contains(&("StartDate".into(), "10/30/2026".into())), "{form:?}");
    assert!(form.contains(&("EndDate".into(), "12/1/2026".into())), "{form:?}");
}

fn values(form: &[(String, String)], prefix: &str) -> Vec<String> {
    form.iter()
        .filter(|(k, _)| k.strip_prefix(prefix).is_some_and(|n| n.parse::<usize>().is_ok()))
        .map(|(_, v)| v.clone())
        .collect()
}

#[tokio::test]
async fn status_reads_of_more_than_10_jobs_go_out_in_calls_of_10_and_are_merged() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxStatus/json"))
        .respond_with(|r: &Request| {
            let ids = values(&common::form(r), "Ids");
            common::ok(json!(
                ids.iter()
                    .map(|i| json!({"JobId": i, "JobState": "Complete", "QuerySuccess": true}))
                    .collect::<Vec<_>>()
            ))
        })
        .expect(3)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let jobs: Vec<String> = (0..23).map(id).collect();
    let out = client.call(FaxGetFaxStatus::new(jobs.clone())).await.unwrap();
    let got: Vec<String> = out.iter().map(|s| s.job_id.as_ref().unwrap().as_str().to_owned()).collect();
    assert_eq!(got, jobs, "every job, in order");
    let reqs = server.received_requests().await.unwrap();
    let sizes: Vec<usize> = reqs.iter().map(|r| values(&common::form(r), "Ids").len()).collect();
    assert_eq!(sizes, vec![IDS_PER_CALL, IDS_PER_CALL, 3]);
    for r in &reqs {
        assert_eq!((r.method.as_str(), r.url.path()), ("POST", "/REST/Fax_GetFaxStatus/json"));
        assert!(common::form(r).contains(&("ProductId".into(), common::PRODUCT.into())));
    }
    assert_eq!(values(&common::form(&reqs[2]), "Ids"), jobs[20..].to_vec());
}

#[tokio::test]
async fn filter_changes_of_more_than_10_faxes_are_split_and_true_only_if_every_part_is() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_ChangeFaxFilterValue/json"))
        .respond_with(|r: &Request| {
            let ids = values(&common::form(r), "FaxIds");
            common::ok(json!(ids.len() == IDS_PER_CALL))
        })
        .expect(4)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let items = |n: usize| (0..n).map(|i| FaxIdItem::new(FaxId::new(id(i)), Direction::Inbound)).collect::<Vec<_>>();
    assert!(client.call(FaxChangeFaxFilterValue::new(items(20), FilterValue::Retrieved)).await.unwrap());
    assert!(!client.call(FaxChangeFaxFilterValue::new(items(12), FilterValue::Retrieved)).await.unwrap());
    let reqs = server.received_requests().await.unwrap();
    let sizes: Vec<usize> = reqs.iter().map(|r| values(&common::form(r), "FaxIds").len()).collect();
    assert_eq!(sizes, vec![10, 10, 10, 2]);
    assert!(common::form(&reqs[3]).contains(&("Filter".into(), "Retrieved".into())));
}

#[tokio::test]
async fn calls_not_safe_to_repeat_refuse_more_than_10_ids() {
    let server = silent_server().await;
    let client = common::client(&server, Transport::Rest);
    let items = (0..11).map(|i| FaxIdItem::new(FaxId::new(id(i)), Direction::Inbound));
    let err = client.call(FaxResendFaxNotification::new(items)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.to_string().contains("10"), "{err}");
}

#[tokio::test]
async fn wait_polls_no_faster_than_the_3_minute_status_cache() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxStatus/json"))
        .respond_with(common::ok(json!([{"JobId": id(1), "JobState": "Production", "QuerySuccess": true}])))
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    assert_eq!(client.min_status_interval(), Duration::from_secs(180));
    assert_eq!(westfax::STATUS_CACHE, Duration::from_secs(180));
    let options = WaitOptions::new(Duration::from_millis(300), Duration::from_millis(1));
    let err = client.wait(&faxkit::FaxId::new(id(1)), &options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // A 1 ms interval would have read the status dozens of times in 300 ms; raised to 3 minutes, it reads once.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_send_with_more_numbers_or_files_than_the_vendor_indexes_is_refused_before_any_request() {
    let server = silent_server().await;
    for transport in [Transport::Rest, Transport::Soap] {
        let client = common::client(&server, transport);
        let doc = || Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf");
        let numbers: Vec<String> = (0..1000).map(|i| format!("212555{i:04}")).collect();
        let err = client.call(FaxSendFax::new(numbers, [doc()])).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("999"), "{err}");
        let err = client.call(FaxSendFax::new(["2125550100"], (0..1001).map(|_| doc()))).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("1000"), "{err}");
        let err = client.call(FaxSendFax::new(["  "], [doc()])).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }
}
