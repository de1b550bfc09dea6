//! Streaming base64 for vendors that put documents inside JSON or XML.
//!
//! [`encode_stream`] turns a document stream into base64 chunks for a request body; [`Decoder`] and
//! [`decode_stream`] turn a base64 payload (cut out of a response with [`crate::stream::split_at_marker`])
//! back into bytes. Neither holds more than one chunk in memory.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use crate::error::{Error, Result};
use crate::stream::ByteStream;

/// Standard alphabet; padding optional on input, written on output.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes bytes in memory (small values such as credentials in headers).
pub fn encode(input: &[u8]) -> String {
    ENGINE.encode(input)
}

/// Decodes base64 in memory, ignoring whitespace.
///
/// # Errors
/// [`Error::Decode`] on characters outside the alphabet or a bad length.
pub fn decode(vendor: &'static str, input: &[u8]) -> Result<Vec<u8>> {
    let mut d = Decoder::new(vendor, Escapes::None);
    let mut out = BytesMut::new();
    d.push(input, &mut out)?;
    d.finish(&mut out)?;
    Ok(out.to_vec())
}

/// The length of the base64 encoding of `len` bytes, with padding.
pub const fn encoded_len(len: u64) -> u64 {
    len.div_ceil(3) * 4
}

/// Encodes a byte stream as base64, chunk by chunk (no line breaks).
pub fn encode_stream(input: ByteStream) -> ByteStream {
    let state = (input, Vec::<u8>::with_capacity(2), false);
    Box::pin(futures::stream::try_unfold(state, |(mut input, mut carry, done)| async move {
        if done {
            return Ok(None);
        }
        loop {
            match input.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    if chunk.is_empty() {
                        continue;
                    }
                    let mut joined = std::mem::take(&mut carry);
                    joined.extend_from_slice(&chunk);
                    let whole = joined.len() / 3 * 3;
                    carry = joined[whole..].to_vec();
                    if whole == 0 {
                        continue;
                    }
                    let out = ENGINE.encode(&joined[..whole]);
                    return Ok(Some((Bytes::from(out), (input, carry, false))));
                }
                None => {
                    if carry.is_empty() {
                        return Ok(None);
                    }
                    let out = ENGINE.encode(&carry);
                    return Ok(Some((Bytes::from(out), (input, Vec::new(), true))));
                }
            }
        }
    }))
}

/// Which escapes may appear inside the base64 text, by the container it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// A bare body: only whitespace is skipped.
    None,
    /// A JSON string: `\/`, `\uXXXX` (System.Text.Json writes `+` as `\u002B`) and `\r\n` escapes.
    Json,
    /// XML text: character references such as `&#xD;` and `&#43;` .
    Xml,
}

/// A push decoder: feed it base64 text in any chunking, get bytes out.
#[derive(Debug)]
pub struct Decoder {
    vendor: &'static str,
    escapes: Escapes,
    /// Alphabet characters not yet decoded (fewer than 4 between calls).
    quad: Vec<u8>,
    /// An escape sequence split across chunks.
    pending_escape: Vec<u8>,
    padded: bool,
    scratch: Vec<u8>,
}

impl Decoder {
    /// A decoder for text found in the given container.
    pub fn new(vendor: &'static str, escapes: Escapes) -> Self {
        Decoder { vendor, escapes, quad: Vec::new(), pending_escape: Vec::new(), padded: false, scratch: Vec::new() }
    }

