//! `GET /received_faxes`, `GET /fax_services/{id}/received_faxes`, `GET /received_faxes/{id}/content.pdf`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::ErrorKind;
use futures::{StreamExt, TryStreamExt};
use jiff::Timestamp;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

#[test]
fn fixture_parses() {
    let page: fax2::model::ReceivedFaxesPage =
        serde_json::from_str(include_str!("fixtures/received_faxes.json")).unwrap();
    assert_eq!(page.data.len(), 2);
    let fax = &page.data[0];
    assert_eq!(fax.id.as_str(), "10492");
    assert_eq!(fax.to, "61281234567");
    assert_eq!(fax.to_number().unwrap().e164(), "+61281234567");
    assert_eq!(fax.received_at.to_string(), "2021-03-10T02:21:20Z");
    assert_eq!(fax.service_id.as_str(), "2201");
    assert_eq!(fax.pages, 3);
    assert!(page.next_page_url.unwrap().contains("continue_from=10488"));
}

#[tokio::test]
async fn list_sends_every_query_parameter() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("limit", "1000"))
        .and(query_param("from_time", "2021-03-10T02:21:20Z"))
        .and(query_param("before_time", "2021-03-11T00:00:00Z"))
        .and(query_param("continue_from", "abc"))
        .respond_with(json(r#"{"data":[],"api_minor_version":2,"new_top_level":{"x":1}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let from: Timestamp = "2021-03-10T13:21:20.750+11:00".parse().unwrap(); // fractional seconds dropped
    let page = client(&server)
        .received_faxes()
        .list()
        .limit(1000)
        .from_time(from)
        .before_time("2021-03-11T00:00:00Z".parse::<Timestamp>().unwrap())
        .continue_from("abc".to_owned())
        .send()
        .await
        .unwrap();
    assert!(page.data.is_empty());
    assert!(page.next_page_url.is_none());
}

#[tokio::test]
async fn list_without_options_sends_no_query() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param_is_missing("limit"))
        .and(query_param_is_missing("from_time"))
        .respond_with(json(include_str!("fixtures/received_faxes.json").replace("\"next_page_url\"", "\"x\"").as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server).received_faxes().list().send().await.unwrap();
    assert_eq!(page.data.len(), 2);
}

#[tokio::test]
async fn service_variant_uses_the_service_path() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services/2201/received_faxes"))
        .and(bearer())
        .and(query_param("limit", "5"))
        .respond_with(json(r#"{"data":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).received_faxes().list().service(fax2::ServiceId::new("2201")).limit(5).send().await.unwrap();
}

#[tokio::test]
async fn limit_outside_range_is_refused_before_any_request() {
    let server = server().await;
    let client = client(&server);
    for limit in [0, 1001] {
        let err = client.received_faxes().list().limit(limit).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn stream_follows_next_page_url_with_the_token() {
    let server = server().await;
    mount_token(&server).await;
    let page1 = format!(
        r#"{{"data":[{{"id":"3","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"1","pages":1}}],
            "next_page_url":"{}/v1/received_faxes?limit=1&continue_from=p2"}}"#,
        server.uri()
    );
    let page2 =
        r#"{"data":[{"id":"1","to":"61281234567","received_at":"2021-03-10T02:20:00Z","service_id":"1","pages":2}]}"#;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("continue_from", "p2"))
        .respond_with(json(page2))
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("limit", "1"))
        .and(query_param_is_missing("continue_from"))
        .respond_with(json(&page1))
        .expect(1)
        .mount(&server)
        .await;
    let faxes: Vec<fax2::ReceivedFax> =
        client(&server).received_faxes().list().limit(1).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = faxes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["3", "1"]);
}

