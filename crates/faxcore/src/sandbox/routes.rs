//! The sandbox's HTTP side: one wiremock responder speaking FaxCore's wire.
//!
//! Documented behaviour follows the reference: paths `/api/<Resource>`, Basic auth, the query parameters of
//! each URI template, the raw document as the `SendFax` body, `<ApiResponse>` replies and a base64 body for
//! `DownloadFax`. Where the reference is silent the sandbox makes a plain choice (see `docs/vendors/faxcore.md`): wrong
//! credentials → HTTP 401, an unknown fax id → HTTP 404, a bad parameter → HTTP 400, each with
//! `<ApiResponse><Error>…</Error></ApiResponse>`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use faxkit::sandbox::lock;
use wiremock::{Request, Respond, ResponseTemplate};

use super::state::{SentFax, State};
use crate::model::envelope::TextResults;
use crate::model::envelope::{ApiResponse, XML_DECLARATION};
use crate::model::get_fax_details::FaxDetailsBody;
use crate::model::get_fax_list::FaxListBody;
use crate::model::{FaxId, FileFormat, FileType, Folder};
use crate::operation::Operation;

/// The error reply the sandbox uses where the reference documents none.
#[derive(serde::Serialize)]
#[serde(rename = "ApiResponse")]
struct ErrorReply {
    #[serde(rename = "Error")]
    error: String,
}

pub(crate) struct FaxCoreApi {
    pub(crate) state: Arc<Mutex<State>>,
}

fn xml<T: serde::Serialize>(op: Operation, body: &T) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(ApiResponse::to_xml(op, body), "application/xml; charset=utf-8")
}

fn error(status: u16, message: impl Into<String>) -> ResponseTemplate {
    let body = match quick_xml::se::to_string(&ErrorReply { error: message.into() }) {
        Ok(x) => format!("{XML_DECLARATION}\n{x}"),
        Err(_) => format!("{XML_DECLARATION}\n<ApiResponse><Error>error</Error></ApiResponse>"),
    };
    ResponseTemplate::new(status).set_body_raw(body, "application/xml; charset=utf-8")
}

impl Respond for FaxCoreApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Some(resource) = path.strip_prefix("/api/") else {
            return error(404, format!("No HTTP resource was found that matches the request URI '{path}'."));
        };
        let resource = resource.trim_end_matches('/').to_ascii_lowercase();
        let known = ["sendfax", "faxstatus", "getfaxlist", "getfaxdetails", "downloadfax", "deletefax"];
        if !known.contains(&resource.as_str()) {
            return error(404, format!("No HTTP resource was found that matches the request URI '{path}'."));
        }
        let method = request.method.as_str();
        let want = if resource == "sendfax" { "POST" } else { "GET" };
        if method != want {
            return error(405, format!("The requested resource does not support http method '{method}'."));
        }
        let mut state = lock(&self.state);
        if !authorized(request, &state) {
            return error(401, "Authorization has been denied for this request.")
                .insert_header("WWW-Authenticate", "Basic realm=\"FaxCore\"");
        }
        let query: HashMap<String, String> =
            request.url.query_pairs().map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned())).collect();
        let param = |name: &str| query.get(name).cloned().unwrap_or_default();
        if resource == "sendfax" {
            return send_fax(&mut state, request, &query);
        }
        if resource == "getfaxlist" {
            let folder = Folder::from_wire(&param("folder"));
            if !folder.is_known() {
                return error(400, format!("Invalid folder '{}'.", param("folder")));
            }
            let hide = match param("hidedownloaded").to_ascii_lowercase().as_str() {
                "" | "false" => false,
                "true" => true,
                other => return error(400, format!("Invalid hidedownloaded value '{other}'.")),
            };
            let fax_ids = state.list(&folder, hide);
            return xml(Operation::GetFaxList, &FaxListBody { fax_ids });
        }
        let Ok(id) = param("faxid").parse::<FaxId>() else {
            return error(400, format!("Invalid fax id '{}'.", param("faxid")));
        };
        let not_found = || error(404, format!("Fax {id} was not found."));
        match resource.as_str() {
            "faxstatus" => match state.read_status(id) {
                Some(d) => xml(
                    Operation::FaxStatus,
                    &TextResults { results: d.status.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default() },
                ),
                None => not_found(),
            },
            "getfaxdetails" => match state.read_status(id) {
                Some(results) => xml(Operation::GetFaxDetails, &FaxDetailsBody { results }),
                None => not_found(),
            },
            "downloadfax" => {
                let file_type = FileType::from_wire(&param("filetype"));
                if !file_type.is_known() {
                    return error(
                        400,
                        format!("Invalid file type '{}'. Accepted values are PDF or TIF.", param("filetype")),
                    );
                }
                let Some(fax) = state.faxes.get_mut(&id) else { return not_found() };
                fax.downloaded = true;
                fax.downloads = fax.downloads.saturating_add(1);
                let image = render(&fax.document, &file_type);
                ResponseTemplate::new(200).set_body_raw(faxkit::base64::encode(&image), "text/plain; charset=utf-8")
            }
            _ => {
                if state.delete(id) {
                    xml(Operation::DeleteFax, &TextResults { results: "OK".to_owned() })
                } else {
                    not_found()
                }
            }
        }
    }
}

