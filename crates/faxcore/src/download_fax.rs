//! `DownloadFax`: a fax image as PDF or TIFF (`GET DownloadFax?faxid={faxID}&filetype={fileType}`).
//!
//! "The requested file content is returned in the HTTP response as a base64 encoded content." The body is
//! decoded as it streams: memory stays flat whatever the size of the fax. The reference shows no sample, so
//! the payload is accepted as the whole body (the documented form), as a JSON string, or as the text of an
//! XML element (`<Results>`, `<DownloadFax>`, ASP.NET's `<string>`, `<base64Binary>`, also in CDATA). Any
//! other XML is an error document and becomes a typed error. The decoded bytes must start like a PDF or a
//! TIFF; the download's content type is what they are.

use bytes::{Bytes, BytesMut};
use faxkit::base64::Escapes;
use faxkit::{ByteStream, Download, Result};
use futures::StreamExt;

use crate::VENDOR;
use crate::client::{Client, Operation};
use crate::error::classify_error;
use crate::model::{FaxId, FileType};

/// How far into the body the payload must start.
const PREFIX_LIMIT: usize = 64 * 1024;
/// How many decoded bytes are inspected to tell PDF from TIFF.
const MAGIC_WINDOW: usize = 1024;
/// XML elements whose text is the base64 payload.
const PAYLOAD_ELEMENTS: &[&str] = &["Results", "DownloadFax", "string", "base64Binary"];

impl Client {
    /// Downloads a fax as `PDF` or `TIF`, streamed and base64-decoded on the fly.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let pdf = bytes::Bytes::from_static(b"%PDF-1.4 inbound");
    /// # let id = sandbox.inject_inbound_fax(&faxkit::FaxNumber::parse("+12125550100")?, pdf.clone());
    /// use faxcore::FileType;
    ///
    /// let download = client.download_fax(id, FileType::Pdf).await?;
    /// assert_eq!(download.content_type, "application/pdf");
    /// let bytes = download.bytes(10 << 20).await?; // or .save(path) to stream it into a file
    /// assert_eq!(bytes, pdf);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] for an unknown id (HTTP 404); [`faxkit::Error::Vendor`] for an XML error
    /// body; [`faxkit::Error::Decode`] when the body is not base64 of a PDF or TIFF (the stream itself fails
    /// with a decode error if bad base64 appears later on).
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, op = "DownloadFax", fax_id = %id, file_type = %file_type))]
    pub async fn download_fax(&self, id: FaxId, file_type: FileType) -> Result<Download> {
        let query = [("faxid", id.to_string()), ("filetype", file_type.as_str().to_owned())];
        let response = self.send_request(Operation::DownloadFax, &query, None).await?;
        let status = response.status().as_u16();
        decode_download(status, self.http().body_stream(response)).await
    }
}

