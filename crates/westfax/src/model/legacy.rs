//! Models of the legacy Polka.Api generation (SOAP WSDL types, reference §9.2).

use serde::Deserialize;

use super::{FaxId, WireTime, fax::base64_bytes, opt_time};

/// A fax line of the legacy API (`FaxProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FaxProductContainer {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<super::ProductId>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
}

/// A voice product (`VoiceProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct VoiceProductContainer {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<super::ProductId>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Number.
    #[serde(rename = "ProductNumber")]
    pub product_number: Option<String>,
    /// Credits in total.
    #[serde(rename = "TotalCallCredits")]
    pub total_call_credits: Option<i64>,
    /// Credits used.
    #[serde(rename = "UsedCallCredits")]
    pub used_call_credits: Option<i64>,
    /// Credits left.
    #[serde(rename = "AvailableCallCredits")]
    pub available_call_credits: Option<i64>,
    /// Display name.
    #[serde(rename = "MessageDisplayName")]
    pub message_display_name: Option<String>,
    /// Message type (`ServiceMessageType`).
    #[serde(rename = "MessageType")]
    pub message_type: Option<String>,
}

/// A download link (`DocumentContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct DocumentContainer {
    /// Name.
    #[serde(rename = "DocumentName")]
    pub document_name: Option<String>,
    /// Date.
    #[serde(rename = "DocumentDate", default, deserialize_with = "opt_time::deserialize")]
    pub document_date: Option<WireTime>,
    /// Link.
    #[serde(rename = "DocumentLink")]
    pub document_link: Option<String>,
    /// Type.
    #[serde(rename = "DocumentType")]
    pub document_type: Option<String>,
    /// Id.
    #[serde(rename = "DocumentId")]
    pub document_id: Option<FaxId>,
}

/// A file (`FileContainer`).
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct FileContainer {
    /// File name.
    #[serde(rename = "Filename")]
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(rename = "FileContents", default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// MIME type.
    #[serde(rename = "ContentType")]
    pub content_type: Option<String>,
    /// Length.
    #[serde(rename = "ContentLength")]
    pub content_length: Option<u64>,
}

impl std::fmt::Debug for FileContainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileContainer")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// A received fax with its file (`InFaxContainer`, extends `FileContainer`).
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct InFaxContainer {
    /// File-resource id.
    #[serde(rename = "InFaxId")]
    pub in_fax_id: Option<FaxId>,
    /// When it arrived.
    #[serde(rename = "Date", default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// Pages.
    #[serde(rename = "Pages")]
    pub pages: Option<u32>,
    /// Resolution.
    #[serde(rename = "FaxQuality")]
    pub fax_quality: Option<String>,
    /// File name.
    #[serde(rename = "Filename")]
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(rename = "FileContents", default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// MIME type.
    #[serde(rename = "ContentType")]
    pub content_type: Option<String>,
    /// Length.
    #[serde(rename = "ContentLength")]
    pub content_length: Option<u64>,
}

impl std::fmt::Debug for InFaxContainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InFaxContainer")
            .field("in_fax_id", &self.in_fax_id)
            .field("date", &self.date)
            .field("pages", &self.pages)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// A broadcast job's status (`BroadcastFaxJobStatusContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct BroadcastFaxJobStatusContainer {
    /// Job.
    #[serde(rename = "JobId")]
    pub job_id: Option<FaxId>,
    /// State.
    #[serde(rename = "JobState")]
    pub job_state: Option<super::FaxStatus>,
    /// Lookup worked.
    #[serde(rename = "QuerySuccess")]
    pub query_success: Option<bool>,
    /// Estimate (decimal text).
    #[serde(rename = "JobEstimate")]
    pub job_estimate: Option<String>,
    /// Code.
    #[serde(rename = "Code")]
    pub code: Option<String>,
    /// Tasks.
    #[serde(rename = "TaskCount")]
    pub task_count: Option<i64>,
    /// Successful.
    #[serde(rename = "CountSuccessful")]
    pub count_successful: Option<i64>,
    /// Removed.
    #[serde(rename = "CountRemoved")]
    pub count_removed: Option<i64>,
    /// Failed.
    #[serde(rename = "CountFailed")]
    pub count_failed: Option<i64>,
    /// The detail report (WSDL `DetailReport`, `base64Binary`), decoded; its format is undocumented.
    #[serde(rename = "DetailReport", default, deserialize_with = "base64_bytes")]
    pub detail_report: Option<bytes::Bytes>,
}
