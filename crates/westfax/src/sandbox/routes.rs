//! Decoding requests of every transport into a [`SandboxRequest`] and encoding replies back.

use std::io::Write as _;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use super::Compression;
use super::state::{Reply, SandboxRequest, State};
use crate::soap::ns;

/// The one responder behind every sandbox route.
pub(crate) struct Router {
    pub state: Arc<Mutex<State>>,
    pub compression: Arc<Mutex<Option<Compression>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wire {
    RestJson,
    RestXml,
    RpcJson,
    RpcXml,
    Soap(bool),
    SoapObject,
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        // Allow a base path such as /Polka.Api/ in front.
        let Some(pos) = lower.iter().position(|s| matches!(s.as_str(), "rest" | "rpc" | "soap" | "soapobj")) else {
            return ResponseTemplate::new(404).set_body_string("unknown endpoint");
        };
        let rest = &segments[pos + 1..];
        let parsed = match (lower[pos].as_str(), rest) {
            ("rest", [method, enc]) => {
                let wire = if enc.eq_ignore_ascii_case("xml") { Wire::RestXml } else { Wire::RestJson };
                parse_multipart(request).map(|mut r| {
                    r.method = (*method).to_owned();
                    (wire, r, None)
                })
            }
            ("rpc", [fmt]) => {
                let wire = if fmt.eq_ignore_ascii_case("xml") { Wire::RpcXml } else { Wire::RpcJson };
                parse_object(&request.body).map(|r| (wire, r, None))
            }
            ("soap", []) => parse_soap(request, false).map(|(r, m, v12)| (Wire::Soap(v12), r, Some(m))),
            ("soapobj", []) => parse_soap(request, true).map(|(r, m, _)| (Wire::SoapObject, r, Some(m))),
            _ => Err("unknown endpoint".to_owned()),
        };
        let (wire, mut req, message) = match parsed {
            Ok(p) => p,
            Err(e) => {
                let soap = matches!(lower[pos].as_str(), "soap" | "soapobj");
                return if soap {
                    xml_response(500, fault_envelope(&e), "text/xml; charset=utf-8")
                } else {
                    ResponseTemplate::new(400).set_body_string(e)
                };
            }
        };
        req.cookie = cookie(request);
        req.transport = match wire {
            Wire::RestJson | Wire::RestXml => "rest",
            Wire::RpcJson | Wire::RpcXml => "rpc",
            Wire::Soap(_) => "soap",
            Wire::SoapObject => "soap-object",
        };
        let reply = match self.state.lock() {
            Ok(mut state) => state.handle(req),
            Err(_) => Reply::fail("Api_Failed_", "sandbox state poisoned"),
        };
        let (body, content_type) = match wire {
            Wire::RestJson | Wire::RpcJson => (json_body(&reply), "application/json; charset=utf-8"),
            Wire::RestXml | Wire::RpcXml => (xml_result(&reply), "application/xml; charset=utf-8"),
            Wire::Soap(v12) => {
                let ct = if v12 { "application/soap+xml; charset=utf-8" } else { "text/xml; charset=utf-8" };
                (soap_response(&reply, message.as_deref().unwrap_or("Unknown"), v12), ct)
            }
            Wire::SoapObject => {
                (soap_response(&reply, message.as_deref().unwrap_or("Unknown"), false), "text/xml; charset=utf-8")
            }
        };
        let mut template = ResponseTemplate::new(reply.http_status).insert_header("Content-Type", content_type);
        if let Some(token) = &reply.set_cookie {
            template =
                template.insert_header("Set-Cookie", format!("{}={token}; path=/", crate::transport::COOKIE_NAME));
        }
        let accepts = request
            .headers
            .get("accept-encoding")
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let compression = self.compression.lock().ok().and_then(|c| *c);
        match compression {
            Some(c) if reply.success && accepts.contains(c.token()) => {
                template.insert_header("Content-Encoding", c.token()).set_body_bytes(c.compress(&body))
            }
            _ => template.set_body_bytes(body),
        }
    }
}

