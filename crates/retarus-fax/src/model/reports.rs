//! Wire types of Fax4A's status reports (`FaxReport`, `FaxRecipientWithStatus`, `JobDeleteReport`, the bulk
//! request).

use faxkit::{DeliveryStatus, VendorTime};
use serde::{Deserialize, Serialize};

use super::de;
use super::jobs::{JobId, RecipientProperty, Reference};
use crate::region::DataCenter;

faxkit::open_enum! {
    /// A recipient's transmission status. Retarus's list is open: apart from `PENDING` every value is final,
    /// and only `OK` means delivered (Retarus: an internal status code is shown only "if the problem remains
    /// after 10 retry attempts").
    pub enum RecipientStatus {
        /// `OK`: delivered.
        Ok = "OK",
        /// `PENDING`: not finished yet.
        Pending = "PENDING",
        /// `BUSY`: the destination line was busy (for example the machine was receiving another fax).
        Busy = "BUSY",
        /// `NOFAX`: no fax machine answered.
        NoFax = "NOFAX",
        /// `NOFAX_DIS`: the call was answered by no fax device and the other side hung up (a person, say).
        NoFaxDis = "NOFAX_DIS",
        /// `NOFAX_TO`: the call was answered but no fax signal came before Retarus's timeout.
        NoFaxTo = "NOFAX_TO",
        /// `RING_TO`: no answer.
        RingTo = "RING_TO",
        /// `REM_DIS`: remote side disconnected.
        RemDis = "REM_DIS",
    }
}

impl RecipientStatus {
    /// The neutral status: `OK` delivered, `PENDING` sending, anything else failed with `reason`.
    pub fn to_delivery_status(&self, reason: Option<&str>) -> DeliveryStatus {
        match self {
            RecipientStatus::Ok => DeliveryStatus::Delivered,
            RecipientStatus::Pending => DeliveryStatus::Sending,
            other => DeliveryStatus::failed(match reason {
                Some(r) if !r.is_empty() && r != other.as_str() => format!("{}: {r}", other.as_str()),
                _ => other.as_str().to_owned(),
            }),
        }
    }
}

/// One recipient's status in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxRecipientWithStatus {
    /// The number as requested.
    pub number: String,
    /// Alternative numbers (often `null`).
    #[serde(default, deserialize_with = "de::one_or_many")]
    pub alternative_numbers: Vec<String>,
    /// Cover-page properties as sent (an array, or `null`).
    #[serde(default, deserialize_with = "de::one_or_many")]
    pub properties: Vec<RecipientProperty>,
    /// `status`: the recipient's transmission status (`OK`, `PENDING` while in progress, or a Retarus code such as
    /// `BUSY`, `NOFAX`, `REM_DIS`; required).
    pub status: RecipientStatus,
    /// The reason text (`"OK"`, `"simulated"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub reason: Option<String>,
    /// When it was sent (`sentTs`).
    #[serde(default, deserialize_with = "de::opt_time")]
    pub sent_ts: Option<VendorTime>,
    /// Call duration in seconds.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub duration_in_secs: Option<u64>,
    /// The number actually dialled (`"004900000000"`).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sent_to_number: Option<String>,
    /// The remote station id (may be empty).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub remote_csid: Option<String>,
}

impl FaxRecipientWithStatus {
    /// The neutral status of this recipient.
    pub fn delivery_status(&self) -> DeliveryStatus {
        self.status.to_delivery_status(self.reason.as_deref())
    }
}

/// The status report of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaxReport {
    /// `jobId`: the job id that `POST /{custNr}/fax` returned (required).
    pub job_id: JobId,
    /// `recipientStatus`: one entry per recipient of the job; empty when absent.
    #[serde(default, deserialize_with = "de::one_or_many")]
    pub recipient_status: Vec<FaxRecipientWithStatus>,
    /// `pages`: the number of pages of the job (not marked required, present in every example); `None` when absent.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub pages: Option<u64>,
    /// Your reference, as sent.
    #[serde(default)]
    pub reference: Option<Reference>,
    /// The data center that answered (set by the client, not on the wire).
    #[serde(skip)]
    pub data_center: Option<DataCenter>,
}

impl FaxReport {
    /// Whether every recipient reached a final status.
    pub fn is_final(&self) -> bool {
        !self.recipient_status.is_empty() && self.recipient_status.iter().all(|r| r.status != RecipientStatus::Pending)
    }