/// Where the base64 text starts in a body prefix, and what encloses it.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    NeedMore,
    /// The whole body is base64 text, from this offset.
    Raw(usize),
    /// A JSON string whose text starts at this offset.
    Json(usize),
    /// XML element text (`cdata`: inside `<![CDATA[`) starting at this offset.
    Xml {
        at: usize,
        element: String,
        cdata: bool,
    },
    /// Not a payload: an error document or something unknown.
    NotPayload,
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
thread_local! {
    /// Bytes handed to [`scan`] on this thread (test hook for the linear-scan guarantee).
    static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn scan(buf: &[u8], ended: bool) -> Scan {
    #[cfg(test)]
    SCANNED.with(|n| n.set(n.get() + buf.len()));
    let more = if ended { Scan::NotPayload } else { Scan::NeedMore };
    let mut i = if buf.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    while buf.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    match buf.get(i) {
        None => more,
        Some(b'"') => Scan::Json(i + 1),
        Some(b'{' | b'[') => Scan::NotPayload,
        Some(b'<') => scan_xml(buf, i, ended),
        Some(_) => Scan::Raw(i),
    }
}

fn scan_xml(buf: &[u8], mut i: usize, ended: bool) -> Scan {
    let more = if ended { Scan::NotPayload } else { Scan::NeedMore };
    let mut open: Vec<String> = Vec::new();
    loop {
        while buf.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let Some(&b) = buf.get(i) else { return more };
        if b != b'<' {
            return match open.last() {
                Some(element) => Scan::Xml { at: i, element: element.clone(), cdata: false },
                None => Scan::NotPayload,
            };
        }
        let rest = &buf[i..];
        let end_marker: &[u8] = if rest.starts_with(b"<?") {
            b"?>"
        } else if rest.starts_with(b"<!--") {
            b"-->"
        } else if rest.starts_with(b"<![CDATA[") {
            return match open.last() {
                Some(element) => Scan::Xml { at: i + 9, element: element.clone(), cdata: true },
                None => Scan::NotPayload,
            };
        } else if rest.len() < 9 && b"<![CDATA[".starts_with(rest) && !ended {
            return Scan::NeedMore;
        } else {
            b">"
        };
        let Some(end) = find(buf, i + 1, end_marker) else { return more };
        let tag = &buf[i + 1..end];
        if rest.starts_with(b"</") {
            open.pop();
        } else if !rest.starts_with(b"<?") && !rest.starts_with(b"<!") && !tag.ends_with(b"/") {
            let name_end = tag.iter().position(|c| c.is_ascii_whitespace() || *c == b'/').unwrap_or(tag.len());
            let name = String::from_utf8_lossy(&tag[..name_end]);
            let local = name.rsplit_once(':').map_or(name.as_ref(), |(_, l)| l).to_owned();
            open.push(local);
        }
        i = end + end_marker.len();
    }
}

/// Finds the base64 payload in a streamed `DownloadFax` body and decodes it as it streams.
pub(crate) async fn decode_download(status: u16, mut stream: ByteStream) -> Result<Download> {
    let mut buf = BytesMut::new();
    let mut ended = false;
    // The scan starts over from the body's first byte, so it runs again only once the buffer has doubled (or
    // the body ended, or the limit is reached): linear in the prefix, however small the chunks. Scanning every
    // chunk made one-byte chunks of a 64 KiB prefix cost 2·10⁹ byte comparisons (93 s under the fuzz build).
    let mut next_scan = 0;
    let found = loop {
        if ended || buf.len() >= next_scan || buf.len() > PREFIX_LIMIT {
            match scan(&buf, ended) {
                Scan::NeedMore => next_scan = buf.len().saturating_mul(2).max(64),
                other => break other,
            }
        }
        if buf.len() > PREFIX_LIMIT {
            return Err(faxkit::Error::decode(
                VENDOR,
                format!("DownloadFax: no base64 payload in the first {PREFIX_LIMIT} bytes"),
                &buf,
                None,
            ));
        }
        match stream.next().await {
            Some(chunk) => buf.extend_from_slice(&chunk?),
            None => ended = true,
        }
    };
    let (at, terminator, escapes) = match found {
        Scan::Raw(at) => (at, None, Escapes::None),
        Scan::Json(at) => (at, Some(b'"'), Escapes::Json),
        Scan::Xml { at, element, cdata } if PAYLOAD_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(&element)) => {
            if cdata {
                (at, Some(b']'), Escapes::None)
            } else {
                (at, Some(b'<'), Escapes::Xml)
            }
        }
        Scan::Xml { .. } | Scan::NotPayload | Scan::NeedMore => {
            // An error document (or something unknown): read it whole, bounded, and type it.
            while buf.len() <= PREFIX_LIMIT {
                match stream.next().await {
                    Some(chunk) => buf.extend_from_slice(&chunk?),
                    None => break,
                }
            }
            return Err(classify_error(Operation::DownloadFax, status, &buf).into());
        }
    };
    let payload = buf.split_off(at).freeze();
    let raw_head = payload.slice(..payload.len().min(faxkit::error::EXCERPT_LEN));
    let text: ByteStream = Box::pin(futures::stream::once(async move { Ok(payload) }).chain(stream));
    let text = match terminator {
        Some(t) => faxkit::stream::take_until(VENDOR, text, t),
        None => text,
    };
    let decoded = faxkit::base64::decode_stream(VENDOR, text, escapes);
    let (content_type, stream) = identify(decoded, &raw_head).await?;
    Ok(Download { content_type: content_type.to_owned(), len: None, stream })
}

