//! Shared wiremock setup for the wire tests.
#![allow(dead_code, unreachable_pub)]

use faxcore::Client;
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub const USER: &str = "5557152222";
pub const PASSWORD: &str = "mypassword";
/// `Basic base64("5557152222:mypassword")`, the reference's example credentials.
pub const BASIC: &str = "Basic NTU1NzE1MjIyMjpteXBhc3N3b3Jk";

pub const SEND_FAX: &str = include_str!("../fixtures/send_fax.xml");
pub const FAX_STATUS: &str = include_str!("../fixtures/fax_status.xml");
pub const GET_FAX_LIST: &str = include_str!("../fixtures/get_fax_list.xml");
pub const GET_FAX_DETAILS: &str = include_str!("../fixtures/get_fax_details.xml");
pub const DELETE_FAX: &str = include_str!("../fixtures/delete_fax.xml");

/// A mock server whose unmatched requests fail loudly (418 "unexpected request"), and a client for it.
pub async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .mount(&server)
        .await;
    let client =
        Client::builder().credentials(USER, PASSWORD).base_url(format!("{}/api/", server.uri())).build().unwrap();
    (server, client)
}

/// An XML reply as FaxCore sends it.
pub fn xml(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/xml; charset=utf-8")
}

/// Matches the raw query string exactly: order, encoding, nothing extra.
pub struct QueryIs(pub &'static str);

impl Match for QueryIs {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == Some(self.0)
    }
}

/// Matches a request that has no body.
pub struct NoBody;

impl Match for NoBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// Fails the test if any request reached the server except through the catch-all.
pub async fn assert_no_requests(server: &MockServer) {
    let received = server.received_requests().await.unwrap_or_default();
    assert!(
        received.is_empty(),
        "expected no request, got {:?}",
        received.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
}

/// Matches a header's raw value exactly (wiremock's `header` splits values at commas).
pub struct HeaderIs(pub &'static str, pub &'static str);

impl Match for HeaderIs {
    fn matches(&self, request: &Request) -> bool {
        request.headers.get(self.0).and_then(|v| v.to_str().ok()) == Some(self.1)
    }
}
