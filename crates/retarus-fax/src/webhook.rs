//! Parsers for what Retarus POSTs to your server.
//!
//! * **Status push** (Fax4A `statusReportOptions.httpStatusPush`): one `faxJobReport`, XML by default
//!   (namespace [`STATUS_PUSH_NAMESPACE`](crate::model::webhook::STATUS_PUSH_NAMESPACE)), JSON on request.
//!   [`parse_status_push`] takes either. Answer 2xx when you stored it.
//! * **Fax2WS inbound push** (`JSON_POST`): `{"Fax":{"Authentication":…,"FaxDetails":…,"FaxFile":[…]}}` with
//!   every value a string, dates with basic offsets (`+0100`) and the documents base64 inline.
//!   [`parse_fax2ws_push`] parses a body in memory; [`Fax2WsPushReader`] streams it, decoding each document
//!   chunk by chunk, so a 50 MB fax never sits in memory. Check the `Authentication` block against your
//!   credentials ([`Fax2WsAuthentication::matches`](crate::model::webhook::Fax2WsAuthentication::matches),
//!   which compares in constant time).
//!
//! # Bounds on hostile input
//!
//! Anyone who can reach your endpoint can post to it, so every parser here is bounded and answers
//! [`Error::Decode`] past a bound, never a panic, an abort or unbounded memory:
//!
//! | bound | value |
//! |---|---|
//! | status push body ([`parse_status_push`], [`parse_status_push_xml`], [`parse_status_push_json`]) | [`MAX_STATUS_PUSH_BODY`] (1 MiB) |
//! | Fax2WS push held in memory ([`parse_fax2ws_push`]) | [`MAX_FAX2WS_PUSH_BODY`] (64 MiB); stream bigger ones with [`Fax2WsPushReader`] |
//! | XML nesting | [`MAX_XML_DEPTH`] (64) |
//! | XML elements in one document | [`MAX_XML_ELEMENTS`] (10,000) |
//! | attributes on one XML element | [`MAX_XML_ATTRIBUTES`] (64) |
//! | JSON nesting | 128 (serde_json's recursion limit) |
//! | Fax2WS JSON before a document ([`Fax2WsPushReader`]) | 1 MiB |
//!
//! When you mount a parser behind a web framework, also cap the request body there at the same size (for
//! example axum's `DefaultBodyLimit::max(retarus_fax::webhook::MAX_STATUS_PUSH_BODY)`), so an oversized body is
//! refused before it is buffered.

use bytes::{Bytes, BytesMut};
use faxkit::base64::{Decoder, Escapes};
use faxkit::stream::ByteStream;
use faxkit::{Error, Result};
use futures::StreamExt;
use serde_json::Value;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::VENDOR;
use crate::model::webhook::{Fax2WsAuthentication, Fax2WsDetails, Fax2WsPush, FaxJobReport};

/// Largest amount of JSON read before the first document, and between documents.
const MAX_HEADER: usize = 1024 * 1024;

/// Largest status push body the in-memory parsers accept (1 MiB); a real one is a few KiB.
pub const MAX_STATUS_PUSH_BODY: usize = 1024 * 1024;

/// Largest Fax2WS push [`parse_fax2ws_push`] accepts (64 MiB, documents included); stream bigger pushes with
/// [`Fax2WsPushReader`].
pub const MAX_FAX2WS_PUSH_BODY: usize = 64 * 1024 * 1024;

/// Deepest XML element nesting accepted in a status push (a real one nests 3 deep).
pub const MAX_XML_DEPTH: usize = 64;

/// Most XML elements accepted in one status push.
pub const MAX_XML_ELEMENTS: usize = 10_000;

/// Most attributes accepted on one XML element.
pub const MAX_XML_ATTRIBUTES: usize = 64;

/// Refuses a body longer than `limit` with a decode error.
fn check_size(body: &[u8], limit: usize, what: &str) -> Result<()> {
    if body.len() > limit {
        return Err(Error::decode(
            VENDOR,
            format!("{what} of {} bytes is larger than the limit of {limit} bytes", body.len()),
            body,
            None,
        ));
    }
    Ok(())
}

