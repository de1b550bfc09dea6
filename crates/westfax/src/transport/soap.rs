//! SOAP 1.1 and 1.2 over the legacy WSDL (reference §9): `POST {base}/SOAP`, document/literal wrapped, the
//! message element named after the WSDL message (`SendFaxStateless`) in `https://api.westfax.com/`, the
//! action `https://api.westfax.com/{Message}` in `SOAPAction` (1.1) or the content type (1.2).

use std::cell::Cell;

use serde_json::Value;
use yaserde::__xml::writer::XmlEvent;

use super::xml::{FileStyle, Files, write_params};
use super::{Call, Encoded, Encoder, PathCase, ResponseFormat, SoapVersion, open_files, stitch};
use crate::VENDOR;
use crate::error::SoapFault;
use crate::operation::Param;
use crate::soap::ns;

#[derive(Debug)]
pub(crate) struct Soap {
    pub version: SoapVersion,
    pub case: PathCase,
}

/// A SOAP envelope around one message element holding `params` (or, for SOAP Object, one `<request>`).
pub(crate) struct Envelope<'a> {
    pub version: SoapVersion,
    pub message: &'a str,
    /// SOAP Object: wrap the parameters in this element, with `<Method>` first.
    pub object: Option<(&'a str, &'a str)>,
    pub params: &'a [Param],
    pub files: Files<'a>,
}

impl yaserde::YaSerialize for Envelope<'_> {
    fn serialize<W: std::io::Write>(&self, w: &mut yaserde::ser::Serializer<W>) -> Result<(), yaserde::Error> {
        let e = yaserde::Error::custom;
        let start = XmlEvent::start_element("soap:Envelope")
            .ns("soap", self.version.namespace())
            .ns("xsi", ns::XSI)
            .ns("xsd", ns::XSD);
        w.write(start).map_err(e)?;
        w.write(XmlEvent::start_element("soap:Body")).map_err(e)?;
        w.write(XmlEvent::start_element(self.message).default_ns(ns::WESTFAX)).map_err(e)?;
        if let Some((wrapper, method)) = self.object {
            w.write(XmlEvent::start_element(wrapper)).map_err(e)?;
            super::xml::leaf(w, "Method", method)?;
            write_params(w, self.params, &self.files)?;
            w.write(XmlEvent::end_element()).map_err(e)?;
        } else {
            write_params(w, self.params, &self.files)?;
        }
        w.write(XmlEvent::end_element()).map_err(e)?;
        w.write(XmlEvent::end_element()).map_err(e)?;
        w.write(XmlEvent::end_element()).map_err(e)
    }

    fn serialize_attributes(
        &self,
        attributes: Vec<yaserde::__xml::attribute::OwnedAttribute>,
        namespace: yaserde::__xml::namespace::Namespace,
    ) -> Result<(Vec<yaserde::__xml::attribute::OwnedAttribute>, yaserde::__xml::namespace::Namespace), yaserde::Error>
    {
        Ok((attributes, namespace))
    }
}

/// Serializes with yaserde (UTF-8 declaration, no indentation).
pub(crate) fn to_xml<T: yaserde::YaSerialize>(value: &T) -> faxkit::Result<Vec<u8>> {
    let config = yaserde::ser::Config { perform_indent: false, write_document_declaration: true, indent_string: None };
    yaserde::ser::serialize_with_writer(value, Vec::new(), &config)
        .map_err(|e| faxkit::Error::invalid_input(VENDOR, format!("cannot encode XML request: {e}")))
}

/// Wraps a message: the envelope bytes with file placeholders, and the headers.
pub(crate) async fn wrap(
    version: SoapVersion,
    message: &str,
    object: Option<(&str, &str)>,
    params: &[Param],
) -> faxkit::Result<(super::Body, Vec<(&'static str, String)>)> {
    let files = open_files(params).await?;
    let envelope = Envelope {
        version,
        message,
        object,
        params,
        files: Files { docs: &files, next: Cell::new(0), style: FileStyle::Wsdl },
    };
    let xml = to_xml(&envelope)?;
    let action = format!("{}{message}", ns::WESTFAX);
    let mut headers = Vec::new();
    if let Some(h) = version.soap_action_header(&action) {
        headers.push(("SOAPAction", h));
    }
    Ok((stitch(xml, files, version.content_type(&action))?, headers))
}

#[async_trait::async_trait]
impl Encoder for Soap {
    async fn encode(&self, call: Call) -> faxkit::Result<Encoded> {
        let Some(message) = call.soap_message.as_deref() else {
            return Err(faxkit::Error::unsupported(VENDOR, format!("{} over SOAP (no WSDL message)", call.method)));
        };
        let (body, headers) = wrap(self.version, message, None, &call.params).await?;
        Ok(Encoded { path: self.case.apply("SOAP"), headers, body, format: ResponseFormat::Soap })
    }
}

/// Unwraps a SOAP response: `Envelope/Body/{Message}Response/{Message}Result` → the `ApiResult` tree; a
/// `Fault` becomes a [`SoapFault`] error.
pub(crate) fn unwrap(body: &[u8]) -> faxkit::Result<Value> {
    let (root, tree) = crate::wire::xml_to_value(body)?;
    let bad = |what: &str| faxkit::Error::decode(VENDOR, format!("not a SOAP response: {what}"), body, None);
    if root != "Envelope" {
        return Err(bad("root is not Envelope"));
    }
    let Some(Value::Object(body_el)) = member(&tree, "Body") else { return Err(bad("no Body")) };
    if let Some(fault) = body_el.iter().find(|(k, _)| k.as_str() == "Fault").map(|(_, v)| v) {
        return Err(fault_of(fault, 500).into());
    }
    let Some((_, Value::Object(response))) = body_el.iter().next() else { return Err(bad("empty Body")) };
    match response.iter().next() {
        Some((_, result)) => Ok(result.clone()),
        None => Err(bad("empty response element")),
    }
}

fn member<'v>(tree: &'v Value, name: &str) -> Option<&'v Value> {
    tree.as_object()?.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
}

/// Reads a SOAP 1.1 (`faultcode`, `faultstring`) or 1.2 (`Code/Value`, `Reason/Text`) fault.
pub(crate) fn fault_of(fault: &Value, http_status: u16) -> SoapFault {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
    let code = member(fault, "faultcode")
        .or_else(|| member(fault, "Code").and_then(|c| member(c, "Value")))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let reason = match member(fault, "faultstring") {
        Some(v) => text(Some(v)),
        None => text(member(fault, "Reason").and_then(|r| member(r, "Text"))),
    };
    SoapFault { code, reason, http_status }
}

/// Whether an HTTP error body is a SOAP fault; returns it.
pub(crate) fn fault_in(body: &[u8], http_status: u16) -> Option<SoapFault> {
    let (root, tree) = crate::wire::xml_to_value(body).ok()?;
    if root != "Envelope" {
        return None;
    }
    let fault = member(member(&tree, "Body")?, "Fault")?;
    Some(fault_of(fault, http_status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_of_both_versions_are_read() {
        let v11 = br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server was unable to read request.</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
        let f = fault_in(v11, 500).unwrap();
        assert_eq!((f.code.as_str(), f.reason.as_str()), ("soap:Client", "Server was unable to read request."));
        let v12 = br#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">boom</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>"#;
        let f = fault_in(v12, 500).unwrap();
        assert_eq!((f.code.as_str(), f.reason.as_str()), ("soap:Receiver", "boom"));
        assert!(unwrap(v12).is_err());
    }
}
