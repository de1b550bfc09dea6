//! The sandbox's routes: Fax4A at `rest/v1/` (HA) and `dc1/rest/v1/`, `dc2/rest/v1/` (data centers),
//! Fax2WSPull at `faxin/rest/v1/`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::state::{Report, SentDocument, SentFax, State};
use super::{CUSTOMER_NUMBER, PASSWORD, USERNAME};
use crate::model::pull::percent_decode;

pub(crate) struct Router {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) base: String,
}

fn empty(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn basic_auth(req: &Request) -> Option<(String, String)> {
    let header = req.headers.get("authorization")?.to_str().ok()?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = faxkit::base64::decode("sandbox", encoded.trim().as_bytes()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (u, p) = text.split_once(':')?;
    Some((u.to_owned(), p.to_owned()))
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let Ok(mut state) = self.state.lock() else {
            return empty(500);
        };
        let segments: Vec<String> =
            req.url.path_segments().map(|s| s.map(percent_decode).collect()).unwrap_or_default();
        let segs: Vec<&str> = segments.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        let method = req.method.as_str();
        match segs.as_slice() {
            ["faxin", "rest", "v1", rest @ ..] => {
                if basic_auth(req) != Some((CUSTOMER_NUMBER.to_owned(), PASSWORD.to_owned())) {
                    return empty(401);
                }
                pull(&mut state, &self.base, method, rest, req)
            }
            ["rest", "v1", rest @ ..] => fax4a(&mut state, None, method, rest, req),
            [dc, "rest", "v1", rest @ ..] => match dc.strip_prefix("dc").and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n >= 1 && n <= state.data_centers.len() => fax4a(&mut state, Some(n - 1), method, rest, req),
                _ => empty(404),
            },
            _ => empty(404),
        }
    }
}

