//! The sandbox's routes: each Fax2 endpoint as a wiremock responder over the shared state.

// Early returns carry the ready error response; its size does not matter for a test server.
#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use jiff::Timestamp;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use super::state::{SandboxSentFax, SandboxUpload, State, pdf_pages, scramble};
use crate::model::{SentFaxStatus, is_supported_document_type};

const JSON: &str = "application/json; charset=utf-8";
const MORE_INFO: &str = "https://www.fax2.com.au/api/doc#error";

#[derive(Debug, Clone, Copy)]
enum Route {
    Token,
    ReceivedFaxes,
    ServiceReceivedFaxes,
    Content,
    FaxServices,
    UploadDocument,
    SendFax,
    SentFax,
    Fallback,
}

struct Responder {
    route: Route,
    state: Arc<Mutex<State>>,
}

pub(crate) async fn mount(server: &MockServer, state: &Arc<Mutex<State>>, latency: &faxkit::sandbox::Latency) {
    let routes: Vec<(MockBuilder, Route)> = vec![
        (Mock::given(method("POST")).and(path("/v1/oauth2/token")), Route::Token),
        (Mock::given(method("GET")).and(path("/v1/received_faxes")), Route::ReceivedFaxes),
        (
            Mock::given(method("GET")).and(path_regex(r"^/v1/fax_services/[^/]+/received_faxes$")),
            Route::ServiceReceivedFaxes,
        ),
        (Mock::given(method("GET")).and(path_regex(r"^/v1/received_faxes/[^/]+/content\.pdf$")), Route::Content),
        (Mock::given(method("GET")).and(path("/v1/fax_services")), Route::FaxServices),
        (Mock::given(method("POST")).and(path("/v1/upload_document")), Route::UploadDocument),
        (Mock::given(method("POST")).and(path("/v1/send_fax")), Route::SendFax),
        (Mock::given(method("GET")).and(path_regex(r"^/v1/sent_faxes/[^/]+$")), Route::SentFax),
    ];
    for (mock, route) in routes {
        mock.respond_with(latency.wrap(Responder { route, state: state.clone() })).with_priority(1).mount(server).await;
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(latency.wrap(Responder { route: Route::Fallback, state: state.clone() }))
        .with_priority(10)
        .mount(server)
        .await;
}

fn error(status: u16, code: &str, description: &str) -> ResponseTemplate {
    let body = json!({"error": code, "error_description": description, "more_info": MORE_INFO});
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), JSON)
}

fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string().into_bytes(), JSON)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(mut state) = self.state.lock() else {
            return error(500, "unknown_error", "sandbox state poisoned");
        };
        state.requests.push(format!("{} {}", request.method, request.url.path()));
        match self.route {
            Route::Token => token(&mut state, request),
            Route::Fallback => error(404, "invalid_endpoint", "Not a valid API endpoint for this method"),
            route => {
                if let Err(refused) = authorize(&mut state, request) {
                    return refused;
                }
                match route {
                    Route::ReceivedFaxes => received_faxes(&mut state, request, None),
                    Route::ServiceReceivedFaxes => {
                        let service = segment(request, 2);
                        received_faxes(&mut state, request, Some(service))
                    }
                    Route::Content => content(&mut state, &segment(request, 2)),
                    Route::FaxServices => {
                        let data: Vec<Value> =
                            state.services.iter().map(|(id, n)| json!({"id": id, "fax_number": n})).collect();
                        ok_json(json!({ "data": data }))
                    }
                    Route::UploadDocument => upload(&mut state, request),
                    Route::SendFax => send_fax(&mut state, request),
                    Route::SentFax => sent_fax(&mut state, &segment(request, 2)),
                    Route::Token | Route::Fallback => error(500, "unknown_error", "unreachable"),
                }
            }
        }
    }
}

/// Path segment `i` after `/v1/`.
fn segment(request: &Request, i: usize) -> String {
    request.url.path().trim_start_matches("/v1/").split('/').nth(i.saturating_sub(1)).unwrap_or_default().to_owned()
}

fn token(state: &mut State, request: &Request) -> ResponseTemplate {
    let Some(basic) = header(request, "authorization").and_then(|h| {
        let (scheme, value) = h.split_once(' ')?;
        scheme.eq_ignore_ascii_case("basic").then(|| value.trim().to_owned())
    }) else {
        return error(400, "invalid_request", "Client credentials must be supplied via HTTP Basic authentication");
    };
    let decoded = base64::engine::general_purpose::STANDARD.decode(basic).ok().and_then(|b| String::from_utf8(b).ok());
    let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return error(400, "invalid_request", "Malformed Basic authorization header");
    };
    let fields = form(&request.body);
    match fields.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_str()) {
        None => return error(400, "invalid_request", "grant_type is required"),
        Some("client_credentials") => {}
        Some(_) => return error(400, "unsupported_grant_type", "grant_type must be client_credentials"),
    }
    if user != state.username || password != state.password {
        return error(401, "invalid_client", "Invalid username or password");
    }
    let token = state.issue_token();
    ok_json(json!({"access_token": token, "expires_in": state.token_lifetime.as_secs(), "token_type": "bearer"}))
}

