//! The one trait every store implements: the inbox's claims and the send ledger's intents.

use std::time::Duration;

use crate::error::Result;
use crate::model::{BeginSend, Claim, Failed, FaxKey, InboxRecord, InboxState, Lease, SendOutcome, SendRecord};

/// Durable state for the [inbox engine](crate::InboxEngine) and the [send ledger](crate::SendLedger).
///
/// Every operation is one atomic step in the store; what the engine and the ledger guarantee follows from
/// these steps (docs/reliability.md walks through each crash point):
///
/// - a fax is claimed by at most one worker at a time (a lease with an owner, an end and a fencing token);
/// - a claim whose lease ended can be taken over, and the taker gets a larger token;
/// - writes carrying a stale token (a done mark from a worker that was frozen past its lease) are refused
///   with [`Error::Fenced`](crate::Error::Fenced);
/// - a fax marked done is never claimed again.
///
/// Implementations: [`MemoryStore`](crate::MemoryStore) (tests, one process) and
/// [`SqlStore`](crate::SqlStore) over SQLite (default feature) or Postgres (feature `postgres`).
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// What this store is, for logs (`sqlite:/var/lib/fax/inbox.db`, `postgres://host/db`; never a password).
    fn describe(&self) -> String;

    /// Tries to claim `key` for `owner` until `lease` from now. A fax not seen before is inserted and claimed;
    /// a claimed fax whose lease ended, or a failed fax whose back-off passed, is taken over with a new token,
    /// unless it reached `max_attempts` claims, in which case it becomes a dead letter.
    async fn claim(&self, key: &FaxKey, owner: &str, lease: Duration, max_attempts: u32) -> Result<Claim>;

    /// Extends a lease to `lease` from now; `false` when it was taken over (or finished).
    async fn renew(&self, lease: &Lease, duration: Duration) -> Result<bool>;

    /// Marks the fax handed over. [`Error::Fenced`](crate::Error::Fenced) when the lease was taken over.
    async fn complete(&self, lease: &Lease) -> Result<()>;

    /// Records that the vendor was told (a fax marked done becomes acknowledged).
    async fn acknowledged(&self, key: &FaxKey) -> Result<()>;

    /// Records a failed attempt: the fax is tried again after `backoff`, or becomes a dead letter when it has
    /// had `max_attempts` claims. [`Error::Fenced`](crate::Error::Fenced) when the lease was taken over.
    async fn fail(&self, lease: &Lease, error: &str, max_attempts: u32, backoff: Duration) -> Result<Failed>;

    /// Records a transient failure (the vendor was unreachable or busy) without counting an attempt: the fax
    /// is tried again after `backoff`, and a vendor outage never turns faxes into dead letters.
    /// [`Error::Fenced`](crate::Error::Fenced) when the lease was taken over.
    async fn postpone(&self, lease: &Lease, error: &str, backoff: Duration) -> Result<()>;

    /// Gives a lease back without counting an attempt (graceful shutdown): the fax is free at once.
    async fn release(&self, lease: &Lease) -> Result<()>;

    /// Faxes of `source` to drive again by id, oldest change first, at most `limit`: claims whose lease
    /// ended, failed faxes whose back-off passed, faxes done but not acknowledged.
    async fn due(&self, source: &str, limit: u32) -> Result<Vec<FaxKey>>;

    /// Every fax in the given state (all when `None`), oldest change first.
    async fn inbox(&self, state: Option<InboxState>) -> Result<Vec<InboxRecord>>;

    /// Puts a dead letter back in line with its attempts reset; `false` when `key` is not a dead letter.
    async fn requeue(&self, key: &FaxKey) -> Result<bool>;

    /// Commits the intent to send `key` (with the request's `fingerprint`) before any request, or reports
    /// what the ledger already knows about it. See [`BeginSend`].
    async fn begin_send(
        &self,
        key: &str,
        vendor: &str,
        fingerprint: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<BeginSend>;

    /// Records the outcome of the send holding `token`. [`Error::Fenced`](crate::Error::Fenced) when another
    /// worker took the intent over.
    async fn finish_send(&self, key: &str, token: i64, outcome: &SendOutcome) -> Result<()>;

    /// One send, by key.
    async fn send_record(&self, key: &str) -> Result<Option<SendRecord>>;

    /// Every send in the ledger, oldest first.
    async fn sends(&self) -> Result<Vec<SendRecord>>;
}
