//! An at-least-once consumer of a Fax2WSPull topic.
//!
//! The consumer fetches a batch, hands each job over as a [`Delivery`], and acknowledges only the deliveries
//! that were handled: [`Consumer::run`] acknowledges each job (`fetch=0&ids={id}`) as soon as its handler
//! succeeded, while the job is still locked; with [`next`](Consumer::next) or a stream,
//! [`Delivery::acknowledge`] does the same and [`Delivery::ack`] defers it to the next fetch (`ids=…`) or to
//! [`shutdown`](Consumer::shutdown). A job you do not ack stays locked until its lock expires and then comes
//! back in a later fetch. It never follows `meta.next`, which would acknowledge the whole batch.
//!
//! [`Consumer::run`] outlives transient fetch errors (transport, timeout, 429, 502–504): it logs them, waits
//! (the poll interval, doubling up to 32 times it) and fetches again.
#![allow(deprecated)] // the deprecated type's own module

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use faxkit::{Download, Error, Result};
use futures::Stream;

use crate::VENDOR;
use crate::model::pull::{InboundDocument, InboundFaxJob, InboundJobId};
use crate::pull::{DEFAULT_LOCK, Topic};

type AckList = Arc<Mutex<Vec<InboundJobId>>>;

/// Configures a [`Consumer`]; get one with [`Topic::consumer`].
#[derive(Debug, Clone)]
pub struct ConsumerBuilder {
    topic: Topic,
    batch: u32,
    lock: Duration,
    poll_interval: Duration,
    stop_when_empty: bool,
}

impl Topic {
    /// A consumer that fetches, hands jobs over and acknowledges only those you mark handled.
    pub fn consumer(&self) -> ConsumerBuilder {
        ConsumerBuilder::new(self.clone())
    }
}

impl ConsumerBuilder {
    pub(crate) fn new(topic: Topic) -> Self {
        ConsumerBuilder {
            topic,
            batch: 10,
            lock: DEFAULT_LOCK,
            poll_interval: Duration::from_secs(10),
            stop_when_empty: false,
        }
    }

    /// Jobs per fetch (default 10).
    pub fn batch(mut self, n: u32) -> Self {
        self.batch = n.max(1);
        self
    }

    /// The consumer.
    pub fn build(self) -> Consumer {
        Consumer {
            topic: self.topic,
            batch: self.batch,
            lock: self.lock,
            poll_interval: self.poll_interval,
            stop_when_empty: self.stop_when_empty,
            buffer: VecDeque::new(),
            acks: Arc::new(Mutex::new(Vec::new())),
            acknowledged: Acknowledged::default(),
            stale_fetches: 0,
            ended: false,
        }
    }
}

faxkit::setters!(ConsumerBuilder {
    plain {
        /// Lock timeout per fetched job (default 60 s); handle a batch well within it.
        lock: Duration,
        /// Wait between fetches when the topic is empty (default 10 s).
        poll_interval: Duration,
        /// End instead of waiting when a fetch returns nothing (batch jobs, tests).
        stop_when_empty: bool,
    }
});

/// One received job handed over by a [`Consumer`]. [`ack`](Self::ack) it once handled durably; drop it (or
/// call [`nack`](Self::nack)) to let it come back after the lock.
#[derive(Debug, Clone)]
pub struct Delivery {
    job: InboundFaxJob,
    topic: Topic,
    acks: AckList,
    acknowledged: Acknowledged,
}

impl Delivery {
    /// The job's metadata.
    pub fn job(&self) -> &InboundFaxJob {
        &self.job
    }

    /// The job id.
    pub fn id(&self) -> &InboundJobId {
        &self.job.id
    }

    /// The job's documents.
    pub fn documents(&self) -> &[InboundDocument] {
        &self.job.documents
    }

    /// Streams document `index`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an index past the documents; download errors.
    pub async fn download(&self, index: usize) -> Result<Download> {
        let doc = self.job.documents.get(index).ok_or_else(|| Error::NotFound {
            vendor: VENDOR,
            message: format!("job {} has no document {index}", self.job.id),
        })?;
        self.topic.client.download_inbound(doc).await
    }

    /// Acknowledges the job now (`fetch=0&ids={id}`), while its lock holds. When that call fails the job is
    /// queued like [`ack`](Self::ack), to ride on the next fetch or the shutdown.
    ///
    /// # Errors
    /// The acknowledgement's error (the job is queued for the next fetch all the same).
    pub async fn acknowledge(self) -> Result<()> {
        match self.topic.acknowledge(std::slice::from_ref(&self.job.id)).await {
            Ok(_) => {
                if let Ok(mut done) = self.acknowledged.lock() {
                    done.insert(self.job.id);
                }
                Ok(())
            }
            Err(e) => {
                self.ack();
                Err(e)
            }
        }
    }