    /// Decodes one chunk of text, appending bytes to `out`.
    ///
    /// # Errors
    /// [`Error::Decode`] on a character outside the alphabet, or data after padding.
    pub fn push(&mut self, input: &[u8], out: &mut BytesMut) -> Result<()> {
        let mut clean = std::mem::take(&mut self.scratch);
        clean.clear();
        clean.extend_from_slice(&self.quad);
        self.quad.clear();
        let mut i = 0;
        while i < input.len() {
            let b = input[i];
            if !self.pending_escape.is_empty()
                || (b == b'\\' && self.escapes == Escapes::Json)
                || (b == b'&' && self.escapes == Escapes::Xml)
            {
                self.pending_escape.push(b);
                i += 1;
                if let Some(c) = self.escape_complete()? {
                    self.pending_escape.clear();
                    if let Some(c) = c {
                        self.accept(c, &mut clean, input)?;
                    }
                }
                continue;
            }
            if !b.is_ascii_whitespace() {
                self.accept(b, &mut clean, input)?;
            }
            i += 1;
        }
        let whole = clean.len() / 4 * 4;
        if whole > 0 {
            let start = out.len();
            out.resize(start + whole / 4 * 3, 0);
            let n = ENGINE.decode_slice(&clean[..whole], &mut out[start..]).map_err(|e| {
                Error::decode(self.vendor, "invalid base64", &clean[..whole.min(64)], Some(Box::new(e)))
            })?;
            out.truncate(start + n);
        }
        self.quad.extend_from_slice(&clean[whole..]);
        self.scratch = clean;
        Ok(())
    }

    /// Decodes what is left at the end of the input.
    ///
    /// # Errors
    /// [`Error::Decode`] when the input ended inside an escape or with an impossible length.
    pub fn finish(&mut self, out: &mut BytesMut) -> Result<()> {
        if !self.pending_escape.is_empty() {
            return Err(Error::decode(self.vendor, "base64 text ends inside an escape", &self.pending_escape, None));
        }
        if self.quad.is_empty() {
            return Ok(());
        }
        let tail = std::mem::take(&mut self.quad);
        let decoded = ENGINE
            .decode(&tail)
            .map_err(|e| Error::decode(self.vendor, "invalid base64 ending", &tail, Some(Box::new(e))))?;
        out.extend_from_slice(&decoded);
        Ok(())
    }

    fn accept(&mut self, b: u8, clean: &mut Vec<u8>, input: &[u8]) -> Result<()> {
        let ok = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        if !ok || (self.padded && b != b'=') {
            let what = if ok { "data after base64 padding" } else { "character outside the base64 alphabet" };
            return Err(Error::decode(self.vendor, format!("{what}: {:?}", b as char), input, None));
        }
        if b == b'=' {
            self.padded = true;
        }
        clean.push(b);
        Ok(())
    }

    /// `Ok(None)` while the escape is incomplete; `Ok(Some(None))` for an escape that stands for
    /// whitespace; `Ok(Some(Some(c)))` for one that stands for a character.
    #[allow(clippy::option_option)]
    fn escape_complete(&self) -> Result<Option<Option<u8>>> {
        let e = &self.pending_escape;
        let bad = || Error::decode(self.vendor, "unknown escape in base64 text", e, None);
        match self.escapes {
            Escapes::Json => {
                if e.len() < 2 {
                    return Ok(None);
                }
                match e[1] {
                    b'/' => Ok(Some(Some(b'/'))),
                    b'r' | b'n' | b't' => Ok(Some(None)),
                    b'u' if e.len() < 6 => Ok(None),
                    b'u' => {
                        let hex = std::str::from_utf8(&e[2..6]).map_err(|_| bad())?;
                        let code = u8::try_from(u32::from_str_radix(hex, 16).map_err(|_| bad())?).map_err(|_| bad())?;
                        Ok(Some(if code.is_ascii_whitespace() { None } else { Some(code) }))
                    }
                    _ => Err(bad()),
                }
            }
            Escapes::Xml => {
                if e.last() != Some(&b';') {
                    return if e.len() > 10 { Err(bad()) } else { Ok(None) };
                }
                let body = std::str::from_utf8(&e[1..e.len() - 1]).map_err(|_| bad())?;
                let code = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).map_err(|_| bad())?
                } else if let Some(dec) = body.strip_prefix('#') {
                    dec.parse().map_err(|_| bad())?
                } else {
                    return Err(bad());
                };
                let code = u8::try_from(code).map_err(|_| bad())?;
                Ok(Some(if code.is_ascii_whitespace() { None } else { Some(code) }))
            }
            Escapes::None => Err(bad()),
        }
    }
}

