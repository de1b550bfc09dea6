//! A raw loopback HTTP server that misbehaves on purpose, for fault-injection tests that wiremock cannot
//! express (connections reset mid-body, bodies of 100 MB of garbage, compression bombs, endless and drip-fed
//! bodies, oversized headers, stalls), and that counts requests so a test can prove a send was not repeated.
//!
//! The fault hits the data endpoints only: the requests that prepare a call (Fax2's `POST /oauth2/token` and
//! `POST /upload_document`) are answered normally, so every fault reaches the call under test (the request
//! that creates a fax, a status read) rather than stopping the client before it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How a [`Fault::Bomb`] body is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: deflate` as raw DEFLATE (RFC 1951, what .NET's `DeflateStream` writes).
    RawDeflate,
    /// `Content-Encoding: deflate` as zlib (RFC 1950).
    Zlib,
}

/// What the server does with every data request.
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
    /// Answers 200 with this body (deep nesting, huge numbers: whatever a test builds).
    Body {
        /// Content type to announce.
        content_type: &'static str,
        /// The body, sent with a `Content-Length`.
        body: Bytes,
    },
    /// Answers 200 with `template`, `{n}` replaced by the number of data requests so far (a next link or
    /// cursor that changes on every page).
    Pages {
        /// Content type to announce.
        content_type: &'static str,
        /// The body, with `{n}` where the counter goes.
        template: &'static str,
    },
    /// Answers 200 with a small compressed body that inflates to `gigabytes` GiB of spaces (whitespace is
    /// valid before any JSON or XML document, so a parser keeps reading).
    Bomb {
        /// The `Content-Encoding`.
        encoding: Encoding,
        /// Inflated size in GiB.
        gigabytes: usize,
        /// Content type to announce.
        content_type: &'static str,
    },
    /// Answers 200 with a chunked body of spaces that never ends (until the client hangs up).
    Endless {
        /// Content type to announce.
        content_type: &'static str,
    },
    /// Answers 200 with a chunked body that sends one space every `interval`, never ending.
    Drip {
        /// Time between two bytes.
        interval: Duration,
        /// Content type to announce.
        content_type: &'static str,
    },
    /// Answers 200 with one header of `bytes` bytes.
    HugeHeader {
        /// Size of the header value.
        bytes: usize,
    },
    /// Answers `307` with `Location: <scheme>://127.0.0.1:<this server's port>/moved`: the same host and
    /// port, another scheme when `scheme` is `https`.
    Redirect {
        /// Scheme of the `Location`.
        scheme: &'static str,
    },
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicUsize,
    preludes: AtomicUsize,
    documents: AtomicUsize,
    not_http: AtomicUsize,
}

/// A running fault server.
#[derive(Debug)]
pub struct FaultServer {
    port: u16,
    counters: Arc<Counters>,
}

impl FaultServer {
    /// Starts the server on 127.0.0.1 with a free port.
    pub async fn start(fault: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let counters = Arc::new(Counters::default());
        let shared = counters.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let fault = fault.clone();
                let counters = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, fault, port, &counters).await;
                });
            }
        });
        FaultServer { port, counters }
    }

    /// The base URL (`http://127.0.0.1:<port>/`).
    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// How many HTTP requests arrived (their heads were read), preludes included.
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// How many requests the fault answered: every request but the preludes.
    pub fn fault_requests(&self) -> usize {
        self.requests() - self.preludes()
    }

    /// How many prelude requests were answered normally: Fax2's `POST /oauth2/token` (a token) and
    /// `POST /upload_document` (a document id), so its `send_fax` and reads meet the fault.
    pub fn preludes(&self) -> usize {
        self.counters.preludes.load(Ordering::SeqCst)
    }

    /// How many requests carried a PDF document, raw or base64 (sends and uploads: the requests that must
    /// never be repeated).
    pub fn document_requests(&self) -> usize {
        self.counters.documents.load(Ordering::SeqCst)
    }

    /// How many connections opened with something other than an HTTP request (a TLS handshake after a
    /// redirect to `https` on this port).
    pub fn non_http_connections(&self) -> usize {
        self.counters.not_http.load(Ordering::SeqCst)
    }
}

/// Markers of a PDF in a request: raw (`%PDF-`) or base64 (`JVBERi0`).
const DOCUMENT_MARKERS: [&[u8]; 2] = [b"%PDF-", b"JVBERi0"];

