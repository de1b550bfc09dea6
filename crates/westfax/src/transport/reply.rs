//! The decoding half of the transports: sending an encoded request through faxkit's one request path and
//! reading the answer, whatever the wire (decompression, `ApiResult` envelope, SOAP unwrap, SOAP faults,
//! `ErrorString` on error statuses, ambiguous outcomes of sends).

use faxkit::http::{NoAuth, Request};
use faxkit::{ByteStream, HttpClient, Idempotency, Secret};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ResponseFormat;
use crate::VENDOR;
use crate::error::SoapFault;
use crate::wire::{self, SoapReply};

/// The cookie ASP.NET keeps the session in.
pub(crate) const COOKIE_NAME: &str = "ASP.NET_SessionId";

/// An answer whose body has not been read yet.
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The response headers (`Set-Cookie` of a sign-in).
    pub(crate) headers: HeaderMap,
    /// How the body is read.
    pub(crate) format: ResponseFormat,
    /// The body, already decompressed.
    pub(crate) stream: ByteStream,
    /// Whether the call creates something (`Fax_SendFax`): its failures after the request left are ambiguous.
    non_idempotent: bool,
    /// The most of the body read into memory.
    body_limit: usize,
}

impl Reply {
    /// Sends `request` (with the session cookie, when there is one) through [`HttpClient::execute_unchecked`]
    /// and opens its answer, decompressing per `Content-Encoding`. WestFax credentials travel in the body, so
    /// the request carries no authentication of its own ([`NoAuth`]).
    ///
    /// # Errors
    /// Transport errors; [`faxkit::Error::InvalidInput`] for a cookie that cannot be a header.
    pub(crate) async fn send(
        http: &HttpClient,
        request: Request,
        cookie: Option<&Secret>,
        format: ResponseFormat,
        body_limit: usize,
    ) -> faxkit::Result<Reply> {
        let mut request =
            request.header(ACCEPT_ENCODING, HeaderValue::from_static(crate::compression::ACCEPT_ENCODING));
        if let Some(cookie) = cookie {
            request = request.header_str(VENDOR, COOKIE, &format!("{COOKIE_NAME}={}", cookie.expose()))?;
        }
        let non_idempotent = request.idempotency() == Idempotency::NonIdempotent;
        let response = http.execute_unchecked(request, &NoAuth).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let encoding = headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok());
        let stream = crate::compression::decode(encoding, faxkit::stream::response_stream(VENDOR, response))?;
        Ok(Reply { status, headers, format, stream, non_idempotent, body_limit })
    }

    /// The `ASP.NET_SessionId` the answer sets, if any.
    pub(crate) fn session_cookie(&self) -> Option<String> {
        self.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=')?;
            (name.trim() == COOKIE_NAME).then(|| value.trim().to_owned())
        })
    }

    /// Reads the body and decodes the envelope, whatever the status.
    ///
    /// For a call that creates something, the outcome is [`faxkit::Error::Ambiguous`] when the answer is lost
    /// (the body stream broke), a 5xx (SOAP faults and `Success=false` envelopes included: the server failed
    /// after the request arrived), or a 2xx that cannot be decoded (accepted, id unreadable).
    pub(crate) async fn decode<T: DeserializeOwned>(self) -> faxkit::Result<T> {
        let (status, non_idempotent) = (self.status, self.non_idempotent);
        let body = match faxkit::stream::collect(VENDOR, self.stream, self.body_limit).await {
            Ok(body) => body,
            Err(e) if non_idempotent => return Err(faxkit::Error::ambiguous(VENDOR, None, e)),
            Err(e) => return Err(e),
        };
        match decode_body(status, self.format, &body) {
            Err(e)
                if non_idempotent
                    && (status >= 500 || ((200..300).contains(&status) && e.kind() == faxkit::ErrorKind::Decode)) =>
            {
                Err(faxkit::Error::ambiguous(VENDOR, None, e))
            }
            other => other,
        }
    }
}

/// Decodes a whole body: the envelope's `Result` on a 2xx, the vendor's error otherwise
/// ([`crate::error::from_response`], or the status when the body says nothing).
pub(crate) fn decode_body<T: DeserializeOwned>(status: u16, format: ResponseFormat, body: &[u8]) -> faxkit::Result<T> {
    if (200..300).contains(&status) {
        return crate::envelope::unwrap(format.tree(body)?, status);
    }
    Err(crate::error::from_response(status, body)
        .unwrap_or_else(|| faxkit::Error::from_status(VENDOR, status, body, None)))
}

impl ResponseFormat {
    /// The `ApiResult` tree of a successful answer; a SOAP `Fault` is an error.
    fn tree(self, body: &[u8]) -> faxkit::Result<Value> {
        match self {
            ResponseFormat::Json => serde_json::from_slice(body)
                .map_err(|e| faxkit::Error::decode(VENDOR, "expected a JSON ApiResult", body, Some(Box::new(e)))),
            ResponseFormat::Xml => Ok(wire::xml_to_value(body)?.1),
            ResponseFormat::Soap => {
                let (root, tree) = wire::xml_to_value(body)?;
                match wire::soap_reply(&root, &tree) {
                    Ok(SoapReply::Result(result)) => Ok(result.clone()),
                    Ok(SoapReply::Fault(fault)) => Err(SoapFault::from_tree(fault, 500).into()),
                    Err(what) => Err(faxkit::Error::decode(VENDOR, format!("not a SOAP response: {what}"), body, None)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_in_a_2xx_soap_answer_is_an_error() {
        let v12 = br#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">boom</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#;
        let err = decode_body::<Value>(200, ResponseFormat::Soap, v12).unwrap_err();
        assert_eq!(err.vendor_detail::<SoapFault>().map(|f| f.reason.as_str()), Some("boom"));
        let ok = br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PingResponse xmlns="https://api.westfax.com/"><PingResult><Success>true</Success><Result>pong</Result></PingResult></PingResponse></soap:Body></soap:Envelope>"#;
        assert_eq!(decode_body::<String>(200, ResponseFormat::Soap, ok).unwrap(), "pong");
    }
}
