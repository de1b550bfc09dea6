//! The one request shape every vendor crate builds, and [`HttpClient::execute`], the one door it is sent
//! through.
//!
//! An endpoint function describes its call as a [`Request`] (method, path under the base URL or a link the
//! vendor gave, query, headers, body, whether it may be repeated, whether it moves a document) and hands it to
//! [`HttpClient::execute`] with the vendor's [`Authenticate`] and error mapper. Building the `reqwest` request,
//! the timeout, the retry policy, the deadline, the tracing span and the mapping of error statuses happen
//! there, once, for every vendor:
//!
//! ```no_run
//! # async fn f(http: &faxkit::HttpClient, auth: &reqwest::header::HeaderValue) -> faxkit::Result<()> {
//! use faxkit::http::Request;
//! let request = Request::get("outbound/faxes").query("limit", 10).query_opt("lastId", None::<u64>);
//! let faxes: serde_json::Value = http.execute_json(request, auth, |_status, _body| None).await?;
//! # Ok(()) }
//! ```

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::{HttpClient, Idempotency};
use crate::error::{Error, Result};

/// How a vendor's credentials ride on a request: a header computed once when the client was built (a
/// `HeaderValue`, sent as `Authorization`), nothing ([`NoAuth`], for vendors whose credentials are in the body
/// or the query), or the vendor's own type.
pub trait Authenticate: Send + Sync {
    /// Adds the credentials to the headers of a request about to be sent.
    fn authenticate(&self, headers: &mut HeaderMap);
}

/// A ready `Authorization` value (Basic from [`basic_auth`](super::basic_auth), or `Bearer …`).
impl Authenticate for HeaderValue {
    fn authenticate(&self, headers: &mut HeaderMap) {
        headers.insert(reqwest::header::AUTHORIZATION, self.clone());
    }
}

/// No credentials on the request itself (they travel in its query or body).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Authenticate for NoAuth {
    fn authenticate(&self, _: &mut HeaderMap) {}
}

/// A request body.
#[non_exhaustive]
pub enum Body {
    /// No body at all (GET, DELETE).
    None,
    /// An empty body sent with `Content-Length: 0` (a POST without content; some servers require the header).
    Empty,
    /// A body in memory with its content type; repeatable, so an idempotent request with it is retried.
    Bytes {
        /// The body, sent as is with its length as `Content-Length`.
        bytes: Bytes,
        /// Its `Content-Type`.
        content_type: Cow<'static, str>,
    },
    /// A streamed body (a document) with its content type and, when known, its length; sent once.
    Stream {
        /// The body, read once as it is sent (a document being uploaded).
        body: reqwest::Body,
        /// Its `Content-Type`.
        content_type: Cow<'static, str>,
        /// Its length, sent as `Content-Length` when known.
        len: Option<u64>,
    },
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(Cow<'static, str>, String)>),
    /// A multipart form, built anew for every attempt (a form holding a stream cannot be replayed).
    Multipart(Arc<dyn Fn() -> Result<reqwest::multipart::Form> + Send + Sync>),
}

impl Body {
    /// A multipart form that can be sent once only (it holds streams): for requests that are never repeated
    /// (sends). A second attempt, were one made, fails with [`Error::InvalidInput`] before any request.
    pub fn multipart_once(vendor: &'static str, form: reqwest::multipart::Form) -> Body {
        let slot = std::sync::Mutex::new(Some(form));
        Body::Multipart(Arc::new(move || {
            slot.lock()
                .ok()
                .and_then(|mut f| f.take())
                .ok_or_else(|| Error::invalid_input(vendor, "a multipart body holding streams cannot be sent twice"))
        }))
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { bytes, content_type } => write!(f, "Bytes({} bytes of {content_type})", bytes.len()),
            Body::Stream { content_type, len, .. } => write!(f, "Stream({len:?} bytes of {content_type})"),
            Body::Form(fields) => write!(f, "Form({} fields)", fields.len()),
            Body::Multipart(_) => f.write_str("Multipart"),
        }
    }
}

