//! REST: `POST {base}/REST/{Method}/{json|json2|xml}` with a multipart form.
//!
//! Lists become numbered fields (as the WestFax Postman collection and the vendor's C# SDK send them): scalars
//! `Numbers1…`, `Ids1…`, `StringParams1…` raw, objects `FaxIds1…`, `MethodParams1…` as JSON text, files as streamed
//! parts `Files0…` (the Postman collection, npm client and web samples start files at 0). The RFC 7578 body is written
//! here: in memory when there are no files (so idempotent calls can be retried), streamed file by file otherwise.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{Bytes, BytesMut};
use faxkit::{ByteStream, OpenDocument};
use futures::StreamExt as _;

use faxkit::http::Request;

use super::{Body, Call, Codec, PathCase, ResponseFormat, RestEncoding};
use crate::operation::ParamValue;

/// A multipart body under construction.
struct Multipart {
    boundary: String,
    head: BytesMut,
    segments: Vec<(Bytes, OpenDocument)>,
}

/// Quotes and line breaks cannot appear in a form-data name or file name (copied only when one is there).
fn quoted(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['"', '\r', '\n']) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.replace('"', "%22").replace(['\r', '\n'], " "))
}

impl Multipart {
    fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        Multipart { boundary: format!("faxkit-{t:x}-{n:x}"), head: BytesMut::new(), segments: Vec::new() }
    }

    fn text(&mut self, name: &str, value: &str) {
        // Written piece by piece into the body: a status call has a handful of fields, each formatted once.
        let name = quoted(name);
        let pieces =
            ["--", &self.boundary, "\r\nContent-Disposition: form-data; name=\"", &name, "\"\r\n\r\n", value, "\r\n"];
        for piece in pieces {
            self.head.extend_from_slice(piece.as_bytes());
        }
    }

    fn file(&mut self, name: &str, doc: OpenDocument) {
        let part = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            self.boundary,
            quoted(name),
            quoted(doc.file_name()),
            doc.content_type()
        );
        self.head.extend_from_slice(part.as_bytes());
        let before = self.head.split().freeze();
        self.segments.push((before, doc));
        self.head.extend_from_slice(b"\r\n");
    }

    fn finish(mut self) -> Body {
        self.head.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        let content_type = format!("multipart/form-data; boundary={}", self.boundary);
        let tail = self.head.freeze();
        if self.segments.is_empty() {
            return Body::Bytes { content_type, bytes: tail };
        }
        let mut len = tail.len() as u64;
        let mut streams: Vec<ByteStream> = Vec::new();
        for (before, doc) in self.segments {
            len += before.len() as u64 + doc.len();
            streams.push(faxkit::stream::once(before));
            streams.push(doc.into_stream());
        }
        streams.push(faxkit::stream::once(tail));
        Body::Stream { content_type, len, stream: Box::pin(futures::stream::iter(streams).flatten()) }
    }
}

#[derive(Debug)]
pub(crate) struct Rest {
    pub encoding: RestEncoding,
    pub case: PathCase,
}

#[async_trait::async_trait]
impl Codec for Rest {
    async fn encode(&self, call: Call) -> faxkit::Result<Request> {
        let mut form = Multipart::new();
        for p in call.params {
            match p.value {
                ParamValue::Text(s) => form.text(p.name, &s),
                ParamValue::Nil => {}
                ParamValue::List { values, .. } | ParamValue::Json { values, .. } => {
                    for (i, v) in values.iter().enumerate() {
                        form.text(&format!("{}{}", p.name, i + 1), v);
                    }
                }
                ParamValue::Object(v) => form.text(p.name, &v),
                ParamValue::Files(docs) => {
                    for (i, d) in docs.iter().enumerate() {
                        form.file(&format!("{}{}", p.name, i), d.open().await?);
                    }
                }
            }
        }
        let path = format!("{}/{}/{}", self.case.apply("REST"), call.method, self.encoding.as_str());
        Ok(Request::post(path).body(form.finish().into()))
    }

    fn format(&self) -> ResponseFormat {
        match self.encoding {
            RestEncoding::Xml => ResponseFormat::Xml,
            RestEncoding::Json | RestEncoding::Json2 => ResponseFormat::Json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multipart_bodies_follow_rfc_7578() {
        let mut m = Multipart::new();
        let boundary = m.boundary.clone();
        m.text("Numbers1", "5552001111");
        m.text("we\"ird\r\nname", "v");
        let Body::Bytes { content_type, bytes } = m.finish() else { panic!("no files, so in memory") };
        assert_eq!(content_type, format!("multipart/form-data; boundary={boundary}"));
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"Numbers1\"\r\n\r\n5552001111\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"we%22ird  name\"\r\n\r\nv\r\n--{boundary}--\r\n"
        );
        assert_eq!(std::str::from_utf8(&bytes).unwrap(), expected);

        let mut m = Multipart::new();
        let doc = faxkit::Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf").open().await.unwrap();
        m.file("Files0", doc);
        let Body::Stream { len, stream, .. } = m.finish() else { panic!("files stream") };
        let all = faxkit::stream::collect("t", stream, 1 << 20).await.unwrap();
        assert_eq!(all.len() as u64, len, "declared length matches the body");
        let text = std::str::from_utf8(&all).unwrap();
        assert!(
            text.contains("name=\"Files0\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--")
        );
    }
}
