//! Outbound faxes: send, resend, status reads (one step per read), listing, search, cancel, hide, image.

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::state::{OutFax, SentDocument, SentFax, State, now_text};
use super::{
    Query, Router, TIFF_IMAGE, by_last_id, created, digits, error, exact, json_reply, not_found_fax, num, page, pascal,
};
use crate::model::common::{BatchId, FaxStatusCode, OutboundFaxId};
use std::collections::BTreeMap;

impl Router {
    /// `outbound/faxes…` and `outbound/search`.
    pub(super) fn route_faxes(
        &self,
        st: &mut State,
        req: &Request,
        seg: &[&str],
        q: &Query,
    ) -> Option<ResponseTemplate> {
        Some(match (req.method.as_str(), seg) {
            ("POST", ["outbound", "faxes"]) => self.send_fax(st, req, q),
            ("GET", ["outbound", "faxes"]) => list_faxes(st, q),
            ("GET", ["outbound", "faxes", "completed"]) => completed(st, q),
            ("GET", ["outbound", "faxes", id]) => fax_record(st, id),
            ("GET", ["outbound", "faxes", id, "image"]) => {
                match id.parse::<i64>().ok().filter(|i| st.outbound.contains_key(i)) {
                    Some(_) => ResponseTemplate::new(200).set_body_raw(TIFF_IMAGE.to_vec(), "image/tiff"),
                    None => not_found_fax(id),
                }
            }
            ("POST", ["outbound", "faxes", id, "cancel"]) => cancel_fax(st, id),
            ("POST", ["outbound", "faxes", id, "resend"]) => self.resend_fax(st, id, q),
            ("POST", ["outbound", "faxes", id, "hide"]) => match st.outbound.get_mut(&id.parse().unwrap_or(0)) {
                Some(f) => {
                    f.fax.hidden = true;
                    ResponseTemplate::new(200)
                }
                None => not_found_fax(id),
            },
            ("GET", ["outbound", "search"]) => search(st, q),
            _ => return None,
        })
    }

    pub(super) fn new_fax(
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

    fn send_fax(&self, st: &mut State, req: &Request, q: &Query) -> ResponseTemplate {
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

    fn resend_fax(&self, st: &mut State, id: &str, q: &Query) -> ResponseTemplate {
        let Some(orig) = st.outbound.get(&id.parse().unwrap_or(0)).cloned() else { return not_found_fax(id) };
        let number = q.get("faxNumber").cloned().unwrap_or(orig.fax.fax_number);
        let new = self.new_fax(st, number, orig.fax.options, orig.fax.documents, None);
        created(self.location(&format!("outbound/faxes/{new}")))
    }
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

pub(super) fn summary_json(f: &OutFax) -> Value {
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

fn completed(st: &mut State, q: &Query) -> ResponseTemplate {
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

fn list_faxes(st: &State, q: &Query) -> ResponseTemplate {
    let ids = st.outbound.values().filter(|f| !f.fax.hidden && f.fax.batch.is_none()).map(|f| f.fax.id.0).collect();
    let items: Vec<Value> = by_last_id(ids, q).iter().filter_map(|i| st.outbound.get(i)).map(full_json).collect();
    json_reply(200, &Value::Array(items))
}

fn search(st: &State, q: &Query) -> ResponseTemplate {
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
