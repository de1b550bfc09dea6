//! REST wire tests: for every current method, the exact URL and form fields (the WestFax API documentation and the vendor's Postman collection), plus the
//! decoding of recorded response samples.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{PASS, PRODUCT, USER, form, ok};
use faxkit::Document;
use jiff::Timestamp;
use serde_json::{Value, json};
use westfax::contact::*;
use westfax::fax::*;
use westfax::model::*;
use westfax::profile::*;
use westfax::security::*;
use westfax::{Operation, Transport};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const ID1: &str = "24749324-0add-4d23-9087-ab34cd56ef78";
const ID2: &str = "6b98617b-932c-46d7-8800-a5325640c91b";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Sends `op` over REST/json against a mock answering `result`; returns the decoded output and form fields.
async fn rest<O: Operation>(op: O, wire_method: &str, result: Value) -> (O::Output, Vec<(String, String)>) {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path(format!("/REST/{wire_method}/json")))
        .respond_with(ok(result))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let out = op.send(&client).await.unwrap_or_else(|e| panic!("{wire_method}: {e}"));
    let reqs = server.received_requests().await.unwrap();
    let ct = reqs[0].headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    assert!(reqs[0].headers.get("contentype").is_none(), "no bogus ContentType header");
    assert_eq!(reqs[0].headers.get("accept-encoding").unwrap(), "gzip, deflate");
    (out, form(&reqs[0]))
}

fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn auth(product: bool, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = f(&[("Username", USER), ("Password", PASS), ("Cookies", "false")]);
    if product {
        v.push(("ProductId".into(), PRODUCT.into()));
    }
    v.extend(f(extra));
    v
}

fn mp(name: &str, value: &str) -> String {
    json!({"Name": name, "Value": value}).to_string()
}

