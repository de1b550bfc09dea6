//! Wire tests for `/outbound/documents`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::{Document, ErrorKind};
use futures::TryStreamExt;
use interfax::*;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const DOC: &str = include_str!("fixtures/document.json");
const WRONG_DOC: &str = include_str!("fixtures/error_wrong_document.json");

#[tokio::test]
async fn create_session_sends_size_name_disposition_sharing() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/documents"))
        .and(exact_query(&[
            ("size", "20702285"),
            ("name", "A17_FlightPlan.pdf"),
            ("disposition", "multiUse"),
            ("sharing", "shared"),
        ]))
        .and(auth())
        .and(header("content-length", "0"))
        .respond_with(
            ResponseTemplate::new(201).insert_header(
                "Location",
                "https://rest.interfax.net/outbound/documents/deca890355b44b42944970d9773962b5",
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let id = client
        .documents()
        .create("A17_FlightPlan.pdf", 20702285)
        .disposition(Disposition::MultiUse)
        .sharing(Sharing::Shared)
        .send()
        .await
        .unwrap();
    assert_eq!(id.as_str(), "deca890355b44b42944970d9773962b5");
}

#[tokio::test]
async fn chunk_outcomes_202_200_413_and_x_content_range() {
    let (server, client) = setup().await;
    let p = "/outbound/documents/abc";
    Mock::given(method("POST"))
        .and(path(p))
        .and(header("range", "bytes=0-3"))
        .and(header("content-type", "application/octet-stream"))
        .and(auth())
        .and(body_bytes(b"%PDF".to_vec()))
        .respond_with(ResponseTemplate::new(202).insert_header("X-Content-Range", "bytes 0-3/6"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p))
        .and(header("range", "bytes=4-5"))
        .and(body_bytes(b"-1".to_vec()))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Content-Range", "bytes 0-5/6"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p))
        .and(header("range", "bytes=6-6"))
        .respond_with(ResponseTemplate::new(413))
        .expect(1)
        .mount(&server)
        .await;
    let docs = client.documents();
    let id = DocumentId::new("abc");
    let first = docs.upload_chunk(&id, 0, bytes::Bytes::from_static(b"%PDF")).await.unwrap();
    assert_eq!(first, ChunkOutcome::Accepted { range: Some(ContentRange { start: 0, end: 3, total: Some(6) }) });
    let last = docs.upload_chunk(&id, 4, bytes::Bytes::from_static(b"-1")).await.unwrap();
    assert_eq!(last, ChunkOutcome::Complete { range: Some(ContentRange { start: 0, end: 5, total: Some(6) }) });
    assert_eq!(
        docs.upload_chunk(&id, 6, bytes::Bytes::from_static(b"x")).await.unwrap(),
        ChunkOutcome::AlreadyComplete
    );
    let too_big = bytes::Bytes::from(vec![0u8; 1024 * 1024 + 1]);
    assert_eq!(docs.upload_chunk(&id, 0, too_big).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn upload_with_a_mismatched_x_content_range_fails_and_cancels_the_session() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/documents"))
        .respond_with(created("https://rest.interfax.net/outbound/documents/d1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/outbound/documents/d1"))
        .and(header("range", "bytes=0-4"))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Content-Range", "bytes 0-2/5"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/outbound/documents/d1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.documents().upload(Document::from_bytes("hello", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn list_get_and_cancel() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/documents"))
        .and(exact_query(&[("limit", "1"), ("offset", "0")]))
        .and(auth())
        .respond_with(text_json(&format!("[{DOC}]")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/documents"))
        .and(exact_query(&[("limit", "1"), ("offset", "1")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/documents/deca890355b44b42944970d9773962b5"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(DOC))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/outbound/documents/deca890355b44b42944970d9773962b5"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/documents/gone"))
        .respond_with(api_error(404, WRONG_DOC))
        .expect(1)
        .mount(&server)
        .await;
    let docs = client.documents();
    let all: Vec<UploadedDocument> = docs.list().limit(1).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    let id = all[0].id().unwrap();
    let d = docs.get(&id).await.unwrap();
    assert_eq!(d.file_name.as_deref(), Some("A17_FlightPlan.pdf"));
    assert_eq!((d.file_size, d.uploaded), (Some(20702285), Some(0)));
    assert_eq!(d.last_usage_time.as_ref().unwrap().utc.to_string(), "2016-09-30T22:36:14Z");
    assert_eq!(d.status, Some(DocumentStatus::Created));
    assert_eq!(d.disposition, Some(Disposition::SingleUse));
    assert_eq!(d.sharing, Some(Sharing::Private));
    docs.cancel(&id).await.unwrap();
    assert_eq!(docs.get(&DocumentId::new("gone")).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn documented_last_usage_spelling_is_accepted_too() {
    let doc: UploadedDocument =
        serde_json::from_str(&DOC.replace("lastusageTime", "lastUsageTime")).expect("lastUsageTime alias");
    assert!(doc.last_usage_time.is_some());
}

#[tokio::test]
async fn an_x_content_range_ending_at_u64_max_is_a_decode_error_not_a_panic() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/documents"))
        .respond_with(created("https://rest.interfax.net/outbound/documents/d1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/outbound/documents/d1"))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Content-Range", "bytes 0-18446744073709551615"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/outbound/documents/d1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.documents().upload(Document::from_bytes("hello", "a.txt")).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn a_chunk_ending_past_u64_max_is_invalid_input_before_any_request() {
    let (_server, client) = setup().await;
    let id = DocumentId::from("d1");
    let err =
        client.documents().upload_chunk(&id, u64::MAX - 2, bytes::Bytes::from_static(b"hello")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}
