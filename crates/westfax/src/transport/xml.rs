//! Writing parameters as XML elements, through yaserde's serializer (xml-rs events, never string
//! concatenation). Used by the SOAP envelopes and the RPC `<ApiRequest>`.

use std::cell::Cell;
use std::io::Write;

use faxkit::OpenDocument;
use serde_json::Value;
use yaserde::__xml::writer::XmlEvent;
use yaserde::ser::Serializer;

use crate::operation::{Param, ParamValue};

/// How file containers are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileStyle {
    /// WSDL `FileContainer`: `Filename`, `FileContents`, `ContentType`, `ContentLength`, `ContentDisposition`.
    Wsdl,
    /// The RPC demo's `FileContainer`: `FileName`, `FileContents`, `ContentLength`, `ContentEncoding`.
    Rpc,
}

/// File metadata for the containers, in parameter order, and a counter for placeholders.
pub(crate) struct Files<'a> {
    pub docs: &'a [OpenDocument],
    pub next: Cell<usize>,
    pub style: FileStyle,
}

pub(crate) type XmlResult = Result<(), yaserde::Error>;

fn err(e: impl std::fmt::Display) -> yaserde::Error {
    yaserde::Error::custom(e)
}

pub(crate) fn leaf<W: Write>(w: &mut Serializer<W>, name: &str, text: &str) -> XmlResult {
    w.write(XmlEvent::start_element(name)).map_err(err)?;
    if !text.is_empty() {
        w.write(XmlEvent::characters(text)).map_err(err)?;
    }
    w.write(XmlEvent::end_element()).map_err(err)
}

/// A JSON object with its members in document order (`serde_json::Map` sorts them).
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Writes a JSON text's members as elements, in document order.
fn json_text_members<W: Write>(w: &mut Serializer<W>, text: &str) -> XmlResult {
    match serde_json::from_str::<Ordered>(text) {
        Ok(Ordered(members)) => {
            for (k, v) in members {
                member(w, &k, &v)?;
            }
            Ok(())
        }
        Err(_) => w.write(XmlEvent::characters(text)).map_err(err),
    }
}

fn member<W: Write>(w: &mut Serializer<W>, k: &str, v: &Value) -> XmlResult {
    match v {
        Value::Null => Ok(()),
        Value::Object(_) => {
            w.write(XmlEvent::start_element(k)).map_err(err)?;
            json_members(w, v)?;
            w.write(XmlEvent::end_element()).map_err(err)
        }
        Value::String(s) => leaf(w, k, s),
        other => leaf(w, k, &other.to_string()),
    }
}

fn json_members<W: Write>(w: &mut Serializer<W>, value: &Value) -> XmlResult {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::Null => {}
                    Value::Object(_) => {
                        w.write(XmlEvent::start_element(k.as_str())).map_err(err)?;
                        json_members(w, v)?;
                        w.write(XmlEvent::end_element()).map_err(err)?;
                    }
                    Value::String(s) => leaf(w, k, s)?,
                    other => leaf(w, k, &other.to_string())?,
                }
            }
            Ok(())
        }
        Value::String(s) => w.write(XmlEvent::characters(s)).map_err(err),
        other => w.write(XmlEvent::characters(&other.to_string())).map_err(err),
    }
}

/// Writes each parameter as an element.
pub(crate) fn write_params<W: Write>(w: &mut Serializer<W>, params: &[Param], files: &Files<'_>) -> XmlResult {
    for p in params {
        match &p.value {
            ParamValue::Text(s) => leaf(w, p.name, s)?,
            ParamValue::Nil => {
                w.write(XmlEvent::start_element(p.name).attr("xsi:nil", "true")).map_err(err)?;
                w.write(XmlEvent::end_element()).map_err(err)?;
            }
            ParamValue::List { item, values } => {
                w.write(XmlEvent::start_element(p.name)).map_err(err)?;
                for v in values {
                    leaf(w, item, v)?;
                }
                w.write(XmlEvent::end_element()).map_err(err)?;
            }
            ParamValue::Json { item, values } => {
                w.write(XmlEvent::start_element(p.name)).map_err(err)?;
                for v in values {
                    w.write(XmlEvent::start_element(*item)).map_err(err)?;
                    json_text_members(w, v)?;
                    w.write(XmlEvent::end_element()).map_err(err)?;
                }
                w.write(XmlEvent::end_element()).map_err(err)?;
            }
            ParamValue::Object(v) => {
                w.write(XmlEvent::start_element(p.name)).map_err(err)?;
                json_text_members(w, v)?;
                w.write(XmlEvent::end_element()).map_err(err)?;
            }
            ParamValue::Files(docs) => {
                w.write(XmlEvent::start_element(p.name)).map_err(err)?;
                for _ in docs {
                    let index = files.next.get();
                    files.next.set(index + 1);
                    let Some(doc) = files.docs.get(index) else { return Err(err("file count mismatch")) };
                    file_container(w, doc, index, files.style)?;
                }
                w.write(XmlEvent::end_element()).map_err(err)?;
            }
        }
    }
    Ok(())
}

/// The WSDL `FileContainer` (`SoapWebService.wsdl`), as sent.
#[derive(Debug, yaserde::YaSerialize)]
#[yaserde(rename = "FileContainer")]
struct WsdlFileContainer {
    #[yaserde(rename = "Filename")]
    filename: String,
    #[yaserde(rename = "FileContents")]
    file_contents: String,
    #[yaserde(rename = "ContentType")]
    content_type: String,
    #[yaserde(rename = "ContentLength")]
    content_length: u64,
    #[yaserde(rename = "ContentDisposition")]
    content_disposition: String,
}

/// The `FileContainer` of the vendor's legacy RPC demo (`FileName`, `ContentEncoding`).
#[derive(Debug, yaserde::YaSerialize)]
#[yaserde(rename = "FileContainer")]
struct RpcFileContainer {
    #[yaserde(rename = "FileName")]
    file_name: String,
    #[yaserde(rename = "FileContents")]
    file_contents: String,
    #[yaserde(rename = "ContentType")]
    content_type: String,
    #[yaserde(rename = "ContentLength")]
    content_length: u64,
    #[yaserde(rename = "ContentEncoding")]
    content_encoding: String,
}

fn file_container<W: Write>(w: &mut Serializer<W>, doc: &OpenDocument, index: usize, style: FileStyle) -> XmlResult {
    use yaserde::YaSerialize as _;
    let contents = super::placeholder(index);
    match style {
        FileStyle::Wsdl => WsdlFileContainer {
            filename: doc.file_name().to_owned(),
            file_contents: contents,
            content_type: doc.content_type().to_owned(),
            content_length: doc.len(),
            content_disposition: "Attachment".to_owned(),
        }
        .serialize(w),
        FileStyle::Rpc => RpcFileContainer {
            file_name: doc.file_name().to_owned(),
            file_contents: contents,
            content_type: doc.content_type().to_owned(),
            content_length: doc.len(),
            content_encoding: "base64".to_owned(),
        }
        .serialize(w),
    }
}
