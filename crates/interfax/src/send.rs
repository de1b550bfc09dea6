//! Sending: the documents of a fax, the 13 send options, and the four body forms. Shared by
//! [`Outbound::send_fax`](crate::outbound::Outbound::send_fax) and
//! [`Batches::send`](crate::batches::Batches::send).
//!
//! | documents | wire |
//! |---|---|
//! | one local document | raw body, `Content-Type` of the document |
//! | one URL or uploaded document | `Content-Location: <uri>`, `Content-Length: 0`, empty body |
//! | several, any mix | `multipart/form-data`, one part `name="file"` per document; URL parts carry only `Content-Location` |
//!
//! Local documents larger than the client's upload threshold (1 MiB by default) are first uploaded in chunks
//! through `/outbound/documents` and then referenced by `Content-Location`, so nothing is held in memory.

use std::marker::PhantomData;
use std::str::FromStr;

use faxkit::{Document, Error, OpenDocument, Result};
use jiff::Timestamp;
use reqwest::header::{CONTENT_LOCATION, HeaderMap, HeaderValue};

use crate::VENDOR;
use crate::client::{Body, Client, Request};
use crate::model::common::{DocumentId, query_time};
use crate::model::documents::Disposition;
use crate::model::outbound::{FitToPage, PageOrientation, PageSize, Rendering, Resolution};

/// One document of a fax: a local document (path, bytes, reader), a public URL, or a document uploaded
/// before through [`Documents`](crate::documents::Documents).
///
/// ```
/// # use interfax::{FaxDocument, DocumentId};
/// # use faxkit::Document;
/// let docs: Vec<FaxDocument> = vec![
///     Document::from_path("invoice.pdf").into(),
///     FaxDocument::url("https://example.com/terms.pdf"),
///     DocumentId::new("deca890355b44b42944970d9773962b5").into(),
/// ];
/// assert_eq!(docs.len(), 3);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum FaxDocument {
    /// A local document, streamed (or uploaded in chunks first when large).
    Local(Document),
    /// A document InterFAX fetches itself: a public URL or an `/outbound/documents/{id}` URI.
    Url(String),
    /// A document uploaded before, by id.
    Uploaded(DocumentId),
}

impl FaxDocument {
    /// A document InterFAX fetches from a URL.
    pub fn url(url: impl Into<String>) -> Self {
        FaxDocument::Url(url.into())
    }
}

impl From<Document> for FaxDocument {
    fn from(d: Document) -> Self {
        FaxDocument::Local(d)
    }
}

impl From<DocumentId> for FaxDocument {
    fn from(id: DocumentId) -> Self {
        FaxDocument::Uploaded(id)
    }
}

impl From<url::Url> for FaxDocument {
    fn from(u: url::Url) -> Self {
        FaxDocument::Url(u.into())
    }
}

/// The 13 send options but the destination, as typed values. Used by fax and batch sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// `contact`: a name shown in the queue, the header and later queries.
    pub contact: Option<String>,
    /// `postponeTime`: when to send (at most 30 days ahead; not on PCI). Sent as UTC ISO 8601 with `+00:00`.
    pub postpone_time: Option<Timestamp>,
    /// `retriesToPerform`: how many transmission attempts to make if sending fails; the control panel's when `None`.
    pub retries_to_perform: Option<u32>,
    /// `csid`: the sender id, at most 20 characters.
    pub csid: Option<String>,
    /// `pageHeader`: header template (`To: {To} From: {From} Pages: {TotalPages}`; `N` for none).
    pub page_header: Option<String>,
    /// `reference`: your id for the fax, at most 60 characters.
    pub reference: Option<String>,
    /// `replyAddress`: e-mail for feedback.
    pub reply_address: Option<String>,
    /// `pageSize`: the paper size documents are rendered to (`a4`, `letter`, `legal`, `b4`); the control panel's
    /// when `None`.
    pub page_size: Option<PageSize>,
    /// `fitToPage` (not on PCI).
    pub fit_to_page: Option<FitToPage>,
    /// `pageOrientation`: `portrait` or `landscape`; the control panel's setting when `None`.
    pub page_orientation: Option<PageOrientation>,
    /// `resolution`: `standard`, or `fine` (more readable, slower and so maybe dearer); the control panel's
    /// setting when `None`.
    pub resolution: Option<Resolution>,
    /// `rendering`: `bw` for black-and-white text, `greyscale` for images; the control panel's setting when `None`.
    pub rendering: Option<Rendering>,
}

impl SendOptions {
    fn validate(&self) -> Result<()> {
        if let Some(csid) = &self.csid
            && csid.chars().count() > 20
        {
            return Err(Error::invalid_input(VENDOR, format!("csid {csid:?} is longer than 20 characters")));
        }
        if let Some(r) = &self.reference
            && r.chars().count() > 60
        {
            return Err(Error::invalid_input(VENDOR, "reference is longer than 60 characters"));
        }
        Ok(())
    }