fn cookie(request: &Request) -> Option<String> {
    let raw = request.headers.get("cookie")?.to_str().ok()?;
    raw.split(';').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == crate::transport::COOKIE_NAME).then(|| v.trim().to_owned())
    })
}

const LISTS: [&str; 7] = ["Numbers", "Files", "FaxIds", "Ids", "StringParams", "MethodParams", "FilterList"];

/// Parses a `multipart/form-data` body (RFC 7578) into fields, indexed lists and files.
fn parse_multipart(request: &Request) -> Result<SandboxRequest, String> {
    let ct = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
        .ok_or("expected multipart/form-data")?;
    let mut req = SandboxRequest::default();
    for part in multipart_parts(&request.body, &boundary) {
        let (name, filename, value) = part?;
        let base = LISTS.iter().find(|l| {
            name.len() > l.len()
                && name[..l.len()].eq_ignore_ascii_case(l)
                && name[l.len()..].bytes().all(|b| b.is_ascii_digit())
        });
        match (filename, base) {
            (Some(f), _) => req.files.push((f, value)),
            (None, Some(base)) => req
                .lists
                .entry(base.to_ascii_lowercase())
                .or_default()
                .push(String::from_utf8_lossy(&value).into_owned()),
            (None, None) => {
                req.fields.insert(name.to_ascii_lowercase(), String::from_utf8_lossy(&value).into_owned());
            }
        }
    }
    Ok(req)
}

type Part = Result<(String, Option<String>, Bytes), String>;

