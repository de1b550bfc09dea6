//! Wire types of Fax4A's `POST /{custNr}/fax` (`FaxJobRequest`, `FaxJobResponse`).
//!
//! Field names and enum values are exactly those of the Fax4A reference and its Swagger
//! (`cloudFaxRestAPI.json`); optional fields are left out of the JSON when unset. The job options
//! ([`TransportOptions`], [`RenderingOptions`], [`StatusReportOptions`], [`JobValid`], [`MetaData`], …) live in
//! `options.rs`.

use faxkit::Document;
use serde::{Deserialize, Serialize};

mod options;

pub use options::{
    HttpStatusPush, JobValid, JobValidEnd, MetaData, Overlay, RenderingOptions, ReportMail, StatusReportOptions,
    TransportOptions,
};

faxkit::id_type! {
    /// A Fax4A job id (`"FJLI3102O5BEPYOTB5LPC9"`).
    pub struct JobId;
}

faxkit::open_enum! {
    /// The character set of a plain-text (`.txt`) document.
    pub enum Charset {
        /// `US-ASCII`: 7-bit ASCII text.
        UsAscii = "US-ASCII",
        /// `UTF-8`: Unicode text; what Retarus assumes when `charset` is left out.
        Utf8 = "UTF-8",
        /// `UTF-16`: Unicode in 16-bit code units, the byte order given by a byte-order mark.
        Utf16 = "UTF-16",
        /// `UTF-16BE`: Unicode in 16-bit code units, big-endian.
        Utf16Be = "UTF-16BE",
        /// `UTF-16LE`: Unicode in 16-bit code units, little-endian.
        Utf16Le = "UTF-16LE",
        /// `ISO-8859-1`: Latin-1, one byte per character (Western European).
        Iso8859_1 = "ISO-8859-1",
        /// `Windows-1252` (mixed case on the wire; the Java SDK's `WINDOWS-1252` is wrong).
        Windows1252 = "Windows-1252",
    }
}

faxkit::open_enum! {
    /// Paper format of the rendered fax.
    pub enum PaperFormat {
        /// `A4`: ISO A4 paper, 210 × 297 mm.
        A4 = "A4",
        /// `LETTER` (upper case; the Go SDK's `Letter` is wrong).
        Letter = "LETTER",
    }
}

faxkit::open_enum! {
    /// `renderingOptions.resolution`: the transmission resolution, `HIGH` (fine) or `LOW` (standard).
    pub enum Resolution {
        /// `HIGH` (fine).
        High = "HIGH",
        /// `LOW` (standard).
        Low = "LOW",
    }
}

faxkit::open_enum! {
    /// On which pages an overlay is printed.
    pub enum OverlayMode {
        /// `ALL_PAGES`: the overlay is printed on every page.
        AllPages = "ALL_PAGES",
        /// `NO_OVERLAY`: no page gets the overlay, as if no `overlay` were given.
        NoOverlay = "NO_OVERLAY",
        /// `FIRST_PAGE`: only the first page gets the overlay (the cover page, when there is one).
        FirstPage = "FIRST_PAGE",
        /// `LAST_PAGE`: only the last page gets the overlay.
        LastPage = "LAST_PAGE",
        /// `ALL_BUT_FIRST_PAGE`: every page but the first (so a cover page stays plain) gets the overlay.
        AllButFirstPage = "ALL_BUT_FIRST_PAGE",
        /// `ALL_BUT_LAST_PAGE`: every page but the last gets the overlay.
        AllButLastPage = "ALL_BUT_LAST_PAGE",
        /// `ALL_BUT_FIRST_AND_LAST_PAGE`: every page between the first (or cover page) and the last gets the overlay.
        AllButFirstAndLastPage = "ALL_BUT_FIRST_AND_LAST_PAGE",
        /// `FIRST_FILE`: only the pages of the job's first document get the overlay; a cover page never does.
        FirstFile = "FIRST_FILE",
    }
}

faxkit::open_enum! {
    /// When the report mail carries the fax image.
    pub enum AttachedFaxImageMode {
        /// `NEVER`: report mails never carry the fax image (Retarus's default when the mode is left out).
        Never = "NEVER",
        /// `SUCCESS_ONLY`: the image is attached to the mail sent when the job succeeded, not to failure mails.
        SuccessOnly = "SUCCESS_ONLY",
        /// `FAILURE_ONLY`: the image is attached to the mail sent when the job failed, not to success mails.
        FailureOnly = "FAILURE_ONLY",
        /// `ALWAYS`: every report mail, success or failure, carries the fax image.
        Always = "ALWAYS",
    }
}

