//! Wire types of Fax2WSPull's `POST /topics/{topic}` answer (`meta` and `results`).
//!
//! Field names and example types are those of the Fax2WSPull reference (`retarus-fax2wspull.txt`). Every field
//! is optional and unknown fields are kept in `extra`, since Retarus documents examples, not a schema. Counts
//! accept numbers and numeric strings.

use faxkit::VendorTime;
use serde::{Deserialize, Serialize};

use super::de;
use super::jobs::Resolution;

faxkit::id_type! {
    /// A Fax2WSPull job id (`"29"`), used to acknowledge the job.
    pub struct InboundJobId;
}

faxkit::open_enum! {
    /// Archiving status of a received fax.
    pub enum ArchivingStatus {
        /// `SUCCEEDED`: Retarus archived a copy of the fax (see `archiveExpiry` for how long it is kept).
        Succeeded = "SUCCEEDED",
        /// `not configured` (as spelled in the Fax2WS push).
        NotConfigured = "not configured",
        /// `FAILED`: Retarus tried to archive a copy of the fax and did not succeed.
        Failed = "FAILED",
    }
}

/// The `meta` part of a fetch answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Meta {
    /// API version (`1`).
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub version: Option<u64>,
    /// Fetches the next batch and acknowledges every job of this answer.
    #[serde(default)]
    pub next: Option<String>,
    /// Acknowledges every job of this answer without fetching (`fetch=0`).
    #[serde(default)]
    pub exit: Option<String>,
    /// `meta.topic`: the name of the topic that was polled (`"abc123"`); `None` when absent.
    #[serde(default)]
    pub topic: Option<String>,
    /// Number of results.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub result_size: Option<u64>,
    /// The effective parameters (shape undocumented).
    #[serde(default)]
    pub parameters: Option<serde_json::Value>,
}

