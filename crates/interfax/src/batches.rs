//! Batches: one document set to many numbers. Send, list, record, children, cancel, resend.

use faxkit::Result;
use futures::Stream;

use crate::client::{Client, Request};
use crate::model::batches::Batch;
use crate::model::common::{BatchId, SortOrder, query_bool};
use crate::model::outbound::OutboundFax;
use crate::send::{FaxDocument, SendBatch};

/// Batch operations; get one with [`Client::batches`]. No official SDK has them.
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # let client = sandbox.client();
/// # sandbox.add_list("customers", &["+12125550101", "+12125550102"]);
/// use faxkit::Document;
/// let batch = client.batches().send("customers", Document::from_bytes("%PDF-1.4 news", "news.pdf")).send().await?;
/// let record = client.batches().get(batch).await?;
/// let children = client.batches().children(batch).send().await?;
/// # assert_eq!(record.batch_head_id, batch); let _ = children;
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Batches {
    client: Client,
}

impl Client {
    /// The batch operations.
    pub fn batches(&self) -> Batches {
        Batches::new(self.clone())
    }
}

impl Batches {
    pub(crate) fn new(client: Client) -> Self {
        Batches { client }
    }

    /// Starts a batch to `list` (`POST /outbound/batches?list=…`): the name of a list from the control panel,
    /// or the inline list text as InterFAX documents it (passed through as given). Same documents and options
    /// as a fax.
    pub fn send(&self, list: impl Into<String>, document: impl Into<FaxDocument>) -> SendBatch {
        SendBatch::new(self.client.clone(), "outbound/batches", ("list", list.into()), document.into())
    }

    /// Lists batches (`GET /outbound/batches`). Pages by `lastId`.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use futures::TryStreamExt;
    /// let batches: Vec<_> = client.batches().list().limit(50).stream().try_collect().await?;
    /// # assert!(batches.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn list(&self) -> ListBatches {
        ListBatches { client: self.client.clone(), last_id: None, limit: None, sort_order: None, all_users: None }
    }

    /// One batch with its totals (`GET /outbound/batches/{id}`).
    pub async fn get(&self, id: BatchId) -> Result<Batch> {
        self.client.json(Request::get(format!("outbound/batches/{id}"))).await
    }

    /// The faxes of a batch, summary level (`GET /outbound/batches/{id}/children`). Pages by `offset`.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # sandbox.add_list("customers", &["+12125550101", "+12125550102"]);
    /// # let batch = client.batches().send("customers", faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// use futures::TryStreamExt;
    /// let faxes: Vec<_> = client.batches().children(batch).stream().try_collect().await?;
    /// assert_eq!(faxes.len(), 2);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn children(&self, id: BatchId) -> Children {
        Children { client: self.client.clone(), id, limit: None, offset: None }
    }

    /// Cancels a batch (`POST /outbound/batches/{id}/cancel`). Single children cancel through
    /// [`Outbound::cancel`](crate::outbound::Outbound::cancel).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # sandbox.add_list("customers", &["+12125550101"]);
    /// # let batch = client.batches().send("customers", faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// client.batches().cancel(batch).await?;
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn cancel(&self, id: BatchId) -> Result<()> {
        self.client.confirmed(Request::post(format!("outbound/batches/{id}/cancel")).idempotent()).await
    }

    /// Resends a batch (`POST /outbound/batches/{id}/resend`); returns the new batch id.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # sandbox.add_list("customers", &["+12125550101"]);
    /// # let batch = client.batches().send("customers", faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// let again = client.batches().resend(batch).reference("second round").send_also_ok(false).send().await?;
    /// # assert_ne!(again, batch);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn resend(&self, id: BatchId) -> ResendBatch {
        ResendBatch { client: self.client.clone(), id, reference: None, send_also_ok: None }
    }
}

/// `GET /outbound/batches`; from [`Batches::list`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBatches {
    client: Client,
    last_id: Option<BatchId>,
    limit: Option<u32>,
    sort_order: Option<SortOrder>,
    all_users: Option<bool>,
}

impl ListBatches {
    fn request(&self, last_id: Option<BatchId>) -> Request {
        Request::get("outbound/batches")
            .query_opt("lastId", last_id)
            .query_opt("limit", self.limit)
            .query_opt("sortOrder", self.sort_order.as_ref())
            .query_opt("allUsers", self.all_users.map(query_bool))
    }

    /// One page: `GET /outbound/batches` with the set `lastId` (default: from the newest), at most `limit` batches.
    pub async fn send(self) -> Result<Vec<Batch>> {
        self.client.json(self.request(self.last_id)).await
    }

    /// Every batch, page after page.
    pub fn stream(self) -> impl Stream<Item = Result<Batch>> + Send {
        let (client, start, limit) = (self.client.clone(), self.last_id, self.limit);
        client.last_id_pages(start, limit, move |c| self.request(c), |b: &Batch| b.batch_head_id)
    }
}

faxkit::setters!(ListBatches {
    values {
        /// `lastId`: only the batches after this id in the sort order, not including it; used for paging.
        last_id: BatchId,
        /// `limit` (default 25).
        limit: u32,
        /// `sortOrder` (default `desc`).
        sort_order: SortOrder,
        /// `allUsers` (primary users).
        all_users: bool,
    }
});

/// `GET /outbound/batches/{id}/children`; from [`Batches::children`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Children {
    client: Client,
    id: BatchId,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl Children {
    fn request(&self, offset: Option<u32>) -> Request {
        Request::get(format!("outbound/batches/{}/children", self.id))
            .query_opt("limit", self.limit)
            .query_opt("offset", offset)
    }

    /// One page: `GET /outbound/batches/{id}/children` from `offset`, at most `limit` faxes (summary records).
    pub async fn send(self) -> Result<Vec<OutboundFax>> {
        self.client.json(self.request(self.offset)).await
    }

    /// Every child, page after page.
    pub fn stream(self) -> impl Stream<Item = Result<OutboundFax>> + Send {
        let (client, start, limit) = (self.client.clone(), self.offset, self.limit);
        client.offset_pages(start, limit, move |offset| self.request(Some(offset)))
    }
}

faxkit::setters!(Children {
    values {
        /// `limit` (default 25).
        limit: u32,
        /// `offset` (default 0).
        offset: u32,
    }
});

/// `POST /outbound/batches/{id}/resend`; from [`Batches::resend`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until .send().await"]
pub struct ResendBatch {
    client: Client,
    id: BatchId,
    reference: Option<String>,
    send_also_ok: Option<bool>,
}

impl ResendBatch {
    /// Resends (never retried); returns the new batch id from `Location`.
    pub async fn send(self) -> Result<BatchId> {
        let req = Request::post(format!("outbound/batches/{}/resend", self.id))
            .query_opt("reference", self.reference.as_ref())
            .query_opt("sendAlsoOK", self.send_also_ok.map(query_bool));
        self.client.created_id(req).await
    }
}

faxkit::setters!(ResendBatch {
    strings {
        /// `reference` of the new batch.
        reference,
    }
    values {
        /// `sendAlsoOK`: resend the faxes that succeeded too (duplicates at the receiving end).
        send_also_ok: bool,
    }
});
