//! [`MemoryStore`]: the store for tests and single-process use without a database.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::{
    BeginSend, Claim, Failed, FaxKey, InboxRecord, InboxState, Lease, SendOutcome, SendRecord, SendState, now_ms,
    outcome_columns, ts,
};
use crate::store::Store;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Row {
    state: InboxState,
    attempts: u32,
    owner: Option<String>,
    token: i64,
    lease_until: Option<i64>,
    next_at: Option<i64>,
    last_error: Option<String>,
    updated: i64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SendRow {
    vendor: String,
    state: SendState,
    fax_id: Option<String>,
    fingerprint: String,
    owner: Option<String>,
    token: i64,
    lease_until: Option<i64>,
    error: Option<String>,
    created: i64,
    updated: i64,
}

/// The whole state of a memory or file store; the operations below are the one implementation of the
/// [`Store`] semantics outside SQL.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct State {
    #[serde(with = "pairs")]
    inbox: BTreeMap<FaxKey, Row>,
    sends: BTreeMap<String, SendRow>,
}

/// The inbox map as a list of `[source, fax_id, row]` (JSON object keys must be strings).
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Row;
    use crate::model::FaxKey;

    pub(super) fn serialize<S: Serializer>(map: &BTreeMap<FaxKey, Row>, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<(&str, &str, &Row)> =
            map.iter().map(|(k, r)| (k.source.as_str(), k.fax_id.as_str(), r)).collect();
        list.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<FaxKey, Row>, D::Error> {
        let list: Vec<(String, String, Row)> = Vec::deserialize(d)?;
        Ok(list.into_iter().map(|(s, f, r)| (FaxKey::new(s, f), r)).collect())
    }
}

/// A store in this process's memory: the same semantics as the SQL stores, nothing survives the process.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::time::Duration;
/// use faxkit_store::{Claim, FaxKey, MemoryStore, Store};
///
/// let store = MemoryStore::new();
/// let key = FaxKey::new("interfax", "42");
/// let Claim::Claimed(lease) = store.claim(&key, "worker-1", Duration::from_secs(30), 5).await? else { panic!() };
/// assert_eq!(store.claim(&key, "worker-2", Duration::from_secs(30), 5).await?, Claim::Busy);
/// store.complete(&lease).await?;
/// assert_eq!(store.claim(&key, "worker-2", Duration::from_secs(30), 5).await?, Claim::Done { acknowledged: false });
/// # Ok::<(), faxkit_store::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<State>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

fn fenced(key: impl ToString, token: i64) -> Error {
    Error::Fenced { key: key.to_string(), token }
}

fn record(key: &FaxKey, row: &Row) -> InboxRecord {
    InboxRecord {
        key: key.clone(),
        state: row.state,
        attempts: row.attempts,
        owner: row.owner.clone(),
        token: row.token,
        lease_until: row.lease_until.map(ts),
        last_error: row.last_error.clone(),
        updated_at: ts(row.updated),
    }
}

fn send_record(key: &str, row: &SendRow) -> SendRecord {
    SendRecord {
        key: key.to_owned(),
        vendor: row.vendor.clone(),
        state: row.state,
        fax_id: row.fax_id.clone(),
        fingerprint: row.fingerprint.clone(),
        owner: row.owner.clone(),
        token: row.token,
        lease_until: row.lease_until.map(ts),
        error: row.error.clone(),
        created_at: ts(row.created),
        updated_at: ts(row.updated),
    }
}

impl State {
    pub(crate) fn claim(&mut self, key: &FaxKey, owner: &str, lease: Duration, max_attempts: u32) -> Result<Claim> {
        let now = now_ms();
        let inner = self;
        let Some(row) = inner.inbox.get_mut(key) else {
            inner.inbox.insert(
                key.clone(),
                Row {
                    state: InboxState::Claimed,
                    attempts: 1,
                    owner: Some(owner.to_owned()),
                    token: 1,
                    lease_until: Some(now + ms(lease)),
                    next_at: None,
                    last_error: None,
                    updated: now,
                },
            );
            return Ok(Claim::Claimed(Lease { key: key.clone(), owner: owner.to_owned(), token: 1, attempt: 1 }));
        };
        let free = match row.state {
            InboxState::Done => return Ok(Claim::Done { acknowledged: false }),
            InboxState::Acknowledged => return Ok(Claim::Done { acknowledged: true }),
            InboxState::Dead => return Ok(Claim::Dead),
            InboxState::Claimed => row.lease_until.is_none_or(|until| until <= now),
            InboxState::Retry => row.next_at.is_none_or(|at| at <= now),
        };
        if !free {
            return Ok(Claim::Busy);
        }
        if row.attempts >= max_attempts {
            row.state = InboxState::Dead;
            row.lease_until = None;
            row.updated = now;
            if row.last_error.is_none() {
                row.last_error = Some(format!("{} claims without a result", row.attempts));
            }
            return Ok(Claim::Dead);
        }
        row.state = InboxState::Claimed;
        row.owner = Some(owner.to_owned());
        row.token += 1;
        row.attempts += 1;
        row.lease_until = Some(now + ms(lease));
        row.updated = now;
        Ok(Claim::Claimed(Lease { key: key.clone(), owner: owner.to_owned(), token: row.token, attempt: row.attempts }))
    }