/// A document of a received fax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InboundDocument {
    /// Where the document is (`…/files/{id}.{extension}`).
    pub url: String,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl InboundDocument {
    /// A document known only by its file name (`{id}.{extension}`): the relative URL `files/{file name}`, which
    /// downloads resolve against the configured Fax2WSPull URL. Prefer the `documents[]` entry of a fetch answer
    /// when you have it: its URL is used as given.
    pub fn for_file(file_name: &str) -> Self {
        // `file_name` percent-decodes the last segment, so the characters that would end or split it (and `%`
        // itself) are escaped once here.
        let mut escaped = String::with_capacity(file_name.len());
        for c in file_name.chars() {
            match c {
                '%' => escaped.push_str("%25"),
                '/' => escaped.push_str("%2F"),
                '\\' => escaped.push_str("%5C"),
                '?' => escaped.push_str("%3F"),
                '#' => escaped.push_str("%23"),
                c => escaped.push(c),
            }
        }
        InboundDocument { url: format!("files/{escaped}"), extra: serde_json::Map::new() }
    }

    /// The file name at the end of [`url`](Self::url), percent-decoded (`J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf`).
    pub fn file_name(&self) -> Option<String> {
        let path = match url::Url::parse(&self.url) {
            Ok(u) => u.path().to_owned(),
            Err(_) => self.url.split(['?', '#']).next().unwrap_or_default().to_owned(),
        };
        let last = path.rsplit('/').next().filter(|s| !s.is_empty())?;
        Some(percent_decode(last))
    }

    /// The file id and extension, split on the **last** dot (ids contain `.` and `@`).
    ///
    /// ```
    /// # let doc: retarus_fax::model::pull::InboundDocument = serde_json::from_str(
    /// #   r#"{"url":"https://api.de1.retarus.com/faxin/rest/v1/files/K34A3QX3@J78AO6W.glaqsmucre101.QA1.pdf"}"#).unwrap();
    /// let (id, ext) = doc.file_id_and_extension().unwrap();
    /// assert_eq!((id.as_str(), ext.as_str()), ("K34A3QX3@J78AO6W.glaqsmucre101.QA1", "pdf"));
    /// ```
    pub fn file_id_and_extension(&self) -> Option<(String, String)> {
        let name = self.file_name()?;
        let (id, ext) = name.rsplit_once('.')?;
        if id.is_empty() || ext.is_empty() {
            return None;
        }
        Some((id.to_owned(), ext.to_owned()))
    }
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// One received fax job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InboundFaxJob {
    /// The job id used to acknowledge (`"29"`).
    pub id: InboundJobId,
    /// The call id (`"J5WA4IAA@BXATD0S.glagqaseq108.DC2"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub call_id: Option<String>,
    /// Cost center / billing code.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub cost_center: Option<String>,
    /// When it arrived (`"2023-08-03T12:09:43+0200"`, a basic offset). A value that is no timestamp is
    /// dropped with a warning rather than failing the batch.
    #[serde(default, deserialize_with = "de::opt_time_lenient")]
    pub date_received: Option<VendorTime>,
    /// Call duration in seconds.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub total_duration: Option<u64>,
    /// The calling number (`"00498912345678"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender_isdn: Option<String>,
    /// The sender's station id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender_fax_id: Option<String>,
    /// The number called (`"+4989262080440"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub receiver_isdn: Option<String>,
    /// Your station id.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub receiver_fax_id: Option<String>,
    /// Resolution (`"HIGH"`).
    #[serde(default)]
    pub fax_resolution: Option<Resolution>,
    /// Baud rate (`33600`).
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub fax_baud_rate: Option<u64>,
    /// `faxPageCount`: the number of pages received (a number or a numeric string); `None` when absent.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub fax_page_count: Option<u64>,
    /// Classic status (`"OK"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub fax_classic_status: Option<String>,
    /// Numeric status (`"2.0.0"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub fax_numeric_status: Option<String>,
    /// `archivingStatus`: whether Retarus archived a copy (`SUCCEEDED`, `FAILED`, `not configured`); `None`
    /// when absent.
    #[serde(default)]
    pub archiving_status: Option<ArchivingStatus>,
    /// When the archive copy expires, as sent (`"2023.08.10"`); see
    /// [`archive_expiry_date`](Self::archive_expiry_date).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub archive_expiry: Option<String>,
    /// The fax documents.
    #[serde(default, deserialize_with = "de::one_or_many")]
    pub documents: Vec<InboundDocument>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl InboundFaxJob {
    /// [`archive_expiry`](Self::archive_expiry) as a date (`2023.08.10` or `2023-08-10`).
    pub fn archive_expiry_date(&self) -> Option<jiff::civil::Date> {
        let raw = self.archive_expiry.as_deref()?.trim();
        let head = raw.get(..10)?;
        head.replace('.', "-").parse().ok()
    }
}

/// The answer to `POST /topics/{topic}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FetchResponse {
    /// Request information and the `next`/`exit` URLs.
    #[serde(default)]
    pub meta: Meta,
    /// The jobs, now locked for the lock timeout.
    #[serde(default)]
    pub results: Vec<InboundFaxJob>,
}

impl FetchResponse {
    /// The ids of every job in this answer.
    pub fn ids(&self) -> Vec<InboundJobId> {
        self.results.iter().map(|j| j.id.clone()).collect()
    }
}

impl From<&InboundFaxJob> for faxkit::InboundFax {
    fn from(job: &InboundFaxJob) -> Self {
        let mut fax = faxkit::InboundFax::new(inbound_fax_id(&job.id, job.documents.first()));
        fax.from = job.sender_isdn.clone().or_else(|| job.sender_fax_id.clone());
        fax.to = job.receiver_isdn.clone();
        fax.pages = job.fax_page_count.and_then(|p| u32::try_from(p).ok());
        fax.received_at = job.date_received.as_ref().map(|t| t.utc);
        fax.acknowledged = Some(false);
        fax
    }
}

/// The neutral inbound id: `<job id>/<first document's file name>`, or a bare job id.
pub(crate) fn inbound_fax_id(job: &InboundJobId, document: Option<&InboundDocument>) -> faxkit::FaxId {
    match document.and_then(InboundDocument::file_name) {
        Some(file) => faxkit::FaxId::new(format!("{job}/{file}")),
        None => faxkit::FaxId::new(job.as_str()),
    }
}

/// Splits a neutral inbound id into the job id and, when present, the document file name.
pub(crate) fn split_inbound_id(id: &faxkit::FaxId) -> (InboundJobId, Option<&str>) {
    match id.as_str().split_once('/') {
        Some((job, file)) if !file.is_empty() => (InboundJobId::from(job), Some(file)),
        _ => (InboundJobId::from(id), None),
    }
}
