//! Fax4A fax jobs: `POST /{custNr}/fax`.
//!
//! The request body is JSON with each document's content inline as base64. It is written as a stream: the
//! JSON before a document, the document's base64 (encoded chunk by chunk while it is read), the JSON after it.
//! The body length is known up front, so a 1 GB document needs no more memory than a 1 KB one.

use bytes::Bytes;
use faxkit::http::{Body, Request};
use faxkit::stream::ByteStream;
use faxkit::{Error, Result};

use crate::VENDOR;
use crate::client::Client;
use crate::model::jobs::{
    DocumentHeader, DocumentSource, FaxJobRequest, FaxJobResponse, FaxRecipient, JobDocument, MetaData, Reference,
    RenderingOptions, StatusReportOptions, TransportOptions,
};
use crate::region::DataCenter;

/// Longest document name Retarus accepts.
pub const MAX_DOCUMENT_NAME_LEN: usize = 32;

/// Fax4A sends. Get one with [`Client::jobs`].
#[derive(Debug, Clone)]
pub struct Jobs {
    client: Client,
}

impl Client {
    /// Fax4A sends.
    pub fn jobs(&self) -> Jobs {
        Jobs { client: self.clone() }
    }
}

impl Jobs {
    /// Starts a job for one recipient; add documents and options, then [`SendJob::send`].
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] tokio_test(async {
    /// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use faxkit::{Document, FaxNumber};
    /// use retarus_fax::model::jobs::{PaperFormat, Reference, RenderingOptions};
    ///
    /// let job = client.jobs()
    ///     .send(FaxNumber::parse("+49 89 1234567")?)
    ///     .document(Document::from_bytes(&b"%PDF-1.4 invoice"[..], "invoice.pdf"))
    ///     // Optional parameters
    ///     .reference(Reference::new("invoice-42"))
    ///     .rendering_options(RenderingOptions::new(PaperFormat::A4))
    ///     .send()
    ///     .await?;
    /// println!("job {}", job.job_id);
    /// # Ok::<(), faxkit::Error>(()) });
    /// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
    /// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
    /// ```
    pub fn send(&self, recipient: impl Into<FaxRecipient>) -> SendJob {
        SendJob { client: self.client.clone(), request: FaxJobRequest::new(recipient), via: None }
    }

    /// Sends a complete [`FaxJobRequest`].
    ///
    /// # Errors
    /// See [`SendJob::send`].
    pub async fn send_request(&self, request: FaxJobRequest) -> Result<FaxJobResponse> {
        SendJob { client: self.client.clone(), request, via: None }.send().await
    }
}

/// A job being built; [`send`](SendJob::send) sends it.
#[derive(Debug, Clone)]
#[must_use = "a job is sent only by .send().await"]
pub struct SendJob {
    client: Client,
    request: FaxJobRequest,
    via: Option<DataCenter>,
}

impl SendJob {
    /// Adds a recipient.
    pub fn recipient(mut self, recipient: impl Into<FaxRecipient>) -> Self {
        self.request.recipients.push(recipient.into());
        self
    }

    /// Adds a document: a [`faxkit::Document`] (sent inline, streamed) or a [`JobDocument`].
    pub fn document(mut self, document: impl Into<JobDocument>) -> Self {
        self.request.documents.push(document.into());
        self
    }

    faxkit::setters! {
        in request;
        values {
            /// Sets the reference.
            reference: Reference,
            /// Sets the transport options.
            transport_options: TransportOptions,
            /// Sets the rendering options.
            rendering_options: RenderingOptions,
            /// Sets the status report options.
            status_report_options: StatusReportOptions,
            /// Sets the metadata.
            meta: MetaData,
        }
    }

    /// The request as built so far.
    pub fn request(&self) -> &FaxJobRequest {
        &self.request
    }

    /// Sends the job. Never retried once the request may have left: a duplicate would be a second fax.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a job without recipients, without documents and cover page, or with a bad
    /// document name; [`Error::Vendor`] with [`crate::ApiErrorCode::DuplicateJob`] on an HTTP 409 that names no
    /// job (one that names it is `Ok` with [`FaxJobResponse::already_accepted`]) and
    /// [`crate::ApiErrorCode::UnknownError`] on 520; [`Error::Auth`] on 401/403; [`Error::Ambiguous`] when the
    /// connection failed after the job went out or on a 5xx, with `reference.customerDefinedId` as its key.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, recipients = self.request.recipients.len()))]
    pub async fn send(self) -> Result<FaxJobResponse> {
        let key = self.request.reference.as_ref().and_then(|r| r.customer_defined_id.clone());
        self.send_once().await.map_err(|e| e.with_idempotency_key(key.as_deref()))
    }

    async fn send_once(self) -> Result<FaxJobResponse> {
        let inner = &self.client.inner;
        let http = match &self.via {
            None => &inner.send.http,
            Some(dc) => {
                &inner
                    .data_centers
                    .iter()
                    .find(|e| e.data_center.as_ref() == Some(dc))
                    .ok_or_else(|| {
                        Error::invalid_input(VENDOR, format!("data center {dc} is not in the client's region"))
                    })?
                    .http
            }
        };
        let (body, len) = encode_body(&self.request).await?;
        let url = Client::url(http, &[&inner.customer_number, "fax"])?;
        let body = Body::Stream {
            body: reqwest::Body::wrap_stream(body),
            content_type: "application/json".into(),
            len: Some(len),
        };
        let request = Request::at(reqwest::Method::POST, url).transfer().body(body);
        self.client.send_job(http, request).await
    }
}

faxkit::setters!(SendJob {
    plain {
        /// Sends through one data center of the client's region instead of the configured send URL.
        via: DataCenter,
    }
});

/// Checks a request and writes its JSON body as a stream; returns the stream and its exact length.
///
/// # Errors
/// [`Error::InvalidInput`] for invalid requests; I/O errors opening documents.
pub async fn encode_body(request: &FaxJobRequest) -> Result<(ByteStream, u64)> {
    validate(request)?;
    let head = serde_json::to_vec(request)
        .map_err(|e| Error::invalid_input(VENDOR, format!("cannot serialize the job: {e}")))?;
    let mut parts: Vec<ByteStream> = Vec::new();
    let mut len = 0u64;
    let mut pending: Vec<u8> = strip_closing_brace(&head).to_vec();
    if !request.documents.is_empty() {
        if pending.len() > 1 {
            pending.push(b',');
        }
        pending.extend_from_slice(b"\"documents\":[");
        for (i, doc) in request.documents.iter().enumerate() {
            if i > 0 {
                pending.push(b',');
            }
            match &doc.source {
                DocumentSource::Reference(url) => {
                    let name = doc.name.clone().unwrap_or_else(|| name_from_url(url));
                    check_name(&name)?;
                    check_type(&name, doc.charset.is_some())?;
                    let header = DocumentHeader { name: &name, charset: doc.charset.as_ref(), reference: Some(url) };
                    pending.extend_from_slice(&to_json(&header)?);
                }
                DocumentSource::Data(document) => {
                    let open = document.open().await?;
                    let name = match &doc.name {
                        Some(n) => n.clone(),
                        None => sanitize_document_name(open.file_name(), open.extension().as_deref()),
                    };
                    check_name(&name)?;
                    check_type(&name, doc.charset.is_some())?;
                    let header = DocumentHeader { name: &name, charset: doc.charset.as_ref(), reference: None };
                    pending.extend_from_slice(strip_closing_brace(&to_json(&header)?));
                    pending.extend_from_slice(b",\"data\":\"");
                    len += pending.len() as u64;
                    parts.push(faxkit::stream::once(Bytes::from(std::mem::take(&mut pending))));
                    len += faxkit::base64::encoded_len(open.len());
                    parts.push(open.into_base64_stream());
                    pending.extend_from_slice(b"\"}");
                }
            }
        }
        pending.push(b']');
    }
    pending.push(b'}');
    len += pending.len() as u64;
    parts.push(faxkit::stream::once(Bytes::from(pending)));
    Ok((Box::pin(futures::StreamExt::flatten(futures::stream::iter(parts))), len))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::invalid_input(VENDOR, format!("cannot serialize the job: {e}")))
}

