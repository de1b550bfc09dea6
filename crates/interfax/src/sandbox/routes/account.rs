//! The account balance, the test and help routes, and `GET {group}/test`.

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::state::State;
use super::{Query, error, json_reply, num};

/// Balance, `tests/…`, media types, and `GET {group}/test` under any group.
pub(super) fn route(st: &mut State, req: &Request, seg: &[&str], q: &Query) -> Option<ResponseTemplate> {
    Some(match (req.method.as_str(), seg) {
        ("GET", ["accounts", "self", "ppcards", "balance"]) => {
            ResponseTemplate::new(200).set_body_raw(st.balance.clone().into_bytes(), "text/json")
        }
        ("GET", ["tests", "date"]) => json_reply(200, &json!({"input": q.get("d"), "gmt": q.get("d")})),
        ("GET", ["tests", "error"]) => {
            let code = num::<i64>(q, "applicationStatus").unwrap_or(-150);
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
        _ => return None,
    })
}