    /// Refuses what InterFAX documents as out of range before any request: a `postponeTime` more than 30 days
    /// ahead ("Maximum postpone time: 30 days", System limitations; else `-114`), and on the REST PCI API
    /// `postponeTime` and `fitToPage`, which its send template does not have.
    fn check_host(&self, pci: bool) -> Result<()> {
        if pci {
            for (set, name) in
                [(self.postpone_time.is_some(), "postponeTime"), (self.fit_to_page.is_some(), "fitToPage")]
            {
                if set {
                    return Err(Error::invalid_input(
                        VENDOR,
                        format!("the InterFAX REST PCI API has no {name} parameter; leave it unset on a PCI client"),
                    ));
                }
            }
        }
        if let Some(t) = self.postpone_time
            && t > Timestamp::now() + MAX_POSTPONE
        {
            return Err(Error::invalid_input(
                VENDOR,
                format!("postponeTime {t} is more than 30 days ahead; InterFAX accepts at most 30 days"),
            ));
        }
        Ok(())
    }

    fn apply(&self, req: Request) -> Request {
        req.query_opt("contact", self.contact.as_ref())
            .query_opt("postponeTime", self.postpone_time.map(query_time))
            .query_opt("retriesToPerform", self.retries_to_perform)
            .query_opt("csid", self.csid.as_ref())
            .query_opt("pageHeader", self.page_header.as_ref())
            .query_opt("reference", self.reference.as_ref())
            .query_opt("replyAddress", self.reply_address.as_ref())
            .query_opt("pageSize", self.page_size.as_ref())
            .query_opt("fitToPage", self.fit_to_page.as_ref())
            .query_opt("pageOrientation", self.page_orientation.as_ref())
            .query_opt("resolution", self.resolution.as_ref())
            .query_opt("rendering", self.rendering.as_ref())
    }
}

