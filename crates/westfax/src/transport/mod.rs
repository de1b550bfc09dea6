//! The transports: one seam, four encoders.
//!
//! WestFax answers the same method catalogue over several wires. An operation is resolved once into a
//! `Call` (method name, credential parameters, operation parameters in the transport's [`Dialect`]); the
//! chosen `Codec` turns it into a request, and the answer is decoded back to the one `ApiResult` tree by the
//! format the codec names (`Reply`).
//!
//! | [`Transport`] | env name | request | response | endpoint |
//! |---|---|---|---|---|
//! | `Rest` | `rest` | multipart form, indexed fields (`Numbers1`, `Files0`, `FaxIds1`) | JSON | `POST {base}/REST/{Method}/json` |
//! | `RestXml` | `rest-xml` | the same form | .NET XmlSerializer XML | `POST {base}/REST/{Method}/xml` |
//! | `RpcJson` | `rpc-json` | JSON "API Request Object" with `Method` | JSON | `POST {base}/RPC/json` |
//! | `RpcXml` | `rpc-xml` | XML `<ApiRequest>` with `<Method>` | XML | `POST {base}/RPC/xml` |
//! | `Soap` | `soap` | SOAP 1.1 envelope, WSDL message, `SOAPAction` header | SOAP 1.1 | `POST {base}/SOAP` |
//! | `Soap12` | `soap12` | SOAP 1.2 envelope, `action` in the content type | SOAP 1.2 | `POST {base}/SOAP` |
//! | `SoapObject` | `soap-object` | SOAP 1.1, the method's one parameter `<request>` is the API Request Object | SOAP 1.1 | `POST {base}/SOAPObj` |
//!
//! Methods that exist in one generation only fail on transports that cannot carry them with
//! [`faxkit::Error::Unsupported`]: current-only methods (`Profile_*`, `Contact_*`, most `Fax_*`) over SOAP,
//! whose WSDL (`SoapWebService.wsdl`, published by WestFax) is the legacy one.

mod body;
mod reply;
pub(crate) mod rest;
pub(crate) mod rpc;
pub(crate) mod soap;
pub(crate) mod soap_object;
pub(crate) mod xml;

use std::fmt;
use std::str::FromStr;

use faxkit::http::Request;

use crate::VENDOR;
use crate::operation::{Dialect, Param};

pub(crate) use body::{Body, open_files, placeholder, stitch};
#[cfg(feature = "sandbox")]
pub(crate) use reply::COOKIE_NAME;
pub(crate) use reply::{Reply, decode_body};

/// The wire a [`Client`](crate::Client) speaks. A client setting: the call site does not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Transport {
    /// REST, JSON responses (the default; the only transport with current public evidence).
    #[default]
    Rest,
    /// REST, XML responses.
    RestXml,
    /// RPC with a JSON request object and JSON responses.
    RpcJson,
    /// RPC with an XML request object and XML responses.
    RpcXml,
    /// SOAP 1.1 (legacy WSDL operations).
    Soap,
    /// SOAP 1.2 (legacy WSDL operations).
    Soap12,
    /// SOAP Object: every method takes the API Request Object.
    SoapObject,
}

impl Transport {
    /// Every transport, in table order.
    pub const ALL: [Transport; 7] = [
        Transport::Rest,
        Transport::RestXml,
        Transport::RpcJson,
        Transport::RpcXml,
        Transport::Soap,
        Transport::Soap12,
        Transport::SoapObject,
    ];

    /// The name used by `WESTFAX_TRANSPORT` and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Rest => "rest",
            Transport::RestXml => "rest-xml",
            Transport::RpcJson => "rpc-json",
            Transport::RpcXml => "rpc-xml",
            Transport::Soap => "soap",
            Transport::Soap12 => "soap12",
            Transport::SoapObject => "soap-object",
        }
    }

    /// How parameters are spelled on this transport.
    pub fn dialect(self) -> Dialect {
        match self {
            Transport::Rest | Transport::RestXml => Dialect::Rest,
            Transport::RpcJson | Transport::RpcXml | Transport::SoapObject => Dialect::Object,
            Transport::Soap | Transport::Soap12 => Dialect::Soap,
        }
    }

    /// Whether the transport carries legacy WSDL messages only.
    pub fn is_soap(self) -> bool {
        matches!(self, Transport::Soap | Transport::Soap12)
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Transport {
    type Err = faxkit::Error;

    /// Parses exactly `rest`, `rest-xml`, `rpc-json`, `rpc-xml`, `soap`, `soap12`, `soap-object`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Transport::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            faxkit::Error::invalid_input(
                VENDOR,
                format!("unknown transport {s:?}; use rest, rest-xml, rpc-json, rpc-xml, soap, soap12 or soap-object"),
            )
        })
    }
}

