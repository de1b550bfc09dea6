//! Printing results and errors.

use std::io::Write;

use faxkit::{Error, ErrorKind};

/// Prints a line to stdout, ignoring a closed pipe (`fax inbox | head`).
pub(crate) fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// Prints one JSON value to stdout.
pub(crate) fn json(value: &serde_json::Value) {
    line(&value.to_string());
}

/// Prints an error line to stderr.
pub(crate) fn error_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// One line naming the vendor, the HTTP status and the vendor's own code and message.
pub(crate) fn describe(e: &Error) -> String {
    let vendor = e.vendor();
    let detail = match e {
        Error::Vendor { status, code, message, .. } => format!("HTTP {status}, vendor error {code}: {message}"),
        Error::Auth { status, message, .. } => format!("HTTP {status}, authentication failed: {message}"),
        Error::NotFound { message, .. } => format!("HTTP 404, not found: {message}"),
        Error::HttpStatus { status, body, .. } => format!("HTTP {status}: {}", one_line(body)),
        Error::RateLimited { retry_after, .. } => match retry_after {
            Some(d) => format!("HTTP 429, rate limited; retry after {}s", d.as_secs()),
            None => "HTTP 429, rate limited".to_owned(),
        },
        other => {
            let text = other.to_string();
            text.strip_prefix(&format!("{vendor}: ")).map(str::to_owned).unwrap_or(text)
        }
    };
    format!("fax: {vendor}: {}", one_line(&detail))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The process exit code for an error kind.
pub(crate) fn exit_code(e: &Error) -> u8 {
    match e.kind() {
        ErrorKind::InvalidInput => 2,
        ErrorKind::Auth => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Unsupported => 5,
        ErrorKind::Timeout => 6,
        ErrorKind::Ambiguous => 7,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_vendor_errors_on_one_line() {
        let e = Error::from_vendor("interfax", 400, "-1062", "Fax number\nis invalid", None);
        assert_eq!(describe(&e), "fax: interfax: HTTP 400, vendor error -1062: Fax number is invalid");
        let e = Error::from_status("faxcore", 401, b"bad login", None);
        assert_eq!(describe(&e), "fax: faxcore: HTTP 401, authentication failed: bad login");
        assert_eq!(exit_code(&e), 3);
        let e = Error::invalid_input("faxkit", "fax number \"12\" is too short");
        assert_eq!(describe(&e), "fax: faxkit: invalid input: fax number \"12\" is too short");
    }
}
