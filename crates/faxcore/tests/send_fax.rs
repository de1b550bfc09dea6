//! `POST SendFax`: the wire, the reply and everything refused before a request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, QueryIs, SEND_FAX, assert_no_requests, setup, xml};
use faxcore::{ApiError, ApiErrorKind, Client, FaxId, RecipientFormat, UploadContentType};
use faxkit::{CountryCode, Document, ErrorKind, FaxNumber, FaxService, SendRequest};
use wiremock::matchers::{any, body_bytes, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%EOF\n";

#[tokio::test]
async fn send_fax_posts_the_document_with_every_template_parameter() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .and(QueryIs(
            "sendername=Ann%20Example&sendercompany=Example%20%26%20Co&subject=Invoice%2042&notes=Pay%20by%2030%2F11%20%2B%20thanks\
             &recpname=Accounts&recpfax=12125550100&filename=invoice.pdf",
        ))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("content-length", PDF.len().to_string().as_str()))
        .and(body_bytes(PDF))
        .respond_with(xml(SEND_FAX))
        .expect(1)
        .mount(&server)
        .await;
    let id = client
        .send_fax(FaxNumber::parse("+1 212 555 0100").unwrap(), Document::from_bytes(PDF, "invoice.pdf"))
        .sender_name("Ann Example")
        .sender_company("Example & Co")
        .subject("Invoice 42")
        .notes("Pay by 30/11 + thanks")
        .recipient_name("Accounts")
        .send()
        .await
        .unwrap();
    assert_eq!(id, FaxId::new(209_608_080_375));
}

#[tokio::test]
async fn unset_parameters_are_sent_empty_and_formats_are_configurable() {
    let (server, _) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .and(QueryIs("sendername=&sendercompany=&subject=&notes=&recpname=&recpfax=%2B442084978672&filename=scan.tif"))
        .and(header("content-type", "image/tiff"))
        .and(body_bytes(&b"II*\0tiff"[..]))
        .respond_with(xml(SEND_FAX))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .credentials(common::USER, common::PASSWORD)
        .base_url(format!("{}/api/", server.uri()))
        .recipient_format(RecipientFormat::E164)
        .upload_content_type(UploadContentType::Document)
        .build()
        .unwrap();
    let uk = FaxNumber::parse_with_country("020 8497 8672", CountryCode::new(44).unwrap()).unwrap();
    // No extension: taken from the sniffed TIFF signature.
    let id = client.send_fax(uk, Document::from_bytes(&b"II*\0tiff"[..], "scan")).send().await.unwrap();
    assert_eq!(id.get(), 209_608_080_375);
}

#[tokio::test]
async fn a_file_is_streamed_with_its_length() {
    let (server, client) = setup().await;
    let dir = std::env::temp_dir().join(format!("faxcore-send-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("letter.txt");
    let content: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    std::fs::write(&file, &content).unwrap();
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .and(header("content-length", "300000"))
        .and(body_bytes(content.clone()))
        .respond_with(xml(SEND_FAX))
        .expect(1)
        .mount(&server)
        .await;
    let id =
        client.send_fax(FaxNumber::parse("+12125550100").unwrap(), Document::from_path(&file)).send().await.unwrap();
    assert_eq!(id.get(), 209_608_080_375);
    let req = &server.received_requests().await.unwrap()[0];
    assert!(req.url.query().unwrap().ends_with("&filename=letter.txt"));
    assert!(req.headers.get("transfer-encoding").is_none(), "sent chunked instead of with a length");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn results_without_a_fax_id_are_a_vendor_error() {
    let (server, client) = setup().await;
    let reply = "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse><SendFax><Results>Invalid fax number</Results></SendFax></ApiResponse>";
    Mock::given(method("POST")).and(path("/api/SendFax")).respond_with(xml(reply)).expect(1).mount(&server).await;
    let err = client
        .send_fax(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes(PDF, "a.pdf"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor);
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert_eq!((detail.kind, detail.message.as_str()), (ApiErrorKind::Rejected, "Invalid fax number"));
    assert_eq!(err.vendor_code(), Some("Results"));
}

#[tokio::test]
async fn a_send_is_never_retried() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client
        .send_fax(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes(PDF, "a.pdf"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn bad_inputs_are_refused_before_any_request() {
    let (server, client) = setup().await;
    Mock::given(any()).respond_with(xml(SEND_FAX)).expect(0).with_priority(1).mount(&server).await;
    let us = || FaxNumber::parse("+12125550100").unwrap();
    let pdf = || Document::from_bytes(PDF, "a.pdf");

    // Invalid numbers never become a FaxNumber.
    for bad in ["", "12125550100", "+1 212 555 01", "+1 (212) CALL-NOW", "+1 012 555 0100", "+12345678901234567"] {
        assert_eq!(FaxNumber::parse(bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad}");
    }
    // A number the configured format cannot write.
    let nanp = Client::builder()
        .credentials(common::USER, common::PASSWORD)
        .base_url(format!("{}/api/", server.uri()))
        .recipient_format(RecipientFormat::Nanp)
        .build()
        .unwrap();
    let uk = FaxNumber::parse("+44 20 8497 8672").unwrap();
    assert_eq!(nanp.send_fax(uk, pdf()).send().await.unwrap_err().kind(), ErrorKind::InvalidInput);
    // Empty documents.
    let empty = Document::from_bytes(Vec::<u8>::new(), "a.pdf");
    assert_eq!(client.send_fax(us(), empty).send().await.unwrap_err().kind(), ErrorKind::InvalidInput);
    // Unsupported types, an unknown type without extension, a name contradicting the content.
    for doc in [
        Document::from_bytes("%!PS-Adobe-3.0", "a.ps"),
        Document::from_bytes("PK\x03\x04", "a.zip"),
        Document::from_bytes(&b"MZ\x90\0"[..], "setup.exe"),
        Document::from_bytes("????", "noextension"),
        Document::from_bytes(PDF, "photo.png"),
    ] {
        let err = client.send_fax(us(), doc.clone()).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{doc:?}");
        assert!(err.to_string().contains("FaxCore") || err.to_string().contains("rename"), "{err}");
    }
    let err = client.send_fax(us(), pdf()).file_name("a.ps").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // A missing file.
    let missing = Document::from_path("/nonexistent/faxcore/a.pdf");
    assert_eq!(client.send_fax(us(), missing).send().await.unwrap_err().kind(), ErrorKind::Io);
    // Through FaxService: two recipients, two documents, no document, an id that is not a FaxCore id.
    let two_to = SendRequest::new(us(), pdf()).to(FaxNumber::parse("+12125550101").unwrap());
    assert_eq!(client.send(&two_to).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let two_docs = SendRequest::new(us(), pdf()).document(pdf());
    assert_eq!(client.send(&two_docs).await.unwrap_err().kind(), ErrorKind::Unsupported);
    let mut no_doc = SendRequest::new(us(), pdf());
    no_doc.documents.clear();
    assert_eq!(client.send(&no_doc).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let bogus = faxkit::FaxId::new("not-a-number");
    assert_eq!(client.status(&bogus).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(client.cancel(&faxkit::FaxId::new("1")).await.unwrap_err().kind(), ErrorKind::Unsupported);
    assert_no_requests(&server).await;
}