/// Parses a status push in either format (XML when the body starts with `<`, else JSON).
///
/// ```
/// let xml = r#"<faxJobReport xmlns="http://retarus.com/fax4ba/faxws/3/0"><jobId>FJ1</jobId>
///   <faxRecipient><number>+4989</number><status>OK</status><reason>OK</reason>
///   <sentTS>2018-11-08T15:38:08Z</sentTS><durationInSecs>26</durationInSecs></faxRecipient></faxJobReport>"#;
/// let report = retarus_fax::webhook::parse_status_push(xml.as_bytes())?;
/// assert_eq!(report.job_id.as_str(), "FJ1");
/// assert_eq!(report.fax_recipient[0].duration_in_secs, Some(26));
/// # Ok::<(), faxkit::Error>(())
/// ```
///
/// # Errors
/// [`Error::Decode`] with an excerpt of the body, also for a body past the bounds in the
/// [module docs](self#bounds-on-hostile-input).
pub fn parse_status_push(body: &[u8]) -> Result<FaxJobReport> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => parse_status_push_xml(body),
        _ => parse_status_push_json(body),
    }
}

/// Parses the default XML status push. Element names are matched without namespace prefixes, repeated
/// elements become lists, and unknown elements are ignored.
///
/// # Errors
/// [`Error::Decode`], also for a body larger than [`MAX_STATUS_PUSH_BODY`], nested deeper than
/// [`MAX_XML_DEPTH`], or with more than [`MAX_XML_ELEMENTS`] elements or [`MAX_XML_ATTRIBUTES`] attributes on
/// one element.
pub fn parse_status_push_xml(body: &[u8]) -> Result<FaxJobReport> {
    check_size(body, MAX_STATUS_PUSH_BODY, "status push")?;
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::decode(VENDOR, "status push is not UTF-8", body, Some(Box::new(e))))?;
    let value =
        xml_to_value(text).map_err(|m| Error::decode(VENDOR, format!("invalid status push XML: {m}"), body, None))?;
    status_push_from_value(value, body)
}

/// Turns an XML document into JSON with faxkit's hardened tree parser: elements with children become objects
/// (repeated names become arrays), text-only elements become trimmed strings, `xsi:nil` becomes null. The
/// root element's own name is dropped.
///
/// Bounded by [`MAX_XML_DEPTH`], [`MAX_XML_ELEMENTS`] and [`MAX_XML_ATTRIBUTES`], so the tree it builds can be
/// neither deep enough to exhaust the stack (building, deserializing or dropping it recurses) nor huge.
fn xml_to_value(text: &str) -> std::result::Result<Value, String> {
    let limits = faxkit::xml::XmlLimits::default()
        .max_bytes(MAX_STATUS_PUSH_BODY)
        .max_depth(MAX_XML_DEPTH)
        .max_elements(MAX_XML_ELEMENTS)
        .max_attributes(MAX_XML_ATTRIBUTES);
    let root = faxkit::xml::parse(text.as_bytes(), &limits).map_err(|e| e.to_string())?;
    if root.children.is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    Ok(root.into_value(true))
}

fn status_push_from_value(mut value: Value, body: &[u8]) -> Result<FaxJobReport> {
    if let Some(inner) = value.get_mut("faxJobReport").map(Value::take) {
        value = inner;
    }
    for key in ["faxRecipient", "document"] {
        if let Some(v) = value.get_mut(key)
            && v.is_object()
        {
            *v = Value::Array(vec![v.take()]);
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Error::decode(VENDOR, format!("invalid status push: {e}"), body, Some(Box::new(e))))
}

/// Parses a JSON status push: the report object itself or wrapped as `{"faxJobReport":{…}}`; a single
/// recipient or document may be an object instead of an array.
///
/// # Errors
/// [`Error::Decode`], also for a body larger than [`MAX_STATUS_PUSH_BODY`] or nested deeper than 128.
pub fn parse_status_push_json(body: &[u8]) -> Result<FaxJobReport> {
    check_size(body, MAX_STATUS_PUSH_BODY, "status push")?;
    let value: Value = faxkit::http::decode_json(VENDOR, body)?;
    status_push_from_value(value, body)
}

/// Parses a Fax2WS inbound push held in memory.
///
/// # Errors
/// [`Error::Decode`], also for a body larger than [`MAX_FAX2WS_PUSH_BODY`] (stream those with
/// [`Fax2WsPushReader`]).
pub fn parse_fax2ws_push(body: &[u8]) -> Result<Fax2WsPush> {
    check_size(body, MAX_FAX2WS_PUSH_BODY, "Fax2WS push")?;
    faxkit::http::decode_json(VENDOR, body)
}

/// A document of a streamed Fax2WS push.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fax2WsFileInfo {
    /// `FileType` (`"tiff"`), when it precedes the content.
    pub file_type: Option<String>,
    /// `FileName` (`JobID.tiff`), when it precedes the content.
    pub file_name: Option<String>,
}