/// Where a request goes: a path under the client's base URL, or a link the vendor handed over.
#[derive(Debug, Clone)]
enum Target {
    /// Relative to the base URL (a leading `/` is ignored).
    Path(Cow<'static, str>),
    /// Path segments, each percent-encoded, under the base URL.
    Segments(Vec<String>),
    /// An absolute URL (a `next` link, a download link); checked against the configured origin.
    Url(Url),
}

/// One call to a vendor, as an endpoint function describes it; sent by [`HttpClient::execute`].
///
/// A `GET` and a `DELETE` are idempotent (retried per the policy); a `POST` or `PUT` is not until
/// [`idempotent`](Request::idempotent) says so (a cancel, a mark of a known id).
///
/// ```
/// use faxkit::http::{Body, Request};
/// let r = Request::post("faxes").query("to", "+12125550100").idempotent().transfer();
/// assert_eq!(r.method(), &reqwest::Method::POST);
/// assert_eq!(r.idempotency(), faxkit::Idempotency::Idempotent);
/// let r = Request::segments(reqwest::Method::GET, ["faxes", "a/b"]);
/// assert!(matches!(r.body_ref(), Body::None));
/// ```
#[derive(Debug)]
pub struct Request {
    pub(super) method: Method,
    target: Target,
    query: Vec<(Cow<'static, str>, String)>,
    pub(super) headers: HeaderMap,
    pub(super) body: Body,
    pub(super) idempotency: Idempotency,
    pub(super) transfer: bool,
}

impl Request {
    /// A request with `method` to `path` under the base URL; idempotent for `GET`, `HEAD`, `OPTIONS` and
    /// `DELETE`, not for anything else until marked. A `POST` or `PUT` starts with an empty body.
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        Self::with_target(method, Target::Path(path.into()))
    }

    /// A request to the path formed by `segments`, each percent-encoded (an id with a `/` stays one
    /// segment).
    pub fn segments<S: Into<String>>(method: Method, segments: impl IntoIterator<Item = S>) -> Self {
        Self::with_target(method, Target::Segments(segments.into_iter().map(Into::into).collect()))
    }

    /// A request to an absolute URL the vendor handed over (a next page, a document link). It is sent only if
    /// it has the client's scheme, host and port, so credentials never leave the configured origin.
    pub fn at(method: Method, url: Url) -> Self {
        Self::with_target(method, Target::Url(url))
    }

    fn with_target(method: Method, target: Target) -> Self {
        let idempotency = if matches!(method, Method::GET | Method::HEAD | Method::DELETE | Method::OPTIONS) {
            Idempotency::Idempotent
        } else {
            Idempotency::NonIdempotent
        };
        let body = if method == Method::POST || method == Method::PUT { Body::Empty } else { Body::None };
        Request { method, target, query: Vec::new(), headers: HeaderMap::new(), body, idempotency, transfer: false }
    }

