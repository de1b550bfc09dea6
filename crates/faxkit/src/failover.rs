//! [`Failover`]: several vendors behind one [`FaxService`], a send moving on only when it certainly was not
//! taken.
//!
//! A send goes to the first vendor whose circuit is closed (or half-open for a probe). It moves to the next
//! vendor only when the previous one **certainly did not take it**:
//!
//! | outcome at a vendor | what `Failover` does |
//! |---|---|
//! | the connection could not be opened ([`Error::is_not_sent`]: refused, DNS, TLS handshake, connect timeout) | next vendor |
//! | HTTP 429 ([`Error::RateLimited`]: the vendor refused to process it) | next vendor |
//! | the vendor's circuit is open | skipped, next vendor |
//! | [`Error::Ambiguous`] (it may have been taken) | **stop**: the error is returned, never sent elsewhere |
//! | any other error (refused input, authentication, vendor error) | stop: the error is returned |
//!
//! Each vendor has a circuit breaker: after [`BreakerConfig::failure_threshold`] consecutive failures
//! (transport errors, timeouts, ambiguous outcomes, 429 and 5xx) it opens and the vendor is skipped; after
//! [`BreakerConfig::cool_down`] one probe send is let through (half-open), which closes the circuit on success
//! and opens it again on failure.
//!
//! A vendor may read the documents before it fails, so documents must be re-readable (paths, bytes), not
//! [`Document::from_reader`](crate::Document::from_reader). `send_each` is the default one-send-per-recipient
//! (keys `K#1`, `K#2`, …), each recipient failing over on its own.
//!
//! Ids returned by a `Failover` carry the vendor that holds the fax, `<vendor>:<id>` (`westfax:6b98…`), so
//! `status`, `cancel`, `download` and `acknowledge` go to that vendor. Inbound faxes are listed from every
//! vendor, with the same prefix.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::time::Instant;

use crate::error::{Error, ErrorKind, Result};
use crate::service::{
    Direction, Download, FaxId, FaxService, FaxStatus, InboundFax, InboundQuery, Reconciliation, SendRequest,
};

/// When a vendor's circuit opens and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BreakerConfig {
    /// Consecutive failures that open the circuit (default 3; at least 1).
    pub failure_threshold: u32,
    /// How long an open circuit skips its vendor before one probe is let through (default 30 s).
    pub cool_down: Duration,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig { failure_threshold: 3, cool_down: Duration::from_secs(30) }
    }
}

impl BreakerConfig {
    /// A configuration with a threshold and a cool-down.
    pub fn new(failure_threshold: u32, cool_down: Duration) -> Self {
        BreakerConfig { failure_threshold: failure_threshold.max(1), cool_down }
    }
}

/// The state of one vendor's circuit, as [`Failover::circuit`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Circuit {
    /// Sends go through; `failures` consecutive failures so far.
    Closed {
        /// Consecutive failures.
        failures: u32,
    },
    /// The vendor is skipped until the cool-down ends.
    Open,
    /// The cool-down ended: the next send is a probe (`probing` once it is under way).
    HalfOpen {
        /// Whether the probe is under way (other sends skip the vendor meanwhile).
        probing: bool,
    },
}

#[derive(Debug)]
struct Breaker {
    state: Circuit,
    open_until: Option<Instant>,
}

struct Member {
    service: Arc<dyn FaxService>,
    breaker: Mutex<Breaker>,
}