/// How RPC and SOAP Object requests name the method and the fields of the API Request Object.
///
/// Only one RPC request was ever published: the vendor's legacy demo for `api.westfax.com/Polka.Api`, which sends
/// `<Method>SendFax</Method>` (the legacy name) with fields named as the REST form. Nothing public shows an RPC
/// or SOAP Object request on the current hosts, so [`Current`](RpcNaming::Current) is a guess. The default
/// depends on the host: [`Legacy`](RpcNaming::Legacy) on `api.westfax.com` (the legacy host), `Current`
/// elsewhere. REST and SOAP are not affected.
///
/// ```
/// use westfax::{Client, RpcNaming, Transport, hosts};
/// let legacy = Client::builder().credentials("u", "p").base_url(hosts::LEGACY).transport(Transport::RpcXml).build()?;
/// assert_eq!(legacy.rpc_naming(), RpcNaming::Legacy);
/// let current = Client::builder().credentials("u", "p").transport(Transport::RpcJson).build()?;
/// assert_eq!(current.rpc_naming(), RpcNaming::Current);
/// let chosen = Client::builder().credentials("u", "p").rpc_naming(RpcNaming::Legacy).build()?;
/// assert_eq!(chosen.rpc_naming(), RpcNaming::Legacy);
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RpcNaming {
    /// The recorded form (legacy host): the legacy method name when the operation has one (`SendFax`,
    /// `GetFaxStatus`), fields as the REST form (`Ids`, as the legacy REST `GetFaxStatus` sends them), no
    /// `Cookies` flag on stateless calls.
    Legacy,
    /// The current-generation method name (`Fax_SendFax`, `Fax_GetFaxStatus`) and the WSDL's `JobIds` for
    /// status ids, with the `Cookies` flag as REST sends it. Unverified: no current RPC request is public.
    Current,
}

/// The response encoding suffix of REST URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RestEncoding {
    /// `json`: answers as JSON envelopes (`Success`, `ErrorString`, `InfoString`, `Result`); the default.
    #[default]
    Json,
    /// `json2` (listed by the WestFax API documentation without saying what it changes; parsed like `json`).
    Json2,
    /// `xml`: answers as .NET `XmlSerializer` XML (`<ApiResultOfString>` …), the same envelope as elements.
    Xml,
}

impl RestEncoding {
    /// The URL suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            RestEncoding::Json => "json",
            RestEncoding::Json2 => "json2",
            RestEncoding::Xml => "xml",
        }
    }
}

/// The case of the transport segment of the path (`/REST/` or `/rest/`). The sandbox host
/// `integrate.westfax.com` only answers lower case (as the WestFax Postman collection's environment spells
/// it); production accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathCase {
    /// `REST`, `RPC`, `SOAP`, `SOAPObj` (as the vendor's samples).
    Upper,
    /// `rest`, `rpc`, `soap`, `soapobj`.
    Lower,
}

impl PathCase {
    pub(crate) fn apply(self, segment: &str) -> String {
        match self {
            PathCase::Upper => segment.to_owned(),
            PathCase::Lower => segment.to_ascii_lowercase(),
        }
    }
}

/// SOAP 1.1 or 1.2: envelope namespace, content type and where the action goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml`, `SOAPAction` header.
    V11,
    /// SOAP 1.2: `application/soap+xml; action="…"`.
    V12,
}

impl SoapVersion {
    /// The envelope namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            SoapVersion::V11 => crate::soap::ns::SOAP11,
            SoapVersion::V12 => crate::soap::ns::SOAP12,
        }
    }

    /// The `Content-Type` of a request for `action`.
    pub fn content_type(self, action: &str) -> String {
        match self {
            SoapVersion::V11 => "text/xml; charset=utf-8".to_owned(),
            SoapVersion::V12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        }
    }

    /// The `SOAPAction` header value (SOAP 1.1 only).
    pub fn soap_action_header(self, action: &str) -> Option<String> {
        match self {
            SoapVersion::V11 => Some(format!("\"{action}\"")),
            SoapVersion::V12 => None,
        }
    }
}

/// One call, resolved for a transport: what every encoder receives.
#[derive(Debug)]
pub(crate) struct Call {
    /// The method name (`Fax_SendFax` or the legacy `SendFax`).
    pub method: String,
    /// The SOAP message name (`SendFaxStateless`), for the SOAP transport.
    pub soap_message: Option<String>,
    /// Credentials / session parameters, then the operation's parameters, in order.
    pub params: Vec<Param>,
}

/// How a response body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseFormat {
    /// JSON (`/json`, `/json2`).
    Json,
    /// .NET `XmlSerializer` XML (`/xml`).
    Xml,
    /// A SOAP envelope around the message's `…Result`.
    Soap,
}

/// The seam, in the manner of lettre's `Transport`: one trait, each transport whole. A transport encodes any
/// resolved [`Call`] into the one request shape of faxkit ([`faxkit::http::Request`], always a `POST`; the
/// credentials travel in the body) and says how its answers are read ([`ResponseFormat`]); [`Reply`] sends
/// the request and decodes the answer (envelope, SOAP unwrap, faults, error strings).
#[async_trait::async_trait]
pub(crate) trait Codec: Send + Sync + fmt::Debug {
    /// Encodes a resolved call: the path under the base URL, the transport's headers and the body.
    async fn encode(&self, call: Call) -> faxkit::Result<Request>;

    /// How this transport's answers are read.
    fn format(&self) -> ResponseFormat;
}

/// The codec of a transport.
pub(crate) fn codec(transport: Transport, rest_encoding: RestEncoding, case: PathCase) -> Box<dyn Codec> {
    match transport {
        Transport::Rest => Box::new(rest::Rest { encoding: rest_encoding, case }),
        Transport::RestXml => Box::new(rest::Rest { encoding: RestEncoding::Xml, case }),
        Transport::RpcJson => Box::new(rpc::Rpc { xml: false, case }),
        Transport::RpcXml => Box::new(rpc::Rpc { xml: true, case }),
        Transport::Soap => Box::new(soap::Soap { version: SoapVersion::V11, case }),
        Transport::Soap12 => Box::new(soap::Soap { version: SoapVersion::V12, case }),
        Transport::SoapObject => Box::new(soap_object::SoapObject { case }),
    }
}
