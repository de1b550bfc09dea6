//! Fax models of the current API (`FaxIdItem`, `FaxDescItem`… in the vendor's C# SDK, github.com/westfax/SDK-Fax).

use serde::{Deserialize, Serialize};

use super::{
    CallId, CallResult, CoverPageId, Direction, FaxId, FaxQuality, FaxStatus, FilterValue, FolderId, LoginId, WireTime,
    opt_time,
};

/// A thin fax reference (`FaxIdItem`): returned by `Fax_GetFaxIdentifiers` and sent as the JSON value of the
/// indexed `FaxIds{n}` fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxIdItem {
    /// The fax id.
    pub id: FaxId,
    /// Inbound or outbound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// When the fax happened, as sent (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The filter value: whether it was downloaded or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<FilterValue>,
}

impl FaxIdItem {
    /// A reference with the id and direction (what the WestFax Postman collection always sends).
    pub fn new(id: impl Into<FaxId>, direction: Direction) -> Self {
        FaxIdItem { id: id.into(), direction: Some(direction), date: None, tag: None }
    }

    /// A reference with only the id.
    pub fn id_only(id: impl Into<FaxId>) -> Self {
        FaxIdItem { id: id.into(), direction: None, date: None, tag: None }
    }
}

/// A fax description (`FaxDescItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxDescItem {
    /// The job id (outbound) or file-resource id (inbound).
    pub id: Option<FaxId>,
    /// When the fax was sent or received (RFC 3339 on the current API, `6/29/2017 10:31:29 AM` on the
    /// legacy one, read as UTC with the text kept); absent when the vendor leaves it out.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// Whether the fax was read, removed or not touched yet (`Tag`; `None` here and `Tag` absent: unread).
    pub tag: Option<FilterValue>,
    /// The login that owns it.
    pub login_id: Option<LoginId>,
    /// The login's name.
    pub login_name: Option<String>,
    /// Pages of the fax as transmitted (a count; absent before the job is rendered).
    pub page_count: Option<u32>,
    /// Pages of the submitted documents, before rendering to fax pages.
    pub doc_page_count: Option<u32>,
    /// How it was created.
    pub created_via: Option<String>,
    /// Resolution the fax was sent or received at (`Fine`, `Normal`).
    pub fax_quality: Option<FaxQuality>,
    /// Job state (`Submitted` … `Complete`, `Failed`, `Cancelled`); a delivered job is known only from
    /// the calls' results.
    pub status: Option<FaxStatus>,
    /// Whether nobody has retrieved an inbound fax yet (`UnRead`, `true`/`false`).
    #[serde(rename = "UnRead")]
    pub unread: Option<bool>,
    /// The `Reference` text given at send time (free text, echoed back).
    pub reference: Option<String>,
    /// The `JobName` given at send time (this client keeps the idempotency key there).
    pub job_name: Option<String>,
    /// Who created the job, as WestFax reports it (free text).
    pub created_by: Option<String>,
    /// The product folder holding the fax, when it was filed in one.
    pub folder_id: Option<FolderId>,
    /// Whether documents can be downloaded.
    pub files_available: Option<bool>,
    /// One entry per call (recipient).
    #[serde(rename = "FaxCallInfoList", default)]
    pub calls: Vec<FaxCallInfoItem>,
}

/// One call of a fax (`FaxCallInfoItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxCallInfoItem {
    /// The id of this dial attempt (one fax can take several calls).
    pub call_id: Option<CallId>,
    /// When the call ended (`CompletedUTC`; the Go client spells it `CompletedUtc`, both match).
    #[serde(rename = "CompletedUTC", default, deserialize_with = "opt_time::deserialize")]
    pub completed_utc: Option<WireTime>,
    /// The called number.
    pub term_number: Option<String>,
    /// The calling number (the sender of an inbound fax).
    pub orig_number: Option<String>,
    /// The called CSID.
    #[serde(rename = "TermCSID")]
    pub term_csid: Option<String>,
    /// The calling CSID.
    #[serde(rename = "OrigCSID")]
    pub orig_csid: Option<String>,
    /// The call result.
    pub result: Option<CallResult>,
    /// Bit set of read/removed flags (`FilterFlag`).
    pub filter_flag: Option<u32>,
    /// Pages in this call.
    pub call_page_count: Option<u32>,
}

/// A fax with its files (`FaxFileItem`), from `Fax_GetFaxDocuments` and `Fax_ConvertToFaxDocument`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxFileItem {
    /// The fax the files belong to.
    pub id: Option<FaxId>,
    /// When the fax was sent or received (read as UTC, the text kept).
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// `Inbound` or `Outbound`.
    pub direction: Option<Direction>,
    /// Whether the fax was read or removed (`None`: unread).
    pub tag: Option<FilterValue>,
    /// Job state of an outbound fax (`Submitted` … `Complete`).
    pub status: Option<FaxStatus>,
    /// Format (`pdf`, …).
    pub format: Option<String>,
    /// Pages of the fax (a count).
    pub page_count: Option<u32>,
    /// `FaxFiles`: the fax's documents in the requested `Format`, contents base64-decoded; empty when absent.
    #[serde(default)]
    pub fax_files: Vec<FileItem>,
}

