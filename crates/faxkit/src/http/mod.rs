//! The shared HTTP setup every vendor client is built on.
//!
//! One [`HttpClient`] per vendor client, reused for every call: base URL (with override), timeouts, user
//! agent `faxkit-<vendor>/<version>`, gzip/deflate, the [`RetryConfig`] for idempotent requests, https
//! required except on loopback, and redirects followed only within the configured host.
//!
//! The functions on every call's path (`execute`, `execute_read`, `check`, `read_limited`, the retry loop)
//! return `async move` blocks rather than being `async fn`s: an `async fn` keeps its by-value arguments
//! (a request, a response) twice in its future, and each future is moved whole into its caller's on every
//! call, so the plain form made every call copy several kilobytes more (see docs/performance.md).
#![allow(clippy::manual_async_fn, reason = "async fn would store by-value arguments twice; see above")]

use std::sync::Arc;
use std::time::Duration;

use futures::future::Either;
use tracing::Instrument;
use url::Url;

use crate::error::{Error, Result};
use crate::retry::{RetryBudget, RetryConfig, parse_retry_after};

mod execute;
mod origin;
mod request;
mod response;

pub use origin::{basic_auth, is_loopback, parse_base_url};
use origin::{origin, same_scheme_host_port};
pub use request::{Authenticate, Body, NoAuth, Request};
use response::NonIdempotentResponse;
pub use response::{decode_json, is_non_idempotent, peek};

/// Largest error body read into memory for an error message.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Largest reply [`HttpClient::read_body`] and [`HttpClient::execute_json`] read into memory (16 MiB).
pub const JSON_LIMIT: usize = 16 * 1024 * 1024;

/// HTTP settings every vendor client builder accepts.
///
/// ```
/// # use faxkit::HttpConfig; use std::time::Duration;
/// let http = HttpConfig::default().timeout(Duration::from_secs(30)).base_url("http://127.0.0.1:8080/");
/// assert_eq!(http.timeout, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpConfig {
    /// Replaces the vendor's default base URL (a sandbox, a proxy, a regional host).
    pub base_url: Option<String>,
    /// Total time allowed for one ordinary request, response body included (default 60 s).
    pub timeout: Duration,
    /// Total time allowed for one document upload or download (default 1 h).
    pub transfer_timeout: Duration,
    /// Time allowed to open a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Longest silence between two reads of a response (default 60 s). Uploads and downloads always have it;
    /// an ordinary request has it when it is shorter than `timeout`, which otherwise ends the request first.
    pub read_timeout: Duration,
    /// Total time allowed for one call: every attempt, every wait between attempts and `Retry-After`, the
    /// response body included (default 3 min). A retry that would end past it is not made; an attempt
    /// still running when it passes ends with [`Error::Timeout`]. Uploads and downloads get
    /// `transfer_timeout` instead when that is longer.
    pub deadline: Duration,
    /// Replaces the `faxkit-<vendor>/<version>` user agent.
    pub user_agent: Option<String>,
    /// Retries of idempotent requests.
    pub retry: RetryConfig,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            base_url: None,
            timeout: Duration::from_secs(60),
            transfer_timeout: Duration::from_secs(3600),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            deadline: Duration::from_secs(180),
            user_agent: None,
            retry: RetryConfig::default(),
        }
    }
}

crate::setters!(HttpConfig {
    strings {
        /// Sets the base URL override.
        base_url,
        /// Sets the user agent.
        user_agent,
    }
    plain {
        /// Sets the per-request timeout.
        timeout: Duration,
        /// Sets the timeout for document uploads and downloads.
        transfer_timeout: Duration,
        /// Sets the connect timeout.
        connect_timeout: Duration,
        /// Sets the read (idle) timeout.
        read_timeout: Duration,
        /// Sets the total time allowed for one call, retries and waits included.
        ///
        /// ```
        /// # use faxkit::HttpConfig; use std::time::Duration;
        /// let http = HttpConfig::default().deadline(Duration::from_secs(20));
        /// assert_eq!(http.deadline, Duration::from_secs(20));
        /// ```
        deadline: Duration,
        /// Sets the retry policy.
        retry: RetryConfig,
    }
});

/// Whether a request may be repeated without side effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Safe to repeat (reads, polls, cancels and deletes of a known id): retried per [`RetryConfig`].
    Idempotent,
    /// Must not be repeated (sends, uploads, anything that creates): retried only when the connection could
    /// not be opened at all.
    NonIdempotent,
}

