//! One error taxonomy for every vendor crate.
//!
//! [`Error`] names the kinds a caller acts on: retry, re-authenticate, fix the input, give up. The vendor's own
//! detail (its error code, message, body) is kept inside, either as the `code`/`message` of
//! [`Error::Vendor`] or as a typed `source` the caller can downcast to the vendor crate's error type.

use std::time::Duration;

/// A boxed error kept as the cause of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type used across faxkit and every vendor crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of a response body an error keeps.
pub const EXCERPT_LEN: usize = 512;

/// Everything that can go wrong talking to a fax vendor.
///
/// Every variant carries the vendor's name (`"interfax"`, `"westfax"`, …; `"faxkit"` for input checked before
/// any vendor is involved). Secrets never appear in any variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request never got an HTTP response: DNS, connect, TLS, reset connection, broken body stream.
    ///
    /// [`stage`](TransportStage) says whether the connection could be opened at all: a request that failed at
    /// [`TransportStage::Connect`] certainly never reached the vendor ([`Error::is_not_sent`]). A request that
    /// creates something and failed after the connection was open is reported as [`Error::Ambiguous`] instead.
    #[error("{vendor}: transport error{}: {source}", if *stage == TransportStage::Connect { " (connection not opened)" } else { "" })]
    Transport {
        /// Vendor crate name.
        vendor: &'static str,
        /// Whether the connection was opened before the failure.
        stage: TransportStage,
        /// The underlying cause.
        #[source]
        source: BoxError,
    },
    /// The request or the whole call ran past its timeout.
    #[error("{vendor}: timed out after {elapsed:?}")]
    Timeout {
        /// Vendor crate name.
        vendor: &'static str,
        /// How long the call ran before giving up (the configured timeout where known).
        elapsed: Duration,
    },
    /// The vendor rejected the credentials (HTTP 401/403, or the vendor's own authentication error code).
    #[error("{vendor}: authentication failed (HTTP {status}): {message}")]
    Auth {
        /// Vendor crate name.
        vendor: &'static str,
        /// HTTP status (the vendor's status when the error was in a 200 body).
        status: u16,
        /// What the vendor said.
        message: String,
    },
    /// The resource (fax, document, report) does not exist or is not visible to this account.
    #[error("{vendor}: not found: {message}")]
    NotFound {
        /// Vendor crate name.
        vendor: &'static str,
        /// What was looked up and what the vendor said.
        message: String,
    },
    /// The vendor asked us to slow down (HTTP 429, or the vendor's own rate-limit code).
    #[error("{vendor}: rate limited{}{}", retry_after.map(|d| format!(", retry after {d:?}")).unwrap_or_default(),
        detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    RateLimited {
        /// Vendor crate name.
        vendor: &'static str,
        /// The `Retry-After` the vendor sent, if any.
        retry_after: Option<Duration>,
        /// The vendor crate's typed error detail when the vendor said more than HTTP 429 (InterFAX's `-1011`
        /// body); reach it with [`Error::vendor_detail`].
        #[source]
        detail: Option<BoxError>,
    },
    /// An HTTP error status with no more specific meaning.
    #[error("{vendor}: HTTP {status}: {body}")]
    HttpStatus {
        /// Vendor crate name.
        vendor: &'static str,
        /// HTTP status code.
        status: u16,
        /// The first [`EXCERPT_LEN`] characters of the response body.
        body: String,
    },
    /// The vendor answered and refused the request with its own error code and message, whatever the HTTP
    /// status (WestFax `Success=false` and FaxCore error bodies arrive with HTTP 200).
    #[error("{vendor}: vendor error {code}: {message}")]
    Vendor {
        /// Vendor crate name.
        vendor: &'static str,
        /// HTTP status the error arrived with.
        status: u16,
        /// The vendor's error code, as the vendor spells it (`-1005`, `insufficient_credit`, …).
        code: String,
        /// The vendor's message.
        message: String,
        /// The vendor crate's typed error detail; downcast it to get every field.
        #[source]
        detail: Option<BoxError>,
    },
    /// The response could not be understood.
    #[error("{vendor}: could not decode response: {message}; body starts: {excerpt:?}")]
    Decode {
        /// Vendor crate name.
        vendor: &'static str,
        /// What the decoder expected.
        message: String,
        /// The first [`EXCERPT_LEN`] characters of the offending input.
        excerpt: String,
        /// The parser's error.
        #[source]
        source: Option<BoxError>,
    },
    /// The caller's input was refused before any request was made.
    #[error("{vendor}: invalid input: {message}")]
    InvalidInput {
        /// Vendor crate name, or `"faxkit"` for vendor-neutral checks.
        vendor: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Reading a local document or writing a download failed.
    #[error("{vendor}: I/O error: {context}: {source}")]
    Io {
        /// Vendor crate name, or `"faxkit"`.
        vendor: &'static str,
        /// What was being read or written (a path, "upload stream", …).
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A request that creates something (a send, an upload) may have reached the vendor, and its outcome is
    /// unknown: the connection reset or timed out after the body was written, or a 5xx arrived after the
    /// upload. Never retried by faxkit and never to be treated as a plain failure: find out with
    /// [`FaxService::reconcile`](crate::FaxService::reconcile) before sending again.
    #[error("{vendor}: outcome unknown, the request may have reached the vendor{}: {source}",
        key.as_deref().map(|k| format!(" (idempotency key {k:?})")).unwrap_or_default())]
    Ambiguous {
        /// Vendor crate name.
        vendor: &'static str,
        /// The send's idempotency key, when it had one.
        key: Option<String>,
        /// What happened (the transport error, the timeout, the status).
        #[source]
        source: BoxError,
    },
    /// The vendor (or the chosen transport) has no such capability.
    #[error("{vendor}: {operation} is not supported")]
    Unsupported {
        /// Vendor crate name.
        vendor: &'static str,
        /// The operation asked for, and where useful why it is missing.
        operation: String,
    },
}

