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

faxkit::setters!(TransportOptions {
    strings {
        /// Sets the CSID.
        csid,
    }
    plain {
        /// Sets express delivery.
        is_express: bool,
        /// Sets the deny-list check.
        is_blacklist_enabled: bool,
    }
});

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
}

faxkit::setters!(RenderingOptions {
    strings {
        /// Sets the cover page template.
        coverpage_template,
        /// Sets the header line.
        header,
    }
    plain {
        /// Sets the resolution.
        resolution: Resolution,
        /// Sets the overlay.
        overlay: Overlay,
    }
});

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

faxkit::setters!(ReportMail {
    strings {
        /// Sets the success address.
        success_address,
        /// Sets the failure address.
        failure_address,
    }
    plain {
        /// Sets when the image is attached.
        attached_fax_image_mode: AttachedFaxImageMode,
        /// Sets the image format.
        attached_fax_image_format: AttachedFaxImageFormat,
    }
});

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

faxkit::setters!(StatusReportOptions {
    plain {
        /// Sets the purge time.
        report_purge_ts: Timestamp,
        /// Sets the report mail.
        report_mail: ReportMail,
        /// Sets the HTTP push.
        http_status_push: HttpStatusPush,
    }
});

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

faxkit::setters!(JobValid {
    plain {
        /// Sets the start.
        start: Timestamp,
        /// Sets the end.
        end: JobValidEnd,
    }
});

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
}

faxkit::setters!(MetaData {
    plain {
        /// Sets the validity window.
        job_valid: JobValid,
    }
});
