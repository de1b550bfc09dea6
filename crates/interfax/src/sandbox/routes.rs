//! The sandbox's HTTP surface: InterFAX's paths, query parameters, headers and bodies, as recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::state::{BatchRec, Fault, OutFax, SandboxDocument, SentDocument, SentFax, State, now_text};
use crate::model::common::{BatchId, DocumentId, FaxStatusCode, OutboundFaxId};

/// A minimal TIFF header: what the sandbox returns as an outbound fax image.
pub(crate) const TIFF_IMAGE: &[u8] = b"II*\0\x08\0\0\0\0\0\0\0";

pub(crate) struct Router {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) base: String,
}

pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// JSON as InterFAX sends it without an `Accept` header: `text/json`.
fn json_reply(status: u16, value: &Value) -> ResponseTemplate {
    let text = value.to_string().replace("\"\\u0001", "").replace("\\u0001\"", "");
    ResponseTemplate::new(status).set_body_raw(text.into_bytes(), "text/json")
}

/// A JSON number written exactly as given (`1.00`, `0.1500`), as InterFAX writes money; `json_reply` unwraps it.
fn exact(number: &str) -> Value {
    Value::String(format!("\u{1}{number}\u{1}"))
}

fn error(status: u16, code: i64, message: &str, more: Option<String>) -> ResponseTemplate {
    json_reply(status, &json!({"code": code, "message": message, "moreInfo": more}))
}

fn not_found_fax(id: &str) -> ResponseTemplate {
    error(404, -1005, "Fax resource not found", Some(format!("Fax resource {id} not found or not accessible by user")))
}

fn wrong_document() -> ResponseTemplate {
    error(404, -1062, "Wrong uploaded document resource", None)
}

fn created(location: String) -> ResponseTemplate {
    ResponseTemplate::new(201).insert_header("Location", location.as_str())
}

fn ok_true() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(b"true".to_vec(), "text/json")
}

fn query(req: &Request) -> BTreeMap<String, String> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn num<T: std::str::FromStr>(q: &BTreeMap<String, String>, key: &str) -> Option<T> {
    q.get(key).and_then(|v| v.parse().ok())
}

