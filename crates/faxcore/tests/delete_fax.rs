//! `GET DeleteFax`: the wire and the reply.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, DELETE_FAX, NoBody, QueryIs, setup, xml};
use faxcore::{ApiError, ApiErrorKind, FaxId};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn delete_fax_reads_the_reference_sample() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/DeleteFax"))
        .and(QueryIs("faxid=209608080375"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(xml(DELETE_FAX))
        .expect(1)
        .mount(&server)
        .await;
    client.delete_fax(FaxId::new(209_608_080_375)).await.unwrap();
}

#[tokio::test]
async fn delete_fax_is_never_retried() {
    let (server, client) = setup().await;
    // A 503 would be retried for a read; a repeated DeleteFax of a fax in Trash would delete it for good.
    Mock::given(method("GET"))
        .and(path("/api/DeleteFax"))
        .and(QueryIs("faxid=7"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.delete_fax(FaxId::new(7)).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
}

#[tokio::test]
async fn anything_but_ok_is_an_error() {
    let (server, client) = setup().await;
    let reply = "<ApiResponse><DeleteFax><Results>Fax is locked</Results></DeleteFax></ApiResponse>";
    Mock::given(path("/api/DeleteFax")).respond_with(xml(reply)).expect(1).mount(&server).await;
    let err = client.delete_fax(FaxId::new(7)).await.unwrap_err();
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert_eq!((detail.kind, detail.message.as_str()), (ApiErrorKind::Rejected, "Fax is locked"));
}

#[tokio::test]
async fn an_unknown_fax_is_not_found() {
    let (server, client) = setup().await;
    Mock::given(path("/api/DeleteFax"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw("<ApiResponse><Error>Fax 7 was not found.</Error></ApiResponse>", "application/xml"),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.delete_fax(FaxId::new(7)).await.unwrap_err().kind(), faxkit::ErrorKind::NotFound);
}