/// Streams a Fax2WS inbound push: details first, then each document's content decoded chunk by chunk.
///
/// Requires Retarus's default layout, where `Authentication` and `FaxDetails` come before `FaxFile` and
/// each file's `FileType`/`FileName` before its `FileContent`.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use retarus_fax::webhook::Fax2WsPushReader;
/// let body = br#"{"Fax":{"FaxDetails":{"JobID":"K3@J7.x.QA1","DateReceived":"2019-11-18T11:21:04+0100","PageCount":"1"},
///   "FaxFile":[{"FileType":"tiff","FileName":"K3@J7.x.QA1.tiff","FileContent":"SUkqAA=="}]}}"#;
/// let stream = faxkit::stream::once(bytes::Bytes::from_static(body));
/// let mut push = Fax2WsPushReader::new(stream).await?;
/// assert_eq!(push.details().page_count, Some(1));
/// while let Some(file) = push.next_file().await? {
///     let mut out = Vec::new();
///     push.copy_file_to(&mut out).await?;
///     assert_eq!((file.file_name.as_deref(), &out[..]), (Some("K3@J7.x.QA1.tiff"), &b"II*\0"[..]));
/// }
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
pub struct Fax2WsPushReader {
    details: Fax2WsDetails,
    authentication: Option<Fax2WsAuthentication>,
    stream: ByteStream,
    buf: BytesMut,
    eof: bool,
    decoder: Option<Decoder>,
    /// Where the search for a marker in `buf` resumes: no match starts before it. Each byte is searched once
    /// (plus a marker's length at chunk seams), so reading a push is linear in its size whatever the chunking.
    scan_from: usize,
    /// Bytes searched for markers so far (test hook for the linear-scan guarantee).
    #[cfg(test)]
    scanned: usize,
}

impl std::fmt::Debug for Fax2WsPushReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fax2WsPushReader")
            .field("details", &self.details)
            .field("authentication", &self.authentication)
            .finish_non_exhaustive()
    }
}

/// Reads one JSON value of type `T` that follows `"key"` (and a colon) somewhere in `json`.
fn value_after_key<T: serde::de::DeserializeOwned>(json: &[u8], key: &str) -> Result<Option<T>> {
    let needle = format!("\"{key}\"");
    let Some(pos) = find(json, needle.as_bytes()) else { return Ok(None) };
    let rest = &json[pos + needle.len()..];
    let rest = skip_ws(rest);
    let Some(rest) = rest.strip_prefix(b":") else {
        return Err(Error::decode(VENDOR, format!("no ':' after {needle}"), rest, None));
    };
    let mut de = serde_json::Deserializer::from_slice(rest);
    T::deserialize(&mut de)
        .map(Some)
        .map_err(|e| Error::decode(VENDOR, format!("invalid {key} in Fax2WS push: {e}"), rest, Some(Box::new(e))))
}

