//! Wire types of the payloads Retarus POSTs to you: the Fax4A status push (`faxJobReport`, XML by default,
//! JSON on request) and the Fax2WS inbound push (`{"Fax":{…}}`, every value a string).

use faxkit::{Secret, VendorTime};
use serde::{Deserialize, Deserializer, Serialize};

use super::de;
use super::jobs::{AttachedFaxImageFormat, AttachedFaxImageMode, AuthMethod, JobId};
use super::reports::RecipientStatus;

/// The XML namespace of the default status push (`http://retarus.com/fax4ba/faxws/3/0`).
pub const STATUS_PUSH_NAMESPACE: &str = "http://retarus.com/fax4ba/faxws/3/0";

/// A status push: the report of one job (`<faxJobReport>`). Elements appear only when the job asked for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "faxJobReport", rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxJobReport {
    /// `<jobId>`: the job id that `POST /{custNr}/fax` returned (required).
    pub job_id: JobId,
    /// The report mail settings of the job.
    #[serde(default)]
    pub report_mail: Option<PushReportMail>,
    /// The push settings of the job.
    #[serde(default)]
    pub http_status_push: Option<PushTarget>,
    /// One entry per recipient (`<faxRecipient>`, repeated).
    #[serde(default)]
    pub fax_recipient: Vec<PushRecipient>,
    /// The documents (`<document>`, repeated).
    #[serde(default)]
    pub document: Vec<PushDocument>,
    /// The job options, when present.
    #[serde(default)]
    pub options: Option<PushOptions>,
    /// `<pages>`: the number of pages of the job (a number or numeric text); `None` when absent.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub pages: Option<u64>,
}

/// Report mail settings echoed in a push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PushReportMail {
    /// Success address (may be empty).
    #[serde(default)]
    pub success_address: Option<String>,
    /// Failure address (may be empty).
    #[serde(default)]
    pub failure_address: Option<String>,
    /// `attachedFaxImageMode`: when the report mail carries the fax image (`NEVER`, `SUCCESS_ONLY`, `FAILURE_ONLY`,
    /// `ALWAYS`); `None` when absent.
    #[serde(default)]
    pub attached_fax_image_mode: Option<AttachedFaxImageMode>,
    /// `attachedFaxImageFormat`: the attached image's format (`TIFF`, `PDF`, `PDF_WITH_OCR`); `None` when absent.
    #[serde(default)]
    pub attached_fax_image_format: Option<AttachedFaxImageFormat>,
}

/// Push settings echoed in a push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PushTarget {
    /// `url`: the push target the job named (its `targetUrl`); `None` when absent.
    #[serde(default)]
    pub url: Option<String>,
    /// `authMethod`: how Retarus authenticated the push (`HTTP_BASIC`, `HTTP_DIGEST`, `OAUTH2`, `NONE`); `None`
    /// when absent.
    #[serde(default)]
    pub auth_method: Option<AuthMethod>,
}

/// One recipient in a push (`sentTS` here, `sentTs` in REST; `numId` only here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PushRecipient {
    /// The number as requested.
    pub number: String,
    /// Retarus's id of this recipient's transmission.
    #[serde(default)]
    pub num_id: Option<String>,
    /// `status`: the recipient's transmission status (`OK`, or a Retarus code such as `BUSY`, `NOFAX`; required).
    pub status: RecipientStatus,
    /// `reason`: Retarus's text for the status (`"OK"` on success), as sent; `None` when absent.
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was sent.
    #[serde(default, rename = "sentTS", alias = "sentTs", deserialize_with = "de::opt_time")]
    pub sent_ts: Option<VendorTime>,
    /// Duration in seconds.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub duration_in_secs: Option<u64>,
    /// The number dialled.
    #[serde(default)]
    pub sent_to_number: Option<String>,
    /// The remote station id.
    #[serde(default)]
    pub remote_csid: Option<String>,
}

/// A document in a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PushDocument {
    /// `name`: the document's file name as given in the job; `None` when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it was a text document.
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub is_text: Option<bool>,
}

