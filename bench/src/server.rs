//! The local HTTP server (hyper 1, HTTP/1.1 keep-alive) that answers each vendor's routes with canned responses
//! copied from the vendor crates' recorded samples (`crates/<vendor>/tests/fixtures/`).
//!
//! Upload bodies are consumed as they stream (bytes counted, never buffered). Large downloads are generated on
//! the fly: raw bytes, or the vendor's envelope prefix, a streamed base64 body and the suffix, exactly as the
//! vendor's client expects them. One listener per vendor, on 127.0.0.1 with an ephemeral port.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::data;

/// A response body: canned bytes or a generated stream.
pub(crate) type Body = UnsyncBoxBody<Bytes, Infallible>;

/// The vendors the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vendor {
    Interfax,
    Westfax,
    Faxcore,
    Fax2,
    Retarus,
}

impl Vendor {
    pub(crate) const ALL: [Vendor; 5] =
        [Vendor::Interfax, Vendor::Westfax, Vendor::Faxcore, Vendor::Fax2, Vendor::Retarus];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Vendor::Interfax => "interfax",
            Vendor::Westfax => "westfax",
            Vendor::Faxcore => "faxcore",
            Vendor::Fax2 => "fax2",
            Vendor::Retarus => "retarus-fax",
        }
    }
}

/// The number of items in the generated list responses.
pub(crate) const LIST_ITEMS: usize = 1000;

/// Counters and settings shared between the server and the harness.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// The size of the generated download served next (bytes of the decoded document).
    pub(crate) download_len: AtomicU64,
    /// Request body bytes consumed on upload routes since the last reset.
    pub(crate) uploaded: AtomicU64,
    /// TCP connections accepted.
    pub(crate) connections: AtomicUsize,
    /// Requests answered.
    pub(crate) requests: AtomicUsize,
}

/// A running server for one vendor.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    pub(crate) vendor: Vendor,
    /// `http://127.0.0.1:{port}/`
    pub(crate) base: String,
    pub(crate) shared: Arc<Shared>,
}

/// Starts one vendor's server on the current tokio runtime.
pub(crate) async fn start(vendor: Vendor) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::default());
    let canned = Arc::new(Canned::new(vendor));
    let state = shared.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            state.connections.fetch_add(1, Ordering::Relaxed);
            let (state, canned) = (state.clone(), canned.clone());
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let (state, canned) = (state.clone(), canned.clone());
                    async move { Ok::<_, Infallible>(handle(vendor, &state, &canned, req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(Server { vendor, base: format!("http://{addr}/"), shared })
}

// ---- bodies ----

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed_unsync()
}

fn reply(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

fn not_found(what: &str) -> Response<Body> {
    reply(418, "text/plain", format!("faxkit-bench: unexpected request {what}"))
}

/// A streamed body of known length from chunks.
fn streamed(content_type: &str, len: u64, chunks: impl Iterator<Item = Bytes> + Send + 'static) -> Response<Body> {
    let frames = futures::stream::iter(chunks.map(|b| Ok::<_, Infallible>(Frame::data(b))));
    let mut r = Response::new(StreamBody::new(frames).boxed_unsync());
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(len));
    r
}

/// The raw generated document.
fn raw_download(content_type: &str, len: u64) -> Response<Body> {
    streamed(content_type, len, data::raw_chunks(len))
}

/// `prefix` + base64 of the generated document + `suffix`.
fn base64_download(content_type: &str, len: u64, prefix: Bytes, suffix: Bytes) -> Response<Body> {
    let total = prefix.len() as u64 + data::base64_len(len) + suffix.len() as u64;
    let chunks = std::iter::once(prefix).chain(data::base64_chunks(len)).chain(std::iter::once(suffix));
    streamed(content_type, total, chunks)
}

/// Consumes a request body, counting its bytes (never buffering them).
async fn drain(body: Incoming) -> u64 {
    let mut body = body;
    let mut n = 0u64;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let Some(d) = frame.data_ref() {
                    n += d.len() as u64;
                }
            }
            Err(_) => break,
        }
    }
    n
}

// ---- canned responses ----