fn fax_id_json(id: &str, dir: &str) -> String {
    format!(r#"{{"Id":"{id}","Direction":"{dir}"}}"#)
}

#[tokio::test]
async fn security_methods() {
    let (pong, fields) = rest(SecurityPing::new("ping "), "Security_Ping", json!("Pong - ping ")).await;
    assert_eq!(pong, "Pong - ping ");
    assert_eq!(fields, f(&[("StringParams1", "ping ")]), "Security_Ping needs no credentials");

    let (_, fields) = rest(SecurityAuthenticate::new(), "Security_Authenticate", json!("token")).await;
    assert_eq!(fields, auth(false, &[]));
    let op = SecurityAuthenticate::new().product_id(PRODUCT).cookies(true);
    let (_, fields) = rest(op, "Security_Authenticate", json!("token")).await;
    assert_eq!(fields, f(&[("Username", USER), ("Password", PASS), ("Cookies", "true"), ("ProductId", PRODUCT)]));

    let user =
        json!({"Id": ID1, "FirstName": "Ada", "LastName": "L", "Email": "a@example.com", "EmailValidated": true});
    let (u, fields) = rest(SecurityGetUserInfo, "Security_GetUserInfo", user).await;
    assert_eq!(u.first_name.as_deref(), Some("Ada"));
    assert_eq!(fields, auth(true, &[]));

    let login = json!({"Id": ID1, "UserName": "ada", "contact": {"Email": "a@example.com"},
                       "aclList": [{"ACLType": "Product", "UserRoleLevel": "Admin", "Inherited": false}]});
    let (l, fields) = rest(SecurityGetLoginInfo, "Security_GetLoginInfo", login).await;
    assert_eq!(l.acl_list[0].acl_type, Some(AclType::Product));
    assert_eq!(l.acl_list[0].user_role_level, Some(UserRoleLevel::Admin));
    assert_eq!(fields, auth(false, &[]));
}

#[tokio::test]
async fn profile_methods() {
    let products =
        json!([{"Id": "00000000-1111-2222-3333-4444444444", "Name": "FF-Acme Corp", "ProductType": "FaxForward"}]);
    let op = ProfileGetProductList::new().account_id(AccountId::new(ID2));
    let (list, fields) = rest(op, "Profile_GetProductList", products.clone()).await;
    assert_eq!(list[0].product_type, Some(ProductType::FaxForward));
    assert_eq!(fields, auth(false, &[("AccountId", ID2)]));

    let (_, fields) = rest(ProfileGetF2EProductList, "Profile_GetF2EProductList", products).await;
    assert_eq!(fields, auth(false, &[]));

    let detail = json!({"Id": PRODUCT, "QuantityInbound": 12, "CurrentBillingPeriodStart": "2026-11-01T00:00:00Z"});
    let (d, fields) = rest(ProfileGetF2EProductDetail, "Profile_GetF2EProductDetail", detail).await;
    assert_eq!(d.quantity_inbound, Some(12));
    assert_eq!(fields, auth(true, &[]));

    let op = ProfileGetProductListPagedSearch::new(2, 25)
        .product_type(ProductType::FaxForward)
        .sort_col("number")
        .sort_dir("asc");
    let (_, fields) = rest(op, "Profile_GetProductList_PagedSearch", json!({"Items": []})).await;
    let expected = auth(false, &[("ProductType", "FaxForward")]);
    let mut expected = expected;
    for (i, (k, v)) in [("page", "2"), ("count", "25"), ("sortCol", "number"), ("sortDir", "asc")].iter().enumerate() {
        expected.push((format!("MethodParams{}", i + 1), mp(k, v)));
    }
    assert_eq!(fields, expected);

    let account = json!({"AccountId": ID1, "AccountName": "Acme", "Active": true, "BillingAddr": {"City": "Denver"}});
    let (a, fields) = rest(ProfileGetAccountInfo::new(), "Profile_GetAccountInfo", account).await;
    assert_eq!(a.billing_addr.unwrap().city.as_deref(), Some("Denver"));
    assert_eq!(fields, auth(true, &[]));

    let op = ProfileGetFaxUsageByProductId::new(ts("2026-06-01T00:00:00Z"), ts("2026-06-30T15:04:05Z"));
    let (_, fields) = rest(op, "Profile_GetFaxUsageByProductId", json!({"Inbound": 1})).await;
    assert_eq!(fields, auth(true, &[("StartDate", "6/1/2026"), ("EndDate", "6/30/2026 3:04:05 PM")]));
}

#[tokio::test]
async fn contact_methods() {
    let contacts = json!([{"Id": ID1, "FirstName": "Ada", "Fax": "3035550101", "OwnerId": ID2}]);
    let (c, fields) = rest(ContactGetContactList, "Contact_GetContactList", contacts.clone()).await;
    assert_eq!(c[0].fax.as_deref(), Some("3035550101"));
    assert_eq!(fields, auth(true, &[]));
    let (_, fields) = rest(ContactGetAllContactList, "Contact_GetAllContactList", contacts).await;
    assert_eq!(fields, auth(false, &[]));
    let op = ContactGetContactListForSendPagedSearch::new(1, 10)
        .search_string("ada")
        .filters([ContactVisibility::Global, ContactVisibility::Private]);
    let (_, fields) = rest(op, "Contact_GetContactList_ForSend_PagedSearch", json!({})).await;
    let mut expected = auth(true, &[]);
    for (i, (k, v)) in
        [("page", "1"), ("count", "10"), ("searchString", "ada"), ("filters", "Global,Private")].iter().enumerate()
    {
        expected.push((format!("MethodParams{}", i + 1), mp(k, v)));
    }
    assert_eq!(fields, expected);
}

#[tokio::test]
async fn fax_send_fax_streams_files_and_sends_every_field() {
    let op = FaxSendFax::new(
        ["823-555-0111", "3035550101"],
        [Document::from_bytes(&b"%PDF-1.4 one"[..], "one.pdf"), Document::from_bytes(&b"%PDF-1.4 two"[..], "two.pdf")],
    )
    .job_name("Test Job")
    .header("Test Header")
    .billing_code("Customer Code 1234")
    .csid("3035550101")
    .ani("0000000000")
    .start_date(ts("2019-01-01T00:00:00Z"))
    .fax_quality(FaxQuality::Fine)
    .feedback_email("ops@example.com")
    .callback_url(CallbackUrl::parse("[get]http://yourweburl.com/{@jobid}?prod={@prodid}&dir={@dir}").unwrap())
    .job_source("faxkit")
    .customer_keys(["k1", "k2"])
    .method_param("coverPageSubject", "Hello");
    let (job, fields) = rest(op, "Fax_SendFax", json!(ID2)).await;
    assert_eq!(job.as_str(), ID2);
    assert_eq!(
        fields,
        auth(
            true,
            &[
                ("JobName", "Test Job"),
                ("Header", "Test Header"),
                ("BillingCode", "Customer Code 1234"),
                ("Numbers1", "823-555-0111"),
                ("Numbers2", "3035550101"),
                ("Files0", "file:one.pdf:%PDF-1.4 one"),
                ("Files1", "file:two.pdf:%PDF-1.4 two"),
                ("CSID", "3035550101"),
                ("FaxQuality", "Fine"),
                ("StartDate", "1/1/2019"),
                ("FeedbackEmail", "ops@example.com"),
                ("ANI", "0000000000"),
                ("CallbackUrl", "[get]http://yourweburl.com/{@jobid}?prod={@prodid}&dir={@dir}"),
                ("JobSource", "faxkit"),
                ("StringParams1", "k1"),
                ("StringParams2", "k2"),
                ("MethodParams1", &mp("coverPageSubject", "Hello")),
            ]
        )
    );
}

#[tokio::test]
async fn fax_send_fax_minimal_sends_empty_job_fields_and_refuses_bad_input() {
    let op = FaxSendFax::new(["5552001111"], [Document::from_bytes(&b"%PDF"[..], "a.pdf")]);
    let (_, fields) = rest(op, "Fax_SendFax", json!(ID2)).await;
    let expected = auth(
        true,
        &[
            ("JobName", ""),
            ("Header", ""),
            ("BillingCode", ""),
            ("Numbers1", "5552001111"),
            ("Files0", "file:a.pdf:%PDF"),
        ],
    );
    assert_eq!(fields, expected);
    let server = common::server().await;
    let client = common::client(&server, Transport::Rest);
    let none = FaxSendFax::new(Vec::<String>::new(), [Document::from_bytes(&b"%PDF"[..], "a.pdf")]);
    let err = client.call(none).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::InvalidInput, "{err}");
    let keys = FaxSendFax::new(["1", "2"], [Document::from_bytes(&b"%PDF"[..], "a.pdf")]).customer_keys(["only one"]);
    assert_eq!(client.call(keys).await.unwrap_err().kind(), faxkit::ErrorKind::InvalidInput);
    assert!(server.received_requests().await.unwrap().is_empty(), "refused input must not reach the server");
}

