//! The sandbox's HTTP surface: InterFAX's paths, query parameters, headers and bodies, as recorded.
//!
//! [`Router`] checks authentication and a pending fault, then hands the call to the route group of its
//! resource: outbound faxes and search (`faxes`), batches, uploaded documents, inbound faxes, and the account
//! and test routes (`account`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use faxkit::sandbox::lock;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::state::{Fault, State};

mod account;
mod batches;
mod documents;
mod faxes;
mod inbound;
mod multipart;

/// A minimal TIFF header: what the sandbox returns as an outbound fax image.
pub(crate) const TIFF_IMAGE: &[u8] = b"II*\0\x08\0\0\0\0\0\0\0";

pub(crate) struct Router {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) base: String,
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

/// The query parameters of a call.
type Query = BTreeMap<String, String>;

fn query(req: &Request) -> Query {
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
        let (st, q) = (&mut *st, query(req));
        match seg.as_slice() {
            ["outbound", "faxes", ..] | ["outbound", "search"] => self.route_faxes(st, req, &seg, &q),
            ["outbound", "batches", ..] => self.route_batches(st, req, &seg, &q),
            ["outbound", "documents", ..] => self.route_documents(st, req, &seg, &q),
            ["inbound", ..] => inbound::route(st, req, &seg, &q),
            _ => None,
        }
        .or_else(|| account::route(st, req, &seg, &q))
        .unwrap_or_else(|| ResponseTemplate::new(404))
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
}

fn pascal(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    d.strip_prefix("00").map(str::to_owned).unwrap_or(d)
}

/// Ids after `lastId` in the requested order.
fn by_last_id(mut ids: Vec<i64>, q: &Query) -> Vec<i64> {
    let asc = q.get("sortOrder").is_some_and(|s| s.eq_ignore_ascii_case("asc"));
    ids.sort_unstable();
    if !asc {
        ids.reverse();
    }
    let last: Option<i64> = num(q, "lastId");
    let limit: usize = num(q, "limit").unwrap_or(25);
    ids.into_iter().filter(|i| last.is_none_or(|l| if asc { *i > l } else { *i < l })).take(limit).collect()
}
