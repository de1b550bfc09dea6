//! Fax2WSPull: fetch received faxes from a topic, acknowledge them, download their documents.
//!
//! Semantics (Fax2WSPull reference): `POST /topics/{topic}?fetch=N&timeout=T&ids=a%2Cb` returns up to `N`
//! jobs that are neither acknowledged nor locked, and locks them for `T` seconds (default 60). The `ids` are
//! acknowledged, which removes those jobs for ever. A job not acknowledged before its lock expires comes back
//! in a later fetch: delivery is at-least-once. `meta.next` fetches again and acknowledges **every** job of
//! the answer it came from; `meta.exit` does the same with `fetch=0`. Documents are deleted by Retarus 7 days
//! after receipt whatever happens.
//!
//! For partial success (some jobs handled, some not), acknowledge only the handled ids with
//! [`Fetch::ack`] / [`Topic::acknowledge`], or let [`Topic::consumer`] do it.

use std::time::Duration;

use faxkit::http::Request;
use faxkit::{Download, Error, Result};
use url::Url;

use crate::VENDOR;
use crate::client::{Api, Client};
use crate::model::pull::{FetchResponse, InboundDocument, InboundJobId};

/// Retarus's default lock timeout.
pub const DEFAULT_LOCK: Duration = Duration::from_secs(60);

/// One Fax2WSPull topic. Get one with [`Client::topic`].
#[derive(Debug, Clone)]
pub struct Topic {
    pub(crate) client: Client,
    name: String,
}

impl Client {
    /// A Fax2WSPull topic ("a set of inbound numbers retrieved together", configured at Retarus).
    pub fn topic(&self, name: impl Into<String>) -> Topic {
        Topic { client: self.clone(), name: name.into() }
    }

    /// Downloads a received document, streamed: `GET` on `documents[].url` exactly as Retarus gave it (its
    /// path prefix and query kept), resolved against the configured Fax2WSPull URL.
    ///
    /// The URL must name the configured Fax2WSPull host (scheme, host and port), as `meta.next`/`meta.exit`
    /// must: credentials are never sent elsewhere. A relative URL (such as [`InboundDocument::for_file`]'s
    /// `files/{id}.{extension}`) is resolved against the configured Fax2WSPull URL.
    ///
    /// # Errors
    /// [`Error::Decode`] when the URL is not a URL or names another host; [`Error::NotFound`] on 404.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn download_inbound(&self, document: &InboundDocument) -> Result<Download> {
        let http = self.pull_http()?;
        let url = http.base_url().join(&document.url).map_err(|e| {
            Error::decode(VENDOR, format!("documents[].url is not a URL: {e}"), document.url.as_bytes(), None)
        })?;
        http.ensure_same_origin(&url)?;
        let ext = document.file_id_and_extension().map(|(_, ext)| ext);
        let response = self.send_request(http, Api::Pull, Request::at(reqwest::Method::GET, url).transfer()).await?;
        let mut download = http.download(response);
        if download.content_type == "application/octet-stream"
            && let Some(mime) = ext.as_deref().and_then(faxkit::mime::from_extension)
        {
            mime.clone_into(&mut download.content_type);
        }
        Ok(download)
    }
}

impl Topic {
    /// The topic's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Starts a fetch of up to `count` jobs (0 fetches nothing: acknowledge only).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] tokio_test(async {
    /// # use faxkit::sandbox::VendorSandbox;
    /// # let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
    /// # sandbox.inject_inbound(&faxkit::FaxNumber::parse("+4989111")?, bytes::Bytes::from_static(b"%PDF-1.4 x")).await;
    /// # let client = sandbox.client();
    /// use std::time::Duration;
    /// let topic = client.topic(retarus_fax::sandbox::TOPIC);
    /// let batch = topic.fetch(10).lock(Duration::from_secs(120)).send().await?;
    /// let mut handled = Vec::new();
    /// for job in &batch.results {
    ///     for doc in &job.documents {
    ///         let file = client.download_inbound(doc).await?;
    ///         let _bytes = file.bytes(10 << 20).await?; // store it durably here
    ///     }
    ///     handled.push(job.id.clone());
    /// }
    /// topic.acknowledge(&handled).await?;
    /// # Ok::<(), faxkit::Error>(()) });
    /// # #[cfg(feature = "sandbox")] fn tokio_test<F: std::future::Future<Output = faxkit::Result<()>>>(f: F) {
    /// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap() }
    /// ```
    pub fn fetch(&self, count: u32) -> Fetch {
        Fetch { topic: self.clone(), count, ids: Vec::new(), lock: DEFAULT_LOCK }
    }

