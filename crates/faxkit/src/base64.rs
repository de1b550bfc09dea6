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
///
/// Each output chunk is encoded straight from the input chunk into one buffer; at most two bytes are carried
/// to the next chunk.
pub fn encode_stream(input: ByteStream) -> ByteStream {
    let state = (input, Carry::default(), false);
    Box::pin(futures::stream::try_unfold(state, |(mut input, mut carry, done)| async move {
        if done {
            return Ok(None);
        }
        loop {
            match input.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    let out = carry.encode(&chunk);
                    if !out.is_empty() {
                        return Ok(Some((out, (input, carry, false))));
                    }
                }
                None => {
                    let out = carry.finish();
                    return Ok(if out.is_empty() { None } else { Some((out, (input, carry, true))) });
                }
            }
        }
    }))
}

/// Bytes of an encode that did not fill a 3-byte group yet.
#[derive(Debug, Default)]
struct Carry {
    bytes: [u8; 2],
    len: usize,
}

impl Carry {
    /// Encodes the carry plus `chunk` up to the last whole 3-byte group; keeps the rest.
    fn encode(&mut self, mut chunk: &[u8]) -> Bytes {
        let total = self.len + chunk.len();
        let whole = total / 3 * 3;
        if whole == 0 {
            self.bytes[self.len..total].copy_from_slice(chunk);
            self.len = total;
            return Bytes::new();
        }
        let mut out = BytesMut::zeroed(whole / 3 * 4);
        let mut written = 0;
        if self.len > 0 {
            let need = 3 - self.len;
            let mut group = [0u8; 3];
            group[..self.len].copy_from_slice(&self.bytes[..self.len]);
            group[self.len..].copy_from_slice(&chunk[..need]);
            written += encode_into(&group, &mut out[..4]);
            chunk = &chunk[need..];
        }
        let body = chunk.len() / 3 * 3;
        written += encode_into(&chunk[..body], &mut out[written..]);
        out.truncate(written);
        let tail = &chunk[body..];
        self.bytes[..tail.len()].copy_from_slice(tail);
        self.len = tail.len();
        out.freeze()
    }

    /// Encodes what is left, with padding.
    fn finish(&mut self) -> Bytes {
        let tail = &self.bytes[..self.len];
        let out = if tail.is_empty() { Bytes::new() } else { Bytes::from(ENGINE.encode(tail)) };
        self.len = 0;
        out
    }
}

/// Encodes whole 3-byte groups into `out` (which has room for them); returns the bytes written.
fn encode_into(input: &[u8], out: &mut [u8]) -> usize {
    // `out` is sized by the caller for exactly these groups, so this cannot run out of room.
    ENGINE.encode_slice(input, out).unwrap_or(0)
}

/// Bytes of the standard alphabet (without `=`), as a lookup table.
const ALPHABET: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        i += 1;
    }
    t
};

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
    /// Characters of a group not yet decoded (fewer than 4 between calls).
    quad: Vec<u8>,
    /// An escape sequence split across chunks.
    pending_escape: Vec<u8>,
    padded: bool,
}

impl Decoder {
    /// A decoder for text found in the given container.
    pub fn new(vendor: &'static str, escapes: Escapes) -> Self {
        Decoder { vendor, escapes, quad: Vec::with_capacity(4), pending_escape: Vec::new(), padded: false }
    }

    /// Decodes one chunk of text, appending bytes to `out`.
    ///
    /// Runs of plain alphabet characters are decoded straight from `input`; only whitespace, `=`, escapes and
    /// the up to three characters of a group split across chunks go through the byte-by-byte path.
    ///
    /// # Errors
    /// [`Error::Decode`] on a character outside the alphabet, or data after padding.
    pub fn push(&mut self, input: &[u8], out: &mut BytesMut) -> Result<()> {
        let mut i = 0;
        if self.pending_escape.is_empty() && !self.padded {
            // A group split across the previous chunk and this one (network chunks rarely end on a group
            // boundary): complete it from the plain characters this chunk starts with.
            if !self.quad.is_empty() {
                let need = 4 - self.quad.len();
                let take = input.iter().take(need).take_while(|&&c| ALPHABET[c as usize]).count();
                self.quad.extend_from_slice(&input[..take]);
                i = take;
                self.flush_quad(out)?;
            }
            // Fast path for unbroken base64 (what vendors send): decode every whole group of the rest at once.
            // Any whitespace, escape or misplaced padding makes this fail at its first odd byte, and the rest
            // then takes the scanning path below.
            if self.quad.is_empty() {
                let whole = (input.len() - i) / 4 * 4;
                if whole > 0 && self.try_decode(&input[i..i + whole], out) {
                    self.padded = input[i + whole - 1] == b'=';
                    i += whole;
                }
            }
        }
        while i < input.len() {
            let b = input[i];
            if self.pending_escape.is_empty() && !self.padded && ALPHABET[b as usize] {
                let end = input[i..].iter().position(|&c| !ALPHABET[c as usize]).map_or(input.len(), |p| i + p);
                let mut run = &input[i..end];
                if !self.quad.is_empty() {
                    let take = (4 - self.quad.len()).min(run.len());
                    self.quad.extend_from_slice(&run[..take]);
                    run = &run[take..];
                    self.flush_quad(out)?;
                }
                let whole = run.len() / 4 * 4;
                self.decode_into(&run[..whole], out)?;
                self.quad.extend_from_slice(&run[whole..]);
                i = end;
                continue;
            }
            if !self.pending_escape.is_empty()
                || (b == b'\\' && self.escapes == Escapes::Json)
                || (b == b'&' && self.escapes == Escapes::Xml)
            {
                self.pending_escape.push(b);
                if let Some(c) = self.escape_complete()? {
                    self.pending_escape.clear();
                    if let Some(c) = c {
                        self.accept(c, input)?;
                        self.flush_quad(out)?;
                    }
                }
            } else if !b.is_ascii_whitespace() {
                self.accept(b, input)?;
                self.flush_quad(out)?;
            }
            i += 1;
        }
        Ok(())
    }

