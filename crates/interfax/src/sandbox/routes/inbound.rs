//! Inbound faxes: list, read, image, emails, mark read/unread, resend by email.

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::state::{InFax, State};
use super::{Query, json_reply, not_found_fax, num, ok_true};

/// `inbound/faxes…`.
pub(super) fn route(st: &mut State, req: &Request, seg: &[&str], q: &Query) -> Option<ResponseTemplate> {
    Some(match (req.method.as_str(), seg) {
        ("GET", ["inbound", "faxes"]) => list_inbound(st, q),
        ("GET", ["inbound", "faxes", id]) => match st.inbound.get(&id.parse().unwrap_or(0)) {
            Some(f) => json_reply(200, &inbound_json(st, f)),
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
        _ => return None,
    })
}

fn inbound_json(st: &State, f: &InFax) -> Value {
    json!({
        "userId": st.username, "messageId": f.id, "phoneNumber": f.to, "remoteCSID": f.from,
        "messageStatus": 0, "pages": 1, "messageSize": f.bytes.len(), "messageType": 1,
        "receiveTime": f.receive_time, "callerId": f.from, "recordingDuration": 30,
        "imageStatus": if f.read { "READ" } else { "UNREAD" },
        "numOfEmails": f.emails.len(), "numOfFailedEmails": 0,
    })
}

fn list_inbound(st: &State, q: &Query) -> ResponseTemplate {
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
