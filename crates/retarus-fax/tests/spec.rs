#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The Fax4A Swagger (`cloudFaxRestAPI.json`) against our types, and Retarus's recorded example payloads.

use std::collections::BTreeSet;
use std::time::Duration;

use faxkit::Document;
use retarus_fax::model::jobs::*;
use retarus_fax::model::reports::{FaxReport, FaxReports, JobDeleteReport, JobDeleteReports, RecipientStatus};
use serde_json::{Value, json};

const SWAGGER: &str = include_str!("fixtures/cloudFaxRestAPI.json");

fn swagger() -> Value {
    serde_json::from_str(SWAGGER).unwrap()
}

fn properties(def: &str) -> BTreeSet<String> {
    swagger()["definitions"][def]["properties"].as_object().unwrap().keys().cloned().collect()
}

/// A value for every property of a definition, following `$ref`s. Every value is distinct: a string is its
/// property's path (`recipientStatus.number`), an integer a number derived from it, so a decoded field can
/// be told from any other and compared with the sample it came from.
fn sample(schema: &Value, defs: &Value, name: &str) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let def = r.rsplit('/').next().unwrap();
        return sample(&defs[def], defs, name);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let props = schema["properties"].as_object().unwrap();
            let path = |k: &str| if name.is_empty() { k.to_owned() } else { format!("{name}.{k}") };
            Value::Object(props.iter().map(|(k, v)| (k.clone(), sample(v, defs, &path(k)))).collect())
        }
        Some("array") => json!([sample(&schema["items"], defs, name)]),
        Some("integer") => json!(1000 + name.bytes().map(u64::from).sum::<u64>()),
        Some("boolean") => json!(true),
        _ if schema.get("format").and_then(Value::as_str) == Some("date-time") => json!("2023-05-25T11:03:39Z"),
        _ => match schema.get("enum").and_then(Value::as_array) {
            Some(values) => values[0].clone(),
            None => json!(name),
        },
    }
}

