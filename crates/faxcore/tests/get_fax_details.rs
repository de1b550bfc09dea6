//! `GET GetFaxDetails`: the wire, the reference sample and Pacific time across daylight-saving changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, GET_FAX_DETAILS, NoBody, QueryIs, setup, xml};
use faxcore::{FaxCoreStatus, FaxId, FaxType};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

fn details(created: &str, complete: &str, status: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse><GetFaxDetails><Results><FaxID>1</FaxID>\
         <Type>Inbound</Type><FaxNumber>12125550100</FaxNumber><Subject/><CreatedDate>{created}</CreatedDate>\
         <CompleteDate>{complete}</CompleteDate><Status>{status}</Status><PageCount/><PageDelivered></PageDelivered>\
         <NewField>ignored</NewField></Results></GetFaxDetails></ApiResponse>"
    )
}

#[tokio::test]
async fn get_fax_details_reads_the_reference_sample() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxDetails"))
        .and(QueryIs("faxid=209208083966"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(xml(GET_FAX_DETAILS))
        .expect(1)
        .mount(&server)
        .await;
    let d = client.get_fax_details(FaxId::new(209_208_083_966)).await.unwrap();
    assert_eq!(d.fax_id, Some(FaxId::new(209_208_083_966)));
    assert_eq!(d.fax_type, Some(FaxType::Outbound));
    assert_eq!(d.fax_number, "72088884441");
    assert_eq!(d.subject, "Test Subject");
    assert_eq!(d.status, Some(FaxCoreStatus::Completed));
    assert_eq!((d.page_count, d.page_delivered), (Some(1), Some(1)));
    // 26 October 2013 was still daylight time (PDT, UTC-7).
    let created = d.created_date.as_ref().unwrap();
    assert_eq!(
        (created.raw.as_str(), created.utc.to_string()),
        ("10/26/2013 10:54:18 PM", "2013-10-27T05:54:18Z".into())
    );
    assert_eq!(d.complete_date.as_ref().unwrap().utc.to_string(), "2013-10-27T05:54:50Z");
    let neutral = d.to_fax_status(FaxId::new(1));
    assert_eq!(neutral.status, faxkit::DeliveryStatus::Delivered);
    assert_eq!(neutral.id.as_str(), "209208083966", "the reply's FaxID wins over the requested id");
    assert_eq!(neutral.raw_status, "Completed");
    assert_eq!(neutral.to.as_deref(), Some("72088884441"));
    assert_eq!(neutral.pages, Some(1));
}

#[tokio::test]
async fn pacific_time_across_the_daylight_saving_changes() {
    let cases = [
        // Autumn 2013: PDT until 3 November 02:00, then PST (UTC-8).
        ("11/02/2013 11:00:00 PM", "2013-11-03T06:00:00Z"),
        ("11/03/2013 01:30:00 AM", "2013-11-03T08:30:00Z"), // occurs twice: the earlier (PDT) instant
        ("11/03/2013 03:00:00 AM", "2013-11-03T11:00:00Z"),
        // Spring 2014: PST until 9 March 02:00, then PDT (UTC-7).
        ("03/09/2014 01:59:59 AM", "2014-03-09T09:59:59Z"),
        ("03/09/2014 02:30:00 AM", "2014-03-09T10:30:00Z"), // does not exist: read forward, as 03:30 PDT
        ("03/09/2014 03:00:00 AM", "2014-03-09T10:00:00Z"),
        ("01/15/2014 12:00:00 PM", "2014-01-15T20:00:00Z"),
        ("7/4/2014 9:05:00 AM", "2014-07-04T16:05:00Z"),
    ];
    for (raw, utc) in cases {
        let (server, client) = setup().await;
        Mock::given(path("/api/GetFaxDetails"))
            .respond_with(xml(&details(raw, "", "In Queue")))
            .expect(1)
            .mount(&server)
            .await;
        let d = client.get_fax_details(FaxId::new(1)).await.unwrap();
        let t = d.created_date.unwrap();
        assert_eq!((t.raw.as_str(), t.utc.to_string()), (raw, utc.to_owned()));
        assert_eq!(d.complete_date, None, "an empty CompleteDate is None");
        assert_eq!((d.page_count, d.page_delivered, d.subject.as_str()), (None, None, ""));
        assert_eq!(d.fax_type, Some(FaxType::Inbound));
    }
}

#[tokio::test]
async fn a_malformed_date_is_a_decode_error() {
    let (server, client) = setup().await;
    Mock::given(path("/api/GetFaxDetails"))
        .respond_with(xml(&details("2013-10-26T22:54:18", "", "Completed")))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.get_fax_details(FaxId::new(1)).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode);
    assert!(err.to_string().contains("GetFaxDetails"), "{err}");
}

#[tokio::test]
async fn lower_case_results_element_is_accepted() {
    // The reference's overview says replies carry `<results>`; its samples write `<Results>`. Both are read.
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxDetails"))
        .and(QueryIs("faxid=7"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(xml("<ApiResponse><GetFaxDetails><results><FaxID>7</FaxID><Type>Outbound</Type>\
             <Status>Completed</Status></results></GetFaxDetails></ApiResponse>"))
        .expect(1)
        .mount(&server)
        .await;
    let d = client.get_fax_details(FaxId::new(7)).await.unwrap();
    assert_eq!((d.fax_id, d.status), (Some(FaxId::new(7)), Some(FaxCoreStatus::Completed)));
}

#[tokio::test]
async fn missing_fax_id_type_and_status_do_not_fail_the_call() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxDetails"))
        .and(QueryIs("faxid=8"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(xml(
            "<ApiResponse><GetFaxDetails><Results><FaxNumber>12125550100</FaxNumber><Subject>S</Subject>\
             <PageCount>2</PageCount></Results></GetFaxDetails></ApiResponse>",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let d = client.get_fax_details(FaxId::new(8)).await.unwrap();
    assert_eq!((d.fax_id, d.fax_type.clone(), d.status.clone()), (None, None, None));
    assert_eq!((d.fax_number.as_str(), d.subject.as_str(), d.page_count), ("12125550100", "S", Some(2)));
    // Through FaxService the requested id stands in, and a missing status is Unknown, not an error.
    let s = faxkit::FaxService::status(&client, &faxkit::FaxId::new("8")).await.unwrap();
    assert_eq!((s.id.as_str(), s.status, s.raw_status.as_str()), ("8", faxkit::DeliveryStatus::Unknown, ""));
}

#[tokio::test]
async fn unknown_type_and_status_keep_the_raw_text() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxDetails"))
        .and(QueryIs("faxid=9"))
        .respond_with(xml(
            "<ApiResponse><GetFaxDetails><Results><FaxID>9</FaxID><Type>Relayed</Type><Status>Parked</Status>\
             </Results></GetFaxDetails></ApiResponse>",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let d = client.get_fax_details(FaxId::new(9)).await.unwrap();
    assert_eq!(d.fax_type.unwrap().as_str(), "Relayed");
    assert_eq!(d.status.unwrap().as_str(), "Parked");
}