/// Splits a multipart body into (name, file name, content) parts.
pub(crate) fn multipart_parts(body: &[u8], boundary: &str) -> Vec<Part> {
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let mut rest = body;
    let Some(start) = find(rest, delim.as_bytes()) else { return vec![Err("no boundary".into())] };
    rest = &rest[start + delim.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        let Some(next) = find(rest, delim.as_bytes()) else { break };
        let part = &rest[..next];
        rest = &rest[next + delim.len()..];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let Some(split) = find(part, b"\r\n\r\n") else {
            out.push(Err("part without headers".into()));
            continue;
        };
        let headers = String::from_utf8_lossy(&part[..split]).into_owned();
        let content = Bytes::copy_from_slice(&part[split + 4..]);
        let disposition =
            headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition")).unwrap_or("");
        let attr = |key: &str| {
            disposition
                .split(';')
                .find_map(|p| p.trim().strip_prefix(&format!("{key}=")).map(|v| v.trim_matches('"').to_owned()))
        };
        match attr("name") {
            Some(name) => out.push(Ok((name, attr("filename"), content))),
            None => out.push(Err("part without a name".into())),
        }
    }
    out
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// Reads an API Request Object (JSON or XML) into a request.
fn parse_object(body: &[u8]) -> Result<SandboxRequest, String> {
    let trimmed = body.trim_ascii_start();
    let tree = if trimmed.first() == Some(&b'{') {
        serde_json::from_slice::<Value>(trimmed).map_err(|e| e.to_string())?
    } else {
        crate::wire::xml_to_value(trimmed).map_err(|e| e.to_string())?.1
    };
    let mut req = from_tree(&tree)?;
    req.method = req.fields.remove("method").ok_or("the request object has no Method")?;
    Ok(req)
}

/// Reads a SOAP request: (request, message name, is SOAP 1.2).
fn parse_soap(request: &Request, object: bool) -> Result<(SandboxRequest, String, bool), String> {
    let (root, tree) = crate::wire::xml_to_value(&request.body).map_err(|e| e.to_string())?;
    if root != "Envelope" {
        return Err("not a SOAP envelope".into());
    }
    let text = String::from_utf8_lossy(&request.body);
    let v12 = text.contains(ns::SOAP12);
    let ct = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if v12 != ct.starts_with("application/soap+xml") {
        return Err(format!("content type {ct} does not match the envelope version"));
    }
    let body = tree.get("Body").and_then(Value::as_object).ok_or("no soap:Body")?;
    let (message, content) = body.iter().next().ok_or("empty soap:Body")?;
    let action = if v12 {
        ct.split(';').find_map(|p| p.trim().strip_prefix("action=")).map(|a| a.trim_matches('"').to_owned())
    } else {
        request.headers.get("soapaction").and_then(|v| v.to_str().ok()).map(|a| a.trim_matches('"').to_owned())
    };
    if action.as_deref() != Some(&format!("{}{message}", ns::WESTFAX)) {
        return Err(format!("SOAPAction {action:?} does not match message {message}"));
    }
    if !text.contains(&format!("xmlns=\"{}\"", ns::WESTFAX)) {
        return Err("the message is not in the https://api.westfax.com/ namespace".into());
    }
    let content = if object {
        content.get(crate::transport::soap_object::REQUEST_ELEMENT).ok_or("no <request> object")?
    } else {
        content
    };
    let mut req = from_tree(content)?;
    req.fields.remove("method");
    req.method = message.clone();
    Ok((req, message.clone(), v12))
}

/// Converts an object tree (JSON or XML) into a request: scalars, lists, file containers.
fn from_tree(tree: &Value) -> Result<SandboxRequest, String> {
    let obj = match tree {
        Value::Object(m) => m.clone(),
        Value::String(s) if s.is_empty() => serde_json::Map::new(),
        _ => return Err("the request is not an object".into()),
    };
    let mut req = SandboxRequest::default();
    for (k, v) in obj {
        let key = k.to_ascii_lowercase();
        match v {
            Value::Null => {}
            Value::String(s) => {
                req.fields.insert(key, s);
            }
            Value::Bool(b) => {
                req.fields.insert(key, b.to_string());
            }
            Value::Number(n) => {
                req.fields.insert(key, n.to_string());
            }
            other => {
                let items = crate::wire::unwrap_list(&other);
                if matches!(key.as_str(), "files" | "diallist") {
                    for item in items {
                        let name = field_ci(item, "FileName").unwrap_or_default();
                        let b64 = field_ci(item, "FileContents").unwrap_or_default();
                        let bytes = faxkit::base64::decode(crate::VENDOR, b64.as_bytes()).map_err(|e| e.to_string())?;
                        req.files.push((name, Bytes::from(bytes)));
                    }
                } else {
                    let list = items
                        .iter()
                        .map(|i| match i {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    req.lists.insert(key, list);
                }
            }
        }
    }
    Ok(req)
}

fn field_ci(v: &Value, name: &str) -> Option<String> {
    v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str()).map(str::to_owned)
}

fn json_body(reply: &Reply) -> Vec<u8> {
    let v = serde_json::json!({
        "Success": reply.success,
        "ErrorString": reply.error,
        "InfoString": reply.info,
        "Result": reply.result,
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

type Xw = Writer<Vec<u8>>;

fn write_value(w: &mut Xw, name: &str, item: &str, v: &Value) -> std::io::Result<()> {
    match v {
        Value::Null => w.write_event(Event::Empty(BytesStart::new(name).with_attributes([("xsi:nil", "true")]))),
        Value::Array(items) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for i in items {
                write_value(w, item_name(name, item), "Item", i)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
        Value::Object(map) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for (k, v) in map {
                write_value(w, k, "Item", v)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
        Value::String(s) => text(w, name, s),
        other => text(w, name, &other.to_string()),
    }
}

/// XmlSerializer names list items after their type.
fn item_name<'a>(list: &str, item: &'a str) -> &'a str {
    match list {
        "Calls" => "CallContainer",
        "FaxFiles" => "FileItem",
        "FaxCallInfoList" => "FaxCallInfoItem",
        "aclList" => "LoginACLItem",
        _ => item,
    }
}

fn text(w: &mut Xw, name: &str, s: &str) -> std::io::Result<()> {
    if s.is_empty() {
        return w.write_event(Event::Empty(BytesStart::new(name)));
    }
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(s)))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn write_envelope_fields(w: &mut Xw, reply: &Reply) -> std::io::Result<()> {
    text(w, "Success", if reply.success { "true" } else { "false" })?;
    text(w, "ErrorString", reply.error.as_deref().unwrap_or(""))?;
    text(w, "InfoString", reply.info.as_deref().unwrap_or(""))?;
    if !reply.result.is_null() {
        write_value(w, "Result", reply.item, &reply.result)?;
    }
    Ok(())
}

/// `ApiResultOf…` as .NET XmlSerializer writes it.
fn xml_result(reply: &Reply) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    let root = format!("ApiResultOf{}", reply.xml_type);
    let r: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let start = BytesStart::new(root.as_str()).with_attributes([("xmlns:xsi", ns::XSI), ("xmlns:xsd", ns::XSD)]);
        w.write_event(Event::Start(start))?;
        write_envelope_fields(&mut w, reply)?;
        w.write_event(Event::End(BytesEnd::new(root.as_str())))
    })();
    let _ = r;
    w.into_inner()
}

fn soap_response(reply: &Reply, message: &str, v12: bool) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    let env_ns = if v12 { ns::SOAP12 } else { ns::SOAP11 };
    let response = format!("{message}Response");
    let result = format!("{message}Result");
    let r: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let start = BytesStart::new("soap:Envelope").with_attributes([
            ("xmlns:soap", env_ns),
            ("xmlns:xsi", ns::XSI),
            ("xmlns:xsd", ns::XSD),
        ]);
        w.write_event(Event::Start(start))?;
        w.write_event(Event::Start(BytesStart::new("soap:Body")))?;
        w.write_event(Event::Start(BytesStart::new(response.as_str()).with_attributes([("xmlns", ns::WESTFAX)])))?;
        w.write_event(Event::Start(BytesStart::new(result.as_str())))?;
        write_envelope_fields(&mut w, reply)?;
        w.write_event(Event::End(BytesEnd::new(result.as_str())))?;
        w.write_event(Event::End(BytesEnd::new(response.as_str())))?;
        w.write_event(Event::End(BytesEnd::new("soap:Body")))?;
        w.write_event(Event::End(BytesEnd::new("soap:Envelope")))
    })();
    let _ = r;
    w.into_inner()
}