/// Decodes a stream of base64 text into a stream of bytes.
pub fn decode_stream(vendor: &'static str, input: ByteStream, escapes: Escapes) -> ByteStream {
    let state = (input, Decoder::new(vendor, escapes), false);
    Box::pin(futures::stream::try_unfold(state, |(mut input, mut dec, done)| async move {
        if done {
            return Ok(None);
        }
        loop {
            let mut out = BytesMut::new();
            match input.next().await {
                Some(chunk) => {
                    dec.push(&chunk?, &mut out)?;
                    if !out.is_empty() {
                        return Ok(Some((out.freeze(), (input, dec, false))));
                    }
                }
                None => {
                    dec.finish(&mut out)?;
                    return Ok(if out.is_empty() { None } else { Some((out.freeze(), (input, dec, true))) });
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::collect;

    fn stream_of(parts: Vec<Vec<u8>>) -> ByteStream {
        Box::pin(futures::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from(p)))))
    }

    #[tokio::test]
    async fn encode_stream_matches_one_shot_for_any_chunking() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
        for size in [1, 2, 3, 4, 5, 7, 64, 999, 1000] {
            let parts: Vec<Vec<u8>> = data.chunks(size).map(<[u8]>::to_vec).collect();
            let out = collect("t", encode_stream(stream_of(parts)), 1 << 20).await.unwrap();
            assert_eq!(out, ENGINE.encode(&data).as_bytes(), "chunk size {size}");
        }
        assert_eq!(encoded_len(data.len() as u64), ENGINE.encode(&data).len() as u64);
    }

    #[tokio::test]
    async fn decode_stream_round_trips_any_chunking() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 256) as u8).collect();
        let text = ENGINE.encode(&data).into_bytes();
        for size in [1, 3, 4, 5, 76, 4999] {
            let parts: Vec<Vec<u8>> = text.chunks(size).map(<[u8]>::to_vec).collect();
            let out = collect("t", decode_stream("t", stream_of(parts), Escapes::None), 1 << 20).await.unwrap();
            assert_eq!(out, data, "chunk size {size}");
        }
    }

    #[test]
    fn skips_whitespace_and_container_escapes() {
        assert_eq!(decode("t", b"QUJD\r\nREVG\n").unwrap(), b"ABCDEF");
        let mut d = Decoder::new("t", Escapes::Json);
        let mut out = BytesMut::new();
        // "+/8=" with JSON escapes split across pushes: \u002B is '+', \/ is '/', \r\n is a line break.
        d.push(b"\\u00", &mut out).unwrap();
        d.push(b"2B\\/8=\\r\\n", &mut out).unwrap();
        d.finish(&mut out).unwrap();
        assert_eq!(&out[..], &[0xfb, 0xff]);
        let mut d = Decoder::new("t", Escapes::Xml);
        let mut out = BytesMut::new();
        d.push(b"QUJD&#xD;\nRE&#x", &mut out).unwrap();
        d.push(b"55;", &mut out).unwrap();
        d.finish(&mut out).unwrap();
        assert_eq!(&out[..], b"ABCDE");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(decode("t", b"QUJ!").is_err());
        assert!(decode("t", b"QQ==QUJD").is_err());
        assert!(decode("t", b"Q").is_err());
        assert!(decode("t", "Ω".as_bytes()).is_err());
        assert_eq!(decode("t", b"QUI").unwrap(), b"AB", "padding is optional");
        let mut d = Decoder::new("t", Escapes::Json);
        let mut out = BytesMut::new();
        assert!(d.push(b"\\q", &mut out).is_err());
        let mut d = Decoder::new("t", Escapes::Json);
        d.push(b"QUJD\\u00", &mut out).unwrap();
        assert!(d.finish(&mut out).is_err());
    }
}