faxkit::open_enum! {
    /// The format of the image attached to a report mail.
    pub enum AttachedFaxImageFormat {
        /// `TIFF`: the image is attached as a TIFF file (Retarus's default when the format is left out).
        Tiff = "TIFF",
        /// `PDF`: the image is attached as a PDF file, without OCR.
        Pdf = "PDF",
        /// `PDF_WITH_OCR`: the image is attached as a PDF that also carries the text Retarus recognised by OCR.
        PdfWithOcr = "PDF_WITH_OCR",
    }
}

faxkit::open_enum! {
    /// How Retarus authenticates to your status-push endpoint.
    pub enum AuthMethod {
        /// `HTTP_BASIC`: Basic authentication with `principal` as user name and `credentials` as password.
        HttpBasic = "HTTP_BASIC",
        /// `HTTP_DIGEST`: Digest authentication with `principal` as user name and `credentials` as password.
        HttpDigest = "HTTP_DIGEST",
        /// `OAUTH2`: `principal`/`credentials` are the client id and secret (the Java SDK's `OAUTH` is wrong).
        OAuth2 = "OAUTH2",
        /// `NONE`: the push is sent without authentication (Retarus's default when the method is left out).
        None = "NONE",
    }
}

/// The caller's reference for a job, echoed in reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reference {
    /// Your id for the job (≤ 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_defined_id: Option<String>,
    /// Billing code (≤ 80 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_code: Option<String>,
    /// Billing information (≤ 80 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_info: Option<String>,
}

impl Reference {
    /// A reference with a customer-defined id.
    pub fn new(customer_defined_id: impl Into<String>) -> Self {
        Reference { customer_defined_id: Some(customer_defined_id.into()), ..Default::default() }
    }
}

faxkit::setters!(Reference {
    strings {
        /// Sets the billing code.
        billing_code,
        /// Sets the billing information.
        billing_info,
    }
});

/// A cover-page personalisation value (`FromName`, `ToName`, `SubjectTitle`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecipientProperty {
    /// `key`: the placeholder the cover-page template uses (`FromName`, `ToName`, `SubjectTitle`, …; required).
    pub key: String,
    /// `value`: the text put in its place (required; any string).
    pub value: String,
}

impl RecipientProperty {
    /// A property `{key, value}` for the recipient's `properties` array.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        RecipientProperty { key: key.into(), value: value.into() }
    }
}

/// One recipient of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxRecipient {
    /// The fax number, international format (`+12015551000`).
    pub number: String,
    /// `properties`: this recipient's values for the cover-page template's placeholders; omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<RecipientProperty>,
    /// Alternative numbers (in the Swagger and the Go SDK, absent from the current portal; legacy).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternative_numbers: Vec<String>,
}

impl FaxRecipient {
    /// A recipient given as text, sent as is.
    pub fn new(number: impl Into<String>) -> Self {
        FaxRecipient { number: number.into(), properties: Vec::new(), alternative_numbers: Vec::new() }
    }

    /// Adds a cover-page property.
    pub fn property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.push(RecipientProperty::new(key, value));
        self
    }

    /// Adds an alternative number.
    pub fn alternative_number(mut self, number: impl Into<String>) -> Self {
        self.alternative_numbers.push(number.into());
        self
    }
}

impl From<&faxkit::FaxNumber> for FaxRecipient {
    fn from(n: &faxkit::FaxNumber) -> Self {
        FaxRecipient::new(n.e164())
    }
}

impl From<faxkit::FaxNumber> for FaxRecipient {
    fn from(n: faxkit::FaxNumber) -> Self {
        FaxRecipient::new(n.e164())
    }
}

/// Where a document's content comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum DocumentSource {
    /// Content sent inline as base64 `data`, streamed from the [`Document`].
    Data(Document),
    /// A URL Retarus fetches the document from (`reference`).
    Reference(String),
}

