//! Wire tests for `/inbound/faxes`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::ErrorKind;
use futures::TryStreamExt;
use interfax::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const FAX: &str = include_str!("fixtures/inbound_fax.json");
const EMAIL: &str = include_str!("fixtures/forwarding_email.json");
const TRUE: &str = include_str!("fixtures/mark.txt");

#[tokio::test]
async fn list_sends_filters_and_pages_by_last_id() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes"))
        .and(exact_query(&[("unreadOnly", "true"), ("limit", "1"), ("allUsers", "false")]))
        .and(auth())
        .respond_with(text_json(&format!("[{FAX}]")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes"))
        .and(exact_query(&[("unreadOnly", "true"), ("limit", "1"), ("lastId", "292626603"), ("allUsers", "false")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<InboundFax> =
        client.inbound().list().unread_only(true).limit(1).all_users(false).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    let f = &all[0];
    assert_eq!(f.message_id, InboundFaxId(292626603));
    assert_eq!(f.phone_number.as_deref(), Some("2084978672"));
    assert_eq!(f.remote_csid.as_deref(), Some("Interfax"));
    assert_eq!(f.message_status, Some(FaxStatusCode::OK));
    assert_eq!((f.pages, f.message_size, f.message_type), (Some(2), Some(49201), Some(1)));
    assert_eq!(f.receive_time.as_ref().unwrap().utc.to_string(), "2016-09-30T12:54:26Z");
    assert_eq!(f.caller_id, None);
    assert_eq!(f.recording_duration, Some(68));
    assert_eq!(f.image_status, Some(ImageStatus::Unread));
    assert_eq!((f.num_of_emails, f.num_of_failed_emails), (Some(0), Some(0)));
    let neutral = faxkit::InboundFax::from(f);
    assert_eq!(neutral.acknowledged, Some(false));
    assert_eq!(neutral.from.as_deref(), Some("Interfax"));
}

#[tokio::test]
async fn record_and_pdf_image() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes/292626603"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(FAX))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes/292626603/image"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"%PDF-1.4 inbound".to_vec(), "application/pdf"))
        .expect(1)
        .mount(&server)
        .await;
    let id = InboundFaxId(292626603);
    assert_eq!(client.inbound().get(id).await.unwrap().pages, Some(2));
    let img = client.inbound().image(id).await.unwrap();
    assert_eq!(ImageFormat::from_content_type(&img.content_type), ImageFormat::Pdf);
    assert_eq!(&img.bytes(1 << 20).await.unwrap()[..], b"%PDF-1.4 inbound");
}

#[tokio::test]
async fn forwarding_emails_as_array_or_single_object() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes/1/emails"))
        .and(auth())
        .respond_with(text_json(&format!("[{EMAIL},{EMAIL}]")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/inbound/faxes/2/emails"))
        .respond_with(text_json(EMAIL))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.inbound().emails(InboundFaxId(1)).await.unwrap().len(), 2);
    let one = client.inbound().emails(InboundFaxId(2)).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].email_address.as_deref(), Some("username@interfax.net"));
    assert_eq!(one[0].completion_time.as_ref().unwrap().utc.to_string(), "2012-06-23T17:24:11Z");
}

#[tokio::test]
async fn mark_read_and_unread_answer_bare_true() {
    let (server, client) = setup().await;
    for unread in ["false", "true"] {
        Mock::given(method("POST"))
            .and(path("/inbound/faxes/292626603/mark"))
            .and(exact_query(&[("unread", unread)]))
            .and(auth())
            .and(header("content-length", "0"))
            .respond_with(text_json(TRUE))
            .expect(1)
            .mount(&server)
            .await;
    }
    client.inbound().mark_read(InboundFaxId(292626603)).await.unwrap();
    client.inbound().mark_unread(InboundFaxId(292626603)).await.unwrap();
}

#[tokio::test]
async fn a_bare_false_is_an_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/inbound/faxes/3/mark"))
        .respond_with(text_json("false"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.inbound().mark_read(InboundFaxId(3)).await.unwrap_err().kind(), ErrorKind::Vendor);
}

#[tokio::test]
async fn resend_by_email() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/inbound/faxes/292626603/resend"))
        .and(exact_query(&[("email", "someone@example.com")]))
        .and(auth())
        .respond_with(text_json(TRUE))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/inbound/faxes/292626603/resend"))
        .and(exact_query(&[]))
        .respond_with(text_json(TRUE))
        .expect(1)
        .mount(&server)
        .await;
    let id = InboundFaxId(292626603);
    client.inbound().resend(id).email("someone@example.com".to_owned()).send().await.unwrap();
    client.inbound().resend(id).send().await.unwrap();
}
