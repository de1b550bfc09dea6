//! SOAP wire tests: every WSDL message, in every variant, checked against the WSDL itself (element names,
//! order, required elements, SOAPAction), for SOAP 1.1 and 1.2; plus SOAP Object bodies. The RPC bodies are in
//! `rpc.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use faxkit::Document;
use jiff::Timestamp;
use quick_xml::events::Event;
use westfax::fax::{FaxGetBroadcastFaxStatus, FaxGetFaxStatus, FaxSendFax};
use westfax::legacy::*;
use westfax::model::{FaxQuality, ProductType};
use westfax::security::SecurityAuthenticate;
use westfax::{Client, SessionMode, Transport};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const WSDL: &str = include_str!("fixtures/SoapWebService.wsdl");
const ID: &str = "24749324-0add-4d23-9087-ab34cd56ef78";

#[derive(Debug, Clone)]
struct Slot {
    name: String,
    required: bool,
}

/// Top-level elements and named complex types of the WSDL schema: name → sequence.
fn schema() -> BTreeMap<String, Vec<Slot>> {
    let mut reader = quick_xml::Reader::from_str(WSDL);
    let mut out: BTreeMap<String, Vec<Slot>> = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    let mut owner: Option<(String, usize)> = None;
    loop {
        let ev = reader.read_event().unwrap();
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(_) => {
                if owner.as_ref().is_some_and(|(_, d)| *d == stack.len()) {
                    owner = None;
                }
                stack.pop();
                continue;
            }
            Event::Eof => return out,
            _ => continue,
        };
        let e = start.unwrap();
        let local = e.local_name().as_ref().to_owned();
        let attr = |k: &str| e.attributes().flatten().find(|a| a.key.as_ref() == k).map(|a| a.value.to_string());
        let parent_is_schema = stack.last().is_some_and(|p| p == "schema");
        if (local == "element" || local == "complexType") && parent_is_schema && !empty {
            let name = attr("name").unwrap();
            out.entry(name.clone()).or_default();
            owner = Some((name, stack.len() + 1));
        } else if local == "element"
            && stack.last().is_some_and(|p| p == "sequence")
            && let Some((o, _)) = &owner
        {
            let required = attr("minOccurs").as_deref() == Some("1");
            out.get_mut(o).unwrap().push(Slot { name: attr("name").unwrap(), required });
        }
        if !empty {
            stack.push(local);
        }
    }
}

/// The SOAPActions of a binding (`SoapWebServiceSoap` or `SoapWebServiceSoap12`).
fn actions() -> BTreeSet<String> {
    WSDL.split("soapAction=\"").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect()
}

fn message_names(schema: &BTreeMap<String, Vec<Slot>>) -> BTreeSet<String> {
    let actions = actions();
    schema.keys().filter(|k| actions.contains(&format!("https://api.westfax.com/{k}"))).cloned().collect()
}

/// A server that answers every SOAP message with a successful string result and a session cookie.
async fn soap_server() -> MockServer {
    let server = common::server().await;
    Mock::given(method("POST"))
        .respond_with(|r: &Request| {
            let action = r
                .headers
                .get("soapaction")
                .map(|v| v.to_str().unwrap().trim_matches('"').to_owned())
                .or_else(|| {
                    let ct = r.headers.get("content-type")?.to_str().ok()?;
                    ct.split("action=\"").nth(1).map(|a| a.trim_end_matches('"').to_owned())
                })
                .unwrap_or_default();
            let msg = action.trim_start_matches("https://api.westfax.com/").to_owned();
            let body = format!(
                "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><{msg}Response xmlns=\"https://api.westfax.com/\"><{msg}Result><Success>true</Success><Result>tok-1</Result></{msg}Result></{msg}Response></soap:Body></soap:Envelope>"
            );
            ResponseTemplate::new(200)
                .insert_header("Set-Cookie", "ASP.NET_SessionId=KQroCTeXzk65vsUylajktw; path=/")
                .set_body_raw(body, "text/xml; charset=utf-8")
        })
        .mount(&server)
        .await;
    server
}

