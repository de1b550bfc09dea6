//! Byte streams: the one body type uploads and downloads share, and helpers to cut a payload out of a
//! streamed response without buffering it.

use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt, TryStreamExt};

use crate::error::{Error, Result};

/// A stream of byte chunks whose errors are faxkit errors. Every download and every streamed upload is one.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send + 'static>>;

/// The body of a `reqwest::Response` as a [`ByteStream`]; body errors become transport or timeout errors.
pub fn response_stream(vendor: &'static str, response: reqwest::Response) -> ByteStream {
    Box::pin(response.bytes_stream().map_err(move |e| {
        if e.is_timeout() {
            Error::Timeout { vendor, elapsed: std::time::Duration::ZERO }
        } else {
            Error::transport(vendor, e)
        }
    }))
}

/// A [`ByteStream`] over bytes already in memory.
pub fn once(bytes: Bytes) -> ByteStream {
    Box::pin(futures::stream::once(async move { Ok(bytes) }))
}

/// Collects a stream into memory, refusing more than `limit` bytes. Meant for small bodies (JSON, XML
/// envelopes, error pages), never for documents.
pub async fn collect(vendor: &'static str, mut stream: ByteStream, limit: usize) -> Result<Bytes> {
    // A body that arrives in one chunk (the usual small reply) is handed back as it came, without a copy.
    let mut single: Option<Bytes> = None;
    let mut buf = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let so_far = buf.len() + single.as_ref().map_or(0, Bytes::len);
        if so_far + chunk.len() > limit {
            let seen = single.as_deref().unwrap_or(&buf);
            return Err(Error::decode(vendor, format!("response body exceeds {limit} bytes"), seen, None));
        }
        if so_far == 0 {
            single = Some(chunk);
            continue;
        }
        if let Some(first) = single.take() {
            buf.extend_from_slice(&first);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(single.unwrap_or_else(|| buf.freeze()))
}

/// The result of [`split_at_marker`].
#[allow(missing_debug_implementations)]
pub enum Split {
    /// The marker was found: what came before it, and the stream right after it.
    Found {
        /// Everything before the marker (at most `max_prefix` bytes).
        prefix: Bytes,
        /// The rest of the body, starting right after the marker.
        rest: ByteStream,
    },
    /// The stream ended before the marker appeared: the whole (small) body, e.g. an error envelope.
    NotFound {
        /// The whole body.
        body: Bytes,
    },
}

/// Reads `stream` until `marker` appears, keeping at most `max_prefix` bytes before it.
///
/// Vendors that embed a base64 document in a JSON or XML response (`"FileContents":"…"`, `<Data>…</Data>`)
/// use this to reach the payload, then [`take_until`] and [`crate::base64::decode_stream`] to decode it
/// without holding the document in memory.
///
/// # Errors
/// [`Error::Decode`] when `max_prefix` bytes pass without the marker; stream errors as they come.
pub async fn split_at_marker(
    vendor: &'static str,
    mut stream: ByteStream,
    marker: &[u8],
    max_prefix: usize,
) -> Result<Split> {
    let mut buf = BytesMut::new();
    let mut searched = 0usize;
    while let Some(chunk) = stream.next().await {
        buf.extend_from_slice(&chunk?);
        let from = searched.saturating_sub(marker.len());
        if let Some(pos) = find(&buf[from..], marker) {
            let pos = from + pos;
            let mut after = buf.split_off(pos);
            let _ = after.split_to(marker.len());
            let first = after.freeze();
            let rest: ByteStream = if first.is_empty() {
                stream
            } else {
                Box::pin(futures::stream::once(async move { Ok(first) }).chain(stream))
            };
            return Ok(Split::Found { prefix: buf.freeze(), rest });
        }
        searched = buf.len();
        if buf.len() > max_prefix {
            let what = String::from_utf8_lossy(marker).into_owned();
            return Err(Error::decode(
                vendor,
                format!("{what:?} not found in the first {max_prefix} bytes"),
                &buf,
                None,
            ));
        }
    }
    Ok(Split::NotFound { body: buf.freeze() })
}

/// Yields bytes from `stream` up to (not including) the first `terminator` byte, then ends. Whatever
/// follows the terminator is drained and discarded.
///
/// # Errors
/// The returned stream fails with [`Error::Decode`] if `stream` ends before the terminator.
pub fn take_until(vendor: &'static str, stream: ByteStream, terminator: u8) -> ByteStream {
    let state = (stream, false);
    Box::pin(futures::stream::try_unfold(state, move |(mut stream, done)| async move {
        if done {
            return Ok(None);
        }
        match stream.next().await {
            None => Err(Error::decode(vendor, "document payload was cut off before its end", b"", None)),
            Some(Err(e)) => Err(e),
            Some(Ok(chunk)) => match memchr::memchr(terminator, &chunk) {
                Some(pos) => {
                    // Drain the tail so the connection can be reused.
                    while let Some(rest) = stream.next().await {
                        rest?;
                    }
                    Ok(Some((chunk.slice(..pos), (stream, true))))
                }
                None => Ok(Some((chunk, (stream, false)))),
            },
        }
    }))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> ByteStream {
        let v: Vec<Result<Bytes>> = parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        Box::pin(futures::stream::iter(v))
    }

    #[tokio::test]
    async fn collect_joins_chunks_and_keeps_a_single_one_as_is() {
        let one = Bytes::from_static(b"{\"a\":1}");
        let got = collect("t", once(one.clone()), 64).await.unwrap();
        assert_eq!(got.as_ptr(), one.as_ptr(), "a one-chunk body is not copied");
        for parts in [&[&b""[..], b"ab", b"", b"cd", b"e"][..], &[b"ab", b"cde"], &[b"abcde", b""], &[b"", b"abcde"]] {
            assert_eq!(&collect("t", chunks(parts), 5).await.unwrap()[..], b"abcde", "{parts:?}");
        }
        assert!(collect("t", chunks(&[]), 5).await.unwrap().is_empty());
        for parts in [&[&b"abcdef"[..]][..], &[b"abc", b"def"], &[b"", b"abc", b"d", b"ef"]] {
            let err = collect("t", chunks(parts), 5).await.unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Decode, "{parts:?}");
        }
    }

    #[tokio::test]
    async fn finds_marker_split_across_chunks() {
        let s = chunks(&[b"{\"Success\":true,\"File", b"Contents\":\"QUJD", b"REVG\",\"x\":1}"]);
        let Split::Found { prefix, rest } = split_at_marker("t", s, b"\"FileContents\":\"", 1024).await.unwrap() else {
            panic!("marker not found")
        };
        assert_eq!(&prefix[..], b"{\"Success\":true,");
        let payload = collect("t", take_until("t", rest, b'"'), 1024).await.unwrap();
        assert_eq!(&payload[..], b"QUJDREVG");
    }

    #[tokio::test]
    async fn missing_marker_returns_whole_body() {
        let s = chunks(&[b"{\"Success\":false,", b"\"ErrorString\":\"no\"}"]);
        match split_at_marker("t", s, b"\"FileContents\":\"", 1024).await.unwrap() {
            Split::NotFound { body } => assert!(body.ends_with(b"\"no\"}")),
            Split::Found { .. } => panic!("found a marker that is not there"),
        }
    }

    #[tokio::test]
    async fn prefix_limit_is_enforced_and_cut_payload_is_an_error() {
        let s = chunks(&[b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", b"bbbbbbbbbbbbbbbbbbbbbbb"]);
        assert!(split_at_marker("t", s, b"<Data>", 16).await.is_err());
        let cut = take_until("t", chunks(&[b"QUJD"]), b'<');
        assert!(collect("t", cut, 1024).await.is_err());
        let big = chunks(&[b"0123456789"]);
        assert!(collect("t", big, 4).await.is_err());
    }
}
