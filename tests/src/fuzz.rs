//! The bodies of the fuzz targets in `fuzz/`, kept here so every crashing input found becomes a regression
//! test (`tests/fuzz_regressions.rs` replays `fuzz/seeds/` and `fuzz/regressions/` through them).
//!
//! Each function must return normally for any input: decoders answer `Ok` or a typed error, never panic.

use bytes::{Bytes, BytesMut};
use faxkit::base64::{Decoder, Escapes};
use faxkit::stream::ByteStream;

/// A fuzz target body: must return normally for any input.
pub type Target = fn(&[u8]);

/// Every fuzz target, by name, for replaying corpora.
pub const TARGETS: &[(&str, Target)] = &[
    ("fax_number", fax_number),
    ("timestamps", timestamps),
    ("base64_stream", base64_stream),
    ("payload_split", payload_split),
    ("interfax_json", interfax_json),
    ("westfax_json", westfax_json),
    ("westfax_xml", westfax_xml),
    ("westfax_callback", westfax_callback),
    ("faxcore_dates", faxcore_dates),
    ("faxcore_xml", faxcore_xml),
    ("fax2_json", fax2_json),
    ("retarus_json", retarus_json),
    ("retarus_webhooks", retarus_webhooks),
    ("fax2ws_push_stream", fax2ws_push_stream),
    ("faxcore_download", faxcore_download),
    ("westfax_document", westfax_document),
    ("westfax_inflate", westfax_inflate),
    ("header_values", header_values),
];

/// Most bytes a streaming target reads from a decoded stream: well above what a fuzz input (at most 256 KiB)
/// can decode to, except a compression bomb, which must meet the limit and stop.
const STREAM_LIMIT: usize = 4 << 20;

/// Splits a fuzz input into network chunks at fuzzer-chosen points, so every chunk seam is explored.
///
/// The first byte `k` says how many size bytes follow (`k % 4 + 1`); the sizes are used in turn until the rest
/// of the input is cut up. A size byte `b` below 192 means `b + 1` bytes (one-byte chunks included), above it
/// `(b - 191) × 4 KiB`.
pub fn chunked(data: &[u8]) -> Vec<Bytes> {
    let Some((&k, rest)) = data.split_first() else { return Vec::new() };
    let count = usize::from(k % 4) + 1;
    let (sizes, body) = rest.split_at(count.min(rest.len()));
    let sizes: Vec<usize> =
        sizes.iter().map(|&b| if b < 192 { usize::from(b) + 1 } else { usize::from(b - 191) * 4096 }).collect();
    let mut chunks = Vec::new();
    let mut at = 0;
    for size in sizes.iter().cycle() {
        if at >= body.len() {
            break;
        }
        let end = (at + size).min(body.len());
        chunks.push(Bytes::copy_from_slice(&body[at..end]));
        at = end;
    }
    chunks
}

/// A stream that yields `chunks` in order.
fn stream_of(chunks: &[Bytes]) -> ByteStream {
    let owned: Vec<Bytes> = chunks.to_vec();
    Box::pin(futures::stream::iter(owned.into_iter().map(Ok)))
}

/// What a streamed Fax2WS push read to its end yielded: details and authentication (as `Debug` text) and every
/// document with its decoded bytes.
type Fax2WsRead = (String, Vec<(retarus_fax::webhook::Fax2WsFileInfo, Vec<u8>)>);

/// Reads a streamed Fax2WS push to its end; `None` when any step failed.
fn read_fax2ws(chunks: &[Bytes]) -> Option<Fax2WsRead> {
    futures::executor::block_on(async {
        let mut push = retarus_fax::webhook::Fax2WsPushReader::new(stream_of(chunks)).await.ok()?;
        let head = format!("{:?} {:?}", push.details(), push.authentication());
        let mut files = Vec::new();
        while let Some(info) = push.next_file().await.ok()? {
            let mut bytes = Vec::new();
            while let Some(chunk) = push.read_chunk().await.ok()? {
                bytes.extend_from_slice(&chunk);
            }
            files.push((info, bytes));
        }
        Some((head, files))
    })
}

/// The streaming Fax2WS inbound push reader (`Fax2WsPushReader`), fed in fuzzer-chosen chunks: it must end
/// and yield exactly what it yields for the same body in one chunk.
pub fn fax2ws_push_stream(data: &[u8]) {
    let chunks = chunked(data);
    let whole: Vec<Bytes> = match chunks.iter().map(|c| c.len()).sum::<usize>() {
        0 => Vec::new(),
        _ => vec![chunks.concat().into()],
    };
    assert_eq!(read_fax2ws(&chunks), read_fax2ws(&whole), "chunking changed what the push reader yields");
}

