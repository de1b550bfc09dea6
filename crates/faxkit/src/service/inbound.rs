//! The inbound primitives an inbox engine drives: [`InboundSource`].
//!
//! An inbox engine (the `faxkit-store` crate) turns these primitives into "every received fax handed over
//! once, acknowledged only after": it polls a source, claims each fax in a durable store, downloads it to a
//! durable sink, marks it done, and only then acknowledges it at the vendor. This module holds only the
//! vendor side of that contract, so the engine knows no vendor and no vendor knows the engine.
//!
//! Every [`FaxService`] has a source through [`FaxService::inbound_source`]: by default
//! [`ServiceInbound`] (list unread, download, acknowledge); vendor crates with better primitives return their
//! own (Retarus locks jobs for a limited time; Fax2 keeps no read state and lists by time window).
//!
//! ```
//! use std::sync::Arc;
//! use faxkit::{FaxService, InboundSource};
//!
//! async fn print_waiting(service: Arc<dyn FaxService>) -> faxkit::Result<()> {
//!     let source = service.inbound_source();
//!     for item in source.poll(50).await? {
//!         println!("{}: {} from {:?}", source.name(), item.fax.id, item.fax.from);
//!     }
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::sync::Arc;

use tokio::time::Instant;

use crate::error::Result;
use crate::service::{Direction, Download, FaxId, FaxService, InboundFax, InboundQuery};

/// One received fax as a source hands it out.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct InboundItem {
    /// The fax, vendor-neutral.
    pub fax: InboundFax,
    /// What the source needs, beyond the id, to download and acknowledge this fax (a document URL, a lock
    /// handle). Opaque to the engine; never a secret.
    pub handle: Option<String>,
    /// When the vendor's lock on this fax ends, for vendors that lock what they hand out (Retarus). After it
    /// the vendor may hand the fax to another consumer: the engine must not acknowledge it blindly.
    pub locked_until: Option<Instant>,
}

impl InboundItem {
    /// An item with no handle and no vendor lock.
    pub fn new(fax: InboundFax) -> Self {
        InboundItem { fax, handle: None, locked_until: None }
    }

    /// Sets the source's handle.
    pub fn with_handle(mut self, handle: impl Into<String>) -> Self {
        self.handle = Some(handle.into());
        self
    }

    /// Whether the vendor's lock (if any) still holds at `now`.
    pub fn lock_holds(&self, now: Instant) -> bool {
        self.locked_until.is_none_or(|until| now < until)
    }
}

crate::setters!(InboundItem {
    plain {
        /// Sets the end of the vendor's lock.
        locked_until: Instant,
    }
});

impl fmt::Debug for InboundItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboundItem")
            .field("id", &self.fax.id)
            .field("handle", &self.handle.as_ref().map(|_| ".."))
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

/// A vendor's inbound primitives: what an inbox engine needs to hand every received fax over once.
///
/// Implementations must make [`poll`](InboundSource::poll) return every fax that has not been acknowledged
/// (repeating faxes is fine: the engine deduplicates by id), and [`acknowledge`](InboundSource::acknowledge)
/// must never delete anything at the vendor.
#[async_trait::async_trait]
pub trait InboundSource: Send + Sync {
    /// The vendor crate name.
    fn vendor(&self) -> &'static str;

    /// The inbox's name in idempotency keys (`"<vendor>"` by default). Sources over several accounts of one
    /// vendor should name the account, so two inboxes never share keys.
    fn name(&self) -> String {
        self.vendor().to_owned()
    }

    /// Up to `limit` received faxes waiting to be handed over. Vendors that lock what they hand out lock
    /// these now and say until when in [`InboundItem::locked_until`].
    async fn poll(&self, limit: u32) -> Result<Vec<InboundItem>>;

    /// The fax's image, streamed.
    async fn download(&self, item: &InboundItem) -> Result<Download>;

    /// Tells the vendor the fax was handed over (mark read, mark downloaded, ack). Never deletes. Sources
    /// whose vendor locks faxes must refuse (return an error) rather than acknowledge a fax whose lock ended.
    async fn acknowledge(&self, item: &InboundItem) -> Result<()>;

    /// Extends the vendor's lock on `item`, for vendors that lock and allow it; returns the new end of the
    /// lock. The default extends nothing and returns the current end.
    async fn renew(&self, item: &InboundItem) -> Result<Option<Instant>> {
        Ok(item.locked_until)
    }

    /// An item for a fax known only by its id: a claim a crashed worker left, a failed fax waiting for its
    /// retry, a fax handed over but not yet acknowledged. Vendors whose listing hides a fax once it was
    /// downloaded (FaxCore) never list these again, so the engine drives them by id. The default builds an
    /// item from the id alone; sources that cannot download by id, and whose vendor hands the fax out again by
    /// itself (Retarus, after its lock), return `None`.
    fn resume(&self, id: &FaxId) -> Option<InboundItem> {
        Some(InboundItem::new(InboundFax::new(id.clone())))
    }

    /// Whether the vendor keeps acknowledged state. When `false` (Fax2) the engine's store alone remembers
    /// what was handed over, and [`acknowledge`](InboundSource::acknowledge) is not called.
    fn acknowledges(&self) -> bool {
        true
    }
}

/// The default [`InboundSource`] over any [`FaxService`]: `list_inbound` with `unread_only`, `download`
/// (inbound), `acknowledge`.
pub struct ServiceInbound<S: ?Sized> {
    service: Arc<S>,
}

impl<S: ?Sized> ServiceInbound<S> {
    /// A source over `service`.
    pub fn new(service: Arc<S>) -> Self {
        ServiceInbound { service }
    }
}

impl<S: ?Sized + FaxService> fmt::Debug for ServiceInbound<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceInbound").field("vendor", &self.service.vendor()).finish()
    }
}

#[async_trait::async_trait]
impl<S: ?Sized + FaxService + 'static> InboundSource for ServiceInbound<S> {
    fn vendor(&self) -> &'static str {
        self.service.vendor()
    }

    async fn poll(&self, limit: u32) -> Result<Vec<InboundItem>> {
        let query = InboundQuery::default().unread_only(true).limit(limit);
        let faxes = self.service.list_inbound(&query).await?;
        Ok(faxes.into_iter().filter(|f| f.acknowledged != Some(true)).map(InboundItem::new).collect())
    }

    async fn download(&self, item: &InboundItem) -> Result<Download> {
        self.service.download(&item.fax.id, Direction::Inbound).await
    }

    async fn acknowledge(&self, item: &InboundItem) -> Result<()> {
        self.service.acknowledge(&item.fax.id).await
    }
}
