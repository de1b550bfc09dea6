//! Outbound faxes: send, list, completed, record, image, cancel, resend, hide, search, and a polling helper.
//!
//! The listing and search builders live in `listing.rs`.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use faxkit::{Error, FaxNumber, Result};
use tokio::time::Instant;

use crate::VENDOR;
use crate::client::{Client, Request};
use crate::model::common::OutboundFaxId;
use crate::model::outbound::OutboundFax;
use crate::send::{FaxDocument, SendFax};

mod listing;

pub use listing::{ListFaxes, Search, SearchStatus};

/// Outbound fax operations; get one with [`Client::outbound`].
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # let client = sandbox.client();
/// use faxkit::{Document, FaxNumber};
/// use interfax::{PageSize, Resolution};
///
/// let outbound = client.outbound();
/// let id = outbound
///     .send_fax(FaxNumber::parse("+1 212 555 0100")?, Document::from_bytes("%PDF-1.4 invoice", "invoice.pdf"))
///     // Optional parameters
///     .page_size(PageSize::Letter)
///     .resolution(Resolution::Fine)
///     .reference("INV-42")
///     .send()
///     .await?;
/// let fax = outbound.get(id).await?;
/// assert_eq!(fax.id, id);
/// outbound.hide(id).await?;
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Outbound {
    client: Client,
}

impl Client {
    /// The outbound fax operations.
    pub fn outbound(&self) -> Outbound {
        Outbound::new(self.clone())
    }
}

impl Outbound {
    pub(crate) fn new(client: Client) -> Self {
        Outbound { client }
    }

