//! Where a client may send requests: base URLs (https except on loopback), redirects that stay on one
//! origin, and the `Authorization: Basic` value.

use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};

/// The `Authorization: Basic …` value for a user and password (RFC 7617), marked sensitive so it never shows
/// in `Debug` output. Clients compute it once when they are built rather than encode it on every call.
///
/// ```
/// use faxkit::{Secret, http::basic_auth};
/// let value = basic_auth("faxkit", "alice", &Secret::new("s3cret")).unwrap();
/// assert!(value.is_sensitive());
/// assert_eq!(value.to_str().unwrap(), "Basic YWxpY2U6czNjcmV0");
/// assert!(!format!("{value:?}").contains("YWxp"));
/// ```
///
/// # Errors
/// None in practice (base64 text is always a valid header value); typed rather than a panic.
pub fn basic_auth(vendor: &'static str, user: &str, password: &crate::Secret) -> Result<reqwest::header::HeaderValue> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.expose()));
    let mut value = reqwest::header::HeaderValue::try_from(format!("Basic {encoded}"))
        .map_err(|_| Error::invalid_input(vendor, "credentials cannot form an Authorization header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Parses and checks a base URL: https, or http on a loopback host; the path always ends in `/`.
///
/// # Errors
/// [`Error::InvalidInput`].
pub fn parse_base_url(vendor: &'static str, raw: &str) -> Result<Url> {
    let mut url = Url::parse(raw).map_err(|e| Error::invalid_input(vendor, format!("base URL {raw:?}: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid_input(
                vendor,
                format!("base URL {raw:?} uses plain http; https is required except on loopback hosts"),
            ));
        }
        other => return Err(Error::invalid_input(vendor, format!("base URL {raw:?} has unsupported scheme {other}"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(vendor, "base URL must not carry credentials; use the client's credentials"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Whether a redirect from a client at `base` to `target` stays on the same scheme, host and port (an
/// https→http redirect on the same host is refused: it would send credentials in clear).
pub(crate) fn same_scheme_host_port(base: &Url, target: &Url) -> bool {
    base.scheme() == target.scheme()
        && base.host_str().map(str::to_ascii_lowercase) == target.host_str().map(str::to_ascii_lowercase)
        && base.port_or_known_default() == target.port_or_known_default()
}

/// Whether the URL's host is a loopback address or exactly `localhost`.
///
/// Subdomains of `localhost` (`evil.localhost`) do not count: not every resolver keeps them on loopback, so
/// plain http to them could leave the machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_required_except_loopback() {
        assert!(parse_base_url("t", "https://rest.example.com/v1").is_ok());
        assert_eq!(parse_base_url("t", "https://rest.example.com/v1").unwrap().path(), "/v1/");
        assert!(parse_base_url("t", "http://127.0.0.1:9000").is_ok());
        assert!(parse_base_url("t", "http://localhost:9000/api/").is_ok());
        assert!(parse_base_url("t", "http://[::1]:9000/").is_ok());
        let err = parse_base_url("t", "http://rest.example.com/").unwrap_err();
        assert!(err.to_string().contains("https is required"));
        assert!(parse_base_url("t", "ftp://x/").is_err());
        assert!(parse_base_url("t", "https://user:pw@x/").is_err());
        assert!(parse_base_url("t", "not a url").is_err());
    }

    #[test]
    fn redirects_stay_on_scheme_host_and_port() {
        let base = Url::parse("https://api.example.com/v1/").unwrap();
        let ok = |t: &str| same_scheme_host_port(&base, &Url::parse(t).unwrap());
        assert!(ok("https://api.example.com/v1/other"));
        assert!(ok("https://API.example.com:443/x"));
        assert!(!ok("http://api.example.com/v1/other"), "https→http on the same host");
        assert!(!ok("http://api.example.com:443/v1/other"), "https→http on the same host and port");
        assert!(!ok("https://api.example.com:8443/x"));
        assert!(!ok("https://evil.example.com/x"));
    }
}
