//! [`InboxEngine`]: every received fax handed over once, across crashes, restarts and many workers.
//!
//! Per fax: poll the source → claim it in the store with a lease (owner, end, fencing token) → download it
//! into the sink → mark it done in the store → acknowledge it at the vendor → skip it whenever it is listed
//! again. While the sink works, the lease (and the vendor's lock, where it has one) is renewed; a worker that
//! dies leaves a lease that ends, and another worker takes the fax over with a larger token, which makes the
//! dead (or frozen) worker's late done mark fail. docs/reliability.md lists every crash point.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;
use tokio::time::Instant;

use faxkit::{FaxId, InboundItem, InboundSource};

use crate::error::{Error, Result};
use crate::event::Outcome;
pub use crate::event::{EngineConfig, Event, Round};
use crate::model::{Claim, Failed, FaxKey, Fnv1a, Lease};
use crate::sink::{Delivery, Sink};
use crate::store::Store;

type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// A poll's items and how many of them the vendor listed (the rest were resumed from the store).
type Gathered = (Vec<InboundItem>, usize);

/// The inbox engine. Build it with [`InboxEngine::new`], then [`run_until`](InboxEngine::run_until) a shutdown
/// signal, or drive single rounds with [`run_once`](InboxEngine::run_once).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use faxkit::FaxService;
/// use faxkit_store::{InboxEngine, MemoryStore, handler};
///
/// let sandbox = interfax::sandbox::Sandbox::start().await?;
/// sandbox.inject_inbound_fax("+12125550100", "%PDF-1.4 hello".into());
/// let source = Arc::new(sandbox.client()).inbound_source();
/// let engine = InboxEngine::new(source, Arc::new(MemoryStore::new()), Arc::new(handler(|delivery| async move {
///     let bytes = delivery.download.bytes(1 << 20).await?;
///     assert_eq!(&bytes[..], b"%PDF-1.4 hello");
///     Ok(())
/// })));
/// let round = engine.run_once().await?;
/// assert_eq!((round.handed_over, round.acknowledged), (1, 1));
/// # Ok::<(), faxkit_store::Error>(()) }).unwrap();
/// ```
pub struct InboxEngine {
    source: Arc<dyn InboundSource>,
    store: Arc<dyn Store>,
    sink: Arc<dyn Sink>,
    config: EngineConfig,
    owner: String,
    observer: Option<Observer>,
    shutdown: watch::Receiver<bool>,
    shutdown_tx: Arc<watch::Sender<bool>>,
    /// Where in a listing this worker starts (from its name), so workers spread over one inbox.
    spread: usize,
}

impl std::fmt::Debug for InboxEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxEngine")
            .field("source", &self.source.name())
            .field("store", &self.store.describe())
            .field("owner", &self.owner)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A name for this worker: host, process id and a per-start nonce, so a restarted process never mistakes an
/// earlier incarnation's leases for its own.
pub fn default_owner() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    let nonce = jiff::Timestamp::now().as_nanosecond().rem_euclid(1 << 32);
    format!("{host}-{}-{nonce:08x}", std::process::id())
}

impl InboxEngine {
    /// An engine over `source`, recording in `store`, handing over to `sink`, with the default configuration.
    pub fn new(source: Arc<dyn InboundSource>, store: Arc<dyn Store>, sink: Arc<dyn Sink>) -> InboxEngine {
        let (tx, rx) = watch::channel(false);
        InboxEngine {
            source,
            store,
            sink,
            config: EngineConfig::default(),
            owner: String::new(),
            observer: None,
            shutdown: rx,
            shutdown_tx: Arc::new(tx),
            spread: 0,
        }
        .owner(default_owner())
    }