fn page<T: Clone>(items: &[T], offset: usize, limit: usize) -> Vec<T> {
    items.iter().skip(offset).take(limit).cloned().collect()
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut st = lock(&self.state);
        st.log.push(format!("{} {}", req.method, req.url.path()));
        if !authorized(&st, req) {
            return ResponseTemplate::new(401).insert_header("WWW-Authenticate", "Basic realm=\"Secure Area\"");
        }
        if let Some(Fault { status, code, message }) = st.fault.take() {
            return error(status, code, &message, None);
        }
        let path = req.url.path().trim_matches('/').to_owned();
        let seg: Vec<&str> = path.split('/').collect();
        let q = query(req);
        let method = req.method.as_str();
        match (method, seg.as_slice()) {
            ("POST", ["outbound", "faxes"]) => self.send_fax(&mut st, req, &q),
            ("GET", ["outbound", "faxes"]) => list_faxes(&st, &q),
            ("GET", ["outbound", "faxes", "completed"]) => completed(&mut st, &q),
            ("GET", ["outbound", "faxes", id]) => fax_record(&mut st, id),
            ("GET", ["outbound", "faxes", id, "image"]) => {
                match id.parse::<i64>().ok().filter(|i| st.outbound.contains_key(i)) {
                    Some(_) => ResponseTemplate::new(200).set_body_raw(TIFF_IMAGE.to_vec(), "image/tiff"),
                    None => not_found_fax(id),
                }
            }
            ("POST", ["outbound", "faxes", id, "cancel"]) => cancel_fax(&mut st, id),
            ("POST", ["outbound", "faxes", id, "resend"]) => self.resend_fax(&mut st, id, &q),
            ("POST", ["outbound", "faxes", id, "hide"]) => match st.outbound.get_mut(&id.parse().unwrap_or(0)) {
                Some(f) => {
                    f.fax.hidden = true;
                    ResponseTemplate::new(200)
                }
                None => not_found_fax(id),
            },
            ("GET", ["outbound", "search"]) => search(&st, &q),
            ("POST", ["outbound", "batches"]) => self.send_batch(&mut st, req, &q),
            ("GET", ["outbound", "batches"]) => list_batches(&st, &q),
            ("GET", ["outbound", "batches", id]) => match st.batches.get(&id.parse().unwrap_or(0)) {
                Some(b) => json_reply(200, &batch_json(&st, b, true)),
                None => not_found_fax(id),
            },
            ("GET", ["outbound", "batches", id, "children"]) => match st.batches.get(&id.parse().unwrap_or(0)) {
                Some(b) => {
                    let all: Vec<Value> =
                        b.children.iter().filter_map(|c| st.outbound.get(c)).map(summary_json).collect();
                    json_reply(
                        200,
                        &Value::Array(page(&all, num(&q, "offset").unwrap_or(0), num(&q, "limit").unwrap_or(25))),
                    )
                }
                None => not_found_fax(id),
            },
            ("POST", ["outbound", "batches", id, "cancel"]) => {
                match st.batches.get(&id.parse().unwrap_or(0)).cloned() {
                    Some(b) => {
                        for c in b.children {
                            if let Some(f) = st.outbound.get_mut(&c)
                                && f.fax.status.0 < 0
                            {
                                f.fax.status = FaxStatusCode::CANCELLED_NO_CREDIT;
                            }
                        }
                        ResponseTemplate::new(200)
                    }
                    None => not_found_fax(id),
                }
            }
            ("POST", ["outbound", "batches", id, "resend"]) => self.resend_batch(&mut st, id, &q),
            ("POST", ["outbound", "documents"]) => self.create_document(&mut st, &q),
            ("POST", ["outbound", "documents", id]) => upload_chunk(&mut st, req, id),
            ("GET", ["outbound", "documents"]) => {
                let all: Vec<Value> = st.documents.values().map(|d| self.document_json(d)).collect();
                json_reply(
                    200,
                    &Value::Array(page(&all, num(&q, "offset").unwrap_or(0), num(&q, "limit").unwrap_or(25))),
                )
            }
            ("GET", ["outbound", "documents", id]) => match st.documents.get(*id) {
                Some(d) if !(d.disposition.eq_ignore_ascii_case("singleUse") && d.uses > 0) => {
                    json_reply(200, &self.document_json(d))
                }
                _ => wrong_document(),
            },
            ("DELETE", ["outbound", "documents", id]) => match st.documents.remove(*id) {
                Some(_) => ResponseTemplate::new(200),
                None => wrong_document(),
            },
            ("GET", ["inbound", "faxes"]) => list_inbound(&st, &q),
            ("GET", ["inbound", "faxes", id]) => match st.inbound.get(&id.parse().unwrap_or(0)) {
                Some(f) => json_reply(200, &inbound_json(&st, f)),
                None => not_found_fax(id),
            },
            ("GET", ["inbound", "faxes", id, "image"]) => match st.inbound.get_mut(&id.parse().unwrap_or(0)) {
                Some(f) => {
                    f.downloads = f.downloads.saturating_add(1);
                    ResponseTemplate::new(200).set_body_raw(f.bytes.to_vec(), &f.content_type)
                }
                None => not_found_fax(id),
            },
            ("GET", ["inbound", "faxes", id, "emails"]) => match st.inbound.get(&id.parse().unwrap_or(0)) {
                Some(f) => {
                    let list: Vec<Value> = f
                        .emails
                        .iter()
                        .map(|e| json!({"emailAddress": e, "messageStatus": 0, "completionTime": f.receive_time}))
                        .collect();
                    json_reply(200, &Value::Array(list))
                }
                None => not_found_fax(id),
            },
            ("POST", ["inbound", "faxes", id, "mark"]) => {
                let unread = q.get("unread").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                match st.inbound.get_mut(&id.parse().unwrap_or(0)) {
                    Some(f) => {
                        f.read = !unread;
                        if !unread {
                            f.acks = f.acks.saturating_add(1);
                        }
                        ok_true()
                    }
                    None => not_found_fax(id),
                }
            }
            ("POST", ["inbound", "faxes", id, "resend"]) => match st.inbound.get_mut(&id.parse().unwrap_or(0)) {
                Some(f) => {
                    if let Some(e) = q.get("email") {
                        f.emails.push(e.clone());
                    }
                    ok_true()
                }
                None => not_found_fax(id),
            },
            ("GET", ["accounts", "self", "ppcards", "balance"]) => {
                ResponseTemplate::new(200).set_body_raw(st.balance.clone().into_bytes(), "text/json")
            }
            ("GET", ["tests", "date"]) => json_reply(200, &json!({"input": q.get("d"), "gmt": q.get("d")})),
            ("GET", ["tests", "error"]) => {
                let code = num::<i64>(&q, "applicationStatus").unwrap_or(-150);
                let meaning = crate::ErrorCode(code).meaning().unwrap_or("unknown error");
                error(400, code, meaning, None)
            }
            ("GET", ["tests", "errorcodes"]) => {
                let codes: Vec<Value> = [-111i64, -112, -114, -123, -150, -1003, -1005, -1009, -1011, -1062, -1063]
                    .iter()
                    .map(|c| json!({"code": c, "message": crate::ErrorCode(*c).meaning()}))
                    .collect();
                json_reply(200, &Value::Array(codes))
            }
            ("GET", ["outbound", "help", "mediatype"]) => json_reply(
                200,
                &json!([{"fileType": "pdf", "mediaType": "application/pdf"}, {"fileType": "tif", "mediaType": "image/tiff"},
                        {"fileType": "txt", "mediaType": "text/plain"}]),
            ),
            ("GET", [_, "test"]) => ResponseTemplate::new(200).set_body_raw(b"OK".to_vec(), "text/plain"),
            _ => ResponseTemplate::new(404),
        }
    }
}

