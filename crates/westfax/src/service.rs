//! `impl faxkit::FaxService for Client`: conversions only.
//!
//! Over REST, RPC and SOAP Object it uses the current methods (`Fax_SendFax`, `Fax_GetFaxStatus`,
//! `Fax_CancelFax`, `Fax_GetFaxDescriptions`, `Fax_GetFaxDocuments`, `Fax_ChangeFaxFilterValue`); over SOAP the
//! legacy WSDL ones (`SendFax`, `GetFaxStatus`, `GetInboundFaxList`, `GetInboundFaxes`,
//! `MarkInboundFaxesDownloaded`). The WSDL has no cancel and no outbound download: those are
//! [`faxkit::Error::Unsupported`] over SOAP.
//!
//! `SendRequest` maps to `Fax_SendFax` as: the idempotency key, else `reference`, → `JobName` ("Doesn't show
//! up on the fax but will be available in reporting", and returned in `FaxDescItem.JobName`), `sender_name` →
//! `Header`, `csid` → `CSID`, `subject` → the cover-page option `coverPageSubject` (a `MethodParams` entry, so
//! not over SOAP). With a key, the request's `reference` is not sent. `JobName` is chosen over the
//! `Fax_SaveFaxFields` `reference` because it is set by the send itself: a second call could fail after the
//! fax was accepted and leave it unfindable. WestFax does not detect duplicate job names.
//!
//! Every recipient goes into the one job (`Numbers1…n`), so `send` and `send_each` return the job's id for
//! all of them. `reconcile` lists outbound `Fax_GetFaxDescriptions` from `sent_after` (less 10 minutes of
//! clock skew; 32 days back without it) and matches `JobName` (or `Reference`); the legacy SOAP WSDL has no
//! outbound listing, so over SOAP it answers `Unsupported`.

use faxkit::{
    DeliveryStatus, Direction as NeutralDirection, Download, FaxStatus, InboundFax, InboundQuery, SendRequest,
};

use crate::fax::{FaxCancelFax, FaxChangeFaxFilterValue, FaxGetFaxDescriptions, FaxGetFaxStatus, FaxSendFax};
use crate::legacy::{GetInboundFaxList, GetNewInboundFaxList, MarkInboundFaxesDownloaded};
use crate::model::{
    CallResult, Direction, FaxDescItem, FaxId, FaxIdItem, FaxStatus as JobState, FileFormat, FilterValue,
    InFaxContainer, JobStatusItem,
};
use crate::{Client, VENDOR};

/// Recipients per fax the client accepts (the vendor's npm client caps at 20).
pub(crate) const MAX_RECIPIENTS: usize = 20;

/// Formats a number for WestFax: 10 digits for NANP numbers (the only format the WestFax samples show), `011`
/// plus the international digits otherwise.
pub(crate) fn wire_number(n: &faxkit::FaxNumber) -> String {
    n.nanp().unwrap_or_else(|_| format!("011{}", n.digits()))
}

impl TryFrom<&SendRequest> for FaxSendFax {
    type Error = faxkit::Error;

    fn try_from(r: &SendRequest) -> faxkit::Result<Self> {
        r.validate(VENDOR, MAX_RECIPIENTS)?;
        let mut op = FaxSendFax::new(r.to.iter().map(wire_number), r.documents.iter().cloned());
        if let Some(v) = r.idempotency_key.as_ref().or(r.reference.as_ref()) {
            op = op.job_name(v.clone());
        }
        if let Some(v) = &r.sender_name {
            op = op.header(v.clone());
        }
        if let Some(v) = &r.csid {
            op = op.csid(v.clone());
        }
        if let Some(v) = &r.subject {
            op = op.method_param("coverPageSubject", v.clone());
        }
        Ok(op)
    }
}