/// Where a [`Error::Transport`] failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportStage {
    /// The connection could not be opened (connection refused, DNS failure, TLS handshake failure, connect
    /// timeout): nothing was sent.
    Connect,
    /// The connection was open (or the stage is unknown): some of the request may have been written.
    Exchange,
}

/// A coarse classification of [`Error`], for callers that branch on kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Transport`].
    Transport,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::Auth`].
    Auth,
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::RateLimited`].
    RateLimited,
    /// [`Error::HttpStatus`].
    HttpStatus,
    /// [`Error::Vendor`].
    Vendor,
    /// [`Error::Decode`].
    Decode,
    /// [`Error::InvalidInput`].
    InvalidInput,
    /// [`Error::Io`].
    Io,
    /// [`Error::Unsupported`].
    Unsupported,
    /// [`Error::Ambiguous`].
    Ambiguous,
}

impl Error {
    /// The kind of error, without its data.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::HttpStatus { .. } => ErrorKind::HttpStatus,
            Error::Vendor { .. } => ErrorKind::Vendor,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Io { .. } => ErrorKind::Io,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Ambiguous { .. } => ErrorKind::Ambiguous,
        }
    }

    /// The vendor crate the error came from (`"faxkit"` for vendor-neutral input checks).
    pub fn vendor(&self) -> &'static str {
        match self {
            Error::Transport { vendor, .. }
            | Error::Timeout { vendor, .. }
            | Error::Auth { vendor, .. }
            | Error::NotFound { vendor, .. }
            | Error::RateLimited { vendor, .. }
            | Error::HttpStatus { vendor, .. }
            | Error::Vendor { vendor, .. }
            | Error::Decode { vendor, .. }
            | Error::InvalidInput { vendor, .. }
            | Error::Io { vendor, .. }
            | Error::Unsupported { vendor, .. }
            | Error::Ambiguous { vendor, .. } => vendor,
        }
    }

    /// The HTTP status the error arrived with, where there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Auth { status, .. } | Error::HttpStatus { status, .. } | Error::Vendor { status, .. } => {
                Some(*status)
            }
            Error::RateLimited { .. } => Some(429),
            Error::Ambiguous { source, .. } => source.downcast_ref::<Error>().and_then(Error::status),
            _ => None,
        }
    }

    /// The vendor's own error code, where the vendor sent one.
    ///
    /// For an [`Error::Ambiguous`] caused by a vendor error (a 5xx with the vendor's error body), that error's code.
    pub fn vendor_code(&self) -> Option<&str> {
        match self {
            Error::Vendor { code, .. } => Some(code),
            Error::Ambiguous { source, .. } => source.downcast_ref::<Error>().and_then(Error::vendor_code),
            _ => None,
        }
    }

    /// Whether repeating the same request later may succeed: connection errors, timeouts, 429, 502, 503, 504.
    ///
    /// This says nothing about whether a repeat is *safe*; faxkit only retries idempotent requests.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } | Error::RateLimited { .. } => true,
            Error::HttpStatus { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// The typed vendor detail inside [`Error::Vendor`] (also when it is the cause of an [`Error::Ambiguous`]),
    /// downcast to `T`.
    pub fn vendor_detail<T: std::error::Error + 'static>(&self) -> Option<&T> {
        match self {
            Error::Vendor { detail: Some(d), .. } | Error::RateLimited { detail: Some(d), .. } => d.downcast_ref::<T>(),
            Error::Ambiguous { source, .. } => source.downcast_ref::<Error>().and_then(Error::vendor_detail),
            _ => None,
        }
    }

    /// A validation error.
    pub fn invalid_input(vendor: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput { vendor, message: message.into() }
    }

    /// An unsupported-operation error.
    pub fn unsupported(vendor: &'static str, operation: impl Into<String>) -> Self {
        Error::Unsupported { vendor, operation: operation.into() }
    }

    /// A decode error keeping an excerpt of the offending input.
    pub fn decode(vendor: &'static str, message: impl Into<String>, input: &[u8], source: Option<BoxError>) -> Self {
        Error::Decode { vendor, message: message.into(), excerpt: excerpt(input), source }
    }

    /// A transport error after the connection was open (or at an unknown stage): [`TransportStage::Exchange`].
    pub fn transport(vendor: &'static str, source: impl Into<BoxError>) -> Self {
        Error::Transport { vendor, stage: TransportStage::Exchange, source: source.into() }
    }

    /// A connection that could not be opened (refused, DNS, TLS handshake, connect timeout):
    /// [`TransportStage::Connect`]; nothing was sent.
    pub fn connect_failed(vendor: &'static str, source: impl Into<BoxError>) -> Self {
        Error::Transport { vendor, stage: TransportStage::Connect, source: source.into() }
    }

    /// Whether the request certainly never reached the vendor because the connection could not be opened
    /// (connection refused, DNS failure, TLS handshake failure, connect timeout). This is the one transport
    /// failure after which the same fax may be given to another vendor without risking a double send.
    ///
    /// ```
    /// # use faxkit::Error;
    /// let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    /// assert!(Error::connect_failed("interfax", refused).is_not_sent());
    /// let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
    /// assert!(!Error::transport("interfax", reset).is_not_sent());
    /// ```
    pub fn is_not_sent(&self) -> bool {
        matches!(self, Error::Transport { stage: TransportStage::Connect, .. })
    }

    /// The transport stage of an [`Error::Transport`]; `None` for other kinds.
    pub fn transport_stage(&self) -> Option<TransportStage> {
        match self {
            Error::Transport { stage, .. } => Some(*stage),
            _ => None,
        }
    }

    /// Sets the idempotency key of an [`Error::Ambiguous`] that has none (vendor send paths call this with the
    /// request's key); other errors pass through unchanged.
    ///
    /// ```
    /// # use faxkit::Error;
    /// let e = Error::ambiguous("retarus", None, "connection reset").with_idempotency_key(Some("K1"));
    /// assert!(matches!(e, Error::Ambiguous { key: Some(ref k), .. } if k == "K1"));
    /// ```
    #[must_use]
    pub fn with_idempotency_key(self, key: Option<&str>) -> Self {
        match self {
            Error::Ambiguous { vendor, key: None, source } => {
                Error::Ambiguous { vendor, key: key.map(str::to_owned), source }
            }
            other => other,
        }
    }

    /// A copy of this error for another outcome of the same call (one multi-recipient job that failed for
    /// every recipient): the same kind, vendor, status, codes, stage and key, with the cause kept as text.
    pub fn replicate(&self) -> Error {
        let cause = |e: &dyn std::error::Error| -> BoxError { Box::new(CauseText(e.to_string())) };
        match self {
            Error::Transport { vendor, stage, source } => {
                Error::Transport { vendor, stage: *stage, source: cause(source.as_ref()) }
            }
            Error::Timeout { vendor, elapsed } => Error::Timeout { vendor, elapsed: *elapsed },
            Error::Auth { vendor, status, message } => {
                Error::Auth { vendor, status: *status, message: message.clone() }
            }
            Error::NotFound { vendor, message } => Error::NotFound { vendor, message: message.clone() },
            Error::RateLimited { vendor, retry_after, detail } => Error::RateLimited {
                vendor,
                retry_after: *retry_after,
                detail: detail.as_ref().map(|d| cause(d.as_ref())),
            },
            Error::HttpStatus { vendor, status, body } => {
                Error::HttpStatus { vendor, status: *status, body: body.clone() }
            }
            Error::Vendor { vendor, status, code, message, detail } => Error::Vendor {
                vendor,
                status: *status,
                code: code.clone(),
                message: message.clone(),
                detail: detail.as_ref().map(|d| cause(d.as_ref())),
            },
            Error::Decode { vendor, message, excerpt, source } => Error::Decode {
                vendor,
                message: message.clone(),
                excerpt: excerpt.clone(),
                source: source.as_ref().map(|d| cause(d.as_ref())),
            },
            Error::InvalidInput { vendor, message } => Error::InvalidInput { vendor, message: message.clone() },
            Error::Io { vendor, context, source } => Error::Io {
                vendor,
                context: context.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Error::Ambiguous { vendor, key, source } => {
                // Keep a nested faxkit error's kind (and so its status) when there is one.
                let source: BoxError = match source.downcast_ref::<Error>() {
                    Some(inner) => Box::new(inner.replicate()),
                    None => cause(source.as_ref()),
                };
                Error::Ambiguous { vendor, key: key.clone(), source }
            }
            Error::Unsupported { vendor, operation } => Error::Unsupported { vendor, operation: operation.clone() },
        }
    }

    /// The cause of an [`Error::Ambiguous`] from a preparatory request of a send (a document upload before
    /// the fax itself): that step may have created something, but the fax was certainly not sent, so the send
    /// reports the cause (its faxkit error, or a transport error). Other errors pass through.
    #[must_use]
    pub fn without_ambiguity(self) -> Self {
        match self {
            Error::Ambiguous { vendor, source, .. } => match source.downcast::<Error>() {
                Ok(inner) => *inner,
                Err(other) => Error::Transport { vendor, stage: TransportStage::Exchange, source: other },
            },
            other => other,
        }
    }

    /// The idempotency key an [`Error::Ambiguous`] carries.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Ambiguous { key, .. } => key.as_deref(),
            _ => None,
        }
    }

    /// An ambiguous outcome: `source` happened after the request may have reached the vendor.
    pub fn ambiguous(vendor: &'static str, key: Option<String>, source: impl Into<BoxError>) -> Self {
        Error::Ambiguous { vendor, key, source: source.into() }
    }

    /// Whether the request may have reached the vendor ([`Error::Ambiguous`]).
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, Error::Ambiguous { .. })
    }

    /// An I/O error with context.
    pub fn io(vendor: &'static str, context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { vendor, context: context.into(), source }
    }

    /// Maps a `reqwest` error to a transport or timeout error; `timeout` is what the caller configured.
    ///
    /// A connection that could not be opened (refused, DNS, TLS handshake, and connect timeouts too) is
    /// [`Error::Transport`] at [`TransportStage::Connect`]; other timeouts are [`Error::Timeout`]; the rest is
    /// [`Error::Transport`] at [`TransportStage::Exchange`].
    pub fn from_reqwest(vendor: &'static str, err: reqwest::Error, timeout: Duration) -> Self {
        if err.is_connect() {
            Error::Transport { vendor, stage: TransportStage::Connect, source: Box::new(err) }
        } else if err.is_timeout() {
            Error::Timeout { vendor, elapsed: timeout }
        } else {
            Error::Transport { vendor, stage: TransportStage::Exchange, source: Box::new(err) }
        }
    }

    /// Maps an HTTP error status with no vendor error body to the right kind (401/403 → auth, 404 → not
    /// found, 429 → rate limited, else [`Error::HttpStatus`]). This is the one place status codes become kinds.
    pub fn from_status(vendor: &'static str, status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let text = excerpt(body);
        match status {
            401 | 403 => Error::Auth { vendor, status, message: text },
            404 => Error::NotFound { vendor, message: text },
            429 => Error::RateLimited { vendor, retry_after, detail: None },
            _ => Error::HttpStatus { vendor, status, body: text },
        }
    }

    /// Builds a vendor error, or a more specific kind when the HTTP status says so (401/403 → auth,
    /// 404 → not found). Vendor crates call this with their parsed error body.
    pub fn from_vendor(
        vendor: &'static str,
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        detail: Option<BoxError>,
    ) -> Self {
        let (code, message) = (code.into(), message.into());
        match status {
            401 | 403 => Error::Auth { vendor, status, message: format!("{code}: {message}") },
            404 => Error::NotFound { vendor, message: format!("{code}: {message}") },
            _ => Error::Vendor { vendor, status, code, message, detail },
        }
    }
}

