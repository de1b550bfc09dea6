#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Parsing of the status push (XML, JSON) and the Fax2WS inbound push (in memory and streamed).

use bytes::Bytes;
use faxkit::stream::ByteStream;
use retarus_fax::model::jobs::{AttachedFaxImageFormat, AttachedFaxImageMode, AuthMethod};
use retarus_fax::model::reports::RecipientStatus;
use retarus_fax::webhook::{Fax2WsPushReader, parse_fax2ws_push, parse_status_push};

const STATUS_XML: &str = include_str!("fixtures/status_push.xml");
const FAX2WS: &str = include_str!("fixtures/fax2ws_push.json");

#[test]
fn recorded_xml_status_push_parses() {
    let r = parse_status_push(STATUS_XML.as_bytes()).unwrap();
    assert_eq!(r.job_id.as_str(), "FJIJPNJYN906EDIJNFGI5S");
    let mail = r.report_mail.as_ref().unwrap();
    assert_eq!(mail.attached_fax_image_mode, Some(AttachedFaxImageMode::Never));
    assert_eq!(mail.attached_fax_image_format, Some(AttachedFaxImageFormat::Tiff));
    let push = r.http_status_push.as_ref().unwrap();
    assert_eq!(push.url.as_deref(), Some("https://statuslistener.example.com:9564/Faxolution-v3.0"));
    assert_eq!(push.auth_method, Some(AuthMethod::HttpBasic));
    let rec = &r.fax_recipient[0];
    assert_eq!(rec.number, "+498912504001710");
    assert_eq!(rec.num_id.as_deref(), Some("FNIJPNJYNA06EDIJNFUO1Q"));
    assert_eq!(rec.status, RecipientStatus::Ok);
    assert_eq!(rec.sent_ts.as_ref().unwrap().utc.to_string(), "2018-11-08T15:38:08Z");
    assert_eq!(rec.duration_in_secs, Some(26));
    assert_eq!(rec.sent_to_number.as_deref(), Some("00498912504001710"));
    assert_eq!(rec.remote_csid.as_deref(), Some("+49/89/1250400-1710"));
    assert_eq!(r.document[0].name.as_deref(), Some("document.pdf"));
    assert_eq!(r.document[0].is_text, Some(false));
}

#[test]
fn xml_with_several_recipients_and_unknown_elements() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<faxJobReport xmlns="http://retarus.com/fax4ba/faxws/3/0"><jobId>FJ2</jobId>
<faxRecipient><number>+1</number><status>BUSY</status><reason>busy</reason><durationInSecs>0</durationInSecs></faxRecipient>
<faxRecipient><number>+2</number><status>SOMETHING_NEW</status><reason>x</reason><durationInSecs>1</durationInSecs></faxRecipient>
<futureElement><a>1</a></futureElement><pages>3</pages></faxJobReport>"#;
    let r = parse_status_push(xml.as_bytes()).unwrap();
    assert_eq!(r.fax_recipient.len(), 2);
    assert_eq!(r.fax_recipient[1].status, RecipientStatus::Other("SOMETHING_NEW".into()));
    assert_eq!(r.pages, Some(3));
}

#[test]
fn json_status_push_parses_wrapped_or_bare() {
    let bare = r#"{"jobId":"FJ3","faxRecipient":{"number":"+4989","status":"OK","reason":"OK",
        "sentTS":"2018-11-08T15:38:08Z","durationInSecs":26},"document":[{"name":"a.pdf","isText":false}],"pages":1}"#;
    let r = parse_status_push(bare.as_bytes()).unwrap();
    assert_eq!(r.fax_recipient.len(), 1);
    assert_eq!(r.fax_recipient[0].duration_in_secs, Some(26));
    let wrapped = format!(r#"{{"faxJobReport":{bare}}}"#);
    assert_eq!(parse_status_push(wrapped.as_bytes()).unwrap(), r);
    assert!(parse_status_push(b"not a push").is_err());
    assert!(parse_status_push(b"<faxJobReport><jobId>").is_err());
}

#[test]
fn recorded_fax2ws_push_parses_in_memory() {
    let p = parse_fax2ws_push(FAX2WS.as_bytes()).unwrap();
    let d = &p.fax.fax_details;
    assert_eq!(d.job_id, "K34A3QX3@J78AO6W.glaqsmucre101.QA1");
    assert_eq!(d.date_received.as_ref().unwrap().utc.to_string(), "2019-11-18T10:21:04Z");
    assert_eq!((d.total_duration, d.baud_rate, d.page_count), (Some(21), Some(33600), Some(1)));
    assert_eq!(d.archived_until, None);
    assert_eq!(d.archiving_status.as_deref(), Some("not configured"));
    let auth = p.fax.authentication.as_ref().unwrap();
    assert!(auth.matches("User", "xxxx"));
    assert!(!format!("{auth:?}").contains("xxxx"), "password redacted in Debug");
    assert_eq!(p.fax.fax_file[0].decode().unwrap(), b"II*\0\x08\0\0\0");
}

fn chunked(body: &[u8], size: usize) -> ByteStream {
    let parts: Vec<faxkit::Result<Bytes>> = body.chunks(size).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    Box::pin(futures::stream::iter(parts))
}