/// One vendor's HTTP client: a reused `reqwest::Client`, a base URL, the retry policy and the retry budget
/// (shared by every clone of the client).
///
/// Transfers (uploads and downloads, [`Request::transfer`]) go through a second `reqwest::Client` with the
/// read timeout. Other calls only get it when it is shorter than their whole-call timeout: otherwise it could
/// never fire first, and each call would pay for a timer that does nothing.
#[derive(Debug, Clone)]
pub struct HttpClient {
    vendor: &'static str,
    client: reqwest::Client,
    transfer: reqwest::Client,
    base: Url,
    config: HttpConfig,
    budget: Arc<RetryBudget>,
}

impl HttpClient {
    /// Builds the client for `vendor` (its crate name) at `version`, defaulting to `default_base_url`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a base URL that does not parse or is plain http on a non-loopback host.
    pub fn new(vendor: &'static str, version: &str, default_base_url: &str, config: &HttpConfig) -> Result<Self> {
        Self::with_builder(vendor, version, default_base_url, config, |b| b)
    }

    /// Like [`HttpClient::new`], with a hook to adjust the `reqwest` builder (cookie store, no automatic
    /// deflate, …).
    pub fn with_builder(
        vendor: &'static str,
        version: &str,
        default_base_url: &str,
        config: &HttpConfig,
        customize: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<Self> {
        let raw = config.base_url.as_deref().unwrap_or(default_base_url);
        let base = parse_base_url(vendor, raw)?;
        let ua = config.user_agent.clone().unwrap_or_else(|| format!("faxkit-{vendor}/{version}"));
        let build = |read_timeout: bool| {
            let allowed = base.clone();
            let redirect = reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= 5 || !same_scheme_host_port(&allowed, attempt.url()) {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            });
            let mut builder = reqwest::Client::builder()
                .user_agent(ua.as_str())
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .redirect(redirect)
                .gzip(true)
                .deflate(true);
            if read_timeout {
                builder = builder.read_timeout(config.read_timeout);
            }
            if is_loopback(&base) {
                builder = builder.no_proxy();
            }
            customize(builder)
                .build()
                .map_err(|e| Error::invalid_input(vendor, format!("cannot build HTTP client: {e}")))
        };
        let transfer = build(true)?;
        let client = if config.read_timeout < config.timeout { transfer.clone() } else { build(false)? };
        let budget = Arc::new(RetryBudget::new(&config.retry));
        Ok(HttpClient { vendor, client, transfer, base, config: config.clone(), budget })
    }