#[tokio::test]
async fn next_page_url_to_another_host_is_refused() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .respond_with(json(
            r#"{"data":[{"id":"3","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"1","pages":1}],
                "next_page_url":"https://evil.example.net/v1/received_faxes?continue_from=x"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let result: faxkit::Result<Vec<fax2::ReceivedFax>> =
        client(&server).received_faxes().list().stream().try_collect().await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("evil.example.net"));
    let next = client(&server).received_faxes().next_page("https://evil.example.net/v1/received_faxes").await;
    assert_eq!(next.unwrap_err().kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn content_pdf_is_streamed_with_the_token() {
    let server = server().await;
    mount_token(&server).await;
    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nendobj\n%%EOF".to_vec();
    let ok = ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf");
    content_pdf("10492").and(bearer()).respond_with(ok).expect(1).mount(&server).await;
    let download = client(&server).received_faxes().content(&fax2::ReceivedFaxId::new("10492")).await.unwrap();
    assert_eq!(download.content_type, "application/pdf");
    assert_eq!(download.len, Some(pdf.len() as u64));
    assert_eq!(download.bytes(1 << 20).await.unwrap(), pdf);
}

#[tokio::test]
async fn content_pdf_after_a_401_refreshes_the_token_once_and_streams() {
    let server = server().await;
    mount_stale_then_fresh_token(&server).await;
    let stale = header("authorization", "bearer old-token");
    content_pdf("10492").and(stale).respond_with(refusal("unauthorized")).expect(1).mount(&server).await;
    let pdf = b"%PDF-1.4\n%%EOF".to_vec();
    let ok = ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf");
    content_pdf("10492").and(bearer()).respond_with(ok).expect(1).mount(&server).await;
    let download = client(&server).received_faxes().content(&fax2::ReceivedFaxId::new("10492")).await.unwrap();
    assert_eq!(download.bytes(1 << 20).await.unwrap(), pdf);
}

#[tokio::test]
async fn content_pdf_refused_as_invalid_client_is_not_repeated() {
    let server = server().await;
    mount_token(&server).await;
    content_pdf("10492").respond_with(refusal("invalid_client")).expect(1).mount(&server).await;
    let err = client(&server).received_faxes().content(&fax2::ReceivedFaxId::new("10492")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("invalid_client"), "{err}");
}

#[tokio::test]
async fn ids_are_percent_encoded_in_paths() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes/a%2Fb/content.pdf"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            br#"{"error":"not_found","error_description":"No such fax","more_info":"https://www.fax2.com.au/api/doc#error"}"#
                .to_vec(),
            JSON,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).received_faxes().content(&fax2::ReceivedFaxId::new("a/b")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_next_page_url_seen_before_ends_the_listing_with_a_decode_error() {
    let server = server().await;
    mount_token(&server).await;
    // Page p1 links to p2, p2 links back to p1: the old stream looped for ever.
    for (at, next) in [("p1", "p2"), ("p2", "p1")] {
        let page = format!(
            r#"{{"data":[{{"id":"{at}","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"1","pages":1}}],
                "next_page_url":"{}/v1/received_faxes?continue_from={next}"}}"#,
            server.uri()
        );
        Mock::given(method("GET"))
            .and(path("/v1/received_faxes"))
            .and(query_param("continue_from", at))
            .respond_with(json(&page))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    let first = format!(r#"{{"data":[],"next_page_url":"{}/v1/received_faxes?continue_from=p1"}}"#, server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(query_param_is_missing("continue_from"))
        .respond_with(json(&first))
        .mount(&server)
        .await;
    let items: Vec<faxkit::Result<fax2::ReceivedFax>> =
        client(&server).received_faxes().list().stream().take(20).collect().await;
    let ids: Vec<&str> = items.iter().filter_map(|r| r.as_ref().ok()).map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["p1", "p2"], "an empty first page with a next link continues; p1 is not listed twice");
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.to_string().contains("seen before"), "{err}");
}

#[tokio::test]
async fn before_time_is_rounded_up_and_from_time_down_to_whole_seconds() {
    // Fax2 permits no fractional seconds; `before_time` is exclusive, so rounding it down would skip a fax
    // received in the last fraction of the second. It is rounded up; `from_time` (inclusive) down.
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("from_time", "2021-03-10T02:21:20Z"))
        .and(query_param("before_time", "2021-03-10T02:21:21Z"))
        .and(query_param_is_missing("limit"))
        .and(query_param_is_missing("continue_from"))
        .respond_with(json(r#"{"data":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    let t: Timestamp = "2021-03-10T02:21:20.250Z".parse().unwrap();
    client(&server).received_faxes().list().from_time(t).before_time(t).send().await.unwrap();
}

#[tokio::test]
async fn next_page_url_on_the_vendor_host_is_followed_through_the_configured_base_url() {
    // A proxy in front of Fax2: the vendor writes its own absolute URL, which is mapped onto the base URL.
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("continue_from", "p2"))
        .and(query_param("limit", "1"))
        .respond_with(json(
            r#"{"data":[{"id":"1","to":"61281234567","received_at":"2021-03-10T02:20:00Z","service_id":"1","pages":2}]}"#,
        ))
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/received_faxes"))
        .and(bearer())
        .and(query_param("limit", "1"))
        .and(query_param_is_missing("continue_from"))
        .respond_with(json(
            r#"{"data":[{"id":"3","to":"61281234567","received_at":"2021-03-10T02:21:20Z","service_id":"1","pages":1}],
                "next_page_url":"https://api.fax2.com.au/v1/received_faxes?limit=1&continue_from=p2"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let faxes: Vec<fax2::ReceivedFax> = client.received_faxes().list().limit(1).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = faxes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["3", "1"]);
    let page = client
        .received_faxes()
        .next_page("https://api.fax2.com.au/v1/received_faxes?limit=1&continue_from=p2")
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    // Still refused: another host, and the vendor's host over plain http.
    for url in ["https://evil.example.net/v1/received_faxes", "http://api.fax2.com.au/v1/received_faxes"] {
        assert_eq!(client.received_faxes().next_page(url).await.unwrap_err().kind(), ErrorKind::Decode, "{url}");
    }
}
