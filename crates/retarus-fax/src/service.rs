//! [`faxkit::FaxService`] for [`Client`]: conversions only.
//!
//! | method | Retarus call |
//! |---|---|
//! | `send` | Fax4A `POST /{custNr}/fax` → the job id (every recipient in one job); the idempotency key, else `reference`, is `reference.customerDefinedId` |
//! | `send_each` | the same one job with a recipient list: every recipient's outcome is the job id |
//! | `reconcile` | Fax4A `GET /{custNr}/fax/reports` on every data center, matched on `reference.customerDefinedId` |
//! | `status` | Fax4A `GET /{custNr}/fax/reports/{jobId}` on every data center |
//! | `cancel` | **unsupported**: Fax4A has no cancel, and deleting a status report does not stop a transmission |
//! | `list_inbound` | Fax2WSPull fetch on the default topic, without acknowledging (the jobs are locked for 60 s) |
//! | `download` | Fax2WSPull `GET /files/{id}.{ext}` of the job's first document |
//! | `acknowledge` | Fax2WSPull `fetch=0&ids={id}` |
//! | `inbound_source` | [`TopicSource`](crate::source::TopicSource) on the default topic: jobs locked on poll, `locked_until` on each item, an acknowledgement refused after the lock |
//!
//! The idempotency key must fit `customerDefinedId` (1 to 256 characters; longer is refused before any
//! request). A 409 "CONFLICT: Duplicate job" to a send with a key means Retarus already holds that job: `send`
//! answers with the earlier job's id, taken from the 409 answer when it names one, else found by `reconcile`;
//! when neither finds it, the typed [`crate::ApiErrorCode::DuplicateJob`] error stays.
//!
//! `reconcile` sees only what the status reports hold: the oldest 1000 reports per data center (a report
//! exists from acceptance on, `PENDING` while in flight) for the retention period (30 days or 6 months,
//! configurable). It answers `NotFound` only when every data center answered with fewer than 1000 reports;
//! otherwise `Unsupported` says why the outcome stays unknown. `sent_after` is not used: reports carry no
//! submission time.
//!
//! Fax2WSPull reaches a document only through the URL a fetch returned, and a fetched job stays locked (hidden)
//! for the lock timeout. So the neutral inbound id carries both halves: `<job id>/<document file name>`
//! (`29/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf`). `download` and `acknowledge` then work from any process, e.g.
//! `fax inbox` followed by `fax download <id>`; a bare job id still works for jobs this client listed.

use faxkit::{
    Direction, Download, Error, FaxId, FaxService, FaxStatus, InboundFax, InboundQuery, RecipientOutcome,
    Reconciliation, Result, SendRequest,
};
use jiff::Timestamp;

use crate::VENDOR;
use crate::client::Client;
use crate::model::jobs::{FaxJobRequest, JobId};
use crate::model::pull::{InboundDocument, InboundJobId, split_inbound_id};

impl Client {
    /// The document a neutral inbound id names: the `documents[]` entry this client saw in a fetch (its URL used
    /// as given), else `files/{file name}` on the configured host; `None` when neither is known.
    pub(crate) fn inbound_document(&self, job: &InboundJobId, file: Option<&str>) -> Option<InboundDocument> {
        let seen = self.inner.seen_inbound.lock().ok().and_then(|seen| {
            let documents = &seen.get(job)?.documents;
            match file {
                Some(file) => documents.iter().find(|d| d.file_name().as_deref() == Some(file)).cloned(),
                None => documents.first().cloned(),
            }
        });
        seen.or_else(|| file.map(InboundDocument::for_file))
    }
}

/// The longest `reference.customerDefinedId` Fax4A takes (Retarus Fax4A REST API documentation, sendJobRequest: `customerDefinedId` string ≤ 256).
pub(crate) const MAX_CUSTOMER_DEFINED_ID: usize = 256;

/// Refuses an idempotency key that does not fit `customerDefinedId`.
fn check_key(key: &str) -> Result<()> {
    let n = key.chars().count();
    if key.is_empty() || n > MAX_CUSTOMER_DEFINED_ID {
        return Err(Error::invalid_input(
            VENDOR,
            format!(
                "idempotency key of {n} characters: Retarus keeps it in reference.customerDefinedId, which takes \
                 1 to {MAX_CUSTOMER_DEFINED_ID}"
            ),
        ));
    }
    Ok(())
}

/// Jobs fetched by `list_inbound` when the query sets no limit.
const DEFAULT_INBOUND_LIMIT: u32 = 50;

impl Client {
    fn default_topic_handle(&self) -> Result<crate::pull::Topic> {
        let name = self.default_topic().ok_or_else(|| {
            Error::invalid_input(VENDOR, "no Fax2WSPull topic configured: set RETARUS_TOPIC or ClientBuilder::topic")
        })?;
        Ok(self.topic(name))
    }
}

