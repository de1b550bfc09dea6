//! `GET /sent_faxes/{id}`.

use faxkit::DeliveryStatus;
use jiff::Timestamp;

faxkit::open_enum! {
    /// Where an outgoing fax stands (Fax2 API, `sent_faxes`). `sent` and `failed` are final.
    pub enum SentFaxStatus {
        /// Being sent; the number is called shortly.
        Sending = "sending",
        /// Waiting to be sent later (busy lines, or a retry after a failed attempt).
        Waiting = "waiting",
        /// Transmitted; the receiver confirmed the last page.
        Sent = "sent",
        /// Failed three times; the service gave up.
        Failed = "failed",
    }
}

faxkit::open_enum! {
    /// Why a fax failed: the outcome of the last attempt (Fax2 API, `sent_faxes`).
    pub enum FailureReason {
        /// The number was busy.
        Busy = "busy",
        /// The call was not answered.
        NoAnswer = "no_answer",
        /// Answered, but no fax machine detected.
        NoCarrier = "no_carrier",
        /// The number could not be dialled, likely invalid.
        DialFailed = "dial_failed",
        /// The complete fax could not be sent.
        TransmitError = "transmit_error",
        /// Cancelled by the service (rare).
        Cancelled = "cancelled",
        /// An unforeseen error (rare).
        InternalError = "internal_error",
    }
}

/// An outgoing fax's status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct SentFax {
    /// `status`: `sending`, `waiting`, `sent` or `failed` (`sent` and `failed` are final); other values are kept in
    /// [`SentFaxStatus::Other`].
    pub status: SentFaxStatus,
    /// `pages`: the total number of pages in the fax (integer, always present).
    pub pages: u32,
    /// When the fax completed or the last attempt ended; only for `sent` and `failed`.
    #[serde(default)]
    pub sent_at: Option<Timestamp>,
    /// Why it failed; only for `failed`.
    #[serde(default)]
    pub reason: Option<FailureReason>,
    /// Attempts so far, not counting one in progress.
    pub send_attempts: u32,
    /// Pages transmitted; only for `sent` and `failed` (`failed` with pages > 0 means partially sent).
    #[serde(default)]
    pub pages_sent: Option<u32>,
}

impl SentFax {
    /// Whether the status is final (`sent` or `failed`).
    pub fn is_final(&self) -> bool {
        matches!(self.status, SentFaxStatus::Sent | SentFaxStatus::Failed)
    }

    /// The neutral status: `waiting` → queued, `sending` → sending, `sent` → delivered, `failed` → failed with
    /// the reason (`cancelled` → cancelled), unknown values → unknown.
    pub fn delivery_status(&self) -> DeliveryStatus {
        match (&self.status, &self.reason) {
            (SentFaxStatus::Waiting, _) => DeliveryStatus::Queued,
            (SentFaxStatus::Sending, _) => DeliveryStatus::Sending,
            (SentFaxStatus::Sent, _) => DeliveryStatus::Delivered,
            (SentFaxStatus::Failed, Some(FailureReason::Cancelled)) => DeliveryStatus::Cancelled,
            (SentFaxStatus::Failed, reason) => {
                DeliveryStatus::Failed { reason: reason.as_ref().map(|r| r.to_string()) }
            }
            (SentFaxStatus::Other(_), _) => DeliveryStatus::Unknown,
        }
    }
}
