//! RPC: the "API Request Object" posted to `{base}/RPC/{json|xml}`, the method inside it (the WestFax API
//! documentation's RPC page, and the vendor's legacy RPC demo).
//!
//! "The request format is determined by the body of the request, whereas the response format should be
//! included in the URL." XML bodies follow the vendor's RPC demo (`<ApiRequest>` with `<Method>`, lists as
//! `<Numbers><string>…`, files as `FileContainer` with `FileName` and base64 `FileContents`); the JSON body
//! is the same object in JSON (not documented publicly).

use std::cell::Cell;

use serde_json::{Map, Value};
use yaserde::__xml::writer::XmlEvent;

use super::xml::{FileStyle, Files, leaf, write_params};
use faxkit::http::Request;

use super::{Call, Codec, PathCase, ResponseFormat, open_files, placeholder, stitch};
use crate::VENDOR;
use crate::operation::{Param, ParamValue};
use crate::soap::ns;

#[derive(Debug)]
pub(crate) struct Rpc {
    pub xml: bool,
    pub case: PathCase,
}

#[async_trait::async_trait]
impl Codec for Rpc {
    async fn encode(&self, call: Call) -> faxkit::Result<Request> {
        let files = open_files(&call.params).await?;
        let (body, content_type, suffix) = if self.xml {
            (request_xml(&call, &files)?, "text/xml; charset=utf-8", "xml")
        } else {
            (request_json(&call, &files)?, "application/json", "json")
        };
        let body = stitch(body, files, content_type.to_owned())?;
        Ok(Request::post(format!("{}/{suffix}", self.case.apply("RPC"))).body(body.into()))
    }

    fn format(&self) -> ResponseFormat {
        if self.xml { ResponseFormat::Xml } else { ResponseFormat::Json }
    }
}

/// The request object as JSON, file contents replaced by placeholders.
pub(crate) fn object_json(call: &Call, files: &[faxkit::OpenDocument]) -> Value {
    let mut obj = Map::new();
    obj.insert("Method".into(), Value::String(call.method.clone()));
    let mut next = 0usize;
    for Param { name, value } in &call.params {
        let v = match value {
            ParamValue::Text(s) => Value::String(s.clone()),
            ParamValue::Nil => Value::Null,
            ParamValue::List { values, .. } => Value::Array(values.iter().cloned().map(Value::String).collect()),
            ParamValue::Json { values, .. } => Value::Array(values.iter().map(|v| parse_json(v)).collect()),
            ParamValue::Object(v) => parse_json(v),
            ParamValue::Files(docs) => Value::Array(
                docs.iter()
                    .map(|_| {
                        let i = next;
                        next += 1;
                        let doc = files.get(i);
                        serde_json::json!({
                            "FileName": doc.map(|d| d.file_name()).unwrap_or_default(),
                            "FileContents": placeholder(i),
                            "ContentType": doc.map(|d| d.content_type()).unwrap_or_default(),
                            "ContentLength": doc.map(|d| d.len()).unwrap_or_default(),
                            "ContentEncoding": "base64",
                        })
                    })
                    .collect(),
            ),
        };
        obj.insert((*name).to_owned(), v);
    }
    Value::Object(obj)
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn request_json(call: &Call, files: &[faxkit::OpenDocument]) -> faxkit::Result<Vec<u8>> {
    serde_json::to_vec(&object_json(call, files))
        .map_err(|e| faxkit::Error::invalid_input(VENDOR, format!("cannot encode request: {e}")))
}

/// `<ApiRequest>` in XML.
struct ApiRequest<'a> {
    call: &'a Call,
    files: Files<'a>,
}

impl yaserde::YaSerialize for ApiRequest<'_> {
    fn serialize<W: std::io::Write>(&self, w: &mut yaserde::ser::Serializer<W>) -> Result<(), yaserde::Error> {
        let start = XmlEvent::start_element("ApiRequest").ns("xsi", ns::XSI).ns("xsd", ns::XSD);
        w.write(start).map_err(yaserde::Error::custom)?;
        leaf(w, "Method", &self.call.method)?;
        write_params(w, &self.call.params, &self.files)?;
        w.write(XmlEvent::end_element()).map_err(yaserde::Error::custom)
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

fn request_xml(call: &Call, files: &[faxkit::OpenDocument]) -> faxkit::Result<Vec<u8>> {
    let req = ApiRequest { call, files: Files { docs: files, next: Cell::new(0), style: FileStyle::Rpc } };
    super::soap::to_xml(&req)
}