const INTERFAX_OUTBOUND: &str = include_str!("../../crates/interfax/tests/fixtures/outbound_fax_full.json");
const FAXCORE_STATUS: &str = include_str!("../../crates/faxcore/tests/fixtures/fax_status.xml");
const FAXCORE_SEND: &str = include_str!("../../crates/faxcore/tests/fixtures/send_fax.xml");
const FAX2_TOKEN: &str = include_str!("../../crates/fax2/tests/fixtures/oauth2_token.json");
const FAX2_SENT: &str = include_str!("../../crates/fax2/tests/fixtures/sent_fax_failed.json");
const FAX2_UPLOAD: &str = include_str!("../../crates/fax2/tests/fixtures/upload_document.json");
const FAX2_RECEIVED: &str = include_str!("../../crates/fax2/tests/fixtures/received_faxes.json");
const RETARUS_REPORTS: &str = include_str!("../../crates/retarus-fax/tests/fixtures/get_fax_reports_response.json");
const RETARUS_SEND: &str = include_str!("../../crates/retarus-fax/tests/fixtures/send_fax_response.json");
const WESTFAX_STATUS_XML: &str = include_str!("../../crates/westfax/tests/fixtures/GetFaxStatus.xml");

/// The WestFax job of the status calls (the id of the recorded `GetFaxStatus` sample).
pub(crate) const WESTFAX_JOB: &str = "bcfd4b37-ffaf-4ffa-bab9-ddfb776a0620";
/// The WestFax `Fax_GetFaxStatus` answer over REST JSON: the recorded XML sample's job, in the JSON envelope.
const WESTFAX_STATUS_JSON: &str = r#"{"Success":true,"ErrorString":null,"InfoString":null,"Result":[{"JobId":"bcfd4b37-ffaf-4ffa-bab9-ddfb776a0620","JobState":"Production","QuerySuccess":true,"JobEstimate":"0","Calls":[{"PhoneNumber":"5105868243","CallResult":"NoFaxDevice","PagesSent":0,"JobPages":1,"DurationSeconds":61,"CompleteUtc":"6/29/2017 10:31:29 AM","FaxConnectionSpeed":33600,"FaxRemoteCsid":""}]}]}"#;
const WESTFAX_SEND_JSON: &str =
    r#"{"Success":true,"ErrorString":null,"InfoString":null,"Result":"24749324-0add-4d23-9087-ab34cd56ef78"}"#;
const WESTFAX_DESC_JSON: &str = r#"{"Id":"24749324-0add-4d23-9087-ab34cd56ef78","Date":"2026-11-23T12:00:00Z","Direction":"Inbound","Tag":"None","PageCount":1,"Status":"Complete","UnRead":true,"FilesAvailable":true,"FaxCallInfoList":[{"CallId":"24749324-0add-4d23-9087-ab34cd56ef78","CompletedUTC":"2026-11-23T12:00:00Z","OrigNumber":"5552001111","TermNumber":"5559998888","Result":"InboundFaxReceived"}]}"#;
const WESTFAX_DESC_XML: &str = "<FaxDescItem><Id>24749324-0add-4d23-9087-ab34cd56ef78</Id><Date>2026-11-23T12:00:00Z</Date><Direction>Inbound</Direction><Tag>None</Tag><PageCount>1</PageCount><Status>Complete</Status><UnRead>true</UnRead><FilesAvailable>true</FilesAvailable><FaxCallInfoList><FaxCallInfoItem><CallId>24749324-0add-4d23-9087-ab34cd56ef78</CallId><CompletedUTC>2026-11-23T12:00:00Z</CompletedUTC><OrigNumber>5552001111</OrigNumber><TermNumber>5559998888</TermNumber><Result>InboundFaxReceived</Result></FaxCallInfoItem></FaxCallInfoList></FaxDescItem>";
const XML_NS: &str =
    r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#;