/// The neutral status of a job: `Complete` is only delivered when a call delivered (`FaxCallInfo.Result`, the vendor's
/// C# SDK).
impl From<&JobStatusItem> for DeliveryStatus {
    fn from(s: &JobStatusItem) -> Self {
        let results: Vec<&CallResult> = s.calls.iter().filter_map(|c| c.call_result.as_ref()).collect();
        match s.job_state.as_ref() {
            Some(JobState::Complete) | Some(JobState::Failed) => {
                if results.iter().any(|r| r.is_delivered()) {
                    DeliveryStatus::Delivered
                } else {
                    let reason = results.first().map(|r| r.to_string()).unwrap_or_else(|| "Failed".into());
                    DeliveryStatus::failed(reason)
                }
            }
            Some(JobState::Cancelled) => DeliveryStatus::Cancelled,
            Some(JobState::Production) => DeliveryStatus::Sending,
            Some(JobState::Submitted | JobState::UnSubmitted | JobState::UnAssigned | JobState::Paused) => {
                DeliveryStatus::Queued
            }
            _ => DeliveryStatus::Unknown,
        }
    }
}

fn status_of(id: &faxkit::FaxId, s: &JobStatusItem) -> FaxStatus {
    let raw = s.job_state.as_ref().map(ToString::to_string).unwrap_or_default();
    let mut out = FaxStatus::new(id.clone(), DeliveryStatus::from(s), raw);
    out.pages = s.calls.iter().filter_map(|c| c.job_pages).max();
    out.to = s.calls.first().and_then(|c| c.phone_number.clone());
    out.submitted_at = s.date.as_ref().and_then(|t| t.utc);
    out.completed_at = s.calls.iter().filter_map(|c| c.complete_utc.as_ref().and_then(|t| t.utc)).max();
    out
}

impl From<&FaxDescItem> for InboundFax {
    fn from(d: &FaxDescItem) -> Self {
        let mut f = InboundFax::new(faxkit::FaxId::new(d.id.as_ref().map(FaxId::as_str).unwrap_or_default()));
        let call = d.calls.first();
        f.from = call.and_then(|c| c.orig_number.clone().or_else(|| c.orig_csid.clone()));
        f.to = call.and_then(|c| c.term_number.clone());
        f.pages = d.page_count;
        f.received_at = d.date.as_ref().and_then(|t| t.utc);
        f.acknowledged = d.tag.as_ref().map(|t| *t != FilterValue::None);
        f
    }
}

impl From<&InFaxContainer> for InboundFax {
    fn from(c: &InFaxContainer) -> Self {
        let mut f = InboundFax::new(faxkit::FaxId::new(c.in_fax_id.as_ref().map(FaxId::as_str).unwrap_or_default()));
        f.pages = c.pages;
        f.received_at = c.date.as_ref().and_then(|t| t.utc);
        f
    }
}

fn direction(d: NeutralDirection) -> Direction {
    match d {
        NeutralDirection::Inbound => Direction::Inbound,
        _ => Direction::Outbound,
    }
}

fn lookback() -> jiff::Timestamp {
    jiff::Timestamp::now() - jiff::SignedDuration::from_hours(32 * 24)
}

