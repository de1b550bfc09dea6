//! Fax models of the current API (reference §7).

use serde::{Deserialize, Serialize};

use super::{
    CallId, CallResult, CoverPageId, Direction, FaxId, FaxQuality, FaxStatus, FilterValue, FolderId, LoginId, WireTime,
    opt_time,
};

/// A thin fax reference (`FaxIdItem`): returned by `Fax_GetFaxIdentifiers` and sent as the JSON value of the
/// indexed `FaxIds{n}` fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaxIdItem {
    /// The fax id.
    #[serde(rename = "Id")]
    pub id: FaxId,
    /// Inbound or outbound.
    #[serde(rename = "Direction", skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// When the fax happened, as sent (ISO 8601).
    #[serde(rename = "Date", skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The filter value: whether it was downloaded or removed.
    #[serde(rename = "Tag", skip_serializing_if = "Option::is_none")]
    pub tag: Option<FilterValue>,
}

impl FaxIdItem {
    /// A reference with the id and direction (the minimum the reference recommends, §2.3).
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
pub struct FaxDescItem {
    /// The job id (outbound) or file-resource id (inbound).
    #[serde(rename = "Id")]
    pub id: Option<FaxId>,
    /// When.
    #[serde(rename = "Date", default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// Inbound or outbound.
    #[serde(rename = "Direction")]
    pub direction: Option<Direction>,
    /// Filter value.
    #[serde(rename = "Tag")]
    pub tag: Option<FilterValue>,
    /// The login that owns it.
    #[serde(rename = "LoginId")]
    pub login_id: Option<LoginId>,
    /// The login's name.
    #[serde(rename = "LoginName")]
    pub login_name: Option<String>,
    /// Fax pages.
    #[serde(rename = "PageCount")]
    pub page_count: Option<u32>,
    /// Document pages.
    #[serde(rename = "DocPageCount")]
    pub doc_page_count: Option<u32>,
    /// How it was created.
    #[serde(rename = "CreatedVia")]
    pub created_via: Option<String>,
    /// Resolution.
    #[serde(rename = "FaxQuality")]
    pub fax_quality: Option<FaxQuality>,
    /// Job state.
    #[serde(rename = "Status")]
    pub status: Option<FaxStatus>,
    /// Unread.
    #[serde(rename = "UnRead")]
    pub unread: Option<bool>,
    /// Reference text.
    #[serde(rename = "Reference")]
    pub reference: Option<String>,
    /// Job name.
    #[serde(rename = "JobName")]
    pub job_name: Option<String>,
    /// Created by.
    #[serde(rename = "CreatedBy")]
    pub created_by: Option<String>,
    /// Folder.
    #[serde(rename = "FolderId")]
    pub folder_id: Option<FolderId>,
    /// Whether documents can be downloaded.
    #[serde(rename = "FilesAvailable")]
    pub files_available: Option<bool>,
    /// One entry per call (recipient).
    #[serde(rename = "FaxCallInfoList", default)]
    pub calls: Vec<FaxCallInfoItem>,
}

/// One call of a fax (`FaxCallInfoItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaxCallInfoItem {
    /// Call id.
    #[serde(rename = "CallId")]
    pub call_id: Option<CallId>,
    /// When the call ended (`CompletedUTC`; the Go client spells it `CompletedUtc`, both match).
    #[serde(rename = "CompletedUTC", default, deserialize_with = "opt_time::deserialize")]
    pub completed_utc: Option<WireTime>,
    /// The called number.
    #[serde(rename = "TermNumber")]
    pub term_number: Option<String>,
    /// The calling number (the sender of an inbound fax).
    #[serde(rename = "OrigNumber")]
    pub orig_number: Option<String>,
    /// The called CSID.
    #[serde(rename = "TermCSID")]
    pub term_csid: Option<String>,
    /// The calling CSID.
    #[serde(rename = "OrigCSID")]
    pub orig_csid: Option<String>,
    /// The call result.
    #[serde(rename = "Result")]
    pub result: Option<CallResult>,
    /// Bit set of read/removed flags (`FilterFlag`).
    #[serde(rename = "FilterFlag")]
    pub filter_flag: Option<u32>,
    /// Pages in this call.
    #[serde(rename = "CallPageCount")]
    pub call_page_count: Option<u32>,
}

