//! The records a store keeps: inbox faxes and send-ledger entries, and the answers of its operations.

use std::fmt;

use jiff::Timestamp;

/// Milliseconds since the Unix epoch on this machine's clock.
pub(crate) fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

pub(crate) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// One received fax in one inbox: the source's name (see [`faxkit::InboundSource::name`]) and the vendor's
/// fax id. Its text form, `source:fax_id`, is the idempotency key handed to sinks and handlers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaxKey {
    /// The inbox (`"interfax"`, or a name for one account).
    pub source: String,
    /// The vendor's fax id.
    pub fax_id: String,
}

impl FaxKey {
    /// A key.
    pub fn new(source: impl Into<String>, fax_id: impl Into<String>) -> Self {
        FaxKey { source: source.into(), fax_id: fax_id.into() }
    }

    /// Parses `source:fax_id` (the fax id may contain `:`).
    pub fn parse(text: &str) -> Option<FaxKey> {
        let (source, fax_id) = text.split_once(':')?;
        (!source.is_empty() && !fax_id.is_empty()).then(|| FaxKey::new(source, fax_id))
    }

    /// The idempotency key, `source:fax_id`: stable across workers, restarts and retries.
    pub fn idempotency_key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for FaxKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.fax_id)
    }
}

/// Where a received fax stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxState {
    /// A worker holds a lease on it and is handing it over.
    Claimed,
    /// The last attempt failed; it is tried again after its back-off.
    Retry,
    /// Handed over (the done mark is committed); not yet acknowledged at the vendor.
    Done,
    /// Handed over and acknowledged at the vendor.
    Acknowledged,
    /// Failed too often; waits in the dead letters until requeued.
    Dead,
}

impl InboxState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            InboxState::Claimed => "claimed",
            InboxState::Retry => "retry",
            InboxState::Done => "done",
            InboxState::Acknowledged => "acknowledged",
            InboxState::Dead => "dead",
        }
    }

    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
    pub(crate) fn parse(s: &str) -> InboxState {
        match s {
            "claimed" => InboxState::Claimed,
            "retry" => InboxState::Retry,
            "done" => InboxState::Done,
            "acknowledged" => InboxState::Acknowledged,
            _ => InboxState::Dead,
        }
    }
}

impl fmt::Display for InboxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A received fax as the store records it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct InboxRecord {
    /// The fax.
    #[serde(serialize_with = "ser_display")]
    pub key: FaxKey,
    /// Where it stands.
    pub state: InboxState,
    /// Claims so far (each worker that started handing it over counts one).
    pub attempts: u32,
    /// The worker holding or last holding the lease.
    pub owner: Option<String>,
    /// The fencing token of the latest claim.
    pub token: i64,
    /// The end of the current lease.
    pub lease_until: Option<Timestamp>,
    /// The last error, for retries and dead letters.
    pub last_error: Option<String>,
    /// Last change.
    pub updated_at: Timestamp,
}

fn ser_display<S: serde::Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// The right to hand one fax over: held by one worker until `lease` ends or it is renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The fax.
    pub key: FaxKey,
    /// The worker.
    pub owner: String,
    /// The fencing token: every claim of this fax gets a larger one, and writes carrying an older one are refused.
    pub token: i64,
    /// Which claim this is (1 for the first).
    pub attempt: u32,
}

/// The answer to [`Store::claim`](crate::Store::claim).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// This worker now holds the fax.
    Claimed(Lease),
    /// Already handed over; `acknowledged` says whether the vendor was told.
    Done {
        /// Whether the acknowledgement at the vendor is recorded.
        acknowledged: bool,
    },
    /// Another worker holds a live lease, or the fax waits for its retry time.
    Busy,
    /// In the dead letters.
    Dead,
}

/// The answer to [`Store::fail`](crate::Store::fail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// It will be tried again after this many milliseconds.
    RetryIn(u64),
    /// It reached the attempt limit and is now a dead letter.
    DeadLettered,
}

/// Where a ledgered send stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// Committed before the request; outcome not yet recorded.
    Intent,
    /// The vendor accepted it; the fax id is recorded.
    Sent,
    /// The vendor certainly did not take it (refused before or at the request); a send with the same key may
    /// try again.
    Failed,
    /// It may have reached the vendor and reconciliation could not tell: never sent again automatically.
    Ambiguous,
}

impl SendState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SendState::Intent => "intent",
            SendState::Sent => "sent",
            SendState::Failed => "failed",
            SendState::Ambiguous => "ambiguous",
        }
    }

    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
    pub(crate) fn parse(s: &str) -> SendState {
        match s {
            "intent" => SendState::Intent,
            "sent" => SendState::Sent,
            "failed" => SendState::Failed,
            _ => SendState::Ambiguous,
        }
    }
}

impl fmt::Display for SendState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One send in the ledger.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct SendRecord {
    /// The idempotency key.
    pub key: String,
    /// The vendor crate that takes (or took) the send.
    pub vendor: String,
    /// Where it stands.
    pub state: SendState,
    /// The vendor's fax id, once known.
    pub fax_id: Option<String>,
    /// A fingerprint of the request (recipients and documents): a key reused for another request is refused.
    pub fingerprint: String,
    /// The worker holding or last holding the intent.
    pub owner: Option<String>,
    /// The fencing token of the latest holder.
    pub token: i64,
    /// The end of the holder's lease on the intent.
    pub lease_until: Option<Timestamp>,
    /// The last error.
    pub error: Option<String>,
    /// When the intent was first committed.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// The answer to [`Store::begin_send`](crate::Store::begin_send).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BeginSend {
    /// A new intent is committed: send now, with this token.
    Fresh(i64),
    /// An earlier attempt failed for certain: send again, with this token.
    Retry(i64),
    /// An earlier attempt's outcome is unknown (its worker died, or it was ambiguous): this worker holds it
    /// (token) and must reconcile with the vendor before anything is sent.
    Reconcile(i64, SendRecord),
    /// Already sent: the recorded outcome, without a request.
    Sent(SendRecord),
    /// Another worker holds a live intent for this key.
    InProgress(SendRecord),
    /// The key is recorded with another fingerprint: a different request reusing a key.
    Mismatch(SendRecord),
}

/// How a ledgered send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SendOutcome {
    /// Accepted, with the vendor's id.
    Sent(String),
    /// Certainly not taken.
    Failed(String),
    /// Maybe taken; unknown.
    Ambiguous(String),
}

/// The columns a send outcome writes: state, fax id, error.
pub(crate) fn outcome_columns(outcome: &SendOutcome) -> (SendState, Option<&str>, Option<&str>) {
    match outcome {
        SendOutcome::Sent(id) => (SendState::Sent, Some(id), None),
        SendOutcome::Failed(e) => (SendState::Failed, None, Some(e)),
        SendOutcome::Ambiguous(e) => (SendState::Ambiguous, None, Some(e)),
    }
}

/// FNV-1a, 64 bits (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`): a hash that is the same across
/// runs, platforms and versions, unlike `std`'s, for fingerprints, default idempotency keys and spreading work.
/// Not for security.
///
/// ```
/// let mut h = faxkit_store::Fnv1a::new();
/// h.write(b"foobar");
/// assert_eq!(h.finish(), 0x85944171f73967e8);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(pub(crate) u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a::new()
    }
}

impl Fnv1a {
    /// The hash of no bytes.
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }

    /// Adds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod fnv_tests {
    use super::Fnv1a;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a" and "foobar".
        let h = |s: &[u8]| {
            let mut f = Fnv1a::new();
            f.write(s);
            f.finish()
        };
        assert_eq!(h(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