fn authorized(st: &State, req: &Request) -> bool {
    let Some(value) = header(req, "authorization") else { return false };
    let Some(encoded) = value.strip_prefix("Basic ") else { return false };
    let Ok(decoded) = faxkit::base64::decode("interfax", encoded.trim().as_bytes()) else { return false };
    decoded == format!("{}:{}", st.username, st.password).as_bytes()
}

impl Router {
    fn location(&self, path: &str) -> String {
        format!("{}/{}", self.base.trim_end_matches('/'), path)
    }

    /// Documents of a send, from any of the four body forms.
    fn documents(&self, st: &mut State, req: &Request) -> Result<Vec<SentDocument>, Box<ResponseTemplate>> {
        let content_type = header(req, "content-type").unwrap_or("").to_owned();
        let mut docs = Vec::new();
        if let Some(boundary) =
            content_type.to_ascii_lowercase().starts_with("multipart/").then(|| boundary_of(&content_type)).flatten()
        {
            for part in parse_multipart(&req.body, &boundary) {
                let location = part.header("content-location");
                docs.push(SentDocument {
                    content_type: part.header("content-type"),
                    file_name: part.file_name(),
                    bytes: match &location {
                        Some(l) => self.resolve(st, l)?,
                        None => part.body,
                    },
                    content_location: location,
                });
            }
        } else if let Some(location) = header(req, "content-location") {
            let bytes = self.resolve(st, location)?;
            docs.push(SentDocument {
                content_type: None,
                file_name: None,
                content_location: Some(location.to_owned()),
                bytes,
            });
        } else if !req.body.is_empty() {
            docs.push(SentDocument {
                content_type: (!content_type.is_empty()).then_some(content_type),
                file_name: None,
                content_location: None,
                bytes: Bytes::from(req.body.clone()),
            });
        }
        if docs.is_empty() {
            return Err(Box::new(error(400, -123, "No valid documents attached", None)));
        }
        Ok(docs)
    }

