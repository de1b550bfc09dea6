//! The WestFax error detail and its mapping into [`faxkit::Error`].
//!
//! WestFax reports failures in the `ApiResult` envelope (`Success=false`, a machine code in `ErrorString`, the
//! human text in `InfoString`), usually with HTTP 200 and sometimes with HTTP 500 (the `Fax_GetFaxDescriptions`
//! answer to a span over 32 days, say). The SOAP transports can also answer with a SOAP Fault.
//! `from_response` (crate-internal) reads either out of an error answer, whatever the transport.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::VENDOR;
use crate::wire::{self, SoapReply};

/// An error the WestFax API reported in its `ApiResult` envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// The machine-readable code, e.g. `Authorization_Failed_BadUsernamePassword` or `Api_Failed_`.
    pub error_string: Option<String>,
    /// The human-readable text, e.g. `Timespan is more than 32 days`.
    pub info_string: Option<String>,
    /// The HTTP status the envelope arrived with (200 for in-band errors).
    pub http_status: u16,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.error_string.as_deref().unwrap_or("Success=false");
        match self.info_string.as_deref().filter(|s| !s.is_empty()) {
            Some(info) => write!(f, "{code}: {info}"),
            None => f.write_str(code),
        }
    }
}

impl ApiError {
    /// Builds the detail from the envelope's strings.
    pub fn new(error_string: Option<String>, info_string: Option<String>, http_status: u16) -> Self {
        ApiError { error_string, info_string, http_status }
    }

    fn code_lower(&self) -> String {
        self.error_string.as_deref().unwrap_or_default().to_ascii_lowercase().replace('_', "")
    }

    /// Whether the code says the credentials were refused (`Authorization_Failed_…`, `…BadUsernamePassword`).
    pub fn is_auth(&self) -> bool {
        let c = self.code_lower();
        c.contains("authoriz") || c.contains("authentic") || c.contains("badusernamepassword")
    }

    /// Whether the code says a stateful session is gone (`…Session…Expired`, `…InvalidSession…`); the client
    /// then signs in again and repeats the call once. The vendor does not document this code, so the test
    /// is loose.
    pub fn is_session_expired(&self) -> bool {
        let c = self.code_lower();
        c.contains("session") && (c.contains("expired") || c.contains("invalid") || c.contains("notfound"))
    }

    /// Whether the code says the object does not exist (`…NotFound…`).
    pub fn is_not_found(&self) -> bool {
        self.code_lower().contains("notfound")
    }

    /// Reads `ErrorString` and `InfoString` out of an `ApiResult` tree (names matched ignoring case).
    ///
    /// # Errors
    /// [`faxkit::Error::Decode`] when they are not text.
    pub(crate) fn from_tree(tree: &Value, http_status: u16) -> faxkit::Result<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Strings {
            error_string: Option<String>,
            info_string: Option<String>,
        }
        let s: Strings = wire::decode(tree, "ApiResult envelope")?;
        Ok(ApiError::new(s.error_string, s.info_string, http_status))
    }
}

/// Whether a tree is an `ApiResult` envelope: it has `Success` or `ErrorString` (any case).
pub(crate) fn is_envelope(tree: &Value) -> bool {
    tree.as_object()
        .is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case("ErrorString") || k.eq_ignore_ascii_case("Success")))
}

/// The error mapper: the vendor's error in the body of an answer with error status `status`, whatever the
/// transport: a SOAP Fault ([`SoapFault`]), or an `ApiResult` envelope in JSON, XML or inside a SOAP reply
/// ([`ApiError`]). `None` when the body is neither (an HTML error page, say); the caller then maps the status.
pub(crate) fn from_response(status: u16, body: &[u8]) -> Option<faxkit::Error> {
    let trimmed = body.trim_ascii_start();
    let tree = match trimmed.first()? {
        b'{' => serde_json::from_slice::<Value>(trimmed).ok()?,
        b'<' => {
            let (root, tree) = wire::xml_to_value(trimmed).ok()?;
            match wire::soap_reply(&root, &tree) {
                Ok(SoapReply::Fault(fault)) => return Some(SoapFault::from_tree(fault, status).into()),
                Ok(SoapReply::Result(result)) => result.clone(),
                Err(_) => tree,
            }
        }
        _ => return None,
    };
    is_envelope(&tree).then(|| ApiError::from_tree(&tree, status).map_or_else(|e| e, faxkit::Error::from))
}