    /// Names this worker in leases (default: [`default_owner`]).
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = owner.into();
        // A hash of the name: a stable, spread-out starting place.
        let mut h = Fnv1a::new();
        h.write(self.owner.as_bytes());
        self.spread = h.0 as usize;
        self
    }

    /// Calls `f` with every [`Event`].
    pub fn on_event(mut self, f: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(f));
        self
    }

    /// The worker's name.
    pub fn owner_name(&self) -> &str {
        &self.owner
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    fn emit(&self, event: Event) {
        match &event {
            Event::Failed { .. } | Event::DeadLettered { .. } | Event::PollFailed { .. } | Event::LeaseLost { .. } => {
                tracing::warn!(?event, "inbox")
            }
            _ => tracing::info!(?event, "inbox"),
        }
        if let Some(f) = &self.observer {
            f(&event);
        }
    }

    fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1).min(20)).unwrap_or(u32::MAX);
        self.config.backoff.saturating_mul(factor).min(self.config.max_backoff)
    }

    /// What to work on next: the source's poll, plus what the store knows is unfinished but the vendor may no
    /// longer list (FaxCore hides a fax once it was downloaded; a fax may leave a listing window while it
    /// waits for its retry). Returns the items and how many came from the poll.
    async fn gather(&self) -> Result<Gathered> {
        let mut items = self.source.poll(self.config.poll_limit).await?;
        let listed = items.len();
        let seen: HashSet<String> = items.iter().map(|i| i.fax.id.to_string()).collect();
        for key in self.store.due(&self.source.name(), self.config.poll_limit).await? {
            if !seen.contains(&key.fax_id) {
                items.extend(self.source.resume(&FaxId::new(key.fax_id)));
            }
        }
        Ok((items, listed))
    }

    /// Polls once and hands over what it finds, up to `concurrency` at a time, and returns when all of it
    /// is done. [`run_until`](InboxEngine::run_until) pipelines the same work.
    ///
    /// # Errors
    /// The poll's error (nothing was claimed), or a store error.
    pub async fn run_once(&self) -> Result<Round> {
        let (items, listed) = self.gather().await?;
        let mut round = Round { listed, resumed: items.len() - listed, ..Round::default() };
        let mut results = futures::stream::iter(items)
            .map(|item| self.process(item))
            .buffer_unordered(self.config.concurrency.max(1));
        let mut first_error = None;
        while let Some(result) = results.next().await {
            match result {
                Ok(outcome) => round.count(outcome),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(round),
        }
    }

    /// Runs until `shutdown` completes, keeping up to `concurrency` faxes in flight: it polls again as soon as
    /// a slot is free and the last work made progress (a fax handed over, acknowledged or failed), waits
    /// `poll_interval` when a poll brought nothing that could be claimed, and backs off (doubling, up to
    /// `max_backoff`) while the vendor or the store fails. It never ends on an error. At shutdown no new fax is
    /// claimed and no poll starts; faxes in flight finish within `shutdown_grace` or their leases are released.
    pub async fn run_until(&self, shutdown: impl std::future::Future<Output = ()> + Send) {
        let tx = self.shutdown_tx.clone();
        let signal = async move {
            shutdown.await;
            let _ = tx.send(true);
        };
        tokio::pin!(signal);
        let mut signalled = false;
        let mut stop = self.shutdown.clone();
        let concurrency = self.config.concurrency.max(1);
        let mut inflight = futures::stream::FuturesUnordered::new();
        let mut active: HashSet<String> = HashSet::new();
        let mut skipped: std::collections::HashMap<String, Instant> = std::collections::HashMap::new();
        let mut queue: std::collections::VecDeque<InboundItem> = std::collections::VecDeque::new();
        let mut poll: Option<futures::future::BoxFuture<'_, Result<Gathered>>> = None;
        let mut next_poll = Instant::now();
        let mut backoff_until = Instant::now();
        let mut productive = false;
        let mut failures = 0u32;
        loop {
            let stopping = self.stopping();
            if stopping && inflight.is_empty() {
                break;
            }
            if !stopping {
                while inflight.len() < concurrency {
                    let Some(item) = queue.pop_front() else { break };
                    let id = item.fax.id.to_string();
                    if active.insert(id.clone()) {
                        inflight.push(async move { (id, self.process(item).await) });
                    }
                }
                let now = Instant::now();
                let may_poll = now >= backoff_until && (productive || now >= next_poll);
                if poll.is_none() && queue.is_empty() && inflight.len() < concurrency && may_poll {
                    productive = false;
                    poll = Some(Box::pin(self.gather()));
                }
            }
            let idle =
                poll.is_none() && queue.is_empty() && !stopping && (!productive || backoff_until > Instant::now());
            let wake = if productive { backoff_until } else { next_poll.max(backoff_until) };
            tokio::select! {
                Some((id, result)) = inflight.next(), if !inflight.is_empty() => {
                    active.remove(&id);
                    match result {
                        // Busy elsewhere, a dead letter, or done: not worth a claim again for a while.
                        Ok(Outcome::Skipped) => {
                            skipped.insert(id, Instant::now() + self.config.poll_interval);
                        }
                        Ok(_) => productive = true,
                        Err(e) => tracing::warn!(fax = %id, error = %e, "inbox: store error; the fax is tried again later"),
                    }
                }
                result = async { match poll.as_mut() { Some(f) => f.await, None => std::future::pending().await } },
                    if poll.is_some() => {
                    poll = None;
                    match result {
                        Ok((items, _)) => {
                            failures = 0;
                            let now = Instant::now();
                            if skipped.len() > 4 * self.config.poll_limit as usize {
                                skipped.retain(|_, until| *until > now);
                            }
                            let mut fresh: Vec<InboundItem> = items
                                .into_iter()
                                .filter(|i| !active.contains(i.fax.id.as_str()))
                                .filter(|i| skipped.get(i.fax.id.as_str()).is_none_or(|until| *until <= now))
                                .collect();
                            // Workers polling one inbox see the same list: each starts at its own place in
                            // it, so they claim different faxes instead of racing for the same ones.
                            if !fresh.is_empty() {
                                let start = self.spread % fresh.len();
                                fresh.rotate_left(start);
                            }
                            // A few slots' worth at a time: the rest of the listing is stale by the time this
                            // worker would reach it (other workers take it), and the next poll is fresher.
                            fresh.truncate(concurrency * 4);
                            // Until something from this poll makes progress, the next poll waits.
                            next_poll = Instant::now() + self.config.poll_interval;
                            queue.extend(fresh);
                        }
                        Err(e) => {
                            failures += 1;
                            let wait = self.backoff(failures);
                            self.emit(Event::PollFailed {
                                error: e.to_string(),
                                retry_in_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            });
                            next_poll = Instant::now() + wait;
                            backoff_until = next_poll;
                            productive = false;
                        }
                    }
                }
                () = tokio::time::sleep_until(wake), if idle => {}
                _ = stop.wait_for(|s| *s), if !stopping => {}
                () = &mut signal, if !signalled => signalled = true,
                else => break,
            }
        }
    }

    /// Asks a running [`run_until`](InboxEngine::run_until) to stop, as its shutdown future would.
    pub fn shutdown(&self) {
        let _ = self.shutdown_tx.send(true);
    }

    async fn process(&self, item: InboundItem) -> Result<Outcome> {
        if self.stopping() {
            return Ok(Outcome::Skipped);
        }
        let key = FaxKey::new(self.source.name(), item.fax.id.as_str());
        let c = &self.config;
        match self.store.claim(&key, &self.owner, c.lease, c.max_attempts).await? {
            Claim::Claimed(lease) => self.hand_over(lease, item).await,
            Claim::Done { acknowledged: false } => {
                Ok(if self.acknowledge(&key, &item).await? { Outcome::AckedOnly } else { Outcome::Skipped })
            }
            // Handed out again under a new vendor lock after an acknowledgement (a re-delivered Retarus job):
            // acknowledge again, never hand over again. Without a lock, a listing that still shows it is only
            // older than the acknowledgement (another worker's, a moment ago): nothing to do.
            Claim::Done { acknowledged: true } if self.source.acknowledges() && item.locked_until.is_some() => {
                Ok(if self.acknowledge(&key, &item).await? { Outcome::AckedOnly } else { Outcome::Skipped })
            }
            _ => Ok(Outcome::Skipped),
        }
    }

    async fn hand_over(&self, lease: Lease, mut item: InboundItem) -> Result<Outcome> {
        let key = lease.key.clone();
        let lock_end = std::sync::Mutex::new(item.locked_until);
        let delivered = {
            let work = async {
                let download = self.source.download(&item).await?;
                let delivery = Delivery { key: key.clone(), fax: item.fax.clone(), attempt: lease.attempt, download };
                self.sink.deliver(delivery).await
            };
            let keeper = self.keep_lease(&lease, item.clone(), &lock_end);
            tokio::pin!(work);
            tokio::select! {
                r = &mut work => Ok(r),
                lost = keeper => Err(lost),
            }
        };
        item.locked_until = *lock_end.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match delivered {
            Ok(Ok(())) => match self.store.complete(&lease).await {
                Ok(()) => {
                    self.emit(Event::HandedOver { key: key.to_string(), attempt: lease.attempt });
                    let acknowledged = self.acknowledge(&key, &item).await?;
                    Ok(Outcome::HandedOver { acknowledged })
                }
                Err(Error::Fenced { .. }) => {
                    self.emit(Event::LeaseLost { key: key.to_string() });
                    Ok(Outcome::Skipped)
                }
                Err(e) => Err(e),
            },
            Ok(Err(Error::Fax(e))) if e.is_retryable() => {
                // The vendor was unreachable or busy: not the fax's fault, so no attempt is counted.
                let error = e.to_string();
                let backoff = self.backoff(lease.attempt);
                match self.store.postpone(&lease, &error, backoff).await {
                    Ok(()) => self.emit(Event::Failed {
                        key: key.to_string(),
                        error,
                        retry_in_ms: u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    }),
                    Err(Error::Fenced { .. }) => self.emit(Event::LeaseLost { key: key.to_string() }),
                    Err(e) => return Err(e),
                }
                Ok(Outcome::Failed)
            }
            Ok(Err(e)) => {
                let error = e.to_string();
                let backoff = self.backoff(lease.attempt);
                match self.store.fail(&lease, &error, self.config.max_attempts, backoff).await {
                    Ok(Failed::RetryIn(ms)) => {
                        self.emit(Event::Failed { key: key.to_string(), error, retry_in_ms: ms });
                    }
                    Ok(Failed::DeadLettered) => self.emit(Event::DeadLettered { key: key.to_string(), error }),
                    Err(Error::Fenced { .. }) => self.emit(Event::LeaseLost { key: key.to_string() }),
                    Err(e) => return Err(e),
                }
                Ok(Outcome::Failed)
            }
            Err(KeeperEnd::Shutdown) => {
                self.store.release(&lease).await?;
                self.emit(Event::Released { key: key.to_string() });
                Ok(Outcome::Skipped)
            }
        }
    }

    /// Renews the lease (and the vendor's lock) every third of its length while the sink works. Ends only when
    /// the shutdown grace has passed; a lease lost to another worker only stops the renewals (the done mark
    /// that follows is refused).
    async fn keep_lease(
        &self,
        lease: &Lease,
        mut item: InboundItem,
        lock_end: &std::sync::Mutex<Option<Instant>>,
    ) -> KeeperEnd {
        let every = (self.config.lease / 3).max(Duration::from_millis(10));
        let mut shutdown = self.shutdown.clone();
        let mut grace_ends: Option<Instant> = None;
        let mut lost = false;
        loop {
            let tick = tokio::time::sleep(every);
            tokio::select! {
                () = tick => {}
                _ = shutdown.wait_for(|s| *s), if grace_ends.is_none() => {
                    grace_ends = Some(Instant::now() + self.config.shutdown_grace);
                    continue;
                }
            }
            if grace_ends.is_some_and(|end| Instant::now() >= end) {
                return KeeperEnd::Shutdown;
            }
            if lost {
                continue;
            }
            match self.store.renew(lease, self.config.lease).await {
                Ok(true) => {}
                Ok(false) => {
                    // Taken over. The sink's work goes on and its done mark will be refused by the fencing
                    // token: nothing this worker does from here is recorded.
                    tracing::warn!(key = %lease.key, "inbox: lease lost to another worker");
                    lost = true;
                    continue;
                }
                Err(e) => tracing::warn!(key = %lease.key, error = %e, "inbox: lease renewal failed; retrying"),
            }
            if item.locked_until.is_some() {
                match self.source.renew(&item).await {
                    Ok(until) => {
                        item.locked_until = until;
                        *lock_end.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = until;
                    }
                    Err(e) => tracing::warn!(key = %lease.key, error = %e, "inbox: vendor lock renewal failed"),
                }
            }
        }
    }

    /// Acknowledges at the vendor and records it; `Ok(false)` when deferred.
    async fn acknowledge(&self, key: &FaxKey, item: &InboundItem) -> Result<bool> {
        if !self.source.acknowledges() {
            self.store.acknowledged(key).await?;
            return Ok(false);
        }
        if !item.lock_holds(Instant::now()) {
            self.emit(Event::AckDeferred {
                key: key.to_string(),
                reason: "the vendor's lock on it ended; acknowledged when it is handed out again".into(),
            });
            return Ok(false);
        }
        match self.source.acknowledge(item).await {
            Ok(()) => {
                self.store.acknowledged(key).await?;
                self.emit(Event::Acknowledged { key: key.to_string() });
                Ok(true)
            }
            Err(e) => {
                self.emit(Event::AckDeferred { key: key.to_string(), reason: e.to_string() });
                Ok(false)
            }
        }
    }
}

faxkit::setters!(InboxEngine {
    plain {
        /// Replaces the configuration.
        config: EngineConfig,
    }
});

enum KeeperEnd {
    Shutdown,
}
