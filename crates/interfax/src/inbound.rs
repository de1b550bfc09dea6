//! Received faxes: list, record, image, forwarding e-mails, mark read/unread, resend by e-mail.

use faxkit::Result;
use futures::Stream;

use crate::client::{Client, Request};
use crate::model::common::{InboundFaxId, query_bool};
use crate::model::inbound::{ForwardingEmail, InboundFax, OneOrMany};

/// Inbound fax operations; get one with [`Client::inbound`].
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # let client = sandbox.client();
/// # sandbox.inject_inbound_fax("+12125550199", bytes::Bytes::from_static(b"%PDF-1.4 hi"));
/// use interfax::ImageFormat;
/// for fax in client.inbound().list().unread_only(true).send().await? {
///     let image = client.inbound().image(fax.message_id).await?;
///     let format = ImageFormat::from_content_type(&image.content_type); // PDF or TIFF, per account settings
///     let bytes = image.bytes(20 << 20).await?;
///     client.inbound().mark_read(fax.message_id).await?;
///     # assert_eq!(format, ImageFormat::Pdf); assert_eq!(&bytes[..], b"%PDF-1.4 hi");
/// }
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Inbound {
    client: Client,
}

impl Client {
    /// The inbound fax operations.
    pub fn inbound(&self) -> Inbound {
        Inbound::new(self.clone())
    }
}

impl Inbound {
    pub(crate) fn new(client: Client) -> Self {
        Inbound { client }
    }

    /// Lists received faxes, newest first (`GET /inbound/faxes`). Pages by `lastId`.
    pub fn list(&self) -> ListInbound {
        ListInbound { client: self.client.clone(), unread_only: None, limit: None, last_id: None, all_users: None }
    }

    /// One received fax (`GET /inbound/faxes/{id}`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = sandbox.inject_inbound_fax("+12125550199", bytes::Bytes::from_static(b"%PDF-1.4 hi"));
    /// let fax = client.inbound().get(id).await?;
    /// println!("from {:?}, {:?} pages, {:?}", fax.remote_csid, fax.pages, fax.image_status);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn get(&self, id: InboundFaxId) -> Result<InboundFax> {
        self.client.json(Request::get(format!("inbound/faxes/{id}"))).await
    }

    /// The image, streamed; its `content_type` says PDF or TIFF (account setting)
    /// (`GET /inbound/faxes/{id}/image`). See [`ImageFormat`](crate::ImageFormat).
    pub async fn image(&self, id: InboundFaxId) -> Result<faxkit::Download> {
        self.client.download(Request::get(format!("inbound/faxes/{id}/image"))).await
    }

    /// Where the fax was forwarded (`GET /inbound/faxes/{id}/emails`); an array or a single object on the wire.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = sandbox.inject_inbound_fax("+12125550199", bytes::Bytes::from_static(b"%PDF-1.4 hi"));
    /// for email in client.inbound().emails(id).await? {
    ///     println!("{:?}: {:?}", email.email_address, email.message_status);
    /// }
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn emails(&self, id: InboundFaxId) -> Result<Vec<ForwardingEmail>> {
        let list: OneOrMany<ForwardingEmail> =
            self.client.json(Request::get(format!("inbound/faxes/{id}/emails"))).await?;
        Ok(list.into_vec())
    }

    /// Marks read (`unread=false`) or unread (`unread=true`) (`POST /inbound/faxes/{id}/mark`; answers `true`).
    pub async fn mark(&self, id: InboundFaxId, unread: bool) -> Result<()> {
        let req = Request::post(format!("inbound/faxes/{id}/mark")).query("unread", query_bool(unread)).idempotent();
        self.client.confirmed(req).await
    }

    /// Marks a received fax read: `POST /inbound/faxes/{id}/mark?unread=false` (InterFAX answers a bare `true`).
    pub async fn mark_read(&self, id: InboundFaxId) -> Result<()> {
        self.mark(id, false).await
    }

    /// Marks unread.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = sandbox.inject_inbound_fax("+12125550199", bytes::Bytes::from_static(b"%PDF-1.4 hi"));
    /// client.inbound().mark_read(id).await?;
    /// client.inbound().mark_unread(id).await?;
    /// # assert_eq!(client.inbound().list().unread_only(true).send().await?.len(), 1);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn mark_unread(&self, id: InboundFaxId) -> Result<()> {
        self.mark(id, true).await
    }

    /// Forwards the fax by e-mail again (`POST /inbound/faxes/{id}/resend[?email=]`).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = sandbox.inject_inbound_fax("+12125550199", bytes::Bytes::from_static(b"%PDF-1.4 hi"));
    /// client.inbound().resend(id).email("archive@example.com").send().await?;
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn resend(&self, id: InboundFaxId) -> ResendInbound {
        ResendInbound { client: self.client.clone(), id, email: None }
    }
}

/// `GET /inbound/faxes`; from [`Inbound::list`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListInbound {
    client: Client,
    unread_only: Option<bool>,
    limit: Option<u32>,
    last_id: Option<InboundFaxId>,
    all_users: Option<bool>,
}

impl ListInbound {
    fn request(&self, last_id: Option<InboundFaxId>) -> Request {
        Request::get("inbound/faxes")
            .query_opt("unreadOnly", self.unread_only.map(query_bool))
            .query_opt("limit", self.limit)
            .query_opt("lastId", last_id)
            .query_opt("allUsers", self.all_users.map(query_bool))
    }

    /// One page: `GET /inbound/faxes` from the set `lastId` (default: from the newest), at most `limit` faxes (InterFAX
    /// answers at most 25 whatever `limit` says).
    pub async fn send(self) -> Result<Vec<InboundFax>> {
        self.client.json(self.request(self.last_id)).await
    }

    /// Every fax, page after page.
    pub fn stream(self) -> impl Stream<Item = Result<InboundFax>> + Send {
        let (client, start, limit) = (self.client.clone(), self.last_id, self.limit);
        client.last_id_pages(start, limit, move |c| self.request(c), |f: &InboundFax| f.message_id)
    }
}

faxkit::setters!(ListInbound {
    values {
        /// `unreadOnly`: `true` lists only faxes not yet marked read; `None` or `false` lists all (InterFAX's default).
        unread_only: bool,
        /// `limit` (default 25).
        limit: u32,
        /// `lastId`: faxes older than this one.
        last_id: InboundFaxId,
        /// `allUsers` (primary users).
        all_users: bool,
    }
});

/// `POST /inbound/faxes/{id}/resend`; from [`Inbound::resend`].
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until .send().await"]
pub struct ResendInbound {
    client: Client,
    id: InboundFaxId,
    email: Option<String>,
}

impl ResendInbound {
    /// Forwards (never retried).
    pub async fn send(self) -> Result<()> {
        let req = Request::post(format!("inbound/faxes/{}/resend", self.id)).query_opt("email", self.email.as_ref());
        self.client.confirmed(req).await
    }
}

faxkit::setters!(ResendInbound {
    strings {
        /// `email`: forward to this address instead of the previous ones.
        email,
    }
});
