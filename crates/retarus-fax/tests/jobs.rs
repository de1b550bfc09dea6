#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire tests of Fax4A `POST /{custNr}/fax`.

mod common;

use std::time::Duration;

use faxkit::{Document, ErrorKind, FaxNumber};
use retarus_fax::model::jobs::*;
use retarus_fax::{ApiError, ApiErrorCode, DataCenter};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const SEND_RESPONSE: &str = include_str!("fixtures/send_fax_response.json");

#[tokio::test]
async fn send_posts_the_complete_request_to_the_ha_url() {
    let server = common::server().await;
    let expected = json!({
        "reference": {"customerDefinedId": "invoice-42", "billingCode": "BC-1", "billingInfo": "dept 7"},
        "recipients": [
            {"number": "+498912345678", "properties": [{"key": "ToName", "value": "Bob"}], "alternativeNumbers": ["+498912345679"]},
            {"number": "+12125550100"}
        ],
        "transportOptions": {"csid": "ACME", "isExpress": true, "isBlacklistEnabled": false},
        "renderingOptions": {
            "paperFormat": "LETTER",
            "resolution": "HIGH",
            "coverpageTemplate": "coverpage-default.ftl.html",
            "overlay": {"name": "letterhead", "mode": "ALL_BUT_FIRST_AND_LAST_PAGE"},
            "header": "%tz=CEST Testfax: CSID: %C"
        },
        "statusReportOptions": {
            "reportPurgeTs": "2026-12-01T00:00:00Z",
            "reportMail": {"successAddress": "ok@example.com", "failureAddress": "ko@example.com",
                           "attachedFaxImageMode": "FAILURE_ONLY", "attachedFaxImageFormat": "PDF_WITH_OCR"},
            "httpStatusPush": {"targetUrl": "https://hooks.example.com/fax", "principal": "client-id",
                               "credentials": "client-secret", "authMethod": "OAUTH2"}
        },
        "meta": {"customerReference": "run-7", "jobValid": {"start": "2026-11-24T08:00:00Z", "end": "PT80M"}},
        "documents": [
            {"name": "note.txt", "charset": "Windows-1252", "data": "aGVsbG8="},
            {"name": "terms.pdf", "reference": "https://files.example.com/terms.pdf"}
        ]
    });
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .and(header("authorization", common::FAX4A_AUTH))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SEND_RESPONSE, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let job = client
        .jobs()
        .send(FaxRecipient::new("+498912345678").property("ToName", "Bob").alternative_number("+498912345679"))
        .recipient(FaxNumber::parse("+1 212 555 0100").unwrap())
        .document(JobDocument::data(Document::from_bytes(&b"hello"[..], "note.txt")).charset(Charset::Windows1252))
        .document(JobDocument::reference("terms.pdf", "https://files.example.com/terms.pdf"))
        .reference(Reference::new("invoice-42").billing_code("BC-1").billing_info("dept 7"))
        .transport_options(TransportOptions::default().csid("ACME").is_express(true).is_blacklist_enabled(false))
        .rendering_options(
            RenderingOptions::new(PaperFormat::Letter)
                .resolution(Resolution::High)
                .coverpage_template("coverpage-default.ftl.html")
                .overlay(Overlay::new("letterhead", OverlayMode::AllButFirstAndLastPage))
                .header("%tz=CEST Testfax: CSID: %C"),
        )
        .status_report_options(
            StatusReportOptions::default()
                .report_purge_ts("2026-12-01T00:00:00Z".parse().unwrap())
                .report_mail(
                    ReportMail::default()
                        .success_address("ok@example.com")
                        .failure_address("ko@example.com")
                        .attached_fax_image_mode(AttachedFaxImageMode::FailureOnly)
                        .attached_fax_image_format(AttachedFaxImageFormat::PdfWithOcr),
                )
                .http_status_push(HttpStatusPush::new("https://hooks.example.com/fax").auth(
                    AuthMethod::OAuth2,
                    "client-id",
                    "client-secret",
                )),
        )
        .meta(
            MetaData::new("run-7").job_valid(
                JobValid::default()
                    .start("2026-11-24T08:00:00Z".parse().unwrap())
                    .end(JobValidEnd::After(Duration::from_secs(80 * 60))),
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(job.job_id.as_str(), "FJLI3102O5BEPYOTB5LPC9");
}

#[tokio::test]
async fn send_via_a_data_center_goes_to_that_data_center() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/dc2/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(SEND_RESPONSE, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let dc2 = client.data_centers()[1].clone();
    let job = client
        .jobs()
        .send(FaxRecipient::new("+4989"))
        .document(Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf"))
        .via(dc2)
        .send()
        .await
        .unwrap();
    assert_eq!(job.job_id.as_str(), "FJLI3102O5BEPYOTB5LPC9");
    let err = client
        .jobs()
        .send(FaxRecipient::new("+4989"))
        .document(Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf"))
        .via(DataCenter::Sg1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn duplicate_and_unknown_error_are_typed_and_never_retried() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(409))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(520).set_body_string("backend adaptor"))
        .expect(1)
        .mount(&server)
        .await;
    // With retries enabled: a send must still go out exactly once per call.
    let client = retarus_fax::Client::builder()
        .credentials(common::USER, common::PASSWORD)
        .customer_number(common::CUNO)
        .region(common::region(&server))
        .build()
        .unwrap();
    let send = || {
        client.jobs().send(FaxRecipient::new("+4989")).document(Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")).send()
    };
    let err = send().await.unwrap_err();
    assert!(retarus_fax::error::is_duplicate_job(&err), "{err}");
    assert_eq!(err.status(), Some(409));
    let err = send().await.unwrap_err();
    // 520 "unknown problem": the job may have been taken, so the outcome is ambiguous; the detail stays.
    assert!(err.is_ambiguous(), "{err}");
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert_eq!((detail.status, detail.code), (520, ApiErrorCode::UnknownError));
    assert_eq!(err.vendor_code(), Some("UNKNOWN_ERROR"));
}

#[tokio::test]
async fn wrong_credentials_are_an_auth_error() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server)
        .jobs()
        .send(FaxRecipient::new("+4989"))
        .document(Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

/// A reader that produces `len` bytes of a pattern without ever holding them.
struct Pattern {
    left: u64,
    pos: u64,
}

impl tokio::io::AsyncRead for Pattern {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = (buf.remaining() as u64).min(self.left).min(64 * 1024) as usize;
        let start = self.pos;
        let bytes: Vec<u8> = (0..n as u64).map(|i| ((start + i) % 251) as u8).collect();
        buf.put_slice(&bytes);
        self.left -= n as u64;
        self.pos += n as u64;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn large_document_streams_inside_the_json_with_a_known_length() {
    const LEN: u64 = 6 * 1024 * 1024 + 1;
    let server = common::server().await;
    let check = |req: &Request| {
        let declared: u64 = req.headers.get("content-length").unwrap().to_str().unwrap().parse().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        let data = v["documents"][0]["data"].as_str().unwrap();
        let decoded = faxkit::base64::decode("t", data.as_bytes()).unwrap();
        declared == req.body.len() as u64
            && decoded.len() as u64 == LEN
            && decoded.iter().enumerate().all(|(i, b)| *b == (i as u64 % 251) as u8)
            && v["documents"][0]["name"] == "big.pdf"
    };
    Mock::given(method("POST"))
        .and(path("/ha/rest/v1/99999TE/fax"))
        .and(move |req: &Request| check(req))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SEND_RESPONSE, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let doc = Document::from_reader(Pattern { left: LEN, pos: 0 }, LEN, "big.pdf");
    let job = common::client(&server).jobs().send(FaxRecipient::new("+4989")).document(doc).send().await.unwrap();
    assert_eq!(job.job_id.as_str(), "FJLI3102O5BEPYOTB5LPC9");
}