/// The normal answer to a request that prepares a call rather than being it (Fax2's token and its
/// document upload), or `None` for a data request the fault answers.
fn prelude_answer(head: &[u8]) -> Option<&'static str> {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let path = line.split(' ').nth(1).unwrap_or_default();
    let path = path.split('?').next().unwrap_or_default();
    if path.ends_with("oauth2/token") {
        Some(r#"{"access_token":"fault-server-token","expires_in":3600,"token_type":"bearer"}"#)
    } else if path.ends_with("upload_document") {
        Some(r#"{"document_id":"d41d8cd98f00b204e9800998ecf8427e","pages":1}"#)
    } else {
        None
    }
}

async fn serve(mut socket: TcpStream, fault: Fault, port: u16, counters: &Counters) -> std::io::Result<()> {
    // Read the request head, then drain the body until the client stops sending (bounded by a short idle).
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if !head[0].is_ascii_uppercase() {
            // A TLS ClientHello (0x16) or anything else that is not an HTTP request line.
            counters.not_http.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    counters.requests.fetch_add(1, Ordering::SeqCst);
    let prelude = prelude_answer(&head);
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
        counters.documents.fetch_add(1, Ordering::SeqCst);
    }
    if let Some(body) = prelude {
        counters.preludes.fetch_add(1, Ordering::SeqCst);
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
        socket.write_all(head.as_bytes()).await?;
        socket.write_all(body.as_bytes()).await?;
        let _ = socket.shutdown().await;
        return Ok(());
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
            write_body(&mut socket, content_type, body.as_bytes()).await?;
        }
        Fault::HtmlPage => {
            let body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
            write_body(&mut socket, "text/html", body.as_bytes()).await?;
        }
        Fault::Status { status, retry_after } => {
            let ra = retry_after.map(|s| format!("Retry-After: {s}\r\n")).unwrap_or_default();
            let head = format!("HTTP/1.1 {status} Fault\r\n{ra}Content-Length: 0\r\n\r\n");
            socket.write_all(head.as_bytes()).await?;
        }
        Fault::Garbage { megabytes } => {
            chunked_head(&mut socket, "application/json", None).await?;
            let chunk: Vec<u8> = (0..64 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            for _ in 0..megabytes * 16 {
                write_chunk(&mut socket, &chunk).await?;
            }
            socket.write_all(b"0\r\n\r\n").await?;
        }
        Fault::Body { content_type, body } => {
            write_body(&mut socket, content_type, &body).await?;
        }
        Fault::Pages { content_type, template } => {
            let n = counters.requests.load(Ordering::SeqCst) - counters.preludes.load(Ordering::SeqCst);
            write_body(&mut socket, content_type, template.replace("{n}", &n.to_string()).as_bytes()).await?;
        }
        Fault::Bomb { encoding, gigabytes, content_type } => {
            let name = if encoding == Encoding::Gzip { "gzip" } else { "deflate" };
            chunked_head(&mut socket, content_type, Some(name)).await?;
            let (block, end) = bomb_parts();
            match encoding {
                Encoding::Gzip => write_chunk(&mut socket, &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]).await?,
                Encoding::Zlib => write_chunk(&mut socket, &[0x78, 0x01]).await?,
                Encoding::RawDeflate => {}
            }
            // 64 blocks of 1 MiB of spaces per chunk; gigabytes × 1024 blocks in all.
            let many: Vec<u8> = block.iter().copied().cycle().take(block.len() * 64).collect();
            for _ in 0..gigabytes * 16 {
                write_chunk(&mut socket, &many).await?;
            }
            write_chunk(&mut socket, end).await?;
            // Trailer (wrong checksum: a client that inflated all of it has already failed the test).
            write_chunk(&mut socket, &[0; 8]).await?;
            socket.write_all(b"0\r\n\r\n").await?;
        }
        Fault::Endless { content_type } => {
            chunked_head(&mut socket, content_type, None).await?;
            let chunk = vec![b' '; 64 * 1024];
            loop {
                write_chunk(&mut socket, &chunk).await?;
            }
        }
        Fault::Drip { interval, content_type } => {
            chunked_head(&mut socket, content_type, None).await?;
            loop {
                write_chunk(&mut socket, b" ").await?;
                socket.flush().await?;
                tokio::time::sleep(interval).await;
            }
        }
        Fault::HugeHeader { bytes } => {
            let value = "a".repeat(bytes);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Fault: {value}\r\nContent-Length: 2\r\n\r\n{{}}"
            );
            socket.write_all(head.as_bytes()).await?;
        }
        Fault::Redirect { scheme } => {
            let head = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {scheme}://127.0.0.1:{port}/moved\r\nContent-Length: 0\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await?;
        }
    }
    let _ = socket.shutdown().await;
    Ok(())
}

