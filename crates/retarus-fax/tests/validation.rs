//! Documents Fax4A cannot type are refused before any request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use faxkit::{Document, ErrorKind, FaxNumber, FaxService, SendRequest};
use retarus_fax::model::jobs::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    server
}

/// Bytes no sniffer recognises, named without an extension.
fn untyped() -> Document {
    Document::from_bytes(&b"\x00\x01\x02\x03 opaque"[..], "scan")
}

#[tokio::test]
async fn documents_without_an_extension_or_with_a_charset_off_txt_are_refused_before_any_request() {
    let server = silent_server().await;
    let client = common::client(&server);
    let pdf = || Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf");
    let cases: Vec<(&str, JobDocument)> = vec![
        ("untyped data, derived name", JobDocument::data(untyped())),
        ("explicit name without extension", JobDocument::data(pdf()).name("letter")),
        ("name ending in a dot", JobDocument::data(pdf()).name("letter.")),
        ("dot file", JobDocument::data(pdf()).name(".pdf")),
        ("reference without extension", JobDocument::reference("terms", "https://files.example.com/terms")),
        ("charset on a pdf", JobDocument::data(pdf()).charset(Charset::Utf8)),
        (
            "charset on a referenced pdf",
            JobDocument::reference("t.pdf", "https://f.example.com/t.pdf").charset(Charset::Utf8),
        ),
    ];
    for (what, doc) in cases {
        let err = client.jobs().send(FaxRecipient::new("+498912345678")).document(doc).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{what}: {err}");
    }
    // Through the neutral interface too.
    let to = FaxNumber::parse("+49 89 12345678").unwrap();
    let err = client.send(&SendRequest::new(to, untyped())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.to_string().contains("extension"), "{err}");
    // `expect(0)` is checked when the server drops.
}

#[tokio::test]
async fn a_txt_document_may_carry_a_charset() {
    let mut request = FaxJobRequest::new(FaxRecipient::new("+498912345678"));
    request.documents.push(JobDocument::data(Document::from_bytes(&b"hello"[..], "note.TXT")).charset(Charset::Utf8));
    assert!(retarus_fax::jobs::encode_body(&request).await.is_ok());
}
