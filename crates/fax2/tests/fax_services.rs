//! `GET /fax_services`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use wiremock::Mock;
use wiremock::matchers::{method, path};

#[tokio::test]
async fn lists_services_from_the_fixture() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .and(bearer())
        .respond_with(json(include_str!("fixtures/fax_services.json")))
        .expect(1)
        .mount(&server)
        .await;
    let services = client(&server).fax_services().list().await.unwrap();
    assert_eq!(services.len(), 2);
    assert_eq!(services[0].id.as_str(), "2201");
    assert_eq!(services[1].number().unwrap().e164(), "+61390001234");
}

#[tokio::test]
async fn a_server_error_body_is_a_typed_vendor_error() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .respond_with(wiremock::ResponseTemplate::new(500).set_body_raw(
            br#"{"error":"unknown_error","error_description":"Something broke","more_info":"https://www.fax2.com.au/api/doc#error"}"#.to_vec(),
            JSON,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).fax_services().list().await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Vendor);
    let detail = err.vendor_detail::<fax2::ApiError>().unwrap();
    assert_eq!(detail.error, fax2::ErrorCode::UnknownError);
    assert_eq!(detail.more_info.as_deref(), Some("https://www.fax2.com.au/api/doc#error"));
}

#[tokio::test]
async fn an_error_body_with_status_200_is_still_an_error() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .respond_with(json(r#"{"error":"bad_parameter","error_description":"unknown parameter"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).fax_services().list().await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("bad_parameter"));
}
