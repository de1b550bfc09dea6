//! Batches: send to a list, resend, read, list, children, cancel.

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::state::{BatchRec, SentDocument, State, now_text};
use super::faxes::summary_json;
use super::{Query, Router, by_last_id, created, digits, error, json_reply, not_found_fax, num, page, pascal};
use crate::model::common::FaxStatusCode;
use std::collections::BTreeMap;

impl Router {
    /// `outbound/batches…`.
    pub(super) fn route_batches(
        &self,
        st: &mut State,
        req: &Request,
        seg: &[&str],
        q: &Query,
    ) -> Option<ResponseTemplate> {
        Some(match (req.method.as_str(), seg) {
            ("POST", ["outbound", "batches"]) => self.send_batch(st, req, q),
            ("GET", ["outbound", "batches"]) => list_batches(st, q),
            ("GET", ["outbound", "batches", id]) => match st.batches.get(&id.parse().unwrap_or(0)) {
                Some(b) => json_reply(200, &batch_json(st, b, true)),
                None => not_found_fax(id),
            },
            ("GET", ["outbound", "batches", id, "children"]) => match st.batches.get(&id.parse().unwrap_or(0)) {
                Some(b) => {
                    let all: Vec<Value> =
                        b.children.iter().filter_map(|c| st.outbound.get(c)).map(summary_json).collect();
                    json_reply(
                        200,
                        &Value::Array(page(&all, num(q, "offset").unwrap_or(0), num(q, "limit").unwrap_or(25))),
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
            ("POST", ["outbound", "batches", id, "resend"]) => self.resend_batch(st, id, q),
            _ => return None,
        })
    }

    fn send_batch(&self, st: &mut State, req: &Request, q: &Query) -> ResponseTemplate {
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

    fn resend_batch(&self, st: &mut State, id: &str, q: &Query) -> ResponseTemplate {
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

fn list_batches(st: &State, q: &Query) -> ResponseTemplate {
    let ids = st.batches.keys().copied().collect();
    let items: Vec<Value> =
        by_last_id(ids, q).iter().filter_map(|i| st.batches.get(i)).map(|b| batch_json(st, b, false)).collect();
    json_reply(200, &Value::Array(items))
}