/// Job options echoed in a push (names from the SOAP report; all optional, kept as text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PushOptions {
    /// `resolution` as the job set it (`HIGH` or `LOW`), kept as text; `None` when the job did not set it.
    #[serde(default)]
    pub resolution: Option<String>,
    /// `csid`: the sending station id the job set (≤ 20 characters), as text; `None` when absent.
    #[serde(default)]
    pub csid: Option<String>,
    /// `header`: the header line with its control codes (`%C`, `%#`, …) as the job set it; `None` when absent.
    #[serde(default)]
    pub header: Option<String>,
    /// `isBlacklistEnabled` as text (`"true"`/`"false"`): whether deny lists were checked; `None` when not set.
    #[serde(default)]
    pub is_blacklist_enabled: Option<String>,
    /// `isExpress` as text (`"true"`/`"false"`); `None` when the job did not set it.
    #[serde(default)]
    pub is_express: Option<String>,
    /// `overlay`: the name of the overlay the job used, as text; `None` when absent.
    #[serde(default)]
    pub overlay: Option<String>,
    /// `coverpageTemplateName`: the cover-page template the job used, as text; `None` when it used none.
    #[serde(default)]
    pub coverpage_template_name: Option<String>,
    /// `scheduleTS` (also read as `scheduleTs`): the scheduled start, kept as the raw text (its format is not
    /// documented for the push); `None` when absent.
    #[serde(default, rename = "scheduleTS", alias = "scheduleTs")]
    pub schedule_ts: Option<String>,
    /// `jobReference`: the job's reference as the SOAP report names it, as text; `None` when absent.
    #[serde(default)]
    pub job_reference: Option<String>,
}

/// A Fax2WS inbound push (`{"Fax":{…}}`), parsed in memory. For large payloads use
/// [`crate::webhook::Fax2WsPushReader`], which streams the documents.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Fax2WsPush {
    /// `Fax`: the single top-level object of the push (`{"Fax":{…}}`).
    #[serde(rename = "Fax")]
    pub fax: Fax2WsFax,
}

/// The content of a Fax2WS push.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Fax2WsFax {
    /// The credentials Retarus puts inside the body, to check against yours.
    #[serde(rename = "Authentication", default)]
    pub authentication: Option<Fax2WsAuthentication>,
    /// The fax's details.
    #[serde(rename = "FaxDetails")]
    pub fax_details: Fax2WsDetails,
    /// The documents, base64 inside.
    #[serde(rename = "FaxFile", default, deserialize_with = "de::one_or_many")]
    pub fax_file: Vec<Fax2WsFile>,
}

/// The `Authentication` block of a Fax2WS push.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fax2WsAuthentication {
    /// `AuthenticationMethod`: how to read the block; `"UserPassword"` in Retarus's example; `None` when absent.
    #[serde(rename = "AuthenticationMethod", default)]
    pub authentication_method: Option<String>,
    /// `Username`: the user name Retarus was configured to send, to compare with yours; `None` when absent.
    #[serde(rename = "Username", default)]
    pub username: Option<String>,
    /// `Password`: the password Retarus was configured to send (redacted in `Debug`); `None` when absent.
    #[serde(rename = "Password", default, deserialize_with = "opt_secret")]
    pub password: Option<Secret>,
}

impl Fax2WsAuthentication {
    /// Whether the block carries exactly these credentials.
    ///
    /// Both values are compared in constant time (the time taken does not depend on where they differ), and
    /// both are always compared, so a caller probing your endpoint learns nothing from response times.
    pub fn matches(&self, username: &str, password: &str) -> bool {
        let user_ok = self.username.as_deref().is_some_and(|u| constant_time_eq(u.as_bytes(), username.as_bytes()));
        let password_ok =
            self.password.as_ref().is_some_and(|p| constant_time_eq(p.expose().as_bytes(), password.as_bytes()));
        user_ok & password_ok
    }
}

/// Compares two byte strings in time that depends only on their lengths, never on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(Secret::new))
}

