//! [`TopicSource`]: a Fax2WSPull topic as a [`faxkit::InboundSource`], for an inbox engine.
//!
//! | source call | Fax2WSPull |
//! |---|---|
//! | `poll(limit)` | `POST /topics/{topic}?fetch={limit}&timeout={lock}`: up to `limit` jobs, each now locked for `lock` (default 60 s). One item per job, [`InboundItem::locked_until`] = the instant the fetch was *sent* + `lock` (the server's lock starts when it answers, later, so the end is never overstated) |
//! | `download(item)` | `GET` on the job's **first** `documents[].url` as given (path prefix and query kept; same host as the configured Fax2WSPull URL, else refused), which the item's handle holds |
//! | `acknowledge(item)` | `POST /topics/{topic}?fetch=0&timeout={lock}&ids={job id}`, one call per job, at once. **Refused** without a request when the item's lock has ended (or it has none): the job may already be with another consumer |
//! | `renew(item)` | no request: Fax2WSPull has no call that extends a lock; returns the current end |
//!
//! Multi-document jobs: a job is one received fax, and its first document is the fax image (the one
//! [`FaxService::download`](faxkit::FaxService::download) and the CLI serve). Further documents are outputs a
//! customer may configure on top (OCR text, barcode results, per the Fax2WS push description); they are not
//! part of the fax image and are not downloaded here. Concatenating them would not make a valid PDF. Read
//! them with [`Client::download_inbound`](crate::Client::download_inbound) from a [`Topic::fetch`] answer if
//! you need them.
//!
//! Item ids are the crate's neutral inbound ids (`<job id>/<first document's file name>`), the ones
//! `list_inbound` returns, so `FaxService::download` works on them too.

use std::time::Duration;

use faxkit::{Download, Error, InboundFax, InboundItem, InboundSource, Result};
use tokio::time::Instant;

use crate::VENDOR;
use crate::model::pull::InboundDocument;
use crate::model::pull::split_inbound_id;
use crate::pull::{DEFAULT_LOCK, Topic};

/// A Fax2WSPull topic as an inbound source; get one with [`Topic::inbound_source`], or through
/// [`FaxService::inbound_source`](faxkit::FaxService::inbound_source) for the client's default topic.
///
/// ```
/// # #[cfg(feature = "sandbox")] tokio_test(async {
/// # use faxkit::sandbox::VendorSandbox;
/// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
/// # sandbox.inject_inbound(&faxkit::FaxNumber::parse("+4989111")?, bytes::Bytes::from_static(b"%PDF-1.4 x")).await;
/// # let client = sandbox.client();
/// use faxkit::InboundSource;
/// use std::time::Duration;
///
/// let source = client.topic(retarus_fax::sandbox::TOPIC).inbound_source().lock(Duration::from_secs(300));
/// for item in source.poll(10).await? {
///     let pdf = source.download(&item).await?.bytes(20 << 20).await?;
///     // store `pdf` durably here, then:
///     source.acknowledge(&item).await?;
/// }
/// # Ok::<(), faxkit::Error>(()) });
/// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
/// ```
#[derive(Debug, Clone)]
pub struct TopicSource {
    topic: Option<Topic>,
    lock: Duration,
}

impl Topic {
    /// This topic as a [`faxkit::InboundSource`] (see [`TopicSource`]).
    pub fn inbound_source(&self) -> TopicSource {
        TopicSource { topic: Some(self.clone()), lock: DEFAULT_LOCK }
    }
}

impl TopicSource {
    /// A source without a topic: every call fails with [`Error::InvalidInput`] (a client without a default
    /// topic asked for its source).
    pub(crate) fn without_topic() -> Self {
        TopicSource { topic: None, lock: DEFAULT_LOCK }
    }

    /// How long fetched jobs stay locked (whole seconds, at least 1; default 60 s). Download and store a
    /// polled item well within it: acknowledging after it is refused.
    #[must_use]
    pub fn lock(mut self, lock: Duration) -> Self {
        self.lock = Duration::from_secs(lock.as_secs().max(1));
        self
    }

    /// The lock duration sent with each fetch.
    pub fn lock_duration(&self) -> Duration {
        self.lock
    }

    fn topic(&self) -> Result<&Topic> {
        self.topic.as_ref().ok_or_else(|| {
            Error::invalid_input(VENDOR, "no Fax2WSPull topic configured: set RETARUS_TOPIC or ClientBuilder::topic")
        })
    }
}

#[faxkit::async_trait]
impl InboundSource for TopicSource {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    /// `retarus:<customer number>:<topic>`: one topic is one inbox.
    fn name(&self) -> String {
        match &self.topic {
            Some(t) => format!("{VENDOR}:{}:{}", t.client.customer_number(), t.name()),
            None => VENDOR.to_owned(),
        }
    }

    async fn poll(&self, limit: u32) -> Result<Vec<InboundItem>> {
        let topic = self.topic()?;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let sent_at = Instant::now();
        let batch = topic.fetch(limit).lock(self.lock).send().await?;
        let until = sent_at + self.lock;
        Ok(batch
            .results
            .iter()
            .map(|job| {
                let item = InboundItem::new(InboundFax::from(job)).locked_until(until);
                match job.documents.first() {
                    Some(doc) => item.with_handle(doc.url.clone()),
                    None => item,
                }
            })
            .collect())
    }

    /// `None`: a job is acknowledged only under the lock of the fetch that handed it out, and Fax2WSPull
    /// hands an unacknowledged job out again when its lock ends, so the engine waits for that.
    fn resume(&self, _id: &faxkit::FaxId) -> Option<InboundItem> {
        None
    }

    async fn download(&self, item: &InboundItem) -> Result<Download> {
        let topic = self.topic()?;
        let document = match (&item.handle, split_inbound_id(&item.fax.id)) {
            (Some(url), _) => InboundDocument { url: url.clone(), extra: serde_json::Map::new() },
            (None, (job, file)) => topic.client.inbound_document(&job, file).ok_or_else(|| Error::NotFound {
                vendor: VENDOR,
                message: format!("inbound job {job} has no document"),
            })?,
        };
        topic.client.download_inbound(&document).await
    }

    async fn acknowledge(&self, item: &InboundItem) -> Result<()> {
        let topic = self.topic()?;
        let (job, _) = split_inbound_id(&item.fax.id);
        match item.locked_until {
            Some(until) if Instant::now() < until => {}
            Some(_) => {
                return Err(Error::invalid_input(
                    VENDOR,
                    format!(
                        "not acknowledging job {job}: its Fax2WSPull lock has ended and it may be with another \
                         consumer; it comes back in a later poll"
                    ),
                ));
            }
            None => {
                return Err(Error::invalid_input(
                    VENDOR,
                    format!(
                        "not acknowledging job {job}: the item carries no lock (it was not polled from this source)"
                    ),
                ));
            }
        }
        topic.acknowledge(std::slice::from_ref(&job)).await.map(drop)
    }
}
