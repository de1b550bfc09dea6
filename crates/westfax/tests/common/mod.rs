//! Shared helpers for the wire tests: a mock server with a loud catch-all, a multipart reader, a client.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const USER: &str = "user@example.com";
pub const PASS: &str = "s3cret-pass";
pub const PRODUCT: &str = "00000000-1111-2222-3333-444444444444";

/// A server whose unmatched requests fail loudly with 418.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|r: &Request| {
            ResponseTemplate::new(418).set_body_string(format!("unexpected request: {} {}", r.method, r.url.path()))
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

pub fn client(server: &MockServer, transport: westfax::Transport) -> westfax::Client {
    westfax::Client::builder()
        .credentials(USER, PASS)
        .product_id(PRODUCT)
        .base_url(server.uri())
        .transport(transport)
        .build()
        .unwrap()
}

/// The form fields of a multipart request, in order: text parts as (name, value), file parts as
/// (name, "file:{filename}:{content}").
pub fn form(request: &Request) -> Vec<(String, String)> {
    let ct = request.headers.get("content-type").unwrap().to_str().unwrap();
    let boundary = ct.split("boundary=").nth(1).expect("multipart boundary").trim_matches('"').to_owned();
    let body = &request.body;
    let delim = format!("--{boundary}");
    let text = String::from_utf8_lossy(body).into_owned();
    let mut out = Vec::new();
    for part in text.split(&delim).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap().strip_suffix("\r\n").unwrap();
        let (headers, content) = part.split_once("\r\n\r\n").unwrap();
        let disp = headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition")).unwrap();
        let attr = |k: &str| {
            disp.split(';')
                .find_map(|p| p.trim().strip_prefix(&format!("{k}=")).map(|v| v.trim_matches('"').to_owned()))
        };
        let name = attr("name").unwrap();
        match attr("filename") {
            Some(f) => out.push((name, format!("file:{f}:{content}"))),
            None => out.push((name, content.to_owned())),
        }
    }
    out
}

/// `{"Success":true,"Result":…}`.
pub fn ok(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"Success": true, "ErrorString": null, "InfoString": null, "Result": result}))
}

/// Child element local names of the first element named `parent`, in order (one level).
pub fn children(xml: &str, parent: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth_in: Option<usize> = None;
    let mut depth = 0usize;
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                depth += 1;
                let name = local(e.name().as_ref());
                if depth_in.is_none() && name == parent {
                    depth_in = Some(depth);
                } else if depth_in.is_some_and(|d| depth == d + 1) {
                    out.push(name);
                }
            }
            Event::Empty(e) if depth_in.is_some_and(|d| depth == d) => {
                out.push(local(e.name().as_ref()));
            }
            Event::End(_) => {
                if depth_in == Some(depth) {
                    return out;
                }
                depth -= 1;
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

fn local(n: &str) -> String {
    n.rsplit(':').next().unwrap().to_owned()
}
