//! [`ReceivedFaxesSource`]: Fax2's received faxes as a [`faxkit::InboundSource`], for an inbox engine.
//!
//! Fax2 keeps no read state (there is no mark-read call), so the source says
//! [`acknowledges`](InboundSource::acknowledges)` == false`: the engine's own store remembers what it handed
//! over, deduplicating by id. What the source adds is a **window**, so repeated polls do not list the whole
//! history every time while never skipping a late fax:
//!
//! * the first poll lists everything (or from [`start_at`](ReceivedFaxesSource::start_at) − overlap);
//! * each poll lists `received_faxes?from_time=W` to the end (every page), and answers the `limit` oldest
//!   faxes of that list;
//! * then `W` becomes `latest − overlap`, where `latest` is the latest `received_at` of the whole list and
//!   overlap is 5 minutes ([`OVERLAP`]) unless set longer — or the `received_at` of the oldest fax that was
//!   listed but not answered because of `limit`, when that is earlier.
//!
//! This is Fax2's one documented guarantee (Fax2 API, "Processing received faxes"): a fax not listed before
//! has a `received_at` no more than 5 minutes before the latest `received_at` of the previous answer. So a
//! fax arriving late inside the overlap is listed by the next poll; faxes inside the overlap are listed more
//! than once and the engine skips them by id. The window lives in memory: a new source (a restarted process)
//! lists from the beginning again, or from `start_at`, and the engine's store skips what it already has.
//! `W` only moves after a poll succeeds.

use std::collections::HashSet;
use std::sync::Mutex;

use faxkit::{Download, Error, InboundFax, InboundItem, InboundSource, Result};
use futures::TryStreamExt;
use jiff::{SignedDuration, Timestamp};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{ReceivedFax, ReceivedFaxId, ServiceId};
use crate::poller::OVERLAP;
use crate::received_faxes::{MAX_LIMIT, ReceivedFaxesHandler};

/// Received faxes as an inbound source; get one with [`ReceivedFaxesHandler::inbound_source`] or through
/// [`FaxService::inbound_source`](faxkit::FaxService::inbound_source).
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # let sandbox = fax2::sandbox::Sandbox::start().await?;
/// # sandbox.inject_received(bytes::Bytes::from_static(b"%PDF-1.4 fax")).await;
/// # let client = sandbox.client();
/// use faxkit::InboundSource;
///
/// let source = client.received_faxes().inbound_source();
/// assert!(!source.acknowledges()); // Fax2 keeps no read state: the engine's store remembers
/// let items = source.poll(100).await?;
/// let pdf = source.download(&items[0]).await?.bytes(20 << 20).await?;
/// # assert_eq!(&pdf[..], b"%PDF-1.4 fax");
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug)]
pub struct ReceivedFaxesSource {
    client: Client,
    service_id: Option<ServiceId>,
    overlap: SignedDuration,
    /// `from_time` of the next poll (`None`: from the beginning).
    from_time: Mutex<Option<Timestamp>>,
}

impl ReceivedFaxesHandler {
    /// Received faxes as a [`faxkit::InboundSource`] (see [`ReceivedFaxesSource`]).
    pub fn inbound_source(&self) -> ReceivedFaxesSource {
        ReceivedFaxesSource {
            client: self.client().clone(),
            service_id: None,
            overlap: OVERLAP,
            from_time: Mutex::new(None),
        }
    }
}

impl ReceivedFaxesSource {
    /// Only faxes of one fax service (`fax_services/{service_id}/received_faxes`).
    #[must_use]
    pub fn service(mut self, service_id: impl Into<Option<ServiceId>>) -> Self {
        self.service_id = service_id.into();
        self
    }

    /// The overlap kept below the latest `received_at` (default and minimum: 5 minutes, Fax2's guarantee).
    #[must_use]
    pub fn overlap(mut self, overlap: SignedDuration) -> Self {
        self.overlap = overlap.max(OVERLAP);
        self
    }

    /// Where the first poll starts: faxes received before `time` − overlap are never listed. Without it the
    /// first poll lists the whole history.
    #[must_use]
    pub fn start_at(self, time: impl Into<Option<Timestamp>>) -> Self {
        let from = time.into().map(|t| minus(t, self.overlap));
        if let Ok(mut slot) = self.from_time.lock() {
            *slot = from;
        }
        self
    }

