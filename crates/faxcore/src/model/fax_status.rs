//! `FaxStatus`: the status of a fax.

use faxkit::DeliveryStatus;

faxkit::open_enum! {
    /// A fax status as FaxCore reports it in `FaxStatus` and in `GetFaxDetails`' `<Status>`.
    ///
    /// The hosted API reference shows `In Queue` and `Completed`. The other values come from FaxCore eV6's
    /// message statuses (`MessageStatus` in the third-party `FaxCore.Ev6.RestClient`), accepted both in eV6's
    /// camel case (`InQueue`) and in the spaced style of the hosted API (`In Queue`). Anything else is kept in
    /// [`FaxCoreStatus::Other`]; parsing ignores case.
    pub enum FaxCoreStatus {
        /// Sent to every recipient (`Completed`).
        Completed = "Completed",
        /// Failed for good (`Failed`).
        Failed = "Failed",
        /// Waiting to be sent (`In Queue`, as in the reference's `FaxStatus` sample).
        InQueue = "In Queue" | "InQueue",
        /// Being rendered or transmitted (`Processing`).
        Processing = "Processing",
        /// Scheduled for later (`In Schedule`).
        InSchedule = "In Schedule" | "InSchedule",
        /// Waiting for an approver (`Awaiting Approval`).
        AwaitingApproval = "Awaiting Approval" | "AwaitingApproval",
        /// Approved, about to be queued (`Approved`).
        Approved = "Approved",
        /// Refused by an approver (`Disapproved`).
        Disapproved = "Disapproved",
        /// Cancelled before delivery (`Cancelled`).
        Cancelled = "Cancelled" | "Canceled",
        /// Paused (`Pause`).
        Pause = "Pause" | "Paused",
        /// Resumed after a pause (`Resume`).
        Resume = "Resume" | "Resumed",
        /// Deleted (`Deleted`).
        Deleted = "Deleted",
    }
}

impl FaxCoreStatus {
    /// The vendor-neutral status.
    ///
    /// `Completed` is delivered; `Failed`, `Disapproved` and `Deleted` are final failures (the reason is the
    /// FaxCore value); `Cancelled` is cancelled; `Processing` is sending; the queue, schedule, approval and
    /// pause states are queued; values this version does not know are [`DeliveryStatus::Unknown`].
    ///
    /// ```
    /// # use faxcore::FaxCoreStatus; use faxkit::DeliveryStatus;
    /// assert_eq!(FaxCoreStatus::from_wire("In Queue").delivery_status(), DeliveryStatus::Queued);
    /// assert_eq!(FaxCoreStatus::from_wire("completed").delivery_status(), DeliveryStatus::Delivered);
    /// ```
    pub fn delivery_status(&self) -> DeliveryStatus {
        match self {
            FaxCoreStatus::Completed => DeliveryStatus::Delivered,
            FaxCoreStatus::Failed => DeliveryStatus::Failed { reason: None },
            FaxCoreStatus::Disapproved | FaxCoreStatus::Deleted => DeliveryStatus::failed(self.as_str()),
            FaxCoreStatus::Cancelled => DeliveryStatus::Cancelled,
            FaxCoreStatus::Processing => DeliveryStatus::Sending,
            FaxCoreStatus::InQueue
            | FaxCoreStatus::InSchedule
            | FaxCoreStatus::AwaitingApproval
            | FaxCoreStatus::Approved
            | FaxCoreStatus::Pause
            | FaxCoreStatus::Resume => DeliveryStatus::Queued,
            FaxCoreStatus::Other(_) => DeliveryStatus::Unknown,
        }
    }
}

impl From<&FaxCoreStatus> for DeliveryStatus {
    fn from(status: &FaxCoreStatus) -> Self {
        status.delivery_status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_value_maps_and_unknown_is_kept() {
        for (raw, want) in [
            ("Completed", DeliveryStatus::Delivered),
            ("Failed", DeliveryStatus::Failed { reason: None }),
            ("In Queue", DeliveryStatus::Queued),
            ("InQueue", DeliveryStatus::Queued),
            ("Processing", DeliveryStatus::Sending),
            ("In Schedule", DeliveryStatus::Queued),
            ("Awaiting Approval", DeliveryStatus::Queued),
            ("Approved", DeliveryStatus::Queued),
            ("Disapproved", DeliveryStatus::failed("Disapproved")),
            ("Canceled", DeliveryStatus::Cancelled),
            ("Pause", DeliveryStatus::Queued),
            ("Resume", DeliveryStatus::Queued),
            ("Deleted", DeliveryStatus::failed("Deleted")),
        ] {
            let s = FaxCoreStatus::from_wire(raw);
            assert!(s.is_known(), "{raw}");
            assert_eq!(s.delivery_status(), want, "{raw}");
        }
        let odd = FaxCoreStatus::from_wire("Ringing");
        assert_eq!(odd, FaxCoreStatus::Other("Ringing".into()));
        assert_eq!(odd.delivery_status(), DeliveryStatus::Unknown);
        assert_eq!(FaxCoreStatus::InQueue.as_str(), "In Queue");
    }
}