fn authorize(state: &mut State, request: &Request) -> Result<(), ResponseTemplate> {
    let token = header(request, "authorization").and_then(|h| {
        let (scheme, value) = h.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| value.trim().to_owned())
    });
    match token {
        Some(t) if state.token_valid(&t) => Ok(()),
        _ => Err(error(401, "unauthorized", "The access token is missing, invalid or expired")),
    }
}

fn parse_time(name: &str, raw: &str) -> Result<Timestamp, ResponseTemplate> {
    // Full ISO 8601 with an offset or Z, no fractional seconds (Fax2 API, "Dates and times").
    let shaped =
        raw.len() >= 20 && !raw.contains('.') && (raw.ends_with('Z') || raw.contains('+') || raw.rfind('-') > Some(10));
    match raw.parse::<Timestamp>() {
        Ok(t) if shaped => Ok(t),
        _ => Err(error(400, "bad_parameter", &format!("{name} must be a full ISO 8601 date/time"))),
    }
}

fn received_faxes(state: &mut State, request: &Request, service: Option<String>) -> ResponseTemplate {
    let (mut limit, mut from, mut before, mut cursor) = (50usize, None, None, None);
    for (key, value) in request.url.query_pairs() {
        match key.as_ref() {
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => return error(400, "bad_parameter", "limit must be between 1 and 1000"),
            },
            "from_time" => match parse_time("from_time", &value) {
                Ok(t) => from = Some(t),
                Err(e) => return e,
            },
            "before_time" => match parse_time("before_time", &value) {
                Ok(t) => before = Some(t),
                Err(e) => return e,
            },
            "continue_from" => {
                let parsed = value
                    .split_once('-')
                    .and_then(|(s, k)| Some((u64::from_str_radix(s, 16).ok()?, u64::from_str_radix(k, 16).ok()?)));
                match parsed {
                    Some(c) => cursor = Some(c),
                    None => return error(400, "bad_parameter", "continue_from is invalid"),
                }
            }
            other => return error(400, "bad_parameter", &format!("unknown parameter {other}")),
        }
    }
    if let Some(s) = &service
        && !state.services.iter().any(|(id, _)| id.as_str() == s)
    {
        return error(404, "not_found", "No such fax service");
    }
    // A new listing gets a new order; its pages share it through the cursor.
    let seed = match cursor {
        Some((seed, _)) => seed,
        None => {
            state.list_requests += 1;
            scramble(0xfa2, &state.list_requests)
        }
    };
    let mut matching: Vec<(u64, &crate::model::ReceivedFax)> = state
        .received
        .iter()
        .map(|r| &r.fax)
        .filter(|f| service.as_deref().is_none_or(|s| f.service_id.as_str() == s))
        .filter(|f| from.is_none_or(|t| f.received_at >= t))
        .filter(|f| before.is_none_or(|t| f.received_at < t))
        .map(|f| (scramble(seed, &f.id), f))
        .filter(|(key, _)| cursor.is_none_or(|(_, after)| *key > after))
        .collect();
    matching.sort_by_key(|(key, _)| *key);
    let more = matching.len() > limit;
    matching.truncate(limit);
    let data: Vec<Value> = matching.iter().map(|(_, f)| json!(f)).collect();
    let mut body = json!({ "data": data });
    if more && let Some((last, _)) = matching.last() {
        let Ok(mut next) = url::Url::parse(&state.origin).and_then(|o| o.join(request.url.path())) else {
            return error(500, "unknown_error", "sandbox origin is not a URL");
        };
        {
            let mut q = next.query_pairs_mut();
            q.clear();
            q.append_pair("limit", &limit.to_string());
            if let Some(t) = from {
                q.append_pair("from_time", &faxkit::time::format_utc(t));
            }
            if let Some(t) = before {
                q.append_pair("before_time", &faxkit::time::format_utc(t));
            }
            q.append_pair("continue_from", &format!("{seed:x}-{last:x}"));
        }
        body["next_page_url"] = Value::String(next.to_string());
    }
    ok_json(body)
}

fn content(state: &mut State, id: &str) -> ResponseTemplate {
    match state.received.iter_mut().find(|r| r.fax.id.as_str() == id) {
        Some(r) => {
            r.downloads = r.downloads.saturating_add(1);
            ResponseTemplate::new(200).set_body_raw(r.pdf.to_vec(), "application/pdf")
        }
        None => error(404, "not_found", "No such received fax"),
    }
}

