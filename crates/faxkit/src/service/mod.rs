//! The vendor-neutral [`FaxService`] trait and the plain types it speaks.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;

use crate::document::Document;
use crate::error::{Error, Result};
use crate::number::FaxNumber;
use crate::status::DeliveryStatus;

mod download;
pub mod inbound;

pub use download::Download;

/// A fax id in vendor-neutral form: the vendor's id as text (InterFAX's 64-bit numbers, Retarus job ids,
/// Fax2 ids). Vendor crates convert to and from their typed ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct FaxId(String);

impl FaxId {
    /// An id from its text.
    pub fn new(id: impl Into<String>) -> Self {
        FaxId(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for FaxId {
    fn from(s: String) -> Self {
        FaxId(s)
    }
}

impl From<&str> for FaxId {
    fn from(s: &str) -> Self {
        FaxId(s.to_owned())
    }
}

impl From<u64> for FaxId {
    fn from(n: u64) -> Self {
        FaxId(n.to_string())
    }
}

impl From<i64> for FaxId {
    fn from(n: i64) -> Self {
        FaxId(n.to_string())
    }
}

/// Which side of the account a fax is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Received by the account.
    #[default]
    Inbound,
    /// Sent by the account.
    Outbound,
}

/// A fax to send, in vendor-neutral terms. Options a vendor lacks are ignored by that vendor, and its docs
/// say which ones.
///
/// ```
/// # use faxkit::{SendRequest, FaxNumber, Document};
/// let req = SendRequest::new(FaxNumber::parse("+12125550100")?, Document::from_bytes("%PDF-1.4", "a.pdf"))
///     .document(Document::from_bytes("%PDF-1.4", "b.pdf"))
///     .reference("invoice 42");
/// assert_eq!(req.documents.len(), 2);
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SendRequest {
    /// Recipients (at least one).
    pub to: Vec<FaxNumber>,
    /// Documents, sent in order as one fax (at least one).
    pub documents: Vec<Document>,
    /// The caller's reference, where the vendor stores one.
    pub reference: Option<String>,
    /// Sender name for cover pages or headers, where supported.
    pub sender_name: Option<String>,
    /// The sending station id (CSID / TSI), where supported.
    pub csid: Option<String>,
    /// Subject line for cover pages, where supported.
    pub subject: Option<String>,
    /// The caller's idempotency key: the same key means the same fax. Vendor crates put it on the wire where
    /// the vendor keeps a client reference, so [`FaxService::reconcile`] can find the fax after an
    /// [`Error::Ambiguous`] outcome; each vendor's docs say where it goes.
    pub idempotency_key: Option<String>,
}

impl SendRequest {
    /// A request for one recipient and one document.
    pub fn new(to: FaxNumber, document: Document) -> Self {
        SendRequest { to: vec![to], documents: vec![document], ..Default::default() }
    }

    /// Adds a recipient.
    pub fn to(mut self, number: FaxNumber) -> Self {
        self.to.push(number);
        self
    }

    /// Adds a document.
    pub fn document(mut self, document: Document) -> Self {
        self.documents.push(document);
        self
    }

    /// Checks there is at least one recipient and one document, and at most `max_recipients`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming `vendor`.
    pub fn validate(&self, vendor: &'static str, max_recipients: usize) -> Result<()> {
        if self.to.is_empty() {
            return Err(Error::invalid_input(vendor, "a fax needs at least one recipient"));
        }
        if self.to.len() > max_recipients {
            return Err(Error::invalid_input(
                vendor,
                format!("{} recipients given; {vendor} takes at most {max_recipients} per send", self.to.len()),
            ));
        }
        if self.documents.is_empty() {
            return Err(Error::invalid_input(vendor, "a fax needs at least one document"));
        }
        Ok(())
    }
}

crate::setters!(SendRequest {
    strings {
        /// Sets the reference.
        reference,
        /// Sets the sender name.
        sender_name,
        /// Sets the CSID.
        csid,
        /// Sets the subject.
        subject,
        /// Sets the idempotency key.
        idempotency_key,
    }
});

/// The status of one fax, neutral and raw side by side.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct FaxStatus {
    /// The vendor's id of the fax (or of the job, for vendors whose job spans recipients), as text.
    pub id: FaxId,
    /// The neutral status.
    #[serde(rename = "state")]
    pub status: DeliveryStatus,
    /// The vendor's status value exactly as sent (`"In Queue"`, `"-2"`, `"sent"` …).
    pub raw_status: String,
    /// Pages sent or to send, where known.
    pub pages: Option<u32>,
    /// The destination, as the vendor reports it.
    pub to: Option<String>,
    /// When the vendor accepted the fax.
    pub submitted_at: Option<Timestamp>,
    /// When it reached its final status.
    pub completed_at: Option<Timestamp>,
}

impl FaxStatus {
    /// A status with only the required parts; set the rest with struct update or field assignment.
    pub fn new(id: FaxId, status: DeliveryStatus, raw_status: impl Into<String>) -> Self {
        FaxStatus {
            id,
            status,
            raw_status: raw_status.into(),
            pages: None,
            to: None,
            submitted_at: None,
            completed_at: None,
        }
    }
}

/// Which inbound faxes to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InboundQuery {
    /// At most this many faxes (the vendor's default when `None`).
    pub limit: Option<u32>,
    /// Only faxes not yet acknowledged / read / downloaded.
    pub unread_only: bool,
}

