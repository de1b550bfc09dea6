//! Request bodies of the encoders: in memory, or streamed with the documents' base64 stitched in.

use std::fmt;

use bytes::Bytes;
use faxkit::{ByteStream, OpenDocument};
use futures::StreamExt as _;

use crate::VENDOR;
use crate::operation::{Param, ParamValue};

/// An encoded request body: in memory (replayable, so idempotent calls can be retried) or streamed (files).
pub(crate) enum Body {
    Bytes { content_type: String, bytes: Bytes },
    Stream { content_type: String, len: u64, stream: ByteStream },
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Bytes { content_type, bytes } => write!(f, "Body::Bytes({content_type}, {} bytes)", bytes.len()),
            Body::Stream { content_type, len, .. } => write!(f, "Body::Stream({content_type}, {len} bytes)"),
        }
    }
}

impl From<Body> for faxkit::http::Body {
    fn from(body: Body) -> Self {
        match body {
            Body::Bytes { content_type, bytes } => {
                faxkit::http::Body::Bytes { bytes, content_type: content_type.into() }
            }
            Body::Stream { content_type, len, stream } => faxkit::http::Body::Stream {
                body: reqwest::Body::wrap_stream(stream),
                content_type: content_type.into(),
                len: Some(len),
            },
        }
    }
}

/// Opens every document of the parameters, in order (files are read lazily, streamed later).
pub(crate) async fn open_files(params: &[Param]) -> faxkit::Result<Vec<OpenDocument>> {
    let mut out = Vec::new();
    for p in params {
        if let ParamValue::Files(docs) = &p.value {
            for d in docs {
                out.push(d.open().await?);
            }
        }
    }
    Ok(out)
}

/// The text put where a file's base64 goes while a body is serialized; replaced by the streamed file.
pub(crate) fn placeholder(index: usize) -> String {
    format!("@@FAXKIT-FILE-{index}@@")
}

/// Turns a serialized body with file placeholders into a stream: text, file base64, text, … (in memory when
/// there are no files).
pub(crate) fn stitch(serialized: Vec<u8>, files: Vec<OpenDocument>, content_type: String) -> faxkit::Result<Body> {
    if files.is_empty() {
        return Ok(Body::Bytes { content_type, bytes: Bytes::from(serialized) });
    }
    let mut segments: Vec<ByteStream> = Vec::new();
    let mut len = 0u64;
    let mut rest = Bytes::from(serialized);
    for (i, doc) in files.into_iter().enumerate() {
        let marker = placeholder(i);
        let Some(pos) = find(&rest, marker.as_bytes()) else {
            return Err(faxkit::Error::invalid_input(VENDOR, "internal: file placeholder missing from body"));
        };
        let head = rest.slice(..pos);
        rest = rest.slice(pos + marker.len()..);
        len += head.len() as u64 + faxkit::base64::encoded_len(doc.len());
        segments.push(faxkit::stream::once(head));
        segments.push(doc.into_base64_stream());
    }
    len += rest.len() as u64;
    segments.push(faxkit::stream::once(rest));
    let stream: ByteStream = Box::pin(futures::stream::iter(segments).flatten());
    Ok(Body::Stream { content_type, len, stream })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