    /// The bytes of a `Content-Location`: a sandbox document (checked and counted), or empty for other URLs.
    fn resolve(&self, st: &mut State, location: &str) -> Result<Bytes, Box<ResponseTemplate>> {
        let prefix = self.location("outbound/documents/");
        let Some(id) = location.strip_prefix(&prefix) else { return Ok(Bytes::new()) };
        match st.documents.get_mut(id) {
            Some(d)
                if d.data.len() as u64 == d.size
                    && !(d.disposition.eq_ignore_ascii_case("singleUse") && d.uses > 0) =>
            {
                d.uses += 1;
                Ok(d.data.clone())
            }
            _ => Err(Box::new(wrong_document())),
        }
    }

    fn new_fax(
        &self,
        st: &mut State,
        number: String,
        options: BTreeMap<String, String>,
        documents: Vec<SentDocument>,
        batch: Option<i64>,
    ) -> i64 {
        let id = st.next_id();
        let final_status = st.next_outcome;
        let user = st.username.clone();
        st.outbound.insert(
            id,
            OutFax {
                fax: SentFax {
                    id: OutboundFaxId(id),
                    fax_number: number,
                    options,
                    documents,
                    status: FaxStatusCode::READY,
                    batch: batch.map(BatchId),
                    hidden: false,
                },
                final_status,
                submit_time: now_text(),
                completion_time: None,
                user,
                uri: self.location(&format!("outbound/faxes/{id}")),
            },
        );
        id
    }

    fn send_fax(&self, st: &mut State, req: &Request, q: &BTreeMap<String, String>) -> ResponseTemplate {
        let Some(number) = q.get("faxNumber").cloned() else {
            return error(400, -112, "No valid recipients added or missing fax number", None);
        };
        if let Some(designated) = &st.designated_number
            && digits(designated) != digits(&number)
        {
            return error(
                400,
                -111,
                "Attempting to fax to a number that is not the designated fax number in a developer account",
                None,
            );
        }
        if let Some(t) = q.get("postponeTime")
            && faxkit::time::parse_utc_lenient(t).is_err()
        {
            return error(400, -1030, "Invalid postponeTime", Some(t.clone()));
        }
        let documents = match self.documents(st, req) {
            Ok(d) => d,
            Err(e) => return *e,
        };
        let mut options = q.clone();
        options.remove("faxNumber");
        let id = self.new_fax(st, number, options, documents, None);
        created(self.location(&format!("outbound/faxes/{id}")))
    }

    fn resend_fax(&self, st: &mut State, id: &str, q: &BTreeMap<String, String>) -> ResponseTemplate {
        let Some(orig) = st.outbound.get(&id.parse().unwrap_or(0)).cloned() else { return not_found_fax(id) };
        let number = q.get("faxNumber").cloned().unwrap_or(orig.fax.fax_number);
        let new = self.new_fax(st, number, orig.fax.options, orig.fax.documents, None);
        created(self.location(&format!("outbound/faxes/{new}")))
    }

    fn send_batch(&self, st: &mut State, req: &Request, q: &BTreeMap<String, String>) -> ResponseTemplate {
        let Some(list) = q.get("list") else {
            return error(400, -112, "No valid recipients added or missing fax number", None);
        };
        let numbers = match st.lists.get(list) {
            Some(n) => n.clone(),
            None if list.split([',', ';']).all(|n| !digits(n).is_empty()) => {
                list.split([',', ';']).map(|s| s.trim().to_owned()).collect()
            }
            None => return error(400, -113, "List does not exist", Some(format!("List name [{list}] does not exist"))),
        };
        let documents = match self.documents(st, req) {
            Ok(d) => d,
            Err(e) => return *e,
        };
        let mut options = q.clone();
        options.remove("list");
        let id = self.make_batch(st, numbers, options, documents);
        created(self.location(&format!("outbound/batches/{id}")))
    }

