//! Wire tests for `/outbound/faxes` and `/outbound/search`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use faxkit::{Document, ErrorKind, FaxNumber, RetryConfig};
use futures::{StreamExt, TryStreamExt};
use interfax::*;
use wiremock::matchers::{header, header_regex, method, path};
use wiremock::{Mock, ResponseTemplate};

const FULL: &str = include_str!("fixtures/outbound_fax_full.json");
const COMPLETED: &str = include_str!("fixtures/outbound_completed.json");
const NOT_FOUND: &str = include_str!("fixtures/error_fax_not_found.json");
const NOT_DESIGNATED: &str = include_str!("fixtures/error_not_designated.json");

fn number() -> FaxNumber {
    FaxNumber::parse("+1 212 555 0100").unwrap()
}

#[tokio::test]
async fn send_single_local_document_as_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("faxNumber", "+12125550100")]))
        .and(auth())
        .and(header("content-type", "application/pdf"))
        .and(header("content-length", "16"))
        .and(wiremock::matchers::body_bytes(b"%PDF-1.4 invoice".to_vec()))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/667915751"))
        .expect(1)
        .mount(&server)
        .await;
    let id =
        client.outbound().send_fax(number(), Document::from_bytes("%PDF-1.4 invoice", "a.pdf")).send().await.unwrap();
    assert_eq!(id, OutboundFaxId(667915751));
}

#[tokio::test]
async fn send_all_thirteen_options_with_content_location_header() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[
            ("faxNumber", "+12125550100"),
            ("contact", "Accounts"),
            ("postponeTime", "2026-11-24T09:30:00+00:00"),
            ("retriesToPerform", "3"),
            ("csid", "ACME"),
            ("pageHeader", "To: {To} From: {From} Pages: {TotalPages}"),
            ("reference", "INV-42"),
            ("replyAddress", "ops@example.com"),
            ("pageSize", "letter"),
            ("fitToPage", "noscale"),
            ("pageOrientation", "landscape"),
            ("resolution", "fine"),
            ("rendering", "greyscale"),
        ]))
        .and(auth())
        .and(header("content-location", "https://example.com/terms.pdf"))
        .and(header("content-length", "0"))
        .and(EmptyBody)
        .respond_with(created("https://rest-sl.interfax.net/outbound/faxes/131201409296898"))
        .expect(1)
        .mount(&server)
        .await;
    let id = client
        .outbound()
        .send_fax(number(), FaxDocument::url("https://example.com/terms.pdf"))
        .contact("Accounts".to_owned())
        .postpone_time("2026-11-24T10:30:00+01:00".parse::<jiff::Timestamp>().unwrap())
        .retries_to_perform(3)
        .csid("ACME".to_owned())
        .page_header("To: {To} From: {From} Pages: {TotalPages}".to_owned())
        .reference("INV-42".to_owned())
        .reply_address("ops@example.com".to_owned())
        .page_size(PageSize::Letter)
        .fit_to_page(FitToPage::NoScale)
        .page_orientation(PageOrientation::Landscape)
        .resolution(Resolution::Fine)
        .rendering(Rendering::Greyscale)
        .send()
        .await
        .unwrap();
    assert_eq!(id.get(), 131_201_409_296_898);
}

#[tokio::test]
async fn send_uploaded_document_by_id_uses_content_location() {
    let (server, client) = setup().await;
    let uri = format!("{}/outbound/documents/90bd5477d5944c6d884c610171b75258", server.uri());
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("faxNumber", "+12125550100")]))
        .and(header("content-location", uri.as_str()))
        .and(EmptyBody)
        .respond_with(created("https://rest.interfax.net/outbound/faxes/1"))
        .expect(1)
        .mount(&server)
        .await;
    let doc = DocumentId::new("90bd5477d5944c6d884c610171b75258");
    client.outbound().send_fax(number(), doc).send().await.unwrap();
}

