//! Shared test setup: a wiremock server with a loud catch-all, a client with no retries, matchers.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use faxkit::{HttpConfig, RetryConfig};
use interfax::Client;
use wiremock::matchers::{BasicAuthMatcher, basic_auth};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate, matchers::any};

pub const USER: &str = "devexp";
pub const PASS: &str = "top-secret-pw";

/// A server whose unmatched requests fail loudly (418, "unexpected request …"), and a client for it.
pub async fn setup() -> (MockServer, Client) {
    setup_on(MockServer::start().await).await
}

/// [`setup`] on a server built by the caller (e.g. without request recording).
pub async fn setup_on(server: MockServer) -> (MockServer, Client) {
    Mock::given(any())
        .respond_with(|req: &Request| {
            ResponseTemplate::new(418).set_body_string(format!("unexpected request: {} {}", req.method, req.url))
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    let client = client_for(&server, RetryConfig::none());
    (server, client)
}

pub fn client_for(server: &MockServer, retry: RetryConfig) -> Client {
    Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .http(HttpConfig::default().retry(retry))
        .build()
        .unwrap()
}

pub fn auth() -> BasicAuthMatcher {
    basic_auth(USER, PASS)
}

/// JSON as InterFAX sends it without `Accept`: `text/json`.
pub fn text_json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/json")
}

/// An InterFAX error reply.
pub fn api_error(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "text/json")
}

/// A create reply: 201 with `Location`.
pub fn created(location: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).insert_header("Location", location)
}

/// Matches when the query holds exactly these pairs (decoded), in any order, and nothing else.
pub struct ExactQuery(Vec<(String, String)>);

pub fn exact_query(pairs: &[(&str, &str)]) -> ExactQuery {
    let mut v: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    v.sort();
    ExactQuery(v)
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let mut got: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        got.sort();
        got == self.0
    }
}

/// Matches an empty body.
pub struct EmptyBody;

impl Match for EmptyBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// Matches when the body contains each needle, in this order.
pub struct BodyInOrder(pub Vec<Vec<u8>>);

impl Match for BodyInOrder {
    fn matches(&self, request: &Request) -> bool {
        let mut from = 0;
        for needle in &self.0 {
            match request.body.get(from..).and_then(|h| h.windows(needle.len()).position(|w| w == needle.as_slice())) {
                Some(p) => from += p + needle.len(),
                None => return false,
            }
        }
        true
    }
}
