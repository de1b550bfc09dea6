//! [`HttpClient::execute`] and its family: a [`Request`] turned into `reqwest` attempts (URL, credentials,
//! headers, body, timeout) and sent through the retry loop, the answer checked and, for `execute_read` and
//! `execute_json`, read in the same future.
#![allow(clippy::manual_async_fn, reason = "async fn would store by-value arguments twice; see the module above")]

use bytes::Bytes;
use futures::FutureExt as _;
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use url::Url;

use super::HttpClient;
use super::request::{Authenticate, Body, Request};
use crate::error::{Error, Result};

impl HttpClient {
    /// Sends `request` with `auth`: the one request path of every vendor crate.
    ///
    /// Builds the URL (base URL, path or same-origin link, query), adds the credentials and headers, the body
    /// and the timeout (the transfer timeout for [`Request::transfer`]), sends within the retry policy, the
    /// call's deadline and the client's retry budget ([`HttpClient::send`]), and turns an error status into an
    /// error: `errors` sees the status and the (bounded) body first and returns the vendor's typed error when
    /// the body is one ([`HttpClient::check`]).
    ///
    /// # Errors
    /// As [`HttpClient::send`] and [`HttpClient::check`]; [`Error::InvalidInput`] for a request that cannot
    /// be built; [`Error::Decode`] for a link to another origin.
    pub fn execute(
        &self,
        request: Request,
        auth: &dyn Authenticate,
        errors: impl FnOnce(u16, &[u8]) -> Option<Error>,
    ) -> impl Future<Output = Result<reqwest::Response>> {
        async move {
            let response = self.execute_unchecked(request, auth).await?;
            self.check(response, errors).await
        }
    }

    /// [`execute`](HttpClient::execute), then the body read whole (up to `limit` bytes, as
    /// [`HttpClient::read_limited`]): the status and the body of a successful answer, in one step, for the
    /// usual call whose reply is decoded from memory.
    ///
    /// # Errors
    /// As [`execute`](HttpClient::execute) and [`HttpClient::read_limited`].
    pub fn execute_read(
        &self,
        request: Request,
        auth: &dyn Authenticate,
        errors: impl FnOnce(u16, &[u8]) -> Option<Error>,
        limit: usize,
    ) -> impl Future<Output = Result<(reqwest::StatusCode, Bytes)>> {
        // One future from send to body, so the response is not handed through a chain of them on every call.
        async move {
            let response = self.execute_unchecked(request, auth).await?;
            let status = response.status();
            if !status.is_success() {
                return Err(Box::pin(self.status_error(response, errors)).await);
            }
            Ok((status, self.read_limited(response, limit).await?))
        }
    }

    /// Like [`execute`](HttpClient::execute), returning the response whatever its status, for vendors whose
    /// error answers need more than the status and a bounded body (a redirect to read, a 409 naming an
    /// earlier job).
    ///
    /// # Errors
    /// As [`HttpClient::send`].
    pub fn execute_unchecked(
        &self,
        request: Request,
        auth: &dyn Authenticate,
    ) -> impl Future<Output = Result<reqwest::Response>> {
        async move {
            let idempotency = request.idempotency;
            if matches!(request.body, Body::None | Body::Empty | Body::Bytes { .. } | Body::Form(_)) {
                // A body that can be sent again: each attempt is built from `request`, the next one only when a
                // retry follows, so a call answered at once copies nothing for a retry that never comes.
                let first = self.build_attempt(&request, auth)?;
                let mut rebuild = || self.build_attempt(&request, auth).ok();
                return self.send_traced(first, &mut rebuild, idempotency, false).await;
            }
            // Boxed: an async fn's future is as large as its largest state and is moved by value at every
            // `.await` above it; the upload path must not make every status read carry its size.
            Box::pin(self.execute_once(request, auth)).await
        }
    }