fn upload(state: &mut State, request: &Request) -> ResponseTemplate {
    let Some(content_type) = header(request, "content-type").map(str::to_owned) else {
        return error(400, "bad_parameter", "Content-Type is required");
    };
    let (mime, bytes, mode) = if content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        match multipart_document(&content_type, &request.body) {
            Ok((mime, bytes)) => (mime, bytes, "multipart"),
            Err(e) => return e,
        }
    } else {
        (content_type, Bytes::from(request.body.clone()), "raw")
    };
    if !is_supported_document_type(&mime) {
        return error(400, "unsupported_document_type", "The document type is not supported");
    }
    if bytes.is_empty() {
        return error(400, "empty_document", "The document contains no pages");
    }
    let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let pages = match essence.as_str() {
        "application/pdf" if !bytes.starts_with(b"%PDF-") => {
            return error(400, "conversion_error", "The document could not be converted");
        }
        "application/pdf" => pdf_pages(&bytes),
        "text/plain" => u32::try_from(bytes.split(|b| *b == b'\n').count().div_ceil(60)).unwrap_or(1).max(1),
        _ => 1,
    };
    let document_id = state.next_id("doc");
    state.uploads.insert(
        document_id.clone(),
        SandboxUpload { document_id: document_id.clone(), content_type: mime, mode, bytes, pages },
    );
    ok_json(json!({"document_id": document_id, "pages": pages}))
}

/// The `document` part of a multipart body: its `Content-Type` and bytes.
fn multipart_document(content_type: &str, body: &[u8]) -> Result<(String, Bytes), ResponseTemplate> {
    let bad = |m: &str| error(400, "bad_parameter", m);
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"').to_owned())
        .ok_or_else(|| bad("multipart boundary missing"))?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(pos) = find(rest, &delimiter) {
        let after = &rest[pos + delimiter.len()..];
        if after.starts_with(b"--") {
            break;
        }
        let after = after.strip_prefix(b"\r\n").unwrap_or(after);
        let end = find(after, &delimiter).ok_or_else(|| bad("unterminated multipart body"))?;
        let part = &after[..end];
        parts.push(part.strip_suffix(b"\r\n").unwrap_or(part));
        rest = &after[end..];
    }
    let mut unknown = None;
    let mut document = None;
    for part in parts {
        let split = find(part, b"\r\n\r\n").ok_or_else(|| bad("malformed multipart part"))?;
        let head = String::from_utf8_lossy(&part[..split]).to_string();
        let content = &part[split + 4..];
        let name = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition")).and_then(|l| {
            l.split(';').find_map(|p| p.trim().strip_prefix("name=").map(|n| n.trim_matches('"').to_owned()))
        });
        let ctype = head
            .lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-type")))
            .map(|(_, v)| v.trim().to_owned());
        match name.as_deref() {
            Some("document") => document = Some((ctype, Bytes::copy_from_slice(content))),
            other => unknown = other.map(str::to_owned),
        }
    }
    if let Some(name) = unknown {
        return Err(bad(&format!("unknown parameter {name}")));
    }
    match document {
        Some((Some(ctype), bytes)) => Ok((ctype, bytes)),
        Some((None, _)) => Err(bad("the document part needs a Content-Type")),
        None => Err(bad("document is required")),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn send_fax(state: &mut State, request: &Request) -> ResponseTemplate {
    let mut documents = Vec::new();
    let mut dest = None;
    for (key, value) in form(&request.body) {
        match key.as_str() {
            "documents[]" => documents.push(value),
            "dest_number" => dest = Some(value),
            other => return error(400, "bad_parameter", &format!("unknown parameter {other}")),
        }
    }
    let Some(dest) = dest else {
        return error(400, "bad_parameter", "dest_number is required");
    };
    let digits = dest.strip_prefix('+').unwrap_or(&dest);
    if digits.len() < 8 || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return error(400, "bad_parameter", "dest_number must be in international format");
    }
    if documents.is_empty() {
        return error(400, "bad_parameter", "documents is required");
    }
    let mut pages = 0;
    for d in &documents {
        match state.uploads.get(d) {
            Some(u) => pages += u.pages,
            None => return error(400, "bad_parameter", &format!("unknown document {d}")),
        }
    }
    if state.insufficient_credit {
        return error(400, "insufficient_credit", "Insufficient credit to send this fax");
    }
    let id = state.next_id("tx");
    let fail_with = state.failing_numbers.get(digits).cloned();
    state.sent.insert(
        id.clone(),
        SandboxSentFax {
            id: id.clone(),
            dest_number: dest.clone(),
            documents,
            pages,
            status: SentFaxStatus::Sending,
            reason: None,
            send_attempts: 0,
            sent_at: None,
            fail_with,
        },
    );
    ok_json(json!({"id": id, "pages": pages}))
}

fn sent_fax(state: &mut State, id: &str) -> ResponseTemplate {
    let Some(fax) = state.read_sent(id) else {
        return error(404, "not_found", "No such sent fax");
    };
    let mut body = json!({"status": fax.status, "pages": fax.pages, "send_attempts": fax.send_attempts});
    if matches!(fax.status, SentFaxStatus::Sent | SentFaxStatus::Failed) {
        if let Some(t) = fax.sent_at {
            body["sent_at"] = Value::String(faxkit::time::format_utc(t));
        }
        let sent = if fax.status == SentFaxStatus::Sent { fax.pages } else { 0 };
        body["pages_sent"] = json!(sent);
    }
    if let Some(reason) = fax.reason {
        body["reason"] = json!(reason);
    }
    ok_json(body)
}
