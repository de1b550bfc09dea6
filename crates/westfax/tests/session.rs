//! Sessions, compression and streamed documents on the wire (wiremock).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use westfax::fax::FaxGetFaxStatus;
use westfax::model::{Direction, FaxId, FaxIdItem, FileFormat};
use westfax::{SessionMode, Transport};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const ID: &str = "24749324-0add-4d23-9087-ab34cd56ef78";

fn client(server: &wiremock::MockServer, mode: SessionMode) -> westfax::Client {
    westfax::Client::builder()
        .credentials(common::USER, common::PASS)
        .product_id(common::PRODUCT)
        .base_url(server.uri())
        .session(mode)
        .build()
        .unwrap()
}

#[tokio::test]
async fn token_sessions_send_the_token_in_the_body_and_sign_in_again_when_it_expires() {
    let server = common::server().await;
    let signins = Arc::new(AtomicUsize::new(0));
    let n = signins.clone();
    Mock::given(method("POST"))
        .and(path("/REST/Security_Authenticate/json"))
        .respond_with(move |_: &Request| {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            common::ok(json!(format!("token-{i}")))
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxStatus/json"))
        .respond_with(|r: &Request| {
            let fields = common::form(r);
            if fields.iter().any(|(k, v)| k == "SessionToken" && v == "token-1") {
                ResponseTemplate::new(200)
                    .set_body_json(json!({"Success": false, "ErrorString": "Authorization_Failed_SessionExpired"}))
            } else {
                common::ok(json!([{"JobId": ID, "JobState": "Submitted", "QuerySuccess": true}]))
            }
        })
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server, SessionMode::Token);
    let status = c.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    assert_eq!(status[0].job_state, Some(westfax::model::FaxStatus::Submitted));
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4);
    let auth = common::form(&reqs[0]);
    assert_eq!(
        auth,
        vec![
            ("Username".into(), common::USER.into()),
            ("Password".into(), common::PASS.into()),
            ("Cookies".into(), "false".into()),
            ("ProductId".into(), common::PRODUCT.into())
        ]
    );
    let call = common::form(&reqs[3]);
    assert_eq!(
        call,
        vec![
            ("SessionToken".into(), "token-2".into()),
            ("ProductId".into(), common::PRODUCT.into()),
            ("Ids1".into(), ID.into())
        ]
    );
}

#[tokio::test]
async fn cookie_sessions_keep_the_asp_net_session_cookie() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Security_Authenticate/json"))
        .respond_with(
            common::ok(json!("KQroCTeXzk65vsUylajktw"))
                .insert_header("Set-Cookie", "ASP.NET_SessionId=KQroCTeXzk65vsUylajktw; path=/; HttpOnly"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxStatus/json"))
        .and(wiremock::matchers::header("cookie", "ASP.NET_SessionId=KQroCTeXzk65vsUylajktw"))
        .respond_with(common::ok(json!([])))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server, SessionMode::Cookie);
    c.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    c.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert!(common::form(&reqs[0]).contains(&("Cookies".into(), "true".into())));
    assert_eq!(common::form(&reqs[1]), vec![("ProductId".into(), common::PRODUCT.into()), ("Ids1".into(), ID.into())]);
    assert!(!format!("{c:?}").contains("KQroCTeXzk65vsUylajktw"), "the session never shows in Debug");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::test]
async fn gzip_and_raw_deflate_bodies_are_decoded_and_plain_error_bodies_read() {
    let body = json!({"Success": true, "Result": [{"JobId": ID, "JobState": "Complete"}]}).to_string();
    for (encoding, bytes) in [("gzip", gzip(body.as_bytes())), ("deflate", raw_deflate(body.as_bytes()))] {
        let server = common::server().await;
        Mock::given(method("POST"))
            .and(path("/REST/Fax_GetFaxStatus/json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Content-Encoding", encoding)
                    .set_body_raw(bytes, "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let c = common::client(&server, Transport::Rest);
        let s = c.call(FaxGetFaxStatus::new([ID])).await.unwrap();
        assert_eq!(s[0].job_state, Some(westfax::model::FaxStatus::Complete), "{encoding}");
    }
    let server = common::server().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"ErrorString": "Api_Failed_", "InfoString": "boom"})),
        )
        .mount(&server)
        .await;
    let err = common::client(&server, Transport::Rest).call(FaxGetFaxStatus::new([ID])).await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("Api_Failed_"));
}

