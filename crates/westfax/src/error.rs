//! The WestFax error detail and its mapping into [`faxkit::Error`].
//!
//! WestFax reports failures in the `ApiResult` envelope (`Success=false`, a machine code in `ErrorString`, the
//! human text in `InfoString`), usually with HTTP 200 and sometimes with HTTP 500 (reference §3.3). The SOAP
//! transports can also answer with a SOAP Fault.

use std::fmt;

use crate::VENDOR;

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
    /// then signs in again and repeats the call once. The vendor's code is not documented (reference §15 q4).
    pub fn is_session_expired(&self) -> bool {
        let c = self.code_lower();
        c.contains("session") && (c.contains("expired") || c.contains("invalid") || c.contains("notfound"))
    }

    /// Whether the code says the object does not exist (`…NotFound…`).
    pub fn is_not_found(&self) -> bool {
        self.code_lower().contains("notfound")
    }
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
}
