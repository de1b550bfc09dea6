//! [`FaultProxy`]: a loopback proxy that loses answers on demand.

use std::sync::Arc;

use crate::error::{Error, Result};

/// A loopback TCP proxy in front of a sandbox that can lose answers: armed with
/// [`reset_after_forwarding`](FaultProxy::reset_after_forwarding), it forwards the next request that contains a
/// given text (in its request line, headers or body, so SOAP and RPC calls can be told apart too) to the
/// sandbox, lets the sandbox process it completely, then resets the client's connection instead of passing the
/// answer on. That is the "accepted, then the connection died" case a send must report as
/// [`Error::Ambiguous`], and that [`FaxService::reconcile`](crate::FaxService::reconcile) must then resolve.
///
/// Every other request passes through unchanged (one request per connection: the proxy asks both sides to
/// close after each answer).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use faxkit::sandbox::{FaultProxy, start_server};
/// let sandbox = start_server(None).await?;
/// let proxy = FaultProxy::start(&sandbox.uri()).await?;
/// proxy.reset_after_forwarding("POST /outbound/faxes");
/// assert!(proxy.uri().starts_with("http://127.0.0.1:"));
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug)]
pub struct FaultProxy {
    uri: String,
    shared: Arc<ProxyShared>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Debug, Default)]
struct ProxyShared {
    /// Texts, each resetting the next request that contains it (once).
    armed: std::sync::Mutex<Vec<String>>,
    /// Requests forwarded whose answer was dropped.
    resets: std::sync::atomic::AtomicUsize,
    /// Requests forwarded in all.
    forwarded: std::sync::atomic::AtomicUsize,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port in front of `upstream` (a sandbox's base URL, path included).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an upstream that is not a plain-http URL with a host; [`Error::Io`] when no
    /// port can be bound.
    pub async fn start(upstream: &str) -> Result<FaultProxy> {
        let url = url::Url::parse(upstream)
            .map_err(|e| Error::invalid_input("faxkit", format!("upstream {upstream:?}: {e}")))?;
        if url.scheme() != "http" {
            return Err(Error::invalid_input("faxkit", "the fault proxy speaks plain http to a loopback sandbox"));
        }
        let host = url.host_str().ok_or_else(|| Error::invalid_input("faxkit", "upstream has no host"))?.to_owned();
        let port = url.port_or_known_default().unwrap_or(80);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::io("faxkit", "binding the fault proxy", e))?;
        let addr = listener.local_addr().map_err(|e| Error::io("faxkit", "fault proxy address", e))?;
        let shared = Arc::new(ProxyShared::default());
        let task_shared = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let shared = task_shared.clone();
                let upstream = (host.clone(), port);
                tokio::spawn(async move {
                    let _ = proxy_one(client, upstream, &shared).await;
                });
            }
        });
        let mut uri = url.clone();
        let _ = uri.set_ip_host(addr.ip());
        let _ = uri.set_port(Some(addr.port()));
        let uri = uri.as_str().trim_end_matches('/').to_owned();
        Ok(FaultProxy { uri, shared, task })
    }

    /// The proxy's base URL (the upstream's path on the proxy's port), without a trailing `/`.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// Arms a one-shot fault: the next request that contains `marker` in its request line (`POST
    /// /path?query HTTP/1.1`), its headers or its body reaches the sandbox, and its answer is replaced by a
    /// connection reset.
    pub fn reset_after_forwarding(&self, marker: &str) {
        if let Ok(mut armed) = self.shared.armed.lock() {
            armed.push(marker.to_owned());
        }
    }

    /// How many answers were dropped by a reset so far.
    pub fn resets(&self) -> usize {
        self.shared.resets.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many requests reached the upstream so far.
    pub fn forwarded(&self) -> usize {
        self.shared.forwarded.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn proxy_one(
    mut client: tokio::net::TcpStream,
    upstream: (String, u16),
    shared: &ProxyShared,
) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (head, body) = read_http_request(&mut client).await?;
    let head_text = String::from_utf8_lossy(&head).into_owned();
    let contains =
        |marker: &str| head_text.contains(marker) || memchr::memmem::find(&body, marker.as_bytes()).is_some();
    let fault = match shared.armed.lock() {
        Ok(mut armed) => match armed.iter().position(|s| contains(s)) {
            Some(i) => {
                armed.remove(i);
                true
            }
            None => false,
        },
        Err(_) => false,
    };
    // One request per connection: replace any Connection header by `close`.
    let mut new_head = String::with_capacity(head_text.len() + 20);
    for line in head_text.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            new_head.push_str(line);
            new_head.push_str("\r\n");
        }
    }
    new_head.push_str("connection: close\r\n\r\n");
    let mut up = tokio::net::TcpStream::connect((upstream.0.as_str(), upstream.1)).await?;
    up.write_all(new_head.as_bytes()).await?;
    up.write_all(&body).await?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).await?;
    shared.forwarded.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    if fault {
        shared.resets.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        client.set_zero_linger()?;
        drop(client);
        return Ok(());
    }
    client.write_all(&answer).await?;
    client.shutdown().await
}

/// Reads one HTTP/1.1 request: the head (through the blank line) and the raw body (`Content-Length` bytes, or
/// chunked framing through the last chunk).
async fn read_http_request(stream: &mut tokio::net::TcpStream) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "request cut short");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = memchr::memmem::find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(eof());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = buf[..head_end].to_vec();
    let lower = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let header = |name: &str| lower.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()));
    let mut body = buf[head_end..].to_vec();
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        // Walk the chunks, reading more whenever the framing runs past what has arrived.
        let mut pos = 0usize;
        loop {
            let line_end = loop {
                if let Some(i) = memchr::memmem::find(&body[pos..], b"\r\n") {
                    break pos + i;
                }
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(eof());
                }
                body.extend_from_slice(&chunk[..n]);
            };
            let size_text = String::from_utf8_lossy(&body[pos..line_end]).into_owned();
            let size_hex = size_text.split(';').next().unwrap_or_default().trim().to_owned();
            let size = usize::from_str_radix(&size_hex, 16)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "bad chunk size"))?;
            // The chunk, its CRLF (for the last chunk: the empty trailer's CRLF).
            let next = line_end + 2 + size + 2;
            while body.len() < next {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(eof());
                }
                body.extend_from_slice(&chunk[..n]);
            }
            pos = next;
            if size == 0 {
                body.truncate(pos);
                break;
            }
        }
    } else {
        let len: usize = header("content-length:").and_then(|v| v.parse().ok()).unwrap_or(0);
        while body.len() < len {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(eof());
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(len);
    }
    Ok((head, body))
}