    fn make_batch(
        &self,
        st: &mut State,
        numbers: Vec<String>,
        options: BTreeMap<String, String>,
        documents: Vec<SentDocument>,
    ) -> i64 {
        let id = st.next_id();
        let children =
            numbers.into_iter().map(|n| self.new_fax(st, n, options.clone(), documents.clone(), Some(id))).collect();
        st.batches.insert(id, BatchRec { id, options, children, submit_time: now_text(), pages: 1 });
        id
    }

    fn resend_batch(&self, st: &mut State, id: &str, q: &BTreeMap<String, String>) -> ResponseTemplate {
        let Some(b) = st.batches.get(&id.parse().unwrap_or(0)).cloned() else { return not_found_fax(id) };
        let also_ok = q.get("sendAlsoOK").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut numbers = Vec::new();
        let mut documents = Vec::new();
        for c in &b.children {
            if let Some(f) = st.outbound.get(c) {
                documents.clone_from(&f.fax.documents);
                if also_ok || f.fax.status.0 != 0 {
                    numbers.push(f.fax.fax_number.clone());
                }
            }
        }
        let mut options = b.options.clone();
        if let Some(r) = q.get("reference") {
            options.insert("reference".into(), r.clone());
        }
        let new = self.make_batch(st, numbers, options, documents);
        created(self.location(&format!("outbound/batches/{new}")))
    }

    fn create_document(&self, st: &mut State, q: &BTreeMap<String, String>) -> ResponseTemplate {
        let (Some(size), Some(name)) = (num::<u64>(q, "size"), q.get("name")) else {
            return error(400, -1007, "Size value is not numeric or not greater than 0", None);
        };
        if size == 0 {
            return error(400, -1007, "Size value is not numeric or not greater than 0", None);
        }
        if !name.contains('.') {
            return error(415, -1004, "Missing file type", Some(name.clone()));
        }
        let id = format!("{:032x}", st.next_id());
        st.documents.insert(
            id.clone(),
            SandboxDocument {
                id: DocumentId::new(id.clone()),
                name: name.clone(),
                size,
                data: Bytes::new(),
                disposition: q.get("disposition").cloned().unwrap_or_else(|| "singleUse".into()),
                sharing: q.get("sharing").cloned().unwrap_or_else(|| "private".into()),
                uses: 0,
            },
        );
        created(self.location(&format!("outbound/documents/{id}")))
    }

    fn document_json(&self, d: &SandboxDocument) -> Value {
        let status = if d.data.is_empty() {
            "Created"
        } else if (d.data.len() as u64) < d.size {
            "PartiallyUploaded"
        } else {
            "Ready"
        };
        let now = now_text();
        json!({
            "userId": "sandbox", "fileName": d.name, "fileSize": d.size, "uploaded": d.data.len(),
            "uri": self.location(&format!("outbound/documents/{}", d.id)),
            "creationTime": now, "lastusageTime": now, "status": status,
            "disposition": pascal(&d.disposition), "sharing": pascal(&d.sharing),
        })
    }
}

fn pascal(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    d.strip_prefix("00").map(str::to_owned).unwrap_or(d)
}

fn upload_chunk(st: &mut State, req: &Request, id: &str) -> ResponseTemplate {
    let Some(doc) = st.documents.get_mut(id) else { return wrong_document() };
    let held = doc.data.len() as u64;
    if held == doc.size {
        return error(413, -1063, "Document already uploaded", None);
    }
    let range = header(req, "range").and_then(|r| r.strip_prefix("bytes=")).and_then(|r| {
        let (a, b) = r.split_once('-')?;
        Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?))
    });
    let Some((start, end)) = range else { return error(400, -1061, "Missing chunk", Some("no Range header".into())) };
    if start != held || end < start || end - start + 1 != req.body.len() as u64 || end >= doc.size {
        return error(400, -1061, "Missing chunk", Some(format!("expected bytes from {held}")));
    }
    let mut data = doc.data.to_vec();
    data.extend_from_slice(&req.body);
    doc.data = Bytes::from(data);
    let now = doc.data.len() as u64;
    let status = if now == doc.size { 200 } else { 202 };
    ResponseTemplate::new(status).insert_header("X-Content-Range", format!("bytes 0-{}/{}", now - 1, doc.size).as_str())
}

