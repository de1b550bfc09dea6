//! The retry policy against a real HTTP server: sends are never retried, idempotent reads are.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use faxkit::{Error, ErrorKind, HttpClient, HttpConfig, Idempotency, RetryConfig};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, retry: RetryConfig) -> HttpClient {
    let config = HttpConfig::default().base_url(server.uri()).retry(retry).timeout(Duration::from_secs(5));
    HttpClient::new("test", "0.0.0", "https://example.invalid/", &config).unwrap()
}

fn fast_retries(n: u32) -> RetryConfig {
    RetryConfig {
        max_retries: n,
        initial_backoff: Duration::from_millis(40),
        max_backoff: Duration::from_millis(200),
        ..RetryConfig::default()
    }
}

#[tokio::test]
async fn never_retries_a_post_send_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, fast_retries(3));
    let req = c.request(reqwest::Method::POST, c.url("send").unwrap()).body("doc");
    let resp = c.send(req, Idempotency::NonIdempotent).await.unwrap();
    assert_eq!(resp.status(), 503);
    let err = c.check(resp, |_, _| None).await.unwrap_err();
    // A 5xx after a send's body arrived: the outcome is unknown, never a plain failure.
    assert_eq!(err.kind(), ErrorKind::Ambiguous);
    assert_eq!(err.status(), Some(503));
    // `expect(1)` is verified when the server drops: exactly one POST arrived.
}

#[tokio::test]
async fn retries_a_get_on_503_with_backoff_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, fast_retries(3));
    let started = Instant::now();
    let resp =
        c.send(c.request(reqwest::Method::GET, c.url("status").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 200);
    // Two waits of at least half of 40 ms and 80 ms.
    assert!(started.elapsed() >= Duration::from_millis(60), "no backoff: {:?}", started.elapsed());
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).expect(3).mount(&server).await;
    let c = client(&server, fast_retries(2));
    let resp = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 502);
    assert!(c.check(resp, |_, _| None).await.unwrap_err().is_retryable());
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let c = client(&server, fast_retries(1));
    let started = Instant::now();
    let resp = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After ignored: {:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_beyond_the_limit_is_a_rate_limited_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "86400"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, fast_retries(3));
    let err = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
}

