//! RPC wire tests: the `ApiRequest` object in XML and JSON, and the legacy and current method naming.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use faxkit::Document;
use jiff::Timestamp;
use westfax::Transport;
use westfax::fax::{FaxGetFaxStatus, FaxSendFax};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ID: &str = "24749324-0add-4d23-9087-ab34cd56ef78";

fn body_str(r: &Request) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

/// `POST /RPC/xml`, once, answered with job `job-1`.
async fn mount_rpc_xml(server: &MockServer) {
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/RPC/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<ApiResultOfString><Success>true</Success><Result>job-1</Result></ApiResultOfString>",
            "text/xml",
        ))
        .expect(1)
        .mount(server)
        .await;
}

/// `POST /RPC/json`, `times` times, answered with an empty successful result.
async fn mount_rpc_json(server: &MockServer, times: u64) {
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/RPC/json"))
        .respond_with(common::ok(serde_json::json!([])))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn rpc_xml_body_is_the_api_request_object() {
    let server = common::server().await;
    mount_rpc_xml(&server).await;
    let client = common::client(&server, Transport::RpcXml);
    let op = FaxSendFax::new(["5555555555"], [Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")])
        .csid("5555555555")
        .start_date("2017-06-16T18:00:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(client.call(op).await.unwrap().as_str(), "job-1");
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.headers.get("content-type").unwrap(), "text/xml; charset=utf-8");
    let expected = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<ApiRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
        r#"<Method>Fax_SendFax</Method><Username>user@example.com</Username><Password>s3cret-pass</Password>"#,
        r#"<Cookies>false</Cookies><ProductId>00000000-1111-2222-3333-444444444444</ProductId>"#,
        r#"<JobName /><Header /><BillingCode /><Numbers><string>5555555555</string></Numbers>"#,
        r#"<Files><FileContainer><FileName>a.pdf</FileName><FileContents>JVBERi0xLjQ=</FileContents>"#,
        r#"<ContentType>application/pdf</ContentType><ContentLength>8</ContentLength>"#,
        r#"<ContentEncoding>base64</ContentEncoding></FileContainer></Files>"#,
        r#"<CSID>5555555555</CSID><StartDate>2017-06-16T18:00:00Z</StartDate></ApiRequest>"#,
    );
    assert_eq!(body_str(r), expected);
}

#[tokio::test]
async fn rpc_json_body_is_the_api_request_object() {
    let server = common::server().await;
    mount_rpc_json(&server, 1).await;
    let client = common::client(&server, Transport::RpcJson);
    let ids = [westfax::model::FaxIdItem::new(westfax::model::FaxId::new(ID), westfax::model::Direction::Inbound)];
    client.call(westfax::fax::FaxGetFaxDescriptionsUsingIds::new(ids)).await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "Method": "Fax_GetFaxDescriptionsUsingIds", "Username": common::USER, "Password": common::PASS,
            "Cookies": "false", "ProductId": common::PRODUCT,
            "FaxIds": [{"Id": ID, "Direction": "Inbound"}],
        })
    );
}

#[tokio::test]
async fn rpc_legacy_naming_sends_the_recorded_request_form() {
    let server = common::server().await;
    mount_rpc_xml(&server).await;
    mount_rpc_json(&server, 1).await;
    let builder = || {
        westfax::Client::builder()
            .credentials(common::USER, common::PASS)
            .product_id(common::PRODUCT)
            .base_url(server.uri())
            .rpc_naming(westfax::RpcNaming::Legacy)
    };
    let xml = builder().transport(Transport::RpcXml).build().unwrap();
    let op = FaxSendFax::new(["5555555555"], [Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")])
        .csid("5555555555")
        .start_date("2017-06-16T18:00:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(xml.call(op).await.unwrap().as_str(), "job-1");
    let json = builder().transport(Transport::RpcJson).build().unwrap();
    json.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!((reqs[0].method.as_str(), reqs[0].url.path()), ("POST", "/RPC/xml"));
    // The vendor's legacy RPC demo: `SendFax`, then Username, Password, ProductId, JobName, BillingCode,
    // Header, Numbers, Files, CSID, …, StartDate; no Cookies flag.
    let expected = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<ApiRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
        r#"<Method>SendFax</Method><Username>user@example.com</Username><Password>s3cret-pass</Password>"#,
        r#"<ProductId>00000000-1111-2222-3333-444444444444</ProductId>"#,
        r#"<JobName /><BillingCode /><Header /><Numbers><string>5555555555</string></Numbers>"#,
        r#"<Files><FileContainer><FileName>a.pdf</FileName><FileContents>JVBERi0xLjQ=</FileContents>"#,
        r#"<ContentType>application/pdf</ContentType><ContentLength>8</ContentLength>"#,
        r#"<ContentEncoding>base64</ContentEncoding></FileContainer></Files>"#,
        r#"<CSID>5555555555</CSID><StartDate>2017-06-16T18:00:00Z</StartDate></ApiRequest>"#,
    );
    assert_eq!(body_str(&reqs[0]), expected);
    assert_eq!((reqs[1].method.as_str(), reqs[1].url.path()), ("POST", "/RPC/json"));
    let body: serde_json::Value = serde_json::from_slice(&reqs[1].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "Method": "GetFaxStatus", "Username": common::USER, "Password": common::PASS,
            "ProductId": common::PRODUCT, "Ids": [ID],
        })
    );
}

#[tokio::test]
async fn rpc_current_naming_is_the_default_off_the_legacy_host_and_can_be_chosen_there() {
    let server = common::server().await;
    mount_rpc_json(&server, 2).await;
    let default = common::client(&server, Transport::RpcJson);
    assert_eq!(default.rpc_naming(), westfax::RpcNaming::Current);
    default.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    let chosen = common::client(&server, Transport::RpcJson);
    chosen.call(FaxGetFaxStatus::new([ID])).await.unwrap();
    for r in server.received_requests().await.unwrap() {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "Method": "Fax_GetFaxStatus", "Username": common::USER, "Password": common::PASS,
                "Cookies": "false", "ProductId": common::PRODUCT, "JobIds": [ID],
            })
        );
    }
    let legacy_host = |naming: Option<westfax::RpcNaming>| {
        let mut b = westfax::Client::builder().credentials("u", "p").base_url(westfax::hosts::LEGACY);
        if let Some(n) = naming {
            b = b.rpc_naming(n);
        }
        b.transport(Transport::RpcXml).build().unwrap().rpc_naming()
    };
    assert_eq!(legacy_host(None), westfax::RpcNaming::Legacy);
    assert_eq!(legacy_host(Some(westfax::RpcNaming::Current)), westfax::RpcNaming::Current);
    let api2 = westfax::Client::builder().credentials("u", "p").base_url(westfax::hosts::API2).build().unwrap();
    assert_eq!(api2.rpc_naming(), westfax::RpcNaming::Current);
}
