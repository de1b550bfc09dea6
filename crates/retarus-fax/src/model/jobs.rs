//! Wire types of Fax4A's `POST /{custNr}/fax` (`FaxJobRequest`, `FaxJobResponse`).
//!
//! Field names and enum values are exactly those of the Fax4A reference and its Swagger
//! (`cloudFaxRestAPI.json`); optional fields are left out of the JSON when unset.

use faxkit::{Document, Secret};
use jiff::Timestamp;
use serde::{Deserialize, Serialize, Serializer};

faxkit::id_type! {
    /// A Fax4A job id (`"FJLI3102O5BEPYOTB5LPC9"`).
    pub struct JobId;
}

faxkit::open_enum! {
    /// The character set of a plain-text (`.txt`) document.
    pub enum Charset {
        /// `US-ASCII`.
        UsAscii = "US-ASCII",
        /// `UTF-8` (Retarus's default).
        Utf8 = "UTF-8",
        /// `UTF-16`.
        Utf16 = "UTF-16",
        /// `UTF-16BE`.
        Utf16Be = "UTF-16BE",
        /// `UTF-16LE`.
        Utf16Le = "UTF-16LE",
        /// `ISO-8859-1`.
        Iso8859_1 = "ISO-8859-1",
        /// `Windows-1252` (mixed case on the wire; the Java SDK's `WINDOWS-1252` is wrong).
        Windows1252 = "Windows-1252",
    }
}

faxkit::open_enum! {
    /// Paper format of the rendered fax.
    pub enum PaperFormat {
        /// `A4`.
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
        /// `ALL_PAGES`.
        AllPages = "ALL_PAGES",
        /// `NO_OVERLAY`.
        NoOverlay = "NO_OVERLAY",
        /// `FIRST_PAGE`.
        FirstPage = "FIRST_PAGE",
        /// `LAST_PAGE`.
        LastPage = "LAST_PAGE",
        /// `ALL_BUT_FIRST_PAGE`.
        AllButFirstPage = "ALL_BUT_FIRST_PAGE",
        /// `ALL_BUT_LAST_PAGE`.
        AllButLastPage = "ALL_BUT_LAST_PAGE",
        /// `ALL_BUT_FIRST_AND_LAST_PAGE`.
        AllButFirstAndLastPage = "ALL_BUT_FIRST_AND_LAST_PAGE",
        /// `FIRST_FILE`.
        FirstFile = "FIRST_FILE",
    }
}

faxkit::open_enum! {
    /// When the report mail carries the fax image.
    pub enum AttachedFaxImageMode {
        /// `NEVER` (default).
        Never = "NEVER",
        /// `SUCCESS_ONLY`.
        SuccessOnly = "SUCCESS_ONLY",
        /// `FAILURE_ONLY`.
        FailureOnly = "FAILURE_ONLY",
        /// `ALWAYS`.
        Always = "ALWAYS",
    }
}

faxkit::open_enum! {
    /// The format of the image attached to a report mail.
    pub enum AttachedFaxImageFormat {
        /// `TIFF` (default).
        Tiff = "TIFF",
        /// `PDF`.
        Pdf = "PDF",
        /// `PDF_WITH_OCR`.
        PdfWithOcr = "PDF_WITH_OCR",
    }
}

faxkit::open_enum! {
    /// How Retarus authenticates to your status-push endpoint.
    pub enum AuthMethod {
        /// `HTTP_BASIC`.
        HttpBasic = "HTTP_BASIC",
        /// `HTTP_DIGEST`.
        HttpDigest = "HTTP_DIGEST",
        /// `OAUTH2`: `principal`/`credentials` are the client id and secret (the Java SDK's `OAUTH` is wrong).
        OAuth2 = "OAUTH2",
        /// `NONE` (default).
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

    /// Sets the billing code.
    pub fn billing_code(mut self, code: impl Into<String>) -> Self {
        self.billing_code = Some(code.into());
        self
    }

    /// Sets the billing information.
    pub fn billing_info(mut self, info: impl Into<String>) -> Self {
        self.billing_info = Some(info.into());
        self
    }
}

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
    /// Cover-page properties.
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

    /// Sets the file name sent to Retarus.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the character set of a text document.
    pub fn charset(mut self, charset: Charset) -> Self {
        self.charset = Some(charset);
        self
    }
}

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