/// A fax with its files (`FaxFileItem`), from `Fax_GetFaxDocuments` and `Fax_ConvertToFaxDocument`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaxFileItem {
    /// Fax id.
    #[serde(rename = "Id")]
    pub id: Option<FaxId>,
    /// When.
    #[serde(rename = "Date", default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// Direction.
    #[serde(rename = "Direction")]
    pub direction: Option<Direction>,
    /// Filter value.
    #[serde(rename = "Tag")]
    pub tag: Option<FilterValue>,
    /// Status.
    #[serde(rename = "Status")]
    pub status: Option<FaxStatus>,
    /// Format (`pdf`, …).
    #[serde(rename = "Format")]
    pub format: Option<String>,
    /// Pages.
    #[serde(rename = "PageCount")]
    pub page_count: Option<u32>,
    /// The files.
    #[serde(rename = "FaxFiles", default)]
    pub fax_files: Vec<FileItem>,
}

/// One file (`FileItem`); `FileContents` is base64 on the wire and decoded here.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FileItem {
    /// `Inline` / `Attachment`.
    #[serde(rename = "ContentDisposition")]
    pub content_disposition: Option<String>,
    /// Content encoding.
    #[serde(rename = "ContentEncoding")]
    pub content_encoding: Option<String>,
    /// Length in bytes.
    #[serde(rename = "ContentLength")]
    pub content_length: Option<u64>,
    /// MIME type.
    #[serde(rename = "ContentType")]
    pub content_type: Option<String>,
    /// File name.
    #[serde(rename = "Filename")]
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(rename = "FileContents", default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// A link, when the vendor sends one.
    #[serde(rename = "Url")]
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
pub struct JobStatusItem {
    /// Job id.
    #[serde(rename = "JobId")]
    pub job_id: Option<FaxId>,
    /// Job state.
    #[serde(rename = "JobState")]
    pub job_state: Option<FaxStatus>,
    /// Whether the lookup worked.
    #[serde(rename = "QuerySuccess")]
    pub query_success: Option<bool>,
    /// Cost estimate, as the decimal text sent.
    #[serde(rename = "JobEstimate")]
    pub job_estimate: Option<String>,
    /// Legacy status code.
    #[serde(rename = "Code")]
    pub code: Option<String>,
    /// When.
    #[serde(rename = "Date", default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// One entry per call.
    #[serde(rename = "Calls", default)]
    pub calls: Vec<JobCallStatusItem>,
}

/// One call of a job (`JobCallStatusItem`; legacy `CallContainer`, whose fields are all strings).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct JobCallStatusItem {
    /// Called number.
    #[serde(rename = "PhoneNumber")]
    pub phone_number: Option<String>,
    /// Result.
    #[serde(rename = "CallResult")]
    pub call_result: Option<CallResult>,
    /// Pages submitted.
    #[serde(rename = "JobPages")]
    pub job_pages: Option<u32>,
    /// Pages sent.
    #[serde(rename = "PagesSent")]
    pub pages_sent: Option<u32>,
    /// Call duration.
    #[serde(rename = "DurationSeconds")]
    pub duration_seconds: Option<u32>,
    /// When the call ended (`6/29/2017 10:31:29 AM` on the legacy API).
    #[serde(rename = "CompleteUtc", default, deserialize_with = "opt_time::deserialize")]
    pub complete_utc: Option<WireTime>,
    /// Connection speed.
    #[serde(rename = "FaxConnectionSpeed")]
    pub fax_connection_speed: Option<u32>,
    /// Remote CSID.
    #[serde(rename = "FaxRemoteCsid")]
    pub fax_remote_csid: Option<String>,
}

/// A name/value pair (`NameValueItem`), the JSON value of the indexed `MethodParams{n}` fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NameValueItem {
    /// Name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Value (always a string).
    #[serde(rename = "Value")]
    pub value: String,
}

impl NameValueItem {
    /// A pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        NameValueItem { name: name.into(), value: value.into() }
    }
}

/// A cover page (`FaxCoverPageItem`; only `Id` and `Name` are known, reference §6.5).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CoverPageItem {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<CoverPageId>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
}

/// A product folder (`FolderItem`). Its fields were never published (reference §7); the known ones are typed
/// and the whole object is kept in `raw` so it can be sent back unchanged as `ProductFolder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FolderItem {
    /// The object exactly as received.
    #[serde(flatten)]
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl FolderItem {
    /// A folder to create: only a name (the id must be absent when creating, reference §6.5).
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

/// A page of results of a `*_Paged*` call (`Page<T>`; its shape was never published, reference §7). Kept as
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
