//! Document uploads: sessions, chunks with `Range: bytes=a-b`, listing, status, cancel, and streamed upload of
//! whole documents.

use bytes::{Bytes, BytesMut};
use faxkit::{Document, Error, OpenDocument, Result};
use futures::{Stream, StreamExt};
use reqwest::header::RANGE;

use crate::VENDOR;
use crate::client::{Body, Client, Request};
use crate::model::common::DocumentId;
use crate::model::documents::{ChunkOutcome, ContentRange, Disposition, Sharing, UploadedDocument};

/// Document upload operations; get one with [`Client::documents`].
///
/// Upload a large document once, then fax it by reference as often as its [`Disposition`] allows:
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # let client = sandbox.client();
/// use faxkit::{Document, FaxNumber};
/// use interfax::Disposition;
///
/// let doc = Document::from_bytes(vec![b'%'; 3_000_000], "big.pdf");
/// let id = client.documents().upload(doc).disposition(Disposition::MultiUse).send().await?;
/// let status = client.documents().get(&id).await?;
/// assert_eq!(status.uploaded, Some(3_000_000));
/// client.outbound().send_fax(FaxNumber::parse("+12125550100")?, id.clone()).send().await?;
/// client.documents().cancel(&id).await?;
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Documents {
    client: Client,
}

impl Client {
    /// The document upload operations.
    pub fn documents(&self) -> Documents {
        Documents::new(self.clone())
    }
}

impl Documents {
    pub(crate) fn new(client: Client) -> Self {
        Documents { client }
    }

    /// Creates an upload session (`POST /outbound/documents?size=&name=`); the name must end with a supported
    /// extension (`.pdf`, `.docx` …).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use bytes::Bytes;
    /// use interfax::ChunkOutcome;
    /// let docs = client.documents();
    /// let id = docs.create("note.pdf", 12).send().await?;
    /// assert!(matches!(docs.upload_chunk(&id, 0, Bytes::from_static(b"%PDF-1")).await?, ChunkOutcome::Accepted { .. }));
    /// assert!(matches!(docs.upload_chunk(&id, 6, Bytes::from_static(b".4 end")).await?, ChunkOutcome::Complete { .. }));
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn create(&self, name: impl Into<String>, size: u64) -> CreateSession {
        CreateSession { client: self.client.clone(), name: name.into(), size, disposition: None, sharing: None }
    }

    /// Uploads one chunk (`POST /outbound/documents/{id}`, `Range: bytes={start}-{end}`, end inclusive). Chunks
    /// must be sequential and at most 1 MiB.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty or oversized chunk, or one that would end past byte `u64::MAX`.
    pub async fn upload_chunk(&self, id: &DocumentId, start: u64, chunk: Bytes) -> Result<ChunkOutcome> {
        if chunk.is_empty() || chunk.len() > crate::client::MAX_CHUNK_SIZE {
            return Err(Error::invalid_input(VENDOR, format!("a chunk holds 1..=1048576 bytes, not {}", chunk.len())));
        }
        let len = chunk.len() as u64;
        let end = start.checked_add(len - 1).ok_or_else(|| {
            Error::invalid_input(VENDOR, format!("a chunk of {len} bytes at offset {start} ends past u64::MAX"))
        })?;
        let req = Request::post(format!("outbound/documents/{id}"))
            .header_str(VENDOR, RANGE, &format!("bytes={start}-{end}"))?
            .body(Body::Stream { body: chunk.into(), content_type: "application/octet-stream".into(), len: Some(len) })
            .transfer();
        let response = match self.client.send_request(req).await {
            Ok(r) => r,
            Err(Error::HttpStatus { status: 413, .. }) => return Ok(ChunkOutcome::AlreadyComplete),
            Err(Error::Vendor { status: 413, .. }) => return Ok(ChunkOutcome::AlreadyComplete),
            Err(e) => return Err(e),
        };
        let range =
            response.headers().get("x-content-range").and_then(|v| v.to_str().ok()).and_then(ContentRange::parse);
        let status = response.status().as_u16();
        drop(response);
        Ok(match status {
            200 => ChunkOutcome::Complete { range },
            _ => ChunkOutcome::Accepted { range },
        })
    }

    /// Uploads a whole document: creates the session and streams it in chunks of the client's chunk size (1 MiB
    /// by default). Memory holds one chunk, never the document.
    pub fn upload(&self, document: impl Into<Document>) -> Upload {
        Upload { client: self.client.clone(), document: document.into(), disposition: None, sharing: None }
    }

