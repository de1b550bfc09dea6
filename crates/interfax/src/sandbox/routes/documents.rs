//! Uploaded documents (create, upload in chunks, read, list, delete) and the documents of a send.

use bytes::Bytes;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::state::{SandboxDocument, SentDocument, State, now_text};
use super::multipart::{boundary_of, parse_multipart};
use super::{Query, Router, created, error, header, json_reply, num, page, pascal, wrong_document};
use crate::model::common::DocumentId;

impl Router {
    /// `outbound/documents…`.
    pub(super) fn route_documents(
        &self,
        st: &mut State,
        req: &Request,
        seg: &[&str],
        q: &Query,
    ) -> Option<ResponseTemplate> {
        Some(match (req.method.as_str(), seg) {
            ("POST", ["outbound", "documents"]) => self.create_document(st, q),
            ("POST", ["outbound", "documents", id]) => upload_chunk(st, req, id),
            ("GET", ["outbound", "documents"]) => {
                let all: Vec<Value> = st.documents.values().map(|d| self.document_json(d)).collect();
                json_reply(200, &Value::Array(page(&all, num(q, "offset").unwrap_or(0), num(q, "limit").unwrap_or(25))))
            }
            ("GET", ["outbound", "documents", id]) => match st.documents.get(*id) {
                Some(d) if !(d.disposition.eq_ignore_ascii_case("singleUse") && d.uses > 0) => {
                    json_reply(200, &self.document_json(d))
                }
                _ => wrong_document(),
            },
            ("DELETE", ["outbound", "documents", id]) => match st.documents.remove(*id) {
                Some(_) => ResponseTemplate::new(200),
                None => wrong_document(),
            },
            _ => return None,
        })
    }

    /// Documents of a send, from any of the four body forms.
    pub(super) fn documents(&self, st: &mut State, req: &Request) -> Result<Vec<SentDocument>, Box<ResponseTemplate>> {
        let content_type = header(req, "content-type").unwrap_or("").to_owned();
        let mut docs = Vec::new();
        if let Some(boundary) =
            content_type.to_ascii_lowercase().starts_with("multipart/").then(|| boundary_of(&content_type)).flatten()
        {
            for part in parse_multipart(&req.body, &boundary) {
                let location = part.header("content-location");
                docs.push(SentDocument {
                    content_type: part.header("content-type"),
                    file_name: part.file_name(),
                    bytes: match &location {
                        Some(l) => self.resolve(st, l)?,
                        None => part.body,
                    },
                    content_location: location,
                });
            }
        } else if let Some(location) = header(req, "content-location") {
            let bytes = self.resolve(st, location)?;
            docs.push(SentDocument {
                content_type: None,
                file_name: None,
                content_location: Some(location.to_owned()),
                bytes,
            });
        } else if !req.body.is_empty() {
            docs.push(SentDocument {
                content_type: (!content_type.is_empty()).then_some(content_type),
                file_name: None,
                content_location: None,
                bytes: Bytes::from(req.body.clone()),
            });
        }
        if docs.is_empty() {
            return Err(Box::new(error(400, -123, "No valid documents attached", None)));
        }
        Ok(docs)
    }

    /// The bytes of a `Content-Location`: a sandbox document (checked and counted), or empty for other URLs.
    fn resolve(&self, st: &mut State, location: &str) -> Result<Bytes, Box<ResponseTemplate>> {
        let prefix = self.location("outbound/documents/");
        let Some(id) = location.strip_prefix(&prefix) else { return Ok(Bytes::new()) };
        match st.documents.get_mut(id) {
            Some(d)
                if d.data.len() as u64 == d.size
                    && !(d.disposition.eq_ignore_ascii_case("singleUse") && d.uses > 0) =>
            {
                d.uses += 1;
                Ok(d.data.clone())
            }
            _ => Err(Box::new(wrong_document())),
        }
    }

    fn create_document(&self, st: &mut State, q: &Query) -> ResponseTemplate {
        let (Some(size), Some(name)) = (num::<u64>(q, "size"), q.get("name")) else {
            return error(400, -1007, "Size value is not numeric or not greater than 0", None);
        };
        if size == 0 {
            return error(400, -1007, "Size value is not numeric or not greater than 0", None);
        }
        if !name.contains('.') {
            return error(415, -1004, "Missing file type", Some(name.clone()));
        }
        let id = format!("{:032x}", st.next_id());
        st.documents.insert(
            id.clone(),
            SandboxDocument {
                id: DocumentId::new(id.clone()),
                name: name.clone(),
                size,
                data: Bytes::new(),
                disposition: q.get("disposition").cloned().unwrap_or_else(|| "singleUse".into()),
                sharing: q.get("sharing").cloned().unwrap_or_else(|| "private".into()),
                uses: 0,
            },
        );
        created(self.location(&format!("outbound/documents/{id}")))
    }

    fn document_json(&self, d: &SandboxDocument) -> Value {
        let status = if d.data.is_empty() {
            "Created"
        } else if (d.data.len() as u64) < d.size {
            "PartiallyUploaded"
        } else {
            "Ready"
        };
        let now = now_text();
        json!({
            "userId": "sandbox", "fileName": d.name, "fileSize": d.size, "uploaded": d.data.len(),
            "uri": self.location(&format!("outbound/documents/{}", d.id)),
            "creationTime": now, "lastusageTime": now, "status": status,
            "disposition": pascal(&d.disposition), "sharing": pascal(&d.sharing),
        })
    }
}

fn upload_chunk(st: &mut State, req: &Request, id: &str) -> ResponseTemplate {
    let Some(doc) = st.documents.get_mut(id) else { return wrong_document() };
    let held = doc.data.len() as u64;
    if held == doc.size {
        return error(413, -1063, "Document already uploaded", None);
    }
    let range = header(req, "range").and_then(|r| r.strip_prefix("bytes=")).and_then(|r| {
        let (a, b) = r.split_once('-')?;
        Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?))
    });
    let Some((start, end)) = range else { return error(400, -1061, "Missing chunk", Some("no Range header".into())) };
    if start != held || end < start || end - start + 1 != req.body.len() as u64 || end >= doc.size {
        return error(400, -1061, "Missing chunk", Some(format!("expected bytes from {held}")));
    }
    let mut data = doc.data.to_vec();
    data.extend_from_slice(&req.body);
    doc.data = Bytes::from(data);
    let now = doc.data.len() as u64;
    let status = if now == doc.size { 200 } else { 202 };
    ResponseTemplate::new(status).insert_header("X-Content-Range", format!("bytes 0-{}/{}", now - 1, doc.size).as_str())
}