fn full_json(f: &OutFax) -> Value {
    let mut v = summary_json(f);
    let o = &f.fax.options;
    if let Value::Object(m) = &mut v {
        let extra = json!({
            "submitTime": f.submit_time, "contact": o.get("contact"), "destinationFax": format!("00{}", digits(&f.fax.fax_number)),
            "replyEmail": o.get("replyAddress").cloned().unwrap_or_default(), "subject": o.get("contact"),
            "pagesSubmitted": 1, "senderCSID": o.get("csid").cloned().unwrap_or_else(|| "Interfax".into()),
            "attemptsToPerform": o.get("retriesToPerform").and_then(|r| r.parse::<u32>().ok()).unwrap_or(4),
            "pageSize": pascal(o.get("pageSize").map_or("A4", String::as_str)),
            "resolution": pascal(o.get("resolution").map_or("Standard", String::as_str)),
            "pageResolution": pascal(o.get("resolution").map_or("Standard", String::as_str)),
            "pageOrientation": pascal(o.get("pageOrientation").map_or("Portrait", String::as_str)),
            "rendering": if o.get("rendering").is_some_and(|r| r.starts_with('g')) { "Fine" } else { "Standard" },
            "pageHeader": o.get("pageHeader").cloned().unwrap_or_else(|| "0".into()),
        });
        if let Value::Object(e) = extra {
            m.extend(e);
        }
    }
    v
}

fn summary_json(f: &OutFax) -> Value {
    let done = f.fax.status.0 >= 0;
    json!({
        "userId": f.user, "pagesSent": if f.fax.status.0 == 0 { 1 } else { 0 },
        "completionTime": f.completion_time, "remoteCSID": if done { "Interfax" } else { "" },
        "duration": if done { 41 } else { 0 }, "priority": 2,
        "units": exact("1.00"), "costPerUnit": exact("0.1500"),
        "attemptsMade": i32::from(done), "id": f.fax.id.0,
        "uri": f.uri, "status": f.fax.status.0,
    })
}

fn fax_record(st: &mut State, id: &str) -> ResponseTemplate {
    let Ok(n) = id.parse::<i64>() else { return not_found_fax(id) };
    if !st.outbound.contains_key(&n) {
        return not_found_fax(id);
    }
    if !st.poll_allowed(n) {
        return error(400, -1011, "Too many data requests", None);
    }
    st.advance(n);
    match st.outbound.get(&n) {
        Some(f) => json_reply(200, &full_json(f)),
        None => not_found_fax(id),
    }
}

fn completed(st: &mut State, q: &BTreeMap<String, String>) -> ResponseTemplate {
    let ids: Vec<i64> =
        q.get("ids").map(|s| s.split(',').filter_map(|i| i.trim().parse().ok()).collect()).unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        if !st.outbound.contains_key(&id) {
            continue;
        }
        if !st.poll_allowed(id) {
            return error(400, -1011, "Too many data requests", None);
        }
        st.advance(id);
        if let Some(f) = st.outbound.get(&id).filter(|f| f.fax.status.0 >= 0) {
            out.push(summary_json(f));
        }
    }
    json_reply(200, &Value::Array(out))
}

fn cancel_fax(st: &mut State, id: &str) -> ResponseTemplate {
    match st.outbound.get_mut(&id.parse().unwrap_or(0)) {
        Some(f) if f.fax.status.0 < 0 => {
            f.fax.status = FaxStatusCode::CANCELLED_NO_CREDIT;
            f.completion_time = Some(now_text());
            ResponseTemplate::new(200)
        }
        Some(_) => error(400, -1030, "Fax is not awaiting sending and cannot be cancelled", None),
        None => not_found_fax(id),
    }
}