fn authorized(request: &Request, state: &State) -> bool {
    let Some(value) = request.headers.get("authorization").and_then(|v| v.to_str().ok()) else { return false };
    let Some(token) = value.strip_prefix("Basic ") else { return false };
    let Ok(decoded) = faxkit::base64::decode(crate::VENDOR, token.trim().as_bytes()) else { return false };
    let expected = format!("{}:{}", state.username, state.password);
    decoded == expected.as_bytes()
}

fn send_fax(state: &mut State, request: &Request, query: &HashMap<String, String>) -> ResponseTemplate {
    let param = |name: &str| query.get(name).map(String::as_str).unwrap_or("");
    let recpfax = param("recpfax");
    let digits = recpfax.strip_prefix('+').unwrap_or(recpfax);
    if !(7..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return error(400, format!("Invalid recipient fax number '{recpfax}'."));
    }
    let filename = param("filename");
    let ext = filename.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if FileFormat::from_extension(ext).is_none() {
        return error(400, format!("Unsupported file type '{filename}'."));
    }
    if request.body.is_empty() {
        return error(400, "The fax attachment (POST body) is empty.");
    }
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let sent = SentFax {
        id: FaxId::new(0),
        recpfax: recpfax.to_owned(),
        recpname: param("recpname").to_owned(),
        sendername: param("sendername").to_owned(),
        sendercompany: param("sendercompany").to_owned(),
        subject: param("subject").to_owned(),
        notes: param("notes").to_owned(),
        filename: filename.to_owned(),
        content_type,
        document: Bytes::copy_from_slice(&request.body),
    };
    let id = state.queue_outbound(sent);
    xml(Operation::SendFax, &TextResults { results: id.to_string() })
}

/// The fax image in the asked type: the stored document when it already is one, else a stand-in page.
fn render(document: &Bytes, file_type: &FileType) -> Bytes {
    let is_pdf = document.starts_with(b"%PDF-");
    let is_tiff = document.starts_with(b"II*\0") || document.starts_with(b"MM\0*");
    match file_type {
        FileType::Tif if is_tiff => document.clone(),
        FileType::Tif => Bytes::from(blank_tiff()),
        _ if is_pdf => document.clone(),
        _ => Bytes::from_static(BLANK_PDF),
    }
}

/// A one-page PDF standing in for a rendered document.
const BLANK_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A 1x1 bilevel TIFF standing in for a rendered page.
fn blank_tiff() -> Vec<u8> {
    let entries: [(u16, u16, u32); 8] =
        [(256, 3, 1), (257, 3, 1), (258, 3, 1), (259, 3, 1), (262, 3, 0), (273, 4, 110), (278, 3, 1), (279, 4, 1)];
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(0);
    out
}
