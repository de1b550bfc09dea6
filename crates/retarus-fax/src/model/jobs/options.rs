//! The options of a `FaxJobRequest`: transmission, rendering, status reports (mail and HTTP push), validity and
//! metadata.

use faxkit::Secret;
use jiff::Timestamp;
use serde::{Serialize, Serializer};

use super::{AttachedFaxImageFormat, AttachedFaxImageMode, AuthMethod, OverlayMode, PaperFormat, Resolution};

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
