//! `POST /upload_document`: prepares a document for `send_fax`.

use faxkit::Document;
use faxkit::http::{Body, Request};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{UploadedDocument, document_type_for_extension, is_supported_document_type};

/// How the document goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UploadMode {
    /// `multipart/form-data` with the document in the `document` part, carrying its own `Content-Type`
    /// (the default).
    #[default]
    Multipart,
    /// The whole request body is the document; the request's `Content-Type` is its MIME type.
    Raw,
}

/// An `upload_document` request; open it with [`Client::upload_document`].
#[derive(Debug, Clone)]
#[must_use]
pub struct UploadDocument {
    client: Client,
    document: Document,
    mode: UploadMode,
}

impl Client {
    /// Uploads a document and has Fax2 convert it for faxing; the answer's `document_id` goes to
    /// [`Client::send_fax`]. Conversion failures (`conversion_error`, `empty_document`) surface here.
    ///
    /// The MIME type (sniffed, or set with [`Document::content_type`]) must be one of
    /// [`crate::model::SUPPORTED_DOCUMENT_TYPES`]. A type outside that list whose file extension is in Fax2's
    /// table (`.odp`, `.pnm`, `.pbm`, `.pgm`, which faxkit does not sniff) is sent with the table's type
    /// ([`crate::model::document_type_for_extension`]); anything else is refused before any upload. The
    /// document is streamed, never held in memory whole.
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use faxkit::Document;
    /// let uploaded = client
    ///     .upload_document(Document::from_bytes("%PDF-1.4 invoice", "invoice.pdf"))
    ///     // Optional Parameters
    ///     .mode(fax2::UploadMode::Raw)
    ///     .send()
    ///     .await?;
    /// println!("{} ({} pages)", uploaded.document_id, uploaded.pages);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn upload_document(&self, document: Document) -> UploadDocument {
        UploadDocument { client: self.clone(), document, mode: UploadMode::default() }
    }
}

impl UploadDocument {
    /// Uploads. Never retried once the request may have reached Fax2.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] for an unsupported or empty document; [`faxkit::Error::Vendor`] with
    /// `unsupported_document_type`, `empty_document` or `conversion_error`; request errors.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, mode = ?self.mode))]
    pub async fn send(self) -> faxkit::Result<UploadedDocument> {
        // Check the type before sending anything.
        let first = self.document.open().await?;
        let mime = document_type(first.content_type(), first.extension().as_deref())?;
        let (document, mode) = (self.document, self.mode);
        let mime = mime.to_owned();
        let mut first = Some(first);
        self.client
            .send_json(|| {
                let opened = first.take();
                let (document, mime) = (document.clone(), mime.clone());
                async move {
                    let open = match opened {
                        Some(open) => open,
                        None => document.open().await?,
                    };
                    let body = match mode {
                        UploadMode::Multipart => {
                            let part = open.into_part()?.mime_str(&mime).map_err(|e| {
                                faxkit::Error::invalid_input(VENDOR, format!("{mime:?} is not a MIME type: {e}"))
                            })?;
                            Body::multipart_once(VENDOR, reqwest::multipart::Form::new().part("document", part))
                        }
                        UploadMode::Raw => {
                            let len = open.len();
                            Body::Stream { body: open.into_body(), content_type: mime.into(), len: Some(len) }
                        }
                    };
                    Ok(Request::post("upload_document").transfer().body(body))
                }
            })
            .await
    }
}

faxkit::setters!(UploadDocument {
    plain {
        /// Multipart (default) or raw body.
        mode: UploadMode,
    }
});

/// The MIME type the document goes up as: its own when Fax2 lists it, else the one Fax2's table gives its
/// extension, else an error.
fn document_type(mime: &str, extension: Option<&str>) -> faxkit::Result<String> {
    if is_supported_document_type(mime) {
        Ok(mime.to_owned())
    } else if let Some(listed) = extension.and_then(document_type_for_extension) {
        Ok(listed.to_owned())
    } else {
        Err(faxkit::Error::invalid_input(
            VENDOR,
            format!(
                "Fax2 does not accept documents of type {mime:?}; supported are PDF, PostScript, RTF, Word, Excel, \
                 PowerPoint, OpenDocument, BMP, GIF, JPEG, PNG, TIFF, Netpbm, HTML and plain text"
            ),
        ))
    }
}