impl From<ApiError> for faxkit::Error {
    fn from(e: ApiError) -> Self {
        let code = e.error_string.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "Success=false".to_owned());
        let message = e.info_string.clone().unwrap_or_default();
        if e.is_session_expired() || e.is_auth() {
            return faxkit::Error::Auth { vendor: VENDOR, status: e.http_status, message: e.to_string() };
        }
        if e.is_not_found() {
            return faxkit::Error::NotFound { vendor: VENDOR, message: e.to_string() };
        }
        faxkit::Error::from_vendor(VENDOR, e.http_status, code, message, Some(Box::new(e)))
    }
}

/// A SOAP Fault (SOAP 1.1 `faultcode`/`faultstring`, SOAP 1.2 `Code/Value`/`Reason/Text`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SOAP fault {code}: {reason}")]
#[non_exhaustive]
pub struct SoapFault {
    /// `soap:Client`, `soap:Server` (1.1) or `soap:Sender`, `soap:Receiver` (1.2).
    pub code: String,
    /// The fault text.
    pub reason: String,
    /// The HTTP status (ASMX answers faults with 500).
    pub http_status: u16,
}

impl SoapFault {
    /// Reads a SOAP 1.1 (`faultcode`, `faultstring`) or 1.2 (`Code/Value`, `Reason/Text`) `Fault` element.
    pub(crate) fn from_tree(fault: &Value, http_status: u16) -> Self {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        let code = text(
            wire::member(fault, "faultcode")
                .or_else(|| wire::member(fault, "Code").and_then(|c| wire::member(c, "Value"))),
        );
        let reason = match wire::member(fault, "faultstring") {
            Some(v) => text(Some(v)),
            None => text(wire::member(fault, "Reason").and_then(|r| wire::member(r, "Text"))),
        };
        SoapFault { code, reason, http_status }
    }
}

impl From<SoapFault> for faxkit::Error {
    fn from(f: SoapFault) -> Self {
        let client_side = f.code.ends_with("Client") || f.code.ends_with("Sender");
        let status = if client_side && f.http_status == 500 { 400 } else { f.http_status };
        faxkit::Error::Vendor {
            vendor: VENDOR,
            status,
            code: f.code.clone(),
            message: f.reason.clone(),
            detail: Some(Box::new(f)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_codes_map_to_auth_and_others_keep_the_detail() {
        let auth = ApiError::new(Some("Authorization_Failed_BadUsernamePassword".into()), None, 200);
        assert_eq!(faxkit::Error::from(auth).kind(), faxkit::ErrorKind::Auth);
        let other = ApiError::new(Some("Api_Failed_".into()), Some("Timespan is more than 32 days".into()), 500);
        let err = faxkit::Error::from(other.clone());
        assert_eq!(err.kind(), faxkit::ErrorKind::Vendor);
        assert_eq!(err.vendor_code(), Some("Api_Failed_"));
        assert_eq!(err.vendor_detail::<ApiError>(), Some(&other));
        assert!(err.to_string().contains("Timespan is more than 32 days"));
    }

    #[test]
    fn faults_of_both_versions_are_read() {
        let v11 = br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server was unable to read request.</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
        let err = from_response(500, v11).unwrap();
        let f = err.vendor_detail::<SoapFault>().unwrap();
        assert_eq!((f.code.as_str(), f.reason.as_str()), ("soap:Client", "Server was unable to read request."));
        assert_eq!(err.status(), Some(400), "a client fault answered with 500 is the caller's");
        let v12 = br#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">boom</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#;
        let err = from_response(500, v12).unwrap();
        let f = err.vendor_detail::<SoapFault>().unwrap();
        assert_eq!((f.code.as_str(), f.reason.as_str()), ("soap:Receiver", "boom"));
    }

    #[test]
    fn envelopes_in_every_encoding_and_pages_that_are_none() {
        let json = br#" {"ErrorString":"Api_Failed_","InfoString":"Timespan is more than 32 days"}"#;
        assert_eq!(from_response(500, json).unwrap().vendor_code(), Some("Api_Failed_"));
        let xml =
            b"<ApiResultOfString><Success>false</Success><ErrorString>Api_Failed_</ErrorString></ApiResultOfString>";
        assert_eq!(from_response(500, xml).unwrap().vendor_code(), Some("Api_Failed_"));
        let soap = br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><XResponse><XResult><Success>false</Success><ErrorString>Api_Failed_</ErrorString></XResult></XResponse></soap:Body></soap:Envelope>"#;
        assert_eq!(from_response(500, soap).unwrap().vendor_code(), Some("Api_Failed_"));
        assert!(from_response(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>").is_none());
        assert!(from_response(502, b"Bad Gateway").is_none());
    }
}