#[tokio::test]
async fn fax2ws_push_streams_every_document_in_any_chunking() {
    let big: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    let b64 = faxkit::base64::encode(&big);
    let body = format!(
        r#"{{"Fax":{{"Authentication":{{"AuthenticationMethod":"UserPassword","Username":"User","Password":"p\"w"}},
        "FaxDetails":{{"JobID":"J@1.x","DateReceived":"2019-11-18T11:21:04+0100","PageCount":"2"}},
        "FaxFile":[{{"FileType":"tiff","FileName":"J@1.x.tiff","FileContent": "{b64}"}},
                   {{"FileType":"pdf","FileName":"J@1.x.pdf","FileContent":"JVBERi0x\/w=="}}]}}}}"#
    );
    for size in [1, 7, 4096, body.len()] {
        let mut push = Fax2WsPushReader::new(chunked(body.as_bytes(), size)).await.unwrap();
        assert_eq!(push.details().page_count, Some(2));
        assert!(push.authentication().unwrap().matches("User", "p\"w"));
        let first = push.next_file().await.unwrap().unwrap();
        assert_eq!(first.file_name.as_deref(), Some("J@1.x.tiff"));
        let mut out = Vec::new();
        assert_eq!(push.copy_file_to(&mut out).await.unwrap(), big.len() as u64);
        assert_eq!(out, big, "chunk size {size}");
        let second = push.next_file().await.unwrap().unwrap();
        assert_eq!(second.file_type.as_deref(), Some("pdf"));
        // The second document is skipped unread; the reader still ends cleanly.
        assert!(push.next_file().await.unwrap().is_none());
    }
}

#[tokio::test]
async fn fax2ws_stream_errors_are_decode_errors() {
    let cut = br#"{"Fax":{"FaxDetails":{"JobID":"J"},"FaxFile":[{"FileContent":"QUJD"#;
    let mut push = Fax2WsPushReader::new(chunked(cut, 5)).await.unwrap();
    push.next_file().await.unwrap();
    let mut out = Vec::new();
    assert!(push.copy_file_to(&mut out).await.is_err());
    let no_details = br#"{"Fax":{"FaxFile":[{"FileContent":"QUJD"}]}}"#;
    assert!(Fax2WsPushReader::new(chunked(no_details, 3)).await.is_err());
}

/// Runs `f` on a thread with a 256 KiB stack: deep recursion in parsing or dropping would abort the process.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 * 1024).spawn(f).unwrap().join().unwrap()
}

#[test]
fn deeply_nested_xml_status_push_is_a_decode_error_not_an_abort() {
    // ~150 KB of nested elements: 25,000 levels.
    let depth = 25_000;
    let mut xml = String::from("<faxJobReport><jobId>FJ1</jobId>");
    xml.push_str(&"<a>".repeat(depth));
    xml.push('x');
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</faxJobReport>");
    let err = on_small_stack(move || parse_status_push(xml.as_bytes()).map(|_| ()).unwrap_err());
    assert!(matches!(err, faxkit::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("deeper than 64"), "{err}");
}

#[test]
fn xml_status_push_nesting_up_to_64_levels_parses() {
    let mut xml = String::from("<faxJobReport><jobId>FJ1</jobId><extra>");
    xml.push_str(&"<a>".repeat(61));
    xml.push_str(&"</a>".repeat(61));
    xml.push_str("</extra></faxJobReport>");
    assert_eq!(parse_status_push(xml.as_bytes()).unwrap().job_id.as_str(), "FJ1");
}

#[test]
fn xml_status_push_with_too_many_elements_is_a_decode_error() {
    let mut xml = String::from("<faxJobReport><jobId>FJ1</jobId>");
    xml.push_str(&"<u/>".repeat(20_000));
    xml.push_str("</faxJobReport>");
    let err = parse_status_push(xml.as_bytes()).map(|_| ()).unwrap_err();
    assert!(matches!(err, faxkit::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("elements"), "{err}");
}

#[test]
fn xml_status_push_with_too_many_attributes_is_a_decode_error() {
    let mut xml = String::from("<faxJobReport><jobId>FJ1</jobId><u");
    for i in 0..1_000 {
        xml.push_str(&format!(" a{i}=\"1\""));
    }
    xml.push_str("/></faxJobReport>");
    let err = parse_status_push(xml.as_bytes()).map(|_| ()).unwrap_err();
    assert!(matches!(err, faxkit::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("attributes"), "{err}");
}

#[test]
fn deeply_nested_json_status_push_is_a_decode_error_not_an_abort() {
    let depth = 50_000;
    let json = format!("{{\"jobId\":\"FJ1\",\"x\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
    let err = on_small_stack(move || parse_status_push(json.as_bytes()).map(|_| ()).unwrap_err());
    assert!(matches!(err, faxkit::Error::Decode { .. }), "{err:?}");
}

#[test]
fn in_memory_webhook_bodies_over_the_limit_are_refused() {
    let limit = retarus_fax::webhook::MAX_STATUS_PUSH_BODY;
    let mut xml = String::from("<faxJobReport><jobId>FJ1</jobId><x>");
    xml.push_str(&"y".repeat(limit));
    xml.push_str("</x></faxJobReport>");
    let err = parse_status_push(xml.as_bytes()).map(|_| ()).unwrap_err();
    assert!(matches!(err, faxkit::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("larger than"), "{err}");
    let json = format!("{{\"jobId\":\"FJ1\",\"x\":\"{}\"}}", "y".repeat(limit));
    let err = parse_status_push(json.as_bytes()).map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    let big = retarus_fax::webhook::MAX_FAX2WS_PUSH_BODY;
    let fax = format!("{{\"Fax\":{{\"FaxDetails\":{{\"JobID\":\"{}\"}}}}}}", "y".repeat(big));
    let err = parse_fax2ws_push(fax.as_bytes()).map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
}
