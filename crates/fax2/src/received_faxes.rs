//! Received faxes: `GET /received_faxes`, `GET /fax_services/{service_id}/received_faxes` and
//! `GET /received_faxes/{fax_id}/content.pdf`.

use faxkit::Download;
use faxkit::http::Request;
use futures::Stream;
use jiff::Timestamp;
use url::Url;

use crate::VENDOR;
use crate::client::Client;
use crate::model::{ReceivedFax, ReceivedFaxId, ReceivedFaxesPage, ServiceId};

/// Largest `limit` Fax2 accepts.
pub const MAX_LIMIT: u32 = 1000;

/// Received-fax calls; get one with [`Client::received_faxes`].
#[derive(Debug, Clone)]
pub struct ReceivedFaxesHandler {
    client: Client,
}

impl Client {
    /// Received faxes: list (as pages or a stream) and download.
    pub fn received_faxes(&self) -> ReceivedFaxesHandler {
        ReceivedFaxesHandler { client: self.clone() }
    }
}

impl ReceivedFaxesHandler {
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Lists received faxes, optionally filtered; see [`ListReceivedFaxes`].
    ///
    /// Fax2 returns faxes in no particular order, and ids are not ordered either. For processing each fax
    /// exactly once, use [`crate::InboxPoller`], which follows the document's procedure.
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # sandbox.inject_received(bytes::Bytes::from_static(b"%PDF-1.4 fax")).await;
    /// # let client = sandbox.client();
    /// use futures::TryStreamExt;
    /// let since = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24);
    /// let faxes: Vec<fax2::ReceivedFax> = client
    ///     .received_faxes()
    ///     .list()
    ///     // Optional Parameters
    ///     .from_time(since)
    ///     .limit(100)
    ///     .stream() // follows next_page_url
    ///     .try_collect()
    ///     .await?;
    /// assert_eq!(faxes.len(), 1);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn list(&self) -> ListReceivedFaxes {
        ListReceivedFaxes {
            client: self.client.clone(),
            service_id: None,
            limit: None,
            from_time: None,
            before_time: None,
            continue_from: None,
        }
    }

    /// Fetches the page a previous page's `next_page_url` names. The URL must be on the configured host.
    ///
    /// # Errors
    /// [`faxkit::Error::Decode`] for a URL that does not parse or points elsewhere; request errors.
    pub async fn next_page(&self, next_page_url: &str) -> faxkit::Result<ReceivedFaxesPage> {
        let url = next_url(&self.client, next_page_url)?;
        self.client.get_json(url).await
    }

    /// Downloads a received fax as PDF, streamed (`received_faxes/{fax_id}/content.pdf`).
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # let id = sandbox.inject_received(bytes::Bytes::from_static(b"%PDF-1.4 fax")).await;
    /// # let client = sandbox.client();
    /// let pdf = client.received_faxes().content(&id).await?;
    /// assert_eq!(pdf.content_type, "application/pdf");
    /// let bytes = pdf.bytes(10 << 20).await?;
    /// # assert_eq!(&bytes[..], b"%PDF-1.4 fax");
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, fax_id = %id))]
    pub async fn content(&self, id: &ReceivedFaxId) -> faxkit::Result<Download> {
        let response = self
            .client
            .send_request(|| {
                let path = ["received_faxes", id.as_str(), "content.pdf"];
                std::future::ready(Ok(Request::segments(reqwest::Method::GET, path).transfer()))
            })
            .await?;
        Ok(self.client.http().download(response))
    }
}

/// A `received_faxes` query. Open it with [`ReceivedFaxesHandler::list`]; end it with [`send`](Self::send)
/// (one page) or [`stream`](Self::stream) (every page).
#[derive(Debug, Clone)]
#[must_use]
pub struct ListReceivedFaxes {
    client: Client,
    service_id: Option<ServiceId>,
    limit: Option<u32>,
    from_time: Option<Timestamp>,
    before_time: Option<Timestamp>,
    continue_from: Option<String>,
}

impl ListReceivedFaxes {
    /// Only faxes received by this fax service (`fax_services/{service_id}/received_faxes`).
    pub fn service(mut self, service_id: impl Into<Option<ServiceId>>) -> Self {
        self.service_id = service_id.into();
        self
    }