/// Ids after `lastId` in the requested order.
fn by_last_id(mut ids: Vec<i64>, q: &BTreeMap<String, String>) -> Vec<i64> {
    let asc = q.get("sortOrder").is_some_and(|s| s.eq_ignore_ascii_case("asc"));
    ids.sort_unstable();
    if !asc {
        ids.reverse();
    }
    let last: Option<i64> = num(q, "lastId");
    let limit: usize = num(q, "limit").unwrap_or(25);
    ids.into_iter().filter(|i| last.is_none_or(|l| if asc { *i > l } else { *i < l })).take(limit).collect()
}

fn list_faxes(st: &State, q: &BTreeMap<String, String>) -> ResponseTemplate {
    let ids = st.outbound.values().filter(|f| !f.fax.hidden && f.fax.batch.is_none()).map(|f| f.fax.id.0).collect();
    let items: Vec<Value> = by_last_id(ids, q).iter().filter_map(|i| st.outbound.get(i)).map(full_json).collect();
    json_reply(200, &Value::Array(items))
}

fn search(st: &State, q: &BTreeMap<String, String>) -> ResponseTemplate {
    let ids: Option<Vec<i64>> = q.get("ids").map(|s| s.split(',').filter_map(|i| i.trim().parse().ok()).collect());
    let status = q.get("status").map(|s| s.to_ascii_lowercase());
    let mut items: Vec<&OutFax> = st
        .outbound
        .values()
        .filter(|f| !f.fax.hidden)
        .filter(|f| ids.as_ref().is_none_or(|ids| ids.contains(&f.fax.id.0)))
        .filter(|f| q.get("reference").is_none_or(|r| f.fax.options.get("reference") == Some(r)))
        // `submitTime` and `dateFrom`/`dateTo` are UTC ISO 8601: their first 19 characters compare as text.
        .filter(|f| q.get("dateFrom").is_none_or(|d| f.submit_time.as_str() >= d.get(..19).unwrap_or(d)))
        .filter(|f| q.get("dateTo").is_none_or(|d| f.submit_time.as_str() <= d.get(..19).unwrap_or(d)))
        .filter(|f| q.get("faxNumber").is_none_or(|n| digits(n) == digits(&f.fax.fax_number)))
        .filter(|f| {
            let s = f.fax.status.0;
            match status.as_deref() {
                None | Some("all") => true,
                Some("completed") => s >= 0,
                Some("success") => s == 0,
                Some("failed") => s > 0,
                Some("inprocess") => s < 0,
                Some(code) => code.parse::<i32>().is_ok_and(|c| c == s),
            }
        })
        .collect();
    if !q.get("sortOrder").is_some_and(|s| s.eq_ignore_ascii_case("asc")) {
        items.reverse();
    }
    let all: Vec<Value> = items.into_iter().map(full_json).collect();
    json_reply(200, &Value::Array(page(&all, num(q, "offset").unwrap_or(0), num(q, "limit").unwrap_or(25))))
}

