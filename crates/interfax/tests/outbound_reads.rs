//! Wire tests for reading outbound faxes: list, completed, get, image, cancel/hide/resend, `/outbound/search`,
//! `wait_for_completion` and the poll limit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use faxkit::{Document, ErrorKind, FaxNumber, RetryConfig};
use futures::{StreamExt, TryStreamExt};
use interfax::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const FULL: &str = include_str!("fixtures/outbound_fax_full.json");
const COMPLETED: &str = include_str!("fixtures/outbound_completed.json");
const NOT_FOUND: &str = include_str!("fixtures/error_fax_not_found.json");

fn number() -> FaxNumber {
    FaxNumber::parse("+1 212 555 0100").unwrap()
}

#[tokio::test]
async fn list_pages_by_last_id() {
    let (server, client) = setup().await;
    let page1 = r#"[{"id":30,"status":0},{"id":20,"status":-2}]"#;
    let page2 = r#"[{"id":10,"status":5}]"#;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("limit", "2"), ("sortOrder", "desc"), ("userId", "bob")]))
        .and(auth())
        .respond_with(text_json(page1))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("limit", "2"), ("lastId", "20"), ("sortOrder", "desc"), ("userId", "bob")]))
        .respond_with(text_json(page2))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<OutboundFax> = client
        .outbound()
        .list()
        .limit(2)
        .sort_order(SortOrder::Desc)
        .user_id("bob".to_owned())
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|f| f.id.get()).collect();
    assert_eq!(ids, vec![30, 20, 10]);
    assert_eq!(all[2].status.class(), StatusClass::Failed);
}

#[tokio::test]
async fn completed_sends_ids_as_one_comma_list_and_parses_summary() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "667915751,131201409296898")]))
        .and(auth())
        .respond_with(text_json(COMPLETED))
        .expect(1)
        .mount(&server)
        .await;
    let done = client.outbound().completed([OutboundFaxId(667915751), OutboundFaxId(131201409296898)]).await.unwrap();
    assert_eq!(done.len(), 1);
    let f = &done[0];
    assert_eq!(f.status, FaxStatusCode::OK);
    assert_eq!(f.submit_time, None);
    assert_eq!(f.cost().unwrap(), "0.15".parse().unwrap());
    assert!(client.outbound().completed([]).await.unwrap().is_empty());
}

#[tokio::test]
async fn get_parses_the_recorded_record() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(FULL))
        .expect(1)
        .mount(&server)
        .await;
    let f = client.outbound().get(OutboundFaxId(667915751)).await.unwrap();
    assert_eq!(f.id, OutboundFaxId(667915751));
    assert_eq!(f.uri.as_deref(), Some("https://rest.interfax.net/outbound/faxes/667915751"));
    assert_eq!(f.status.class(), StatusClass::Success);
    assert_eq!(f.submit_time.as_ref().unwrap().utc.to_string(), "2016-10-03T00:36:41Z");
    assert_eq!(f.submit_time.as_ref().unwrap().raw, "2016-10-03T00:36:41");
    assert_eq!(f.completion_time.as_ref().unwrap().utc.to_string(), "2016-10-03T00:36:36Z");
    assert_eq!(f.contact, None);
    assert_eq!(f.destination_fax.as_deref(), Some("00442084978672"));
    assert_eq!(f.reply_email.as_deref(), Some(""));
    assert_eq!(f.pages_submitted, Some(1));
    assert_eq!(f.sender_csid.as_deref(), Some("Interfax"));
    assert_eq!(f.remote_csid.as_deref(), Some("Interfax"));
    assert_eq!(f.attempts_to_perform, Some(4));
    assert_eq!(f.page_size, Some(PageSize::A4));
    assert_eq!(f.page_resolution, Some(Resolution::Standard));
    assert_eq!(f.resolution, Some(Resolution::Standard));
    assert_eq!(f.page_orientation, Some(PageOrientation::Portrait));
    assert_eq!(f.rendering, Some(RenderingQuality::Fine));
    assert_eq!(f.page_header.as_deref(), Some("0"));
    assert_eq!(f.user_id.as_deref(), Some("devexp-java"));
    assert_eq!(f.units.as_ref().unwrap().to_string(), "1.00");
    assert_eq!(f.cost_per_unit.as_ref().unwrap().to_string(), "0.1500");
    assert_eq!(f.duration.as_ref().unwrap().to_string(), "41");
    assert_eq!((f.priority, f.attempts_made, f.pages_sent), (Some(2), Some(1), Some(1)));
    let neutral = faxkit::FaxStatus::from(&f);
    assert_eq!(neutral.status, faxkit::DeliveryStatus::Delivered);
    assert_eq!(neutral.raw_status, "0");
}