/// A cause kept as its message ([`Error::replicate`]).
#[derive(Debug)]
struct CauseText(String);

impl std::fmt::Display for CauseText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CauseText {}

/// The first [`EXCERPT_LEN`] characters of `input`, lossily decoded as UTF-8.
pub fn excerpt(input: &[u8]) -> String {
    let cut = &input[..input.len().min(EXCERPT_LEN * 4)];
    let text = String::from_utf8_lossy(cut);
    let mut out: String = text.chars().take(EXCERPT_LEN).collect();
    if text.chars().count() > EXCERPT_LEN || input.len() > cut.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_maps_to_kind() {
        assert_eq!(Error::from_status("x", 401, b"no", None).kind(), ErrorKind::Auth);
        assert_eq!(Error::from_status("x", 404, b"", None).kind(), ErrorKind::NotFound);
        assert_eq!(Error::from_status("x", 429, b"", None).kind(), ErrorKind::RateLimited);
        let e = Error::from_status("x", 503, b"busy", None);
        assert_eq!(e.kind(), ErrorKind::HttpStatus);
        assert!(e.is_retryable());
        assert!(!Error::from_status("x", 500, b"", None).is_retryable());
    }

    #[test]
    fn excerpt_is_bounded_and_marks_truncation() {
        let long = vec![b'a'; 10_000];
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_LEN + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn vendor_detail_downcasts() {
        #[derive(Debug, thiserror::Error)]
        #[error("detail")]
        struct Detail(u8);
        let e = Error::from_vendor("x", 400, "-1", "bad", Some(Box::new(Detail(7))));
        assert_eq!(e.vendor_detail::<Detail>().map(|d| d.0), Some(7));
        assert_eq!(e.vendor_code(), Some("-1"));
    }
}