fn strip_closing_brace(json: &[u8]) -> &[u8] {
    json.strip_suffix(b"}").unwrap_or(json)
}

fn validate(request: &FaxJobRequest) -> Result<()> {
    if request.recipients.is_empty() {
        return Err(Error::invalid_input(VENDOR, "a fax job needs at least one recipient"));
    }
    if let Some(r) = request.recipients.iter().find(|r| r.number.trim().is_empty()) {
        return Err(Error::invalid_input(VENDOR, format!("recipient number {:?} is empty", r.number)));
    }
    let has_cover = request.rendering_options.as_ref().is_some_and(|r| r.coverpage_template.is_some());
    if request.documents.is_empty() && !has_cover {
        return Err(Error::invalid_input(VENDOR, "a fax job needs a document or a cover page template"));
    }
    if let Some(csid) = request.transport_options.as_ref().and_then(|t| t.csid.as_ref())
        && csid.chars().count() > 20
    {
        return Err(Error::invalid_input(VENDOR, format!("CSID {csid:?} is longer than 20 characters")));
    }
    if let Some(r) = &request.reference {
        for (field, value, max) in [
            ("customerDefinedId", &r.customer_defined_id, 256),
            ("billingCode", &r.billing_code, 80),
            ("billingInfo", &r.billing_info, 80),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                return Err(Error::invalid_input(VENDOR, format!("reference.{field} is longer than {max} characters")));
            }
        }
    }
    Ok(())
}

