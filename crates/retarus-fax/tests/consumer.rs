#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Fax2WSPull consumer on the wire: immediate acks, and fetch errors that do not end `run`.

mod common;

use std::time::Duration;

use faxkit::ErrorKind;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const FETCH: &str = include_str!("fixtures/fetch_response.json");

fn fetch_of(n: u32) -> impl Fn(&Request) -> bool {
    move |req: &Request| req.url.query() == Some(&format!("fetch={n}&timeout=60"))
}

#[tokio::test]
async fn a_transient_fetch_error_backs_off_and_the_run_goes_on() {
    let server = common::server().await;
    let topic = || Mock::given(method("POST")).and(path("/faxin/rest/v1/topics/abc123"));
    topic()
        .and(fetch_of(10))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    topic()
        .and(fetch_of(10))
        .respond_with(ResponseTemplate::new(200).set_body_raw(FETCH, "application/json"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(2)
        .mount(&server)
        .await;
    topic()
        .and(fetch_of(10))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
        .expect(1)
        .with_priority(3)
        .mount(&server)
        .await;
    for id in ["29", "30"] {
        topic()
            .and(move |req: &Request| req.url.query() == Some(&format!("fetch=0&timeout=60&ids={id}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"meta":{},"results":[]}"#, "application/json"))
            .expect(1)
            .named(format!("the immediate ack of job {id}"))
            .mount(&server)
            .await;
    }
    let consumer = common::client(&server)
        .topic("abc123")
        .consumer()
        .poll_interval(Duration::from_millis(5))
        .stop_when_empty(true)
        .build();
    let summary =
        tokio::time::timeout(Duration::from_secs(10), consumer.run(|_delivery| async { Ok::<(), faxkit::Error>(()) }))
            .await
            .expect("run ends when the topic is empty")
            .unwrap();
    assert_eq!((summary.handled, summary.failed), (2, 0));
}

#[tokio::test]
async fn an_authentication_error_ends_the_run() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/faxin/rest/v1/topics/abc123"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let consumer = common::client(&server).topic("abc123").consumer().poll_interval(Duration::from_millis(5)).build();
    let err = consumer.run(|_d| async { Ok::<(), faxkit::Error>(()) }).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}
