//! `GET DownloadFax`: the wire, base64 bodies in every wrapping, error bodies, streamed decoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, NoBody, QueryIs, setup, xml};
use faxcore::{FaxId, FileType};
use faxkit::{Direction, ErrorKind, FaxService};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn pdf(len: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.extend((0..len).map(|i| (i * 7 % 251) as u8));
    v
}

/// Base64 with CRLF every 76 characters, as .NET's `Base64FormattingOptions.InsertLineBreaks` writes it.
fn wrapped_base64(data: &[u8]) -> String {
    let flat = faxkit::base64::encode(data);
    flat.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\r\n")
}

#[tokio::test]
async fn download_fax_decodes_a_base64_body() {
    let (server, client) = setup().await;
    let data = pdf(200_000);
    Mock::given(method("GET"))
        .and(path("/api/DownloadFax"))
        .and(QueryIs("faxid=209608080375&filetype=PDF"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(ResponseTemplate::new(200).set_body_raw(wrapped_base64(&data), "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let download = client.download_fax(FaxId::new(209_608_080_375), FileType::Pdf).await.unwrap();
    assert_eq!(download.content_type, "application/pdf");
    assert_eq!(download.bytes(1 << 20).await.unwrap(), data);
}

#[tokio::test]
async fn tif_and_wrapped_payloads() {
    let (server, client) = setup().await;
    let tiff = b"II*\0\x08\0\0\0tiff-data".to_vec();
    Mock::given(path("/api/DownloadFax"))
        .and(QueryIs("faxid=5&filetype=TIF"))
        .respond_with(xml(&format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ApiResponse>\n  <DownloadFax>\n    <Results>{}</Results>\n  </DownloadFax>\n</ApiResponse>",
            wrapped_base64(&tiff).replace("\r\n", "&#xD;\n")
        )))
        .expect(1)
        .mount(&server)
        .await;
    let download = client.download_fax(FaxId::new(5), FileType::Tif).await.unwrap();
    assert_eq!(download.content_type, "image/tiff");
    assert_eq!(download.bytes(1 << 20).await.unwrap(), tiff);

    let data = pdf(10);
    Mock::given(path("/api/DownloadFax"))
        .and(QueryIs("faxid=6&filetype=PDF"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(format!("\"{}\"", faxkit::base64::encode(&data)), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    // FaxService::download asks for PDF.
    let download = client.download(&faxkit::FaxId::new("6"), Direction::Inbound).await.unwrap();
    assert_eq!(download.bytes(1 << 20).await.unwrap(), data);
}

#[tokio::test]
async fn error_bodies_are_typed_errors() {
    let (server, client) = setup().await;
    let cases: [(u64, u16, &str, ErrorKind); 5] = [
        (1, 404, "<ApiResponse><Error>Fax 1 was not found.</Error></ApiResponse>", ErrorKind::NotFound),
        (
            2,
            200,
            "<?xml version=\"1.0\"?><ApiResponse><Error>File not available</Error></ApiResponse>",
            ErrorKind::Vendor,
        ),
        (3, 200, "Fax not found", ErrorKind::Decode),
        (4, 200, "<html><body>maintenance</body></html>", ErrorKind::Decode),
        (5, 401, "", ErrorKind::Auth),
    ];
    for (id, status, body, kind) in cases {
        Mock::given(path("/api/DownloadFax"))
            .and(QueryIs(Box::leak(format!("faxid={id}&filetype=PDF").into_boxed_str())))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "text/plain"))
            .expect(1)
            .mount(&server)
            .await;
        let err = client.download_fax(FaxId::new(id), FileType::Pdf).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{body}: {err}");
        if kind == ErrorKind::Decode {
            assert!(err.to_string().contains(body), "excerpt missing: {err}");
        }
    }
}

#[tokio::test]
async fn corruption_later_in_the_body_fails_the_stream() {
    let (server, client) = setup().await;
    let mut body = faxkit::base64::encode(&pdf(100_000));
    body.insert_str(120_000, "!!");
    Mock::given(path("/api/DownloadFax"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let download = client.download_fax(FaxId::new(1), FileType::Pdf).await.unwrap();
    let err = download.bytes(1 << 20).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}
