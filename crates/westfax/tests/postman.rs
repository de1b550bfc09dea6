//! The vendor's Postman collection (`westfax/API-Postman`, 23 requests), reproduced field for field by the
//! typed operations over REST.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use faxkit::Document;
use serde_json::Value;
use westfax::contact::ContactGetContactList;
use westfax::fax::*;
use westfax::model::{Direction, FaxIdItem, FaxQuality, FilterValue};
use westfax::profile::*;
use westfax::security::*;
use westfax::{Operation, Transport};
use wiremock::Mock;
use wiremock::matchers::method;

const COLLECTION: &str = include_str!("fixtures/WestFaxApi_Postman_collection.json");
const ENVIRONMENT: &str = include_str!("fixtures/WestFaxApiEnvironment.postman_environment.json");

fn env(key: &str) -> String {
    let env: Value = serde_json::from_str(ENVIRONMENT).unwrap();
    let found = env["values"].as_array().unwrap().iter().find(|v| v["key"] == key).unwrap();
    found["value"].as_str().unwrap().to_owned()
}

fn substitute(s: &str) -> String {
    let mut out = s.to_owned();
    for (var, value) in [
        ("{{User}}", common::USER.to_owned()),
        ("{{Pass}}", common::PASS.to_owned()),
        ("{{ProdId}}", common::PRODUCT.to_owned()),
        ("{{FaxIds1}}", env("FaxIds1")),
        ("{{FaxIds2}}", env("FaxIds2")),
    ] {
        out = out.replace(var, &value);
    }
    out
}

fn fax_id(key: &str) -> FaxIdItem {
    serde_json::from_str(&env(key)).unwrap()
}

/// Postman's two-digit years (`1/1/19`) name the same day as our four-digit form.
fn normalize(name: &str, value: String) -> String {
    if name == "StartDate" {
        let parts: Vec<&str> = value.split('/').collect();
        if parts.len() == 3 && parts[2].len() == 2 {
            return format!("{}/{}/20{}", parts[0], parts[1], parts[2]);
        }
    }
    value
}

async fn run<O: Operation>(op: O, wire_method: &str) -> Vec<(String, String)> {
    let server = common::server().await;
    let expected_path = format!("/REST/{wire_method}/json");
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(expected_path.as_str()))
        .respond_with(common::ok(Value::Null))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let _ = op.send(&client).await;
    let reqs = server.received_requests().await.unwrap();
    let mut fields: Vec<(String, String)> = common::form(&reqs[0])
        .into_iter()
        .map(|(k, v)| if v.starts_with("file:") { (k, "<file>".to_owned()) } else { (k, v) })
        .collect();
    fields.sort();
    fields
}

#[tokio::test]
async fn every_postman_request_is_reproduced() {
    let collection: Value = serde_json::from_str(COLLECTION).unwrap();
    let mut checked = 0;
    for item in collection["item"].as_array().unwrap() {
        let name = item["name"].as_str().unwrap();
        if name.contains("Throws error") {
            continue; // deliberately omits the password; the typed API always sends one.
        }
        let request = &item["request"];
        let url = request["url"]["raw"].as_str().unwrap();
        let wire_method = url.split('/').nth(2).unwrap();
        let mut expected: Vec<(String, String)> = request["body"]["formdata"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["disabled"].as_bool() != Some(true))
            .map(|f| {
                let key = f["key"].as_str().unwrap().to_owned();
                if f["type"] == "file" {
                    (key, "<file>".to_owned())
                } else {
                    let value = substitute(f["value"].as_str().unwrap());
                    let value = normalize(&key, value);
                    (key, value)
                }
            })
            .collect();
        expected.sort();
        let field = |k: &str| expected.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap();
        let start = || "2019-01-01T00:00:00Z".parse::<jiff::Timestamp>().unwrap();
        let got = match wire_method {
            "Security_Ping" => run(SecurityPing::new(field("StringParams1")), wire_method).await,
            "Security_Authenticate" if name.contains("ProductId") => {
                run(SecurityAuthenticate::new().product_id(common::PRODUCT), wire_method).await
            }
            "Security_Authenticate" => run(SecurityAuthenticate::new(), wire_method).await,
            "Profile_GetAccountInfo" => run(ProfileGetAccountInfo::new(), wire_method).await,
            "Profile_GetProductList" => run(ProfileGetProductList::new(), wire_method).await,
            "Profile_GetF2EProductList" => run(ProfileGetF2EProductList, wire_method).await,
            "Profile_GetF2EProductDetail" => run(ProfileGetF2EProductDetail, wire_method).await,
            "Security_GetUserInfo" => run(SecurityGetUserInfo, wire_method).await,
            "Security_GetLoginInfo" => run(SecurityGetLoginInfo, wire_method).await,
            "Contact_GetContactList" => run(ContactGetContactList, wire_method).await,
            "Fax_SendFax" => {
                let op = FaxSendFax::new(
                    [field("Numbers1"), field("Numbers2")],
                    [Document::from_bytes(&b"%PDF-1.4"[..], "test.pdf")],
                )
                .job_name(field("JobName"))
                .header(field("Header"))
                .billing_code(field("BillingCode"))
                .csid(field("CSID"))
                .ani(field("ANI"))
                .start_date(start())
                .fax_quality(FaxQuality::Fine)
                .feedback_email(field("FeedbackEmail"))
                .callback_url(CallbackUrl::parse(&field("CallbackUrl")).unwrap());
                run(op, wire_method).await
            }
            "Fax_GetFaxIdentifiers" => {
                let date =
                    if field("StartDate") == "1/1/2019" { start() } else { "2017-12-01T00:00:00Z".parse().unwrap() };
                let mut op = FaxGetFaxIdentifiers::new(date);
                if let Some((_, d)) = expected.iter().find(|(k, _)| k == "FaxDirection") {
                    op = op.direction(Direction::from_wire(d));
                }
                run(op, wire_method).await
            }
            "Fax_GetFaxDescriptions" => {
                run(FaxGetFaxDescriptions::new(start(), Direction::from_wire(&field("FaxDirection"))), wire_method)
                    .await
            }
            "Fax_GetFaxDocuments" => run(FaxGetFaxDocuments::new([fax_id("FaxIds1")]), wire_method).await,
            "Fax_ChangeFaxFilterValue" => {
                run(FaxChangeFaxFilterValue::new([fax_id("FaxIds1")], FilterValue::Removed), wire_method).await
            }
            "Fax_GetFaxDescriptionsUsingIds" => {
                run(FaxGetFaxDescriptionsUsingIds::new([fax_id("FaxIds1"), fax_id("FaxIds2")]), wire_method).await
            }
            "Fax_SendFaxAsEmail" => {
                run(FaxSendFaxAsEmail::new(fax_id("FaxIds1"), field("FeedbackEmail")), wire_method).await
            }
            "Fax_ResendFaxNotification" => run(FaxResendFaxNotification::new([fax_id("FaxIds1")]), wire_method).await,
            "Fax_GetProductsWithInboundFaxes" => {
                run(FaxGetProductsWithInboundFaxes::new(FilterValue::None), wire_method).await
            }
            other => panic!("Postman request {name} ({other}) is not mapped"),
        };
        assert_eq!(got, expected, "Postman request {name:?}");
        checked += 1;
    }
    assert_eq!(checked, 22, "every Postman request but the deliberate failure");
}