#[tokio::test]
async fn send_multipart_mixes_local_files_urls_and_uploads_in_order() {
    let (server, client) = setup().await;
    let uploaded = format!("{}/outbound/documents/abc123", server.uri());
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("faxNumber", "+12125550100"), ("reference", "mix")]))
        .and(auth())
        .and(header_regex("content-type", "^multipart/form-data; boundary=.+"))
        .and(BodyInOrder(vec![
            b"name=\"file\"; filename=\"a.pdf\"".to_vec(),
            b"Content-Type: application/pdf".to_vec(),
            b"%PDF-1.4 first".to_vec(),
            b"content-location: https://example.com/terms.pdf".to_vec(),
            b"name=\"file\"; filename=\"b.txt\"".to_vec(),
            b"Content-Type: text/plain".to_vec(),
            b"hello second".to_vec(),
            format!("content-location: {uploaded}").into_bytes(),
        ]))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/7"))
        .expect(1)
        .mount(&server)
        .await;
    let id = client
        .outbound()
        .send_fax(number(), Document::from_bytes("%PDF-1.4 first", "a.pdf"))
        .document(FaxDocument::url("https://example.com/terms.pdf"))
        .document(Document::from_bytes("hello second", "b.txt"))
        .document(DocumentId::new("abc123"))
        .reference("mix".to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(id, OutboundFaxId(7));
}

#[tokio::test]
async fn large_local_document_is_uploaded_in_chunks_then_referenced() {
    let (server, client) = setup().await;
    let size: usize = 2 * 1024 * 1024 + 512 * 1024;
    let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let doc_uri = format!("{}/outbound/documents/deca890355b44b42944970d9773962b5", server.uri());
    Mock::given(method("POST"))
        .and(path("/outbound/documents"))
        .and(exact_query(&[("size", &size.to_string()), ("name", "big.pdf"), ("disposition", "singleUse")]))
        .and(auth())
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(202).insert_header("Location", doc_uri.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let chunks = [(0usize, 1048575usize, 202u16), (1048576, 2097151, 202), (2097152, size - 1, 200)];
    for (a, b, status) in chunks {
        Mock::given(method("POST"))
            .and(path("/outbound/documents/deca890355b44b42944970d9773962b5"))
            .and(header("range", format!("bytes={a}-{b}").as_str()))
            .and(auth())
            .and(wiremock::matchers::body_bytes(data[a..=b].to_vec()))
            .respond_with(
                ResponseTemplate::new(status).insert_header("X-Content-Range", format!("bytes 0-{b}/{size}").as_str()),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(header("content-location", doc_uri.as_str()))
        .and(EmptyBody)
        .respond_with(created("https://rest.interfax.net/outbound/faxes/99"))
        .expect(1)
        .mount(&server)
        .await;
    let id = client.outbound().send_fax(number(), Document::from_bytes(data, "big.pdf")).send().await.unwrap();
    assert_eq!(id, OutboundFaxId(99));
}

#[tokio::test]
async fn send_error_keeps_the_interfax_code() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .respond_with(api_error(400, NOT_DESIGNATED))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().send_fax(number(), Document::from_bytes("x", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor);
    assert_eq!(err.vendor_code(), Some("-111"));
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert_eq!(detail.code, ErrorCode::NOT_DESIGNATED_NUMBER);
    assert_eq!(detail.status, 400);
    assert!(detail.code.meaning().unwrap().contains("designated"));
}

#[tokio::test]
async fn sends_are_never_retried() {
    let (server, _) = setup().await;
    let client =
        client_for(&server, RetryConfig { initial_backoff: Duration::from_millis(1), ..RetryConfig::default() });
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().send_fax(number(), Document::from_bytes("x", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn more_than_20_mb_attached_in_one_request_is_refused_before_any_request() {
    let server = wiremock::MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    // A client that attaches everything up to 64 MiB inline instead of uploading it first.
    let client = Client::builder()
        .credentials("user", "pass")
        .base_url(server.uri())
        .upload_threshold(64 * 1024 * 1024)
        .build()
        .unwrap();
    let big = || Document::from_bytes(vec![b'%'; 11 * 1024 * 1024], "big.pdf");
    let err = client.outbound().send_fax(number(), big()).document(big()).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("20 MB"), "{err}");
}

#[tokio::test]
async fn options_are_validated_before_sending() {
    let (_server, client) = setup().await;
    let err = client
        .outbound()
        .send_fax(number(), Document::from_bytes("x", "a.txt"))
        .csid("THIS CSID IS FAR TOO LONG".to_owned())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn list_pages_by_last_id() {
    let (server, client) = setup().await;
    let page1 = r#"[{"id":30,"status":0},{"id":20,"status":-2}]"#;
    let page2 = r#"[{"id":10,"status":5}]"#;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("limit", "2"), ("sortOrder", "desc"), ("userId", "bob")]))
        .and(auth())
        .respond_with(text_json(page1))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("limit", "2"), ("lastId", "20"), ("sortOrder", "desc"), ("userId", "bob")]))
        .respond_with(text_json(page2))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<OutboundFax> = client
        .outbound()
        .list()
        .limit(2)
        .sort_order(SortOrder::Desc)
        .user_id("bob".to_owned())
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|f| f.id.get()).collect();
    assert_eq!(ids, vec![30, 20, 10]);
    assert_eq!(all[2].status.class(), StatusClass::Failed);
}

#[tokio::test]
async fn completed_sends_ids_as_one_comma_list_and_parses_summary() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "667915751,131201409296898")]))
        .and(auth())
        .respond_with(text_json(COMPLETED))
        .expect(1)
        .mount(&server)
        .await;
    let done = client.outbound().completed([OutboundFaxId(667915751), OutboundFaxId(131201409296898)]).await.unwrap();
    assert_eq!(done.len(), 1);
    let f = &done[0];
    assert_eq!(f.status, FaxStatusCode::OK);
    assert_eq!(f.submit_time, None);
    assert_eq!(f.cost().unwrap(), "0.15".parse().unwrap());
    assert!(client.outbound().completed([]).await.unwrap().is_empty());
}