/// The sample of a definition.
fn sample_of(def: &str) -> Value {
    let s = swagger();
    let defs = &s["definitions"];
    sample(&defs[def], defs, "")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// Every Swagger property of `def` must be compared by `compare`, which answers false for a property it does
/// not know: a property added to the Swagger fails here until the decoded field is checked.
fn every_property(def: &str, mut compare: impl FnMut(&str) -> bool) {
    for p in properties(def) {
        assert!(compare(&p), "{def}.{p}: no comparison of the decoded field with the sample");
    }
}

#[test]
fn every_response_schema_parses_and_keeps_every_field() {
    // Compared with the sample's values field by field, not through our own serializer.
    let report = sample_of("FaxReport");
    let parsed: FaxReport = serde_json::from_value(report.clone()).unwrap();
    every_property("FaxReport", |p| {
        match p {
            "jobId" => assert_eq!(parsed.job_id.as_str(), text(&report[p])),
            "recipientStatus" => assert_eq!(parsed.recipient_status.len(), 1),
            _ => return false,
        }
        true
    });
    let want = &report["recipientStatus"][0];
    let rec = &parsed.recipient_status[0];
    every_property("FaxRecipientWithStatus", |p| {
        let w = &want[p];
        match p {
            "number" => assert_eq!(rec.number, text(w)),
            "alternativeNumbers" => assert_eq!(rec.alternative_numbers, [text(&w[0])]),
            "properties" => {
                assert_eq!(rec.properties.len(), 1);
                assert_eq!(rec.properties[0].key, text(&w[0]["key"]));
                assert_eq!(rec.properties[0].value, text(&w[0]["value"]));
            }
            "status" => assert_eq!(rec.status.as_str(), text(w)),
            "reason" => assert_eq!(rec.reason.as_deref(), Some(text(w))),
            "sentTs" => {
                let ts = rec.sent_ts.as_ref().unwrap();
                assert_eq!(ts.raw, text(w));
                assert_eq!(ts.utc.to_string(), "2023-05-25T11:03:39Z");
            }
            "durationInSecs" => assert_eq!(rec.duration_in_secs, w.as_u64()),
            "sentToNumber" => assert_eq!(rec.sent_to_number.as_deref(), Some(text(w))),
            "remoteCsid" => assert_eq!(rec.remote_csid.as_deref(), Some(text(w))),
            _ => return false,
        }
        true
    });

    let list: FaxReports = serde_json::from_value(sample_of("FaxReports")).unwrap();
    assert_eq!(list.reports.len(), 1);
    assert_eq!(list.reports[0].job_id.as_str(), "reports.jobId");
    let del_sample = sample_of("JobDeleteReport");
    let del: JobDeleteReport = serde_json::from_value(del_sample.clone()).unwrap();
    assert_eq!(del.job_id.as_str(), text(&del_sample["jobId"]));
    assert!(del.is_deleted());
    let resp_sample = sample_of("FaxJobResponse");
    let resp: FaxJobResponse = serde_json::from_value(resp_sample.clone()).unwrap();
    assert_eq!(resp.job_id.as_str(), text(&resp_sample["jobId"]));
    // deleteAllStatusReports answers a bare array in the Swagger, `{reports}` everywhere else: both parse.
    let arr = json!([del_sample]);
    assert_eq!(serde_json::from_value::<JobDeleteReports>(arr).unwrap().reports.len(), 1);
}

#[test]
fn operations_are_the_ones_the_client_calls() {
    let s = swagger();
    let paths = s["paths"].as_object().unwrap();
    let ops: BTreeSet<String> = paths
        .iter()
        .flat_map(|(p, m)| m.as_object().unwrap().keys().map(move |verb| format!("{} {p}", verb.to_uppercase())))
        .collect();
    let expected: BTreeSet<String> = [
        "POST /{cuNo}/fax",
        "GET /{cuNo}/fax/reports/{jobId}",
        "DELETE /{cuNo}/fax/reports/{jobId}",
        "GET /{cuNo}/fax/reports",
        "DELETE /{cuNo}/fax/reports",
    ]
    .map(String::from)
    .into();
    assert_eq!(ops, expected, "bulk POST /{{cuNo}}/fax/reports is documented on the portal, not in this Swagger");
    assert_eq!(s["basePath"], "/rest/v1");
}

async fn full_request_json() -> Value {
    let mut req = FaxJobRequest::new(FaxRecipient::new("+4989").property("k", "v").alternative_number("+4988"));
    req.reference = Some(Reference::new("id").billing_code("c").billing_info("i"));
    req.documents.push(JobDocument::data(Document::from_bytes(&b"text"[..], "a.txt")).charset(Charset::Utf8));
    req.documents.push(JobDocument::reference("b.pdf", "https://example.com/b.pdf"));
    req.transport_options = Some(TransportOptions::default().csid("c").is_express(false).is_blacklist_enabled(true));
    req.rendering_options = Some(
        RenderingOptions::new(PaperFormat::A4)
            .resolution(Resolution::Low)
            .coverpage_template("t")
            .overlay(Overlay::new("o", OverlayMode::FirstFile))
            .header("h"),
    );
    req.status_report_options = Some(
        StatusReportOptions::default()
            .report_purge_ts("2026-01-01T00:00:00Z".parse().unwrap())
            .report_mail(
                ReportMail::default()
                    .success_address("s")
                    .failure_address("f")
                    .attached_fax_image_mode(AttachedFaxImageMode::Always)
                    .attached_fax_image_format(AttachedFaxImageFormat::Pdf),
            )
            .http_status_push(HttpStatusPush::new("https://h").auth(AuthMethod::HttpDigest, "p", "c")),
    );
    req.meta = Some(
        MetaData::new("r").job_valid(
            JobValid::default()
                .start("2026-01-01T00:00:00Z".parse().unwrap())
                .end(JobValidEnd::After(Duration::from_secs(90))),
        ),
    );
    let (body, _) = retarus_fax::jobs::encode_body(&req).await.unwrap();
    let bytes = faxkit::stream::collect("t", body, 1 << 20).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn the_full_request_writes_exactly_the_swagger_fields() {
    let v = full_request_json().await;
    assert_eq!(v["meta"]["jobValid"]["end"], "PT90S");
    let documents = keys(&v["documents"][0]).union(&keys(&v["documents"][1])).cloned().collect::<BTreeSet<_>>();
    // Fields documented on the current portal but missing from the older SAP Swagger.
    let portal_only: BTreeSet<String> = ["attachedFaxImageMode", "attachedFaxImageFormat"].map(String::from).into();
    for (def, got) in [
        ("FaxJobRequest", keys(&v)),
        ("Reference", keys(&v["reference"])),
        ("FaxRecipient", keys(&v["recipients"][0])),
        ("RecipientProperty", keys(&v["recipients"][0]["properties"][0])),
        ("DocumentWithData", documents),
        ("TransportOptions", keys(&v["transportOptions"])),
        ("RenderingOptions", keys(&v["renderingOptions"])),
        ("Overlay", keys(&v["renderingOptions"]["overlay"])),
        ("StatusReportOptions", keys(&v["statusReportOptions"])),
        ("ReportMail", keys(&v["statusReportOptions"]["reportMail"])),
        ("HttpStatusPush", keys(&v["statusReportOptions"]["httpStatusPush"])),
        ("MetaData", keys(&v["meta"])),
        ("JobValid", keys(&v["meta"]["jobValid"])),
    ] {
        let want = properties(def);
        let extra: BTreeSet<_> = got.difference(&want).filter(|k| !portal_only.contains(*k)).collect();
        assert!(extra.is_empty(), "{def}: fields not in the Swagger: {extra:?}");
        let missing: BTreeSet<_> = want.difference(&got).collect();
        assert!(missing.is_empty(), "{def}: Swagger fields we cannot write: {missing:?}");
    }
}

#[test]
fn enum_spellings_match_the_swagger() {
    let s = swagger();
    let defs = &s["definitions"];
    let values =
        |v: &Value| -> Vec<String> { v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect() };
    assert_eq!(
        values(&defs["RenderingOptions"]["properties"]["paperFormat"]["enum"]),
        [PaperFormat::A4.as_str(), PaperFormat::Letter.as_str()]
    );
    assert_eq!(
        values(&defs["RenderingOptions"]["properties"]["resolution"]["enum"]),
        [Resolution::High.as_str(), Resolution::Low.as_str()]
    );
    // The Swagger predates OAUTH2, which the portal documents.
    assert_eq!(
        values(&defs["HttpStatusPush"]["properties"]["authMethod"]["enum"]),
        [AuthMethod::HttpBasic.as_str(), AuthMethod::HttpDigest.as_str(), AuthMethod::None.as_str()]
    );
    assert_eq!(AuthMethod::OAuth2.as_str(), "OAUTH2");
    assert_eq!(Charset::Windows1252.as_str(), "Windows-1252");
    assert_eq!(Charset::from_wire("WINDOWS-1252"), Charset::Windows1252);
    assert_eq!(PaperFormat::from_wire("Letter"), PaperFormat::Letter);
    assert_eq!(OverlayMode::from_wire("SOMETHING"), OverlayMode::Other("SOMETHING".into()));
}

#[test]
fn recorded_examples_parse() {
    let send: FaxJobResponse = serde_json::from_str(include_str!("fixtures/send_fax_response.json")).unwrap();
    assert_eq!(send.job_id.as_str(), "FJLI3102O5BEPYOTB5LPC9");
    let list: FaxReports = serde_json::from_str(include_str!("fixtures/get_fax_reports_response.json")).unwrap();
    let r = &list.reports[0];
    assert_eq!(r.pages, Some(2));
    assert_eq!(r.reference.as_ref().unwrap().billing_code.as_deref(), Some("2018-08-7T11:04:37.057Z_billingCode"));
    let rec = &r.recipient_status[0];
    assert_eq!(rec.status, RecipientStatus::RemDis);
    assert_eq!(rec.reason.as_deref(), Some("simulated"));
    assert!(rec.alternative_numbers.is_empty(), "null is an empty list");
    assert_eq!(rec.properties[7].key, "SubjectText");
    assert_eq!(rec.sent_ts.as_ref().unwrap().utc.to_string(), "2023-05-25T11:03:39Z");
    assert_eq!(rec.duration_in_secs, Some(42));
    assert_eq!(rec.sent_to_number.as_deref(), Some("004900000000"));
    assert_eq!(rec.remote_csid.as_deref(), Some(""));
    let del: JobDeleteReports = serde_json::from_str(include_str!("fixtures/delete_reports_response.json")).unwrap();
    assert!(del.reports[0].is_deleted());
}
