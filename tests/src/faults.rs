//! A raw loopback HTTP server that misbehaves on purpose, for fault-injection tests that wiremock cannot
//! express (connections reset mid-body, bodies of 100 MB of garbage, stalls), and that counts requests so a
//! test can prove a send was not repeated.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with every request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Waits this long before answering anything.
    Stall(Duration),
    /// Announces a 1 MB body, sends 100 bytes of it, then closes the connection.
    ResetMidBody,
    /// Answers 200 with a body cut off in the middle (the given prefix of a valid document).
    Truncated {
        /// Content type to announce.
        content_type: &'static str,
        /// The partial body.
        body: &'static str,
    },
    /// Answers 200 with an HTML error page (a proxy or load balancer talking).
    HtmlPage,
    /// Answers with this status, this `Retry-After` and an empty body.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` seconds, if any.
        retry_after: Option<u64>,
    },
    /// Answers 200 with `megabytes` MB of garbage bytes, chunked, never ending early.
    Garbage {
        /// Size of the body.
        megabytes: usize,
    },
}

/// A running fault server.
#[derive(Debug)]
pub struct FaultServer {
    port: u16,
    requests: Arc<AtomicUsize>,
    documents: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Starts the server on 127.0.0.1 with a free port.
    pub async fn start(fault: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let documents = Arc::new(AtomicUsize::new(0));
        let counters = (requests.clone(), documents.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let fault = fault.clone();
                let counters = counters.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, fault, counters).await;
                });
            }
        });
        FaultServer { port, requests, documents }
    }

    /// The base URL (`http://127.0.0.1:<port>/`).
    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// How many requests arrived (their heads were read).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// How many requests carried a PDF document, raw or base64 (sends and uploads: the requests that must
    /// never be repeated).
    pub fn document_requests(&self) -> usize {
        self.documents.load(Ordering::SeqCst)
    }
}

/// Markers of a PDF in a request: raw (`%PDF-`) or base64 (`JVBERi0`).
const DOCUMENT_MARKERS: [&[u8]; 2] = [b"%PDF-", b"JVBERi0"];

async fn serve(
    mut socket: TcpStream,
    fault: Fault,
    (requests, documents): (Arc<AtomicUsize>, Arc<AtomicUsize>),
) -> std::io::Result<()> {
    // Read the request head, then drain the body until the client stops sending (bounded by a short idle).
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let mut seen = head;
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(50), socket.read(&mut buf)).await {
        if n == 0 {
            break;
        }
        if seen.len() < 4 * 1024 * 1024 {
            seen.extend_from_slice(&buf[..n]);
        }
    }
    if DOCUMENT_MARKERS.iter().any(|m| seen.windows(m.len()).any(|w| w == *m)) {
        documents.fetch_add(1, Ordering::SeqCst);
    }
    match fault {
        Fault::Stall(d) => {
            tokio::time::sleep(d).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").await?;
        }
        Fault::ResetMidBody => {
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
                .await?;
            socket.write_all(&[b'{'; 100]).await?;
            socket.flush().await?;
            // Dropping the socket closes the connection mid-body.
        }
        Fault::Truncated { content_type, body } => {
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
            socket.write_all(head.as_bytes()).await?;
            socket.write_all(body.as_bytes()).await?;
        }
        Fault::HtmlPage => {
            let body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n", body.len());
            socket.write_all(head.as_bytes()).await?;
            socket.write_all(body.as_bytes()).await?;
        }
        Fault::Status { status, retry_after } => {
            let ra = retry_after.map(|s| format!("Retry-After: {s}\r\n")).unwrap_or_default();
            let head = format!("HTTP/1.1 {status} Fault\r\n{ra}Content-Length: 0\r\n\r\n");
            socket.write_all(head.as_bytes()).await?;
        }
        Fault::Garbage { megabytes } => {
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await?;
            let chunk: Vec<u8> = (0..64 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            let frame = format!("{:x}\r\n", chunk.len());
            for _ in 0..megabytes * 16 {
                socket.write_all(frame.as_bytes()).await?;
                socket.write_all(&chunk).await?;
                socket.write_all(b"\r\n").await?;
            }
            socket.write_all(b"0\r\n\r\n").await?;
        }
    }
    let _ = socket.shutdown().await;
    Ok(())
}