    /// [`execute_unchecked`](HttpClient::execute_unchecked) for a body that is read once: a stream (sent once)
    /// or a multipart form (made again for each attempt).
    async fn execute_once(&self, request: Request, auth: &dyn Authenticate) -> Result<reqwest::Response> {
        let idempotency = request.idempotency;
        let url = request.url(self)?;
        let Request { method, headers, body, transfer, .. } = request;
        let mut builder = self.start(method, url, transfer, auth).headers(headers);
        match body {
            Body::Stream { body, content_type, len } => {
                builder = builder.header(CONTENT_TYPE, content_type.as_ref());
                if let Some(len) = len {
                    builder = builder.header(CONTENT_LENGTH, len);
                }
                self.send(builder.body(body), idempotency).await
            }
            Body::Multipart(make) => {
                // Each attempt gets a fresh form; the first is built from `builder`, later ones alike.
                let first = builder.try_clone();
                let make_request = || -> Result<reqwest::RequestBuilder> {
                    let base = match &first {
                        Some(b) => {
                            b.try_clone().ok_or_else(|| Error::invalid_input(self.vendor, "unclonable request"))?
                        }
                        None => return Err(Error::invalid_input(self.vendor, "unclonable request")),
                    };
                    Ok(base.multipart(make()?))
                };
                self.send_with(make_request, idempotency).await
            }
            Body::None | Body::Empty | Body::Bytes { .. } | Body::Form(_) => {
                Err(Error::invalid_input(self.vendor, "a repeatable body reached the one-shot path"))
            }
        }
    }

    /// A `reqwest` builder with the credentials: on the transfer client with the transfer timeout for a
    /// transfer, on the ordinary client otherwise.
    fn start(&self, method: Method, url: Url, transfer: bool, auth: &dyn Authenticate) -> reqwest::RequestBuilder {
        let mut credentials = HeaderMap::new();
        auth.authenticate(&mut credentials);
        let builder = if transfer { self.transfer_request(method, url) } else { self.request(method, url) };
        builder.headers(credentials)
    }

    /// One attempt of a request whose body can be sent again ([`Body::None`], [`Body::Empty`],
    /// [`Body::Bytes`], [`Body::Form`]): URL, credentials, headers, body, transfer timeout.
    fn build_attempt(&self, request: &Request, auth: &dyn Authenticate) -> Result<reqwest::Request> {
        if let Body::Form(fields) = &request.body {
            // A form is encoded by reqwest's builder (its encoding, its content type).
            let url = request.url(self)?;
            let builder =
                self.start(request.method.clone(), url, request.transfer, auth).headers(request.headers.clone());
            return builder
                .form(fields)
                .build()
                .map_err(|e| Error::invalid_input(self.vendor, format!("bad request: {e}")));
        }
        // Everything else is filled in place: a builder would be moved whole through every step, on every call.
        let mut attempt = reqwest::Request::new(request.method.clone(), request.url(self)?);
        let headers = attempt.headers_mut();
        auth.authenticate(headers);
        // The request's own headers replace any of the same name (all their values kept), as a builder's would.
        for name in request.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &request.headers {
            headers.append(name, value.clone());
        }
        match &request.body {
            Body::None => {}
            Body::Empty => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                *attempt.body_mut() = Some(reqwest::Body::from(Vec::<u8>::new()));
            }
            Body::Bytes { bytes, content_type } => {
                let value = HeaderValue::from_str(content_type).map_err(|e| {
                    Error::invalid_input(self.vendor, format!("bad content type {content_type:?}: {e}"))
                })?;
                headers.insert(CONTENT_TYPE, value);
                *attempt.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            }
            Body::Form(_) | Body::Stream { .. } | Body::Multipart(_) => {
                return Err(Error::invalid_input(self.vendor, "this body cannot be sent again"));
            }
        }
        if request.transfer {
            // The transfer timeout marks a transfer: `send_built` sends it on the transfer client.
            *attempt.timeout_mut() = Some(self.config.transfer_timeout);
        }
        Ok(attempt)
    }

    /// [`execute`](HttpClient::execute), then reads the (at most 16 MiB) body and decodes it as JSON.
    ///
    /// # Errors
    /// As [`execute`](HttpClient::execute); [`Error::Decode`] for a body that is not the expected JSON.
    pub fn execute_json<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
        auth: &dyn Authenticate,
        errors: impl FnOnce(u16, &[u8]) -> Option<Error>,
    ) -> impl Future<Output = Result<T>> {
        // A combinator, not an async block around the read: a block would hold the read's future twice.
        let vendor = self.vendor;
        self.execute_read(request, auth, errors, super::JSON_LIMIT)
            .map(move |read| read.and_then(|(_, body)| super::decode_json(vendor, &body)))
    }
}