/// One document of a job (`DocumentWithData`): either inline data or a reference URL, never both.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobDocument {
    /// The file name (≤ 32 characters of `a-zA-Z0-9-_.`; the extension tells Retarus the type). When `None`
    /// the document's own name is used, with other characters replaced by `_`.
    pub name: Option<String>,
    /// Character set, for `.txt` documents only.
    pub charset: Option<Charset>,
    /// The content: inline `data` (base64, streamed) or a `reference` URL Retarus fetches; if both were given Retarus
    /// would use the reference, so only one is ever sent.
    pub source: DocumentSource,
}

impl JobDocument {
    /// A document sent inline (streamed as base64 inside the JSON body).
    pub fn data(document: Document) -> Self {
        JobDocument { name: None, charset: None, source: DocumentSource::Data(document) }
    }

    /// A document Retarus fetches from `url`; `name` tells it the type.
    pub fn reference(name: impl Into<String>, url: impl Into<String>) -> Self {
        JobDocument { name: Some(name.into()), charset: None, source: DocumentSource::Reference(url.into()) }
    }
}

faxkit::setters!(JobDocument {
    strings {
        /// Sets the file name sent to Retarus.
        name,
    }
    plain {
        /// Sets the character set of a text document.
        charset: Charset,
    }
});

impl From<Document> for JobDocument {
    fn from(d: Document) -> Self {
        JobDocument::data(d)
    }
}

/// The document fields other than `data`, serialized before the streamed payload.
#[derive(Serialize)]
pub(crate) struct DocumentHeader<'a> {
    pub(crate) name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) charset: Option<&'a Charset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reference: Option<&'a str>,
}

/// A complete Fax4A `FaxJobRequest`. Documents are written separately so their content can stream.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxJobRequest {
    /// Your reference, echoed in reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// At least one recipient.
    pub recipients: Vec<FaxRecipient>,
    /// The documents, sent in order.
    #[serde(skip)]
    pub documents: Vec<JobDocument>,
    /// `transportOptions` (CSID, express, deny lists); omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_options: Option<TransportOptions>,
    /// `renderingOptions` (paper format, resolution, cover page, overlay, header line); omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendering_options: Option<RenderingOptions>,
    /// `statusReportOptions`: report mail addresses, HTTP status push and report purge time; omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_report_options: Option<StatusReportOptions>,
    /// `meta` (`customerReference`, `jobValid`); omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<MetaData>,
}

impl FaxJobRequest {
    /// A request with one recipient and nothing else.
    pub fn new(recipient: impl Into<FaxRecipient>) -> Self {
        FaxJobRequest {
            reference: None,
            recipients: vec![recipient.into()],
            documents: Vec::new(),
            transport_options: None,
            rendering_options: None,
            status_report_options: None,
            meta: None,
        }
    }
}

/// The answer to a send: the job id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxJobResponse {
    /// `jobId`: the id Retarus gave the job, used to fetch or delete its status report.
    pub job_id: JobId,
    /// `true` when Retarus answered 409 "CONFLICT: Duplicate job" and named the job it had already accepted
    /// (in the body or in `Location`): nothing new was sent, `job_id` is the earlier job. Not on the wire.
    #[serde(skip)]
    pub already_accepted: bool,
}

impl From<&faxkit::SendRequest> for FaxJobRequest {
    /// Recipients in `+E.164`; the idempotency key, else `reference`, → `reference.customerDefinedId`; `csid` → `transportOptions.csid`;
    /// `sender_name` and `subject` → the cover-page properties `FromName` and `SubjectTitle` of each recipient
    /// (used only with a cover page template); documents sent inline, streamed.
    fn from(req: &faxkit::SendRequest) -> Self {
        let recipients = req
            .to
            .iter()
            .map(|n| {
                let mut r = FaxRecipient::from(n);
                if let Some(name) = &req.sender_name {
                    r = r.property("FromName", name);
                }
                if let Some(subject) = &req.subject {
                    r = r.property("SubjectTitle", subject);
                }
                r
            })
            .collect();
        FaxJobRequest {
            // The idempotency key is the job's customerDefinedId (it wins over the request's reference).
            reference: req.idempotency_key.as_ref().or(req.reference.as_ref()).map(Reference::new),
            recipients,
            documents: req.documents.iter().cloned().map(JobDocument::data).collect(),
            transport_options: req.csid.as_ref().map(|c| TransportOptions::default().csid(c)),
            rendering_options: None,
            status_report_options: None,
            meta: None,
        }
    }
}