#[tokio::test]
async fn fax_lookup_methods() {
    let ids =
        [FaxIdItem::new(FaxId::new(ID1), Direction::Outbound), FaxIdItem::new(FaxId::new(ID2), Direction::Inbound)];
    let start = ts("2026-11-01T00:00:00Z");

    let idents = json!([{"Id": ID1, "Direction": "Outbound", "Date": "2018-09-04T03:28:04Z", "Tag": "None"}]);
    let op = FaxGetFaxIdentifiers::new(start).direction(Direction::Outbound).include_zero_page_calls(true);
    let (items, fields) = rest(op, "Fax_GetFaxIdentifiers", idents).await;
    assert_eq!(items[0].tag, Some(FilterValue::None));
    let zero = mp("include0PageCalls", "True");
    assert_eq!(
        fields,
        auth(true, &[("StartDate", "11/1/2026"), ("FaxDirection", "Outbound"), ("MethodParams1", &zero)])
    );

    let desc = json!([{"Id": ID2, "Direction": "Inbound", "Status": "Complete", "Tag": "Retrieved", "PageCount": 2,
        "FaxCallInfoList": [{"CallId": ID1, "CompletedUTC": "2018-04-23T04:58:18Z", "OrigNumber": "3035550101", "Result": "Success"}]}]);
    let (d, fields) =
        rest(FaxGetFaxDescriptions::new(start, Direction::Inbound), "Fax_GetFaxDescriptions", desc.clone()).await;
    assert_eq!(d[0].calls[0].result, Some(CallResult::Success));
    assert_eq!(d[0].calls[0].completed_utc.as_ref().unwrap().utc, Some(ts("2018-04-23T04:58:18Z")));
    assert_eq!(fields, auth(true, &[("StartDate", "11/1/2026"), ("FaxDirection", "Inbound")]));

    let (_, fields) =
        rest(FaxGetFaxDescriptionsUsingIds::new(ids.clone()), "Fax_GetFaxDescriptionsUsingIds", desc).await;
    let (a, b) = (fax_id_json(ID1, "Outbound"), fax_id_json(ID2, "Inbound"));
    assert_eq!(fields, auth(true, &[("FaxIds1", &a), ("FaxIds2", &b)]));

    let docs = json!([{"Id": ID1, "FaxFiles": [{"ContentType": "application/pdf", "ContentLength": 4, "FileContents": "JVBERg=="}]}]);
    let op = FaxGetFaxDocuments::new([ids[0].clone()]).format(FileFormat::Tiff);
    let (files, fields) = rest(op, "Fax_GetFaxDocuments", docs).await;
    assert_eq!(files[0].fax_files[0].file_contents.as_deref(), Some(&b"%PDF"[..]));
    assert_eq!(fields, auth(true, &[("FaxIds1", &a), ("Format", "tiff")]));

    let status = json!([{"JobId": ID1, "JobState": "Production", "QuerySuccess": true, "JobEstimate": 0.05,
        "Calls": [{"PhoneNumber": "5105868243", "CallResult": "NoFaxDevice", "PagesSent": 0, "JobPages": 1}]}]);
    let (s, fields) = rest(FaxGetFaxStatus::new([ID1, ID2]), "Fax_GetFaxStatus", status).await;
    assert_eq!(s[0].job_state, Some(westfax::model::FaxStatus::Production));
    assert_eq!(s[0].job_estimate.as_deref(), Some("0.05"));
    assert_eq!(s[0].calls[0].call_result, Some(CallResult::NoFaxDevice));
    assert_eq!(fields, auth(true, &[("Ids1", ID1), ("Ids2", ID2)]));

    let (_, fields) = rest(FaxCancelFax::new(ID1), "Fax_CancelFax", json!({"Id": ID1})).await;
    assert_eq!(fields, auth(true, &[("Ids1", ID1)]));

    let bstatus = json!([{"JobId": ID1, "TaskCount": 3, "CountFailed": 1}]);
    let (b, fields) = rest(FaxGetBroadcastFaxStatus::new([ID1]), "Fax_GetBroadcastFaxStatus", bstatus).await;
    assert_eq!(b[0].count_failed, Some(1));
    assert_eq!(fields, auth(true, &[("Ids1", ID1)]));
}

