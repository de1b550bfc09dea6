//! Wire tests for sending on `/outbound/faxes`: documents, options, uploads, limits checked before sending.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use faxkit::{Document, ErrorKind, FaxNumber, RetryConfig};
use interfax::*;
use wiremock::matchers::{header, header_regex, method, path};
use wiremock::{Mock, ResponseTemplate};

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
