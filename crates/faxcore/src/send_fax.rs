//! `SendFax`: send one document to one fax number.
//!
//! ```text
//! POST SendFax?sendername={senderName}&sendercompany={senderCompany}&subject={subject}&notes={notes}
//!             &recpname={recpName}&recpfax={recpFax}&filename={fileName}
//! body: the document itself
//! ```

use faxkit::{Document, FaxNumber, OpenDocument, Result};

use crate::VENDOR;
use crate::client::{Client, Operation, Upload};
use crate::error::{ApiError, ApiErrorKind};
use crate::model::envelope::TextResults;
use crate::model::{FaxId, FileFormat};

impl Client {
    /// Starts a `SendFax` request: one document to one fax number. Optional cover-page fields are chained;
    /// [`SendFax::send`] uploads the document (streamed, never read into memory) and returns the new fax id.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use faxkit::{Document, FaxNumber};
    ///
    /// let id = client
    ///     .send_fax(FaxNumber::parse("+1 212 555 0100")?, Document::from_bytes("%PDF-1.4 ...", "invoice.pdf"))
    ///     // Optional parameters
    ///     .sender_name("Ann Example")
    ///     .sender_company("Example Corp")
    ///     .subject("Invoice 42")
    ///     .notes("Due in 30 days")
    ///     .recipient_name("Accounts")
    ///     .send()
    ///     .await?;
    /// assert_eq!(client.fax_status(id).await?, faxcore::FaxCoreStatus::InQueue);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    pub fn send_fax(&self, to: FaxNumber, document: Document) -> SendFax {
        SendFax {
            client: self.clone(),
            to,
            document,
            sender_name: None,
            sender_company: None,
            subject: None,
            notes: None,
            recipient_name: None,
            file_name: None,
        }
    }
}

/// A `SendFax` request; see [`Client::send_fax`].
///
/// Every parameter of the reference's URI template is sent, empty when not set (the template lists all
/// seven), in the template's order.
#[derive(Debug, Clone)]
#[must_use = "a SendFax request does nothing until .send().await"]
pub struct SendFax {
    client: Client,
    to: FaxNumber,
    document: Document,
    sender_name: Option<String>,
    sender_company: Option<String>,
    subject: Option<String>,
    notes: Option<String>,
    recipient_name: Option<String>,
    file_name: Option<String>,
}

impl SendFax {
    /// The query, in the reference's order.
    fn query(&self, recpfax: String, filename: String) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("sendername", opt(&self.sender_name)),
            ("sendercompany", opt(&self.sender_company)),
            ("subject", opt(&self.subject)),
            ("notes", opt(&self.notes)),
            ("recpname", opt(&self.recipient_name)),
            ("recpfax", recpfax),
            ("filename", filename),
        ]
    }

    /// Uploads the document and returns the fax id FaxCore assigned. Never retried once the request left.
    ///
    /// # Errors
    /// Before any request: [`faxkit::Error::InvalidInput`] for an empty document, a file type FaxCore does not
    /// accept, a name whose extension contradicts the content, or a number the
    /// [`RecipientFormat`](crate::RecipientFormat) cannot write; [`faxkit::Error::Io`] for an unreadable file.
    /// After: [`faxkit::Error::Vendor`] when FaxCore answers without a fax id, and the usual HTTP kinds.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, op = "SendFax"))]
    pub async fn send(self) -> Result<FaxId> {
        let recpfax = self.client.recipient_format().format(&self.to)?;
        let open = self.document.open().await?;
        let (filename, _) = upload_file_name(&open, self.file_name.as_deref())?;
        let query = self.query(recpfax, filename);
        let upload = Upload { len: open.len(), content_type: open.content_type().to_owned(), body: open.into_body() };
        let reply: Option<TextResults> = self.client.call(Operation::SendFax, &query, Some(upload)).await?;
        let results = reply.unwrap_or_default().results;
        results.trim().parse::<FaxId>().map_err(|_| {
            let message = if results.trim().is_empty() { "no fax id in <Results>".to_owned() } else { results.clone() };
            ApiError::new(
                Operation::SendFax,
                200,
                ApiErrorKind::Rejected,
                Some("Results".into()),
                message,
                results.as_bytes(),
            )
            .into()
        })
    }
}

faxkit::setters!(SendFax {
    strings {
        /// `sendername`: the sender's name on the cover page.
        sender_name,
        /// `sendercompany`: the sender's company on the cover page.
        sender_company,
        /// `subject`: the subject on the cover page.
        subject,
        /// `notes`: comments on the cover page.
        notes,
        /// `recpname`: the recipient's name.
        recipient_name,
        /// `filename`: replaces the document's file name. FaxCore decides the format by its extension, which
        /// must be one of [`FileFormat`]'s.
        file_name,
    }
});