    /// A `GET` (idempotent).
    pub fn get(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` with an empty body (not idempotent until marked).
    pub fn post(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `PUT` with an empty body (not idempotent until marked).
    pub fn put(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A `DELETE` (idempotent).
    pub fn delete(path: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Marks the request safe to repeat (a cancel, a mark or a delete of a known id).
    pub fn idempotent(mut self) -> Self {
        self.idempotency = Idempotency::Idempotent;
        self
    }

    /// Marks the request unsafe to repeat (a `GET` that creates something).
    pub fn non_idempotent(mut self) -> Self {
        self.idempotency = Idempotency::NonIdempotent;
        self
    }

    /// Gives the request the transfer timeout (uploads and downloads of documents).
    pub fn transfer(mut self) -> Self {
        self.transfer = true;
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<Cow<'static, str>>, value: impl ToString) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Adds a query parameter when `value` is present.
    pub fn query_opt(self, key: impl Into<Cow<'static, str>>, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Adds a header from text.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for text that cannot be a header value (a line break, say).
    pub fn header_str(self, vendor: &'static str, name: HeaderName, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_input(vendor, format!("{value:?} is not a valid {name} header value")))?;
        Ok(self.header(name, value))
    }

    /// Sets a JSON body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `value` cannot be serialized.
    pub fn json<T: serde::Serialize + ?Sized>(self, vendor: &'static str, value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::invalid_input(vendor, format!("cannot encode the request as JSON: {e}")))?;
        Ok(self.body(Body::Bytes { bytes: bytes.into(), content_type: Cow::Borrowed("application/json") }))
    }

    /// A copy for another attempt, when the body can be sent again (anything but [`Body::Stream`]).
    pub fn try_clone(&self) -> Option<Request> {
        let body = match &self.body {
            Body::None => Body::None,
            Body::Empty => Body::Empty,
            Body::Bytes { bytes, content_type } => {
                Body::Bytes { bytes: bytes.clone(), content_type: content_type.clone() }
            }
            Body::Form(fields) => Body::Form(fields.clone()),
            Body::Multipart(make) => Body::Multipart(make.clone()),
            Body::Stream { .. } => return None,
        };
        Some(Request {
            method: self.method.clone(),
            target: self.target.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body,
            idempotency: self.idempotency,
            transfer: self.transfer,
        })
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the request may be repeated.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// The body as set so far ([`Body::Empty`] for a new `POST` or `PUT`, [`Body::None`] otherwise).
    pub fn body_ref(&self) -> &Body {
        &self.body
    }

    /// The URL the request goes to from `http`: its base URL and this path (or the link, checked against the
    /// configured origin), with the query percent-encoded in order (a space as `%20`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a path that does not form a URL; [`Error::Decode`] for a link elsewhere.
    pub fn url(&self, http: &HttpClient) -> Result<Url> {
        let mut url = match &self.target {
            Target::Path(path) if !path.contains('#') => {
                // The common case in one parse: base URL (no query, ends in `/`), path, query. Unlike a join,
                // a path can never name another scheme or host this way.
                let path = path.trim_start_matches('/');
                let mut full = String::with_capacity(http.base_url().as_str().len() + path.len() + 64);
                full.push_str(http.base_url().as_str());
                full.push_str(path);
                // Before the first pair: `?`, or `&` after a query the path already has (none after `?` or `&`).
                let mut sep = match (path.contains('?'), full.ends_with(['?', '&'])) {
                    (false, _) => Some('?'),
                    (true, false) => Some('&'),
                    (true, true) => None,
                };
                for (k, v) in &self.query {
                    if let Some(c) = sep {
                        full.push(c);
                    }
                    sep = Some('&');
                    push_component(&mut full, k);
                    full.push('=');
                    push_component(&mut full, v);
                }
                return Url::parse(&full)
                    .map_err(|e| Error::invalid_input(http.vendor(), format!("bad request path {path:?}: {e}")));
            }
            Target::Path(path) => http.url(path)?,
            Target::Segments(segments) => {
                // The URL library drops empty, `.` and `..` segments: `DELETE reports/..` would become
                // `DELETE reports`, another resource. An id never needs them.
                if let Some(bad) = segments.iter().find(|s| matches!(s.trim(), "" | "." | "..")) {
                    return Err(Error::invalid_input(
                        http.vendor(),
                        format!("{bad:?} is not a valid id or name in a request path"),
                    ));
                }
                let mut url = http.base_url().clone();
                url.path_segments_mut()
                    .map_err(|()| Error::invalid_input(http.vendor(), "the base URL cannot take a path"))?
                    .pop_if_empty()
                    .extend(segments);
                url
            }
            Target::Url(url) => {
                http.ensure_same_origin(url)?;
                url.clone()
            }
        };
        if !self.query.is_empty() {
            let mut query = url.query().map(str::to_owned).unwrap_or_default();
            for (k, v) in &self.query {
                if !query.is_empty() {
                    query.push('&');
                }
                push_component(&mut query, k);
                query.push('=');
                push_component(&mut query, v);
            }
            url.set_query(Some(&query));
        }
        Ok(url)
    }
}

crate::setters!(Request {
    plain {
        /// Sets the body.
        body: Body,
    }
});

/// Percent-encodes one query component as `application/x-www-form-urlencoded` does, except that a space is
/// `%20`, never `+` (some vendors, FaxCore among them, read `+` literally).
fn push_component(out: &mut String, s: &str) {
    // Ids, numbers and names made only of characters form encoding keeps (the usual case) go in as they are.
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')) {
        out.push_str(s);
        return;
    }
    // form_urlencoded yields a space as its own "+" piece and a literal '+' as "%2B", so a "+" piece is a space.
    for piece in url::form_urlencoded::byte_serialize(s.as_bytes()) {
        out.push_str(if piece == "+" { "%20" } else { piece });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::HttpConfig;

    fn http() -> HttpClient {
        HttpClient::new("t", "0", "https://api.example.com/v1/", &HttpConfig::default()).unwrap()
    }

    #[test]
    fn urls_from_paths_segments_and_links() {
        let h = http();
        let url = |r: Request| r.url(&h).unwrap().to_string();
        assert_eq!(
            url(Request::get("/faxes").query("a", 1).query_opt("b", None::<u8>)),
            "https://api.example.com/v1/faxes?a=1"
        );
        assert_eq!(
            url(Request::segments(Method::GET, ["faxes", "a/b c", "image"])),
            "https://api.example.com/v1/faxes/a%2Fb%20c/image"
        );
        // A path built in one parse: a query the path carries is continued, a path never leaves the origin.
        assert_eq!(url(Request::get("faxes?x=1").query("a", "b c")), "https://api.example.com/v1/faxes?x=1&a=b%20c");
        assert_eq!(url(Request::get("faxes?").query("a", "+")), "https://api.example.com/v1/faxes?a=%2B");
        assert_eq!(url(Request::get("faxes?x=1")), "https://api.example.com/v1/faxes?x=1");
        assert_eq!(url(Request::get("//evil.example.net/x")), "https://api.example.com/v1/evil.example.net/x");
        assert_eq!(url(Request::get("mailto:x").query("a", 1)), "https://api.example.com/v1/mailto:x?a=1");
        assert_eq!(url(Request::get("a/../faxes")), "https://api.example.com/v1/faxes");
        assert_eq!(url(Request::get("faxes#f")), "https://api.example.com/v1/faxes#f");
        let next = Url::parse("https://api.example.com/v1/faxes?page=2").unwrap();
        assert_eq!(url(Request::at(Method::GET, next).query("x", "y")), "https://api.example.com/v1/faxes?page=2&x=y");
        for bad in ["", " ", ".", ".."] {
            assert!(Request::segments(Method::DELETE, ["faxes", bad]).url(&h).is_err(), "{bad:?}");
        }
        let foreign = Url::parse("https://evil.example.net/v1/faxes").unwrap();
        assert!(Request::at(Method::GET, foreign).url(&h).is_err());
    }

    #[test]
    fn idempotency_follows_the_method_until_marked() {
        assert_eq!(Request::get("x").idempotency(), Idempotency::Idempotent);
        assert_eq!(Request::delete("x").idempotency(), Idempotency::Idempotent);
        assert_eq!(Request::post("x").idempotency(), Idempotency::NonIdempotent);
        assert_eq!(Request::post("x").idempotent().idempotency(), Idempotency::Idempotent);
        assert_eq!(Request::get("x").non_idempotent().idempotency(), Idempotency::NonIdempotent);
        assert!(matches!(Request::post("x").body_ref(), Body::Empty));
        assert!(matches!(Request::get("x").body_ref(), Body::None));
    }
}