/// One file (`FileItem`); `FileContents` is base64 on the wire and decoded here.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FileItem {
    /// `Inline` / `Attachment`.
    pub content_disposition: Option<String>,
    /// How `FileContents` is encoded on the wire (`base64`; decoded here).
    pub content_encoding: Option<String>,
    /// Size of the decoded file in bytes, as the vendor states it (not checked against the contents).
    pub content_length: Option<u64>,
    /// MIME type of the file (`application/pdf`, `image/tiff`); absent on some legacy answers.
    pub content_type: Option<String>,
    /// File name the vendor gives the document (`Filename`; no path).
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// A link, when the vendor sends one.
    pub url: Option<String>,
}

impl std::fmt::Debug for FileItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileItem")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("filename", &self.filename)
            .field("file_contents", &self.file_contents.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .finish_non_exhaustive()
    }
}

pub(crate) fn base64_bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bytes::Bytes>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(s) => faxkit::base64::decode(crate::VENDOR, s.as_bytes())
            .map(|v| Some(bytes::Bytes::from(v)))
            .map_err(serde::de::Error::custom),
    }
}

/// The status of an outbound job (`JobStatusItem`; legacy `JobStatusContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct JobStatusItem {
    /// The job (outbound fax) this status is about.
    pub job_id: Option<FaxId>,
    /// Job state (`Submitted`, `Production`, `Complete`, `Failed`, `Cancelled`…); WestFax refreshes it
    /// at most every 3 minutes.
    pub job_state: Option<FaxStatus>,
    /// Whether the lookup worked.
    pub query_success: Option<bool>,
    /// Cost estimate, as the decimal text sent.
    pub job_estimate: Option<String>,
    /// Status code of the legacy `JobStatusContainer` (text; absent on the current API).
    pub code: Option<String>,
    /// When the job was submitted (read as UTC, the text kept).
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// One entry per call.
    #[serde(default)]
    pub calls: Vec<JobCallStatusItem>,
}

/// One call of a job (`JobCallStatusItem`; legacy `CallContainer`, whose fields are all strings).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct JobCallStatusItem {
    /// The number dialled, as WestFax reports it.
    pub phone_number: Option<String>,
    /// How the call ended (`Success`, `Busy`, `No Answer`…); only `Success`/`Sent` means delivered.
    pub call_result: Option<CallResult>,
    /// Pages the job had to send on this call.
    pub job_pages: Option<u32>,
    /// Pages the far end received on this call.
    pub pages_sent: Option<u32>,
    /// Length of the call in seconds.
    pub duration_seconds: Option<u32>,
    /// When the call ended (`6/29/2017 10:31:29 AM` on the legacy API).
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub complete_utc: Option<WireTime>,
    /// Speed of the fax connection as WestFax reports it (a number; the unit is not documented).
    pub fax_connection_speed: Option<u32>,
    /// The CSID (station identifier) the receiving machine announced; absent when none.
    pub fax_remote_csid: Option<String>,
}

/// A name/value pair (`NameValueItem`), the JSON value of the indexed `MethodParams{n}` fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct NameValueItem {
    /// `Name`: the field's name (a WestFax or custom field name, as sent).
    pub name: String,
    /// Value (always a string).
    pub value: String,
}

impl NameValueItem {
    /// A `{Name, Value}` pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        NameValueItem { name: name.into(), value: value.into() }
    }
}

/// A cover page (`FaxCoverPageItem`; only `Id` and `Name` are known from the C# SDK).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CoverPageItem {
    /// The cover page id, as `Fax_SendFax` takes it in `CoverPageId`.
    pub id: Option<CoverPageId>,
    /// The cover page's name as shown to the account's users.
    pub name: Option<String>,
}

/// A product folder (`FolderItem`). Its fields were never published; the known ones are typed
/// and the whole object is kept in `raw` so it can be sent back unchanged as `ProductFolder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FolderItem {
    /// The object exactly as received.
    #[serde(flatten)]
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl FolderItem {
    /// A folder to create: only a name (the id must be absent when creating).
    pub fn named(name: impl Into<String>) -> Self {
        let mut raw = serde_json::Map::new();
        raw.insert("Name".into(), serde_json::Value::String(name.into()));
        FolderItem { raw }
    }

    /// The folder id, if present.
    pub fn id(&self) -> Option<FolderId> {
        self.raw.iter().find(|(k, _)| k.eq_ignore_ascii_case("Id")).and_then(|(_, v)| v.as_str()).map(FolderId::from)
    }
}

/// A page of results of a `*_Paged*` call (`Page<T>`; its shape was never published). Kept as
/// the raw object; `items()` finds the list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Page {
    /// The object exactly as received.
    #[serde(flatten)]
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl Page {
    /// The first array member (the items), whatever it is called.
    pub fn items(&self) -> &[serde_json::Value] {
        self.raw.values().find_map(|v| v.as_array()).map(Vec::as_slice).unwrap_or(&[])
    }
}