/// Types whose magic bytes are unambiguous; a file name claiming another format is refused.
const STRONG_SIGNATURES: &[&str] = &["application/pdf", "image/tiff", "image/png", "image/jpeg", "image/gif"];

/// The `filename` to send and its format: the document's name (or `override_name`), given an extension from
/// the sniffed type when it has none; refused when FaxCore does not take the format.
pub(crate) fn upload_file_name(open: &OpenDocument, override_name: Option<&str>) -> Result<(String, FileFormat)> {
    let name = override_name.unwrap_or(open.file_name()).trim();
    if name.is_empty() {
        return Err(faxkit::Error::invalid_input(VENDOR, "the document's file name is empty"));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.is_empty() && !e.contains(['/', '\\']));
    let (name, ext) = match ext {
        Some(ext) => (name.to_owned(), ext.to_ascii_lowercase()),
        None => match faxkit::mime::extension_for(open.content_type()) {
            Some(ext) => (format!("{name}.{ext}"), ext.to_owned()),
            None => {
                return Err(faxkit::Error::invalid_input(
                    VENDOR,
                    format!(
                        "document {name:?} has no file extension and its type ({}) is not recognised; FaxCore needs \
                         the extension to render it (supported: {})",
                        open.content_type(),
                        FileFormat::supported_extensions()
                    ),
                ));
            }
        },
    };
    let format = FileFormat::from_extension(&ext).ok_or_else(|| {
        faxkit::Error::invalid_input(
            VENDOR,
            format!(
                "document {name:?}: FaxCore does not accept .{ext} files (supported: {})",
                FileFormat::supported_extensions()
            ),
        )
    })?;
    let content_type = open.content_type();
    if STRONG_SIGNATURES.contains(&content_type) {
        let actual = faxkit::mime::extension_for(content_type).and_then(FileFormat::from_extension);
        if let Some(actual) = actual
            && actual != format
        {
            return Err(faxkit::Error::invalid_input(
                VENDOR,
                format!(
                    "document {name:?} is named as {format} but its content is {actual} ({content_type}); rename it \
                     so FaxCore renders it correctly"
                ),
            ));
        }
    }
    Ok((name, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn name_of(doc: Document, over: Option<&str>) -> Result<(String, FileFormat)> {
        upload_file_name(&doc.open().await?, over)
    }

    #[test]
    fn query_follows_the_uri_template() {
        let client = Client::new("5557152222", "pw").unwrap();
        let to = FaxNumber::parse("+12125550100").unwrap();
        let fax = client.send_fax(to, Document::from_bytes("%PDF-1.4", "a.pdf")).subject("S").recipient_name("R");
        let names: Vec<&str> = fax.query("1".into(), "a.pdf".into()).iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["sendername", "sendercompany", "subject", "notes", "recpname", "recpfax", "filename"]);
        let q = fax.query("12125550100".into(), "a.pdf".into());
        assert_eq!((q[2].1.as_str(), q[4].1.as_str(), q[0].1.as_str()), ("S", "R", ""));
    }

    #[tokio::test]
    async fn file_names_and_formats() {
        let pdf = || Document::from_bytes("%PDF-1.4 x", "a.PDF");
        assert_eq!(name_of(pdf(), None).await.unwrap(), ("a.PDF".into(), FileFormat::Pdf));
        assert_eq!(name_of(pdf(), Some("renamed.pdf")).await.unwrap().0, "renamed.pdf");
        // No extension: taken from the sniffed type.
        let bare = Document::from_bytes("%PDF-1.4 x", "scan");
        assert_eq!(name_of(bare, None).await.unwrap(), ("scan.pdf".into(), FileFormat::Pdf));
        let text = Document::from_bytes("hello", "note.txt");
        assert_eq!(name_of(text, None).await.unwrap().1, FileFormat::Text);
        let docx = Document::from_bytes("PK\x03\x04....", "letter.docx");
        assert_eq!(name_of(docx, None).await.unwrap().1, FileFormat::Word);
        for bad in [
            Document::from_bytes("%!PS-Adobe", "a.ps"),
            Document::from_bytes("zip", "a.zip"),
            Document::from_bytes("???", "noext"),
            Document::from_bytes("%PDF-1.4", "really.png"),
        ] {
            let err = name_of(bad.clone(), None).await.unwrap_err();
            assert_eq!(err.kind(), faxkit::ErrorKind::InvalidInput, "{bad:?}");
        }
        let err = name_of(Document::from_bytes("x", "a.exe"), None).await.unwrap_err();
        assert!(err.to_string().contains("pdf, doc, docx") || err.to_string().contains("supported"), "{err}");
    }
}
