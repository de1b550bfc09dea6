#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire tests of Fax4A status reports: every data center asked, results merged, partial failures reported.

mod common;

use faxkit::{DeliveryStatus, ErrorKind};
use futures::StreamExt;
use retarus_fax::Drained;
use retarus_fax::JobId;
use retarus_fax::model::reports::DeleteReason;
use retarus_fax::model::reports::RecipientStatus;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const REPORTS: &str = include_str!("fixtures/get_fax_reports_response.json");
const DELETED: &str = include_str!("fixtures/delete_reports_response.json");

fn report(id: &str, status: &str) -> Value {
    json!({"jobId": id, "recipientStatus": [{"number": "+4989", "status": status, "reason": "OK",
            "durationInSecs": 3}], "pages": 1})
}

fn ok_json(v: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), "application/json")
}

#[tokio::test]
async fn get_asks_every_data_center_and_takes_the_one_that_has_it() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports/FJ1"))
        .and(header("authorization", common::FAX4A_AUTH))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let one: Value = serde_json::from_str::<Value>(REPORTS).unwrap()["reports"][0].clone();
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJ1"))
        .and(header("authorization", common::FAX4A_AUTH))
        .respond_with(ok_json(&one))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let r = client.reports().get(&JobId::from("FJ1")).await.unwrap();
    assert_eq!(r.job_id.as_str(), "FJLI3102O5BEPYOTB5LPC9");
    assert_eq!(r.data_center.as_ref().map(|d| d.name()), Some("DC2"));
    assert_eq!(r.recipient_status[0].status, RecipientStatus::RemDis);
    assert_eq!(r.recipient_status[0].properties.len(), 8);
    assert!(matches!(r.delivery_status(), DeliveryStatus::Failed { .. }));
}

#[tokio::test]
async fn get_is_not_found_only_when_every_data_center_says_so() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports/FJ404"))
        .respond_with(ResponseTemplate::new(404))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJ404"))
        .respond_with(ResponseTemplate::new(404))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJ404"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let err = client.reports().get(&JobId::from("FJ404")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = client.reports().get(&JobId::from("FJ404")).await.unwrap_err();
    assert_eq!(err.status(), Some(500), "a data center that failed may hold the report: {err}");
}

#[tokio::test]
async fn list_merges_data_centers_and_reports_one_that_is_down() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(REPORTS, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let list = client.reports().list().await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].data_center.as_ref().map(|d| d.name()), Some("DC1"));
    assert_eq!(list.failures.len(), 1);
    assert_eq!(list.failures[0].data_center.name(), "DC2");
    assert_eq!(list.failures[0].error.status(), Some(503));
    assert!(!list.is_complete());
}

