//! Shared wiremock setup: one server playing an HA URL, two data centers and a Fax2WSPull host.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use faxkit::{HttpConfig, RetryConfig};
use retarus_fax::{Client, CustomRegion, DataCenter, Region};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const USER: &str = "login-id";
pub const PASSWORD: &str = "s3cr3t-pw";
pub const CUNO: &str = "99999TE";
/// `login-id:s3cr3t-pw`
pub const FAX4A_AUTH: &str = "Basic bG9naW4taWQ6czNjcjN0LXB3";
/// `99999TE:s3cr3t-pw`
pub const PULL_AUTH: &str = "Basic OTk5OTlURTpzM2NyM3QtcHc=";

pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

pub fn region(server: &MockServer) -> Region {
    let base = server.uri();
    let pull = format!("{base}/faxin/rest/v1/");
    Region::Custom(CustomRegion::new(
        format!("{base}/ha/rest/v1/"),
        vec![
            DataCenter::custom("DC1", format!("{base}/dc1/rest/v1/"), pull.clone()),
            DataCenter::custom("DC2", format!("{base}/dc2/rest/v1/"), pull),
        ],
    ))
}

/// The test client's builder: the test login, the region of [`region`], topic `abc123`, no retries.
pub fn builder(server: &MockServer) -> retarus_fax::ClientBuilder {
    Client::builder()
        .credentials(USER, PASSWORD)
        .customer_number(CUNO)
        .region(region(server))
        .topic("abc123")
        .http(HttpConfig::default().retry(RetryConfig::none()))
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}