#[tokio::test]
async fn get_parses_the_recorded_record() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(FULL))
        .expect(1)
        .mount(&server)
        .await;
    let f = client.outbound().get(OutboundFaxId(667915751)).await.unwrap();
    assert_eq!(f.id, OutboundFaxId(667915751));
    assert_eq!(f.uri.as_deref(), Some("https://rest.interfax.net/outbound/faxes/667915751"));
    assert_eq!(f.status.class(), StatusClass::Success);
    assert_eq!(f.submit_time.as_ref().unwrap().utc.to_string(), "2016-10-03T00:36:41Z");
    assert_eq!(f.submit_time.as_ref().unwrap().raw, "2016-10-03T00:36:41");
    assert_eq!(f.completion_time.as_ref().unwrap().utc.to_string(), "2016-10-03T00:36:36Z");
    assert_eq!(f.contact, None);
    assert_eq!(f.destination_fax.as_deref(), Some("00442084978672"));
    assert_eq!(f.reply_email.as_deref(), Some(""));
    assert_eq!(f.pages_submitted, Some(1));
    assert_eq!(f.sender_csid.as_deref(), Some("Interfax"));
    assert_eq!(f.remote_csid.as_deref(), Some("Interfax"));
    assert_eq!(f.attempts_to_perform, Some(4));
    assert_eq!(f.page_size, Some(PageSize::A4));
    assert_eq!(f.page_resolution, Some(Resolution::Standard));
    assert_eq!(f.resolution, Some(Resolution::Standard));
    assert_eq!(f.page_orientation, Some(PageOrientation::Portrait));
    assert_eq!(f.rendering, Some(RenderingQuality::Fine));
    assert_eq!(f.page_header.as_deref(), Some("0"));
    assert_eq!(f.user_id.as_deref(), Some("devexp-java"));
    assert_eq!(f.units.as_ref().unwrap().to_string(), "1.00");
    assert_eq!(f.cost_per_unit.as_ref().unwrap().to_string(), "0.1500");
    assert_eq!(f.duration.as_ref().unwrap().to_string(), "41");
    assert_eq!((f.priority, f.attempts_made, f.pages_sent), (Some(2), Some(1), Some(1)));
    let neutral = faxkit::FaxStatus::from(&f);
    assert_eq!(neutral.status, faxkit::DeliveryStatus::Delivered);
    assert_eq!(neutral.raw_status, "0");
}

#[tokio::test]
async fn json_is_read_whatever_its_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(FULL.as_bytes().to_vec(), "application/json; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.outbound().get(OutboundFaxId(667915751)).await.unwrap().status.0, 0);
}

#[tokio::test]
async fn unknown_fax_is_not_found() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/1234"))
        .respond_with(api_error(404, NOT_FOUND))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().get(OutboundFaxId(1234)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("-1005"), "{err}");
}

#[tokio::test]
async fn image_streams_with_its_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/667915751/image"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"II*\0tiffdata".to_vec(), "image/tiff"))
        .expect(1)
        .mount(&server)
        .await;
    let img = client.outbound().image(OutboundFaxId(667915751)).await.unwrap();
    assert_eq!(ImageFormat::from_content_type(&img.content_type), ImageFormat::Tiff);
    assert_eq!(&img.bytes(1024).await.unwrap()[..], b"II*\0tiffdata");
}