fn check_name(name: &str) -> Result<()> {
    let ok_chars = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if name.is_empty() || name.len() > MAX_DOCUMENT_NAME_LEN || !ok_chars {
        return Err(Error::invalid_input(
            VENDOR,
            format!("document name {name:?} must be 1 to 32 characters of a-z, A-Z, 0-9, '-', '_', '.'"),
        ));
    }
    Ok(())
}

/// Fax4A decides a document's file type by the extension of its `name` ("the extension decides the file
/// type"), and takes a `charset` for `.txt` documents only: a name without an extension, or a charset on any
/// other type, is refused before the request.
fn check_type(name: &str, has_charset: bool) -> Result<()> {
    let ext = name.rsplit_once('.').map(|(stem, ext)| (stem, ext.to_ascii_lowercase()));
    let Some((stem, ext)) = ext.filter(|(stem, ext)| !stem.is_empty() && !ext.is_empty()) else {
        return Err(Error::invalid_input(
            VENDOR,
            format!(
                "document name {name:?} has no file extension: Retarus decides the file type by the name's extension \
                 (name the document, e.g. \"letter.pdf\")"
            ),
        ));
    };
    let _ = stem;
    if has_charset && ext != "txt" {
        return Err(Error::invalid_input(
            VENDOR,
            format!("document {name:?} has a charset, which Retarus takes for .txt documents only"),
        ));
    }
    Ok(())
}

fn name_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    sanitize_document_name(last, ext.as_deref())
}

/// Turns any file name into one Retarus accepts: characters outside `a-zA-Z0-9-_.` become `_`, and long names
/// are shortened to 32 characters keeping the extension.
///
/// ```
/// # use retarus_fax::jobs::sanitize_document_name;
/// assert_eq!(sanitize_document_name("Rechnung März 2024.pdf", Some("pdf")), "Rechnung_M_rz_2024.pdf");
/// assert_eq!(sanitize_document_name("", Some("pdf")), "document.pdf");
/// assert_eq!(sanitize_document_name(&"a".repeat(40), Some("tif")).len(), 32);
/// ```
pub fn sanitize_document_name(name: &str, extension: Option<&str>) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let ext: String = extension
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    let (stem, has_ext) = match clean.rsplit_once('.') {
        Some((s, e)) if !ext.is_empty() && e.eq_ignore_ascii_case(&ext) => (s.to_owned(), true),
        _ => (clean.clone(), false),
    };
    let stem = if stem.trim_matches(['_', '.']).is_empty() { "document".to_owned() } else { stem };
    let suffix = if ext.is_empty() {
        String::new()
    } else if has_ext {
        format!(".{}", clean.rsplit_once('.').map(|(_, e)| e).unwrap_or(&ext))
    } else {
        format!(".{ext}")
    };
    let room = MAX_DOCUMENT_NAME_LEN.saturating_sub(suffix.len());
    let stem: String = stem.chars().take(room).collect();
    format!("{stem}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::jobs::*;
    use faxkit::Document;

    #[tokio::test]
    async fn body_streams_documents_and_has_exact_length() {
        let mut req = FaxJobRequest::new(FaxRecipient::new("+4989123").property("ToName", "Bob"));
        req.documents.push(
            JobDocument::data(Document::from_bytes(&b"hello world"[..], "a b.txt")).charset(Charset::Windows1252),
        );
        req.documents.push(JobDocument::reference("cover.pdf", "https://example.com/c.pdf"));
        req.rendering_options = Some(RenderingOptions::new(PaperFormat::Letter));
        let (stream, len) = encode_body(&req).await.unwrap();
        let body = faxkit::stream::collect("t", stream, 1 << 20).await.unwrap();
        assert_eq!(body.len() as u64, len);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "recipients": [{"number": "+4989123", "properties": [{"key": "ToName", "value": "Bob"}]}],
                "renderingOptions": {"paperFormat": "LETTER"},
                "documents": [
                    {"name": "a_b.txt", "charset": "Windows-1252", "data": "aGVsbG8gd29ybGQ="},
                    {"name": "cover.pdf", "reference": "https://example.com/c.pdf"}
                ]
            })
        );
    }

    #[tokio::test]
    async fn invalid_jobs_are_refused_before_sending() {
        let req = FaxJobRequest::new(FaxRecipient::new("+4989123"));
        assert!(encode_body(&req).await.is_err(), "no document, no cover page");
        let mut req = FaxJobRequest::new(FaxRecipient::new("+4989123"));
        req.documents.push(JobDocument::data(Document::from_bytes(&b"x"[..], "a.pdf")).name("bad name.pdf"));
        assert!(encode_body(&req).await.is_err());
    }
}