fn batch_json(st: &State, b: &BatchRec, totals: bool) -> Value {
    let o = &b.options;
    let mut v = json!({
        "batchHeadId": b.id, "userId": st.username, "numOfTransactions": b.children.len(),
        "submitTime": b.submit_time, "replyEmail": o.get("replyAddress").cloned().unwrap_or_default(),
        "reference": o.get("reference"), "pagesSubmitted": b.pages,
        "senderCSID": o.get("csid").cloned().unwrap_or_else(|| "INTERFAX".into()),
        "pageSize": pascal(o.get("pageSize").map_or("A4", String::as_str)),
        "pageOrientation": pascal(o.get("pageOrientation").map_or("Portrait", String::as_str)),
        "pageResolution": pascal(o.get("resolution").map_or("Standard", String::as_str)),
        "renderingQuality": if o.get("rendering").is_some_and(|r| r.starts_with('g')) { "Fine" } else { "Standard" },
        "pageHeader": o.get("pageHeader").cloned().unwrap_or_else(|| "0".into()),
        "attemptsToPerform": 4,
    });
    if totals && let Value::Object(m) = &mut v {
        let statuses: Vec<i32> = b.children.iter().filter_map(|c| st.outbound.get(c)).map(|f| f.fax.status.0).collect();
        m.insert("totalOK".into(), json!(statuses.iter().filter(|s| **s == 0).count()));
        m.insert("totalFailed".into(), json!(statuses.iter().filter(|s| **s > 0).count()));
        m.insert("totalInProcess".into(), json!(statuses.iter().filter(|s| **s < 0).count()));
    }
    v
}

fn list_batches(st: &State, q: &BTreeMap<String, String>) -> ResponseTemplate {
    let ids = st.batches.keys().copied().collect();
    let items: Vec<Value> =
        by_last_id(ids, q).iter().filter_map(|i| st.batches.get(i)).map(|b| batch_json(st, b, false)).collect();
    json_reply(200, &Value::Array(items))
}

fn inbound_json(st: &State, f: &super::state::InFax) -> Value {
    json!({
        "userId": st.username, "messageId": f.id, "phoneNumber": f.to, "remoteCSID": f.from,
        "messageStatus": 0, "pages": 1, "messageSize": f.bytes.len(), "messageType": 1,
        "receiveTime": f.receive_time, "callerId": f.from, "recordingDuration": 30,
        "imageStatus": if f.read { "READ" } else { "UNREAD" },
        "numOfEmails": f.emails.len(), "numOfFailedEmails": 0,
    })
}

fn list_inbound(st: &State, q: &BTreeMap<String, String>) -> ResponseTemplate {
    let unread_only = q.get("unreadOnly").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let last: Option<i64> = num(q, "lastId");
    let limit: usize = num(q, "limit").unwrap_or(25);
    let items: Vec<Value> = st
        .inbound
        .values()
        .rev()
        .filter(|f| !unread_only || !f.read)
        .filter(|f| last.is_none_or(|l| f.id < l))
        .take(limit)
        .map(|f| inbound_json(st, f))
        .collect();
    json_reply(200, &Value::Array(items))
}

/// One part of a multipart body.
struct Part {
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl Part {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }

    fn file_name(&self) -> Option<String> {
        let cd = self.header("content-disposition")?;
        let start = cd.find("filename=\"")? + 10;
        let rest = cd.get(start..)?;
        rest.find('"').and_then(|end| rest.get(..end)).map(str::to_owned)
    }
}

fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delim = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let Some(mut pos) = find(body, &delim, 0) else { return parts };
    loop {
        let after = pos + delim.len();
        if body.get(after..after + 2) == Some(b"--") {
            break;
        }
        let Some(head_end) = find(body, b"\r\n\r\n", after) else { break };
        let head = String::from_utf8_lossy(body.get(after..head_end).unwrap_or_default()).into_owned();
        let content_start = head_end + 4;
        let Some(next) = find(body, &delim, content_start) else { break };
        let content_end = next.saturating_sub(2).max(content_start);
        let headers = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
            .collect();
        parts.push(Part {
            headers,
            body: Bytes::copy_from_slice(body.get(content_start..content_end).unwrap_or_default()),
        });
        pos = next;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Location: https://x/y\r\n\r\n\r\n--xyz--\r\n";
        let parts = parse_multipart(body, "xyz");
        assert_eq!(parts.len(), 2);
        assert_eq!(&parts[0].body[..], b"%PDF");
        assert_eq!(parts[0].file_name().as_deref(), Some("a.pdf"));
        assert_eq!(parts[1].header("content-location").as_deref(), Some("https://x/y"));
        assert!(parts[1].body.is_empty());
    }
}