/// `transportOptions` of a job: CSID, express delivery and the deny-list check. Every field is omitted when unset
/// (Retarus's account defaults apply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransportOptions {
    /// The sending station id (≤ 20 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csid: Option<String>,
    /// `isExpress`: Retarus's express delivery (the documentation gives only the flag); omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_express: Option<bool>,
    /// Check deny lists (Robinson list in DE, ECOFAX in FR, Retarus's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_blacklist_enabled: Option<bool>,
}

impl TransportOptions {
    /// Sets the CSID.
    pub fn csid(mut self, csid: impl Into<String>) -> Self {
        self.csid = Some(csid.into());
        self
    }

    /// Sets express delivery.
    pub fn is_express(mut self, yes: bool) -> Self {
        self.is_express = Some(yes);
        self
    }

    /// Sets the deny-list check.
    pub fn is_blacklist_enabled(mut self, yes: bool) -> Self {
        self.is_blacklist_enabled = Some(yes);
        self
    }
}

/// An overlay (letterhead) printed on some pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Overlay {
    /// The overlay's name as configured at Retarus.
    pub name: String,
    /// `mode`: the pages the overlay is printed on (`ALL_PAGES`, `FIRST_PAGE`, `LAST_PAGE`, …; required).
    pub mode: OverlayMode,
}

impl Overlay {
    /// An overlay `{name, mode}`: the overlay `name` as configured at Retarus, printed on the pages `mode` selects.
    pub fn new(name: impl Into<String>, mode: OverlayMode) -> Self {
        Overlay { name: name.into(), mode }
    }
}

/// How the fax is rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenderingOptions {
    /// Paper format (required inside the object).
    pub paper_format: PaperFormat,
    /// `resolution`: `HIGH` (fine) or `LOW` (standard); omitted when `None` (Retarus's default applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Cover page template (`coverpage-default.ftl.html`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverpage_template: Option<String>,
    /// `overlay`: a letterhead configured at Retarus, printed on the pages its mode selects; omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlay: Option<Overlay>,
    /// Header line with control codes (`%C`, `%#`, `%d.%m.%Y`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl RenderingOptions {
    /// Rendering options with a paper format.
    pub fn new(paper_format: PaperFormat) -> Self {
        RenderingOptions { paper_format, resolution: None, coverpage_template: None, overlay: None, header: None }
    }

    /// Sets the resolution.
    pub fn resolution(mut self, r: Resolution) -> Self {
        self.resolution = Some(r);
        self
    }

    /// Sets the cover page template.
    pub fn coverpage_template(mut self, t: impl Into<String>) -> Self {
        self.coverpage_template = Some(t.into());
        self
    }

    /// Sets the overlay.
    pub fn overlay(mut self, o: Overlay) -> Self {
        self.overlay = Some(o);
        self
    }

    /// Sets the header line.
    pub fn header(mut self, h: impl Into<String>) -> Self {
        self.header = Some(h.into());
        self
    }
}

/// Where Retarus mails the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReportMail {
    /// Address for successful jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_address: Option<String>,
    /// Address for failed jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_address: Option<String>,
    /// When to attach the fax image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attached_fax_image_mode: Option<AttachedFaxImageMode>,
    /// The image format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attached_fax_image_format: Option<AttachedFaxImageFormat>,
}

impl ReportMail {
    /// Sets the success address.
    pub fn success_address(mut self, a: impl Into<String>) -> Self {
        self.success_address = Some(a.into());
        self
    }

    /// Sets the failure address.
    pub fn failure_address(mut self, a: impl Into<String>) -> Self {
        self.failure_address = Some(a.into());
        self
    }

    /// Sets when the image is attached.
    pub fn attached_fax_image_mode(mut self, m: AttachedFaxImageMode) -> Self {
        self.attached_fax_image_mode = Some(m);
        self
    }

    /// Sets the image format.
    pub fn attached_fax_image_format(mut self, f: AttachedFaxImageFormat) -> Self {
        self.attached_fax_image_format = Some(f);
        self
    }
}