    /// Acknowledges jobs without fetching (`fetch=0`).
    ///
    /// # Errors
    /// Transport and status errors.
    pub async fn acknowledge(&self, ids: &[InboundJobId]) -> Result<FetchResponse> {
        self.fetch(0).ack(ids.iter().cloned()).send().await
    }

    /// Follows `meta.next` of an answer: acknowledges all its jobs and fetches the next batch.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the answer has no `next` URL; [`Error::Decode`] when it points at another
    /// host than the configured one (credentials are never sent elsewhere).
    pub async fn next(&self, response: &FetchResponse) -> Result<FetchResponse> {
        self.follow(response.meta.next.as_deref(), "next").await
    }

    /// Follows `meta.exit` of an answer: acknowledges all its jobs, fetches nothing (for shutdown).
    ///
    /// # Errors
    /// As [`next`](Self::next).
    pub async fn exit(&self, response: &FetchResponse) -> Result<FetchResponse> {
        self.follow(response.meta.exit.as_deref(), "exit").await
    }

    async fn follow(&self, link: Option<&str>, which: &str) -> Result<FetchResponse> {
        let link = link.ok_or_else(|| Error::invalid_input(VENDOR, format!("the answer has no meta.{which} URL")))?;
        let http = self.client.pull_http()?;
        let url = http
            .base_url()
            .join(link)
            .map_err(|e| Error::decode(VENDOR, format!("meta.{which} is not a URL: {e}"), link.as_bytes(), None))?;
        http.ensure_same_origin(&url)?;
        self.post(url).await
    }

    pub(crate) async fn post(&self, url: Url) -> Result<FetchResponse> {
        let http = self.client.pull_http()?;
        // A fetch acknowledges the jobs of the answer it follows: repeating it is harmless.
        let req = Request::at(reqwest::Method::POST, url).idempotent();
        self.client.send_json(http, Api::Pull, req).await
    }
}

/// A fetch being built; [`send`](Fetch::send) sends it.
#[derive(Debug, Clone)]
#[must_use = "nothing is fetched until .send().await"]
pub struct Fetch {
    topic: Topic,
    count: u32,
    ids: Vec<InboundJobId>,
    lock: Duration,
}

impl Fetch {
    /// Acknowledges these jobs in the same call.
    pub fn ack(mut self, ids: impl IntoIterator<Item = InboundJobId>) -> Self {
        self.ids.extend(ids);
        self
    }

    /// The request URL: `topics/{topic}?fetch=N&timeout=T[&ids=a%2Cb]`, the id list URL-encoded once.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unusable base URL.
    pub fn url(&self) -> Result<Url> {
        let mut url = Client::url(self.topic.client.pull_http()?, &["topics", &self.topic.name])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("fetch", &self.count.to_string());
            q.append_pair("timeout", &self.lock.as_secs().to_string());
            if !self.ids.is_empty() {
                let ids: Vec<&str> = self.ids.iter().map(InboundJobId::as_str).collect();
                q.append_pair("ids", &ids.join(","));
            }
        }
        Ok(url)
    }

    /// Sends the fetch.
    ///
    /// # Errors
    /// [`Error::Auth`] for a wrong customer number or password; transport and status errors.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, topic = %self.topic.name, fetch = self.count, acks = self.ids.len()))]
    pub async fn send(self) -> Result<FetchResponse> {
        let url = self.url()?;
        self.topic.post(url).await
    }
}

faxkit::setters!(Fetch {
    plain {
        /// How long the fetched jobs stay locked (whole seconds; default 60 s).
        lock: Duration,
    }
});