    /// The neutral status of the job: sending while any recipient is pending, delivered when all are `OK`,
    /// else failed (with the first failure's reason).
    pub fn delivery_status(&self) -> DeliveryStatus {
        let mut failed = None;
        for r in &self.recipient_status {
            match r.delivery_status() {
                DeliveryStatus::Sending => return DeliveryStatus::Sending,
                DeliveryStatus::Delivered => {}
                other => {
                    failed.get_or_insert(other);
                }
            }
        }
        match failed {
            Some(f) => f,
            None if self.recipient_status.is_empty() => DeliveryStatus::Unknown,
            None => DeliveryStatus::Delivered,
        }
    }
}

/// A list of reports (`{"reports":[…]}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FaxReports {
    /// `reports`: the status reports (a listing answers the oldest 1000 at most); empty when the key is absent.
    #[serde(default)]
    pub reports: Vec<FaxReport>,
}

faxkit::open_enum! {
    /// Why a report was not deleted.
    pub enum DeleteReason {
        /// `NOT_FOUND`: the data center asked holds no report for this job id (gone, or kept by another data center).
        NotFound = "NOT_FOUND",
        /// `INTERNAL_ERROR`: an error inside Retarus kept the report from being deleted.
        InternalError = "INTERNAL_ERROR",
    }
}

/// The result of deleting one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JobDeleteReport {
    /// `jobId`: the job whose report this is (required).
    pub job_id: JobId,
    /// Whether it was deleted (absent means deleted, per Retarus's Go SDK).
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub deleted: Option<bool>,
    /// Why not, when not (absent on success; Retarus's table wrongly types it boolean).
    #[serde(default, deserialize_with = "opt_reason")]
    pub reason: Option<DeleteReason>,
    /// The data center that answered (set by the client, not on the wire).
    #[serde(skip)]
    pub data_center: Option<DataCenter>,
}

fn opt_reason<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<DeleteReason>, D::Error> {
    Ok(de::opt_text(d)?.filter(|s| !s.is_empty()).map(|s| DeleteReason::from_wire(&s)))
}

impl JobDeleteReport {
    /// Whether the report was deleted: `deleted`, or when absent, no `reason`.
    pub fn is_deleted(&self) -> bool {
        self.deleted.unwrap_or(self.reason.is_none())
    }
}

/// The answer to a delete of many reports: `{"reports":[…]}`, or a bare array as the SAP Swagger has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct JobDeleteReports {
    /// One entry per job.
    pub reports: Vec<JobDeleteReport>,
}

impl<'de> Deserialize<'de> for JobDeleteReports {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Object {
                #[serde(default)]
                reports: Vec<JobDeleteReport>,
            },
            Array(Vec<JobDeleteReport>),
        }
        Ok(match Shape::deserialize(d)? {
            Shape::Object { reports } | Shape::Array(reports) => JobDeleteReports { reports },
        })
    }
}

faxkit::open_enum! {
    /// What a bulk request does.
    pub enum BulkAction {
        /// `GET`: fetch the reports.
        Get = "GET",
        /// `DELETE`: delete the reports.
        Delete = "DELETE",
    }
}

/// The body of `POST /{custNr}/fax/reports` (at most 1000 ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkRequest {
    /// `action`: `GET` returns the listed jobs' reports, `DELETE` deletes them (Retarus ignores its case).
    pub action: BulkAction,
    /// `jobIds`: the job ids to read or delete, at most 1000 per request.
    pub job_ids: Vec<JobId>,
}

impl BulkRequest {
    /// A bulk request.
    pub fn new(action: BulkAction, job_ids: Vec<JobId>) -> Self {
        BulkRequest { action, job_ids }
    }
}

impl From<&FaxReport> for faxkit::FaxStatus {
    fn from(report: &FaxReport) -> Self {
        let raw: Vec<&str> = report.recipient_status.iter().map(|r| r.status.as_str()).collect();
        let mut status = faxkit::FaxStatus::new(report.job_id.clone().into(), report.delivery_status(), raw.join(","));
        status.pages = report.pages.and_then(|p| u32::try_from(p).ok());
        status.to = report.recipient_status.first().map(|r| r.number.clone());
        if report.is_final() {
            status.completed_at =
                report.recipient_status.iter().filter_map(|r| r.sent_ts.as_ref().map(|t| t.utc)).max();
        }
        status
    }
}
