//! 64 MiB each way with flat memory: a document uploaded by `SendFax` and a base64 `DownloadFax` body, both
//! generated on the fly by a raw loopback server so neither side ever holds the whole payload.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use faxcore::{Client, FaxId, FileType};
use faxkit::{Document, FaxNumber};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SIZE: u64 = 64 * 1024 * 1024;
const CHUNK: usize = 48 * 1024; // a multiple of 3, so chunks encode to base64 independently

/// Byte `i` of the generated document: a PDF header, then a pattern.
fn byte_at(i: u64) -> u8 {
    const HEAD: &[u8] = b"%PDF-1.4\n";
    match HEAD.get(i as usize) {
        Some(b) => *b,
        None => (i.wrapping_mul(2_654_435_761) >> 13) as u8,
    }
}

fn chunk_at(offset: u64, len: usize) -> Vec<u8> {
    (0..len as u64).map(|i| byte_at(offset + i)).collect()
}

/// An order-sensitive checksum (FNV-1a, 64-bit).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn update(&mut self, data: &[u8]) {
        for b in data {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn expected_checksum() -> u64 {
    let mut h = Fnv::new();
    let mut off = 0;
    while off < SIZE {
        let n = CHUNK.min((SIZE - off) as usize);
        h.update(&chunk_at(off, n));
        off += n as u64;
    }
    h.0
}

/// Peak resident memory of this process, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

async fn read_head(socket: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(socket.read(&mut byte).await.unwrap(), 1, "connection closed inside the request head");
        head.push(byte[0]);
        assert!(head.len() < 16 * 1024);
    }
    String::from_utf8(head).unwrap()
}

/// Serves one DownloadFax: streams the base64 of the generated document.
async fn serve_download(listener: TcpListener) -> String {
    let (mut socket, _) = listener.accept().await.unwrap();
    let head = read_head(&mut socket).await;
    let len = faxkit::base64::encoded_len(SIZE);
    let reply =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n");
    socket.write_all(reply.as_bytes()).await.unwrap();
    let mut off = 0;
    while off < SIZE {
        let n = CHUNK.min((SIZE - off) as usize);
        socket.write_all(faxkit::base64::encode(&chunk_at(off, n)).as_bytes()).await.unwrap();
        off += n as u64;
    }
    socket.shutdown().await.ok();
    head
}

/// Serves one SendFax: reads the body as it comes, checksums it, answers with a fax id.
async fn serve_upload(listener: TcpListener) -> (String, u64, u64) {
    let (mut socket, _) = listener.accept().await.unwrap();
    let head = read_head(&mut socket).await;
    let len: u64 = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .expect("no Content-Length");
    let mut buf = vec![0u8; 64 * 1024];
    let (mut seen, mut h) = (0u64, Fnv::new());
    while seen < len {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "body ended after {seen} bytes");
        h.update(&buf[..n]);
        seen += n as u64;
    }
    let body =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse><SendFax><Results>42</Results></SendFax></ApiResponse>";
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(reply.as_bytes()).await.unwrap();
    socket.shutdown().await.ok();
    (head, seen, h.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_mib_each_way_with_flat_memory() {
    let want = expected_checksum();
    let before = peak_rss();

    // Upload: the document comes from a pipe fed by a generator task.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    let client = Client::builder().credentials("5557152222", "mypassword").base_url(&base).build().unwrap();
    let server = tokio::spawn(serve_upload(listener));
    let (reader, mut writer) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        let mut off = 0;
        while off < SIZE {
            let n = CHUNK.min((SIZE - off) as usize);
            writer.write_all(&chunk_at(off, n)).await.unwrap();
            off += n as u64;
        }
    });
    let doc = Document::from_reader(reader, SIZE, "big.pdf");
    let id = client.send_fax(FaxNumber::parse("+12125550100").unwrap(), doc).send().await.unwrap();
    assert_eq!(id, FaxId::new(42));
    let (head, seen, checksum) = server.await.unwrap();
    assert!(head.starts_with("POST /api/SendFax?sendername=&sendercompany=&subject=&notes=&recpname=&recpfax=12125550100&filename=big.pdf HTTP/1.1\r\n"), "{head}");
    assert!(head.to_ascii_lowercase().contains("authorization: basic ntu1nze1mjiymjptexbhc3n3b3jk\r\n"), "{head}");
    assert_eq!((seen, checksum), (SIZE, want));

    // Download: base64 generated chunk by chunk, decoded chunk by chunk.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    let client = Client::builder().credentials("5557152222", "mypassword").base_url(&base).build().unwrap();
    let server = tokio::spawn(serve_download(listener));
    let download = client.download_fax(FaxId::new(42), FileType::Pdf).await.unwrap();
    assert_eq!(download.content_type, "application/pdf");
    let (mut seen, mut h, mut largest) = (0u64, Fnv::new(), 0usize);
    let mut stream = download.stream;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        largest = largest.max(chunk.len());
        h.update(&chunk);
        seen += chunk.len() as u64;
    }
    let head = server.await.unwrap();
    assert!(head.starts_with("GET /api/DownloadFax?faxid=42&filetype=PDF HTTP/1.1\r\n"), "{head}");
    assert_eq!((seen, h.0), (SIZE, want));
    assert!(largest <= 1024 * 1024, "a decoded chunk of {largest} bytes");

    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grown = after.saturating_sub(before);
        eprintln!("peak RSS {} MiB before, {} MiB after", before >> 20, after >> 20);
        assert!(grown < 32 * 1024 * 1024, "peak memory grew by {} MiB moving 64 MiB each way", grown >> 20);
    }
}
