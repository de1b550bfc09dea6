//! Models of the legacy Polka.Api generation (the types of `SoapWebService.wsdl`, api.westfax.com/Polka.Api).

use serde::Deserialize;

use super::{FaxId, WireTime, fax::base64_bytes, opt_time};

/// A fax line of the legacy API (`FaxProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FaxProductContainer {
    /// `Id`: the fax line's product GUID (the `ProductId` of other calls).
    pub id: Option<super::ProductId>,
    /// `Name`: the fax line's display name; `None` when absent (WSDL `string`, nillable).
    pub name: Option<String>,
}

/// A voice product (`VoiceProductContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct VoiceProductContainer {
    /// `Id`: the voice product's GUID.
    pub id: Option<super::ProductId>,
    /// `Name`: the voice product's display name; `None` when absent.
    pub name: Option<String>,
    /// `ProductNumber`: the product's phone number as WestFax sends it (free text); `None` when absent.
    pub product_number: Option<String>,
    /// Credits in total.
    pub total_call_credits: Option<i64>,
    /// `UsedCallCredits`: call credits used (WSDL `int`; the unit is not documented).
    pub used_call_credits: Option<i64>,
    /// `AvailableCallCredits`: call credits still available (WSDL `int`).
    pub available_call_credits: Option<i64>,
    /// `MessageDisplayName`: the display name of the product's voice message; `None` when absent.
    pub message_display_name: Option<String>,
    /// Message type (`ServiceMessageType`).
    pub message_type: Option<String>,
}

/// A download link (`DocumentContainer`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct DocumentContainer {
    /// `DocumentName`: the document's name as WestFax sends it; `None` when absent.
    pub document_name: Option<String>,
    /// `DocumentDate`: the document's date (WSDL `dateTime`; RFC 3339 or US `M/d/yyyy h:mm:ss tt`, read as UTC,
    /// raw text kept); `None` when absent or empty.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub document_date: Option<WireTime>,
    /// `DocumentLink`: the download link `GetDocumentLinks` answers for the document; `None` when absent.
    pub document_link: Option<String>,
    /// `DocumentType`: the document's type as WestFax names it (not documented; kept as text); `None` when absent.
    pub document_type: Option<String>,
    /// `DocumentId`: the GUID of the fax the link belongs to (WSDL `guid`); `None` when absent.
    pub document_id: Option<FaxId>,
}

/// A file (`FileContainer`).
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FileContainer {
    /// `Filename`: the file's name as WestFax sends it; `None` when absent.
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// `ContentType`: the MIME type (e.g. `application/pdf`), as sent; `None` when absent.
    pub content_type: Option<String>,
    /// `ContentLength`: the file's length in bytes (WSDL `int`, required there); `None` when absent.
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
    /// `Pages`: the number of pages received (WSDL `int`); `None` when absent.
    pub pages: Option<u32>,
    /// `FaxQuality`: the fax resolution, `Fine` or `Normal`, kept as text; `None` when absent.
    pub fax_quality: Option<String>,
    /// `Filename`: the image file's name as WestFax sends it; `None` when absent.
    pub filename: Option<String>,
    /// The bytes (base64-decoded).
    #[serde(default, deserialize_with = "base64_bytes")]
    pub file_contents: Option<bytes::Bytes>,
    /// `ContentType`: the image's MIME type (e.g. `application/pdf`, `image/tiff`); `None` when absent.
    pub content_type: Option<String>,
    /// `ContentLength`: the image's length in bytes (WSDL `int`); `None` when absent.
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
    /// `JobId`: the broadcast job's GUID; `None` when absent.
    pub job_id: Option<FaxId>,
    /// `JobState`: the job's state (`Complete`, `Production` while dialing, `Submitted`, …); `None` when absent.
    pub job_state: Option<super::FaxStatus>,
    /// `QuerySuccess`: whether the status lookup succeeded (WSDL `boolean`, not described further); `None` when absent.
    pub query_success: Option<bool>,
    /// Estimate (decimal text).
    pub job_estimate: Option<String>,
    /// `Code`: a status code as WestFax sends it (values not documented); `None` when absent.
    pub code: Option<String>,
    /// `TaskCount`: the job's number of tasks, by its name one per number dialled (WSDL `int`; not documented).
    pub task_count: Option<i64>,
    /// `CountSuccessful`: tasks that succeeded (WSDL `int`).
    pub count_successful: Option<i64>,
    /// `CountRemoved`: tasks removed before dialling (WSDL `int`; by its name, not documented).
    pub count_removed: Option<i64>,
    /// `CountFailed`: tasks that failed (WSDL `int`).
    pub count_failed: Option<i64>,
    /// The detail report (WSDL `DetailReport`, `base64Binary`), decoded; its format is undocumented.
    #[serde(default, deserialize_with = "base64_bytes")]
    pub detail_report: Option<bytes::Bytes>,
}