crate::setters!(InboundQuery {
    plain {
        /// A query with a limit.
        limit: u32,
        /// Only unread faxes.
        unread_only: bool,
    }
});

/// A received fax, neutral.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct InboundFax {
    /// The vendor's id of the received fax, as text; what acknowledgements and downloads take.
    pub id: FaxId,
    /// The sender's number or CSID as reported.
    pub from: Option<String>,
    /// The number it was received on.
    pub to: Option<String>,
    /// Pages received, where the vendor reports them.
    pub pages: Option<u32>,
    /// When it arrived.
    pub received_at: Option<Timestamp>,
    /// Whether it was already acknowledged / read, where the vendor tracks it.
    pub acknowledged: Option<bool>,
}

impl InboundFax {
    /// An inbound fax with only its id; set the rest by field.
    pub fn new(id: FaxId) -> Self {
        InboundFax { id, from: None, to: None, pages: None, received_at: None, acknowledged: None }
    }
}

/// How far before `sent_after` a [`FaxService::reconcile`] search starts, for clock skew between this machine and
/// the vendor (10 minutes). Searching too early costs nothing; searching too late could miss the fax.
pub const RECONCILE_CLOCK_SKEW: Duration = Duration::from_secs(600);

/// How far back a [`FaxService::reconcile`] search goes when the vendor needs a start date and the caller gave
/// none (32 days, the window WestFax's own SDK uses).
pub const RECONCILE_DEFAULT_LOOKBACK: Duration = Duration::from_secs(32 * 24 * 3600);

/// The start of a [`FaxService::reconcile`] search window: `sent_after` less [`RECONCILE_CLOCK_SKEW`], or now
/// less [`RECONCILE_DEFAULT_LOOKBACK`].
pub fn reconcile_window_start(sent_after: Option<Timestamp>) -> Timestamp {
    let (from, back) = match sent_after {
        Some(t) => (t, RECONCILE_CLOCK_SKEW),
        None => (Timestamp::now(), RECONCILE_DEFAULT_LOOKBACK),
    };
    let back = jiff::SignedDuration::try_from(back).unwrap_or(jiff::SignedDuration::ZERO);
    from.checked_sub(back).unwrap_or(Timestamp::MIN)
}

/// What a vendor knows about a send, found by its idempotency key ([`FaxService::reconcile`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reconciliation {
    /// The vendor holds a fax sent with this key.
    Found(FaxId),
    /// The vendor was searched and holds no fax with this key in the window searched: it was not accepted.
    NotFound,
    /// The vendor cannot be searched by key (why, in words). The outcome stays unknown: never a guess.
    Unsupported(String),
}

/// What happened to one recipient of a [`FaxService::send_each`].
///
/// Each recipient has its own result, so one refused number never hides the ids of the others.
#[derive(Debug)]
#[non_exhaustive]
pub struct RecipientOutcome {
    /// The recipient this outcome is for, as given in the request.
    pub to: FaxNumber,
    /// The idempotency key this recipient was sent with (see [`recipient_key`]), when the request had one.
    pub key: Option<String>,
    /// The fax id, or why this recipient was not sent (an [`Error::Ambiguous`] means it may have been).
    pub result: Result<FaxId>,
}

impl RecipientOutcome {
    /// An outcome from its parts.
    pub fn new(to: FaxNumber, key: Option<String>, result: Result<FaxId>) -> Self {
        RecipientOutcome { to, key, result }
    }
}

/// The idempotency key of recipient `index` (0-based) of `count` in a multi-recipient send: the key itself for a
/// single recipient, else `key#1`, `key#2`, … (1-based). Vendors that send one job per recipient put these on
/// the wire; [`FaxService::reconcile`] takes them back.
///
/// ```
/// assert_eq!(faxkit::service::recipient_key("K", 0, 1), "K");
/// assert_eq!(faxkit::service::recipient_key("K", 1, 3), "K#2");
/// ```
pub fn recipient_key(key: &str, index: usize, count: usize) -> String {
    if count <= 1 { key.to_owned() } else { format!("{key}#{}", index + 1) }
}

/// The outcomes of a send that went out as one job for every recipient (Retarus recipient lists, WestFax
/// `Numbers1…n`): each recipient gets the job's id, or a copy of its error ([`Error::replicate`]), and the
/// request's key unchanged.
pub fn one_job_outcomes(request: &SendRequest, result: Result<FaxId>) -> Vec<RecipientOutcome> {
    request
        .to
        .iter()
        .map(|to| {
            let result = match &result {
                Ok(id) => Ok(id.clone()),
                Err(e) => Err(e.replicate()),
            };
            RecipientOutcome { to: to.clone(), key: request.idempotency_key.clone(), result }
        })
        .collect()
}

