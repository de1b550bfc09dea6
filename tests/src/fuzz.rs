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
];

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