/// An HTTP endpoint Retarus pushes the final status to (see [`crate::webhook`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HttpStatusPush {
    /// `targetUrl`: the URL Retarus POSTs the final status report to (required).
    pub target_url: String,
    /// User name, or OAuth2 client id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// Password, or OAuth2 client secret (redacted in `Debug`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_opt")]
    pub credentials: Option<Secret>,
    /// Authentication method (Retarus's default is `NONE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<AuthMethod>,
}

impl HttpStatusPush {
    /// A push to `target_url`.
    pub fn new(target_url: impl Into<String>) -> Self {
        HttpStatusPush { target_url: target_url.into(), principal: None, credentials: None, auth_method: None }
    }

    /// Sets the authentication.
    pub fn auth(mut self, method: AuthMethod, principal: impl Into<String>, credentials: impl Into<Secret>) -> Self {
        self.auth_method = Some(method);
        self.principal = Some(principal.into());
        self.credentials = Some(credentials.into());
        self
    }
}

fn expose_opt<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(secret) => s.serialize_str(secret.expose()),
        None => s.serialize_none(),
    }
}

fn ts_opt<S: Serializer>(v: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => s.serialize_str(&faxkit::time::format_utc(*t)),
        None => s.serialize_none(),
    }
}

/// How the final status is reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StatusReportOptions {
    /// When Retarus deletes the report (sent as UTC, `2026-11-23T16:00:00Z`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ts_opt")]
    pub report_purge_ts: Option<Timestamp>,
    /// Report by mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_mail: Option<ReportMail>,
    /// Report by HTTP push.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status_push: Option<HttpStatusPush>,
}

impl StatusReportOptions {
    /// Sets the purge time.
    pub fn report_purge_ts(mut self, t: Timestamp) -> Self {
        self.report_purge_ts = Some(t);
        self
    }

    /// Sets the report mail.
    pub fn report_mail(mut self, m: ReportMail) -> Self {
        self.report_mail = Some(m);
        self
    }

    /// Sets the HTTP push.
    pub fn http_status_push(mut self, p: HttpStatusPush) -> Self {
        self.http_status_push = Some(p);
        self
    }
}

/// The end of a job's validity: an instant or a duration after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobValidEnd {
    /// An instant (sent as UTC).
    At(Timestamp),
    /// A duration (sent as ISO 8601, `PT80M`).
    After(std::time::Duration),
}

impl Serialize for JobValidEnd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JobValidEnd::At(t) => s.serialize_str(&faxkit::time::format_utc(*t)),
            JobValidEnd::After(d) => {
                let secs = d.as_secs();
                let text = if secs % 60 == 0 { format!("PT{}M", secs / 60) } else { format!("PT{secs}S") };
                s.serialize_str(&text)
            }
        }
    }
}

/// When the job may be sent. Retarus's default: now until one month later. `start` always carries a zone on
/// the wire (UTC), since Retarus answers 400 to a start without one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct JobValid {
    /// Earliest send time.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ts_opt")]
    pub start: Option<Timestamp>,
    /// Latest send time, or how long after the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<JobValidEnd>,
}

impl JobValid {
    /// Sets the start.
    pub fn start(mut self, t: Timestamp) -> Self {
        self.start = Some(t);
        self
    }

    /// Sets the end.
    pub fn end(mut self, end: JobValidEnd) -> Self {
        self.end = Some(end);
        self
    }
}

/// `meta` of a job: your `customerReference` and the `jobValid` window in which Retarus may send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MetaData {
    /// Your reference (required inside `meta`).
    pub customer_reference: String,
    /// `jobValid`: when Retarus may start sending and when the job expires; omitted when `None` (valid at once,
    /// expiring one month later, per Retarus's documentation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_valid: Option<JobValid>,
}

impl MetaData {
    /// Metadata with a customer reference.
    pub fn new(customer_reference: impl Into<String>) -> Self {
        MetaData { customer_reference: customer_reference.into(), job_valid: None }
    }

    /// Sets the validity window.
    pub fn job_valid(mut self, v: JobValid) -> Self {
        self.job_valid = Some(v);
        self
    }
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
    /// Status report options.
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
    /// The new job's id.
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
