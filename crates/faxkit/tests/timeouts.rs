//! The read (idle) timeout against a server that sends part of a body and then goes silent: transfers always
//! have it; other calls have it when it is shorter than their whole-call timeout, and otherwise the whole-call
//! timeout ends them. Each call runs under a 10 s guard far beyond the timeouts that should end it, so a
//! missing timeout fails the test instead of hanging it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use faxkit::http::{NoAuth, Request};
use faxkit::{ErrorKind, HttpClient, HttpConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A loopback server that answers every request with the head and 10 of 100 body bytes, then stalls.
async fn stalling_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nfirst part").await;
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    format!("http://{addr}/")
}

async fn stalled_read_kind(config: HttpConfig, transfer: bool) -> ErrorKind {
    let url = stalling_server().await;
    let http = HttpClient::new("test", "0.0.0", &url, &config).unwrap();
    let request = if transfer { Request::get("doc").transfer() } else { Request::get("doc") };
    let call = async {
        let response = http.execute_unchecked(request, &NoAuth).await.unwrap();
        http.read_body(response).await.unwrap_err().kind()
    };
    tokio::time::timeout(Duration::from_secs(10), call).await.expect("no timeout ended the stalled read")
}

fn long() -> Duration {
    Duration::from_secs(30)
}

#[tokio::test]
async fn a_transfer_that_stalls_ends_at_the_read_timeout() {
    // The read timeout is longer than the call timeout, so ordinary calls do without it; a transfer does not.
    let config = HttpConfig::default()
        .timeout(Duration::from_millis(100))
        .transfer_timeout(long())
        .read_timeout(Duration::from_millis(200));
    assert_eq!(stalled_read_kind(config, true).await, ErrorKind::Timeout);
}

#[tokio::test]
async fn a_read_timeout_shorter_than_the_call_timeout_applies_to_ordinary_calls() {
    let config = HttpConfig::default().timeout(long()).read_timeout(Duration::from_millis(200));
    assert_eq!(stalled_read_kind(config, false).await, ErrorKind::Timeout);
}

#[tokio::test]
async fn otherwise_the_call_timeout_ends_an_ordinary_call() {
    let config = HttpConfig::default().timeout(Duration::from_millis(200)).read_timeout(long());
    assert_eq!(stalled_read_kind(config, false).await, ErrorKind::Timeout);
}
