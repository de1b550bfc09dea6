//! Shared wiremock setup for the wire tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "4a2302e38d28d5231da6ad72ad7de8691e51f209f997e11a91b5ceb908911b44";
pub const JSON: &str = "application/json; charset=utf-8";
/// `Basic base64("user:pass")`.
pub const BASIC: &str = "Basic dXNlcjpwYXNz";

/// A server with a catch-all that fails loudly on any request no test expects.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|req: &wiremock::Request| {
            ResponseTemplate::new(418).set_body_string(format!("unexpected request: {} {}", req.method, req.url))
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

pub fn client(server: &MockServer) -> fax2::Client {
    fax2::Client::builder().credentials("user", "pass").base_url(format!("{}/v1", server.uri())).build().unwrap()
}

pub fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), JSON)
}

pub fn token_body(token: &str, expires_in: u64) -> String {
    format!(r#"{{"access_token":"{token}","expires_in":{expires_in},"token_type":"bearer"}}"#)
}

/// The token endpoint, asserted exactly: POST, Basic auth, form `grant_type=client_credentials`.
pub fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
}

/// [`token_request`] answered with a token living `expires_in` seconds.
pub fn token_mock(expires_in: u64) -> Mock {
    token_request().respond_with(json(&token_body(TOKEN, expires_in)))
}

/// Mounts a token endpoint that must be called exactly once.
pub async fn mount_token(server: &MockServer) {
    token_mock(3600).expect(1).mount(server).await;
}

pub fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("bearer {TOKEN}").as_str())
}

/// The token endpoint answering `old-token` first, then [`TOKEN`] (once each): the set-up of a 401 refresh.
pub async fn mount_stale_then_fresh_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(json(&token_body("old-token", 3600)))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(server)
        .await;
    token_mock(3600).expect(1).with_priority(2).mount(server).await;
}

/// A 401 with a Fax2 error body of `code` (`unauthorized`, `invalid_client`, …).
pub fn refusal(code: &str) -> ResponseTemplate {
    let body = format!(r#"{{"error":"{code}","error_description":"refused","more_info":"x"}}"#);
    ResponseTemplate::new(401).set_body_raw(body.into_bytes(), JSON)
}

/// `GET /received_faxes/{id}/content.pdf`.
pub fn content_pdf(id: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET")).and(path(format!("/v1/received_faxes/{id}/content.pdf")))
}