fn job() -> LegacyJob {
    let mut job = LegacyJob::new(["5555555555"], [Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")]);
    job.job_name = Some("Test Job".into());
    job.billing_code = Some("BC1".into());
    job.header = Some("Acme".into());
    job.dial_list = vec![Document::from_bytes(&b"5555555555\n"[..], "numbers.txt")];
    job.csid = Some("5555555555".into());
    job.fax_quality = Some(FaxQuality::Fine);
    job.start_date = Some("2017-06-16T12:00:00Z".parse().unwrap());
    job.feedback_email = Some("ops@example.com".into());
    job
}

/// Calls every operation the WSDL has; results are ignored (the mock answers strings).
async fn call_everything(c: &Client) {
    let start: Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
    let _ = c.call(SecurityAuthenticate::new()).await;
    let _ = c.call(SecurityAuthenticate::new().product_id(common::PRODUCT)).await;
    let _ = c.call(AuthenticateWithToken::new(false)).await;
    let _ = c.call(GetFaxProductList::new(ProductType::FaxForward)).await;
    let _ = c.call(GetVoiceProductList).await;
    let _ = c.call(SetProductId::new(common::PRODUCT)).await;
    let _ = c.call(GetDocumentLinks::new([ID])).await;
    let _ = c.call(GetPreview::new([Document::from_bytes(&b"%PDF"[..], "p.pdf")]).fax_quality(FaxQuality::Fine)).await;
    let _ = c.call(SendBroadcastFax::new(job())).await;
    let _ = c.call(CreateBroadcastFaxJob::new(job())).await;
    let _ = c.call(SubmitBroadcastFaxJob::new(ID)).await;
    let _ = c.call(SendFaxJobs::new(job())).await;
    let _ = c.call(SendVoiceCall::new(job())).await;
    let _ = c.call(SendBroadcastVoiceJob::new(job())).await;
    let _ = c.call(GetBroadcastVoiceStatus::new([ID])).await;
    let _ = c.call(GetCallStatus::new([ID])).await;
    let _ = c.call(FaxGetBroadcastFaxStatus::new([ID])).await;
    let _ = c.call(FaxGetFaxStatus::new([ID])).await;
    let _ = c.call(AddFaxRemovalNumber::new("5555555555")).await;
    let _ = c.call(QueryFaxGlobalRemovals::new("5555555555")).await;
    let _ = c.call(GetInboundFaxList::new(["5552001111"]).start_date(start).end_date(start)).await;
    let _ = c.call(GetNewInboundFaxList::new(["5552001111"]).start_date(start)).await;
    let _ = c.call(MarkInboundFaxesDownloaded::new([ID])).await;
    let _ = c.call(GetInboundFaxes::new([ID])).await;
    let send = FaxSendFax::new(["5555555555"], [Document::from_bytes(&b"%PDF"[..], "a.pdf")])
        .job_name("Test Job")
        .billing_code("BC1")
        .header("Acme")
        .csid("5555555555")
        .fax_quality(FaxQuality::Fine)
        .feedback_email("ops@example.com");
    let _ = c.call(send).await;
}

fn body_str(r: &Request) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

fn check_against_wsdl(schema: &BTreeMap<String, Vec<Slot>>, msg: &str, children: &[String]) {
    let slots = schema.get(msg).unwrap_or_else(|| panic!("{msg} is not a WSDL element"));
    let mut it = slots.iter();
    for child in children {
        assert!(it.any(|s| &s.name == child), "{msg}: <{child}> out of WSDL order or unknown; sent {children:?}");
    }
    for s in slots.iter().filter(|s| s.required) {
        assert!(children.contains(&s.name), "{msg}: required <{}> missing; sent {children:?}", s.name);
    }
}

#[tokio::test]
async fn every_wsdl_message_is_sent_as_the_wsdl_defines_it() {
    let schema = schema();
    let expected = message_names(&schema);
    assert_eq!(expected.len(), 68, "the WSDL has 68 request messages");
    for transport in [Transport::Soap, Transport::Soap12] {
        let server = soap_server().await;
        for mode in [SessionMode::Stateless, SessionMode::Cookie, SessionMode::Token] {
            let client = westfax::Client::builder()
                .credentials(common::USER, common::PASS)
                .product_id(common::PRODUCT)
                .base_url(server.uri())
                .transport(transport)
                .session(mode)
                .build()
                .unwrap();
            call_everything(&client).await;
        }
        let mut seen = BTreeSet::new();
        for r in server.received_requests().await.unwrap() {
            assert_eq!(r.url.path(), "/SOAP");
            let body = body_str(&r);
            let ct = r.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
            let msg = common::children(&body, "Body").first().cloned().unwrap();
            let action = format!("https://api.westfax.com/{msg}");
            if transport == Transport::Soap {
                assert_eq!(ct, "text/xml; charset=utf-8");
                assert!(body.contains("xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""));
                assert_eq!(r.headers.get("soapaction").unwrap().to_str().unwrap(), format!("\"{action}\""));
            } else {
                assert_eq!(ct, format!("application/soap+xml; charset=utf-8; action=\"{action}\""));
                assert!(body.contains("xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""));
                assert!(r.headers.get("soapaction").is_none());
            }
            assert!(body.contains(&format!("<{msg} xmlns=\"https://api.westfax.com/\"")), "{body}");
            check_against_wsdl(&schema, &msg, &common::children(&body, &msg));
            for array in ["numbers", "JobIds", "FileIds", "frIds", "inboundFaxNums"] {
                let items = common::children(&body, array);
                let want = if matches!(array, "JobIds" | "FileIds" | "frIds") { "guid" } else { "string" };
                assert!(items.iter().all(|i| i == want), "{msg}/{array}: {items:?}");
            }
            if body.contains("<FileContainer>") {
                check_against_wsdl(&schema, "FileContainer", &common::children(&body, "FileContainer"));
            }
            if msg.ends_with("StatefulCookie") {
                assert!(
                    r.headers
                        .get("cookie")
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .contains("ASP.NET_SessionId=KQroCTeXzk65vsUylajktw")
                );
                assert!(!body.contains("<Password>") && !body.contains("essionToken>"), "{msg}: {body}");
            }
            if msg.ends_with("StatefulNoCookie") {
                assert!(body.contains("essionToken>tok-1</"), "{msg}: {body}");
                assert!(!body.contains("<Password>"), "{msg}");
            }
            seen.insert(msg);
        }
        let missing: Vec<_> = expected.difference(&seen).collect();
        assert!(missing.is_empty(), "{transport}: messages never sent: {missing:?}");
        let extra: Vec<_> = seen.difference(&expected).collect();
        assert!(extra.is_empty(), "{transport}: messages not in the WSDL: {extra:?}");
    }
}

#[tokio::test]
async fn send_fax_stateless_envelope_matches_the_reference_example() {
    let server = soap_server().await;
    let client = common::client(&server, Transport::Soap);
    let op = FaxSendFax::new(["5555555555"], [Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")])
        .job_name("Test Job")
        .billing_code("BC1")
        .header("Acme")
        .csid("5555555555")
        .fax_quality(FaxQuality::Fine)
        .start_date("2017-06-16T12:00:00Z".parse::<Timestamp>().unwrap())
        .feedback_email("ops@example.com");
    let id = client.call(op).await.unwrap();
    assert_eq!(id.as_str(), "tok-1");
    let r = &server.received_requests().await.unwrap()[0];
    let expected = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
        r#"<soap:Body><SendFaxStateless xmlns="https://api.westfax.com/">"#,
        r#"<Username>user@example.com</Username><Password>s3cret-pass</Password>"#,
        r#"<ProductId>00000000-1111-2222-3333-444444444444</ProductId>"#,
        r#"<jobName>Test Job</jobName><billingCode>BC1</billingCode><header>Acme</header>"#,
        r#"<numbers><string>5555555555</string></numbers>"#,
        r#"<files><FileContainer><Filename>a.pdf</Filename><FileContents>JVBERi0xLjQ=</FileContents>"#,
        r#"<ContentType>application/pdf</ContentType><ContentLength>8</ContentLength>"#,
        r#"<ContentDisposition>Attachment</ContentDisposition></FileContainer></files>"#,
        r#"<CSID>5555555555</CSID><faxQuality>Fine</faxQuality><startDate>2017-06-16T12:00:00Z</startDate>"#,
        r#"<feedbackEmail>ops@example.com</feedbackEmail></SendFaxStateless></soap:Body></soap:Envelope>"#,
    );
    assert_eq!(body_str(r), expected);
    assert_eq!(r.headers.get("content-length").unwrap().to_str().unwrap(), expected.len().to_string());
}

#[tokio::test]
async fn soap_faults_are_typed_errors() {
    let server = common::server().await;
    let fault = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server was unable to read request.</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(fault, "text/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server, Transport::Soap);
    let err = client.call(FaxGetFaxStatus::new([ID])).await.unwrap_err();
    let f = err.vendor_detail::<westfax::SoapFault>().unwrap();
    assert_eq!(f.code, "soap:Client");
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn soap_object_wraps_the_request_object_in_the_method() {
    let server = soap_server().await;
    let client = common::client(&server, Transport::SoapObject);
    client.call(FaxGetFaxStatus::new([ID])).await.unwrap_err();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.path(), "/SOAPObj");
    assert_eq!(r.headers.get("soapaction").unwrap(), "\"https://api.westfax.com/Fax_GetFaxStatus\"");
    let body = body_str(r);
    assert_eq!(common::children(&body, "Fax_GetFaxStatus"), vec!["request"]);
    assert_eq!(
        common::children(&body, "request"),
        vec!["Method", "Username", "Password", "Cookies", "ProductId", "JobIds"]
    );
    assert!(body.contains("<JobIds><guid>24749324-0add-4d23-9087-ab34cd56ef78</guid></JobIds>"), "{body}");
}

#[tokio::test]
async fn query_fax_global_removals_answers_the_wsdl_api_result_of_string() {
    let answer = |result: &str| {
        format!(
            "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><QueryFaxGlobalRemovalsStatelessResponse xmlns=\"https://api.westfax.com/\"><QueryFaxGlobalRemovalsStatelessResult><Success>true</Success>{result}</QueryFaxGlobalRemovalsStatelessResult></QueryFaxGlobalRemovalsStatelessResponse></soap:Body></soap:Envelope>"
        )
    };
    for (result, expected) in [
        ("<Result>5555555555 is on the global removal list</Result>", Some("5555555555 is on the global removal list")),
        ("", None),
    ] {
        let server = common::server().await;
        Mock::given(method("POST"))
            .and(wiremock::matchers::path("/SOAP"))
            .and(wiremock::matchers::header(
                "soapaction",
                "\"https://api.westfax.com/QueryFaxGlobalRemovalsStateless\"",
            ))
            .and(|r: &Request| {
                let body = String::from_utf8_lossy(&r.body).into_owned();
                body.contains("<QueryFaxGlobalRemovalsStateless xmlns=\"https://api.westfax.com/\">")
                    && body.contains("<FaxRemovalNumber>5555555555</FaxRemovalNumber>")
            })
            .respond_with(ResponseTemplate::new(200).set_body_raw(answer(result), "text/xml; charset=utf-8"))
            .expect(1)
            .mount(&server)
            .await;
        let c = common::client(&server, Transport::Soap);
        let got = c.call(QueryFaxGlobalRemovals::new("5555555555")).await.unwrap();
        assert_eq!(got.as_deref(), expected);
    }
}

#[tokio::test]
async fn list_inbound_over_soap_reads_the_list_without_holding_the_files() {
    use faxkit::FaxService;
    // Two faxes with 2 MiB files each, against a client that reads at most 64 KiB of an answer into memory.
    let file = "A".repeat(2 << 20);
    let fax = |id: &str, date: &str| {
        format!(
            "<InFaxContainer><Filename>{id}.pdf</Filename><FileContents>{file}</FileContents><ContentLength>1572864</ContentLength><InFaxId>{id}</InFaxId><Date>{date}</Date><Pages>3</Pages><FaxQuality>Fine</FaxQuality></InFaxContainer>"
        )
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetNewInboundFaxListStatefulStatelessResponse xmlns=\"https://api.westfax.com/\"><GetNewInboundFaxListStatefulStatelessResult><Success>true</Success><Result>{}{}</Result></GetNewInboundFaxListStatefulStatelessResult></GetNewInboundFaxListStatefulStatelessResponse></soap:Body></soap:Envelope>",
        fax(ID, "2024-05-01T10:00:00Z"),
        fax("6b98617b-932c-46d7-8800-a5325640c91b", "2024-05-02T10:00:00Z"),
    );
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/SOAP"))
        .and(wiremock::matchers::header(
            "soapaction",
            "\"https://api.westfax.com/GetNewInboundFaxListStatefulStateless\"",
        ))
        .and(|r: &Request| String::from_utf8_lossy(&r.body).contains("<Username>"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/xml; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .credentials(common::USER, common::PASS)
        .product_id(common::PRODUCT)
        .base_url(server.uri())
        .transport(Transport::Soap)
        .body_limit(64 << 10)
        .build()
        .unwrap();
    let list = client.list_inbound(&faxkit::InboundQuery::default().unread_only(true)).await.unwrap();
    let ids: Vec<_> = list.iter().map(|f| f.id.as_str().to_owned()).collect();
    assert_eq!(ids, ["6b98617b-932c-46d7-8800-a5325640c91b", ID], "newest first");
    assert_eq!(list[0].pages, Some(3));
}

/// The text of the first `<name>` element of `body`.
fn element_text(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find("</")?;
    Some(body[start..start + end].to_owned())
}

#[tokio::test]
async fn stateful_soap_signs_in_then_binds_the_line_with_set_product_id_before_the_first_operation() {
    for (mode, suffix) in [(SessionMode::Cookie, "StatefulCookie"), (SessionMode::Token, "StatefulNoCookie")] {
        let server = soap_server().await;
        let client = westfax::Client::builder()
            .credentials(common::USER, common::PASS)
            .product_id(common::PRODUCT)
            .base_url(server.uri())
            .transport(Transport::Soap)
            .session(mode)
            .build()
            .unwrap();
        let _ = client.call(FaxGetFaxStatus::new([ID])).await;
        let _ = client.call(FaxGetFaxStatus::new([ID])).await;
        let reqs = server.received_requests().await.unwrap();
        let messages: Vec<String> =
            reqs.iter().map(|r| common::children(&body_str(r), "Body").first().cloned().unwrap()).collect();
        assert_eq!(
            messages,
            vec![
                "Authenticate".to_owned(),
                format!("SetProductId{suffix}"),
                format!("GetFaxStatus{suffix}"),
                format!("GetFaxStatus{suffix}"),
            ],
            "{mode:?}: sign in, bind the line once, then operate"
        );
        for r in &reqs {
            assert_eq!((r.method.as_str(), r.url.path()), ("POST", "/SOAP"));
        }
        let sign_in = body_str(&reqs[0]);
        assert_eq!(common::children(&sign_in, "Authenticate"), vec!["Username", "Password", "Cookies"]);
        let bind = body_str(&reqs[1]);
        assert_eq!(element_text(&bind, "ProductId").as_deref(), Some(common::PRODUCT), "{bind}");
        if mode == SessionMode::Token {
            assert_eq!(common::children(&bind, "SetProductIdStatefulNoCookie"), vec!["SessionToken", "ProductId"]);
            assert_eq!(element_text(&bind, "SessionToken").as_deref(), Some("tok-1"));
        } else {
            assert_eq!(common::children(&bind, "SetProductIdStatefulCookie"), vec!["ProductId"]);
            let cookie = reqs[1].headers.get("cookie").unwrap().to_str().unwrap();
            assert!(cookie.contains("ASP.NET_SessionId=KQroCTeXzk65vsUylajktw"), "{cookie}");
        }
    }
}

#[tokio::test]
async fn a_refused_set_product_id_fails_the_call_and_keeps_no_session() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .respond_with(|r: &Request| {
            let body = String::from_utf8_lossy(&r.body).into_owned();
            let msg = common::children(&body, "Body").first().cloned().unwrap_or_default();
            let (ok, result) = if msg.starts_with("SetProductId") { ("false", "") } else { ("true", "tok-1") };
            ResponseTemplate::new(200).set_body_raw(
                format!(
                    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><{msg}Response xmlns=\"https://api.westfax.com/\"><{msg}Result><Success>{ok}</Success><ErrorString>Authorization_Failed_BadProductId</ErrorString><Result>{result}</Result></{msg}Result></{msg}Response></soap:Body></soap:Envelope>"
                ),
                "text/xml; charset=utf-8",
            )
        })
        .mount(&server)
        .await;
    let client = westfax::Client::builder()
        .credentials(common::USER, common::PASS)
        .product_id(common::PRODUCT)
        .base_url(server.uri())
        .transport(Transport::Soap)
        .session(SessionMode::Token)
        .build()
        .unwrap();
    client.call(FaxGetFaxStatus::new([ID])).await.unwrap_err();
    client.call(FaxGetFaxStatus::new([ID])).await.unwrap_err();
    let messages: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| common::children(&body_str(r), "Body").first().cloned().unwrap())
        .collect();
    // No operation runs on a session whose line was not bound; the next call signs in again.
    assert_eq!(
        messages,
        ["Authenticate", "SetProductIdStatefulNoCookie", "Authenticate", "SetProductIdStatefulNoCookie"]
    );
}