    pub(crate) async fn upload_open(
        &self,
        open: OpenDocument,
        disposition: Option<Disposition>,
        sharing: Option<Sharing>,
    ) -> Result<DocumentId> {
        let size = open.len();
        let name = upload_name(&open);
        let (id, _) = self.upload_located(open, name, size, disposition, sharing).await?;
        Ok(id)
    }

    /// Uploads and returns the id and the URI InterFAX gave the document in `Location` (the one to send by:
    /// behind a proxy it is not under the client's base URL).
    pub(crate) async fn upload_open_located(
        &self,
        open: OpenDocument,
        disposition: Option<Disposition>,
        sharing: Option<Sharing>,
    ) -> Result<(DocumentId, String)> {
        let size = open.len();
        let name = upload_name(&open);
        self.upload_located(open, name, size, disposition, sharing).await
    }

    async fn upload_located(
        &self,
        open: OpenDocument,
        name: String,
        size: u64,
        disposition: Option<Disposition>,
        sharing: Option<Sharing>,
    ) -> Result<(DocumentId, String)> {
        let (id, uri) = self.create(name, size).disposition(disposition).sharing(sharing).send_located().await?;
        if let Err(e) = self.upload_chunks(&id, open, size).await {
            let _ = self.cancel(&id).await;
            return Err(e);
        }
        Ok((id, uri))
    }

    async fn upload_chunks(&self, id: &DocumentId, open: OpenDocument, size: u64) -> Result<()> {
        let chunk_size = self.client.chunk_size();
        let mut stream = open.into_stream();
        let mut buf = BytesMut::with_capacity(chunk_size);
        let mut sent: u64 = 0;
        loop {
            let item = stream.next().await;
            let finished = item.is_none();
            if let Some(bytes) = item {
                buf.extend_from_slice(&bytes?);
            }
            while buf.len() >= chunk_size || (finished && !buf.is_empty()) {
                let take = buf.len().min(chunk_size);
                let chunk = buf.split_to(take).freeze();
                let start = sent;
                sent = sent
                    .checked_add(chunk.len() as u64)
                    .ok_or_else(|| Error::invalid_input(VENDOR, "document upload: more than u64::MAX bytes read"))?;
                let last = sent >= size;
                let outcome = self.upload_chunk(id, start, chunk).await?;
                check_chunk(outcome, sent, last)?;
            }
            if finished {
                break;
            }
        }
        if sent != size {
            return Err(Error::io(
                VENDOR,
                "document upload",
                std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("{sent} of {size} bytes read")),
            ));
        }
        Ok(())
    }

    /// Lists upload sessions (`GET /outbound/documents`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client.documents().list().stream().try_collect().await?;
    /// for doc in &all {
    ///     println!("{:?} {:?}: {:?}/{:?} bytes", doc.id(), doc.status, doc.uploaded, doc.file_size);
    /// }
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn list(&self) -> ListDocuments {
        ListDocuments { client: self.client.clone(), limit: None, offset: None }
    }

    /// One session's status (`GET /outbound/documents/{id}`).
    ///
    /// # Errors
    /// [`Error::NotFound`] (`-1062`) for an unknown id, and also for a used-up single-use document.
    pub async fn get(&self, id: &DocumentId) -> Result<UploadedDocument> {
        self.client.json(Request::get(format!("outbound/documents/{id}"))).await
    }

    /// Cancels a session or deletes a document (`DELETE /outbound/documents/{id}`).
    pub async fn cancel(&self, id: &DocumentId) -> Result<()> {
        self.client.confirmed(Request::delete(format!("outbound/documents/{id}"))).await
    }

    /// The URI to fax an uploaded document by (`Content-Location`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an id that does not form a URL.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let id = interfax::DocumentId::new("deca890355b44b42944970d9773962b5");
    /// assert!(client.documents().uri(&id)?.ends_with("/outbound/documents/deca890355b44b42944970d9773962b5"));
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn uri(&self, id: &DocumentId) -> Result<String> {
        crate::send::document_uri(&self.client, id)
    }
}

/// A file name with the extension InterFAX uses to know the type.
fn upload_name(open: &OpenDocument) -> String {
    let name = open.file_name();
    if name.contains('.') {
        return name.to_owned();
    }
    match open.extension() {
        Some(ext) => format!("{name}.{ext}"),
        None => name.to_owned(),
    }
}

