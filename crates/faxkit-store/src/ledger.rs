//! [`SendLedger`]: sends that never double and never vanish.
//!
//! The intent is committed to the store before the request and the vendor's fax id after it, under the
//! caller's idempotency key. A key already sent returns its recorded id without a request (like a payment
//! API's idempotency key); a key whose earlier attempt has no recorded outcome (its process died, or the
//! outcome was [ambiguous](faxkit::Error::Ambiguous)) is reconciled with the vendor
//! ([`FaxService::reconcile`]) before anything is sent again; a vendor that cannot be searched leaves it
//! ambiguous, never guessed.

use std::sync::Arc;
use std::time::Duration;

use faxkit::{ErrorKind, FaxId, FaxNumber, FaxService, Reconciliation, SendRequest};

use crate::engine::default_owner;
use crate::error::{Error, Result};
use crate::model::{BeginSend, Fnv1a, SendOutcome, SendRecord, SendState};
use crate::store::Store;

/// The durable send ledger over a [`Store`].
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use faxkit::{Document, FaxNumber, SendRequest};
/// use faxkit_store::{MemoryStore, SendLedger};
///
/// let sandbox = interfax::sandbox::Sandbox::start().await?;
/// let fax = sandbox.client();
/// let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
/// let request = SendRequest::new(FaxNumber::parse("+12125550100")?, Document::from_bytes("%PDF-1.4", "a.pdf"))
///     .idempotency_key("referral-1042");
/// let first = ledger.send(&fax, &request).await?;
/// let again = ledger.send(&fax, &request).await?; // no request: the recorded id
/// assert_eq!(first, again);
/// assert_eq!(sandbox.sent_faxes().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct SendLedger {
    store: Arc<dyn Store>,
    owner: String,
    lease: Duration,
}

impl std::fmt::Debug for SendLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendLedger")
            .field("store", &self.store.describe())
            .field("owner", &self.owner)
            .field("lease", &self.lease)
            .finish()
    }
}

/// A fingerprint of what a request sends: recipients and document names, FNV-1a 64 in hex. A key reused with
/// another fingerprint is refused.
pub fn fingerprint(request: &SendRequest) -> String {
    let mut h = Fnv1a::new();
    for part in
        request.to.iter().map(FaxNumber::e164).chain(request.documents.iter().map(|d| d.name().unwrap_or_default()))
    {
        h.write(part.as_bytes());
        h.write(&[0xff]); // a separator, so ("ab", "c") and ("a", "bc") differ
    }
    format!("{:016x}", h.0)
}

/// Whether an error proves the vendor did not take the send: the connection could not be opened, the input
/// was refused before any request, or the vendor answered with a refusal (4xx, its own error code).
/// Everything else (ambiguous, timeouts, resets, 5xx, undecodable answers) may have reached it.
fn certainly_not_sent(e: &faxkit::Error) -> bool {
    if e.is_ambiguous() {
        return false;
    }
    if e.is_not_sent() {
        return true;
    }
    match e.kind() {
        ErrorKind::InvalidInput | ErrorKind::Auth | ErrorKind::Unsupported | ErrorKind::RateLimited => true,
        ErrorKind::NotFound | ErrorKind::Vendor | ErrorKind::HttpStatus => e.status().is_some_and(|s| s < 500),
        _ => false,
    }
}

impl SendLedger {
    /// A ledger over `store`; intents hold for 10 minutes (a send taking longer can be taken over).
    pub fn new(store: Arc<dyn Store>) -> SendLedger {
        SendLedger { store, owner: default_owner(), lease: Duration::from_secs(600) }
    }

    /// Names this worker (default: [`default_owner`]).
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = owner.into();
        self
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Sends `request` through `service` at most once per idempotency key.
    ///
    /// # Errors
    /// - [`Error::Send`] without a key, for a key reused with another request, or while another worker holds
    ///   the key's intent;
    /// - [`Error::Fax`] with [`faxkit::Error::Ambiguous`] when the outcome is unknown (recorded as
    ///   ambiguous; the next send with this key reconciles first);
    /// - [`Error::Fax`] with the vendor's error when it certainly refused (recorded as failed; the next send
    ///   with this key tries again).
    pub async fn send(&self, service: &dyn FaxService, request: &SendRequest) -> Result<FaxId> {
        let key = request.idempotency_key.clone().ok_or_else(|| Error::Send {
            key: String::new(),
            message: "a ledgered send needs an idempotency key".into(),
        })?;
        let vendor = service.vendor();
        let span = tracing::info_span!("ledger.send", key = %key, vendor);
        let _enter = span.enter();
        match self.store.begin_send(&key, vendor, &fingerprint(request), &self.owner, self.lease).await? {
            BeginSend::Sent(record) => Ok(FaxId::new(record.fax_id.unwrap_or_default())),
            BeginSend::InProgress(record) => Err(Error::Send {
                key,
                message: format!(
                    "another worker ({}) holds this send's intent; try again after it ends",
                    record.owner.unwrap_or_default()
                ),
            }),
            BeginSend::Mismatch(_) => {
                Err(Error::Send { key, message: "this idempotency key was used for a different request".into() })
            }
            BeginSend::Fresh(token) | BeginSend::Retry(token) => self.attempt(service, request, &key, token).await,
            BeginSend::Reconcile(token, record) => {
                if record.vendor != vendor {
                    let message = format!("the earlier attempt went to {}; reconcile it there", record.vendor);
                    self.store.finish_send(&key, token, &SendOutcome::Ambiguous(message.clone())).await?;
                    return Err(Error::Send { key, message });
                }
                match self.reconcile(service, &key, token, &record).await? {
                    Some(id) => Ok(id),
                    None => self.attempt(service, request, &key, token).await,
                }
            }
        }
    }