fn fax4a(state: &mut State, dc: Option<usize>, method: &str, rest: &[&str], req: &Request) -> ResponseTemplate {
    if let Some(i) = dc
        && state.data_centers.get(i).is_some_and(|d| d.down)
    {
        return empty(503);
    }
    if basic_auth(req) != Some((USERNAME.to_owned(), PASSWORD.to_owned())) {
        return empty(401);
    }
    let Some((cuno, rest)) = rest.split_first() else { return empty(404) };
    if *cuno != CUSTOMER_NUMBER {
        return empty(403);
    }
    // Reads and deletes through the HA URL see only the first data center: Retarus calls such results
    // "inconsistent"; the client never does this.
    let read_dc = dc.unwrap_or(0);
    match (method, rest) {
        ("POST", ["fax"]) => send(state, dc, &req.body),
        ("GET", ["fax", "reports"]) => {
            let reports: Vec<Value> =
                state.data_centers[read_dc].reports.iter_mut().take(1000).map(Report::read).collect();
            json_response(200, &json!({ "reports": reports }))
        }
        ("DELETE", ["fax", "reports"]) => {
            let reports = &mut state.data_centers[read_dc].reports;
            let n = reports.len().min(1000);
            let deleted: Vec<Value> =
                reports.drain(..n).map(|r| json!({ "jobId": r.job_id, "deleted": true })).collect();
            json_response(200, &json!({ "reports": deleted }))
        }
        ("POST", ["fax", "reports"]) => bulk(state, read_dc, &req.body),
        ("GET", ["fax", "reports", id]) => {
            match state.data_centers[read_dc].reports.iter_mut().find(|r| r.job_id == *id) {
                Some(r) => json_response(200, &r.read()),
                None => empty(404),
            }
        }
        ("DELETE", ["fax", "reports", id]) => {
            let reports = &mut state.data_centers[read_dc].reports;
            match reports.iter().position(|r| r.job_id == *id) {
                Some(pos) => {
                    reports.remove(pos);
                    json_response(200, &json!({ "jobId": id, "deleted": true }))
                }
                // The Swagger documents 400 "Status report not available" for this case.
                None => empty(400),
            }
        }
        _ => empty(404),
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn send(state: &mut State, dc: Option<usize>, body: &[u8]) -> ResponseTemplate {
    if let Some(status) = state.fail_next_send.take() {
        return empty(status);
    }
    let Ok(mut request) = serde_json::from_slice::<Value>(body) else { return empty(400) };
    let recipients: Vec<Value> = request.get("recipients").and_then(Value::as_array).cloned().unwrap_or_default();
    if recipients.is_empty()
        || recipients.iter().any(|r| r.get("number").and_then(Value::as_str).is_none_or(str::is_empty))
    {
        return empty(400);
    }
    let mut documents = Vec::new();
    if let Some(docs) = request.get_mut("documents").and_then(Value::as_array_mut) {
        for doc in docs {
            let name = doc.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
            if !valid_name(&name) {
                return empty(400);
            }
            let reference = doc.get("reference").and_then(Value::as_str).map(str::to_owned);
            let data = match doc.get("data").and_then(Value::as_str) {
                Some(d) => match faxkit::base64::decode("sandbox", d.as_bytes()) {
                    Ok(bytes) => Some(Bytes::from(bytes)),
                    Err(_) => return empty(400),
                },
                None => None,
            };
            if data.is_none() && reference.is_none() {
                return empty(400);
            }
            if let (Some(d), Some(obj)) = (&data, doc.as_object_mut()) {
                obj.insert("data".into(), json!(format!("<{} bytes>", d.len())));
            }
            documents.push(SentDocument { name, data, reference });
        }
    }
    let cover = request.pointer("/renderingOptions/coverpageTemplate").and_then(Value::as_str).is_some();
    if documents.is_empty() && !cover {
        return empty(400);
    }
    if let Some(start) = request.pointer("/meta/jobValid/start").and_then(Value::as_str)
        && start.parse::<jiff::Timestamp>().is_err()
    {
        return empty(400);
    }
    if state.reject_duplicates && state.sent_bodies.iter().any(|b| b == body) {
        return empty(409);
    }
    let Some(target) = dc.or_else(|| state.pick_data_center()) else { return empty(503) };
    state.job_seq += 1;
    let job_id = format!("FJSBX{:017}", state.job_seq);
    let finals = recipients
        .iter()
        .map(|r| {
            let digits: String = r
                .get("number")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if digits.ends_with("666") { "BUSY" } else { "OK" }
        })
        .collect();
    state.data_centers[target].reports.push(Report {
        job_id: job_id.clone(),
        recipients: recipients.clone(),
        finals,
        pages: documents.len().max(1) as u64,
        reference: request.get("reference").cloned().unwrap_or(Value::Null),
        reads: 0,
    });
    state.sent.push(SentFax {
        job_id: job_id.clone(),
        data_center: state.data_centers[target].name.clone(),
        recipients: recipients
            .iter()
            .filter_map(|r| r.get("number").and_then(Value::as_str).map(str::to_owned))
            .collect(),
        documents,
        request,
    });
    state.sent_bodies.push(body.to_vec());
    json_response(200, &json!({ "jobId": job_id }))
}

fn bulk(state: &mut State, dc: usize, body: &[u8]) -> ResponseTemplate {
    let Ok(request) = serde_json::from_slice::<Value>(body) else { return empty(400) };
    let action = request.get("action").and_then(Value::as_str).unwrap_or_default().to_ascii_uppercase();
    let ids: Vec<String> = request
        .get("jobIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if ids.len() > 1000 {
        return empty(400);
    }
    let reports = &mut state.data_centers[dc].reports;
    let out: Vec<Value> = match action.as_str() {
        "GET" => ids.iter().filter_map(|id| reports.iter_mut().find(|r| &r.job_id == id).map(Report::read)).collect(),
        "DELETE" => ids
            .iter()
            .map(|id| match reports.iter().position(|r| &r.job_id == id) {
                Some(pos) => {
                    reports.remove(pos);
                    json!({ "jobId": id, "deleted": true })
                }
                None => json!({ "jobId": id, "deleted": false, "reason": "NOT_FOUND" }),
            })
            .collect(),
        _ => return empty(400),
    };
    json_response(200, &json!({ "reports": out }))
}

fn pull(state: &mut State, base: &str, method: &str, rest: &[&str], req: &Request) -> ResponseTemplate {
    match (method, rest) {
        ("POST", ["topics", topic]) => {
            let mut fetch = 10u64;
            let mut timeout = 60u64;
            let mut ids: Vec<String> = Vec::new();
            for (k, v) in req.url.query_pairs() {
                match k.as_ref() {
                    "fetch" => match v.parse() {
                        Ok(n) => fetch = n,
                        Err(_) => return empty(400),
                    },
                    "timeout" => match v.parse() {
                        Ok(n) => timeout = n,
                        Err(_) => return empty(400),
                    },
                    "ids" => ids.extend(v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)),
                    _ => {}
                }
            }
            let now = state.now();
            for id in &ids {
                if let Some(job) = id.parse::<u64>().ok().and_then(|n| state.inbound.get_mut(&n))
                    && job.topic == *topic
                {
                    job.acked = true;
                    job.acks += 1;
                }
            }
            let lock_until = now + Duration::from_secs(timeout);
            let mut results = Vec::new();
            for job in state.inbound.values_mut() {
                if results.len() as u64 >= fetch {
                    break;
                }
                let locked = job.locked_until.is_some_and(|t| t > now);
                if job.topic == *topic && !job.acked && !locked {
                    job.locked_until = Some(lock_until);
                    job.deliveries += 1;
                    results.push(job.to_json(base));
                }
            }
            let result_ids: Vec<String> =
                results.iter().filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned)).collect();
            let link = |n: u64| {
                let mut url = format!("{base}faxin/rest/v1/topics/{topic}?fetch={n}&timeout={timeout}");
                if !result_ids.is_empty() {
                    url.push_str("&ids=");
                    url.push_str(&result_ids.join("%2C"));
                }
                url
            };
            json_response(
                200,
                &json!({
                    "meta": {
                        "version": 1,
                        "next": link(fetch),
                        "exit": link(0),
                        "topic": topic,
                        "resultSize": results.len(),
                        "parameters": { "fetch": fetch, "timeout": timeout, "ids": ids.join(",") },
                    },
                    "results": results,
                }),
            )
        }
        ("GET", ["files", name]) => match state.inbound.values_mut().find(|j| j.file_name() == *name) {
            Some(job) => {
                job.downloads = job.downloads.saturating_add(1);
                ResponseTemplate::new(200).set_body_raw(job.document.to_vec(), "application/pdf")
            }
            None => empty(404),
        },
        _ => empty(404),
    }
}