#[tokio::test]
async fn status_survives_a_data_center_outage() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports/FJ7"))
        .respond_with(ok_json(&report("FJ7", "OK")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJ7"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let status = faxkit::FaxService::status(&common::client(&server), &faxkit::FaxId::new("FJ7")).await.unwrap();
    assert_eq!(status.status, DeliveryStatus::Delivered);
    assert_eq!(status.raw_status, "OK");
}

#[tokio::test]
async fn list_fails_when_every_data_center_fails() {
    let server = common::server().await;
    for dc in ["dc1", "dc2"] {
        Mock::given(method("GET"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
            .respond_with(ResponseTemplate::new(401))
            .expect(1)
            .mount(&server)
            .await;
    }
    let err = common::client(&server).reports().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn delete_finds_the_holding_data_center() {
    let server = common::server().await;
    Mock::given(method("DELETE"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports/FJLI3102O5BEPYOTB5LPC9"))
        .respond_with(ok_json(&json!({"jobId": "FJLI3102O5BEPYOTB5LPC9", "deleted": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJLI3102O5BEPYOTB5LPC9"))
        .respond_with(ResponseTemplate::new(400))
        .expect(1)
        .mount(&server)
        .await;
    let r = common::client(&server).reports().delete(&JobId::from("FJLI3102O5BEPYOTB5LPC9")).await.unwrap();
    assert!(r.is_deleted());
    assert_eq!(r.data_center.as_ref().map(|d| d.name()), Some("DC1"));
}

#[tokio::test]
async fn delete_of_an_unknown_report_is_not_found() {
    let server = common::server().await;
    for dc in ["dc1", "dc2"] {
        Mock::given(method("DELETE"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports/NOPE")))
            .respond_with(ResponseTemplate::new(400))
            .expect(1)
            .mount(&server)
            .await;
    }
    let err = common::client(&server).reports().delete(&JobId::from("NOPE")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn delete_oldest_hits_every_data_center_and_accepts_both_shapes() {
    let server = common::server().await;
    Mock::given(method("DELETE"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DELETED, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(ok_json(&json!([{"jobId": "FJ2", "deleted": false, "reason": "INTERNAL_ERROR"}])))
        .expect(1)
        .mount(&server)
        .await;
    let r = common::client(&server).reports().delete_oldest().await.unwrap();
    assert_eq!(r.items.len(), 2);
    assert!(r.items[0].is_deleted());
    assert!(!r.items[1].is_deleted());
    assert!(r.is_complete());
}

fn ids(n: usize) -> Vec<JobId> {
    (0..n).map(|i| JobId::from(format!("FJ{i:05}"))).collect()
}

#[tokio::test]
async fn bulk_get_splits_into_1000_id_calls_per_data_center_and_merges() {
    let server = common::server().await;
    let all = ids(1500);
    for (dc, status) in [("dc1", "OK"), ("dc2", "BUSY")] {
        for chunk in all.chunks(1000) {
            let body = json!({"action": "GET", "jobIds": chunk});
            // Each data center knows the first id of the chunk.
            let reply = json!({"reports": [report(chunk[0].as_str(), status)]});
            Mock::given(method("POST"))
                .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
                .and(header("content-type", "application/json"))
                .and(body_json(&body))
                .respond_with(ok_json(&reply))
                .expect(1)
                .mount(&server)
                .await;
        }
    }
    let r = common::client(&server).reports().bulk_get(&all).await.unwrap();
    // Two chunks, both data centers answered for each id: merged to one report per job, DC1's first.
    assert_eq!(r.items.len(), 2);
    assert!(r.items.iter().all(|i| i.recipient_status[0].status == RecipientStatus::Ok));
}

#[tokio::test]
async fn bulk_delete_keeps_the_data_center_that_deleted() {
    let server = common::server().await;
    let body = json!({"action": "DELETE", "jobIds": ["A", "B"]});
    Mock::given(method("POST"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .and(body_json(&body))
        .respond_with(ok_json(&json!({"reports": [
            {"jobId": "A", "deleted": true}, {"jobId": "B", "deleted": false, "reason": "NOT_FOUND"}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .and(body_json(&body))
        .respond_with(ok_json(&json!({"reports": [
            {"jobId": "A", "deleted": false, "reason": "NOT_FOUND"}, {"jobId": "B", "deleted": true}]})))
        .expect(1)
        .mount(&server)
        .await;
    let r = common::client(&server).reports().bulk_delete(&[JobId::from("A"), JobId::from("B")]).await.unwrap();
    assert_eq!(r.items.len(), 2);
    assert!(r.items.iter().all(|i| i.is_deleted()));
    assert_eq!(r.items[1].data_center.as_ref().map(|d| d.name()), Some("DC2"));
}

#[tokio::test]
async fn bulk_with_no_ids_makes_no_call() {
    let server = common::server().await;
    let r = common::client(&server).reports().bulk_get(&[]).await.unwrap();
    assert!(r.items.is_empty());
}

#[tokio::test]
async fn drain_pages_past_the_window_by_deleting_what_was_handed_over() {
    let server = common::server().await;
    // DC1: first page has F1 (final) and P1 (pending), after deleting F1 only P1 remains → DC1 done.
    let pages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let p = pages.clone();
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .respond_with(move |_: &Request| {
            let n = p.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let reports = if n == 0 {
                json!([report("F1", "OK"), report("P1", "PENDING")])
            } else {
                json!([report("P1", "PENDING")])
            };
            ok_json(&json!({"reports": reports}))
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .and(body_json(json!({"action": "DELETE", "jobIds": ["F1"]})))
        .respond_with(ok_json(&json!({"reports": [{"jobId": "F1", "deleted": true}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(ok_json(&json!({"reports": []})))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = common::client(&server).reports().drain().collect().await;
    assert!(matches!(&got[..], [Drained::Report(r)] if r.job_id.as_str() == "F1"), "{got:?}");
}

#[tokio::test]
async fn drain_skips_a_report_that_cannot_be_deleted_and_reports_it() {
    let server = common::server().await;
    // DC1 keeps listing U1 (final) because its delete fails; F1 and F2 are deleted. Before issue 21 the drain
    // handed U1 over on every page, for ever.
    let pages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let p = pages.clone();
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .respond_with(move |_: &Request| {
            let n = p.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let reports = match n {
                0 => json!([report("U1", "OK"), report("F1", "OK")]),
                1 => json!([report("U1", "OK"), report("F2", "BUSY")]),
                _ => json!([report("U1", "OK")]),
            };
            ok_json(&json!({"reports": reports}))
        })
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .and(body_json(json!({"action": "DELETE", "jobIds": ["U1", "F1"]})))
        .respond_with(ok_json(&json!({"reports": [
            {"jobId": "U1", "deleted": false, "reason": "INTERNAL_ERROR"}, {"jobId": "F1", "deleted": true}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .and(body_json(json!({"action": "DELETE", "jobIds": ["F2"]})))
        .respond_with(ok_json(&json!({"reports": [{"jobId": "F2", "deleted": true}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(ok_json(&json!({"reports": []})))
        .expect(1)
        .mount(&server)
        .await;
    let drain = common::client(&server).reports().drain();
    let got: Vec<_> = tokio::time::timeout(std::time::Duration::from_secs(10), drain.take(20).collect::<Vec<_>>())
        .await
        .expect("the drain ends");
    let reports: Vec<_> =
        got.iter().filter_map(|d| if let Drained::Report(r) = d { Some(r.job_id.as_str()) } else { None }).collect();
    assert_eq!(reports, ["U1", "F1", "F2"], "U1 is handed over once: {got:?}");
    let not_deleted: Vec<_> =
        got.iter().filter_map(|d| if let Drained::NotDeleted(n) = d { Some(n) } else { None }).collect();
    assert_eq!(not_deleted.len(), 1, "{got:?}");
    assert_eq!(not_deleted[0].job_id.as_str(), "U1");
    assert_eq!(not_deleted[0].data_center.name(), "DC1");
    assert_eq!(not_deleted[0].reason, Some(DeleteReason::InternalError));
}

#[tokio::test]
async fn drain_goes_on_after_a_data_center_fails_and_reports_it() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let pages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let p = pages.clone();
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .respond_with(move |_: &Request| {
            let n = p.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let reports = if n == 0 { json!([report("F9", "OK")]) } else { json!([]) };
            ok_json(&json!({"reports": reports}))
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports"))
        .and(body_json(json!({"action": "DELETE", "jobIds": ["F9"]})))
        .respond_with(ok_json(&json!({"reports": [{"jobId": "F9", "deleted": true}]})))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = common::client(&server).reports().drain().collect().await;
    assert!(
        matches!(&got[..], [Drained::DataCenterFailed(f), Drained::Report(r)]
            if f.data_center.name() == "DC1" && f.error.status() == Some(503) && r.job_id.as_str() == "F9"),
        "{got:?}"
    );
}

#[tokio::test]
async fn dot_segments_never_reach_the_wire() {
    let server = common::server().await;
    let client = common::client(&server);
    for id in ["..", ".", ""] {
        let err = client.reports().delete(&JobId::from(id)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{id:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A client that retries (twice, quickly): the test client retries nothing.
fn retrying_client(server: &wiremock::MockServer) -> retarus_fax::Client {
    let retry = faxkit::RetryConfig {
        max_retries: 2,
        initial_backoff: std::time::Duration::from_millis(1),
        ..faxkit::RetryConfig::default()
    };
    common::builder(server).http(faxkit::HttpConfig::default().retry(retry)).build().unwrap()
}

/// Answers `first` once, then 200 with `body`.
fn once_then_ok(first: u16, body: Value) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    move |_: &Request| {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            ResponseTemplate::new(first)
        } else {
            ok_json(&body)
        }
    }
}

#[tokio::test]
async fn report_reads_are_retried_on_500_and_520() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/dc1/rest/v1/99999TE/fax/reports/FJ1"))
        .respond_with(once_then_ok(500, report("FJ1", "OK")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dc2/rest/v1/99999TE/fax/reports/FJ1"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    for dc in ["dc1", "dc2"] {
        Mock::given(method("GET"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
            .respond_with(once_then_ok(520, json!({"reports": [report(&format!("L-{dc}"), "OK")]})))
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
            .and(body_json(json!({"action": "GET", "jobIds": ["B1"]})))
            .respond_with(once_then_ok(500, json!({"reports": [report("B1", "OK")]})))
            .expect(2)
            .mount(&server)
            .await;
    }
    let client = retrying_client(&server);
    assert_eq!(client.reports().get(&JobId::from("FJ1")).await.unwrap().job_id.as_str(), "FJ1");
    let list = client.reports().list().await.unwrap();
    assert!(list.is_complete() && list.items.len() == 2, "{list:?}");
    let bulk = client.reports().bulk_get(&[JobId::from("B1")]).await.unwrap();
    assert!(bulk.is_complete() && bulk.items.len() == 1, "{bulk:?}");
}

#[tokio::test]
async fn deletes_are_not_retried_on_500() {
    let server = common::server().await;
    for dc in ["dc1", "dc2"] {
        Mock::given(method("DELETE"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports/FJ1")))
            .respond_with(ResponseTemplate::new(500))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/{dc}/rest/v1/99999TE/fax/reports")))
            .and(body_json(json!({"action": "DELETE", "jobIds": ["B1"]})))
            .respond_with(ResponseTemplate::new(520))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = retrying_client(&server);
    assert_eq!(client.reports().delete(&JobId::from("FJ1")).await.unwrap_err().status(), Some(500));
    assert_eq!(client.reports().bulk_delete(&[JobId::from("B1")]).await.unwrap_err().status(), Some(520));
}