/// The `FaxDetails` block of a Fax2WS push. Every value arrives as a string; counts are parsed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Fax2WsDetails {
    /// The job id (`"K34A3QX3@J78AO6W.glaqsmucre101.QA1"`).
    #[serde(rename = "JobID")]
    pub job_id: String,
    /// When it arrived (`"2019-11-18T11:21:04+0100"`).
    #[serde(rename = "DateReceived", default, deserialize_with = "de::opt_time")]
    pub date_received: Option<VendorTime>,
    /// The number called.
    #[serde(rename = "CalledNumber", default, deserialize_with = "de::opt_text")]
    pub called_number: Option<String>,
    /// The sender's station id.
    #[serde(rename = "RemoteCSID", default, deserialize_with = "de::opt_text")]
    pub remote_csid: Option<String>,
    /// Your station id.
    #[serde(rename = "CSID", default, deserialize_with = "de::opt_text")]
    pub csid: Option<String>,
    /// `BillingCode`: the billing code as Retarus sends it (the documented example has `""`); `None` when absent.
    #[serde(rename = "BillingCode", default, deserialize_with = "de::opt_text")]
    pub billing_code: Option<String>,
    /// `FileType`: the format of the received documents (`"tiff"`, `"pdf"`); `None` when absent.
    #[serde(rename = "FileType", default, deserialize_with = "de::opt_text")]
    pub file_type: Option<String>,
    /// `Resolution`: the resolution the fax was received in (`"HIGH"` or `"LOW"`), as text; `None` when absent.
    #[serde(rename = "Resolution", default, deserialize_with = "de::opt_text")]
    pub resolution: Option<String>,
    /// Call duration in seconds (`"21"`).
    #[serde(rename = "TotalDuration", default, deserialize_with = "de::opt_u64")]
    pub total_duration: Option<u64>,
    /// `BaudRate`: the transmission speed of the call in bit/s (`"33600"`); `None` when absent.
    #[serde(rename = "BaudRate", default, deserialize_with = "de::opt_u64")]
    pub baud_rate: Option<u64>,
    /// `PageCount`: the number of pages received (`"1"`); `None` when absent.
    #[serde(rename = "PageCount", default, deserialize_with = "de::opt_u64")]
    pub page_count: Option<u64>,
    /// `Status`: the reception status as text (`"OK"` in Retarus's example); `None` when absent.
    #[serde(rename = "Status", default, deserialize_with = "de::opt_text")]
    pub status: Option<String>,
    /// The calling number.
    #[serde(rename = "CallingNumber", default, deserialize_with = "de::opt_text")]
    pub calling_number: Option<String>,
    /// `ArchivingStatus`: whether Retarus archived a copy (`"not configured"` without archiving); `None` when absent.
    #[serde(rename = "ArchivingStatus", default, deserialize_with = "de::opt_text")]
    pub archiving_status: Option<String>,
    /// `ArchivedUntil`: until when Retarus keeps the archived copy, as text; `None` when `null` or absent.
    #[serde(rename = "ArchivedUntil", default, deserialize_with = "de::opt_text")]
    pub archived_until: Option<String>,
    /// `Service`: the Retarus service that delivered the push (`"Fax2WS"`); `None` when absent.
    #[serde(rename = "Service", default, deserialize_with = "de::opt_text")]
    pub service: Option<String>,
}

/// One document of a Fax2WS push.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fax2WsFile {
    /// `FileType`: this file's format (`"tiff"`), matching its name's extension; `None` when absent.
    #[serde(rename = "FileType", default)]
    pub file_type: Option<String>,
    /// `FileName`: the job id, a dot and the extension (`K34A3QX3@….QA1.tiff`); `None` when absent.
    #[serde(rename = "FileName", default)]
    pub file_name: Option<String>,
    /// The base64 content, as sent; decode with [`Fax2WsFile::decode`].
    #[serde(rename = "FileContent", default)]
    pub file_content: Option<String>,
}

impl Fax2WsFile {
    /// Decodes the content.
    ///
    /// # Errors
    /// [`faxkit::Error::Decode`] for invalid base64.
    pub fn decode(&self) -> faxkit::Result<Vec<u8>> {
        faxkit::base64::decode(crate::VENDOR, self.file_content.as_deref().unwrap_or_default().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"hunter2", b"hunter2"));
        assert!(!constant_time_eq(b"hunter2", b"hunter3"));
        assert!(!constant_time_eq(b"hunter2", b"hunter"));
        assert!(!constant_time_eq(b"hunter", b"hunter2"));
        assert!(!constant_time_eq(b"a", b"a\0"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn matches_needs_both_values() {
        let auth = Fax2WsAuthentication {
            authentication_method: None,
            username: Some("User".into()),
            password: Some(Secret::new("pw")),
        };
        assert!(auth.matches("User", "pw"));
        assert!(!auth.matches("User", "pw2"));
        assert!(!auth.matches("Use", "pw"));
        let no_password = Fax2WsAuthentication { password: None, ..auth.clone() };
        assert!(!no_password.matches("User", ""));
        let no_user = Fax2WsAuthentication { username: None, ..auth };
        assert!(!no_user.matches("", "pw"));
    }
}
