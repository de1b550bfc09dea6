//! Ambiguous outcomes: a non-idempotent request that fails after the connection was open is
//! `Error::Ambiguous`; a connection that could not be opened stays `Error::Transport` and `is_not_sent`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use faxkit::{Error, ErrorKind, HttpClient, HttpConfig, Idempotency, RetryConfig, TransportStage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str, timeout: Duration) -> HttpClient {
    let retry = RetryConfig { max_retries: 2, initial_backoff: Duration::from_millis(10), ..RetryConfig::default() };
    let config = HttpConfig::default().base_url(base).retry(retry).timeout(timeout);
    HttpClient::new("test", "0.0.0", "https://example.invalid/", &config).unwrap()
}

/// What the fault server does once it has read a whole request.
#[derive(Clone, Copy)]
enum Fault {
    /// Resets the connection (RST).
    Reset,
    /// Closes the connection without answering (FIN).
    Close,
    /// Keeps the connection open without answering.
    Hang,
}

/// Reads one whole HTTP/1.1 request (headers, then `Content-Length` bytes of body) and returns the body.
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed before sending its headers");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).map(|v| v.trim().parse().unwrap()).unwrap_or(0);
    while buf.len() < head_end + len {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed mid-body");
        buf.extend_from_slice(&chunk[..n]);
    }
    buf[head_end..head_end + len].to_vec()
}

/// A server on loopback that reads each whole request, reports its body, then applies `fault`.
async fn fault_server(fault: Fault) -> (String, tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let body = read_request(&mut stream).await;
                let _ = tx.send(body);
                match fault {
                    Fault::Reset => {
                        stream.set_zero_linger().unwrap();
                        drop(stream);
                    }
                    Fault::Close => {
                        let _ = stream.shutdown().await;
                        drop(stream);
                    }
                    Fault::Hang => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        drop(stream);
                    }
                }
            });
        }
    });
    (format!("http://{addr}/"), rx)
}

fn post(c: &HttpClient) -> reqwest::RequestBuilder {
    c.request(reqwest::Method::POST, c.url("outbound/faxes").unwrap()).body("%PDF-1.4 the fax")
}

fn source_kind(err: &Error) -> Option<ErrorKind> {
    match err {
        Error::Ambiguous { source, .. } => source.downcast_ref::<Error>().map(Error::kind),
        _ => None,
    }
}

#[tokio::test]
async fn reset_after_the_body_was_read_is_ambiguous_and_sent_once() {
    let (base, mut bodies) = fault_server(Fault::Reset).await;
    let c = client(&base, Duration::from_secs(5));
    let err = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Ambiguous, "{err}");
    assert!(!err.is_not_sent());
    assert!(!err.is_retryable());
    assert_eq!(source_kind(&err), Some(ErrorKind::Transport), "the cause is kept: {err:?}");
    assert_eq!(bodies.recv().await.unwrap(), b"%PDF-1.4 the fax");
    // Never retried: no second request reached the server.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(bodies.try_recv().is_err(), "a non-idempotent request was repeated");
    // The key is added by the vendor's send path.
    let keyed = err.with_idempotency_key(Some("K-1"));
    assert_eq!(keyed.idempotency_key(), Some("K-1"));
    assert!(keyed.to_string().contains("K-1"), "{keyed}");
}

#[tokio::test]
async fn close_without_answer_after_the_body_is_ambiguous() {
    let (base, mut bodies) = fault_server(Fault::Close).await;
    let c = client(&base, Duration::from_secs(5));
    let err = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
    assert_eq!(bodies.recv().await.unwrap(), b"%PDF-1.4 the fax");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(bodies.try_recv().is_err(), "a non-idempotent request was repeated");
}

#[tokio::test]
async fn timeout_after_the_body_is_ambiguous_with_the_timeout_as_cause() {
    let (base, mut bodies) = fault_server(Fault::Hang).await;
    let c = client(&base, Duration::from_millis(300));
    let err = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
    assert_eq!(source_kind(&err), Some(ErrorKind::Timeout));
    assert_eq!(bodies.recv().await.unwrap(), b"%PDF-1.4 the fax");
}

#[tokio::test]
async fn the_same_reset_on_an_idempotent_read_stays_a_transport_error() {
    let (base, _bodies) = fault_server(Fault::Reset).await;
    let c = HttpClient::new(
        "test",
        "0",
        "https://example.invalid/",
        &HttpConfig::default().base_url(&base).retry(RetryConfig { max_retries: 0, ..RetryConfig::default() }),
    )
    .unwrap();
    let req = c.request(reqwest::Method::GET, c.url("status").unwrap());
    let err = c.send(req, Idempotency::Idempotent).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    assert_eq!(err.transport_stage(), Some(TransportStage::Exchange));
    assert!(!err.is_not_sent(), "the connection was open: the request may have been written");
}

#[tokio::test]
async fn status_503_after_a_post_upload_is_ambiguous_and_keeps_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(body_string("%PDF-1.4 the fax"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), Duration::from_secs(5));
    let resp = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap();
    let err = c.check(resp, |_, _| None).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(source_kind(&err), Some(ErrorKind::HttpStatus));
}

#[tokio::test]
async fn status_500_with_a_vendor_body_after_a_post_is_ambiguous_keeping_the_vendor_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500).set_body_string("E1")).mount(&server).await;
    let c = client(&server.uri(), Duration::from_secs(5));
    let resp = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap();
    let err = c
        .check(resp, |status, body| {
            Some(Error::from_vendor("test", status, String::from_utf8_lossy(body), "internal", None))
        })
        .await
        .unwrap_err();
    assert!(err.is_ambiguous());
    assert_eq!(source_kind(&err), Some(ErrorKind::Vendor));
}

#[tokio::test]
async fn a_4xx_after_a_post_is_a_definite_refusal_not_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_string("bad")).mount(&server).await;
    let c = client(&server.uri(), Duration::from_secs(5));
    let resp = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap();
    let err = c.check(resp, |_, _| None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert!(!err.is_ambiguous());
}

#[tokio::test]
async fn a_503_on_an_idempotent_read_is_not_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let c = HttpClient::new(
        "test",
        "0",
        "https://example.invalid/",
        &HttpConfig::default().base_url(server.uri()).retry(RetryConfig { max_retries: 0, ..RetryConfig::default() }),
    )
    .unwrap();
    let resp = c.send(c.request(reqwest::Method::GET, c.url("x").unwrap()), Idempotency::Idempotent).await.unwrap();
    assert_eq!(c.check(resp, |_, _| None).await.unwrap_err().kind(), ErrorKind::HttpStatus);
}

#[tokio::test]
async fn connect_refused_is_transport_and_certainly_not_sent() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(5));
    let err = c.send(post(&c), Idempotency::NonIdempotent).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    assert_eq!(err.transport_stage(), Some(TransportStage::Connect));
    assert!(err.is_not_sent());
    assert!(!err.is_ambiguous());
    // `with_idempotency_key` leaves a non-ambiguous error alone.
    assert!(err.with_idempotency_key(Some("K")).is_not_sent());
}
