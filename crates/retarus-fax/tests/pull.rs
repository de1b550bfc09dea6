#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire tests of Fax2WSPull: fetch/ack query, next/exit links, document download.

mod common;

use std::time::Duration;

use faxkit::{ErrorKind, FaxService, InboundQuery};
use retarus_fax::InboundJobId;
use retarus_fax::model::jobs::Resolution;
use retarus_fax::model::pull::{ArchivingStatus, FetchResponse};
use serde_json::{Value, json};
use wiremock::matchers::{body_bytes, header, method, path, path_regex, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

const FETCH: &str = include_str!("fixtures/fetch_response.json");

/// The recorded answer with its links pointed at the mock server.
fn fetch_body(base: &str) -> String {
    FETCH.replace("https://api.us1.retarus.com", base)
}

#[test]
fn recorded_fetch_answer_parses_with_every_field() {
    let r: FetchResponse = serde_json::from_str(FETCH).unwrap();
    assert_eq!(r.meta.version, Some(1));
    assert_eq!(r.meta.result_size, Some(2));
    assert_eq!(r.meta.topic.as_deref(), Some("abc123"));
    assert_eq!(r.meta.parameters, Some(json!({})));
    let j = &r.results[0];
    assert_eq!(j.id.as_str(), "29");
    assert_eq!(j.call_id.as_deref(), Some("J5WA4IAA@BXATD0S.glagqaseq108.DC2"));
    assert_eq!(j.cost_center.as_deref(), Some("my billing code"));
    assert_eq!(j.date_received.as_ref().unwrap().utc.to_string(), "2023-08-03T10:09:43Z");
    assert_eq!(j.date_received.as_ref().unwrap().raw, "2023-08-03T12:09:43+0200");
    assert_eq!(j.total_duration, Some(82));
    assert_eq!(j.sender_isdn.as_deref(), Some("00498912345678"));
    assert_eq!(j.sender_fax_id.as_deref(), Some("Retarus/Doe"));
    assert_eq!(j.receiver_isdn.as_deref(), Some("+4989262080440"));
    assert_eq!(j.receiver_fax_id.as_deref(), Some("Retarus Faxolution"));
    assert_eq!(j.fax_resolution, Some(Resolution::High));
    assert_eq!(j.fax_baud_rate, Some(33600));
    assert_eq!(j.fax_page_count, Some(1));
    assert_eq!(j.fax_classic_status.as_deref(), Some("OK"));
    assert_eq!(j.fax_numeric_status.as_deref(), Some("2.0.0"));
    assert_eq!(j.archiving_status, Some(ArchivingStatus::Succeeded));
    assert_eq!(j.archive_expiry_date().unwrap().to_string(), "2023-08-10");
    let (id, ext) = j.documents[0].file_id_and_extension().unwrap();
    assert_eq!((id.as_str(), ext.as_str()), ("J5WA4IAA@BXATD0S.glagqaseq108.DC2", "pdf"));
    let k = &r.results[1];
    assert_eq!(k.fax_page_count, Some(3), "numeric strings are accepted");
    assert_eq!(k.extra.get("someFutureField"), Some(&json!(true)));
    assert_eq!(k.documents[0].extra.get("size"), Some(&json!(1234)));
}

#[test]
fn an_odd_date_does_not_fail_the_batch() {
    let body = r#"{"meta":{},"results":[{"id":"1","dateReceived":"yesterday"}]}"#;
    let r: FetchResponse = serde_json::from_str(body).unwrap();
    assert_eq!(r.results[0].date_received, None);
}

#[test]
fn the_documented_placeholder_answer_without_ids_is_an_error() {
    let doc =
        r#"{ "meta": { "version": 1, "topic": "abc123", "resultSize": 2, "parameters": {} }, "results": [ {}, {} ] }"#;
    assert!(serde_json::from_str::<FetchResponse>(doc).is_err(), "a job without id could never be acknowledged");
}

#[tokio::test]
async fn fetch_sends_fetch_timeout_and_ids_encoded_once() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(query_param("fetch", "5"))
        .and(query_param("timeout", "120"))
        .and(query_param("ids", "29,30,K3@J7.x"))
        .and(header("authorization", common::PULL_AUTH))
        .and(body_bytes(Vec::new()))
        .and(|req: &Request| req.url.query() == Some("fetch=5&timeout=120&ids=29%2C30%2CK3%40J7.x"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(fetch_body(&server.uri()), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let topic = common::client(&server).topic("abc123");
    let ids = ["29", "30", "K3@J7.x"].map(InboundJobId::from);
    let r = topic.fetch(5).ack(ids).lock(Duration::from_secs(120)).send().await.unwrap();
    assert_eq!(r.ids(), ["29", "30"].map(InboundJobId::from));
}

#[tokio::test]
async fn acknowledge_is_fetch_zero() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=0&timeout=60&ids=29"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    client.topic("abc123").acknowledge(&[InboundJobId::from("29")]).await.unwrap();
}

#[tokio::test]
async fn next_and_exit_follow_links_on_the_configured_host_only() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=10&timeout=60&ids=29%2C30"))
        .and(header("authorization", common::PULL_AUTH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=0&timeout=60&ids=29%2C30"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let topic = common::client(&server).topic("abc123");
    let local: FetchResponse = serde_json::from_str(&fetch_body(&server.uri())).unwrap();
    topic.next(&local).await.unwrap();
    topic.exit(&local).await.unwrap();
    let foreign: FetchResponse = serde_json::from_str(FETCH).unwrap();
    let err = topic.next(&foreign).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("api.us1.retarus.com"), "{err}");
    let empty: FetchResponse = serde_json::from_str(r#"{"meta":{},"results":[]}"#).unwrap();
    assert_eq!(topic.exit(&empty).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn download_uses_the_document_url_as_given_with_its_prefix_and_query() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/faxin/rest/v1/files/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf"))
        .and(header("authorization", common::PULL_AUTH))
        .and(|req: &Request| req.url.query().is_none())
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"%PDF-1.4 fax"[..], "application/pdf"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxin/rest/v1/t/abc123/files/K7QA1BBB@CYBUE1T.glagqaseq108.DC2.tif"))
        .and(header("authorization", common::PULL_AUTH))
        .and(|req: &Request| req.url.query() == Some("sig=a%2Bb&v=2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"II*\0"[..], "application/octet-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let r: FetchResponse = serde_json::from_str(&fetch_body(&server.uri())).unwrap();
    let d = client.download_inbound(&r.results[0].documents[0]).await.unwrap();
    assert_eq!(d.content_type, "application/pdf");
    assert_eq!(&d.bytes(1024).await.unwrap()[..], b"%PDF-1.4 fax");
    // A URL with a path prefix and a query: both kept, not rebuilt from the file name.
    let prefixed = FETCH.replace(
        "https://api.us1.retarus.com/faxin/rest/v1/files/K7QA1BBB@CYBUE1T.glagqaseq108.DC2.tif",
        &format!("{}/faxin/rest/v1/t/abc123/files/K7QA1BBB@CYBUE1T.glagqaseq108.DC2.tif?sig=a%2Bb&v=2", server.uri()),
    );
    let r: FetchResponse = serde_json::from_str(&prefixed).unwrap();
    let d = client.download_inbound(&r.results[1].documents[0]).await.unwrap();
    assert_eq!(d.content_type, "image/tiff", "the type comes from the extension when the server says octet-stream");
    assert_eq!(&d.bytes(16).await.unwrap()[..], b"II*\0");
}

#[tokio::test]
async fn download_refuses_a_document_url_on_another_host() {
    let server = common::server().await;
    let client = common::client(&server);
    // The recorded URL names api.us1.retarus.com, not the configured host: no request, no credentials sent.
    let r: FetchResponse = serde_json::from_str(FETCH).unwrap();
    let err = client.download_inbound(&r.results[0].documents[0]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("api.us1.retarus.com"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn service_download_uses_the_listed_document_url() {
    let server = common::server().await;
    let body = FETCH
        .replace("https://api.us1.retarus.com/faxin/rest/v1/files/", &format!("{}/faxin/rest/v1/dl/", server.uri()));
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxin/rest/v1/dl/K7QA1BBB@CYBUE1T.glagqaseq108.DC2.tif"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"II*\0"[..], "image/tiff"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let list = client.list_inbound(&InboundQuery::default().limit(2)).await.unwrap();
    let d = client.download(&list[1].id, faxkit::Direction::Inbound).await.unwrap();
    assert_eq!(&d.bytes(16).await.unwrap()[..], b"II*\0");
}

#[tokio::test]
async fn service_lists_without_ack_downloads_first_document_and_acknowledges() {
    let server = common::server().await;
    let body: Value = serde_json::from_str(&fetch_body(&server.uri())).unwrap();
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=2&timeout=60"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxin/rest/v1/files/K7QA1BBB@CYBUE1T.glagqaseq108.DC2.tif"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"II*\0"[..], "image/tiff"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=0&timeout=60&ids=30"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let list = client.list_inbound(&InboundQuery::default().limit(2)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].from.as_deref(), Some("00498912345678"));
    assert_eq!(list[0].pages, Some(1));
    let d = client.download(&list[1].id, faxkit::Direction::Inbound).await.unwrap();
    assert_eq!(&d.bytes(16).await.unwrap()[..], b"II*\0");
    client.acknowledge(&list[1].id).await.unwrap();
    let err = client.download(&faxkit::FaxId::new("999"), faxkit::Direction::Inbound).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn wrong_pull_password_is_an_auth_error() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).topic("abc123").fetch(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn a_separate_pull_password_goes_to_the_pull_api_only() {
    let server = common::server().await;
    // `99999TE:pull-only`
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .and(header("authorization", "Basic OTk5OTlURTpwdWxsLW9ubHk="))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    // The fax API keeps the Fax4A login, in every data center.
    Mock::given(method("GET"))
        .and(path_regex("^/dc[12]/rest/v1/99999TE/fax/reports/J1$"))
        .and(header("authorization", common::FAX4A_AUTH))
        .respond_with(ResponseTemplate::new(404))
        .expect(2)
        .mount(&server)
        .await;
    let client = common::builder(&server).pull_password("pull-only").build().unwrap();
    client.topic("abc123").fetch(1).send().await.unwrap();
    let err = client.reports().get(&"J1".into()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "both data centers answered 404 to the Fax4A login: {err:?}");
}

/// Two data centers whose Fax2WSPull hosts differ (as DE1/DE2 do), both on the mock server.
fn two_pull_hosts(server: &wiremock::MockServer) -> retarus_fax::Region {
    let base = server.uri();
    retarus_fax::Region::Custom(retarus_fax::CustomRegion::new(
        format!("{base}/ha/rest/v1/"),
        vec![
            retarus_fax::DataCenter::custom("DC1", format!("{base}/dc1/rest/v1/"), format!("{base}/p1/faxin/rest/v1/")),
            retarus_fax::DataCenter::custom("DC2", format!("{base}/dc2/rest/v1/"), format!("{base}/p2/faxin/rest/v1/")),
        ],
    ))
}

#[tokio::test]
async fn the_pull_data_center_is_never_guessed() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/p2/faxin/rest/v1/topics/abc123"))
        .and(|req: &Request| req.url.query() == Some("fetch=1&timeout=60"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    // No pull data center: the first of the region is not assumed, and nothing is sent.
    let client = common::builder(&server).region(two_pull_hosts(&server)).build().unwrap();
    assert_eq!(client.pull_data_center(), None);
    let err = client.topic("abc123").fetch(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("RETARUS_PULL_DATA_CENTER"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty(), "no request to a guessed data center");
    // Named: the fetch goes to that data center's pull host.
    let dc2 = client.region().data_centers()[1].clone();
    let client = common::builder(&server).region(two_pull_hosts(&server)).pull_data_center(dc2).build().unwrap();
    client.topic("abc123").fetch(1).send().await.unwrap();
}