/// How [`FaxService::wait`] polls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Time between two status reads.
    pub interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions { timeout: Duration::from_secs(600), interval: Duration::from_secs(10) }
    }
}

impl WaitOptions {
    /// Options with a timeout and an interval.
    pub fn new(timeout: Duration, interval: Duration) -> Self {
        WaitOptions { timeout, interval }
    }
}

/// One interface over every fax vendor. Each vendor crate implements it on its `Client`; what a vendor cannot
/// do returns [`Error::Unsupported`].
///
/// The trait is object safe: hold a `Box<dyn FaxService>` or `Arc<dyn FaxService>` to switch vendors at
/// run time.
#[async_trait::async_trait]
pub trait FaxService: Send + Sync {
    /// The vendor crate name (`"interfax"`, `"westfax"`, …).
    fn vendor(&self) -> &'static str;

    /// Sends a fax. Never retried: an error after the request left may mean the fax was queued anyway, and is
    /// reported as [`Error::Ambiguous`] carrying the request's idempotency key.
    ///
    /// One fax id per call: vendors whose one job takes several recipients (Retarus, WestFax) send them all
    /// and return the job's id; the others refuse a second recipient with [`Error::InvalidInput`]. Use
    /// [`send_each`](FaxService::send_each) for an outcome per recipient on every vendor.
    async fn send(&self, request: &SendRequest) -> Result<FaxId>;

    /// Sends the same documents to every recipient of `request`, with one outcome per recipient, in the
    /// order given.
    ///
    /// Vendors with a native multi-recipient form use it (one job, its id in every outcome); the default sends
    /// one fax per recipient through [`send`](FaxService::send), with the idempotency key suffixed per
    /// recipient ([`recipient_key`]: `K#1`, `K#2`, …; `K` alone for a single recipient), and goes on after a
    /// recipient fails. Documents are then read once per recipient: paths and bytes can be, a
    /// [`Document::from_reader`] cannot (later recipients get [`Error::InvalidInput`]).
    ///
    /// # Errors
    /// Only for problems found before anything was sent (no recipient, no document); everything after is in
    /// the outcomes.
    async fn send_each(&self, request: &SendRequest) -> Result<Vec<RecipientOutcome>> {
        request.validate(self.vendor(), usize::MAX)?;
        let count = request.to.len();
        let mut out = Vec::with_capacity(count);
        for (index, to) in request.to.iter().enumerate() {
            let mut one = request.clone();
            one.to = vec![to.clone()];
            one.idempotency_key = request.idempotency_key.as_deref().map(|k| recipient_key(k, index, count));
            let result = self.send(&one).await;
            out.push(RecipientOutcome { to: to.clone(), key: one.idempotency_key, result });
        }
        Ok(out)
    }

    /// The current status of an outbound fax.
    async fn status(&self, id: &FaxId) -> Result<FaxStatus>;

    /// Cancels an outbound fax that has not been sent yet.
    async fn cancel(&self, id: &FaxId) -> Result<()>;

    /// Lists received faxes, newest first where the vendor orders them.
    async fn list_inbound(&self, query: &InboundQuery) -> Result<Vec<InboundFax>>;

    /// Downloads a fax image, streamed.
    async fn download(&self, id: &FaxId, direction: Direction) -> Result<Download>;

    /// Acknowledges a received fax (mark read, mark downloaded, ack, as the vendor calls it). Never deletes.
    async fn acknowledge(&self, id: &FaxId) -> Result<()>;

    /// Finds the fax a send with idempotency key `key` created, after an [`Error::Ambiguous`] outcome or a
    /// crash. `sent_after` bounds the search where the vendor searches by time. The default says the vendor
    /// cannot be searched.
    async fn reconcile(&self, key: &str, sent_after: Option<Timestamp>) -> Result<Reconciliation> {
        let _ = (key, sent_after);
        Ok(Reconciliation::Unsupported(format!("{} offers no search by client reference", self.vendor())))
    }

    /// The vendor's inbound primitives for an inbox engine (`faxkit-store`). The default lists unread faxes,
    /// downloads and acknowledges through this trait ([`ServiceInbound`](crate::inbound::ServiceInbound));
    /// vendor crates with better primitives (locks, time windows) return their own.
    fn inbound_source(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn crate::inbound::InboundSource>
    where
        Self: 'static,
    {
        std::sync::Arc::new(crate::inbound::ServiceInbound::new(self))
    }

    /// Polls [`status`](FaxService::status) until the fax reaches a final status or the timeout passes.
    ///
    /// # Errors
    /// [`Error::Timeout`] when the fax is still in progress after `options.timeout`.
    async fn wait(&self, id: &FaxId, options: &WaitOptions) -> Result<FaxStatus> {
        let start = tokio::time::Instant::now();
        loop {
            let status = self.status(id).await?;
            if status.status.is_final() {
                return Ok(status);
            }
            if start.elapsed() + options.interval > options.timeout {
                return Err(Error::Timeout { vendor: self.vendor(), elapsed: start.elapsed() });
            }
            tokio::time::sleep(options.interval).await;
        }
    }
}