/// FaxCore `DownloadFax`: finding the base64 payload (raw, JSON string, XML element text or CDATA) in a
/// streamed body, then decoding it, for a success and two error statuses (first byte picks the status).
pub fn faxcore_download(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let status = [200, 404, 500][usize::from(pick % 3)];
    futures::executor::block_on(faxcore::__fuzz::download(status, &chunked(rest), STREAM_LIMIT));
}

/// WestFax document streaming: the `FileContents` scanner and base64 decoder of `download_document`, and the
/// `FileContents` stripper of `list_inbound` (first byte picks JSON, XML or SOAP).
pub fn westfax_document(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    futures::executor::block_on(westfax::__fuzz::document_stream(&chunked(rest), pick % 3, STREAM_LIMIT));
}

/// WestFax response decompression (gzip, zlib or raw deflate; first byte picks the `Content-Encoding`): it
/// must stop at the size limit on a compression bomb.
pub fn westfax_inflate(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let encoding = ["gzip", "deflate", "x-gzip"][usize::from(pick % 3)];
    futures::executor::block_on(westfax::__fuzz::inflate(&chunked(rest), encoding, STREAM_LIMIT));
}

/// Header values and ids a server chooses: `Retry-After`, InterFAX `X-Content-Range`, and Retarus document
/// URLs and file ids (a file name escaped into a URL reads back as itself).
pub fn header_values(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = faxkit::retry::parse_retry_after(text);
    if let Some(range) = interfax::ContentRange::parse(text) {
        let _ = range.end.checked_sub(range.start);
    }
    let doc = serde_json::json!({ "url": text });
    if let Ok(doc) = serde_json::from_value::<retarus_fax::model::pull::InboundDocument>(doc) {
        let _ = doc.file_name();
        let _ = doc.file_id_and_extension();
    }
    if !text.is_empty() {
        let doc = retarus_fax::model::pull::InboundDocument::for_file(text);
        assert_eq!(doc.file_name().as_deref(), Some(text), "a file name does not survive its URL");
    }
}

/// Fax number parsing with and without a default country.
pub fn fax_number(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(n) = faxkit::FaxNumber::parse(text) {
        // A parsed number re-parses to itself in every vendor form.
        assert_eq!(faxkit::FaxNumber::parse(&n.e164()).ok().as_ref(), Some(&n));
        assert_eq!(faxkit::FaxNumber::parse(&n.international_00()).ok().as_ref(), Some(&n));
        assert_eq!(faxkit::FaxNumber::from_international_digits(&n.digits()).ok().as_ref(), Some(&n));
    }
    for cc in [1, 44, 39, 61] {
        if let Ok(country) = faxkit::CountryCode::new(cc) {
            let _ = faxkit::FaxNumber::parse_with_country(text, country);
        }
    }
}

/// Vendor timestamp parsing (lenient UTC, Pacific wall-clock time).
pub fn timestamps(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = faxkit::VendorTime::parse(text);
    let _ = faxkit::time::parse_in_zone(text, "%m/%d/%Y %I:%M:%S %p", "America/Los_Angeles");
}

/// The streaming base64 decoder in every container mode, fed in uneven chunks; for bare text it must agree
/// with one-shot decoding.
pub fn base64_stream(data: &[u8]) {
    let Some((&split, rest)) = data.split_first() else { return };
    let cut = (split as usize).min(rest.len());
    for escapes in [Escapes::None, Escapes::Json, Escapes::Xml] {
        let mut d = Decoder::new("fuzz", escapes);
        let mut out = BytesMut::new();
        let chunked = d
            .push(&rest[..cut], &mut out)
            .and_then(|()| d.push(&rest[cut..], &mut out))
            .and_then(|()| d.finish(&mut out));
        if escapes == Escapes::None {
            let whole = faxkit::base64::decode("fuzz", rest);
            assert_eq!(chunked.is_ok(), whole.is_ok(), "chunking changed the verdict");
            if let (Ok(()), Ok(w)) = (chunked, whole) {
                assert_eq!(&out[..], &w[..], "chunking changed the bytes");
            }
        }
    }
}

