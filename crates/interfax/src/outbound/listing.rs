//! The listing and search builders of outbound faxes: [`ListFaxes`] (pages by `lastId`), [`Search`] (pages by
//! `offset`) and its [`SearchStatus`] filter.

use faxkit::{FaxNumber, Result};
use futures::Stream;
use jiff::Timestamp;

use super::join_ids;
use crate::client::{Client, Request};
use crate::model::common::{FaxStatusCode, OutboundFaxId, SortOrder, query_time};
use crate::model::outbound::{OutboundFax, StatusFamily};

/// `GET /outbound/faxes` with its options; from [`Outbound::list`](super::Outbound::list). Pages by `lastId`.
#[derive(Debug, Clone)]
#[must_use]
pub struct ListFaxes {
    pub(super) client: Client,
    pub(super) limit: Option<u32>,
    pub(super) last_id: Option<OutboundFaxId>,
    pub(super) sort_order: Option<SortOrder>,
    pub(super) user_id: Option<String>,
}

impl ListFaxes {
    fn request(&self, last_id: Option<OutboundFaxId>) -> Request {
        Request::get("outbound/faxes")
            .query_opt("limit", self.limit)
            .query_opt("lastId", last_id)
            .query_opt("sortOrder", self.sort_order.as_ref())
            .query_opt("userId", self.user_id.as_ref())
    }

    /// One page: `GET /outbound/faxes` from the set `lastId`, at most `limit` faxes (full records; batch faxes are not
    /// included).
    pub async fn send(self) -> Result<Vec<OutboundFax>> {
        self.client.json(self.request(self.last_id)).await
    }

    /// Every fax from here on, page after page (`lastId` = the last id of the previous page).
    pub fn stream(self) -> impl Stream<Item = Result<OutboundFax>> + Send {
        let (client, start, limit) = (self.client.clone(), self.last_id, self.limit);
        client.last_id_pages(start, limit, move |c| self.request(c), |f: &OutboundFax| f.id)
    }
}

faxkit::setters!(ListFaxes {
    strings {
        /// `userId`: another user's faxes (primary users only).
        user_id,
    }
    values {
        /// `limit` (InterFAX's default 25).
        limit: u32,
        /// `lastId`: results after this id (not including it).
        last_id: OutboundFaxId,
        /// `sortOrder` (by id; default `desc`).
        sort_order: SortOrder,
    }
});

/// The `status` filter of a search: a status code or a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchStatus {
    /// One status code.
    Code(FaxStatusCode),
    /// A family (`Completed`, `Success`, `Failed`, `Inprocess`, `All`).
    Family(StatusFamily),
}

impl From<FaxStatusCode> for SearchStatus {
    fn from(c: FaxStatusCode) -> Self {
        SearchStatus::Code(c)
    }
}

impl From<StatusFamily> for SearchStatus {
    fn from(f: StatusFamily) -> Self {
        SearchStatus::Family(f)
    }
}

impl std::fmt::Display for SearchStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchStatus::Code(c) => write!(f, "{c}"),
            SearchStatus::Family(fam) => f.write_str(fam.as_str()),
        }
    }
}

/// `GET /outbound/search` with its filters; from [`Outbound::search`](super::Outbound::search). Pages by `offset`.
#[derive(Debug, Clone)]
#[must_use]
pub struct Search {
    client: Client,
    ids: Vec<OutboundFaxId>,
    reference: Option<String>,
    date_from: Option<Timestamp>,
    date_to: Option<Timestamp>,
    status: Option<SearchStatus>,
    user_ids: Vec<String>,
    fax_number: Option<FaxNumber>,
    sort_order: Option<SortOrder>,
    offset: Option<u32>,
    limit: Option<u32>,
}

impl Search {
    pub(super) fn default_for(client: Client) -> Self {
        Search {
            client,
            ids: Vec::new(),
            reference: None,
            date_from: None,
            date_to: None,
            status: None,
            user_ids: Vec::new(),
            fax_number: None,
            sort_order: None,
            offset: None,
            limit: None,
        }
    }

    /// `ids`: only these faxes (sent as one comma list).
    pub fn ids(mut self, ids: impl IntoIterator<Item = OutboundFaxId>) -> Self {
        self.ids = ids.into_iter().collect();
        self
    }

    /// `status`: a code or a family.
    pub fn status(mut self, status: impl Into<SearchStatus>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Adds a user to `userId` (primary users only); call it again, or use [`user_ids`](Self::user_ids), to
    /// add more users.
    pub fn user_id(mut self, user: impl Into<String>) -> Self {
        self.user_ids.push(user.into());
        self
    }

    fn request(&self, offset: Option<u32>) -> Request {
        let ids = (!self.ids.is_empty()).then(|| join_ids(self.ids.iter()));
        Request::get("outbound/search")
            .query_opt("ids", ids)
            .query_opt("reference", self.reference.as_ref())
            .query_opt("dateFrom", self.date_from.map(query_time))
            .query_opt("dateTo", self.date_to.map(query_time))
            .query_opt("status", self.status.as_ref())
            .query_opt("userId", (!self.user_ids.is_empty()).then(|| self.user_ids.join(",")))
            .query_opt("faxNumber", self.fax_number.as_ref().map(FaxNumber::e164))
            .query_opt("sortOrder", self.sort_order.as_ref())
            .query_opt("offset", offset)
            .query_opt("limit", self.limit)
    }

    /// One page: `GET /outbound/search` from `offset`, at most `limit` faxes (full records, single faxes and batch
    /// children).
    pub async fn send(self) -> Result<Vec<OutboundFax>> {
        self.client.json(self.request(self.offset)).await
    }

    /// Every match, page after page (`offset` advances by the page length).
    pub fn stream(self) -> impl Stream<Item = Result<OutboundFax>> + Send {
        let (client, start, limit) = (self.client.clone(), self.offset, self.limit);
        client.offset_pages(start, limit, move |offset| self.request(Some(offset)))
    }
}

faxkit::setters!(Search {
    strings {
        /// `reference` as given at submission.
        reference,
    }
    values {
        /// `dateFrom` (UTC).
        date_from: Timestamp,
        /// `dateTo` (UTC).
        date_to: Timestamp,
        /// `faxNumber`: the destination.
        fax_number: FaxNumber,
        /// `sortOrder`: `asc` or `desc` (the search reference gives no default); left out when `None`.
        sort_order: SortOrder,
        /// `offset` (default 0).
        offset: u32,
        /// `limit` (default 25).
        limit: u32,
    }
    lists {
        /// `userId`: these users' faxes (primary users only). The reference documents a "List of string"; it goes
        /// as one comma-delimited value, like `ids`. Replaces users given before.
        user_ids: String,
    }
});