#[tokio::test]
async fn fax_housekeeping_methods() {
    let item = FaxIdItem::new(FaxId::new(ID1), Direction::Inbound);
    let a = fax_id_json(ID1, "Inbound");

    let op = FaxChangeFaxFilterValue::new([item.clone()], FilterValue::Retrieved);
    let (done, fields) = rest(op, "Fax_ChangeFaxFilterValue", json!(true)).await;
    assert!(done);
    assert_eq!(fields, auth(true, &[("FaxIds1", &a), ("Filter", "Retrieved")]));

    let (_, fields) =
        rest(FaxGetProductsWithInboundFaxes::new(FilterValue::None), "Fax_GetProductsWithInboundFaxes", json!([]))
            .await;
    assert_eq!(fields, f(&[("Username", USER), ("Password", PASS), ("Filter", "None")]));

    let op = FaxSendFaxAsEmail::new(item.clone(), "to@example.com").subject("S").message("M");
    let (_, fields) = rest(op, "Fax_SendFaxAsEmail", json!(true)).await;
    let (s, m) = (mp("Subject", "S"), mp("Message", "M"));
    assert_eq!(
        fields,
        auth(
            true,
            &[("FaxIds1", &a), ("FeedbackEmail", "to@example.com"), ("MethodParams1", &s), ("MethodParams2", &m)]
        )
    );

    let (_, fields) =
        rest(FaxResendFaxNotification::new([item.clone()]), "Fax_ResendFaxNotification", json!(true)).await;
    assert_eq!(fields, auth(true, &[("FaxIds1", &a)]));

    let (_, fields) =
        rest(FaxResendFaxFeedback::new(ID1, "ops@example.com"), "Fax_ResendFaxFeedback", json!(true)).await;
    assert_eq!(fields, auth(true, &[("EmailAddress", "ops@example.com"), ("Ids1", ID1)]));

    let op = FaxConvertToFaxDocument::new([Document::from_bytes(&b"%PDF"[..], "a.pdf")])
        .fax_quality(FaxQuality::Normal)
        .format(FileFormat::Png);
    let (_, fields) = rest(op, "Fax_ConvertToFaxDocument", json!({"Id": ID1, "FaxFiles": []})).await;
    assert_eq!(fields, auth(false, &[("Files0", "file:a.pdf:%PDF"), ("FaxQuality", "Normal"), ("Format", "png")]));

    let (pages, fields) = rest(FaxGetCoverPages, "Fax_GetCoverPages", json!([{"Id": ID2, "Name": "Default"}])).await;
    assert_eq!(pages[0].name.as_deref(), Some("Default"));
    assert_eq!(fields, auth(true, &[]));

    let op = FaxSaveFaxFields::new(item.clone())
        .job_name("J")
        .reference("R")
        .filter_value(FilterValue::Removed)
        .tag_list(["a", "b"]);
    let (_, fields) = rest(op, "Fax_SaveFaxFields", json!(true)).await;
    let params = [mp("jobName", "J"), mp("reference", "R"), mp("filterValue", "Removed"), mp("tagList", "a,b")];
    let mut expected = auth(true, &[("FaxIds1", &a)]);
    expected.extend(params.iter().enumerate().map(|(i, p)| (format!("MethodParams{}", i + 1), p.clone())));
    assert_eq!(fields, expected);
}