    /// The `from_time` the next poll sends (`None`: from the beginning).
    pub fn window_start(&self) -> Option<Timestamp> {
        self.from_time.lock().ok().and_then(|t| *t)
    }

    fn set_window_start(&self, from: Option<Timestamp>) {
        if let Ok(mut slot) = self.from_time.lock() {
            *slot = from;
        }
    }
}

/// `t − d`, saturating (vendor times never panic).
fn minus(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.saturating_sub(d).unwrap_or(Timestamp::MIN)
}

/// The faxes to answer (the `limit` oldest, in `received_at` order) and the next window start.
fn window(
    mut listed: Vec<ReceivedFax>,
    limit: usize,
    overlap: SignedDuration,
) -> (Vec<ReceivedFax>, Option<Timestamp>) {
    let mut ids = HashSet::new();
    listed.retain(|f| ids.insert(f.id.clone()));
    listed.sort_by(|a, b| a.received_at.cmp(&b.received_at).then_with(|| a.id.cmp(&b.id)));
    let Some(latest) = listed.iter().map(|f| f.received_at).max() else {
        return (listed, None);
    };
    let mut next = minus(latest, overlap);
    if let Some(first_left) = listed.get(limit) {
        next = next.min(first_left.received_at);
    }
    listed.truncate(limit);
    (listed, Some(next))
}

#[faxkit::async_trait]
impl InboundSource for ReceivedFaxesSource {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    /// `fax2`, or `fax2:<service id>` for a source over one fax service.
    fn name(&self) -> String {
        match &self.service_id {
            Some(s) => format!("{VENDOR}:{s}"),
            None => VENDOR.to_owned(),
        }
    }

    async fn poll(&self, limit: u32) -> Result<Vec<InboundItem>> {
        let from = self.window_start();
        let listed: Vec<ReceivedFax> = self
            .client
            .received_faxes()
            .list()
            .service(self.service_id.clone())
            .limit(MAX_LIMIT)
            .from_time(from)
            .stream()
            .try_collect()
            .await?;
        let (faxes, next) = window(listed, limit as usize, self.overlap);
        if let Some(next) = next {
            self.set_window_start(Some(next));
        }
        Ok(faxes.into_iter().map(|f| InboundItem::new(InboundFax::from(f))).collect())
    }

    async fn download(&self, item: &InboundItem) -> Result<Download> {
        self.client.received_faxes().content(&ReceivedFaxId::from(&item.fax.id)).await
    }

    /// Fax2 keeps no read state: [`Error::Unsupported`], without a request. The engine does not call it,
    /// since [`acknowledges`](InboundSource::acknowledges) is `false`.
    async fn acknowledge(&self, _item: &InboundItem) -> Result<()> {
        Err(Error::unsupported(VENDOR, "acknowledge (the Fax2 API keeps no read state)"))
    }

    fn acknowledges(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn fax(id: &str, at: &str) -> ReceivedFax {
        serde_json::from_value(serde_json::json!({
            "id": id, "to": "61281234567", "received_at": at, "service_id": "svc", "pages": 1
        }))
        .unwrap()
    }

    #[test]
    fn the_window_moves_to_the_latest_minus_the_overlap() {
        let listed =
            vec![fax("b", "2024-01-01T10:10:00Z"), fax("a", "2024-01-01T10:00:00Z"), fax("b", "2024-01-01T10:10:00Z")];
        let (faxes, next) = window(listed, 10, OVERLAP);
        assert_eq!(faxes.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["a", "b"], "oldest first, once");
        assert_eq!(next.unwrap().to_string(), "2024-01-01T10:05:00Z");
    }

    #[test]
    fn faxes_left_out_by_the_limit_stay_in_the_window() {
        let listed =
            vec![fax("a", "2024-01-01T09:00:00Z"), fax("b", "2024-01-01T09:30:00Z"), fax("c", "2024-01-01T10:00:00Z")];
        let (faxes, next) = window(listed, 1, OVERLAP);
        assert_eq!(faxes.len(), 1);
        assert_eq!(next.unwrap().to_string(), "2024-01-01T09:30:00Z", "b was not answered: the next poll lists it");
        let (faxes, next) = window(Vec::new(), 5, OVERLAP);
        assert!(faxes.is_empty() && next.is_none(), "an empty list keeps the window");
    }
}