    fn url(&self) -> faxkit::Result<Url> {
        if let Some(limit) = self.limit
            && !(1..=MAX_LIMIT).contains(&limit)
        {
            return Err(faxkit::Error::invalid_input(VENDOR, format!("limit {limit} is outside 1-{MAX_LIMIT}")));
        }
        let mut url = match &self.service_id {
            Some(service) => self.client.url(&["fax_services", service.as_str(), "received_faxes"])?,
            None => self.client.url(&["received_faxes"])?,
        };
        {
            let mut query = url.query_pairs_mut();
            if let Some(limit) = self.limit {
                query.append_pair("limit", &limit.to_string());
            }
            if let Some(token) = &self.continue_from {
                query.append_pair("continue_from", token);
            }
            if let Some(t) = self.from_time {
                query.append_pair("from_time", &faxkit::time::format_utc(t));
            }
            if let Some(t) = self.before_time {
                query.append_pair("before_time", &faxkit::time::format_utc(ceil_to_second(t)));
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }

    /// Fetches one page.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] for a limit outside 1–1000; request errors.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn send(self) -> faxkit::Result<ReceivedFaxesPage> {
        let url = self.url()?;
        self.client.get_json(url).await
    }

    /// Every matching fax, following `next_page_url` (only to the configured host) until it is absent.
    pub fn stream(self) -> impl Stream<Item = faxkit::Result<ReceivedFax>> + Send + 'static {
        let client = self.client.clone();
        let first = self.url();
        // A next link seen before ends the listing with a decode error; an empty page with a link continues.
        let key = |c: &faxkit::Result<Url>| c.as_ref().ok().map(|u| u.as_str().to_owned());
        // A page of faxes all listed before that still links on (a cursor that changes without advancing)
        // ends it too: one id per fax listed, no more than the listing itself holds.
        let listed = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::<String>::new()));
        faxkit::paging::paginate_unique(first, key, move |cursor: faxkit::Result<Url>| {
            let client = client.clone();
            let listed = listed.clone();
            async move {
                let page: ReceivedFaxesPage = client.get_json(cursor?).await?;
                let next = match &page.next_page_url {
                    Some(raw) => Some(Ok(next_url(&client, raw)?)),
                    None => None,
                };
                let new = match listed.lock() {
                    Ok(mut listed) => page.data.iter().filter(|f| listed.insert(f.id.to_string())).count(),
                    Err(_) => page.data.len(),
                };
                if next.is_some() && !page.data.is_empty() && new == 0 {
                    return Err(faxkit::Error::decode(
                        VENDOR,
                        "received_faxes: a page of faxes already listed links to another page; the listing does not advance",
                        b"",
                        None,
                    ));
                }
                Ok((page.data, next))
            }
        })
    }
}

faxkit::setters!(ListReceivedFaxes {
    values {
        /// At most this many faxes per page, 1–1000 (Fax2's default is 50).
        limit: u32,
        /// Only faxes received at or after this time. Fax2 takes whole seconds only ("nor are fractional
        /// seconds"), so the time is rounded down: the window still includes the given instant.
        from_time: Timestamp,
        /// Only faxes received before this time. Fax2 takes whole seconds only, so a time with a fraction is
        /// rounded up: the bound is exclusive, and rounding down would drop faxes received in the last fraction
        /// of a second before it.
        before_time: Timestamp,
        /// The paging token Fax2 puts in `next_page_url` (normally followed for you by [`stream`](Self::stream)).
        continue_from: String,
    }
});

/// `t` rounded up to a whole second (unchanged when it is one already, or at the end of time).
fn ceil_to_second(t: Timestamp) -> Timestamp {
    if t.subsec_nanosecond() > 0 { Timestamp::from_second(t.as_second().saturating_add(1)).unwrap_or(t) } else { t }
}

/// The URL a `next_page_url` names, on the configured host.
///
/// Fax2 writes `next_page_url` as an absolute URL on its own host (`https://api.fax2.com.au/v1/…`). When the
/// client's base URL is another one (a proxy, a gateway), a URL under the vendor's base URL is moved under the
/// configured one, path and query kept. Any other host is refused.
fn next_url(client: &Client, raw: &str) -> faxkit::Result<Url> {
    let bad = |e: String| faxkit::Error::decode(VENDOR, e, raw.as_bytes(), None);
    let mut url = client.base_url().join(raw).map_err(|e| bad(format!("next_page_url is not a URL: {e}")))?;
    if let Ok(vendor) = Url::parse(crate::DEFAULT_BASE_URL)
        && url.scheme() == vendor.scheme()
        && url.host_str().is_some_and(|h| vendor.host_str().is_some_and(|v| h.eq_ignore_ascii_case(v)))
        && url.port_or_known_default() == vendor.port_or_known_default()
    {
        let vendor_path = vendor.path().trim_end_matches('/');
        let rest = url.path().strip_prefix(vendor_path).filter(|r| r.is_empty() || r.starts_with('/'));
        if let Some(rest) = rest {
            let base = client.base_url();
            let mut mapped = base.clone();
            mapped.set_path(&format!("{}{rest}", base.path().trim_end_matches('/')));
            mapped.set_query(url.query());
            url = mapped;
        }
    }
    client.http().ensure_same_origin(&url)?;
    Ok(url)
}
