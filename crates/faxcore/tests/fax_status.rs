//! `GET FaxStatus`: the wire, the reference sample and the error bodies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, FAX_STATUS, NoBody, QueryIs, setup, xml};
use faxcore::{ApiError, ApiErrorKind, FaxCoreStatus, FaxId};
use faxkit::ErrorKind;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const ID: FaxId = FaxId::new(209_608_080_375);

#[tokio::test]
async fn fax_status_reads_the_reference_sample() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/FaxStatus"))
        .and(QueryIs("faxid=209608080375"))
        .and(header("authorization", common::BASIC))
        .and(common::HeaderIs("accept", "application/xml, text/xml;q=0.9, */*;q=0.8"))
        .and(NoBody)
        .respond_with(xml(FAX_STATUS))
        .expect(1)
        .mount(&server)
        .await;
    let status = client.fax_status(ID).await.unwrap();
    assert_eq!(status, FaxCoreStatus::InQueue);
    assert_eq!(status.delivery_status(), faxkit::DeliveryStatus::Queued);
    let _ = BASIC;
}

#[tokio::test]
async fn unknown_statuses_are_kept() {
    let (server, client) = setup().await;
    let reply = "<ApiResponse><FaxStatus><Results>Dialing</Results></FaxStatus></ApiResponse>";
    Mock::given(path("/api/FaxStatus")).respond_with(xml(reply)).expect(1).mount(&server).await;
    assert_eq!(client.fax_status(ID).await.unwrap(), FaxCoreStatus::Other("Dialing".into()));
}

#[tokio::test]
async fn http_errors_map_to_kinds_with_the_xml_message() {
    let (server, client) = setup().await;
    let cases = [
        (
            401,
            "<ApiResponse><Error>Authorization has been denied for this request.</Error></ApiResponse>",
            ErrorKind::Auth,
        ),
        (404, "<ApiResponse><Error>Fax 1 was not found.</Error></ApiResponse>", ErrorKind::NotFound),
        (400, "<Error><Message>The request is invalid.</Message></Error>", ErrorKind::Vendor),
        (500, "<html><body>Server Error</body></html>", ErrorKind::HttpStatus),
        (429, "", ErrorKind::RateLimited),
    ];
    for (i, (status, body, kind)) in cases.into_iter().enumerate() {
        let id = FaxId::new(i as u64 + 1);
        Mock::given(path("/api/FaxStatus"))
            .and(QueryIs(Box::leak(format!("faxid={id}").into_boxed_str())))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/xml"))
            .mount(&server)
            .await;
        let err = client.fax_status(id).await.unwrap_err();
        assert_eq!(err.kind(), kind, "HTTP {status}: {err}");
        if status == 401 || status == 404 {
            assert!(err.to_string().contains(if status == 401 { "denied" } else { "not found" }), "{err}");
        }
        if status == 400 {
            let detail = err.vendor_detail::<ApiError>().unwrap();
            assert_eq!((detail.kind, detail.http_status), (ApiErrorKind::ErrorBody, 400));
            assert_eq!(detail.message, "The request is invalid.");
        }
    }
}

#[tokio::test]
async fn errors_inside_a_200_are_errors() {
    let (server, client) = setup().await;
    let reply = "<?xml version=\"1.0\"?><ApiResponse><Error>Invalid fax id</Error></ApiResponse>";
    Mock::given(path("/api/FaxStatus")).respond_with(xml(reply)).expect(1).mount(&server).await;
    let err = client.fax_status(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Vendor);
    assert_eq!(err.vendor_code(), Some("Error"));
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert!(detail.excerpt.contains("<Error>Invalid fax id</Error>"), "{}", detail.excerpt);
}

#[tokio::test]
async fn unexpected_bodies_are_decode_errors_with_an_excerpt() {
    for body in [
        "<html><body>Please log in</body></html>",
        "{\"status\":\"Success\"}",
        "<ApiResponse><GetFaxList/></ApiResponse>",
        "<ApiResponse><FaxStatus><Results>In Queue</Results>",
        "",
    ] {
        let (server, client) = setup().await;
        Mock::given(path("/api/FaxStatus")).respond_with(xml(body)).expect(1).mount(&server).await;
        let err = client.fax_status(ID).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{body}: {err}");
        let faxkit::Error::Decode { excerpt, source, .. } = &err else { unreachable!() };
        assert_eq!(excerpt, body.trim());
        let api = source.as_ref().and_then(|s| s.downcast_ref::<ApiError>()).unwrap();
        assert_eq!(api.kind, ApiErrorKind::Unexpected);
    }
}

#[tokio::test]
async fn reads_are_retried_on_503() {
    let (server, client) = setup().await;
    Mock::given(path("/api/FaxStatus"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/FaxStatus")).respond_with(xml(FAX_STATUS)).expect(1).mount(&server).await;
    assert_eq!(client.fax_status(ID).await.unwrap(), FaxCoreStatus::InQueue);
}

#[tokio::test]
async fn lower_case_results_element_is_accepted_for_fax_status() {
    let (server, client) = common::setup().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/api/FaxStatus"))
        .and(common::QueryIs("faxid=5"))
        .and(common::NoBody)
        .respond_with(common::xml("<ApiResponse><FaxStatus><results>In Queue</results></FaxStatus></ApiResponse>"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.fax_status(faxcore::FaxId::new(5)).await.unwrap(), faxcore::FaxCoreStatus::InQueue);
}
