//! `POST /send_fax`: the form body, errors, no retries.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fax2::DocumentId;
use faxkit::{ErrorKind, FaxNumber};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn form_repeats_documents_and_sends_digits_without_plus() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/send_fax"))
        .and(bearer())
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("documents%5B%5D=d1&documents%5B%5D=d2&dest_number=61281234567"))
        .respond_with(json(include_str!("fixtures/send_fax.json")))
        .expect(1)
        .mount(&server)
        .await;
    let to = FaxNumber::parse_with_country("02 8123 4567", faxkit::CountryCode::new(61).unwrap()).unwrap();
    let sent =
        client(&server).send_fax(to, [DocumentId::new("d1")]).document(DocumentId::new("d2")).send().await.unwrap();
    assert_eq!(sent.id.as_str(), "88213");
    assert_eq!(sent.pages, 3);
}

#[tokio::test]
async fn insufficient_credit_is_a_typed_error() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/send_fax"))
        .respond_with(
            ResponseTemplate::new(400).set_body_raw(include_str!("fixtures/error.json").as_bytes().to_vec(), JSON),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send_fax(FaxNumber::parse("+61281234567").unwrap(), [DocumentId::new("d1")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor);
    assert_eq!(err.vendor_code(), Some("insufficient_credit"));
    let detail = err.vendor_detail::<fax2::ApiError>().unwrap();
    assert_eq!(detail.error, fax2::ErrorCode::InsufficientCredit);
    assert_eq!(detail.error_description, "English version of error");
}

#[tokio::test]
async fn send_is_never_retried() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/send_fax"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send_fax(FaxNumber::parse("+61281234567").unwrap(), [DocumentId::new("d1")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn send_without_documents_is_refused() {
    let server = server().await;
    let err = client(&server)
        .send_fax(FaxNumber::parse("+61281234567").unwrap(), Vec::<DocumentId>::new())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty());
}
