//! Batch records.

use faxkit::VendorTime;
use serde::{Deserialize, Serialize};

use super::common::{BatchId, opt_text, opt_time};
use super::outbound::{PageOrientation, PageSize, RenderingQuality, Resolution};

/// A batch, as `GET /outbound/batches` (without the totals) and `GET /outbound/batches/{id}` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Batch {
    /// The batch id.
    pub batch_head_id: BatchId,
    /// The submitting user.
    #[serde(default, alias = "userID", alias = "userid")]
    pub user_id: Option<String>,
    /// Faxes in the batch.
    #[serde(default)]
    pub num_of_transactions: Option<u32>,
    /// Submission time (UTC).
    #[serde(default, deserialize_with = "opt_time")]
    pub submit_time: Option<VendorTime>,
    /// `replyEmail`: the e-mail address confirmations go to (the send's `replyAddress`); `null` and `""` read
    /// as `None`.
    #[serde(default, deserialize_with = "opt_text")]
    pub reply_email: Option<String>,
    /// The caller's reference.
    #[serde(default, deserialize_with = "opt_text")]
    pub reference: Option<String>,
    /// Pages per fax.
    #[serde(default)]
    pub pages_submitted: Option<u32>,
    /// Sender CSID.
    #[serde(default, rename = "senderCSID", deserialize_with = "opt_text")]
    pub sender_csid: Option<String>,
    /// `pageSize` as read back (`A4`, `Letter`, `Legal`, `B4`; parsed case-insensitively); `None` when absent.
    #[serde(default)]
    pub page_size: Option<PageSize>,
    /// `pageOrientation` as read back (`Portrait` or `Landscape`); `None` when absent.
    #[serde(default)]
    pub page_orientation: Option<PageOrientation>,
    /// `pageResolution` as read back (`Standard` or `Fine`); `None` when absent.
    #[serde(default)]
    pub page_resolution: Option<Resolution>,
    /// `renderingQuality`: `Standard` (black and white) or `Fine` (greyscale), the output vocabulary, not the send
    /// option's `bw`/`greyscale`; `None` when absent.
    #[serde(default)]
    pub rendering_quality: Option<RenderingQuality>,
    /// `pageHeader`: the header template printed at the top of each page, as given at submission (InterFAX has been
    /// seen to answer `"0"` when none was set); `null` and `""` read as `None`.
    #[serde(default, deserialize_with = "opt_text")]
    pub page_header: Option<String>,
    /// `attemptsToPerform`: the maximum number of transmission attempts requested per fax (the send's
    /// `retriesToPerform`); `None` when absent.
    #[serde(default)]
    pub attempts_to_perform: Option<u32>,
    /// Faxes sent (record only).
    #[serde(default, rename = "totalOK")]
    pub total_ok: Option<u32>,
    /// Faxes failed (record only).
    #[serde(default)]
    pub total_failed: Option<u32>,
    /// Faxes in progress (record only).
    #[serde(default)]
    pub total_in_process: Option<u32>,
}