#[tokio::test]
async fn fax_f2e_and_folder_methods() {
    let folder = FolderItem::named("Invoices");
    let folder_json = r#"{"Name":"Invoices"}"#;
    let page = json!({"Items": [{"Id": ID1}], "TotalCount": 1});

    let query = F2EQuery {
        filter_list: vec![FilterValue::None, FilterValue::Retrieved],
        start_date: Some(ts("2026-11-01T00:00:00Z")),
        end_date: Some(ts("2026-11-20T00:00:00Z")),
        include_zero_page: Some(false),
        ..F2EQuery::default()
    };
    let op = FaxGetF2EFaxDescriptionsPagedSearch::new(1, 25)
        .query(query.clone())
        .csid("3035550101")
        .filter(FilterValue::None)
        .number_match("303")
        .match_type(MatchType::And);
    let (p, fields) = rest(op, "Fax_GetF2EFaxDescriptions_PagedSearch", page.clone()).await;
    assert_eq!(p.items().len(), 1);
    let params = [
        mp("page", "1"),
        mp("count", "25"),
        mp("include0Page", "False"),
        mp("numberMatch", "303"),
        mp("matchType", "And"),
    ];
    let mut expected = auth(
        true,
        &[
            ("CSID", "3035550101"),
            ("Filter", "None"),
            ("FaxDirection", "Inbound"),
            ("FilterList1", "None"),
            ("FilterList2", "Retrieved"),
            ("StartDate", "11/1/2026"),
            ("EndDate", "11/20/2026"),
        ],
    );
    expected.extend(params.iter().enumerate().map(|(i, p)| (format!("MethodParams{}", i + 1), p.clone())));
    assert_eq!(fields, expected);

    let (_, fields) =
        rest(FaxGetAllF2EFaxDescriptionsPaged::new(3, 50), "Fax_GetAllF2EFaxDescriptions_Paged", page.clone()).await;
    let (p3, c50) = (mp("page", "3"), mp("count", "50"));
    assert_eq!(fields, auth(true, &[("MethodParams1", &p3), ("MethodParams2", &c50)]));

    let op = FaxGetF2EFaxDescriptionsPaged::new(3, 50).folder(folder.clone());
    let (_, fields) = rest(op, "Fax_GetF2EFaxDescriptions_Paged", page).await;
    assert_eq!(fields, auth(true, &[("ProductFolder", folder_json), ("MethodParams1", &p3), ("MethodParams2", &c50)]));

    let item = FaxIdItem::new(FaxId::new(ID1), Direction::Inbound);
    let (_, fields) =
        rest(FaxMoveFaxToFolder::new([item]).folder(folder.clone()), "Fax_MoveFaxToFolder", json!(true)).await;
    assert_eq!(fields, auth(true, &[("FaxIds1", &fax_id_json(ID1, "Inbound")), ("ProductFolder", folder_json)]));

    for (name, result) in [("Fax_DeleteProductFolder", json!(true)), ("Fax_CheckProductFolderName", json!(true))] {
        let fields = if name == "Fax_DeleteProductFolder" {
            rest(FaxDeleteProductFolder::new(folder.clone()), name, result).await.1
        } else {
            rest(FaxCheckProductFolderName::new(folder.clone()), name, result).await.1
        };
        assert_eq!(fields, auth(true, &[("ProductFolder", folder_json)]), "{name}");
    }
    let saved = json!({"Id": ID2, "Name": "Invoices", "FolderRole": 1});
    let (folder_out, fields) = rest(FaxSaveProductFolder::new(folder), "Fax_SaveProductFolder", saved).await;
    assert_eq!(folder_out.id(), Some(FolderId::new(ID2)));
    assert_eq!(fields, auth(true, &[("ProductFolder", folder_json)]));

    let (list, fields) = rest(FaxGetProductFolderList, "Fax_GetProductFolderList", json!([{"Id": ID2}])).await;
    assert_eq!(list.len(), 1);
    assert_eq!(fields, auth(true, &[]));
}