    /// Starts a fax to one number (`POST /outbound/faxes?faxNumber=+…`). Add documents and options, then
    /// `.send().await`.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use faxkit::{Document, FaxNumber};
    /// use interfax::{FaxDocument, Rendering};
    /// let id = client.outbound()
    ///     .send_fax(FaxNumber::parse("+1 212 555 0100")?, Document::from_bytes("%PDF-1.4 cover", "cover.pdf"))
    ///     .document(FaxDocument::url("https://example.com/terms.pdf"))
    ///     .rendering(Rendering::BlackAndWhite)
    ///     .send()
    ///     .await?;
    /// # assert!(id.get() > 0);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn send_fax(&self, to: FaxNumber, document: impl Into<FaxDocument>) -> SendFax {
        SendFax::new(self.client.clone(), "outbound/faxes", ("faxNumber", to.e164()), document.into())
    }

    /// Lists faxes, newest first by default (`GET /outbound/faxes`); batch faxes are not included.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use futures::TryStreamExt;
    /// let page = client.outbound().list().limit(10).send().await?;
    /// let all: Vec<_> = client.outbound().list().limit(100).stream().try_collect().await?;
    /// # assert!(page.is_empty() && all.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn list(&self) -> ListFaxes {
        ListFaxes { client: self.client.clone(), limit: None, last_id: None, sort_order: None, user_id: None }
    }

    /// The completed faxes among `ids` (`GET /outbound/faxes/completed?ids=1,2,3`); faxes still in progress
    /// are left out. No request is made for an empty list.
    ///
    /// Ids go [`COMPLETED_IDS_PER_REQUEST`] to a request, as [`wait_for_completion`](Self::wait_for_completion)
    /// sends them, so the URL stays under InterFAX's 2,000 characters however many ids are given; the replies
    /// are concatenated in request order.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// let done = client.outbound().completed([id]).await?; // in progress: left out
    /// # assert!(done.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn completed(&self, ids: impl IntoIterator<Item = OutboundFaxId>) -> Result<Vec<OutboundFax>> {
        let ids: Vec<OutboundFaxId> = ids.into_iter().collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(COMPLETED_IDS_PER_REQUEST) {
            let joined = join_ids(chunk);
            let page: Vec<OutboundFax> = self
                .client
                .status_read(|| Request::get("outbound/faxes/completed").query("ids", joined.clone()))
                .await?;
            out.extend(page);
        }
        Ok(out)
    }

    /// One fax (`GET /outbound/faxes/{id}`).
    ///
    /// # Errors
    /// [`Error::NotFound`] (`-1005`) for an unknown id.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// let fax = client.outbound().get(id).await?;
    /// println!("{}: {:?}, {:?} pages sent", fax.id, fax.status.class(), fax.pages_sent);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn get(&self, id: OutboundFaxId) -> Result<OutboundFax> {
        self.client.status_read(|| Request::get(format!("outbound/faxes/{id}"))).await
    }

    /// The fax image, streamed with its content type (`image/tiff`) (`GET /outbound/faxes/{id}/image`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// let image = client.outbound().image(id).await?;
    /// assert_eq!(image.content_type, "image/tiff");
    /// image.save(&std::env::temp_dir().join(format!("{id}.tif"))).await?;
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn image(&self, id: OutboundFaxId) -> Result<faxkit::Download> {
        self.client.download(Request::get(format!("outbound/faxes/{id}/image"))).await
    }

    /// Cancels a fax still waiting to be sent (`POST /outbound/faxes/{id}/cancel`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// client.outbound().cancel(id).await?;
    /// # assert_eq!(client.outbound().get(id).await?.status, interfax::FaxStatusCode::CANCELLED_NO_CREDIT);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn cancel(&self, id: OutboundFaxId) -> Result<()> {
        self.client.confirmed(Request::post(format!("outbound/faxes/{id}/cancel")).idempotent()).await
    }

    /// Resends a fax, optionally to another number; the resent fax gets a new id
    /// (`POST /outbound/faxes/{id}/resend`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// let new_id = client.outbound().resend(id).fax_number(faxkit::FaxNumber::parse("+12125550111")?).send().await?;
    /// assert_ne!(new_id, id);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn resend(&self, id: OutboundFaxId) -> ResendFax {
        ResendFax { client: self.client.clone(), id, fax_number: None }
    }

    /// Hides a fax from listings, for good (`POST /outbound/faxes/{id}/hide`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// client.outbound().hide(id).await?;
    /// assert!(client.outbound().list().send().await?.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn hide(&self, id: OutboundFaxId) -> Result<()> {
        self.client.confirmed(Request::post(format!("outbound/faxes/{id}/hide")).idempotent()).await
    }

    /// Searches faxes, batch children included (`GET /outbound/search`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use interfax::StatusFamily;
    /// let failed = client.outbound().search().status(StatusFamily::Failed).reference("INV-42").send().await?;
    /// # assert!(failed.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn search(&self) -> Search {
        Search::default_for(self.client.clone())
    }

    /// Waits until every fax in `ids` completes, polling `/outbound/faxes/completed?ids=` in batches; never
    /// more than 6 requests per minute per fax (InterFAX answers `-1011` beyond that).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.outbound().send_fax(faxkit::FaxNumber::parse("+12125550100")?,
    /// #     faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// use std::time::Duration;
    /// let done = client.outbound().wait_for_completion([id]).interval(Duration::ZERO).send().await?;
    /// assert_eq!(done[0].status, interfax::FaxStatusCode::OK);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn wait_for_completion(&self, ids: impl IntoIterator<Item = OutboundFaxId>) -> WaitForCompletion {
        WaitForCompletion {
            client: self.client.clone(),
            ids: ids.into_iter().collect(),
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(600),
            batch_size: COMPLETED_IDS_PER_REQUEST,
        }
    }
}

/// Ids per `outbound/faxes/completed` request: 50 ids of up to 19 digits and their commas take at most 1,000
/// characters, half of InterFAX's URL limit ("The maximum length of a URL is 2000 characters").
pub const COMPLETED_IDS_PER_REQUEST: usize = 50;