    /// Decodes the pending group once it has four characters.
    fn flush_quad(&mut self, out: &mut BytesMut) -> Result<()> {
        if self.quad.len() == 4 {
            let quad = std::mem::take(&mut self.quad);
            self.decode_into(&quad, out)?;
            self.quad = quad;
            self.quad.clear();
        }
        Ok(())
    }

    /// Decodes whole groups onto `out` if they are clean base64; leaves `out` as it was otherwise.
    fn try_decode(&self, text: &[u8], out: &mut BytesMut) -> bool {
        let start = out.len();
        out.resize(start + text.len() / 4 * 3, 0);
        match ENGINE.decode_slice(text, &mut out[start..]) {
            Ok(n) => {
                out.truncate(start + n);
                true
            }
            Err(_) => {
                out.truncate(start);
                false
            }
        }
    }

    /// Decodes whole 4-character groups onto `out`.
    fn decode_into(&self, text: &[u8], out: &mut BytesMut) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let start = out.len();
        out.resize(start + text.len() / 4 * 3, 0);
        let n = ENGINE.decode_slice(text, &mut out[start..]).map_err(|e| {
            Error::decode(self.vendor, "invalid base64", &text[..text.len().min(64)], Some(Box::new(e)))
        })?;
        out.truncate(start + n);
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

    fn accept(&mut self, b: u8, input: &[u8]) -> Result<()> {
        let ok = ALPHABET[b as usize] || b == b'=';
        if !ok || (self.padded && b != b'=') {
            let what = if ok { "data after base64 padding" } else { "character outside the base64 alphabet" };
            return Err(Error::decode(self.vendor, format!("{what}: {:?}", b as char), input, None));
        }
        if b == b'=' {
            self.padded = true;
        }
        self.quad.push(b);
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
    fn any_split_gives_the_same_verdict_and_bytes_as_one_shot() {
        // Deterministic pseudo-random texts: valid base64 with whitespace, padding in odd places, stray bytes.
        let mut x: u32 = 0x1234_5678;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let symbols = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n !";
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let (text, expected): (Vec<u8>, Option<Vec<u8>>) = if next() % 2 == 0 {
                let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let mut t = ENGINE.encode(&data).into_bytes();
                if !t.is_empty() && next() % 3 == 0 {
                    let at = (next() as usize) % t.len();
                    t.insert(at, b'\n');
                }
                (t, Some(data))
            } else {
                ((0..len).map(|_| symbols[(next() as usize) % symbols.len()]).collect(), None)
            };
            let whole = decode("t", &text);
            if let Some(data) = &expected {
                assert_eq!(whole.as_ref().ok(), Some(data), "{:?}", String::from_utf8_lossy(&text));
            }
            for cut in 0..=text.len() {
                // Three pieces: a group split over a boundary is completed, then the rest takes the fast path.
                let cut2 = (cut + (next() as usize) % 7).min(text.len());
                let mut d = Decoder::new("t", Escapes::None);
                let mut out = BytesMut::new();
                let r = d.push(&text[..cut], &mut out).and_then(|()| d.push(&text[cut..cut2], &mut out));
                let r = r.and_then(|()| d.push(&text[cut2..], &mut out)).and_then(|()| d.finish(&mut out));
                assert_eq!(r.is_ok(), whole.is_ok(), "{:?} cut at {cut}", String::from_utf8_lossy(&text));
                if let Ok(w) = &whole {
                    assert_eq!(&out[..], &w[..], "{:?} cut at {cut}", String::from_utf8_lossy(&text));
                }
            }
        }
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