fn skip_ws(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Fax2WsPushReader {
    /// Reads the push up to its first document and parses the details.
    ///
    /// # Errors
    /// [`Error::Decode`] when `FaxDetails` is missing before the documents, or the JSON is invalid.
    pub async fn new(stream: ByteStream) -> Result<Self> {
        let mut reader = Fax2WsPushReader {
            details: Fax2WsDetails::default_for_reader(),
            authentication: None,
            stream,
            buf: BytesMut::new(),
            eof: false,
            decoder: None,
            scan_from: 0,
            #[cfg(test)]
            scanned: 0,
        };
        let head = reader.read_through(b"\"FaxFile\"").await?;
        let head = match head {
            Some(h) => h,
            None => std::mem::take(&mut reader.buf).freeze(),
        };
        reader.details = value_after_key(&head, "FaxDetails")?
            .ok_or_else(|| Error::decode(VENDOR, "Fax2WS push has no FaxDetails before FaxFile", &head, None))?;
        reader.authentication = value_after_key(&head, "Authentication")?;
        Ok(reader)
    }

    /// The fax's details.
    pub fn details(&self) -> &Fax2WsDetails {
        &self.details
    }

    /// The `Authentication` block, if the push has one.
    pub fn authentication(&self) -> Option<&Fax2WsAuthentication> {
        self.authentication.as_ref()
    }

    async fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        match self.stream.next().await {
            Some(chunk) => {
                self.buf.extend_from_slice(&chunk?);
                Ok(true)
            }
            None => {
                self.eof = true;
                Ok(false)
            }
        }
    }

    /// Reads until `marker`, returning what came before it (marker consumed); `None` at the end of the body.
    async fn read_through(&mut self, marker: &[u8]) -> Result<Option<Bytes>> {
        loop {
            // Only what arrived since the last search is new, but a marker may straddle the seam.
            let from = self.scan_from.min(self.buf.len());
            #[cfg(test)]
            {
                self.scanned += self.buf.len() - from;
            }
            if let Some(pos) = find(&self.buf[from..], marker) {
                let before = self.buf.split_to(from + pos).freeze();
                let _ = self.buf.split_to(marker.len());
                self.scan_from = 0;
                return Ok(Some(before));
            }
            self.scan_from = self.buf.len().saturating_sub(marker.len().saturating_sub(1));
            if self.buf.len() > MAX_HEADER {
                return Err(Error::decode(VENDOR, "Fax2WS push: no document within 1 MiB", &self.buf, None));
            }
            if !self.fill().await? {
                self.scan_from = 0;
                return Ok(None);
            }
        }
    }

    /// Moves to the next document; `None` when there is none left. The previous document's content is
    /// skipped if you did not read it.
    ///
    /// # Errors
    /// [`Error::Decode`] on malformed JSON or base64.
    pub async fn next_file(&mut self) -> Result<Option<Fax2WsFileInfo>> {
        while self.decoder.is_some() {
            self.read_chunk().await?;
        }
        let Some(head) = self.read_through(b"\"FileContent\"").await? else { return Ok(None) };
        let info = Fax2WsFileInfo {
            file_type: value_after_key::<Option<String>>(&head, "FileType")?.flatten(),
            file_name: value_after_key::<Option<String>>(&head, "FileName")?.flatten(),
        };
        // Skip `: "` up to the opening quote of the content.
        loop {
            let n = self.buf.iter().take_while(|c| c.is_ascii_whitespace() || **c == b':').count();
            let _ = self.buf.split_to(n);
            match self.buf.first().copied() {
                Some(b'"') => {
                    let _ = self.buf.split_to(1);
                    break;
                }
                Some(_) => return Err(Error::decode(VENDOR, "FileContent is not a string", &self.buf, None)),
                None => {
                    if !self.fill().await? {
                        return Err(Error::decode(VENDOR, "Fax2WS push ends inside FileContent", b"", None));
                    }
                }
            }
        }
        self.decoder = Some(Decoder::new(VENDOR, Escapes::Json));
        Ok(Some(info))
    }

    /// The next decoded chunk of the current document; `None` at its end.
    ///
    /// # Errors
    /// [`Error::Decode`] on invalid base64 or a body cut off inside the content.
    pub async fn read_chunk(&mut self) -> Result<Option<Bytes>> {
        loop {
            let Some(decoder) = self.decoder.as_mut() else { return Ok(None) };
            let mut out = BytesMut::new();
            if let Some(pos) = self.buf.iter().position(|b| *b == b'"') {
                let text = self.buf.split_to(pos);
                let _ = self.buf.split_to(1);
                decoder.push(&text, &mut out)?;
                decoder.finish(&mut out)?;
                self.decoder = None;
                return Ok(if out.is_empty() { None } else { Some(out.freeze()) });
            }
            let text = self.buf.split();
            decoder.push(&text, &mut out)?;
            if !out.is_empty() {
                return Ok(Some(out.freeze()));
            }
            if !self.fill().await? {
                return Err(Error::decode(VENDOR, "Fax2WS push ends inside FileContent", b"", None));
            }
        }
    }

    /// Writes the current document to `writer`, returning the byte count.
    ///
    /// # Errors
    /// Decode errors; [`Error::Io`] from the writer.
    pub async fn copy_file_to(&mut self, mut writer: impl AsyncWrite + Unpin) -> Result<u64> {
        let mut n = 0u64;
        while let Some(chunk) = self.read_chunk().await? {
            writer.write_all(&chunk).await.map_err(|e| Error::io(VENDOR, "Fax2WS document", e))?;
            n += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| Error::io(VENDOR, "Fax2WS document", e))?;
        Ok(n)
    }
}