fn repeat_joined(item: &str, sep: &str) -> String {
    let item = item.trim();
    let mut out = String::with_capacity((item.len() + sep.len()) * LIST_ITEMS);
    for i in 0..LIST_ITEMS {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// The first element of a JSON array member of a fixture, as compact text.
fn first_of(fixture: &str, member: &str) -> String {
    serde_json::from_str::<serde_json::Value>(fixture)
        .ok()
        .and_then(|v| v.get(member).and_then(|a| a.get(0)).cloned())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// The canned bodies of one vendor, built once.
struct Canned {
    list: Bytes,
    list_xml: Bytes,
    single: Bytes,
}

impl Canned {
    fn new(vendor: Vendor) -> Canned {
        let empty = Bytes::new();
        match vendor {
            Vendor::Interfax => Canned {
                list: format!("[{}]", repeat_joined(INTERFAX_OUTBOUND, ",")).into(),
                list_xml: empty,
                single: Bytes::from_static(INTERFAX_OUTBOUND.as_bytes()),
            },
            Vendor::Faxcore => {
                let ids = repeat_joined("<FaxId>208107838349</FaxId>", "\n    ");
                Canned {
                    list: empty,
                    list_xml: format!(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ApiResponse>\n  <GetFaxList>\n    {ids}\n  </GetFaxList>\n</ApiResponse>\n"
                    )
                    .into(),
                    single: Bytes::new(),
                }
            }
            Vendor::Fax2 => Canned {
                list: format!(r#"{{"data":[{}],"next_page_url":null}}"#, repeat_joined(&first_of(FAX2_RECEIVED, "data"), ","))
                    .into(),
                list_xml: empty,
                single: Bytes::new(),
            },
            Vendor::Retarus => {
                let report = first_of(RETARUS_REPORTS, "reports");
                Canned {
                    list: format!(r#"{{"reports":[{}]}}"#, repeat_joined(&report, ",")).into(),
                    list_xml: empty,
                    single: report.into(),
                }
            }
            Vendor::Westfax => Canned {
                list: format!(
                    r#"{{"Success":true,"ErrorString":null,"InfoString":null,"Result":[{}]}}"#,
                    repeat_joined(WESTFAX_DESC_JSON, ",")
                )
                .into(),
                list_xml: format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ApiResultOfListOfFaxDescItem {XML_NS}><Success>true</Success><ErrorString /><InfoString /><Result>{}</Result></ApiResultOfListOfFaxDescItem>",
                    repeat_joined(WESTFAX_DESC_XML, "")
                )
                .into(),
                single: Bytes::new(),
            },
        }
    }
}

/// The canned list bodies, for reporting their size.
pub(crate) fn list_body_len(vendor: Vendor, xml: bool) -> usize {
    let c = Canned::new(vendor);
    if xml { c.list_xml.len() } else { c.list.len() }
}

const JSON: &str = "application/json; charset=utf-8";
const XML: &str = "text/xml; charset=utf-8";

async fn handle(vendor: Vendor, shared: &Shared, canned: &Canned, req: Request<Incoming>) -> Response<Body> {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or_default().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let len = shared.download_len.load(Ordering::Relaxed);
    match vendor {
        Vendor::Interfax => interfax(shared, canned, req, &method, &segments, &query, len).await,
        Vendor::Faxcore => faxcore(shared, canned, req, &method, &segments, len).await,
        Vendor::Fax2 => fax2(shared, canned, req, &method, &segments, len).await,
        Vendor::Retarus => retarus(shared, canned, req, &method, &segments, len).await,
        Vendor::Westfax => westfax(shared, canned, req, &method, &segments, len).await,
    }
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v)
}

async fn interfax(
    shared: &Shared,
    canned: &Canned,
    req: Request<Incoming>,
    method: &str,
    segments: &[&str],
    query: &str,
    len: u64,
) -> Response<Body> {
    match (method, segments) {
        ("GET", ["outbound", "faxes"]) => reply(200, JSON, canned.list.clone()),
        ("GET", ["outbound", "faxes", _id]) => reply(200, JSON, canned.single.clone()),
        ("GET", ["inbound", "faxes", _id, "image"]) => raw_download("application/pdf", len),
        // The document id is its size, so the chunk route needs no state.
        ("POST", ["outbound", "documents"]) => {
            let size = query_value(query, "size").unwrap_or("0").to_owned();
            let host = req.headers().get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_owned();
            drain(req.into_body()).await;
            let mut r = reply(201, JSON, "");
            if let Ok(v) = HeaderValue::from_str(&format!("http://{host}/outbound/documents/{size}")) {
                r.headers_mut().insert("location", v);
            }
            r
        }
        ("POST", ["outbound", "documents", size]) => {
            let size: u64 = size.parse().unwrap_or(0);
            let range = req
                .headers()
                .get("range")
                .and_then(|v| v.to_str().ok())
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.split_once('-'))
                .and_then(|(_, end)| end.trim().parse::<u64>().ok());
            let n = drain(req.into_body()).await;
            shared.uploaded.fetch_add(n, Ordering::Relaxed);
            let Some(end) = range else { return reply(400, JSON, r#"{"code":-1061,"message":"Missing chunk"}"#) };
            let status = if end + 1 >= size { 200 } else { 202 };
            let mut r = reply(status, JSON, "");
            if let Ok(v) = HeaderValue::from_str(&format!("bytes 0-{end}/{size}")) {
                r.headers_mut().insert("x-content-range", v);
            }
            r
        }
        _ => not_found(&format!("{method} /{}", segments.join("/"))),
    }
}

async fn faxcore(
    shared: &Shared,
    canned: &Canned,
    req: Request<Incoming>,
    method: &str,
    segments: &[&str],
    len: u64,
) -> Response<Body> {
    match (method, segments) {
        ("GET", ["FaxStatus"]) => reply(200, XML, FAXCORE_STATUS),
        ("GET", ["GetFaxList"]) => reply(200, XML, canned.list_xml.clone()),
        ("GET", ["DownloadFax"]) => base64_download("text/plain; charset=utf-8", len, Bytes::new(), Bytes::new()),
        ("POST", ["SendFax"]) => {
            let n = drain(req.into_body()).await;
            shared.uploaded.fetch_add(n, Ordering::Relaxed);
            reply(200, XML, FAXCORE_SEND)
        }
        _ => not_found(&format!("{method} /{}", segments.join("/"))),
    }
}

async fn fax2(
    shared: &Shared,
    canned: &Canned,
    req: Request<Incoming>,
    method: &str,
    segments: &[&str],
    len: u64,
) -> Response<Body> {
    match (method, segments) {
        ("POST", ["oauth2", "token"]) => {
            drain(req.into_body()).await;
            reply(200, JSON, FAX2_TOKEN)
        }
        ("GET", ["sent_faxes", _id]) => reply(200, JSON, FAX2_SENT),
        ("GET", ["received_faxes"]) => reply(200, JSON, canned.list.clone()),
        ("GET", ["received_faxes", _id, "content.pdf"]) => raw_download("application/pdf", len),
        ("POST", ["upload_document"]) => {
            let n = drain(req.into_body()).await;
            shared.uploaded.fetch_add(n, Ordering::Relaxed);
            reply(200, JSON, FAX2_UPLOAD)
        }
        _ => not_found(&format!("{method} /{}", segments.join("/"))),
    }
}

async fn retarus(
    shared: &Shared,
    canned: &Canned,
    req: Request<Incoming>,
    method: &str,
    segments: &[&str],
    len: u64,
) -> Response<Body> {
    match (method, segments) {
        ("GET", ["rest", "v1", _customer, "fax", "reports"]) => reply(200, JSON, canned.list.clone()),
        ("GET", ["rest", "v1", _customer, "fax", "reports", _job]) => reply(200, JSON, canned.single.clone()),
        ("POST", ["rest", "v1", _customer, "fax"]) => {
            let n = drain(req.into_body()).await;
            shared.uploaded.fetch_add(n, Ordering::Relaxed);
            reply(201, JSON, RETARUS_SEND)
        }
        ("GET", ["faxin", "rest", "v1", "files", _file]) => raw_download("application/pdf", len),
        _ => not_found(&format!("{method} /{}", segments.join("/"))),
    }
}

async fn westfax(
    shared: &Shared,
    canned: &Canned,
    req: Request<Incoming>,
    method: &str,
    segments: &[&str],
    len: u64,
) -> Response<Body> {
    let soap_action = req
        .headers()
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(|a| a.trim_matches('"').rsplit('/').next().unwrap_or_default().to_owned());
    let upload =
        matches!(segments, [_, "Fax_SendFax", _]) || soap_action.as_deref().is_some_and(|a| a.contains("SendFax"));
    let n = drain(req.into_body()).await;
    if upload {
        shared.uploaded.fetch_add(n, Ordering::Relaxed);
    }
    match (method, segments) {
        ("POST", ["REST", "Fax_GetFaxStatus", "json"]) => reply(200, JSON, WESTFAX_STATUS_JSON),
        ("POST", ["REST", "Fax_GetFaxStatus", "xml"]) => reply(200, XML, WESTFAX_STATUS_XML),
        ("POST", ["REST", "Fax_SendFax", "json"]) => reply(200, JSON, WESTFAX_SEND_JSON),
        ("POST", ["REST", "Fax_GetFaxDescriptions", "json"]) => reply(200, JSON, canned.list.clone()),
        ("POST", ["REST", "Fax_GetFaxDescriptions", "xml"]) => reply(200, XML, canned.list_xml.clone()),
        ("POST", ["REST", "Fax_GetFaxDocuments", "json"]) => {
            let prefix = format!(
                r#"{{"Success":true,"ErrorString":null,"InfoString":null,"Result":[{{"Id":"{len}","Direction":"Inbound","Date":"2026-11-23T12:00:00Z","Status":"Complete","Format":"pdf","PageCount":1,"FaxFiles":[{{"ContentType":"application/pdf","ContentLength":{len},"FileContents":""#
            );
            base64_download(JSON, len, prefix.into(), Bytes::from_static(b"\"}]}]}"))
        }
        ("POST", ["SOAP"]) => {
            let message = soap_action.unwrap_or_default();
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" {XML_NS}><soap:Body><{message}Response xmlns=\"https://api.westfax.com/\"><{message}Result><Success>true</Success><ErrorString /><InfoString /><Result>24749324-0add-4d23-9087-ab34cd56ef78</Result></{message}Result></{message}Response></soap:Body></soap:Envelope>"
            );
            reply(200, XML, body)
        }
        _ => not_found(&format!("{method} /{}", segments.join("/"))),
    }
}
