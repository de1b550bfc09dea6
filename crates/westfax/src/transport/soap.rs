//! SOAP 1.1 and 1.2 over the legacy WSDL (`SoapWebService.wsdl`, api.westfax.com/Polka.Api): `POST {base}/SOAP`,
//! document/literal wrapped, the message element named after the WSDL message (`SendFaxStateless`) in
//! `https://api.westfax.com/`, the action `https://api.westfax.com/{Message}` in `SOAPAction` (1.1) or the content type
//! (1.2).

use std::cell::Cell;

use faxkit::http::Request;
use reqwest::header::HeaderName;
use yaserde::__xml::writer::XmlEvent;

use super::xml::{FileStyle, Files, write_params};
use super::{Call, Codec, PathCase, ResponseFormat, SoapVersion, open_files, stitch};
use crate::VENDOR;
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

/// Wraps a message into `request`: the envelope (files streamed into it) and the action (`SOAPAction` header
/// in SOAP 1.1, the content type's `action` in 1.2).
pub(crate) async fn wrap(
    request: Request,
    version: SoapVersion,
    message: &str,
    object: Option<(&str, &str)>,
    params: &[Param],
) -> faxkit::Result<Request> {
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
    let mut request = request.body(stitch(xml, files, version.content_type(&action))?.into());
    if let Some(h) = version.soap_action_header(&action) {
        request = request.header_str(VENDOR, HeaderName::from_static("soapaction"), &h)?;
    }
    Ok(request)
}

#[async_trait::async_trait]
impl Codec for Soap {
    async fn encode(&self, call: Call) -> faxkit::Result<Request> {
        let Some(message) = call.soap_message.as_deref() else {
            return Err(faxkit::Error::unsupported(VENDOR, format!("{} over SOAP (no WSDL message)", call.method)));
        };
        wrap(Request::post(self.case.apply("SOAP")), self.version, message, None, &call.params).await
    }

    fn format(&self) -> ResponseFormat {
        ResponseFormat::Soap
    }
}