/// A send in preparation: documents and options, ended by [`send`](SendBuilder::send). Get one from
/// [`Outbound::send_fax`](crate::outbound::Outbound::send_fax) ([`SendFax`]) or
/// [`Batches::send`](crate::batches::Batches::send) ([`SendBatch`]).
///
/// Sends are never retried: an error after the request left may mean the fax was queued anyway.
#[derive(Debug)]
#[must_use = "nothing is sent until .send().await"]
pub struct SendBuilder<Id> {
    client: Client,
    path: &'static str,
    target: (&'static str, String),
    documents: Vec<FaxDocument>,
    options: SendOptions,
    _id: PhantomData<fn() -> Id>,
}

/// Sends one fax; returns its [`OutboundFaxId`](crate::OutboundFaxId).
pub type SendFax = SendBuilder<crate::model::common::OutboundFaxId>;
/// Sends a batch; returns its [`BatchId`](crate::BatchId).
pub type SendBatch = SendBuilder<crate::model::common::BatchId>;

impl<Id: FromStr<Err = Error>> SendBuilder<Id> {
    pub(crate) fn new(
        client: Client,
        path: &'static str,
        target: (&'static str, String),
        document: FaxDocument,
    ) -> Self {
        SendBuilder {
            client,
            path,
            target,
            documents: vec![document],
            options: SendOptions::default(),
            _id: PhantomData,
        }
    }

    /// Adds a document (faxed after the ones before it).
    pub fn document(mut self, document: impl Into<FaxDocument>) -> Self {
        self.documents.push(document.into());
        self
    }

    /// Replaces all options at once.
    pub fn options(mut self, options: SendOptions) -> Self {
        self.options = options;
        self
    }

    faxkit::setters! {
        in options;
        strings {
            /// `contact`: a name or reference shown in the outbound queue, the fax header and later queries.
            contact,
            /// `csid` (≤ 20 characters).
            csid,
            /// `pageHeader`: the header line template (`To: {To} From: {From} Pages: {TotalPages}`), `N` for none.
            page_header,
            /// `reference` (≤ 60 characters).
            reference,
            /// `replyAddress`: the e-mail address InterFAX sends feedback messages about this fax to.
            reply_address,
        }
        values {
            /// `postponeTime` (UTC instant; at most 30 days ahead; not on PCI).
            postpone_time: Timestamp,
            /// `retriesToPerform`: how many transmission attempts to make if sending fails.
            retries_to_perform: u32,
            /// `pageSize`: the paper size documents are rendered to (`a4`, `letter`, `legal`, `b4`).
            page_size: PageSize,
            /// `fitToPage` (not on PCI).
            fit_to_page: FitToPage,
            /// `pageOrientation`: `portrait` or `landscape`.
            page_orientation: PageOrientation,
            /// `resolution`: `standard`, or `fine` (more readable, slower to transmit and so maybe dearer).
            resolution: Resolution,
            /// `rendering`: `bw` for black-and-white text, `greyscale` for images.
            rendering: Rendering,
        }
    }

    /// Uploads large local documents, then sends (never retried) and returns the id from `Location`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for bad options or documents; InterFAX's errors (`-111` for a developer account
    /// faxing another number, `-114` postpone too late, …) as [`Error::Vendor`]; [`Error::Ambiguous`] when the
    /// connection failed after the send went out, carrying the `reference` as its key (find the fax with
    /// [`Outbound::search`](crate::outbound::Outbound::search) by that reference).
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, path = self.path, documents = self.documents.len()))]
    pub async fn send(self) -> Result<Id> {
        let key = self.options.reference.clone();
        self.send_once().await.map_err(|e| e.with_idempotency_key(key.as_deref()))
    }

    async fn send_once(self) -> Result<Id> {
        self.options.validate()?;
        self.options.check_host(self.client.is_pci())?;
        // Open everything first (reads 16 bytes each), so every check happens before any request.
        let mut resolved = Vec::with_capacity(self.documents.len());
        for doc in &self.documents {
            resolved.push(match doc {
                FaxDocument::Local(d) => {
                    let open = d.open().await?;
                    if open.len() > self.client.upload_threshold() {
                        Resolved::Upload(open)
                    } else {
                        Resolved::Open(open)
                    }
                }
                FaxDocument::Url(u) => Resolved::Location(u.clone()),
                FaxDocument::Uploaded(id) => Resolved::Location(document_uri(&self.client, id)?),
            });
        }
        // Declared lengths come from the caller (`Document::from_reader`): a sum past u64::MAX is over the cap too.
        let inline = resolved
            .iter()
            .map(|r| if let Resolved::Open(o) = r { o.len() } else { 0 })
            .try_fold(0u64, u64::checked_add)
            .unwrap_or(u64::MAX);
        if inline > MAX_INLINE_ATTACHMENTS {
            return Err(Error::invalid_input(
                VENDOR,
                format!(
                    "{inline} bytes of documents in one request; InterFAX accepts at most {MAX_INLINE_ATTACHMENTS} \
                     (\"Maximum total attachment size: 20 MB\"): lower the client's upload threshold so large \
                     documents are uploaded first"
                ),
            ));
        }
        let mut ready = Vec::with_capacity(resolved.len());
        for r in resolved {
            ready.push(match r {
                Resolved::Upload(open) => {
                    // An upload lost mid-way sent no fax: its ambiguity is not the send's.
                    // Referenced by the URI InterFAX returned in `Location`, not one rebuilt from the base URL.
                    let (_, uri) = self
                        .client
                        .documents()
                        .upload_open_located(open, Some(Disposition::SingleUse), None)
                        .await
                        .map_err(Error::without_ambiguity)?;
                    Ready::Location(uri)
                }
                Resolved::Open(open) => Ready::Open(open),
                Resolved::Location(uri) => Ready::Location(uri),
            });
        }
        let mut resolved = ready;
        let req = self.options.apply(Request::post(self.path).query(self.target.0, &self.target.1)).transfer();
        let req = if resolved.len() == 1 {
            match resolved.pop() {
                Some(Ready::Open(open)) => {
                    let (content_type, len) = (open.content_type().to_owned(), open.len());
                    req.body(Body::Stream { body: open.into_body(), content_type: content_type.into(), len: Some(len) })
                }
                Some(Ready::Location(uri)) => req.header_str(VENDOR, CONTENT_LOCATION, &uri)?,
                None => return Err(Error::invalid_input(VENDOR, "a fax needs at least one document")),
            }
        } else if resolved.is_empty() {
            return Err(Error::invalid_input(VENDOR, "a fax needs at least one document"));
        } else {
            let mut form = reqwest::multipart::Form::new();
            for r in resolved {
                let part = match r {
                    Ready::Open(open) => open.into_part()?,
                    Ready::Location(uri) => {
                        let value = HeaderValue::from_str(&uri)
                            .map_err(|_| Error::invalid_input(VENDOR, format!("{uri:?} is not a valid URI")))?;
                        let mut headers = HeaderMap::new();
                        headers.insert(CONTENT_LOCATION, value);
                        reqwest::multipart::Part::bytes(Vec::new()).headers(headers)
                    }
                };
                form = form.part("file", part);
            }
            req.body(Body::multipart_once(VENDOR, form))
        };
        self.client.created_id(req).await
    }
}

/// InterFAX's "Maximum total attachment size: 20 MB" (InterFAX REST API documentation, "REST API Conventions" > "System limitations"), for the documents
/// sent inside one request; uploaded documents are referenced, not attached.
pub const MAX_INLINE_ATTACHMENTS: u64 = 20 * 1024 * 1024;

/// InterFAX's "Maximum postpone time: 30 days" (System limitations).
const MAX_POSTPONE: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// A document once opened: attached, to be uploaded first, or referenced.
enum Resolved {
    Open(OpenDocument),
    /// Larger than the upload threshold: uploaded in chunks before the send.
    Upload(OpenDocument),
    Location(String),
}

/// A document ready for the send request: attached or referenced.
enum Ready {
    Open(OpenDocument),
    Location(String),
}

/// The URI InterFAX gives an uploaded document (`<base>/outbound/documents/{id}`).
pub(crate) fn document_uri(client: &Client, id: &DocumentId) -> Result<String> {
    Ok(client.url(&format!("outbound/documents/{id}"))?.into())
}