/// Several vendors as one [`FaxService`], in order of preference; see the [module docs](self).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # use std::sync::Arc;
/// # struct Dead;
/// # #[faxkit::async_trait] impl faxkit::FaxService for Dead {
/// #   fn vendor(&self) -> &'static str { "primary" }
/// #   async fn send(&self, _: &faxkit::SendRequest) -> faxkit::Result<faxkit::FaxId> {
/// #     Err(faxkit::Error::connect_failed("primary", "connection refused")) }
/// #   async fn status(&self, _: &faxkit::FaxId) -> faxkit::Result<faxkit::FaxStatus> { unimplemented!() }
/// #   async fn cancel(&self, _: &faxkit::FaxId) -> faxkit::Result<()> { Ok(()) }
/// #   async fn list_inbound(&self, _: &faxkit::InboundQuery) -> faxkit::Result<Vec<faxkit::InboundFax>> { Ok(vec![]) }
/// #   async fn download(&self, _: &faxkit::FaxId, _: faxkit::Direction) -> faxkit::Result<faxkit::Download> { unimplemented!() }
/// #   async fn acknowledge(&self, _: &faxkit::FaxId) -> faxkit::Result<()> { Ok(()) }
/// # }
/// # struct Up;
/// # #[faxkit::async_trait] impl faxkit::FaxService for Up {
/// #   fn vendor(&self) -> &'static str { "backup" }
/// #   async fn send(&self, _: &faxkit::SendRequest) -> faxkit::Result<faxkit::FaxId> { Ok("42".into()) }
/// #   async fn status(&self, _: &faxkit::FaxId) -> faxkit::Result<faxkit::FaxStatus> { unimplemented!() }
/// #   async fn cancel(&self, _: &faxkit::FaxId) -> faxkit::Result<()> { Ok(()) }
/// #   async fn list_inbound(&self, _: &faxkit::InboundQuery) -> faxkit::Result<Vec<faxkit::InboundFax>> { Ok(vec![]) }
/// #   async fn download(&self, _: &faxkit::FaxId, _: faxkit::Direction) -> faxkit::Result<faxkit::Download> { unimplemented!() }
/// #   async fn acknowledge(&self, _: &faxkit::FaxId) -> faxkit::Result<()> { Ok(()) }
/// # }
/// # let (primary, backup): (Arc<dyn faxkit::FaxService>, Arc<dyn faxkit::FaxService>) = (Arc::new(Dead), Arc::new(Up));
/// use faxkit::{Document, FaxNumber, FaxService, SendRequest, failover::Failover};
/// let fax = Failover::new(vec![primary, backup]);
/// let request = SendRequest::new(FaxNumber::parse("+12125550100")?, Document::from_bytes("%PDF-1.4", "a.pdf"));
/// // The primary refused the connection: the backup took the fax, and its id says so.
/// assert_eq!(fax.send(&request).await?.as_str(), "backup:42");
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
pub struct Failover {
    members: Vec<Member>,
    config: BreakerConfig,
}

impl std::fmt::Debug for Failover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let vendors: Vec<&str> = self.members.iter().map(|m| m.service.vendor()).collect();
        f.debug_struct("Failover").field("vendors", &vendors).field("config", &self.config).finish()
    }
}

/// An error that says every vendor's circuit is open (nothing was sent).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct NoVendor(String);

impl Failover {
    /// Vendors in order of preference, with the default [`BreakerConfig`].
    pub fn new(services: Vec<Arc<dyn FaxService>>) -> Self {
        Failover::with_config(services, BreakerConfig::default())
    }

    /// Vendors in order of preference, with a breaker configuration.
    pub fn with_config(services: Vec<Arc<dyn FaxService>>, config: BreakerConfig) -> Self {
        let members = services
            .into_iter()
            .map(|service| Member {
                service,
                breaker: Mutex::new(Breaker { state: Circuit::Closed { failures: 0 }, open_until: None }),
            })
            .collect();
        Failover { members, config }
    }

    /// The circuit of the vendor named `vendor` (as [`FaxService::vendor`] names it), if it is a member.
    pub fn circuit(&self, vendor: &str) -> Option<Circuit> {
        let member = self.members.iter().find(|m| m.service.vendor() == vendor)?;
        let now = Instant::now();
        let mut breaker = member.breaker.lock().ok()?;
        refresh(&mut breaker, now);
        Some(breaker.state)
    }

    /// The member holding `id` (`<vendor>:<vendor id>`), and the vendor's own id.
    fn route(&self, id: &FaxId) -> Result<(&Member, FaxId)> {
        let (vendor, inner) = id.as_str().split_once(':').ok_or_else(|| {
            Error::invalid_input("failover", format!("{:?} names no vendor (expected <vendor>:<id>)", id.as_str()))
        })?;
        let member = self.members.iter().find(|m| m.service.vendor() == vendor).ok_or_else(|| {
            Error::invalid_input("failover", format!("{vendor:?} is not one of this failover's vendors"))
        })?;
        Ok((member, FaxId::new(inner)))
    }

    /// Whether `member` may be tried now; marks a half-open probe as under way.
    fn admit(&self, member: &Member) -> bool {
        let now = Instant::now();
        let Ok(mut breaker) = member.breaker.lock() else { return true };
        refresh(&mut breaker, now);
        match breaker.state {
            Circuit::Closed { .. } => true,
            Circuit::Open | Circuit::HalfOpen { probing: true } => false,
            Circuit::HalfOpen { probing: false } => {
                breaker.state = Circuit::HalfOpen { probing: true };
                true
            }
        }
    }

