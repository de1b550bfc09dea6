//! Models of the legacy Polka.Api generation (the types of `SoapWebService.wsdl`, api.westfax.com/Polka.Api).

use serde::Deserialize;

use super::{FaxId, WireTime, fax::base64_bytes, opt_time};

/// A fax line of the legacy API (`FaxProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxProductContainer {
    /// Id.
    pub id: Option<super::ProductId>,
    /// Name.
    pub name: Option<String>,
}

/// A voice product (`VoiceProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct VoiceProductContainer {
    /// Id.
    pub id: Option<super::ProductId>,
    /// Name.
    pub name: Option<String>,
    /// Number.
    pub product_number: Option<String>,
    /// Credits in total.
    pub total_call_credits: Option<i64>,
    /// Credits used.
    pub used_call_credits: Option<i64>,
    /// Credits left.
    pub available_call_credits: Option<i64>,
    /// Display name.
    pub message_display_name: Option<String>,
    /// Message type (`ServiceMessageType`).
    pub message_type: Option<String>,
}

/// A download link (`DocumentContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct DocumentContainer {
    /// Name.
    pub document_name: Option<String>,
    /// Date.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub document_date: Option<WireTime>,
    /// Link.
    pub document_link: Option<String>,
    /// Type.
    pub document_type: Option<String>,
    /// Id.
    pub document_id: Option<FaxId>,
}

/// A file (`FileContainer`).
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FileContainer {
    /// File name.
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// MIME type.
    pub content_type: Option<String>,
    /// Length.
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
#[serde(rename_all = "PascalCase")]
pub struct InFaxContainer {
    /// File-resource id.
    pub in_fax_id: Option<FaxId>,
    /// When it arrived.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub date: Option<WireTime>,
    /// Pages.
    pub pages: Option<u32>,
    /// Resolution.
    pub fax_quality: Option<String>,
    /// File name.
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// MIME type.
    pub content_type: Option<String>,
    /// Length.
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
#[serde(rename_all = "PascalCase")]
pub struct BroadcastFaxJobStatusContainer {
    /// Job.
    pub job_id: Option<FaxId>,
    /// State.
    pub job_state: Option<super::FaxStatus>,
    /// Lookup worked.
    pub query_success: Option<bool>,
    /// Estimate (decimal text).
    pub job_estimate: Option<String>,
    /// Code.
    pub code: Option<String>,
    /// Tasks.
    pub task_count: Option<i64>,
    /// Successful.
    pub count_successful: Option<i64>,
    /// Removed.
    pub count_removed: Option<i64>,
    /// Failed.
    pub count_failed: Option<i64>,
    /// The detail report (WSDL `DetailReport`, `base64Binary`), decoded; its format is undocumented.
    #[serde(default, deserialize_with = "base64_bytes")]
    pub detail_report: Option<bytes::Bytes>,
}