    /// The vendor crate name.
    pub fn vendor(&self) -> &'static str {
        self.vendor
    }

    /// The base URL, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The retry budget this client and its clones draw on (see [`RetryConfig::budget`]).
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.budget
    }

    /// For a vendor crate's own retry of an idempotent call on an answer the shared policy does not retry
    /// (Retarus's documented 500/520 on report reads): the wait before retry number `attempt` (0-based), or
    /// `None` when the retry policy, the call's [`deadline`](HttpConfig::deadline) counted from `started`, or
    /// the client's retry budget forbids one. A `Some` has charged the budget.
    pub fn may_retry(&self, started: tokio::time::Instant, attempt: u32) -> Option<Duration> {
        if attempt >= self.config.retry.max_retries {
            return None;
        }
        let delay = self.config.retry.backoff(attempt);
        self.retry_fits(delay, started + self.config.deadline, false).then_some(delay)
    }

    /// Whether a retry after `delay` still starts before `deadline` and the retry budget pays for it (a
    /// higher cost after a timeout); the budget is charged when it does. Shared by [`HttpClient::send`]'s loop
    /// and [`HttpClient::may_retry`].
    fn retry_fits(&self, delay: Duration, deadline: tokio::time::Instant, after_timeout: bool) -> bool {
        if tokio::time::Instant::now() + delay >= deadline {
            tracing::debug!(?delay, "no retry: the call's deadline would pass");
            return false;
        }
        if !self.budget.try_spend(after_timeout) {
            tracing::debug!("no retry: the client's retry budget is spent");
            return false;
        }
        true
    }

    /// The underlying `reqwest` client.
    pub fn inner(&self) -> &reqwest::Client {
        &self.client
    }

    /// A URL under the base URL; `path` is relative (a leading `/` is ignored).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the path does not form a URL.
    pub fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|e| Error::invalid_input(self.vendor, format!("bad request path {path:?}: {e}")))
    }

    /// Checks that a URL the vendor handed us (a `next` link, a download link) points at the configured host,
    /// so credentials are never sent elsewhere.
    ///
    /// # Errors
    /// [`Error::Decode`] naming the foreign host.
    pub fn ensure_same_origin(&self, url: &Url) -> Result<()> {
        if url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
        {
            Ok(())
        } else {
            Err(Error::decode(
                self.vendor,
                format!("refusing to follow a link to {} (configured host is {})", origin(url), origin(&self.base)),
                url.as_str().as_bytes(),
                None,
            ))
        }
    }

    /// Starts a request to an absolute URL (normally from [`HttpClient::url`]).
    pub fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    /// A request builder on the transfer client (with the read timeout) and the transfer timeout, for an
    /// upload or download.
    pub fn transfer_request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        self.transfer.request(method, url).timeout(self.config.transfer_timeout)
    }

    /// Sends a request, retrying per the policy when `idempotency` allows, inside a `tracing` span.
    /// Returns the final response whatever its status; use [`HttpClient::check`] to turn error statuses
    /// into errors.
    ///
    /// A request whose body is a stream (multipart forms, streamed documents) cannot be replayed, so it is sent
    /// once; use [`HttpClient::send_with`] to retry such idempotent requests by rebuilding them.
    ///
    /// # Errors
    /// [`Error::Transport`] or [`Error::Timeout`] when no response arrived. For a
    /// [`Idempotency::NonIdempotent`] request, any failure after the connection was open (reset, timeout,
    /// broken body stream) is [`Error::Ambiguous`] (key unset: the vendor crate adds it with
    /// [`Error::with_idempotency_key`]); only a connection that could not be opened stays
    /// [`Error::Transport`] ([`Error::is_not_sent`]).
    pub async fn send(&self, request: reqwest::RequestBuilder, idempotency: Idempotency) -> Result<reqwest::Response> {
        let built = request.build().map_err(|e| Error::invalid_input(self.vendor, format!("bad request: {e}")))?;
        self.send_traced(built, &mut || None, idempotency, true).await
    }

    /// Like [`HttpClient::send`], building each attempt with `make`, so idempotent requests with bodies that
    /// cannot be replayed (multipart forms) are retried too.
    ///
    /// # Errors
    /// As [`HttpClient::send`].
    pub async fn send_with(
        &self,
        make: impl Fn() -> Result<reqwest::RequestBuilder> + Send + Sync,
        idempotency: Idempotency,
    ) -> Result<reqwest::Response> {
        let build = || -> Result<reqwest::Request> {
            make()?.build().map_err(|e| Error::invalid_input(self.vendor, format!("bad request: {e}")))
        };
        let first = build()?;
        self.send_traced(first, &mut || build().ok(), idempotency, true).await
    }

    /// [`send_built`](HttpClient::send_built) inside the call's `faxkit.http` span. A span no subscriber
    /// wants (the usual case without one) is neither entered at each poll nor recorded into. Not an async fn:
    /// it returns the loop's own future, so the call path gains no level to move through.
    fn send_traced<'a>(
        &'a self,
        request: reqwest::Request,
        rebuild: &'a mut (dyn FnMut() -> Option<reqwest::Request> + Send),
        idempotency: Idempotency,
        copy_first: bool,
    ) -> impl Future<Output = Result<reqwest::Response>> + Send + 'a {
        let span = self.span(&request);
        if span.is_disabled() {
            return Either::Left(self.send_built(request, rebuild, idempotency, copy_first, None));
        }
        let record = span.clone();
        Either::Right(self.send_built(request, rebuild, idempotency, copy_first, Some(record)).instrument(span))
    }

    fn span(&self, request: &reqwest::Request) -> tracing::Span {
        tracing::debug_span!(
            "faxkit.http",
            vendor = self.vendor,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        )
    }

    /// The retry loop. The next attempt is a copy of this one taken before it is sent when `copy_first` (and
    /// the body can be copied), else `rebuild`'s, asked for only when a retry follows.
    fn send_built(
        &self,
        mut current: reqwest::Request,
        rebuild: &mut (dyn FnMut() -> Option<reqwest::Request> + Send),
        idempotency: Idempotency,
        copy_first: bool,
        span: Option<tracing::Span>,
    ) -> impl Future<Output = Result<reqwest::Response>> {
        async move {
            // A request with a timeout of its own (an upload, a download) keeps it when it is the longer.
            let own = current.timeout().copied();
            let timeout = own.unwrap_or(self.config.timeout);
            // Only transfers carry a timeout of their own ([`HttpClient::transfer_request`]).
            let client = if own.is_some() { &self.transfer } else { &self.client };
            let mut now = tokio::time::Instant::now();
            let deadline = now + self.config.deadline.max(own.unwrap_or_default());
            let mut attempt: u32 = 0;
            loop {
                let remaining = deadline.saturating_duration_since(now);
                let attempt_timeout = timeout.min(remaining);
                // The client carries the call timeout already; a request gets one of its own only when it
                // differs (a transfer, a retry near the deadline), since reqwest keeps it in the request's
                // extensions, a map allocated for it.
                if own.is_some() || attempt_timeout != self.config.timeout {
                    *current.timeout_mut() = Some(attempt_timeout);
                }
                let can_retry = attempt < self.config.retry.max_retries;
                // A copy for the next attempt, only when there can be one and it cannot be rebuilt later.
                // (Boxed: it is kept across the call, and this future is moved by every caller.)
                let spare = if can_retry && copy_first { current.try_clone().map(Box::new) } else { None };
                let result = client.execute(current).await;
                if let Some(span) = &span {
                    span.record("attempts", attempt + 1);
                    if let Ok(resp) = &result {
                        span.record("status", resp.status().as_u16());
                    }
                }
                let (retry_after, timed_out) = match &result {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let transient = matches!(status, 429 | 502 | 503 | 504);
                        if !(transient && idempotency == Idempotency::Idempotent && can_retry) {
                            if !transient {
                                self.budget.succeeded(attempt);
                            }
                            return self.finish(result, attempt_timeout, idempotency);
                        }
                        let retry_after = resp
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(parse_retry_after);
                        (retry_after, false)
                    }
                    Err(e) => {
                        let safe = e.is_connect()
                            || (idempotency == Idempotency::Idempotent && (e.is_timeout() || e.is_request()));
                        if !(safe && can_retry) {
                            return self.finish(result, attempt_timeout, idempotency);
                        }
                        (None, e.is_timeout())
                    }
                };
                // The next attempt: a clone of this one, or a rebuilt request; neither means this was the last.
                let Some(next) = spare.map(|b| *b).or_else(&mut *rebuild) else {
                    return self.finish(result, attempt_timeout, idempotency);
                };
                let Some(delay) = self.config.retry.delay(attempt, retry_after) else {
                    return Err(Error::RateLimited { vendor: self.vendor, retry_after, detail: None });
                };
                if !self.retry_fits(delay, deadline, timed_out) {
                    return self.finish(result, attempt_timeout, idempotency);
                }
                tracing::debug!(attempt, ?delay, "retrying");
                // Nothing but the next attempt is kept across the wait, and that in `current`'s own slot: this
                // loop's future is moved whole on every call, so each slot kept across an await costs each call.
                drop(result);
                current = next;
                // Boxed: a timer is large.
                Box::pin(tokio::time::sleep(delay)).await;
                attempt += 1;
                now = tokio::time::Instant::now();
            }
        }
    }

    /// The outcome of the last attempt: a response (marked when the request was not idempotent), or the error
    /// mapped by stage: for a non-idempotent request, anything after the connection was open is
    /// [`Error::Ambiguous`]; a connection that could not be opened stays [`Error::Transport`].
    fn finish(
        &self,
        result: reqwest::Result<reqwest::Response>,
        timeout: Duration,
        idempotency: Idempotency,
    ) -> Result<reqwest::Response> {
        match result {
            Ok(mut response) => {
                if idempotency == Idempotency::NonIdempotent {
                    response.extensions_mut().insert(NonIdempotentResponse);
                }
                Ok(response)
            }
            Err(e) => {
                let err = Error::from_reqwest(self.vendor, e, timeout);
                if idempotency == Idempotency::NonIdempotent && !err.is_not_sent() {
                    tracing::warn!(vendor = self.vendor, error = %err, "non-idempotent request: outcome unknown");
                    Err(Error::ambiguous(self.vendor, None, err))
                } else {
                    Err(err)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_check() {
        let c = HttpClient::new("t", "0", "https://api.example.com/v1/", &HttpConfig::default()).unwrap();
        assert!(c.ensure_same_origin(&Url::parse("https://api.example.com/v1/next?page=2").unwrap()).is_ok());
        assert!(c.ensure_same_origin(&Url::parse("https://evil.example.net/v1/next").unwrap()).is_err());
        assert!(c.ensure_same_origin(&Url::parse("http://api.example.com/v1/next").unwrap()).is_err());
        assert_eq!(c.url("/outbound/faxes").unwrap().as_str(), "https://api.example.com/v1/outbound/faxes");
    }
}