    /// Asks the vendor about an earlier attempt: `Some(id)` when found (recorded as sent), `None` when the
    /// vendor certainly holds no such fax (the caller may send), an error when it cannot tell (recorded as
    /// ambiguous).
    async fn reconcile(
        &self,
        service: &dyn FaxService,
        key: &str,
        token: i64,
        record: &SendRecord,
    ) -> Result<Option<FaxId>> {
        let since = record.created_at.checked_sub(jiff::SignedDuration::from_secs(3600)).ok();
        let answer = service.reconcile(key, since).await;
        tracing::info!(?answer, "ledger: reconciled an earlier attempt");
        let why = match answer {
            Ok(Reconciliation::Found(id)) => {
                self.store.finish_send(key, token, &SendOutcome::Sent(id.to_string())).await?;
                return Ok(Some(id));
            }
            Ok(Reconciliation::NotFound) => return Ok(None),
            Ok(Reconciliation::Unsupported(why)) => why,
            Ok(other) => format!("{other:?}"),
            Err(e) => format!("reconciliation failed: {e}"),
        };
        self.store.finish_send(key, token, &SendOutcome::Ambiguous(why.clone())).await?;
        Err(Error::Fax(faxkit::Error::ambiguous(
            service.vendor(),
            Some(key.to_owned()),
            format!("an earlier attempt may have reached {}: {why}", service.vendor()),
        )))
    }

    async fn attempt(&self, service: &dyn FaxService, request: &SendRequest, key: &str, token: i64) -> Result<FaxId> {
        match service.send(request).await {
            Ok(id) => {
                self.store.finish_send(key, token, &SendOutcome::Sent(id.to_string())).await?;
                Ok(id)
            }
            Err(e) if certainly_not_sent(&e) => {
                self.store.finish_send(key, token, &SendOutcome::Failed(e.to_string())).await?;
                Err(Error::Fax(e))
            }
            Err(e) => {
                self.store.finish_send(key, token, &SendOutcome::Ambiguous(e.to_string())).await?;
                Err(Error::Fax(if e.is_ambiguous() {
                    e
                } else {
                    faxkit::Error::ambiguous(e.vendor(), Some(key.to_owned()), e)
                }))
            }
        }
    }

    /// Reconciles every send of `service`'s vendor whose outcome is unknown (an intent whose worker died, or
    /// an ambiguous outcome): found at the vendor → sent with its id; certainly not there → failed (a send with
    /// the key may try again); the vendor cannot tell → stays ambiguous. Run it at start, before sending.
    ///
    /// # Errors
    /// Store errors; vendor errors are recorded per send, not returned.
    pub async fn recover(&self, service: &dyn FaxService) -> Result<Vec<SendRecord>> {
        let mut out = Vec::new();
        for record in self.store.sends().await? {
            let open = matches!(record.state, SendState::Intent | SendState::Ambiguous);
            if !open || record.vendor != service.vendor() {
                continue;
            }
            let begin = self
                .store
                .begin_send(&record.key, &record.vendor, &record.fingerprint, &self.owner, self.lease)
                .await?;
            if let BeginSend::Reconcile(token, earlier) = begin {
                match self.reconcile(service, &record.key, token, &earlier).await {
                    Ok(Some(_)) | Err(Error::Fax(_)) => {}
                    Ok(None) => {
                        let note = SendOutcome::Failed("not at the vendor when reconciled".into());
                        self.store.finish_send(&record.key, token, &note).await?;
                    }
                    Err(e) => return Err(e),
                }
                if let Some(now) = self.store.send_record(&record.key).await? {
                    out.push(now);
                }
            }
        }
        Ok(out)
    }
}

faxkit::setters!(SendLedger {
    plain {
        /// How long an intent holds before another worker may reconcile it (default 10 minutes). It must be
        /// longer than the slowest send.
        lease: Duration,
    }
});
