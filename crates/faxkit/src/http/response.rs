//! The response side of a call: a status checked into a typed error, a body read within a limit, decoded as
//! JSON or handed on as a stream or a [`Download`](crate::service::Download).
#![allow(clippy::manual_async_fn, reason = "async fn would store by-value arguments twice; see the module above")]

use bytes::Bytes;
use futures::StreamExt;

use super::{ERROR_BODY_LIMIT, HttpClient, JSON_LIMIT};
use crate::error::{BoxError, Error, Result};
use crate::retry::parse_retry_after;

impl HttpClient {
    /// Passes a successful response through; turns an error status into an error.
    ///
    /// `vendor_error` sees the status and (bounded) body first and returns the vendor's typed error if the body
    /// is one; otherwise the status is mapped by [`Error::from_status`].
    ///
    /// A 5xx answer to a [`Idempotency::NonIdempotent`](crate::Idempotency::NonIdempotent) request (a send, an upload)
    /// becomes [`Error::Ambiguous`], keeping that error as its source: the server failed somewhere after the request
    /// arrived, so whether it created anything is unknown.
    pub fn check(
        &self,
        response: reqwest::Response,
        vendor_error: impl FnOnce(u16, &[u8]) -> Option<Error>,
    ) -> impl Future<Output = Result<reqwest::Response>> {
        async move {
            if response.status().is_success() {
                return Ok(response);
            }
            // The error path lives in its own boxed future: `check` sits on every call's path, and an async fn's
            // future is as large as its largest state, moved by value at every `.await` above it.
            Err(Box::pin(self.status_error(response, vendor_error)).await)
        }
    }

    /// The error [`HttpClient::check`] returns for an error status.
    pub(super) async fn status_error(
        &self,
        response: reqwest::Response,
        vendor_error: impl FnOnce(u16, &[u8]) -> Option<Error>,
    ) -> Error {
        let status = response.status();
        let may_have_created = is_non_idempotent(&response);
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = self.read_limited(response, ERROR_BODY_LIMIT).await.unwrap_or_default();
        let code = status.as_u16();
        let err =
            vendor_error(code, &body).unwrap_or_else(|| Error::from_status(self.vendor, code, &body, retry_after));
        if may_have_created && status.is_server_error() {
            return Error::ambiguous(self.vendor, None, err);
        }
        err
    }

    /// Reads a response body into memory, up to `limit` bytes (error beyond). Meant for JSON/XML replies,
    /// not for documents.
    ///
    /// # Errors
    /// [`Error::Decode`] past the limit; transport errors while reading.
    ///
    /// For the successful answer to a [`Idempotency::NonIdempotent`](crate::Idempotency::NonIdempotent) request, a
    /// failure to read it is [`Error::Ambiguous`]: the vendor accepted something whose id was lost.
    pub fn read_limited(&self, response: reqwest::Response, limit: usize) -> impl Future<Output = Result<Bytes>> {
        async move {
            let accepted = is_non_idempotent(&response) && response.status().is_success();
            let result = match response.content_length() {
                Some(len) if len > limit as u64 => Err(Error::decode(
                    self.vendor,
                    format!("response of {len} bytes exceeds the {limit}-byte limit"),
                    b"",
                    None,
                )),
                // Length known and within the limit: reqwest hands over a single-chunk body without copying it.
                Some(_) => response.bytes().await.map_err(|e| {
                    if e.is_timeout() {
                        Error::Timeout { vendor: self.vendor, elapsed: self.config.timeout }
                    } else {
                        Error::transport(self.vendor, e)
                    }
                }),
                // A body of unknown length (chunked) is collected piece by piece, in a boxed future (see `check`).
                None => {
                    let stream = crate::stream::response_stream(self.vendor, response);
                    Box::pin(crate::stream::collect(self.vendor, stream, limit)).await
                }
            };
            match result {
                Err(e) if accepted => Err(Error::ambiguous(self.vendor, None, e)),
                other => other,
            }
        }
    }

    /// Reads a whole (small) response body; see [`HttpClient::read_limited`]. The limit is [`JSON_LIMIT`].
    pub fn read_body(&self, response: reqwest::Response) -> impl Future<Output = Result<Bytes>> {
        self.read_limited(response, JSON_LIMIT)
    }

    /// Decodes a JSON body into `T`, keeping an excerpt on failure.
    ///
    /// # Errors
    /// [`Error::Decode`] with the offending excerpt.
    pub fn decode_json<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T> {
        decode_json(self.vendor, body)
    }

    /// A streamed response body.
    pub fn body_stream(&self, response: reqwest::Response) -> crate::stream::ByteStream {
        crate::stream::response_stream(self.vendor, response)
    }

    /// Streams a download: reads its `Content-Type` and `Content-Length`, keeps the body streaming.
    pub fn download(&self, response: reqwest::Response) -> crate::service::Download {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let len = response.content_length();
        crate::service::Download { content_type, len, stream: self.body_stream(response) }
    }
}

/// Marks a response to a [`Idempotency::NonIdempotent`](crate::Idempotency::NonIdempotent) request (see
/// [`is_non_idempotent`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct NonIdempotentResponse;

/// Whether `response` answers a request sent as [`Idempotency::NonIdempotent`](crate::Idempotency::NonIdempotent)
/// through [`HttpClient::send`] or [`HttpClient::send_with`]. Vendor crates that read such answers themselves (rather
/// than through [`HttpClient::check`] and [`HttpClient::read_limited`]) use it to report a 5xx or a broken reply as
/// [`Error::Ambiguous`].
pub fn is_non_idempotent(response: &reqwest::Response) -> bool {
    response.extensions().get::<NonIdempotentResponse>().is_some()
}

/// Decodes JSON into `T`; on failure the error keeps the parser's message and an excerpt of the input.
///
/// # Errors
/// [`Error::Decode`].
pub fn decode_json<T: serde::de::DeserializeOwned>(vendor: &'static str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        let msg = format!("invalid JSON for {}: {e}", std::any::type_name::<T>());
        Error::decode(vendor, msg, body, Some(Box::new(e) as BoxError))
    })
}

/// Reads a bounded prefix of a stream (for diagnostics on unexpected bodies).
pub async fn peek(stream: &mut crate::stream::ByteStream, limit: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    while out.len() < limit {
        match stream.next().await {
            Some(chunk) => out.extend_from_slice(&chunk?),
            None => break,
        }
    }
    Ok(out)
}