    /// Marks the job handled: it is acknowledged with the consumer's next fetch or at shutdown.
    pub fn ack(self) {
        if let Ok(mut acks) = self.acks.lock()
            && !acks.contains(&self.job.id)
        {
            acks.push(self.job.id);
        }
    }

    /// Leaves the job unacknowledged; it comes back after its lock expires.
    pub fn nack(self) {}
}

/// What a [`Consumer::run`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunSummary {
    /// Jobs whose handler succeeded (acknowledged).
    pub handled: u64,
    /// Jobs whose handler failed (left to reappear).
    pub failed: u64,
}

/// A topic consumer; see the [module docs](self).
///
/// ```
/// # #[cfg(feature = "sandbox")] tokio_test(async {
/// # use faxkit::sandbox::VendorSandbox;
/// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
/// # sandbox.inject_inbound(&faxkit::FaxNumber::parse("+4989111")?, bytes::Bytes::from_static(b"%PDF-1.4 x")).await;
/// # let client = sandbox.client();
/// let consumer = client.topic(retarus_fax::sandbox::TOPIC).consumer().stop_when_empty(true).build();
/// let summary = consumer
///     .run(|delivery| async move {
///         let pdf = delivery.download(0).await?.bytes(10 << 20).await?;
///         println!("fax {} from {:?}: {} bytes", delivery.id(), delivery.job().sender_isdn, pdf.len());
///         Ok::<(), faxkit::Error>(())
///     })
///     .await?;
/// assert_eq!(summary.handled, 1);
/// # Ok::<(), faxkit::Error>(()) });
/// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
/// ```
#[derive(Debug)]
#[deprecated(
    since = "0.2.0",
    note = "for crash-safe and multi-worker intake use faxkit_store::InboxEngine over Client::inbound_source() \
            (retarus_fax::TopicSource); Consumer stays for one process"
)]
pub struct Consumer {
    topic: Topic,
    batch: u32,
    lock: Duration,
    poll_interval: Duration,
    stop_when_empty: bool,
    buffer: VecDeque<InboundFaxJob>,
    acks: AckList,
    /// Jobs whose acknowledgement a successful fetch carried.
    acknowledged: Acknowledged,
    /// Fetches in a row that returned only jobs already acknowledged.
    stale_fetches: u32,
    ended: bool,
}

/// Fetches in a row answered with nothing but jobs this consumer already acknowledged, after which the topic is
/// taken to be stuck (it ignores acknowledgements) and the consumer fails instead of handing them out for ever.
pub const MAX_STALE_FETCHES: u32 = 3;

type Acknowledged = Arc<Mutex<AcknowledgedIds>>;

/// The most recently acknowledged job ids, bounded (the oldest are forgotten first).
#[derive(Debug, Default)]
struct AcknowledgedIds {
    order: VecDeque<InboundJobId>,
    set: HashSet<InboundJobId>,
}

impl AcknowledgedIds {
    const CAPACITY: usize = 10_000;

    fn insert(&mut self, id: InboundJobId) {
        if self.set.insert(id.clone()) {
            self.order.push_back(id);
            if self.order.len() > Self::CAPACITY
                && let Some(old) = self.order.pop_front()
            {
                self.set.remove(&old);
            }
        }
    }

    fn contains(&self, id: &InboundJobId) -> bool {
        self.set.contains(id)
    }
}

impl Consumer {
    fn remember_acknowledged(&self, ids: Vec<InboundJobId>) {
        if let Ok(mut done) = self.acknowledged.lock() {
            ids.into_iter().for_each(|id| done.insert(id));
        }
    }

    fn take_acks(&self) -> Vec<InboundJobId> {
        self.acks.lock().map(|mut a| std::mem::take(&mut *a)).unwrap_or_default()
    }

    fn restore_acks(&self, ids: Vec<InboundJobId>) {
        if let Ok(mut a) = self.acks.lock() {
            for id in ids {
                if !a.contains(&id) {
                    a.push(id);
                }
            }
        }
    }