pub(crate) fn join_ids<T: std::fmt::Display>(ids: impl IntoIterator<Item = T>) -> String {
    ids.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// `POST /outbound/faxes/{id}/resend`; from [`Outbound::resend`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until .send().await"]
pub struct ResendFax {
    client: Client,
    id: OutboundFaxId,
    fax_number: Option<FaxNumber>,
}

impl ResendFax {
    /// Resends (never retried); returns the new fax's id.
    pub async fn send(self) -> Result<OutboundFaxId> {
        let req = Request::post(format!("outbound/faxes/{}/resend", self.id))
            .query_opt("faxNumber", self.fax_number.map(|n| n.e164()));
        self.client.created_id(req).await
    }
}

faxkit::setters!(ResendFax {
    values {
        /// `faxNumber`: send to this number instead of the original one.
        fax_number: FaxNumber,
    }
});

/// Most requests one fax may be part of in any 60 seconds.
pub const MAX_POLLS_PER_MINUTE: usize = 6;
const WINDOW: Duration = Duration::from_secs(60);

/// Per-fax sliding window of request times: at most [`MAX_POLLS_PER_MINUTE`] in any minute.
#[derive(Debug, Default)]
pub(crate) struct PollWindow {
    seen: VecDeque<Instant>,
}

impl PollWindow {
    /// The earliest instant the next request may include this fax.
    pub(crate) fn next_allowed(&self, now: Instant) -> Instant {
        if self.seen.len() < MAX_POLLS_PER_MINUTE {
            return now;
        }
        let oldest = self.seen.len() - MAX_POLLS_PER_MINUTE;
        self.seen.get(oldest).map_or(now, |t| (*t + WINDOW).max(now))
    }

    pub(crate) fn record(&mut self, at: Instant) {
        self.seen.push_back(at);
        while self.seen.len() > MAX_POLLS_PER_MINUTE {
            self.seen.pop_front();
        }
    }
}

/// Polls until faxes complete; from [`Outbound::wait_for_completion`].
#[derive(Debug, Clone)]
#[must_use = "nothing happens until .send().await"]
pub struct WaitForCompletion {
    client: Client,
    ids: Vec<OutboundFaxId>,
    interval: Duration,
    timeout: Duration,
    batch_size: usize,
}

impl WaitForCompletion {
    /// Ids per request (default 50, which keeps the URL well under 2,000 characters).
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n.clamp(1, 100);
        self
    }

    /// Polls; returns the completed records in the order of the ids given.
    ///
    /// # Errors
    /// [`Error::Timeout`] when some fax is still in progress at the deadline; request errors as they come.
    pub async fn send(self) -> Result<Vec<OutboundFax>> {
        let start = Instant::now();
        let deadline = start + self.timeout;
        let outbound = self.client.outbound();
        let mut pending: Vec<OutboundFaxId> = Vec::new();
        for id in &self.ids {
            if !pending.contains(id) {
                pending.push(*id);
            }
        }
        let mut windows: HashMap<OutboundFaxId, PollWindow> = HashMap::new();
        let mut done: HashMap<OutboundFaxId, OutboundFax> = HashMap::new();
        while !pending.is_empty() {
            let chunks: Vec<Vec<OutboundFaxId>> = pending.chunks(self.batch_size).map(<[_]>::to_vec).collect();
            for chunk in chunks {
                let now = Instant::now();
                let allowed =
                    chunk.iter().map(|id| windows.get(id).map_or(now, |w| w.next_allowed(now))).max().unwrap_or(now);
                if allowed > deadline {
                    return Err(Error::Timeout { vendor: VENDOR, elapsed: start.elapsed() });
                }
                tokio::time::sleep_until(allowed).await;
                let at = Instant::now();
                for id in &chunk {
                    windows.entry(*id).or_default().record(at);
                }
                for fax in outbound.completed(chunk.iter().copied()).await? {
                    if chunk.contains(&fax.id) && fax.status.is_final() {
                        done.insert(fax.id, fax);
                    }
                }
            }
            pending.retain(|id| !done.contains_key(id));
            if pending.is_empty() {
                break;
            }
            if Instant::now() + self.interval > deadline {
                return Err(Error::Timeout { vendor: VENDOR, elapsed: start.elapsed() });
            }
            tokio::time::sleep(self.interval).await;
        }
        let mut out = Vec::with_capacity(done.len());
        let mut seen = Vec::new();
        for id in self.ids {
            if !seen.contains(&id)
                && let Some(fax) = done.remove(&id)
            {
                seen.push(id);
                out.push(fax);
            }
        }
        Ok(out)
    }
}

faxkit::setters!(WaitForCompletion {
    plain {
        /// Pause between two polling rounds (default 10 s). Whatever it is, no fax is polled more than 6 times
        /// in a minute.
        interval: Duration,
        /// Give up after this long (default 10 minutes) with [`Error::Timeout`].
        timeout: Duration,
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_allows_six_then_waits_a_minute() {
        let t0 = Instant::now();
        let mut w = PollWindow::default();
        for i in 0..6 {
            let at = t0 + Duration::from_secs(i);
            assert_eq!(w.next_allowed(at), at);
            w.record(at);
        }
        let at = t0 + Duration::from_secs(6);
        assert_eq!(w.next_allowed(at), t0 + Duration::from_secs(60));
        w.record(t0 + Duration::from_secs(60));
        assert_eq!(w.next_allowed(at), t0 + Duration::from_secs(61));
    }

    #[test]
    fn ids_join_with_commas() {
        assert_eq!(join_ids([OutboundFaxId(1), OutboundFaxId(131201409296898)]), "1,131201409296898");
    }
}
