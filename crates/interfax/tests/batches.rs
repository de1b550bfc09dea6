//! Wire tests for `/outbound/batches`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::Document;
use futures::TryStreamExt;
use interfax::*;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const RECORD: &str = include_str!("fixtures/batch_record.json");

#[tokio::test]
async fn send_batch_with_list_and_options() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/batches"))
        .and(exact_query(&[
            ("list", "customers"),
            ("reference", "spring"),
            ("pageSize", "a4"),
            ("retriesToPerform", "2"),
        ]))
        .and(auth())
        .and(header("content-type", "application/pdf"))
        .and(body_bytes(b"%PDF-1.4 news".to_vec()))
        .respond_with(created("https://rest.interfax.net/outbound/batches/131201409296901"))
        .expect(1)
        .mount(&server)
        .await;
    let id = client
        .batches()
        .send("customers", Document::from_bytes("%PDF-1.4 news", "news.pdf"))
        .reference("spring".to_owned())
        .page_size(PageSize::A4)
        .retries_to_perform(2)
        .send()
        .await
        .unwrap();
    assert_eq!(id, BatchId(131201409296901));
}

#[tokio::test]
async fn list_record_children() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/outbound/batches"))
        .and(exact_query(&[("lastId", "9"), ("limit", "5"), ("sortOrder", "asc"), ("allUsers", "true")]))
        .and(auth())
        .respond_with(text_json(&format!("[{RECORD}]")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/batches/131201409296901"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(RECORD))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/batches/131201409296901/children"))
        .and(exact_query(&[("limit", "1"), ("offset", "0")]))
        .and(auth())
        .respond_with(text_json(r#"[{"id":131201409296902,"status":0,"units":1.00,"costPerUnit":0.1500}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/batches/131201409296901/children"))
        .and(exact_query(&[("limit", "1"), ("offset", "1")]))
        .respond_with(text_json(r#"[{"id":131201409296903,"status":-2}]"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/outbound/batches/131201409296901/children"))
        .and(exact_query(&[("limit", "1"), ("offset", "2")]))
        .respond_with(text_json("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let list = client
        .batches()
        .list()
        .last_id(BatchId(9))
        .limit(5)
        .sort_order(SortOrder::Asc)
        .all_users(true)
        .send()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let b = client.batches().get(BatchId(131201409296901)).await.unwrap();
    assert_eq!(b.sender_csid.as_deref(), Some("INTERFAX"));
    assert_eq!(b.page_size, Some(PageSize::A4));
    assert_eq!(b.page_orientation, Some(PageOrientation::Portrait));
    assert_eq!((b.total_ok, b.total_failed, b.total_in_process), (Some(1), Some(0), Some(1)));
    let kids: Vec<OutboundFax> =
        client.batches().children(BatchId(131201409296901)).limit(1).stream().try_collect().await.unwrap();
    assert_eq!(kids.len(), 2);
    assert_eq!(kids[1].status.class(), StatusClass::InProgress);
}

#[tokio::test]
async fn cancel_and_resend() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/outbound/batches/5/cancel"))
        .and(exact_query(&[]))
        .and(auth())
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/outbound/batches/5/resend"))
        .and(exact_query(&[("reference", "again"), ("sendAlsoOK", "true")]))
        .and(auth())
        .respond_with(created("https://rest.interfax.net/outbound/batches/6"))
        .expect(1)
        .mount(&server)
        .await;
    client.batches().cancel(BatchId(5)).await.unwrap();
    let new =
        client.batches().resend(BatchId(5)).reference("again".to_owned()).send_also_ok(true).send().await.unwrap();
    assert_eq!(new, BatchId(6));
}