#[tokio::test]
async fn success_false_on_200_and_json_500_are_errors() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/REST/Security_GetUserInfo/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Success": false, "ErrorString": "Authorization_Failed_BadUsernamePassword", "InfoString": ""})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/REST/Profile_GetFaxUsageByProductId/json"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "ErrorString": "Api_Failed_", "InfoString": "Timespan is more than 32 days"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Rest);
    let err = client.call(SecurityGetUserInfo).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Auth, "{err}");
    // A span the client lets through (31 days), answered as the vendor answers a span it refuses.
    let op = ProfileGetFaxUsageByProductId::new(ts("2026-01-01T00:00:00Z"), ts("2026-02-01T00:00:00Z"));
    let err = client.call(op).await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Vendor, "{err}");
    assert_eq!(err.status(), Some(500));
    let detail = err.vendor_detail::<westfax::ApiError>().unwrap();
    assert_eq!(detail.info_string.as_deref(), Some("Timespan is more than 32 days"));
}

#[tokio::test]
async fn xml_responses_are_read_like_json() {
    let server = common::server().await;
    let body = include_str!("fixtures/GetFaxStatus.xml");
    Mock::given(method("POST"))
        .and(path("/REST/Fax_GetFaxStatus/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::RestXml);
    let s = client.call(FaxGetFaxStatus::new(["bcfd4b37-ffaf-4ffa-bab9-ddfb776a0620"])).await.unwrap();
    assert_eq!(s[0].job_state, Some(westfax::model::FaxStatus::Production));
    assert_eq!(s[0].calls[0].call_result, Some(CallResult::NoFaxDevice));
    assert_eq!(s[0].calls[0].duration_seconds, Some(61));
    assert_eq!(s[0].calls[0].complete_utc.as_ref().unwrap().utc, Some(ts("2017-06-29T10:31:29Z")));
    assert_eq!(s[0].calls[0].fax_remote_csid, None);
}

#[tokio::test]
async fn path_case_and_json2_are_configurable() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/rest/Security_Ping/json2"))
        .respond_with(ok(json!("Pong - x")))
        .expect(1)
        .mount(&server)
        .await;
    let client = westfax::Client::builder()
        .credentials(USER, PASS)
        .base_url(server.uri())
        .path_case(westfax::PathCase::Lower)
        .rest_encoding(westfax::RestEncoding::Json2)
        .build()
        .unwrap();
    assert_eq!(SecurityPing::new("x").send(&client).await.unwrap(), "Pong - x");
}

#[tokio::test]
async fn legacy_operations_use_their_legacy_name_over_rest() {
    let (_, fields) =
        rest(westfax::legacy::MarkInboundFaxesDownloaded::new([ID1, ID2]), "MarkInboundFaxesDownloaded", json!(true))
            .await;
    assert_eq!(fields, auth(false, &[("FrIds1", ID1), ("FrIds2", ID2)]));
}

#[tokio::test]
async fn call_results_ignore_spaces_as_the_vendor_client_does() {
    let calls: Vec<Value> =
        ["Waiting To Dial", "Inbound Fax Received", "connection interrupt", "No Fax Device", "Busy "]
            .iter()
            .map(|r| json!({"PhoneNumber": "5105868243", "CallResult": r}))
            .collect();
    let status = json!([{"JobId": ID1, "JobState": "Complete", "Calls": calls}]);
    let (s, fields) = rest(FaxGetFaxStatus::new([ID1]), "Fax_GetFaxStatus", status).await;
    assert_eq!(fields, auth(true, &[("Ids1", ID1)]));
    let got: Vec<_> = s[0].calls.iter().map(|c| c.call_result.clone().unwrap()).collect();
    assert_eq!(
        got,
        [
            CallResult::WaitingToDial,
            CallResult::InboundFaxReceived,
            CallResult::ConnectionInterrupt,
            CallResult::NoFaxDevice,
            CallResult::Busy
        ]
    );
    assert_eq!(CallResult::from_wire("Tier Blocked"), CallResult::TierBlocked);
    assert_eq!(CallResult::from_wire("Mystery Result"), CallResult::Other("Mystery Result".into()));
}

#[tokio::test]
async fn address_fields_detail_reports_and_odd_dates_are_kept() {
    let user = json!({"Id": ID1, "FirstName": "Ada", "Address1": "1 Main St", "Address2": "Suite 2", "City": "Denver",
                      "State": "CO", "Zip": "80202", "Country": "USA", "TimeZone": "Mountain Standard Time"});
    let (u, fields) = rest(SecurityGetUserInfo, "Security_GetUserInfo", user).await;
    assert_eq!(fields, auth(true, &[]));
    assert_eq!(
        [&u.address1, &u.address2, &u.city, &u.state, &u.zip, &u.country].map(|v| v.as_deref()),
        [Some("1 Main St"), Some("Suite 2"), Some("Denver"), Some("CO"), Some("80202"), Some("USA")]
    );

    let report = faxkit::base64::encode(b"Number,Result\r\n5105868243,Busy\r\n");
    let bstatus = json!([{"JobId": ID1, "TaskCount": 1, "CountFailed": 1, "DetailReport": report}]);
    let (b, fields) = rest(FaxGetBroadcastFaxStatus::new([ID1]), "Fax_GetBroadcastFaxStatus", bstatus).await;
    assert_eq!(fields, auth(true, &[("Ids1", ID1)]));
    assert_eq!(b[0].detail_report.as_deref(), Some(&b"Number,Result\r\n5105868243,Busy\r\n"[..]));

    let desc = json!([{"Id": ID1, "Direction": "Inbound", "Date": "29.06.2017 22:31"}]);
    let start = ts("2026-11-01T00:00:00Z");
    let (d, _) = rest(FaxGetFaxDescriptions::new(start, Direction::Inbound), "Fax_GetFaxDescriptions", desc).await;
    let date = d[0].date.as_ref().expect("an unparseable date keeps its text");
    assert_eq!((date.utc, date.raw.as_str()), (None, "29.06.2017 22:31"));
}

/// What goes over the wire: the client asks for `Accept-Encoding: gzip, deflate` and decodes bodies that
/// arrive compressed with each `Content-Encoding` (deflate as zlib and as raw DEFLATE, as .NET writes it),
/// byte for byte as compressed here, not as the sandbox chooses.
#[tokio::test]
async fn compressed_bodies_on_the_wire_are_decoded() {
    use std::io::Write;
    let plain = serde_json::to_vec(
        &json!({"Success": true, "ErrorString": null, "InfoString": null, "Result": "Pong - compressed"}),
    )
    .unwrap();
    let gzip = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&plain).unwrap();
        e.finish().unwrap()
    };
    let zlib = {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&plain).unwrap();
        e.finish().unwrap()
    };
    let raw = {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&plain).unwrap();
        e.finish().unwrap()
    };
    for (encoding, body) in [("gzip", gzip), ("deflate", zlib), ("deflate", raw)] {
        assert_ne!(body, plain);
        let server = common::server().await;
        Mock::given(method("POST"))
            .and(path("/REST/Security_Ping/json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Content-Encoding", encoding)
                    .set_body_raw(body.clone(), "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let client = common::client(&server, Transport::Rest);
        let pong = SecurityPing::new("compressed").send(&client).await.unwrap();
        assert_eq!(pong, "Pong - compressed", "{encoding}");
        let requests = server.received_requests().await.unwrap();
        let accept = requests[0].headers.get("accept-encoding").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(accept.as_deref(), Some("gzip, deflate"), "{encoding}: the client must ask for compression");
    }
}