#[tokio::test]
async fn cancel_hide_and_resend() {
    let (server, client) = setup().await;
    for op in ["cancel", "hide"] {
        Mock::given(method("POST"))
            .and(path(format!("/outbound/faxes/667915751/{op}")))
            .and(exact_query(&[]))
            .and(auth())
            .and(header("content-length", "0"))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/outbound/faxes/667915471/resend"))
        .and(exact_query(&[("faxNumber", "+442084978672")]))
        .and(auth())
        .respond_with(created("https://rest.interfax.net/outbound/faxes/667915999"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/outbound/faxes/667915471/resend"))
        .and(exact_query(&[]))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/667916000"))
        .expect(1)
        .mount(&server)
        .await;
    let out = client.outbound();
    out.cancel(OutboundFaxId(667915751)).await.unwrap();
    out.hide(OutboundFaxId(667915751)).await.unwrap();
    let new = out
        .resend(OutboundFaxId(667915471))
        .fax_number(FaxNumber::parse("+44 20 8497 8672").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(new, OutboundFaxId(667915999));
    assert_eq!(out.resend(OutboundFaxId(667915471)).send().await.unwrap(), OutboundFaxId(667916000));
}

#[tokio::test]
async fn search_sends_every_filter_and_pages_by_offset() {
    let (server, client) = setup().await;
    let base = [
        ("ids", "1,2"),
        ("reference", "INV-42"),
        ("dateFrom", "2016-10-01T00:00:00+00:00"),
        ("dateTo", "2016-10-31T00:00:00+00:00"),
        ("status", "Failed"),
        ("userId", "bob"),
        ("faxNumber", "+12125550100"),
        ("sortOrder", "asc"),
        ("limit", "1"),
    ];
    let with = |offset: &'static str| {
        let mut v = base.to_vec();
        v.push(("offset", offset));
        exact_query(&v)
    };
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(with("0"))
        .and(auth())
        .respond_with(text_json(r#"[{"id":1,"status":3}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(with("1"))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(exact_query(&[("status", "-2")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let found: Vec<OutboundFax> = client
        .outbound()
        .search()
        .ids([OutboundFaxId(1), OutboundFaxId(2)])
        .reference("INV-42")
        .date_from("2016-10-01T00:00:00Z".parse::<jiff::Timestamp>().unwrap())
        .date_to("2016-10-31T00:00:00Z".parse::<jiff::Timestamp>().unwrap())
        .status(StatusFamily::Failed)
        .user_id("bob")
        .fax_number(number())
        .sort_order(SortOrder::Asc)
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(client.outbound().search().status(FaxStatusCode::READY).send().await.unwrap().is_empty());
}

#[tokio::test]
async fn wait_for_completion_polls_completed_in_batches() {
    let (server, client) = setup().await;
    // First round: nothing complete. Second round: both.
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .respond_with(text_json("[]"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .respond_with(text_json(r#"[{"id":2,"status":0},{"id":1,"status":7}]"#))
        .expect(1)
        .mount(&server)
        .await;
    let done = client
        .outbound()
        .wait_for_completion([OutboundFaxId(1), OutboundFaxId(2)])
        .interval(Duration::ZERO)
        .send()
        .await
        .unwrap();
    let got: Vec<(i64, i32)> = done.iter().map(|f| (f.id.get(), f.status.0)).collect();
    assert_eq!(got, vec![(1, 7), (2, 0)]);
}

#[tokio::test]
async fn wait_for_completion_never_polls_a_fax_more_than_six_times_a_minute() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "5")]))
        .respond_with(text_json("[]"))
        .expect(6)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = client
        .outbound()
        .wait_for_completion([OutboundFaxId(5)])
        .interval(Duration::ZERO)
        .timeout(Duration::from_secs(3))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(3), "gave up early instead of overrunning the deadline");
}

#[tokio::test]
async fn wait_for_completion_splits_ids_into_batches() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "1,2")]))
        .and(auth())
        .respond_with(text_json(r#"[{"id":1,"status":0},{"id":2,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "3")]))
        .respond_with(text_json(r#"[{"id":3,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    let done = client
        .outbound()
        .wait_for_completion([OutboundFaxId(1), OutboundFaxId(2), OutboundFaxId(3)])
        .batch_size(2)
        .interval(Duration::ZERO)
        .send()
        .await
        .unwrap();
    assert_eq!(done.len(), 3);
}

#[tokio::test]
async fn a_path_document_is_streamed_as_the_raw_body() {
    let (server, client) = setup().await;
    let dir = std::env::temp_dir().join(format!("interfax-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scan.tif");
    std::fs::write(&file, b"II*\0scanned").unwrap();
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("faxNumber", "+12125550100")]))
        .and(header("content-type", "image/tiff"))
        .and(wiremock::matchers::body_bytes(b"II*\0scanned".to_vec()))
        .respond_with(created("https://rest.interfax.net/outbound/faxes/5"))
        .expect(1)
        .mount(&server)
        .await;
    client.outbound().send_fax(number(), Document::from_path(&file)).send().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn inline_document_lengths_that_overflow_u64_are_invalid_input_not_a_panic() {
    let server = wiremock::MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    let client = Client::builder()
        .credentials("user", "pass")
        .base_url(server.uri())
        .upload_threshold(u64::MAX)
        .build()
        .unwrap();
    let huge = || Document::from_reader(tokio::io::repeat(b'%'), u64::MAX / 2 + 1, "huge.pdf");
    let err = client.outbound().send_fax(number(), huge()).document(huge()).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}

#[tokio::test]
async fn a_server_answering_the_same_page_for_ever_ends_the_listing_with_a_decode_error() {
    let (server, client) = setup().await;
    // Whatever lastId is asked for, the same full page: the old stream asked for lastId=20 for ever.
    Mock::given(method("GET"))
        .and(path("/outbound/faxes"))
        .respond_with(text_json(r#"[{"id":30,"status":0},{"id":20,"status":-2}]"#))
        .mount(&server)
        .await;
    let items: Vec<faxkit::Result<OutboundFax>> = client.outbound().list().limit(2).stream().take(50).collect().await;
    assert_eq!(items.len(), 5, "two pages, then the error");
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.to_string().contains("seen before"), "{err}");
}

#[tokio::test]
async fn an_uploaded_document_is_referenced_by_the_location_interfax_returned() {
    // Behind a proxy the client's base URL is not InterFAX's host; the document's URI is the one InterFAX
    // wrote in `Location`, not one rebuilt from the base URL.
    let (server, client) = setup().await;
    let data = vec![b'%'; 1024 * 1024 + 10];
    let location = "https://rest.interfax.net/outbound/documents/0123456789abcdef0123456789abcdef";
    Mock::given(method("POST"))
        .and(path("/outbound/documents"))
        .and(exact_query(&[("size", "1048586"), ("name", "big.pdf"), ("disposition", "singleUse")]))
        .and(auth())
        .and(EmptyBody)
        .respond_with(created(location))
        .expect(1)
        .mount(&server)
        .await;
    for (range, status) in [("bytes=0-1048575", 202u16), ("bytes=1048576-1048585", 200)] {
        Mock::given(method("POST"))
            .and(path("/outbound/documents/0123456789abcdef0123456789abcdef"))
            .and(header("range", range))
            .and(auth())
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/outbound/faxes"))
        .and(exact_query(&[("faxNumber", "+12125550100")]))
        .and(auth())
        .and(header("content-location", location))
        .and(EmptyBody)
        .respond_with(created("https://rest.interfax.net/outbound/faxes/77"))
        .expect(1)
        .mount(&server)
        .await;
    let id = client.outbound().send_fax(number(), Document::from_bytes(data, "big.pdf")).send().await.unwrap();
    assert_eq!(id, OutboundFaxId(77));
}

#[tokio::test]
async fn search_sends_several_user_ids_as_one_comma_list() {
    // The reference documents `userId` as a "List of string".
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/search"))
        .and(exact_query(&[("userId", "alice,bob")]))
        .and(auth())
        .and(EmptyBody)
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let found = client.outbound().search().user_ids(["alice", "bob"]).send().await.unwrap();
    assert!(found.is_empty());
}

#[tokio::test]
async fn completed_with_many_ids_is_split_into_requests_of_50() {
    // 120 ids of 15 digits in one URL would pass InterFAX's 2,000-character limit.
    let (server, client) = setup().await;
    let ids: Vec<OutboundFaxId> = (0..120).map(|i| OutboundFaxId(131_201_409_296_000 + i)).collect();
    for chunk in ids.chunks(50) {
        let joined = chunk.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        let first = chunk[0].0;
        Mock::given(method("GET"))
            .and(path("/outbound/faxes/completed"))
            .and(exact_query(&[("ids", joined.as_str())]))
            .and(auth())
            .and(EmptyBody)
            .respond_with(text_json(&format!(r#"[{{"id":{first},"status":0}}]"#)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let done = client.outbound().completed(ids.iter().copied()).await.unwrap();
    let got: Vec<i64> = done.iter().map(|f| f.id.0).collect();
    assert_eq!(got, [131_201_409_296_000, 131_201_409_296_050, 131_201_409_296_100]);
}

#[tokio::test]
async fn too_many_data_requests_keeps_the_interfax_detail() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .respond_with(api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":"6 per minute"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.outbound().get(OutboundFaxId(5)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let detail = err.vendor_detail::<ApiError>().expect("the -1011 body is kept");
    assert_eq!((detail.code, detail.status), (ErrorCode::TOO_MANY_REQUESTS, 400));
    assert_eq!(detail.message, "Too many data requests");
    assert!(err.to_string().contains("Too many data requests"), "{err}");
}

fn poll_retry() -> RetryConfig {
    RetryConfig {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryConfig::default()
    }
}

#[tokio::test]
async fn opt_in_retry_repeats_status_reads_refused_with_1011() {
    let (server, _) = setup().await;
    let client = Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .http(faxkit::HttpConfig::default().retry(RetryConfig::none()))
        .retry_too_many_data_requests(poll_retry())
        .build()
        .unwrap();
    let too_many = || api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":null}"#);
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .and(EmptyBody)
        .respond_with(too_many())
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/5"))
        .and(auth())
        .respond_with(text_json(r#"{"id":5,"status":0}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "6")]))
        .respond_with(too_many())
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/faxes/completed"))
        .and(exact_query(&[("ids", "6")]))
        .respond_with(text_json(r#"[{"id":6,"status":0}]"#))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.outbound().get(OutboundFaxId(5)).await.unwrap().id, OutboundFaxId(5));
    assert_eq!(client.outbound().completed([OutboundFaxId(6)]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn without_the_opt_in_1011_is_not_retried_and_sends_never_are() {
    let (server, client) = setup().await;
    let too_many = || api_error(400, r#"{"code":-1011,"message":"Too many data requests","moreInfo":null}"#);
    Mock::given(method("GET")).and(path("/outbound/faxes/5")).respond_with(too_many()).expect(1).mount(&server).await;
    assert_eq!(client.outbound().get(OutboundFaxId(5)).await.unwrap_err().kind(), ErrorKind::RateLimited);
    // With the opt-in, a send answered -1011 is still not repeated.
    let retrying = Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .http(faxkit::HttpConfig::default().retry(RetryConfig::none()))
        .retry_too_many_data_requests(poll_retry())
        .build()
        .unwrap();
    Mock::given(method("POST")).and(path("/outbound/faxes")).respond_with(too_many()).expect(1).mount(&server).await;
    let err = retrying.outbound().send_fax(number(), Document::from_bytes("x", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
}

#[tokio::test]
async fn a_pci_client_refuses_postpone_time_and_fit_to_page_before_any_request() {
    // The REST PCI API's send template has no `postponeTime` and no `fitToPage`.
    let server = wiremock::MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    // A PCI account reached through a proxy on loopback.
    let client = Client::builder().credentials(USER, PASS).base_url(server.uri()).pci(true).build().unwrap();
    assert!(client.is_pci());
    let doc = || Document::from_bytes("x", "a.txt");
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let err = client.outbound().send_fax(number(), doc()).postpone_time(later).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("postponeTime"), "{err}");
    let err = client.outbound().send_fax(number(), doc()).fit_to_page(FitToPage::Scale).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("fitToPage"), "{err}");
    for host in [Host::Pci, Host::PciUs, Host::PciCa] {
        assert!(Client::builder().credentials(USER, PASS).host(host).build().unwrap().is_pci());
    }
    assert!(!Client::builder().credentials(USER, PASS).build().unwrap().is_pci());
    assert!(
        Client::builder().credentials(USER, PASS).base_url("https://rest-sl.interfax.net").build().unwrap().is_pci()
    );
}

#[tokio::test]
async fn postpone_time_more_than_30_days_ahead_is_refused_before_any_request() {
    // "Maximum postpone time: 30 days" (System limitations); InterFAX would answer -114.
    let server = wiremock::MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    let client = Client::builder().credentials(USER, PASS).base_url(server.uri()).build().unwrap();
    let too_late = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(31 * 24);
    let err = client
        .outbound()
        .send_fax(number(), Document::from_bytes("x", "a.txt"))
        .postpone_time(too_late)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("30 days"), "{err}");
}
