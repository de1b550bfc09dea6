//! The vendor-neutral delivery status.

use std::fmt;

/// Where a fax stands, in terms every vendor maps to. The vendor's own value is always kept beside it
/// ([`crate::FaxStatus::raw_status`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Accepted, waiting to be sent (includes scheduled and retry-waiting faxes).
    Queued,
    /// Being rendered or transmitted.
    Sending,
    /// Delivered to every recipient.
    Delivered,
    /// Failed for good.
    Failed {
        /// The vendor's reason, if it gave one (`busy`, `no answer`, an error code …).
        reason: Option<String>,
    },
    /// Cancelled before delivery.
    Cancelled,
    /// The vendor's value has no known meaning.
    Unknown,
}

impl DeliveryStatus {
    /// Whether the status can no longer change (delivered, failed, cancelled).
    ///
    /// ```
    /// # use faxkit::DeliveryStatus;
    /// assert!(DeliveryStatus::Delivered.is_final());
    /// assert!(!DeliveryStatus::Queued.is_final());
    /// ```
    pub fn is_final(&self) -> bool {
        matches!(self, DeliveryStatus::Delivered | DeliveryStatus::Failed { .. } | DeliveryStatus::Cancelled)
    }

    /// A failure with a reason.
    pub fn failed(reason: impl Into<String>) -> Self {
        DeliveryStatus::Failed { reason: Some(reason.into()) }
    }

    /// The lower-case name: `queued`, `sending`, `delivered`, `failed`, `cancelled`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed { .. } => "failed",
            DeliveryStatus::Cancelled => "cancelled",
            DeliveryStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryStatus::Failed { reason: Some(r) } => write!(f, "failed ({r})"),
            other => f.write_str(other.as_str()),
        }
    }
}

impl serde::Serialize for DeliveryStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