/// Cutting a base64 payload out of a streamed JSON/XML body, then decoding it.
pub fn payload_split(data: &[u8]) {
    let chunks: Vec<faxkit::Result<Bytes>> = data.chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let stream: ByteStream = Box::pin(futures::stream::iter(chunks));
    futures::executor::block_on(async move {
        if let Ok(faxkit::stream::Split::Found { rest, .. }) =
            faxkit::stream::split_at_marker("fuzz", stream, b"\"FileContents\":\"", 4096).await
        {
            let payload = faxkit::stream::take_until("fuzz", rest, b'"');
            let decoded = faxkit::base64::decode_stream("fuzz", payload, Escapes::Json);
            let _ = faxkit::stream::collect("fuzz", decoded, 1 << 20).await;
        }
    });
}

/// InterFAX JSON: error bodies and every response model.
pub fn interfax_json(data: &[u8]) {
    for status in [400, 401, 404, 500] {
        let _ = interfax::ApiError::parse(status, data);
    }
    let _ = serde_json::from_slice::<interfax::OutboundFax>(data);
    let _ = serde_json::from_slice::<Vec<interfax::OutboundFax>>(data);
    let _ = serde_json::from_slice::<Vec<interfax::InboundFax>>(data);
    let _ = serde_json::from_slice::<Vec<interfax::ForwardingEmail>>(data);
    let _ = serde_json::from_slice::<interfax::UploadedDocument>(data);
    let _ = serde_json::from_slice::<interfax::Batch>(data);
    let _ = serde_json::from_slice::<interfax::Decimal>(data);
    let _ = std::str::from_utf8(data).map(interfax::ContentRange::parse);
}

/// WestFax JSON envelopes.
pub fn westfax_json(data: &[u8]) {
    let _ = serde_json::from_slice::<westfax::ApiResult<serde_json::Value>>(data);
    let _ = serde_json::from_slice::<westfax::ApiResult<Vec<westfax::model::fax::FaxDescItem>>>(data);
}

/// WestFax replies over every transport: JSON, .NET XmlSerializer XML, SOAP 1.1/1.2 envelopes and faults.
pub fn westfax_xml(data: &[u8]) {
    westfax::__fuzz::decode_response(data);
}

/// FaxCore `<ApiResponse>` replies (and error bodies) for every operation.
pub fn faxcore_xml(data: &[u8]) {
    faxcore::__fuzz::decode_response(data);
}

/// WestFax callback queries and callback URL templates.
pub fn westfax_callback(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = westfax::callback::CallbackEvent::from_query(text);
    let _ = westfax::fax::CallbackUrl::parse(text);
}

/// FaxCore Pacific-time dates.
pub fn faxcore_dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = faxcore::model::time::parse_pst(text);
}

/// Fax2 JSON: error bodies and every response model.
pub fn fax2_json(data: &[u8]) {
    for status in [400, 401, 402, 404, 500] {
        let _ = fax2::ApiError::parse(status, data);
    }
    let _ = serde_json::from_slice::<fax2::model::received_faxes::ReceivedFaxesPage>(data);
    let _ = serde_json::from_slice::<fax2::model::sent_faxes::SentFax>(data);
    let _ = serde_json::from_slice::<fax2::model::oauth2::TokenResponse>(data);
    let _ = serde_json::from_slice::<fax2::model::fax_services::FaxServiceList>(data);
}

/// Retarus JSON: Fax2WSPull fetch responses and Fax4A reports.
pub fn retarus_json(data: &[u8]) {
    let _ = serde_json::from_slice::<retarus_fax::FetchResponse>(data);
    let _ = serde_json::from_slice::<retarus_fax::FaxReport>(data);
    let _ = serde_json::from_slice::<retarus_fax::FaxJobResponse>(data);
    if let Ok(resp) = serde_json::from_slice::<retarus_fax::FetchResponse>(data) {
        let _ = resp.ids();
    }
}

/// Retarus webhook payloads: status push (XML and JSON) and the Fax2WS inbound push.
pub fn retarus_webhooks(data: &[u8]) {
    let _ = retarus_fax::webhook::parse_status_push(data);
    let _ = retarus_fax::webhook::parse_status_push_xml(data);
    let _ = retarus_fax::webhook::parse_status_push_json(data);
    if let Ok(push) = retarus_fax::webhook::parse_fax2ws_push(data) {
        let _ = format!("{push:?}");
    }
}