async fn write_body(socket: &mut TcpStream, content_type: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body).await
}

async fn chunked_head(socket: &mut TcpStream, content_type: &str, encoding: Option<&str>) -> std::io::Result<()> {
    let encoding = encoding.map(|e| format!("Content-Encoding: {e}\r\n")).unwrap_or_default();
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{encoding}Transfer-Encoding: chunked\r\n\r\n");
    socket.write_all(head.as_bytes()).await
}

async fn write_chunk(socket: &mut TcpStream, chunk: &[u8]) -> std::io::Result<()> {
    socket.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
    socket.write_all(chunk).await?;
    socket.write_all(b"\r\n").await
}

/// Raw DEFLATE pieces of a bomb: one run of non-final blocks that inflates to 1 MiB of spaces and ends on a
/// byte boundary (a sync flush, so copies of it concatenate), and the final empty block.
fn bomb_parts() -> (&'static [u8], &'static [u8]) {
    static PARTS: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    let (block, end) = PARTS.get_or_init(|| {
        use flate2::{Compress, Compression, FlushCompress};
        let input = vec![b' '; 1024 * 1024];
        let mut c = Compress::new(Compression::best(), false);
        let mut block = Vec::with_capacity(64 * 1024);
        c.compress_vec(&input, &mut block, FlushCompress::Sync).expect("deflate");
        assert_eq!(c.total_in(), input.len() as u64, "the whole MiB was compressed");
        let mut end = Vec::with_capacity(64);
        let mut last = Compress::new(Compression::best(), false);
        last.compress_vec(&[], &mut end, FlushCompress::Finish).expect("deflate end");
        (block, end)
    });
    (block, end)
}

/// A body of `depth` nested JSON arrays (`[[[…]]]`).
pub fn nested_json(depth: usize) -> Bytes {
    let mut s = Vec::with_capacity(depth * 2);
    s.resize(depth, b'[');
    s.resize(depth * 2, b']');
    Bytes::from(s)
}

/// A body of `depth` nested XML elements under a declaration (`<a><a>…</a></a>`), wrapped in a SOAP
/// envelope and body when `soap`.
pub fn nested_xml(depth: usize, soap: bool) -> Bytes {
    let mut s = String::with_capacity(depth * 7 + 300);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    if soap {
        s.push_str("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>");
    }
    for _ in 0..depth {
        s.push_str("<a>");
    }
    for _ in 0..depth {
        s.push_str("</a>");
    }
    if soap {
        s.push_str("</soap:Body></soap:Envelope>");
    }
    Bytes::from(s)
}

/// A 400-digit integer.
pub fn digits_400() -> String {
    "9".repeat(400)
}

/// `json` with every number outside strings replaced by `with`, and every string of digits alone by a
/// 400-digit string (ids and counts sent as text); with `only = Some(k)`, just the `k`-th of them.
pub fn huge_json_numbers(json: &str, with: &str, only: Option<usize>) -> Bytes {
    let mut seen = 0usize;
    let mut pick = || {
        let hit = only.is_none_or(|k| k == seen);
        seen += 1;
        hit
    };
    let mut out = String::with_capacity(json.len() * 2);
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut s = String::new();
            let mut escaped = false;
            for c in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    break;
                }
                s.push(c);
            }
            let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && pick();
            out.push('"');
            out.push_str(if digits { digits_400() } else { s }.as_str());
            out.push('"');
        } else if c == '-' || c.is_ascii_digit() {
            let mut number = String::from(c);
            while let Some(&d) = chars.peek().filter(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
            {
                number.push(d);
                chars.next();
            }
            out.push_str(if pick() { with } else { &number });
        } else {
            out.push(c);
        }
    }
    Bytes::from(out)
}

/// `xml` with the text of every element that holds only digits replaced by `with`; with `only = Some(k)`,
/// just the `k`-th of them.
pub fn huge_xml_numbers(xml: &str, with: &str, only: Option<usize>) -> Bytes {
    let mut seen = 0usize;
    let mut out = String::with_capacity(xml.len() * 2);
    let mut rest = xml;
    while let Some(gt) = rest.find('>') {
        out.push_str(&rest[..=gt]);
        rest = &rest[gt + 1..];
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        let digits = !text.trim().is_empty() && text.trim().bytes().all(|b| b.is_ascii_digit());
        if digits && only.is_none_or(|k| k == seen) {
            seen += 1;
            out.push_str(with);
        } else if digits {
            seen += 1;
            out.push_str(text);
        } else {
            out.push_str(text);
        }
        rest = &rest[lt..];
    }
    out.push_str(rest);
    Bytes::from(out)
}
