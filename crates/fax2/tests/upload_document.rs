//! `POST /upload_document`: multipart and raw bodies, the type list, conversion errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::{Document, ErrorKind};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const PDF: &[u8] = b"%PDF-1.4\n<< /Type /Page >>\n%%EOF";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn multipart_upload_sends_a_document_part_with_its_type() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .and(bearer())
        .and(|req: &wiremock::Request| {
            let ct = req.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            ct.starts_with("multipart/form-data; boundary=")
                && contains(&req.body, b"Content-Disposition: form-data; name=\"document\"; filename=\"invoice.pdf\"")
                && contains(&req.body, b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n<< /Type /Page >>\n%%EOF\r\n")
        })
        .respond_with(json(include_str!("fixtures/upload_document.json")))
        .expect(1)
        .mount(&server)
        .await;
    let uploaded = client(&server).upload_document(Document::from_bytes(PDF, "invoice.pdf")).send().await.unwrap();
    assert_eq!(uploaded.document_id.as_str(), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(uploaded.pages, 2);
}

#[tokio::test]
async fn raw_upload_sends_the_document_as_the_body() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .and(bearer())
        .and(header("content-type", "text/plain"))
        .and(body_bytes(b"Hello fax".to_vec()))
        .respond_with(json(r#"{"document_id":"t1","pages":1}"#))
        .expect(1)
        .mount(&server)
        .await;
    let uploaded = client(&server)
        .upload_document(Document::from_bytes("Hello fax", "note.txt"))
        .mode(fax2::UploadMode::Raw)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.document_id.as_str(), "t1");
}

#[tokio::test]
async fn file_documents_are_streamed_in_raw_mode() {
    let server = server().await;
    mount_token(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scan.tif");
    let mut data = b"II*\0".to_vec();
    data.extend(std::iter::repeat_n(9u8, 300_000));
    std::fs::write(&file, &data).unwrap();
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .and(header("content-type", "image/tiff"))
        .and(body_bytes(data.clone()))
        .respond_with(json(r#"{"document_id":"tif","pages":1}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let up = client.upload_document(Document::from_path(&file)).mode(fax2::UploadMode::Raw).send().await.unwrap();
    assert_eq!(up.document_id.as_str(), "tif");
}

#[tokio::test]
async fn unsupported_types_are_refused_before_upload() {
    let server = server().await;
    let client = client(&server);
    let err = client.upload_document(Document::from_bytes("a,b\n1,2\n", "table.csv")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("text/csv"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn conversion_errors_are_typed() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            br#"{"error":"conversion_error","error_description":"Unable to convert","more_info":"https://www.fax2.com.au/api/doc#error"}"#.to_vec(),
            JSON,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).upload_document(Document::from_bytes(PDF, "x.pdf")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.vendor_detail::<fax2::ApiError>().unwrap().error, fax2::ErrorCode::ConversionError);
}

#[tokio::test]
async fn upload_is_not_retried_on_a_gateway_error() {
    let server = server().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).upload_document(Document::from_bytes(PDF, "x.pdf")).send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn upload_after_a_401_reopens_the_document_and_repeats() {
    let server = server().await;
    token_mock(3600).expect(2).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(br#"{"error":"unauthorized","error_description":"expired"}"#.to_vec(), JSON),
        )
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/upload_document"))
        .and(header("content-type", "application/pdf"))
        .and(body_bytes(PDF.to_vec()))
        .respond_with(json(r#"{"document_id":"again","pages":1}"#))
        .expect(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let up = client(&server)
        .upload_document(Document::from_bytes(PDF, "x.pdf"))
        .mode(fax2::UploadMode::Raw)
        .send()
        .await
        .unwrap();
    assert_eq!(up.document_id.as_str(), "again");
}

#[tokio::test]
async fn every_documented_extension_is_uploaded_with_the_documented_type() {
    // Fax2 API, "Supported Document Types": .odp is OpenDocument Impress; .pnm, .pbm and .pgm are all listed
    // under image/x-portable-bitmap. faxkit's sniffing knows none of them, so the table decides.
    for (name, mime) in [
        ("slides.odp", "application/vnd.oasis.opendocument.presentation"),
        ("scan.pnm", "image/x-portable-bitmap"),
        ("scan.pbm", "image/x-portable-bitmap"),
        ("scan.pgm", "image/x-portable-bitmap"),
        ("SCAN.PGM", "image/x-portable-bitmap"),
    ] {
        for mode in [fax2::UploadMode::Multipart, fax2::UploadMode::Raw] {
            let server = server().await;
            mount_token(&server).await;
            let part_header = format!("Content-Disposition: form-data; name=\"document\"; filename=\"{name}\"");
            let part_type = format!("Content-Type: {mime}\r\n\r\nP1 body\r\n");
            Mock::given(method("POST"))
                .and(path("/v1/upload_document"))
                .and(bearer())
                .and(move |req: &wiremock::Request| {
                    let ct = req.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    req.url.query().is_none()
                        && match mode {
                            fax2::UploadMode::Raw => ct == mime && req.body == b"P1 body",
                            _ => {
                                ct.starts_with("multipart/form-data; boundary=")
                                    && contains(&req.body, part_header.as_bytes())
                                    && contains(&req.body, part_type.as_bytes())
                            }
                        }
                })
                .respond_with(json(r#"{"document_id":"n1","pages":1}"#))
                .expect(1)
                .mount(&server)
                .await;
            let up = client(&server)
                .upload_document(Document::from_bytes("P1 body", name))
                .mode(mode)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{name} {mode:?}: {e}"));
            assert_eq!(up.document_id.as_str(), "n1");
        }
    }
}