impl Fax2WsDetails {
    fn default_for_reader() -> Self {
        Fax2WsDetails {
            job_id: String::new(),
            date_received: None,
            called_number: None,
            remote_csid: None,
            csid: None,
            billing_code: None,
            file_type: None,
            resolution: None,
            total_duration: None,
            baud_rate: None,
            page_count: None,
            status: None,
            calling_number: None,
            archiving_status: None,
            archived_until: None,
            service: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// A stream that yields `body` in chunks of `size` bytes.
    fn chunked(body: &[u8], size: usize) -> ByteStream {
        let chunks: Vec<Result<Bytes>> = body.chunks(size).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        Box::pin(futures::stream::iter(chunks))
    }

    /// The search for `"FaxFile"` and `"FileContent"` looks at each byte about once, however small the chunks:
    /// the old reader searched its whole buffer again after every chunk (n²/2 bytes for n bytes of head).
    #[test]
    fn marker_search_is_linear_in_one_byte_chunks() {
        let padding = " ".repeat(16 * 1024);
        let body = format!(
            r#"{{"Fax":{{"FaxDetails":{{"JobID":"J1","PageCount":"1"}},{padding}"FaxFile":[{{"FileType":"tiff",{padding}"FileContent":"SUkqAA=="}}]}}}}"#
        );
        futures::executor::block_on(async {
            let mut push = Fax2WsPushReader::new(chunked(body.as_bytes(), 1)).await.unwrap();
            assert_eq!(push.details().job_id, "J1");
            let file = push.next_file().await.unwrap().unwrap();
            assert_eq!(file.file_type.as_deref(), Some("tiff"));
            let mut out = Vec::new();
            push.copy_file_to(&mut out).await.unwrap();
            assert_eq!(out, b"II*\0");
            assert!(push.next_file().await.unwrap().is_none());
            // Each byte once, plus up to a marker's length again at every one-byte seam.
            let bound = body.len() * 16;
            assert!(push.scanned <= bound, "searched {} bytes of a {}-byte body", push.scanned, body.len());
        });
    }

    /// A marker split over two chunks at every possible point is still found.
    #[test]
    fn a_marker_across_a_chunk_seam_is_found() {
        let body = br#"{"Fax":{"FaxDetails":{"JobID":"J2"},"FaxFile":[{"FileContent":"SUkqAA=="}]}}"#;
        for size in 1..body.len() {
            futures::executor::block_on(async {
                let mut push = Fax2WsPushReader::new(chunked(body, size)).await.unwrap();
                assert_eq!(push.details().job_id, "J2", "chunks of {size}");
                assert!(push.next_file().await.unwrap().is_some(), "chunks of {size}");
                let mut out = Vec::new();
                push.copy_file_to(&mut out).await.unwrap();
                assert_eq!(out, b"II*\0", "chunks of {size}");
            });
        }
    }
}