#[faxkit::async_trait]
impl FaxService for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    async fn send(&self, request: &SendRequest) -> Result<FaxId> {
        request.validate(VENDOR, usize::MAX)?;
        let key = request.idempotency_key.as_deref();
        if let Some(key) = key {
            check_key(key)?;
        }
        match self.jobs().send_request(FaxJobRequest::from(request)).await {
            Ok(job) => Ok(job.job_id.into()),
            Err(e) => match key {
                Some(key) if crate::error::is_duplicate_job(&e) => match self.reconcile(key, None).await {
                    Ok(Reconciliation::Found(id)) => {
                        tracing::info!(%id, "409 duplicate job: the job with this key was already accepted");
                        Ok(id)
                    }
                    _ => Err(e),
                },
                _ => Err(e.with_idempotency_key(key)),
            },
        }
    }

    async fn send_each(&self, request: &SendRequest) -> Result<Vec<RecipientOutcome>> {
        request.validate(VENDOR, usize::MAX)?;
        let result = self.send(request).await;
        Ok(faxkit::service::one_job_outcomes(request, result))
    }

    async fn reconcile(&self, key: &str, _sent_after: Option<Timestamp>) -> Result<Reconciliation> {
        check_key(key)?;
        let reports = self.reports().list().await?;
        if let Some(report) = reports
            .items
            .iter()
            .find(|r| r.reference.as_ref().and_then(|x| x.customer_defined_id.as_deref()) == Some(key))
        {
            return Ok(Reconciliation::Found(report.job_id.clone().into()));
        }
        if let Some(failure) = reports.failures.into_iter().next() {
            // A data center that did not answer may hold the job: the outcome is still unknown.
            return Err(failure.error);
        }
        let mut per_dc: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for r in &reports.items {
            *per_dc.entry(r.data_center.as_ref().map(ToString::to_string).unwrap_or_default()).or_default() += 1;
        }
        if per_dc.values().any(|n| *n >= crate::reports::BULK_LIMIT) {
            return Ok(Reconciliation::Unsupported(format!(
                "a data center returned its oldest {} reports, so newer ones were not searched; delete processed \
                 reports and reconcile again",
                crate::reports::BULK_LIMIT
            )));
        }
        Ok(Reconciliation::NotFound)
    }

    async fn status(&self, id: &FaxId) -> Result<FaxStatus> {
        let report = self.reports().get(&JobId::from(id)).await?;
        Ok(FaxStatus::from(&report))
    }

    async fn cancel(&self, _id: &FaxId) -> Result<()> {
        Err(Error::unsupported(
            VENDOR,
            "cancel: Fax4A has no cancel operation, and deleting a status report does not stop the transmission",
        ))
    }

    async fn list_inbound(&self, query: &InboundQuery) -> Result<Vec<InboundFax>> {
        let topic = self.default_topic_handle()?;
        let batch = topic.fetch(query.limit.unwrap_or(DEFAULT_INBOUND_LIMIT)).send().await?;
        let out = batch.results.iter().map(InboundFax::from).collect();
        if let Ok(mut seen) = self.inner.seen_inbound.lock() {
            for job in batch.results {
                seen.insert(job.id.clone(), job);
            }
        }
        Ok(out)
    }

    async fn download(&self, id: &FaxId, direction: Direction) -> Result<Download> {
        if direction == Direction::Outbound {
            return Err(Error::unsupported(VENDOR, "downloading sent faxes (Fax4A keeps no images)"));
        }
        let (key, file) = split_inbound_id(id);
        let document = self.inbound_document(&key, file);
        let document = document.ok_or_else(|| Error::NotFound {
            vendor: VENDOR,
            message: format!(
                "inbound job {id} was not listed by this client or has no document \
                 (Fax2WSPull reaches documents through a fetch: call list_inbound first)"
            ),
        })?;
        self.download_inbound(&document).await
    }

    fn inbound_source(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn faxkit::InboundSource> {
        let source = match self.default_topic() {
            Some(topic) => self.topic(topic).inbound_source(),
            None => crate::source::TopicSource::without_topic(),
        };
        std::sync::Arc::new(source)
    }

    async fn acknowledge(&self, id: &FaxId) -> Result<()> {
        let (key, _) = split_inbound_id(id);
        self.default_topic_handle()?.acknowledge(std::slice::from_ref(&key)).await?;
        if let Ok(mut seen) = self.inner.seen_inbound.lock() {
            seen.remove(&key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pull::inbound_fax_id;

    #[test]
    fn inbound_ids_carry_the_document_and_split_back() {
        let doc = InboundDocument::for_file("J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf");
        let id = inbound_fax_id(&InboundJobId::from("29"), Some(&doc));
        assert_eq!(id.as_str(), "29/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf");
        let (job, file) = split_inbound_id(&id);
        assert_eq!((job.as_str(), file), ("29", Some("J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf")));
        assert_eq!(split_inbound_id(&FaxId::new("30")).1, None);
        assert_eq!(inbound_fax_id(&InboundJobId::from("31"), None).as_str(), "31");
    }
}