/// A SOAP 1.1 `soap:Client` fault, as ASMX answers unreadable requests.
fn fault_envelope(reason: &str) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    let r: std::io::Result<()> = (|| {
        let start = BytesStart::new("soap:Envelope").with_attributes([("xmlns:soap", ns::SOAP11)]);
        w.write_event(Event::Start(start))?;
        w.write_event(Event::Start(BytesStart::new("soap:Body")))?;
        w.write_event(Event::Start(BytesStart::new("soap:Fault")))?;
        text(&mut w, "faultcode", "soap:Client")?;
        text(&mut w, "faultstring", reason)?;
        w.write_event(Event::End(BytesEnd::new("soap:Fault")))?;
        w.write_event(Event::End(BytesEnd::new("soap:Body")))?;
        w.write_event(Event::End(BytesEnd::new("soap:Envelope")))
    })();
    let _ = r;
    w.into_inner()
}

fn xml_response(status: u16, body: Vec<u8>, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("Content-Type", content_type).set_body_bytes(body)
}

impl Compression {
    fn token(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Deflate | Compression::RawDeflate => "deflate",
        }
    }

    fn compress(self, body: &[u8]) -> Vec<u8> {
        let level = flate2::Compression::default();
        let out = match self {
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), level);
                e.write_all(body).and_then(|_| e.finish())
            }
            Compression::Deflate => {
                let mut e = flate2::write::ZlibEncoder::new(Vec::new(), level);
                e.write_all(body).and_then(|_| e.finish())
            }
            Compression::RawDeflate => {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), level);
                e.write_all(body).and_then(|_| e.finish())
            }
        };
        out.unwrap_or_default()
    }
}
