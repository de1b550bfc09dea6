//! `GET /sent_faxes/{id}`: statuses and reasons as open enums.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fax2::{FailureReason, SentFaxStatus};
use faxkit::{DeliveryStatus, ErrorKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn get_reads_a_failed_fax() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/sent_faxes/88213"))
        .and(bearer())
        .respond_with(json(include_str!("fixtures/sent_fax_failed.json")))
        .expect(1)
        .mount(&server)
        .await;
    let fax = client(&server).sent_faxes().get(&fax2::SentFaxId::new("88213")).await.unwrap();
    assert_eq!(fax.status, SentFaxStatus::Failed);
    assert_eq!(fax.reason, Some(FailureReason::NoAnswer));
    assert_eq!(fax.send_attempts, 3);
    assert_eq!(fax.pages_sent, Some(0));
    assert_eq!(fax.sent_at.unwrap().to_string(), "2021-03-10T02:21:20Z");
    assert!(fax.is_final());
    assert_eq!(fax.delivery_status(), DeliveryStatus::failed("no_answer"));
}

#[test]
fn unknown_statuses_and_reasons_are_kept() {
    let fax: fax2::SentFax = serde_json::from_str(
        r#"{"status":"queued_for_review","pages":1,"send_attempts":0,"reason":"line_noise","brand_new":true}"#,
    )
    .unwrap();
    assert_eq!(fax.status, SentFaxStatus::Other("queued_for_review".into()));
    assert_eq!(fax.reason, Some(FailureReason::Other("line_noise".into())));
    assert!(!fax.is_final());
    assert_eq!(fax.delivery_status(), DeliveryStatus::Unknown);
    let waiting: fax2::SentFax = serde_json::from_str(r#"{"status":"waiting","pages":2,"send_attempts":1}"#).unwrap();
    assert_eq!(waiting.delivery_status(), DeliveryStatus::Queued);
}

#[tokio::test]
async fn unknown_id_is_not_found() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/sent_faxes/nope"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(br#"{"error":"not_found","error_description":"No such fax"}"#.to_vec(), JSON),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).sent_faxes().get(&fax2::SentFaxId::new("nope")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}
