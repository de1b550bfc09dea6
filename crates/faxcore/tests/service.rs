//! `FaxService` on the FaxCore client: which resources each trait method calls, on the wire.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DELETE_FAX, GET_FAX_DETAILS, QueryIs, SEND_FAX, setup, xml};
use faxkit::{DeliveryStatus, Document, FaxNumber, FaxService, InboundQuery, SendRequest};
use wiremock::Mock;
use wiremock::matchers::{body_bytes, method, path};

fn inbound_details(id: u64, from: &str) -> String {
    format!(
        "<ApiResponse><GetFaxDetails><Results><FaxID>{id}</FaxID><Type>Inbound</Type><FaxNumber>{from}</FaxNumber>\
         <Subject></Subject><CreatedDate>01/15/2014 09:00:00 AM</CreatedDate><CompleteDate>01/15/2014 09:01:00 AM</CompleteDate>\
         <Status>Completed</Status><PageCount>3</PageCount><PageDelivered>3</PageDelivered></Results></GetFaxDetails></ApiResponse>"
    )
}

#[tokio::test]
async fn send_maps_sender_and_subject() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/SendFax"))
        .and(QueryIs("sendername=Ann&sendercompany=&subject=Hello&notes=&recpname=&recpfax=12125550100&filename=a.pdf"))
        .and(body_bytes(&b"%PDF-1.4"[..]))
        .respond_with(xml(SEND_FAX))
        .expect(1)
        .mount(&server)
        .await;
    let req = SendRequest::new(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes("%PDF-1.4", "a.pdf"))
        .sender_name("Ann")
        .subject("Hello")
        .reference("ignored: FaxCore stores no reference")
        .csid("ignored");
    assert_eq!(client.send(&req).await.unwrap().as_str(), "209608080375");
}

#[tokio::test]
async fn status_is_get_fax_details() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxDetails"))
        .and(QueryIs("faxid=209208083966"))
        .respond_with(xml(GET_FAX_DETAILS))
        .expect(1)
        .mount(&server)
        .await;
    let s = client.status(&faxkit::FaxId::new("209208083966")).await.unwrap();
    assert_eq!((s.status, s.raw_status.as_str(), s.pages), (DeliveryStatus::Delivered, "Completed", Some(1)));
    assert_eq!(s.submitted_at.unwrap().to_string(), "2013-10-27T05:54:18Z");
}

#[tokio::test]
async fn list_inbound_lists_the_inbox_then_reads_details() {
    let (server, client) = setup().await;
    Mock::given(path("/api/GetFaxList"))
        .and(QueryIs("folder=Inbox&hidedownloaded=true"))
        .respond_with(xml(
            "<ApiResponse><GetFaxList><FaxId>11</FaxId><FaxId>12</FaxId><FaxId>13</FaxId></GetFaxList></ApiResponse>",
        ))
        .expect(1)
        .mount(&server)
        .await;
    for (id, from) in [(11, "12125550111"), (12, "12125550112")] {
        Mock::given(path("/api/GetFaxDetails"))
            .and(QueryIs(Box::leak(format!("faxid={id}").into_boxed_str())))
            .respond_with(xml(&inbound_details(id, from)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let list = client.list_inbound(&InboundQuery::default().unread_only(true).limit(2)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].id.as_str(), list[0].from.as_deref(), list[0].pages), ("11", Some("12125550111"), Some(3)));
    assert_eq!(list[1].id.as_str(), "12");
    assert_eq!(list[0].received_at.unwrap().to_string(), "2014-01-15T17:00:00Z");
    assert_eq!(list[0].acknowledged, Some(false));
}

#[tokio::test]
async fn acknowledge_never_calls_delete_fax() {
    let (server, client) = setup().await;
    Mock::given(path("/api/DeleteFax"))
        .respond_with(xml(DELETE_FAX))
        .expect(0)
        .named("DeleteFax must never be called by acknowledge")
        .mount(&server)
        .await;
    client.acknowledge(&faxkit::FaxId::new("11")).await.unwrap();
    // Through the inbound source too, and with no request at all (download already marked the fax).
    let source = std::sync::Arc::new(client.clone()).inbound_source();
    let item = faxkit::InboundItem::new(faxkit::InboundFax::new(faxkit::FaxId::new("12")));
    source.acknowledge(&item).await.unwrap();
    common::assert_no_requests(&server).await;
    // An id FaxCore cannot have issued is refused, still without a request.
    let err = client.acknowledge(&faxkit::FaxId::new("not-a-number")).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::NotFound);
    common::assert_no_requests(&server).await;
}