#[tokio::test]
async fn json_is_read_whatever_its_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(FULL.as_bytes().to_vec(), "application/json; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.outbound().get(OutboundFaxId(667915751)).await.unwrap().status.0, 0);
}

#[tokio::test]
async fn unknown_fax_is_not_found() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/1234"))
        .respond_with(api_error(404, NOT_FOUND))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().get(OutboundFaxId(1234)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("-1005"), "{err}");
}

#[tokio::test]
async fn image_streams_with_its_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751/image"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"II*\0tiffdata".to_vec(), "image/tiff"))
        .expect(1)
        .mount(&server)
        .await;
    let img = client.outbound().image(OutboundFaxId(667915751)).await.unwrap();
    assert_eq!(ImageFormat::from_content_type(&img.content_type), ImageFormat::Tiff);
    assert_eq!(&img.bytes(1024).await.unwrap()[..], b"II*\0tiffdata");
}

#[tokio::test]
async fn cancel_hide_and_resend() {
    let (server, client) = setup().await;
    for op in ["cancel", "hide"] {
        Mock::given(method("POST"))
            .and(path(format!("/outbound/faxes/667915751/{op}")))
            .and(exact_query(&[]))
            .and(auth())
            .and(header("content-length", "0"))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/outbound/faxes/667915471/resend"))
        .and(exact_query(&[("faxNumber", "+442084978672")]))
        .and(auth())
        .respond_with(created("https://rest.interfax.net/outbound/faxes/667915999"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes/667915471/resend"))
        .and(exact_query(&[]))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/667916000"))
        .expect(1)
        .mount(&server)
        .await;
    let out = client.outbound();
    out.cancel(OutboundFaxId(667915751)).await.unwrap();
    out.hide(OutboundFaxId(667915751)).await.unwrap();
    let new = out
        .resend(OutboundFaxId(667915471))
        .fax_number(FaxNumber::parse("+44 20 8497 8672").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(new, OutboundFaxId(667915999));
    assert_eq!(out.resend(OutboundFaxId(667915471)).send().await.unwrap(), OutboundFaxId(667916000));
}

#[tokio::test]
async fn search_sends_every_filter_and_pages_by_offset() {
    let (server, client) = setup().await;
    let base = [
        ("ids", "1,2"),
        ("reference", "INV-42"),
        ("dateFrom", "2016-10-01T00:00:00+00:00"),
        ("dateTo", "2016-10-31T00:00:00+00:00"),
        ("status", "Failed"),
        ("userId", "bob"),
        ("faxNumber", "+12125550100"),
        ("sortOrder", "asc"),
        ("limit", "1"),
    ];
    let with = |offset: &'static str| {
        let mut v = base.to_vec();
        v.push(("offset", offset));
        exact_query(&v)
    };
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(with("0"))
        .and(auth())
        .respond_with(text_json(r#"[{"id":1,"status":3}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(with("1"))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(exact_query(&[("status", "-2")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let found: Vec<OutboundFax> = client
        .outbound()
        .search()
        .ids([OutboundFaxId(1), OutboundFaxId(2)])
        .reference("INV-42")
        .date_from("2016-10-01T00:00:00Z".parse::<jiff::Timestamp>().unwrap())
        .date_to("2016-10-31T00:00:00Z".parse::<jiff::Timestamp>().unwrap())
        .status(StatusFamily::Failed)
        .user_id("bob")
        .fax_number(number())
        .sort_order(SortOrder::Asc)
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(client.outbound().search().status(FaxStatusCode::READY).send().await.unwrap().is_empty());
}

#[tokio::test]
async fn wait_for_completion_polls_completed_in_batches() {
    let (server, client) = setup().await;
    // First round: nothing complete. Second round: both.
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .respond_with(text_json("[]"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .respond_with(text_json(r#"[{"id":2,"status":0},{"id":1,"status":7}]"#))
        .expect(1)
        .mount(&server)
        .await;
    let done = client
        .outbound()
        .wait_for_completion([OutboundFaxId(1), OutboundFaxId(2)])
        .interval(Duration::ZERO)
        .send()
        .await
        .unwrap();
    let got: Vec<(i64, i32)> = done.iter().map(|f| (f.id.get(), f.status.0)).collect();
    assert_eq!(got, vec![(1, 7), (2, 0)]);
}

#[tokio::test]
async fn wait_for_completion_never_polls_a_fax_more_than_six_times_a_minute() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "5")]))
        .respond_with(text_json("[]"))
        .expect(6)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = client
        .outbound()
        .wait_for_completion([OutboundFaxId(5)])
        .interval(Duration::ZERO)
        .timeout(Duration::from_secs(3))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(3), "gave up early instead of overrunning the deadline");
}

#[tokio::test]
async fn wait_for_completion_splits_ids_into_batches() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .and(auth())
        .respond_with(text_json(r#"[{"id":1,"status":0},{"id":2,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "3")]))
        .respond_with(text_json(r#"[{"id":3,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    let done = client
        .outbound()
        .wait_for_completion([OutboundFaxId(1), OutboundFaxId(2), OutboundFaxId(3)])
        .batch_size(2)
        .interval(Duration::ZERO)
        .send()
        .await
        .unwrap();
    assert_eq!(done.len(), 3);
}

#[tokio::test]
async fn a_server_answering_the_same_page_for_ever_ends_the_listing_with_a_decode_error() {
    let (server, client) = setup().await;
    // Whatever lastId is asked for, the same full page: the old stream asked for lastId=20 for ever.
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .respond_with(text_json(r#"[{"id":30,"status":0},{"id":20,"status":-2}]"#))
        .mount(&server)
        .await;
    let items: Vec<faxkit::Result<OutboundFax>> = client.outbound().list().limit(2).stream().take(50).collect().await;
    assert_eq!(items.len(), 5, "two pages, then the error");
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.to_string().contains("seen before"), "{err}");
}

#[tokio::test]
async fn search_sends_several_user_ids_as_one_comma_list() {
    // The reference documents `userId` as a "List of string".
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(exact_query(&[("userId", "alice,bob")]))
        .and(auth())
        .and(EmptyBody)
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let found = client.outbound().search().user_ids(["alice", "bob"]).send().await.unwrap();
    assert!(found.is_empty());
}

#[tokio::test]
async fn completed_with_many_ids_is_split_into_requests_of_50() {
    // 120 ids of 15 digits in one URL would pass InterFAX's 2,000-character limit.
    let (server, client) = setup().await;
    let ids: Vec<OutboundFaxId> = (0..120).map(|i| OutboundFaxId(131_201_409_296_000 + i)).collect();
    for chunk in ids.chunks(50) {
        let joined = chunk.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        let first = chunk[0].0;
        Mock::given(method("GET"))
            .and(path("/outbound/faxes/completed"))
            .and(exact_query(&[("ids", joined.as_str())]))
            .and(auth())
            .and(EmptyBody)
            .respond_with(text_json(&format!(r#"[{{"id":{first},"status":0}}]"#)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let done = client.outbound().completed(ids.iter().copied()).await.unwrap();
    let got: Vec<i64> = done.iter().map(|f| f.id.0).collect();
    assert_eq!(got, [131_201_409_296_000, 131_201_409_296_050, 131_201_409_296_100]);
}

#[tokio::test]
async fn too_many_data_requests_keeps_the_interfax_detail() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .respond_with(api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":"6 per minute"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().get(OutboundFaxId(5)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let detail = err.vendor_detail::<ApiError>().expect("the -1011 body is kept");
    assert_eq!((detail.code, detail.status), (ErrorCode::TOO_MANY_REQUESTS, 400));
    assert_eq!(detail.message, "Too many data requests");
    assert!(err.to_string().contains("Too many data requests"), "{err}");
}

fn poll_retry() -> RetryConfig {
    RetryConfig {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryConfig::default()
    }
}

#[tokio::test]
async fn opt_in_retry_repeats_status_reads_refused_with_1011() {
    let (server, _) = setup().await;
    let client = Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .http(faxkit::HttpConfig::default().retry(RetryConfig::none()))
        .retry_too_many_data_requests(poll_retry())
        .build()
        .unwrap();
    let too_many = || api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":null}"#);
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .and(EmptyBody)
        .respond_with(too_many())
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .respond_with(text_json(r#"{"id":5,"status":0}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "6")]))
        .respond_with(too_many())
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "6")]))
        .respond_with(text_json(r#"[{"id":6,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.outbound().get(OutboundFaxId(5)).await.unwrap().id, OutboundFaxId(5));
    assert_eq!(client.outbound().completed([OutboundFaxId(6)]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn without_the_opt_in_1011_is_not_retried_and_sends_never_are() {
    let (server, client) = setup().await;
    let too_many = || api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":null}"#);
    Mock::given(method("GET")).and(path("/outbound/faxes/5")).respond_with(too_many()).expect(1).mount(&server).await;
    assert_eq!(client.outbound().get(OutboundFaxId(5)).await.unwrap_err().kind(), ErrorKind::RateLimited);
    // With the opt-in, a send answered -1011 is still not repeated.
    let retrying = Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .http(faxkit::HttpConfig::default().retry(RetryConfig::none()))
        .retry_too_many_data_requests(poll_retry())
        .build()
        .unwrap();
    Mock::given(method("POST")).and(path("/outbound/faxes")).respond_with(too_many()).expect(1).mount(&server).await;
    let err = retrying.outbound().send_fax(number(), Document::from_bytes("x", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
}