    /// The next job, fetching (and acknowledging what was acked so far) when the batch is used up. `None`
    /// when the topic is empty and the consumer was built with `stop_when_empty`.
    ///
    /// # Errors
    /// A fetch error; the acknowledgements it carried are kept for the next attempt.
    pub async fn next(&mut self) -> Option<Result<Delivery>> {
        loop {
            if let Some(job) = self.buffer.pop_front() {
                let (topic, acks, acknowledged) = (self.topic.clone(), self.acks.clone(), self.acknowledged.clone());
                return Some(Ok(Delivery { job, topic, acks, acknowledged }));
            }
            if self.ended {
                return None;
            }
            let acks = self.take_acks();
            let fetched = self.topic.fetch(self.batch).ack(acks.clone()).lock(self.lock).send().await;
            match fetched {
                Err(e) => {
                    self.restore_acks(acks);
                    return Some(Err(e));
                }
                Ok(resp) if resp.results.is_empty() => {
                    self.remember_acknowledged(acks);
                    self.stale_fetches = 0;
                    if self.stop_when_empty {
                        self.ended = true;
                        return None;
                    }
                    tokio::time::sleep(self.poll_interval).await;
                }
                Ok(resp) => {
                    self.remember_acknowledged(acks);
                    let stale = self
                        .acknowledged
                        .lock()
                        .is_ok_and(|done| resp.results.iter().all(|job| done.contains(&job.id)));
                    if stale {
                        self.stale_fetches += 1;
                        if self.stale_fetches >= MAX_STALE_FETCHES {
                            self.ended = true;
                            return Some(Err(Error::decode(
                                VENDOR,
                                format!(
                                    "the topic answered {MAX_STALE_FETCHES} fetches in a row with only jobs already \
                                     acknowledged: it is not making progress"
                                ),
                                b"",
                                None,
                            )));
                        }
                    } else {
                        self.stale_fetches = 0;
                    }
                    self.buffer.extend(resp.results);
                }
            }
        }
    }

    /// The consumer as a `Stream` of deliveries. Acks ride on the following fetches; a stream built with
    /// `stop_when_empty` sends the last ones with its final (empty) fetch. An endless stream has no shutdown:
    /// when you need one, loop over [`next`](Self::next) and call [`shutdown`](Self::shutdown), or use
    /// [`run_until`](Self::run_until).
    pub fn into_stream(self) -> impl Stream<Item = Result<Delivery>> + Send {
        futures::stream::unfold(self, |mut c| async move { c.next().await.map(|item| (item, c)) })
    }

    /// Acknowledges what was acked and not yet sent (`fetch=0`), for shutdown. Jobs fetched but not acked
    /// come back after their lock.
    ///
    /// # Errors
    /// Transport and status errors.
    pub async fn shutdown(self) -> Result<()> {
        let acks = self.take_acks();
        if acks.is_empty() {
            return Ok(());
        }
        self.topic.acknowledge(&acks).await.map(drop)
    }

    /// Hands every job to `handler` and acknowledges each one it handled (`Ok`) right away; failed ones are
    /// left to come back after the lock. Transient fetch errors are logged and retried after a backoff (the
    /// poll interval, doubling up to 32 times it). Ends when the topic is empty (with `stop_when_empty`) or
    /// on a fetch error that retrying cannot fix (authentication, a bad topic), then shuts down.
    ///
    /// # Errors
    /// A fetch error that is not transient ([`Error::is_retryable`]), after sending pending
    /// acknowledgements where possible.
    pub async fn run<F, Fut, E>(self, handler: F) -> Result<RunSummary>
    where
        F: FnMut(Delivery) -> Fut,
        Fut: Future<Output = std::result::Result<(), E>>,
        E: std::fmt::Display,
    {
        self.run_until(handler, std::future::pending()).await
    }

    /// Like [`run`](Self::run), stopping also when `stop` completes (a shutdown signal).
    ///
    /// # Errors
    /// As [`run`](Self::run).
    pub async fn run_until<F, Fut, E>(mut self, mut handler: F, stop: impl Future<Output = ()>) -> Result<RunSummary>
    where
        F: FnMut(Delivery) -> Fut,
        Fut: Future<Output = std::result::Result<(), E>>,
        E: std::fmt::Display,
    {
        let mut summary = RunSummary::default();
        let mut stop = std::pin::pin!(stop);
        let mut failures: u32 = 0;
        loop {
            let next = tokio::select! {
                biased;
                () = &mut stop => None,
                next = self.next() => next,
            };
            match next {
                None => break,
                Some(Err(e)) if e.is_retryable() => {
                    failures = failures.saturating_add(1);
                    let wait = self.poll_interval.saturating_mul(1 << (failures - 1).min(5));
                    tracing::warn!(error = %e, ?wait, failures, "fetch failed; retrying after a backoff");
                    tokio::select! {
                        biased;
                        () = &mut stop => break,
                        () = tokio::time::sleep(wait) => {}
                    }
                }
                Some(Err(e)) => {
                    let _ = self.shutdown().await;
                    return Err(e);
                }
                Some(Ok(delivery)) => {
                    failures = 0;
                    let id = delivery.id().clone();
                    match handler(delivery.clone()).await {
                        Ok(()) => {
                            if let Err(e) = delivery.acknowledge().await {
                                tracing::warn!(job = %id, error = %e, "acknowledgement failed; resent with the next fetch");
                            }
                            summary.handled += 1;
                        }
                        Err(e) => {
                            tracing::warn!(job = %id, error = %e, "handler failed; the job comes back after its lock");
                            summary.failed += 1;
                        }
                    }
                }
            }
        }
        self.shutdown().await?;
        Ok(summary)
    }
}