#[tokio::test]
async fn does_not_retry_a_404_or_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/a"))
        .respond_with(ResponseTemplate::new(404).set_body_string("nope"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/b")).respond_with(ResponseTemplate::new(500)).expect(1).mount(&server).await;
    let c = client(&server, fast_retries(3));
    let resp = c.send(c.request(reqwest::Method::GET, c.url("a").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(c.check(resp, |_, _| None).await.unwrap_err().kind(), ErrorKind::NotFound);
    let resp = c.send(c.request(reqwest::Method::GET, c.url("b").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 500);
}

#[tokio::test]
async fn timeout_is_a_typed_error_within_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let config =
        HttpConfig::default().base_url(server.uri()).retry(RetryConfig::none()).timeout(Duration::from_millis(300));
    let c = HttpClient::new("test", "0", "https://example.invalid/", &config).unwrap();
    let started = Instant::now();
    let err =
        c.send(c.request(reqwest::Method::POST, c.url("x").unwrap()), Idempotency::NonIdempotent).await.unwrap_err();
    // A send that timed out after its request went out: the outcome is unknown, the timeout is the cause.
    assert_eq!(err.kind(), ErrorKind::Ambiguous);
    let Error::Ambiguous { source, .. } = &err else { unreachable!() };
    assert_eq!(source.downcast_ref::<Error>().map(Error::kind), Some(ErrorKind::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn sends_the_user_agent_and_refuses_cross_host_redirects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ua"))
        .and(wiremock::matchers::header("user-agent", "faxkit-test/0.0.0"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.invalid/steal"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, RetryConfig::none());
    let resp = c.send(c.request(reqwest::Method::GET, c.url("ua").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = c.send(c.request(reqwest::Method::GET, c.url("away").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 302, "the redirect to another host must not be followed");
}

#[tokio::test]
async fn refuses_a_redirect_to_another_scheme_on_the_same_host_and_port() {
    let server = MockServer::start().await;
    let other_scheme = server.uri().replacen("http://", "https://", 1);
    Mock::given(method("GET"))
        .and(path("/switch"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{other_scheme}/x").as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, RetryConfig::none());
    let resp =
        c.send(c.request(reqwest::Method::GET, c.url("switch").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 302, "a redirect to another scheme must not be followed");
}

#[tokio::test]
async fn follows_a_redirect_within_the_same_origin() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/hop"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/there", server.uri()).as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/there"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, RetryConfig::none());
    let resp = c.send(c.request(reqwest::Method::GET, c.url("hop").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[test]
fn plain_http_is_refused_on_subdomains_of_localhost() {
    for base in ["http://evil.localhost/", "http://a.b.localhost:8080/", "http://LOCALHOST.evil.example/"] {
        let config = HttpConfig::default().base_url(base);
        let err = HttpClient::new("test", "0", "https://example.invalid/", &config).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{base}");
    }
    let config = HttpConfig::default().base_url("http://localhost:9000/");
    assert!(HttpClient::new("test", "0", "https://example.invalid/", &config).is_ok());
    assert!(!faxkit::http::is_loopback(&url::Url::parse("http://x.localhost/").unwrap()));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = HttpConfig::default().base_url(format!("http://127.0.0.1:{port}/")).retry(fast_retries(1));
    let c = HttpClient::new("test", "0", "https://example.invalid/", &config).unwrap();
    let err = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn send_with_retries_a_multipart_read_by_rebuilding_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let c = client(&server, fast_retries(2));
    let make = || {
        let form = reqwest::multipart::Form::new().text("Username", "u").text("Method", "Fax_GetFaxStatus");
        Ok(c.request(reqwest::Method::POST, c.url("REST/Fax_GetFaxStatus/json")?).multipart(form))
    };
    let resp = c.send_with(make, Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_multipart_request_through_send_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    let c = client(&server, fast_retries(2));
    let form = reqwest::multipart::Form::new().text("a", "b");
    let req = c.request(reqwest::Method::POST, c.url("x").unwrap()).multipart(form);
    let resp = c.send(req, Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 503);
}

/// A call's deadline covers every attempt and every wait: with `Retry-After: 1` and 10 retries allowed, a
/// 2.5 s deadline leaves room for three attempts, not eleven.
#[tokio::test]
async fn the_deadline_ends_retrying() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let config = HttpConfig::default()
        .base_url(server.uri())
        .retry(fast_retries(10))
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_millis(2500));
    let c = HttpClient::new("test", "0.0.0", "https://example.invalid/", &config).unwrap();
    let resp = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(resp.status(), 503);
    let attempts = server.received_requests().await.unwrap().len();
    assert!((2..=3).contains(&attempts), "{attempts} attempts inside a 2.5 s deadline with 1 s waits");
}

/// An attempt still running when the deadline passes ends as a timeout, even though the per-attempt
/// timeout is far longer: a drip-fed body cannot hold a call past its deadline.
#[tokio::test]
async fn the_deadline_cuts_a_slow_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let config = HttpConfig::default()
        .base_url(server.uri())
        .retry(RetryConfig::none())
        .timeout(Duration::from_secs(60))
        .deadline(Duration::from_millis(300));
    let c = HttpClient::new("test", "0.0.0", "https://example.invalid/", &config).unwrap();
    let call = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent);
    let err =
        tokio::time::timeout(Duration::from_secs(20), call).await.expect("the deadline ended the call").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

/// The retry budget is shared by a client: once spent, calls stop retrying (a vendor that is down gets one
/// request per call, not four), and successes fill it again.
#[tokio::test]
async fn a_spent_retry_budget_stops_retries_until_calls_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/down")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    Mock::given(method("GET")).and(path("/up")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let retry = RetryConfig {
        max_retries: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        budget: 10,
        ..RetryConfig::default()
    };
    let c = client(&server, retry);
    let get = |p: &str| c.send(c.request(reqwest::Method::GET, c.url(p).unwrap()), Idempotency::Idempotent);
    let count = || async { server.received_requests().await.unwrap().len() };

    assert_eq!(get("down").await.unwrap().status(), 503);
    assert_eq!(count().await, 3, "two retries at 5 tokens spend a budget of 10");
    assert_eq!(c.retry_budget().available(), 0);
    assert_eq!(get("down").await.unwrap().status(), 503);
    assert_eq!(count().await, 4, "no retry with the budget spent");
    // A clone shares the budget.
    let clone = c.clone();
    assert_eq!(clone.retry_budget().available(), 0);
    for _ in 0..5 {
        assert_eq!(get("up").await.unwrap().status(), 200);
    }
    assert_eq!(c.retry_budget().available(), 5, "each success gives one token back");
    assert_eq!(get("down").await.unwrap().status(), 503);
    assert_eq!(count().await, 4 + 5 + 2, "one retry paid for again");
}

/// A vendor crate's own retry loop (`may_retry`) obeys the same policy, deadline and budget.
#[tokio::test]
async fn vendor_retries_obey_the_policy_the_deadline_and_the_budget() {
    let server = MockServer::start().await;
    let retry = RetryConfig { budget: 5, ..fast_retries(3) };
    let c = client(&server, retry);
    let started = tokio::time::Instant::now();
    assert!(c.may_retry(started, 0).is_some(), "first retry allowed and paid for");
    assert!(c.may_retry(started, 1).is_none(), "budget of 5 spent by one retry");
    let c = client(&server, fast_retries(3));
    assert!(c.may_retry(started, 3).is_none(), "max_retries reached");
    let config = HttpConfig::default().base_url(server.uri()).retry(fast_retries(3)).deadline(Duration::from_millis(1));
    let c = HttpClient::new("test", "0.0.0", "https://example.invalid/", &config).unwrap();
    assert!(c.may_retry(tokio::time::Instant::now(), 0).is_none(), "a 20 ms backoff cannot fit a 1 ms deadline");
}

/// `execute` rebuilds a repeatable request for a retry (no copy before the first attempt): every attempt
/// carries the same query, headers, credentials and body.
#[tokio::test]
async fn execute_rebuilds_each_retry_whole() {
    use faxkit::http::Request;
    use reqwest::header::{ACCEPT, HeaderValue};
    use wiremock::matchers::{body_string, header, query_param};
    let server = MockServer::start().await;
    for (verb, at, body) in [("GET", "/status", None), ("POST", "/cancel", Some("id=7"))] {
        let matching = || {
            let m = Mock::given(method(verb))
                .and(path(at))
                .and(query_param("q", "a b"))
                .and(header("accept", "application/json"))
                .and(header("authorization", "Bearer t"));
            match body {
                Some(b) => m.and(body_string(b)),
                None => m,
            }
        };
        matching().respond_with(ResponseTemplate::new(503)).up_to_n_times(2).expect(2).mount(&server).await;
        matching().respond_with(ResponseTemplate::new(200).set_body_string("ok")).expect(1).mount(&server).await;
    }
    let c = client(&server, fast_retries(3));
    let auth = HeaderValue::from_static("Bearer t");
    let accept = HeaderValue::from_static("application/json");
    let get = Request::get("status").query("q", "a b").header(ACCEPT, accept.clone());
    let resp = c.execute(get, &auth, |_, _| None).await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "ok");
    let post =
        Request::post("cancel").query("q", "a b").header(ACCEPT, accept).idempotent().body(faxkit::http::Body::Bytes {
            bytes: "id=7".into(),
            content_type: "application/x-www-form-urlencoded".into(),
        });
    let resp = c.execute(post, &auth, |_, _| None).await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "ok");
}