#[tokio::test]
async fn documents_stream_out_of_the_json_and_xml_answers() {
    let pdf = b"%PDF-1.4 streamed document".repeat(1000);
    let b64 = faxkit::base64::encode(&pdf);
    let json_body = include_str!("fixtures/Fax_GetFaxDocuments.json").replace("JVBERi0xLjQK", &b64);
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxDocuments/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(gzip(json_body.as_bytes()), "application/json")
                .insert_header("Content-Encoding", "gzip"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let xml_body = format!(
        "<ApiResultOfListOfFaxFileItem><Success>true</Success><Result><FaxFileItem><FaxFiles><FileItem><ContentType>image/tiff</ContentType><FileContents>{b64}</FileContents></FileItem></FaxFiles></FaxFileItem></Result></ApiResultOfListOfFaxFileItem>"
    );
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxDocuments/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml_body, "text/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let item = FaxIdItem::new(FaxId::new(ID), Direction::Inbound);
    let d = common::client(&server, Transport::Rest).download_document(item.clone(), FileFormat::Pdf).await.unwrap();
    assert_eq!(d.content_type, "application/pdf");
    assert_eq!(d.len, Some(287117), "the length the vendor declared");
    assert_eq!(d.bytes(1 << 20).await.unwrap(), pdf);
    let d = common::client(&server, Transport::RestXml).download_document(item, FileFormat::Tiff).await.unwrap();
    assert_eq!(d.content_type, "image/tiff");
    assert_eq!(d.bytes(1 << 20).await.unwrap(), pdf);
}

#[tokio::test]
async fn a_document_answer_with_an_error_is_the_error() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Success": false, "ErrorString": "Fax_Failed_NotFound", "InfoString": "no fax"})),
        )
        .mount(&server)
        .await;
    let item = FaxIdItem::new(FaxId::new(ID), Direction::Inbound);
    let err = common::client(&server, Transport::Rest).download_document(item, FileFormat::Pdf).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn documents_stream_out_of_any_layout_the_tree_decoder_accepts() {
    let pdf = b"%PDF-1.4 laid out differently".repeat(100);
    let b64 = faxkit::base64::encode(&pdf);
    // Valid JSON, laid out as an indenting serializer would, with lower-case keys and an escaped slash.
    let json_body = format!(
        "{{\n  \"success\" : true,\n  \"result\" : [ {{\n    \"faxFiles\" : [ {{\n      \"contentType\" : \"application\\/pdf\",\n      \"fileContents\" : \"{b64}\"\n    }} ]\n  }} ]\n}}"
    );
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxDocuments/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(json_body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    // XML with a namespace prefix and an attribute on the element.
    let xml_body = format!(
        "<?xml version=\"1.0\"?><ApiResultOfListOfFaxFileItem xmlns:a=\"urn:w\"><Success>true</Success><Result><FaxFileItem><FaxFiles><FileItem><a:ContentType>image/tiff</a:ContentType><a:FileContents xml:space=\"preserve\">{b64}</a:FileContents></FileItem></FaxFiles></FaxFileItem></Result></ApiResultOfListOfFaxFileItem>"
    );
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxDocuments/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml_body, "text/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let item = FaxIdItem::new(FaxId::new(ID), Direction::Inbound);
    let d = common::client(&server, Transport::Rest).download_document(item.clone(), FileFormat::Pdf).await.unwrap();
    assert_eq!(d.content_type, "application/pdf");
    assert_eq!(d.bytes(1 << 20).await.unwrap(), pdf);
    let d = common::client(&server, Transport::RestXml).download_document(item, FileFormat::Pdf).await.unwrap();
    assert_eq!(d.content_type, "image/tiff");
    assert_eq!(d.bytes(1 << 20).await.unwrap(), pdf);
    let reqs = server.received_requests().await.unwrap();
    let fields = common::form(&reqs[0]);
    assert!(fields.iter().any(|(k, v)| k == "FaxIds1" && v.contains(ID)), "{fields:?}");
}

#[tokio::test]
async fn a_cookie_sign_in_without_a_result_token_is_accepted() {
    for result in [json!({"Success": true, "ErrorString": null, "Result": null}), json!({"Success": true})] {
        let server = common::server().await;
        Mock::given(method("POST"))
            .and(path("/REST/Security_Authenticate/json"))
            .and(|req: &Request| common::form(req).contains(&("Cookies".into(), "true".into())))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(result.clone())
                    .insert_header("Set-Cookie", "ASP.NET_SessionId=abc123; path=/; HttpOnly"),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/REST/Fax_GetFaxStatus/json"))
            .and(wiremock::matchers::header("cookie", "ASP.NET_SessionId=abc123"))
            .respond_with(common::ok(json!([])))
            .expect(1)
            .mount(&server)
            .await;
        let c = client(&server, SessionMode::Cookie);
        c.call(FaxGetFaxStatus::new([ID])).await.unwrap_or_else(|e| panic!("{result}: {e}"));
        let reqs = server.received_requests().await.unwrap();
        assert_eq!(
            common::form(&reqs[1]),
            vec![("ProductId".into(), common::PRODUCT.into()), ("Ids1".into(), ID.into())]
        );
    }
}

#[tokio::test]
async fn a_token_sign_in_without_a_token_fails() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Security_Authenticate/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Success": true, "Result": null})))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server, SessionMode::Token).sign_in().await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode, "{err}");
}
