//! What configures an [`InboxEngine`](crate::InboxEngine) and what it reports: [`EngineConfig`], [`Event`],
//! [`Round`].

use std::time::Duration;

/// How an engine works. `Default` is what a production worker wants; tests shorten the times.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineConfig {
    /// How long a claim holds without renewal (renewed every third of it while the sink works). Default 60 s.
    pub lease: Duration,
    /// Faxes handed over at once by this worker. Default 4.
    pub concurrency: usize,
    /// Claims of one fax before it becomes a dead letter. Default 5.
    pub max_attempts: u32,
    /// Time between polls when the last one found nothing new. Default 10 s.
    pub poll_interval: Duration,
    /// Faxes asked for per poll. Default 100.
    pub poll_limit: u32,
    /// First back-off after a failure (doubled per attempt, up to `max_backoff`). Default 2 s.
    pub backoff: Duration,
    /// Longest back-off. Default 5 min.
    pub max_backoff: Duration,
    /// After a shutdown request, how long in-flight faxes may take before their leases are released. Default 30 s.
    pub shutdown_grace: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            lease: Duration::from_secs(60),
            concurrency: 4,
            max_attempts: 5,
            poll_interval: Duration::from_secs(10),
            poll_limit: 100,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// What happened to one fax (or one poll), for logs and progress lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// Handed over to the sink and marked done.
    HandedOver {
        /// The fax's key, `source:fax_id`.
        key: String,
        /// Which claim this was.
        attempt: u32,
    },
    /// Acknowledged at the vendor.
    Acknowledged {
        /// The fax's key, `source:fax_id`.
        key: String,
    },
    /// Not acknowledged now (the vendor's lock ended, or the vendor refused); done stays recorded, and the
    /// acknowledgement is tried again when the vendor lists the fax again.
    AckDeferred {
        /// The fax's key, `source:fax_id`.
        key: String,
        /// Why it waits: the vendor's error text, or that the vendor's lock on the fax had ended.
        reason: String,
    },
    /// The attempt failed; tried again later.
    Failed {
        /// The fax's key, `source:fax_id`.
        key: String,
        /// What failed.
        error: String,
        /// Back-off before the next attempt, in milliseconds.
        retry_in_ms: u64,
    },
    /// The attempt failed and the fax reached the attempt limit.
    DeadLettered {
        /// The fax's key, `source:fax_id`.
        key: String,
        /// The last error.
        error: String,
    },
    /// This worker's lease was taken over (it was too slow, or frozen): its result was not recorded.
    LeaseLost {
        /// The fax's key, `source:fax_id`.
        key: String,
    },
    /// The lease was given back at shutdown.
    Released {
        /// The fax's key, `source:fax_id`.
        key: String,
    },
    /// Polling the vendor failed; the engine backs off and polls again.
    PollFailed {
        /// What failed.
        error: String,
        /// Back-off, in milliseconds.
        retry_in_ms: u64,
    },
}

/// What one round handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Round {
    /// Faxes the poll returned.
    pub listed: usize,
    /// Faxes driven by id from the store (unfinished, not in the listing).
    pub resumed: usize,
    /// Faxes handed over in this round.
    pub handed_over: usize,
    /// Acknowledgements sent.
    pub acknowledged: usize,
    /// Failed attempts (including dead letters).
    pub failed: usize,
    /// Faxes skipped: busy elsewhere, dead, or done and acknowledged.
    pub skipped: usize,
}

impl Round {
    pub(crate) fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::HandedOver { acknowledged } => {
                self.handed_over += 1;
                self.acknowledged += usize::from(acknowledged);
            }
            Outcome::AckedOnly => self.acknowledged += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Failed => self.failed += 1,
        }
    }
}

/// What became of one fax in one pass.
pub(crate) enum Outcome {
    HandedOver { acknowledged: bool },
    AckedOnly,
    Skipped,
    Failed,
}