/// Reads the first decoded bytes, checks they are a PDF or a TIFF, and puts them back in front.
async fn identify(mut decoded: ByteStream, raw_head: &Bytes) -> Result<(&'static str, ByteStream)> {
    let mut head = BytesMut::new();
    while head.len() < MAGIC_WINDOW {
        match decoded.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(e)) => {
                return Err(faxkit::Error::decode(
                    VENDOR,
                    "DownloadFax: the body is not base64 (an error message?)",
                    raw_head,
                    Some(Box::new(e)),
                ));
            }
            None => break,
        }
    }
    let window = &head[..head.len().min(MAGIC_WINDOW)];
    let content_type = if find(window, 0, b"%PDF-").is_some() {
        "application/pdf"
    } else if window.starts_with(b"II*\0") || window.starts_with(b"MM\0*") {
        "image/tiff"
    } else {
        let what = if head.is_empty() { "an empty payload" } else { "bytes that are neither PDF nor TIFF" };
        return Err(faxkit::Error::decode(
            VENDOR,
            format!("DownloadFax: the base64 body decodes to {what}"),
            raw_head,
            None,
        ));
    };
    let first = head.freeze();
    Ok((content_type, Box::pin(futures::stream::once(async move { Ok(first) }).chain(decoded))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&[u8]]) -> ByteStream {
        let v: Vec<Result<Bytes>> = parts.iter().map(|p| Ok(Bytes::copy_from_slice(p))).collect();
        Box::pin(futures::stream::iter(v))
    }

    async fn body(parts: &[&[u8]]) -> Result<(String, Vec<u8>)> {
        let d = decode_download(200, chunks(parts)).await?;
        let ct = d.content_type.clone();
        Ok((ct, d.bytes(1 << 20).await?.to_vec()))
    }

    // "%PDF-1.4 hi" in base64.
    const PDF64: &str = "JVBERi0xLjQgaGk=";

    /// One-byte chunks of a long prefix are scanned a bounded number of times over: each scan starts from the
    /// first byte, so scanning after every chunk was quadratic.
    #[tokio::test]
    async fn the_payload_scan_is_linear_in_one_byte_chunks() {
        let prefix = format!("<ApiResponse {}>", "a".repeat(60_000));
        let xml = format!("{prefix}<DownloadFax><Results>{PDF64}</Results></DownloadFax></ApiResponse>");
        let parts: Vec<&[u8]> = xml.as_bytes().chunks(1).collect();
        SCANNED.with(|n| n.set(0));
        let (ct, bytes) = body(&parts).await.unwrap();
        assert_eq!((ct.as_str(), &bytes[..]), ("application/pdf", &b"%PDF-1.4 hi"[..]));
        let scanned = SCANNED.with(std::cell::Cell::get);
        assert!(scanned <= 4 * xml.len(), "scanned {scanned} bytes of a {}-byte body", xml.len());
    }

    #[tokio::test]
    async fn every_wrapping_decodes() {
        let want = ("application/pdf".to_owned(), b"%PDF-1.4 hi".to_vec());
        assert_eq!(body(&[b"JVBERi0x", b"LjQg\r\naGk="]).await.unwrap(), want);
        assert_eq!(body(&[b"\"JVBERi0xLjQgaGk=\""]).await.unwrap(), want);
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<ApiResponse><DownloadFax><Results>{PDF64}</Results></DownloadFax></ApiResponse>"
        );
        for split in [1, 5, 30, 60, xml.len() - 1] {
            let (a, b) = xml.as_bytes().split_at(split);
            assert_eq!(body(&[a, b]).await.unwrap(), want, "split {split}");
        }
        let s = format!("<string xmlns=\"http://schemas.microsoft.com/2003/10/Serialization/\">{PDF64}</string>");
        assert_eq!(body(&[s.as_bytes()]).await.unwrap(), want);
        let c = format!("<ApiResponse><DownloadFax><Results><![CDATA[{PDF64}]]></Results></DownloadFax></ApiResponse>");
        assert_eq!(body(&[c.as_bytes()]).await.unwrap(), want);
        // TIFF magic: "II*\0" + bytes.
        let (ct, bytes) = body(&[b"SUkqAAgAAAA="]).await.unwrap();
        assert_eq!((ct.as_str(), &bytes[..4]), ("image/tiff", &b"II*\0"[..]));
    }

    #[tokio::test]
    async fn error_bodies_are_typed() {
        let err = body(&[b"<ApiResponse><Error>Fax not found</Error></ApiResponse>"]).await.unwrap_err();
        assert_eq!(err.kind(), faxkit::ErrorKind::Vendor);
        assert!(err.to_string().contains("Fax not found"), "{err}");
        let err =
            body(&[b"<ApiResponse><DownloadFax><Message>no</Message></DownloadFax></ApiResponse>"]).await.unwrap_err();
        assert_eq!(err.kind(), faxkit::ErrorKind::Vendor);
        for bad in
            [&b"Fax not found"[..], b"Invalid fax id!", b"", b"{\"Message\":\"x\"}", b"<html>oops</html>", b"QUJDREVG"]
        {
            let err = body(&[bad]).await.unwrap_err();
            assert!(matches!(err.kind(), faxkit::ErrorKind::Decode | faxkit::ErrorKind::Vendor), "{bad:?}: {err}");
            if !bad.is_empty() {
                let faxkit::Error::Decode { excerpt, .. } = &err else { continue };
                assert!(!excerpt.is_empty(), "{bad:?}");
            }
        }
    }
}
