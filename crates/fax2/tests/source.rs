//! `ReceivedFaxesSource`, the inbound source over `received_faxes`: the window on the wire, late faxes,
//! the limit, no acknowledgement.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::*;
use faxkit::FaxService;
#[cfg(feature = "sandbox")]
use faxkit::InboundSource;
use wiremock::Mock;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};

#[tokio::test]
async fn the_second_poll_lists_from_the_latest_minus_five_minutes() {
    let server = server().await;
    mount_token(&server).await;
    // First poll: no window yet, every page (page size 1000).
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("limit", "1000"))
        .and(query_param_is_missing("from_time"))
        .respond_with(json(
            r#"{"data":[
            {"id":"10492","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"2201","pages":3},
            {"id":"10488","to":"61281234567","received_at":"2021-03-10T02:23:05Z","service_id":"2201","pages":1}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    // Second poll: from_time = 02:23:05 − 5 min.
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(query_param("limit", "1000"))
        .and(query_param("from_time", "2021-03-10T02:18:05Z"))
        .respond_with(json(
            r#"{"data":[
            {"id":"10488","to":"61281234567","received_at":"2021-03-10T02:23:05Z","service_id":"2201","pages":1},
            {"id":"10500","to":"61281234567","received_at":"2021-03-10T02:20:00Z","service_id":"2201","pages":2}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let source = Arc::new(client(&server)).inbound_source();
    assert!(!source.acknowledges());
    assert_eq!(source.name(), "fax2");
    let first = source.poll(50).await.unwrap();
    assert_eq!(first.iter().map(|i| i.fax.id.as_str()).collect::<Vec<_>>(), ["10492", "10488"]);
    assert!(first.iter().all(|i| i.handle.is_none() && i.locked_until.is_none()));
    // A fax that became visible late (02:20, before the latest 02:23:05) is inside the overlap.
    let second = source.poll(50).await.unwrap();
    assert_eq!(second.iter().map(|i| i.fax.id.as_str()).collect::<Vec<_>>(), ["10500", "10488"]);
}

#[cfg(feature = "sandbox")]
mod sandbox {
    use super::*;
    use bytes::Bytes;
    use jiff::{SignedDuration, Timestamp};

    fn ids(items: &[faxkit::InboundItem]) -> Vec<String> {
        items.iter().map(|i| i.fax.id.to_string()).collect()
    }

    #[tokio::test]
    async fn late_faxes_are_polled_and_old_ones_are_not_listed_again() {
        let sandbox = fax2::sandbox::Sandbox::start().await.unwrap();
        let now = Timestamp::now();
        let old =
            sandbox.inject_received_at(now - SignedDuration::from_hours(2), Bytes::from_static(b"%PDF old")).await;
        let recent =
            sandbox.inject_received_at(now - SignedDuration::from_mins(30), Bytes::from_static(b"%PDF r")).await;
        let source = sandbox.client().received_faxes().inbound_source();
        assert_eq!(ids(&source.poll(10).await.unwrap()), [old.to_string(), recent.to_string()]);
        let window = source.window_start().unwrap();
        let recent_at = Timestamp::from_second((now - SignedDuration::from_mins(30)).as_second()).unwrap();
        assert_eq!(window, recent_at - SignedDuration::from_mins(5));

        // A late fax 2 minutes before the latest, and a new one.
        let late = sandbox.inject_received_at(now - SignedDuration::from_mins(32), Bytes::from_static(b"%PDF l")).await;
        let new = sandbox.inject_received(Bytes::from_static(b"%PDF n")).await;
        let polled = ids(&source.poll(10).await.unwrap());
        assert_eq!(polled, [late.to_string(), recent.to_string(), new.to_string()], "the old fax is out of the window");
        let item = &source.poll(10).await.unwrap()[0];
        assert_eq!(source.acknowledge(item).await.unwrap_err().kind(), faxkit::ErrorKind::Unsupported);
    }

    #[tokio::test]
    async fn faxes_left_out_by_the_limit_come_in_the_next_poll() {
        let sandbox = fax2::sandbox::Sandbox::start().await.unwrap();
        let now = Timestamp::now();
        let mut injected = Vec::new();
        for h in [5, 4, 3] {
            let at = now - SignedDuration::from_hours(h);
            injected.push(sandbox.inject_received_at(at, Bytes::from(format!("%PDF {h}"))).await.to_string());
        }
        let source = sandbox.client().received_faxes().inbound_source();
        let mut seen = Vec::new();
        for _ in 0..3 {
            let items = source.poll(1).await.unwrap();
            assert_eq!(items.len(), 1);
            seen.extend(ids(&items));
        }
        assert_eq!(seen, injected, "oldest first, one per poll, none skipped");
    }
}