    pub(crate) fn renew(&mut self, lease: &Lease, duration: Duration) -> Result<bool> {
        let now = now_ms();
        let inner = self;
        match inner.inbox.get_mut(&lease.key) {
            Some(row) if row.token == lease.token && row.state == InboxState::Claimed => {
                row.lease_until = Some(now + ms(duration));
                row.updated = now;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    pub(crate) fn complete(&mut self, lease: &Lease) -> Result<()> {
        let inner = self;
        match inner.inbox.get_mut(&lease.key) {
            Some(row) if row.token == lease.token && row.state == InboxState::Claimed => {
                row.state = InboxState::Done;
                row.lease_until = None;
                row.updated = now_ms();
                Ok(())
            }
            _ => Err(fenced(&lease.key, lease.token)),
        }
    }

    pub(crate) fn acknowledged(&mut self, key: &FaxKey) -> Result<()> {
        let inner = self;
        if let Some(row) = inner.inbox.get_mut(key).filter(|r| r.state == InboxState::Done) {
            row.state = InboxState::Acknowledged;
            row.updated = now_ms();
        }
        Ok(())
    }

    pub(crate) fn fail(&mut self, lease: &Lease, error: &str, max_attempts: u32, backoff: Duration) -> Result<Failed> {
        let now = now_ms();
        let inner = self;
        match inner.inbox.get_mut(&lease.key) {
            Some(row) if row.token == lease.token && row.state == InboxState::Claimed => {
                row.lease_until = None;
                row.last_error = Some(error.to_owned());
                row.updated = now;
                if row.attempts >= max_attempts {
                    row.state = InboxState::Dead;
                    Ok(Failed::DeadLettered)
                } else {
                    row.state = InboxState::Retry;
                    row.next_at = Some(now + ms(backoff));
                    Ok(Failed::RetryIn(u64::try_from(ms(backoff)).unwrap_or(0)))
                }
            }
            _ => Err(fenced(&lease.key, lease.token)),
        }
    }

    pub(crate) fn postpone(&mut self, lease: &Lease, error: &str, backoff: Duration) -> Result<()> {
        let now = now_ms();
        match self.inbox.get_mut(&lease.key) {
            Some(row) if row.token == lease.token && row.state == InboxState::Claimed => {
                row.state = InboxState::Retry;
                row.attempts = row.attempts.saturating_sub(1);
                row.lease_until = None;
                row.next_at = Some(now + ms(backoff));
                row.last_error = Some(error.to_owned());
                row.updated = now;
                Ok(())
            }
            _ => Err(fenced(&lease.key, lease.token)),
        }
    }

    pub(crate) fn release(&mut self, lease: &Lease) -> Result<()> {
        let now = now_ms();
        let inner = self;
        if let Some(row) =
            inner.inbox.get_mut(&lease.key).filter(|r| r.token == lease.token && r.state == InboxState::Claimed)
        {
            row.state = InboxState::Retry;
            row.attempts = row.attempts.saturating_sub(1);
            row.lease_until = None;
            row.next_at = Some(now);
            row.updated = now;
        }
        Ok(())
    }

    pub(crate) fn due(&mut self, source: &str, limit: u32) -> Result<Vec<FaxKey>> {
        let now = now_ms();
        let mut due: Vec<(&FaxKey, &Row)> = self
            .inbox
            .iter()
            .filter(|(k, r)| {
                k.source == source
                    && match r.state {
                        InboxState::Claimed => r.lease_until.is_none_or(|until| until <= now),
                        InboxState::Retry => r.next_at.is_none_or(|at| at <= now),
                        InboxState::Done => true,
                        InboxState::Acknowledged | InboxState::Dead => false,
                    }
            })
            .collect();
        due.sort_by_key(|(_, r)| r.updated);
        Ok(due.into_iter().take(limit as usize).map(|(k, _)| k.clone()).collect())
    }

    pub(crate) fn inbox(&mut self, state: Option<InboxState>) -> Result<Vec<InboxRecord>> {
        let inner = &*self;
        let mut out: Vec<InboxRecord> =
            inner.inbox.iter().filter(|(_, r)| state.is_none_or(|s| r.state == s)).map(|(k, r)| record(k, r)).collect();
        out.sort_by_key(|r| r.updated_at);
        Ok(out)
    }

    pub(crate) fn requeue(&mut self, key: &FaxKey) -> Result<bool> {
        let now = now_ms();
        let inner = self;
        match inner.inbox.get_mut(key) {
            Some(row) if row.state == InboxState::Dead => {
                row.state = InboxState::Retry;
                row.attempts = 0;
                row.next_at = Some(now);
                row.updated = now;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    pub(crate) fn begin_send(
        &mut self,
        key: &str,
        vendor: &str,
        fingerprint: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<BeginSend> {
        let now = now_ms();
        let inner = self;
        let Some(row) = inner.sends.get_mut(key) else {
            inner.sends.insert(
                key.to_owned(),
                SendRow {
                    vendor: vendor.to_owned(),
                    state: SendState::Intent,
                    fax_id: None,
                    fingerprint: fingerprint.to_owned(),
                    owner: Some(owner.to_owned()),
                    token: 1,
                    lease_until: Some(now + ms(lease)),
                    error: None,
                    created: now,
                    updated: now,
                },
            );
            return Ok(BeginSend::Fresh(1));
        };
        let before = send_record(key, row);
        if row.fingerprint != fingerprint {
            return Ok(BeginSend::Mismatch(before));
        }
        let takeover = match row.state {
            SendState::Sent => return Ok(BeginSend::Sent(before)),
            SendState::Intent => row.lease_until.is_none_or(|until| until <= now),
            SendState::Failed | SendState::Ambiguous => true,
        };
        if !takeover {
            return Ok(BeginSend::InProgress(before));
        }
        row.state = SendState::Intent;
        row.owner = Some(owner.to_owned());
        row.token += 1;
        row.lease_until = Some(now + ms(lease));
        row.updated = now;
        Ok(match before.state {
            SendState::Failed => BeginSend::Retry(row.token),
            _ => BeginSend::Reconcile(row.token, before),
        })
    }

    pub(crate) fn finish_send(&mut self, key: &str, token: i64, outcome: &SendOutcome) -> Result<()> {
        let inner = self;
        match inner.sends.get_mut(key) {
            Some(row) if row.token == token && row.state == SendState::Intent => {
                let (state, fax_id, error) = outcome_columns(outcome);
                row.state = state;
                row.fax_id = fax_id.map(str::to_owned);
                row.error = error.map(str::to_owned);
                row.lease_until = None;
                row.updated = now_ms();
                Ok(())
            }
            _ => Err(fenced(key, token)),
        }
    }

    pub(crate) fn send_record(&mut self, key: &str) -> Result<Option<SendRecord>> {
        Ok(self.sends.get(key).map(|r| send_record(key, r)))
    }

    pub(crate) fn sends(&mut self) -> Result<Vec<SendRecord>> {
        let inner = &*self;
        let mut out: Vec<SendRecord> = inner.sends.iter().map(|(k, r)| send_record(k, r)).collect();
        out.sort_by_key(|r| r.created_at);
        Ok(out)
    }
}

#[async_trait::async_trait]
impl Store for MemoryStore {
    fn describe(&self) -> String {
        "memory".to_owned()
    }

    async fn claim(&self, key: &FaxKey, owner: &str, lease: Duration, max_attempts: u32) -> Result<Claim> {
        self.lock().claim(key, owner, lease, max_attempts)
    }

    async fn renew(&self, lease: &Lease, duration: Duration) -> Result<bool> {
        self.lock().renew(lease, duration)
    }

    async fn complete(&self, lease: &Lease) -> Result<()> {
        self.lock().complete(lease)
    }

    async fn acknowledged(&self, key: &FaxKey) -> Result<()> {
        self.lock().acknowledged(key)
    }

    async fn fail(&self, lease: &Lease, error: &str, max_attempts: u32, backoff: Duration) -> Result<Failed> {
        self.lock().fail(lease, error, max_attempts, backoff)
    }

    async fn postpone(&self, lease: &Lease, error: &str, backoff: Duration) -> Result<()> {
        self.lock().postpone(lease, error, backoff)
    }

    async fn release(&self, lease: &Lease) -> Result<()> {
        self.lock().release(lease)
    }

    async fn due(&self, source: &str, limit: u32) -> Result<Vec<FaxKey>> {
        self.lock().due(source, limit)
    }

    async fn inbox(&self, state: Option<InboxState>) -> Result<Vec<InboxRecord>> {
        self.lock().inbox(state)
    }

    async fn requeue(&self, key: &FaxKey) -> Result<bool> {
        self.lock().requeue(key)
    }

    async fn begin_send(
        &self,
        key: &str,
        vendor: &str,
        fingerprint: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<BeginSend> {
        self.lock().begin_send(key, vendor, fingerprint, owner, lease)
    }

    async fn finish_send(&self, key: &str, token: i64, outcome: &SendOutcome) -> Result<()> {
        self.lock().finish_send(key, token, outcome)
    }

    async fn send_record(&self, key: &str) -> Result<Option<SendRecord>> {
        self.lock().send_record(key)
    }

    async fn sends(&self) -> Result<Vec<SendRecord>> {
        self.lock().sends()
    }
}
