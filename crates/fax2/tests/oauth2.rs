//! `POST /oauth2/token`: the token request on the wire, caching, refresh before expiry and on 401, concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use faxkit::ErrorKind;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const SERVICES: &str = r#"{"data":[{"id":"2201","fax_number":"61281234567"}]}"#;

fn services_mock() -> Mock {
    Mock::given(method("GET")).and(path("/v1/fax_services")).and(bearer()).respond_with(json(SERVICES))
}

#[test]
fn token_fixture_parses_and_hides_the_token() {
    let t: fax2::model::TokenResponse = serde_json::from_str(include_str!("fixtures/oauth2_token.json")).unwrap();
    assert_eq!(t.expires_in, 3600);
    assert_eq!(t.token_type.as_deref(), Some("bearer"));
    assert!(!format!("{t:?}").contains("4a2302e3"));
    assert_eq!(t.access_token.expose(), TOKEN);
}

#[tokio::test]
async fn token_is_requested_once_and_sent_as_lowercase_bearer() {
    let server = server().await;
    mount_token(&server).await;
    services_mock().expect(2).mount(&server).await;
    let client = client(&server);
    client.fax_services().list().await.unwrap();
    client.fax_services().list().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_calls_share_one_token_request() {
    let server = server().await;
    token_request()
        .respond_with(json(&token_body(TOKEN, 3600)).set_delay(Duration::from_millis(200)))
        .expect(1)
        .mount(&server)
        .await;
    services_mock().expect(25).mount(&server).await;
    let client = client(&server);
    let calls = (0..25).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.fax_services().list().await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    let server = server().await;
    // expires_in 1 s: refreshed 0.25 s early, so a call 0.7 s later still uses the token and one 0.8 s
    // later fetches a new one. The client's clock (tokio's) is moved forward while paused, not slept.
    token_mock(1).expect(2).mount(&server).await;
    services_mock().expect(4).mount(&server).await;
    let client = client(&server);
    client.fax_services().list().await.unwrap();
    skip(Duration::from_millis(700)).await;
    client.fax_services().list().await.unwrap();
    assert_eq!(token_requests(&server).await, 1, "still fresh 0.7 s into a 1 s token");
    skip(Duration::from_millis(100)).await;
    client.fax_services().list().await.unwrap();
    assert_eq!(token_requests(&server).await, 2, "refreshed 0.25 s before expiry");
    client.fax_services().list().await.unwrap();
}

/// Moves tokio's clock forward by `by` without waiting (the mock server's network I/O runs with the clock
/// resumed, so no timeout fires early).
async fn skip(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

async fn token_requests(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/v1/oauth2/token").count()
}

#[tokio::test]
async fn a_401_unauthorized_refreshes_once_and_repeats_the_call() {
    let server = server().await;
    mount_stale_then_fresh_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .and(header("authorization", "bearer old-token"))
        .respond_with(refusal("unauthorized"))
        .expect(1)
        .mount(&server)
        .await;
    services_mock().expect(1).mount(&server).await;
    let services = client(&server).fax_services().list().await.unwrap();
    assert_eq!(services[0].fax_number, "61281234567");
}

#[tokio::test]
async fn a_second_401_is_an_auth_error_not_a_loop() {
    let server = server().await;
    token_mock(3600).expect(2).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(br#"{"error":"unauthorized","error_description":"no"}"#.to_vec(), JSON),
        )
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server).fax_services().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn forbidden_is_not_retried_with_a_new_token() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/fax_services"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_raw(br#"{"error":"forbidden","error_description":"no"}"#.to_vec(), JSON),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).fax_services().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn invalid_client_is_an_auth_error() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            br#"{"error":"invalid_client","error_description":"Bad username or password","more_info":"https://www.fax2.com.au/api/doc#error"}"#.to_vec(),
            JSON,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).fax_services().list().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("invalid_client"), "{err}");
}

#[tokio::test]
async fn debug_output_never_shows_password_or_token() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header("authorization", "Basic dXNlcjpwYXNzLXcwcmQtc2VjcmV0"))
        .respond_with(json(&token_body(TOKEN, 3600)))
        .expect(1)
        .mount(&server)
        .await;
    services_mock().expect(1).mount(&server).await;
    let client = fax2::Client::builder()
        .credentials("user", "pass-w0rd-secret")
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();
    client.fax_services().list().await.unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert!(!debug.contains("pass-w0rd-secret"), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("user"));
}

#[test]
fn empty_credentials_are_refused() {
    assert_eq!(fax2::Client::new("", "x").unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(fax2::Client::new("u", "").unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(fax2::Client::builder().credentials("u", "p").base_url("http://fax2.example.com/v1").build().is_err());
    assert_eq!(fax2::Client::new("u", "p").unwrap().base_url().as_str(), "https://api.fax2.com.au/v1/");
}

#[tokio::test]
async fn absurd_expires_in_does_not_panic() {
    let server = server().await;
    token_request().respond_with(json(&token_body(TOKEN, u64::MAX))).expect(1).mount(&server).await;
    services_mock().expect(2).mount(&server).await;
    let client = client(&server);
    client.fax_services().list().await.unwrap();
    client.fax_services().list().await.unwrap();
}

#[tokio::test]
async fn a_token_without_expires_in_is_used_with_a_conservative_lifetime() {
    // RFC 6749 section 5.1: expires_in is RECOMMENDED, not required.
    let server = server().await;
    token_request()
        .respond_with(json(&format!(r#"{{"access_token":"{TOKEN}","token_type":"bearer"}}"#)))
        .expect(1)
        .mount(&server)
        .await;
    services_mock().expect(2).mount(&server).await;
    let client = client(&server);
    client.fax_services().list().await.unwrap();
    client.fax_services().list().await.unwrap(); // cached: one token request
}

#[test]
fn missing_expires_in_defaults_to_300_seconds() {
    let t: fax2::model::TokenResponse =
        serde_json::from_str(&format!(r#"{{"access_token":"{TOKEN}","token_type":"bearer"}}"#)).unwrap();
    assert_eq!(t.expires_in, fax2::model::DEFAULT_EXPIRES_IN);
    assert_eq!(fax2::model::DEFAULT_EXPIRES_IN, 300);
}
