//! [`faxkit::FaxService`] for [`Client`]: conversions only.
//!
//! | method | Retarus call |
//! |---|---|
//! | `send` | Fax4A `POST /{custNr}/fax` → the job id |
//! | `status` | Fax4A `GET /{custNr}/fax/reports/{jobId}` on every data center |
//! | `cancel` | **unsupported**: Fax4A has no cancel, and deleting a status report does not stop a transmission |
//! | `list_inbound` | Fax2WSPull fetch on the default topic, without acknowledging (the jobs are locked for 60 s) |
//! | `download` | Fax2WSPull `GET /files/{id}.{ext}` of the job's first document |
//! | `acknowledge` | Fax2WSPull `fetch=0&ids={id}` |
//! | `inbound_source` | [`TopicSource`](crate::source::TopicSource) on the default topic: jobs locked on poll, `locked_until` on each item, an acknowledgement refused after the lock |
//!
//! Fax2WSPull reaches a document only through the URL a fetch returned, and a fetched job stays locked (hidden)
//! for the lock timeout. So the neutral inbound id carries both halves: `<job id>/<document file name>`
//! (`29/J5WA4IAA@BXATD0S.glagqaseq108.DC2.pdf`). `download` and `acknowledge` then work from any process, e.g.
//! `fax inbox` followed by `fax download <id>`; a bare job id still works for jobs this client listed.

use faxkit::{Direction, Download, Error, FaxId, FaxService, FaxStatus, InboundFax, InboundQuery, Result, SendRequest};

use crate::VENDOR;
use crate::client::Client;
use crate::model::jobs::{FaxJobRequest, JobId};
use crate::model::pull::{InboundDocument, InboundJobId};

/// The neutral inbound id: `<job id>/<first document's file name>`, or a bare job id.
pub(crate) fn inbound_fax_id(job: &InboundJobId, document: Option<&InboundDocument>) -> FaxId {
    match document.and_then(InboundDocument::file_name) {
        Some(file) => FaxId::new(format!("{job}/{file}")),
        None => FaxId::new(job.as_str()),
    }
}

/// Splits a neutral inbound id into the job id and, when present, the document file name.
pub(crate) fn split_inbound_id(id: &FaxId) -> (InboundJobId, Option<&str>) {
    match id.as_str().split_once('/') {
        Some((job, file)) if !file.is_empty() => (InboundJobId::from(job), Some(file)),
        _ => (InboundJobId::from(id), None),
    }
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
        let job = self.jobs().send_request(FaxJobRequest::from(request)).await?;
        Ok(job.job_id.into())
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
        let document = match file {
            Some(file) => Some(InboundDocument::for_file(file)),
            None => self
                .inner
                .seen_inbound
                .lock()
                .ok()
                .and_then(|seen| seen.get(&key).and_then(|job| job.documents.first().cloned())),
        };
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
