//! The `ApiResult<T>` envelope every WestFax method answers with, decoded in one place.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned};
use serde_json::Value;

use crate::error::ApiError;
use crate::wire;

/// The envelope of every answer (`ApiResult<T>` in JSON, `ApiResultOf…` in XML): `Success`, `ErrorString`,
/// `InfoString` and the method's `Result`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ApiResult<T> {
    /// Whether the call worked.
    #[serde(default)]
    pub success: bool,
    /// The error code when it did not.
    pub error_string: Option<String>,
    /// Extra human-readable text.
    pub info_string: Option<String>,
    /// `Result`: the method's answer (a job id, a list, an item …); `None` when the call failed or returns nothing.
    pub result: Option<T>,
}

/// Checks `Success` and decodes `Result` as `T`. `Success=false` is an error whatever the HTTP status; a body
/// without `Success` (the HTTP 500 `{"ErrorString":…,"InfoString":…}` bodies) is an error too.
pub(crate) fn unwrap<T: DeserializeOwned>(tree: Value, http_status: u16) -> faxkit::Result<T> {
    let Some(members) = tree
        .as_object()
        .filter(|m| m.keys().any(|k| k.eq_ignore_ascii_case("Success") || k.eq_ignore_ascii_case("ErrorString")))
    else {
        let excerpt = tree.to_string();
        return Err(faxkit::Error::decode(crate::VENDOR, "not an ApiResult envelope", excerpt.as_bytes(), None));
    };
    // The head first (`Result` is skipped, not copied), then `Result` straight from the tree.
    let head: ApiResult<de::IgnoredAny> = wire::decode(&tree, "ApiResult envelope")?;
    if !head.success || !(200..300).contains(&http_status) {
        return Err(ApiError::new(head.error_string, head.info_string, http_status).into());
    }
    let result = members.iter().find(|(k, _)| k.eq_ignore_ascii_case("Result")).map_or(&Value::Null, |(_, v)| v);
    wire::decode(result, "Result")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn success_false_on_200_is_an_error() {
        let tree =
            json!({"Success": false, "ErrorString": "Authorization_Failed_BadUsernamePassword", "InfoString": ""});
        let err = unwrap::<String>(tree, 200).unwrap_err();
        assert_eq!(err.kind(), faxkit::ErrorKind::Auth);
    }

    #[test]
    fn http_500_json_without_success_is_a_vendor_error() {
        let tree = json!({"ErrorString": "Api_Failed_", "InfoString": "Timespan is more than 32 days"});
        let err = unwrap::<Value>(tree, 500).unwrap_err();
        assert_eq!(err.vendor_code(), Some("Api_Failed_"));
        assert_eq!(err.status(), Some(500));
    }

    #[test]
    fn a_page_that_is_not_an_envelope_is_a_decode_error() {
        let err = unwrap::<Value>(json!({"body": {"h1": "502 Bad Gateway"}}), 200).unwrap_err();
        assert_eq!(err.kind(), faxkit::ErrorKind::Decode);
    }

    #[test]
    fn a_result_of_the_wrong_shape_is_a_decode_error_quoting_it() {
        let tree = json!({"success": "True", "result": {"FaxId": "not-a-list"}});
        let err = unwrap::<Vec<u64>>(tree, 200).unwrap_err();
        let faxkit::Error::Decode { message, excerpt, .. } = err else { panic!("expected a decode error: {err:?}") };
        assert_eq!(message, "unexpected Result");
        assert_eq!(excerpt, r#"{"FaxId":"not-a-list"}"#);
    }

    #[test]
    fn result_is_decoded() {
        let tree = json!({"Success": true, "Result": "6b98617b-932c-46d7-8800-a5325640c91b"});
        assert_eq!(unwrap::<String>(tree, 200).unwrap(), "6b98617b-932c-46d7-8800-a5325640c91b");
    }
}
