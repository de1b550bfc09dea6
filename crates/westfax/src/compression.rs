//! Response decompression, done here rather than by reqwest (WestFax answers `gzip` or `deflate`, the latter sometimes
//! raw as .NET's `DeflateStream` writes it).
//!
//! The client asks for `Accept-Encoding: gzip, deflate` and honours `Content-Encoding` per response (error
//! bodies may come back uncompressed). `deflate` is decoded as zlib (RFC 1950) when the body starts with a
//! zlib header and as raw DEFLATE (RFC 1951) otherwise: .NET's `DeflateStream`, which IIS/ASP.NET use, writes
//! raw DEFLATE, the likely cause of the "zlib can't decompress" reports against this API. Decoding streams
//! chunk by chunk with flate2; memory stays flat.
//!
//! Output is bounded, not just input: each network chunk is fed to the inflater in slices of `INPUT_SLICE`
//! bytes and handed on in pieces of at most `MAX_PIECE` bytes, so a compression bomb (10 MB of zeros in
//! 10 KB) meets the caller's size limit after at most the limit plus one piece.

use std::io::Write;

use bytes::Bytes;
use faxkit::ByteStream;
use flate2::write::{DeflateDecoder, GzDecoder, ZlibDecoder};
use futures::StreamExt;

use crate::VENDOR;

/// Most bytes one piece of the decoded stream holds. Compressed input is fed in small slices, so no network
/// chunk, however well it compresses, is inflated whole before the caller's size limit sees it.
const MAX_PIECE: usize = 1024 * 1024;

/// Compressed bytes fed to the inflater at a time.
const INPUT_SLICE: usize = 512;

/// Most decoded bytes one slice can yield: DEFLATE expands a byte at most about 1032 times, plus what flate2
/// holds in its 32 KiB buffer.
const MAX_SLICE_OUTPUT: usize = INPUT_SLICE * 1032 + 32 * 1024;
const _: () = assert!(MAX_SLICE_OUTPUT < MAX_PIECE, "every piece must have room for one slice");

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
    // (network stream, inflater, compressed bytes not yet fed, finished)
    let state = (stream, inflater, Bytes::new(), false);
    Ok(Box::pin(futures::stream::try_unfold(state, move |(mut stream, mut inflater, mut pending, done)| async move {
        if done {
            return Ok(None);
        }
        loop {
            if !pending.is_empty() {
                let mut out = Vec::new();
                while !pending.is_empty() && out.len() + MAX_SLICE_OUTPUT <= MAX_PIECE {
                    let slice = pending.split_to(pending.len().min(INPUT_SLICE));
                    out.extend(inflater.push(&slice).map_err(corrupt)?);
                }
                if !out.is_empty() {
                    return Ok(Some((Bytes::from(out), (stream, inflater, pending, false))));
                }
                continue;
            }
            match stream.next().await {
                Some(chunk) => pending = chunk?,
                None => {
                    let out = inflater.finish().map_err(corrupt)?;
                    return Ok(Some((Bytes::from(out), (stream, inflater, pending, true))));
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

    /// 10 MB of zeros, compressed (about 10 KB), arriving as one network chunk.
    fn bomb(encoding: &str) -> Vec<u8> {
        let zeros = vec![0u8; 10 * 1024 * 1024];
        match encoding {
            "gzip" => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::best());
                e.write_all(&zeros).unwrap();
                e.finish().unwrap()
            }
            "zlib" => {
                let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
                e.write_all(&zeros).unwrap();
                e.finish().unwrap()
            }
            _ => {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::best());
                e.write_all(&zeros).unwrap();
                e.finish().unwrap()
            }
        }
    }

    #[tokio::test]
    async fn a_compression_bomb_is_inflated_in_bounded_pieces_and_stopped_at_the_limit() {
        for (encoding, label) in [("gzip", "gzip"), ("deflate", "zlib"), ("deflate", "raw")] {
            let body = bomb(label);
            assert!(body.len() < 64 * 1024, "{label}: {}", body.len());
            let one_chunk = || -> ByteStream { Box::pin(futures::stream::iter([Ok(Bytes::from(body.clone()))])) };
            // Against a 1 MiB limit: a typed error.
            let err = faxkit::stream::collect(VENDOR, decode(Some(encoding), one_chunk()).unwrap(), 1 << 20)
                .await
                .unwrap_err();
            assert!(matches!(err, faxkit::Error::Decode { .. }), "{label}: {err:?}");
            // Every piece the inflater hands over is bounded, so the collector stops it after at most the
            // limit plus one piece, whatever ratio the network chunk has.
            let mut s = decode(Some(encoding), one_chunk()).unwrap();
            let mut total = 0usize;
            while let Some(piece) = s.next().await {
                let piece = piece.unwrap();
                assert!(piece.len() <= MAX_PIECE, "{label}: a piece of {} bytes", piece.len());
                total += piece.len();
            }
            assert_eq!(total, 10 * 1024 * 1024, "{label}");
        }
    }

    #[tokio::test]
    async fn corrupt_bodies_and_unknown_encodings_are_errors() {
        let s = decode(Some("gzip"), chunked(b"not gzip at all".to_vec())).unwrap();
        assert!(faxkit::stream::collect(VENDOR, s, 1024).await.is_err());
        assert!(decode(Some("br"), chunked(Vec::new())).is_err());
    }
}