#[faxkit::async_trait]
impl faxkit::FaxService for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    async fn send(&self, request: &SendRequest) -> faxkit::Result<faxkit::FaxId> {
        if request.idempotency_key.as_deref().is_some_and(str::is_empty) {
            return Err(faxkit::Error::invalid_input(VENDOR, "the idempotency key is empty"));
        }
        let op = FaxSendFax::try_from(request)?;
        Ok(self.call(op).await?.into())
    }

    async fn send_each(&self, request: &SendRequest) -> faxkit::Result<Vec<faxkit::RecipientOutcome>> {
        request.validate(VENDOR, MAX_RECIPIENTS)?;
        let result = self.send(request).await;
        Ok(faxkit::service::one_job_outcomes(request, result))
    }

    async fn reconcile(
        &self,
        key: &str,
        sent_after: Option<jiff::Timestamp>,
    ) -> faxkit::Result<faxkit::Reconciliation> {
        if self.transport().is_soap() {
            return Ok(faxkit::Reconciliation::Unsupported(
                "the legacy SOAP WSDL has no outbound fax listing; reconcile over REST, RPC or SOAP Object".into(),
            ));
        }
        let start = faxkit::service::reconcile_window_start(sent_after);
        let items = self.call(FaxGetFaxDescriptions::new(start, Direction::Outbound)).await?;
        let found = items
            .iter()
            .filter(|d| d.job_name.as_deref() == Some(key) || d.reference.as_deref() == Some(key))
            .find_map(|d| d.id.as_ref());
        Ok(match found {
            Some(id) => faxkit::Reconciliation::Found(faxkit::FaxId::new(id.as_str())),
            None => faxkit::Reconciliation::NotFound,
        })
    }

    async fn status(&self, id: &faxkit::FaxId) -> faxkit::Result<FaxStatus> {
        let items = self.call(FaxGetFaxStatus::new([FaxId::from(id)])).await?;
        match items.iter().find(|s| s.query_success != Some(false)) {
            Some(s) => Ok(status_of(id, s)),
            None => Err(faxkit::Error::NotFound { vendor: VENDOR, message: format!("fax job {id}") }),
        }
    }

    /// Polls `status` like the trait's default, but never faster than
    /// [`Client::min_status_interval`](crate::Client::min_status_interval) (default 3 minutes, WestFax's status
    /// cache): a shorter `options.interval` is raised to it.
    async fn wait(&self, id: &faxkit::FaxId, options: &faxkit::WaitOptions) -> faxkit::Result<FaxStatus> {
        let interval = options.interval.max(self.min_status_interval());
        let start = tokio::time::Instant::now();
        loop {
            let status = self.status(id).await?;
            if status.status.is_final() {
                return Ok(status);
            }
            if start.elapsed() + interval > options.timeout {
                return Err(faxkit::Error::Timeout { vendor: VENDOR, elapsed: start.elapsed() });
            }
            tokio::time::sleep(interval).await;
        }
    }

    async fn cancel(&self, id: &faxkit::FaxId) -> faxkit::Result<()> {
        self.call(FaxCancelFax::new(FaxId::from(id))).await.map(|_| ())
    }

    async fn list_inbound(&self, query: &InboundQuery) -> faxkit::Result<Vec<InboundFax>> {
        let mut out: Vec<InboundFax> = if self.transport().is_soap() {
            // The WSDL has no listing without files (both answer `InFaxContainer`, a `FileContainer`): the
            // files are dropped as the answer streams in, and `download` fetches each with `GetInboundFaxes`.
            let items = if query.unread_only {
                self.call_without_files(GetNewInboundFaxList::new(Vec::<String>::new())).await?
            } else {
                self.call_without_files(GetInboundFaxList::new(Vec::<String>::new())).await?
            };
            items.iter().map(InboundFax::from).collect()
        } else {
            let items = self.call(FaxGetFaxDescriptions::new(lookback(), Direction::Inbound)).await?;
            items.iter().map(InboundFax::from).filter(|f| !query.unread_only || f.acknowledged != Some(true)).collect()
        };
        out.sort_by_key(|f| std::cmp::Reverse(f.received_at));
        if let Some(limit) = query.limit {
            out.truncate(limit as usize);
        }
        Ok(out)
    }

    async fn download(&self, id: &faxkit::FaxId, dir: NeutralDirection) -> faxkit::Result<Download> {
        if self.transport().is_soap() {
            if dir != NeutralDirection::Inbound {
                return Err(faxkit::Error::unsupported(VENDOR, "outbound documents over SOAP (legacy WSDL)"));
            }
            return self.download_inbound_legacy(FaxId::from(id)).await;
        }
        self.download_document(FaxIdItem::new(FaxId::from(id), direction(dir)), FileFormat::Pdf).await
    }

    async fn acknowledge(&self, id: &faxkit::FaxId) -> faxkit::Result<()> {
        let ok = if self.transport().is_soap() {
            self.call(MarkInboundFaxesDownloaded::new([FaxId::from(id)])).await?
        } else {
            let item = FaxIdItem::new(FaxId::from(id), Direction::Inbound);
            self.call(FaxChangeFaxFilterValue::new([item], FilterValue::Retrieved)).await?
        };
        if ok { Ok(()) } else { Err(faxkit::Error::NotFound { vendor: VENDOR, message: format!("fax {id}") }) }
    }
}