    fn record(&self, member: &Member, failed: bool) {
        let now = Instant::now();
        let Ok(mut breaker) = member.breaker.lock() else { return };
        if !failed {
            breaker.state = Circuit::Closed { failures: 0 };
            breaker.open_until = None;
            return;
        }
        let failures = match breaker.state {
            Circuit::Closed { failures } => failures.saturating_add(1),
            // A failed probe opens the circuit again at once.
            Circuit::HalfOpen { .. } | Circuit::Open => self.config.failure_threshold,
        };
        if failures >= self.config.failure_threshold {
            breaker.state = Circuit::Open;
            breaker.open_until = Some(now + self.config.cool_down);
            tracing::warn!(vendor = member.service.vendor(), failures, "circuit open");
        } else {
            breaker.state = Circuit::Closed { failures };
        }
    }
}

/// Moves an open circuit whose cool-down ended to half-open.
fn refresh(breaker: &mut Breaker, now: Instant) {
    if breaker.state == Circuit::Open && breaker.open_until.is_none_or(|t| now >= t) {
        breaker.state = Circuit::HalfOpen { probing: false };
    }
}

/// Whether an error says the vendor is unwell (counted by its breaker).
fn is_failure(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Ambiguous | ErrorKind::RateLimited)
        || e.status().is_some_and(|s| s >= 500)
}

/// Whether the vendor certainly did not take the send, so the next one may.
fn may_move_on(e: &Error) -> bool {
    e.is_not_sent() || e.kind() == ErrorKind::RateLimited
}

fn prefixed(vendor: &str, id: &FaxId) -> FaxId {
    FaxId::new(format!("{vendor}:{id}"))
}

#[async_trait::async_trait]
impl FaxService for Failover {
    fn vendor(&self) -> &'static str {
        "failover"
    }

    /// Sends through the first vendor that takes it; see the [module docs](self) for when it moves on.
    ///
    /// # Errors
    /// The first vendor's error that stops the failover ([`Error::Ambiguous`] included); when every vendor
    /// was skipped or refused the connection, the last such error ([`Error::is_not_sent`] holds).
    async fn send(&self, request: &SendRequest) -> Result<FaxId> {
        let mut last: Option<Error> = None;
        for member in &self.members {
            let vendor = member.service.vendor();
            if !self.admit(member) {
                tracing::debug!(vendor, "circuit open: skipped");
                continue;
            }
            match member.service.send(request).await {
                Ok(id) => {
                    self.record(member, false);
                    return Ok(prefixed(vendor, &id));
                }
                Err(e) => {
                    self.record(member, is_failure(&e));
                    if !may_move_on(&e) {
                        return Err(e);
                    }
                    tracing::warn!(vendor, error = %e, "not sent: trying the next vendor");
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| {
            Error::connect_failed("failover", NoVendor("every vendor's circuit is open; nothing was sent".into()))
        }))
    }

    async fn status(&self, id: &FaxId) -> Result<FaxStatus> {
        let (member, inner) = self.route(id)?;
        let mut status = member.service.status(&inner).await?;
        status.id = id.clone();
        Ok(status)
    }

    async fn cancel(&self, id: &FaxId) -> Result<()> {
        let (member, inner) = self.route(id)?;
        member.service.cancel(&inner).await
    }

    /// Received faxes of every vendor, ids prefixed with the vendor, cut to `query.limit` in total.
    async fn list_inbound(&self, query: &InboundQuery) -> Result<Vec<InboundFax>> {
        let mut out = Vec::new();
        for member in &self.members {
            let vendor = member.service.vendor();
            for mut fax in member.service.list_inbound(query).await? {
                fax.id = prefixed(vendor, &fax.id);
                out.push(fax);
            }
        }
        if let Some(limit) = query.limit {
            out.truncate(limit as usize);
        }
        Ok(out)
    }

    async fn download(&self, id: &FaxId, direction: Direction) -> Result<Download> {
        let (member, inner) = self.route(id)?;
        member.service.download(&inner, direction).await
    }

    async fn acknowledge(&self, id: &FaxId) -> Result<()> {
        let (member, inner) = self.route(id)?;
        member.service.acknowledge(&inner).await
    }

    /// Asks every vendor: `Found` from the first that holds the key (id prefixed), `NotFound` only when every
    /// vendor searched and found nothing, else `Unsupported` naming the vendors that cannot tell.
    async fn reconcile(&self, key: &str, sent_after: Option<Timestamp>) -> Result<Reconciliation> {
        let mut unknown = Vec::new();
        for member in &self.members {
            let vendor = member.service.vendor();
            match member.service.reconcile(key, sent_after).await? {
                Reconciliation::Found(id) => return Ok(Reconciliation::Found(prefixed(vendor, &id))),
                Reconciliation::NotFound => {}
                Reconciliation::Unsupported(why) => unknown.push(format!("{vendor}: {why}")),
            }
        }
        Ok(if unknown.is_empty() { Reconciliation::NotFound } else { Reconciliation::Unsupported(unknown.join("; ")) })
    }
}
