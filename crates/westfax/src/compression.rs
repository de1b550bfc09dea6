//! Response decompression, done here rather than by reqwest (reference §5).
//!
//! The client asks for `Accept-Encoding: gzip, deflate` and honours `Content-Encoding` per response (error
//! bodies may come back uncompressed). `deflate` is decoded as zlib (RFC 1950) when the body starts with a
//! zlib header and as raw DEFLATE (RFC 1951) otherwise: .NET's `DeflateStream`, which IIS/ASP.NET use, writes
//! raw DEFLATE, the likely cause of the "zlib can't decompress" reports against this API. Decoding streams
//! chunk by chunk with flate2; memory stays flat.

use std::io::Write;

use bytes::Bytes;
use faxkit::ByteStream;
use flate2::write::{DeflateDecoder, GzDecoder, ZlibDecoder};
use futures::StreamExt;

use crate::VENDOR;

/// The `Accept-Encoding` the client sends.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate";

enum Inflater {
    Gzip(GzDecoder<Vec<u8>>),
    Zlib(ZlibDecoder<Vec<u8>>),
    Raw(DeflateDecoder<Vec<u8>>),
    /// `deflate`, waiting for two bytes to tell zlib from raw.
    Sniff(Vec<u8>),
}

impl Inflater {
    fn push(&mut self, input: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Inflater::Gzip(d) => d.write_all(input).map(|_| std::mem::take(d.get_mut())),
            Inflater::Zlib(d) => d.write_all(input).map(|_| std::mem::take(d.get_mut())),
            Inflater::Raw(d) => d.write_all(input).map(|_| std::mem::take(d.get_mut())),
            Inflater::Sniff(buf) => {
                buf.extend_from_slice(input);
                if buf.len() < 2 {
                    return Ok(Vec::new());
                }
                let head = std::mem::take(buf);
                *self = if is_zlib_header(&head) {
                    Inflater::Zlib(ZlibDecoder::new(Vec::new()))
                } else {
                    Inflater::Raw(DeflateDecoder::new(Vec::new()))
                };
                self.push(&head)
            }
        }
    }

    fn finish(&mut self) -> std::io::Result<Vec<u8>> {
        match self {
            Inflater::Gzip(d) => d.try_finish().map(|_| std::mem::take(d.get_mut())),
            Inflater::Zlib(d) => d.try_finish().map(|_| std::mem::take(d.get_mut())),
            Inflater::Raw(d) => d.try_finish().map(|_| std::mem::take(d.get_mut())),
            Inflater::Sniff(buf) if buf.is_empty() => Ok(Vec::new()),
            Inflater::Sniff(buf) => {
                let head = std::mem::take(buf);
                let mut raw = Inflater::Raw(DeflateDecoder::new(Vec::new()));
                let mut out = raw.push(&head)?;
                out.extend(raw.finish()?);
                Ok(out)
            }
        }
    }
}

/// Whether two bytes are a zlib header (CM = 8, FCHECK valid).
fn is_zlib_header(b: &[u8]) -> bool {
    match b {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Wraps `stream` in the decoder `content_encoding` names (`gzip`, `x-gzip`, `deflate`; `identity` or none
/// pass through).
///
/// # Errors
/// [`faxkit::Error::Unsupported`] for other encodings; the stream fails with [`faxkit::Error::Decode`] on
/// corrupt data.
pub(crate) fn decode(content_encoding: Option<&str>, stream: ByteStream) -> faxkit::Result<ByteStream> {
    let inflater = match content_encoding.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("identity") => return Ok(stream),
        Some("gzip") | Some("x-gzip") => Inflater::Gzip(GzDecoder::new(Vec::new())),
        Some("deflate") => Inflater::Sniff(Vec::new()),
        Some(other) => return Err(faxkit::Error::unsupported(VENDOR, format!("Content-Encoding {other}"))),
    };
    let corrupt =
        |e: std::io::Error| faxkit::Error::decode(VENDOR, "compressed body is corrupt", b"", Some(Box::new(e)));
    let state = (stream, inflater, false);
    Ok(Box::pin(futures::stream::try_unfold(state, move |(mut stream, mut inflater, done)| async move {
        if done {
            return Ok(None);
        }
        loop {
            match stream.next().await {
                Some(chunk) => {
                    let out = inflater.push(&chunk?).map_err(corrupt)?;
                    if !out.is_empty() {
                        return Ok(Some((Bytes::from(out), (stream, inflater, false))));
                    }
                }
                None => {
                    let out = inflater.finish().map_err(corrupt)?;
                    return Ok(Some((Bytes::from(out), (stream, inflater, true))));
                }
            }
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;

    fn chunked(data: Vec<u8>) -> ByteStream {
        let chunks: Vec<faxkit::Result<Bytes>> = data.chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        Box::pin(futures::stream::iter(chunks))
    }

    async fn roundtrip(encoding: &str, data: Vec<u8>) -> Vec<u8> {
        let s = decode(Some(encoding), chunked(data)).unwrap();
        faxkit::stream::collect(VENDOR, s, 1 << 20).await.unwrap().to_vec()
    }

    const TEXT: &[u8] = br#"{"Success":true,"ErrorString":null,"InfoString":null,"Result":"Pong - ping"}"#;

    #[tokio::test]
    async fn gzip_zlib_and_raw_deflate_all_decode() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(TEXT).unwrap();
        assert_eq!(roundtrip("gzip", gz.finish().unwrap()).await, TEXT);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(TEXT).unwrap();
        assert_eq!(roundtrip("deflate", z.finish().unwrap()).await, TEXT);
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
        raw.write_all(TEXT).unwrap();
        assert_eq!(roundtrip("Deflate", raw.finish().unwrap()).await, TEXT);
        assert_eq!(roundtrip("identity", TEXT.to_vec()).await, TEXT);
    }

    #[tokio::test]
    async fn corrupt_bodies_and_unknown_encodings_are_errors() {
        let s = decode(Some("gzip"), chunked(b"not gzip at all".to_vec())).unwrap();
        assert!(faxkit::stream::collect(VENDOR, s, 1024).await.is_err());
        assert!(decode(Some("br"), chunked(Vec::new())).is_err());
    }
}