fn check_chunk(outcome: ChunkOutcome, sent: u64, last: bool) -> Result<()> {
    let range = match outcome {
        ChunkOutcome::Accepted { range } if !last => range,
        ChunkOutcome::Complete { range } if last => range,
        ChunkOutcome::AlreadyComplete if last => None,
        other => {
            return Err(Error::decode(
                VENDOR,
                format!("unexpected chunk reply {other:?} after {sent} bytes (last chunk: {last})"),
                b"",
                None,
            ));
        }
    };
    if let Some(r) = range
        && r.end.checked_add(1) != Some(sent)
    {
        return Err(Error::decode(
            VENDOR,
            format!("X-Content-Range says {}-{} but {sent} bytes were sent", r.start, r.end),
            b"",
            None,
        ));
    }
    Ok(())
}

/// `POST /outbound/documents`; from [`Documents::create`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until .send().await"]
pub struct CreateSession {
    client: Client,
    name: String,
    size: u64,
    disposition: Option<Disposition>,
    sharing: Option<Sharing>,
}

impl CreateSession {
    /// Creates the session (never retried); returns the document id from `Location` (201 or 202).
    pub async fn send(self) -> Result<DocumentId> {
        self.send_located().await.map(|(id, _)| id)
    }

    /// Like [`send`](Self::send), also returning the document's URI exactly as InterFAX wrote it in `Location`
    /// (a relative one resolved against the base URL). Fax the document by that URI
    /// ([`FaxDocument::url`](crate::FaxDocument::url)) when the client talks to InterFAX through a proxy.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let (id, uri) = client.documents().create("note.pdf", 12).send_located().await?;
    /// assert!(uri.ends_with(&format!("/outbound/documents/{id}")));
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn send_located(self) -> Result<(DocumentId, String)> {
        if self.size == 0 {
            return Err(Error::invalid_input(VENDOR, "a document needs a size above 0"));
        }
        let req = Request::post("outbound/documents")
            .query("size", self.size)
            .query("name", &self.name)
            .query_opt("disposition", self.disposition.as_ref())
            .query_opt("sharing", self.sharing.as_ref());
        let (id, uri) = self.client.created_location(req).await?;
        Ok((DocumentId::from(id), uri))
    }
}

faxkit::setters!(CreateSession {
    values {
        /// `disposition` (default `singleUse`).
        disposition: Disposition,
        /// `sharing` (default `private`).
        sharing: Sharing,
    }
});

/// A whole-document upload; from [`Documents::upload`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until .send().await"]
pub struct Upload {
    client: Client,
    document: Document,
    disposition: Option<Disposition>,
    sharing: Option<Sharing>,
}

impl Upload {
    /// Creates the session and uploads every chunk; on failure the session is cancelled.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn send(self) -> Result<DocumentId> {
        let open = self.document.open().await?;
        self.client.documents().upload_open(open, self.disposition, self.sharing).await
    }
}

faxkit::setters!(Upload {
    values {
        /// `disposition`: how long the uploaded document lives (`singleUse`, `multiUse`, `permanent`); `singleUse`
        /// when `None`.
        disposition: Disposition,
        /// `sharing`: `private` (only the uploading user may fax it) or `shared` (every user of the account);
        /// `private` when `None`.
        sharing: Sharing,
    }
});

/// `GET /outbound/documents`; from [`Documents::list`]. Pages by `offset`.
#[derive(Debug, Clone)]
#[must_use]
pub struct ListDocuments {
    client: Client,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl ListDocuments {
    /// One page: `GET /outbound/documents` from `offset`, at most `limit` documents (default 25).
    pub async fn send(self) -> Result<Vec<UploadedDocument>> {
        let req = Request::get("outbound/documents").query_opt("limit", self.limit).query_opt("offset", self.offset);
        self.client.json(req).await
    }

    /// Every session, page after page.
    pub fn stream(self) -> impl Stream<Item = Result<UploadedDocument>> + Send {
        let limit = self.limit;
        let request =
            move |offset: u32| Request::get("outbound/documents").query_opt("limit", limit).query("offset", offset);
        self.client.offset_pages(self.offset, limit, request)
    }
}

faxkit::setters!(ListDocuments {
    values {
        /// `limit` (default 25).
        limit: u32,
        /// `offset` (default 0).
        offset: u32,
    }
});
