//! Vendor timestamps: parsed into UTC, with the raw text kept where the vendor is ambiguous.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

/// A timestamp as a vendor sent it: the UTC instant and the raw text it came from.
///
/// Deserializes from a string with [`parse_utc_lenient`]; serializes as the raw text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VendorTime {
    /// The instant, in UTC.
    pub utc: Timestamp,
    /// The text as the vendor sent it.
    pub raw: String,
}

impl VendorTime {
    /// Parses with [`parse_utc_lenient`], keeping the raw text.
    ///
    /// ```
    /// # use faxkit::VendorTime;
    /// let t = VendorTime::parse("2016-10-03T00:36:41")?;   // no offset: read as UTC
    /// assert_eq!(t.utc.to_string(), "2016-10-03T00:36:41Z");
    /// assert_eq!(t.raw, "2016-10-03T00:36:41");
    /// # Ok::<(), faxkit::Error>(())
    /// ```
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(VendorTime { utc: parse_utc_lenient(raw)?, raw: raw.to_owned() })
    }

    /// Parses wall-clock time in a named zone with a `strftime` format; see [`parse_in_zone`].
    pub fn parse_in_zone(raw: &str, format: &str, zone: &str) -> Result<Self> {
        Ok(VendorTime { utc: parse_in_zone(raw, format, zone)?, raw: raw.to_owned() })
    }
}

impl fmt::Debug for VendorTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (raw {:?})", self.utc, self.raw)
    }
}

impl fmt::Display for VendorTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.utc, f)
    }
}

impl serde::Serialize for VendorTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> serde::Deserialize<'de> for VendorTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        VendorTime::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Parses a vendor timestamp into UTC, accepting the forms vendors actually send:
/// RFC 3339 (`Z` or `+01:00`), basic offsets (`+0100`), a space instead of `T`, fractional seconds, and no
/// offset at all (read as UTC, as InterFAX documents).
///
/// # Errors
/// [`Error::Decode`] with the input.
pub fn parse_utc_lenient(raw: &str) -> Result<Timestamp> {
    let s = raw.trim();
    let bad = |e: jiff::Error| Error::decode("faxkit", format!("not a timestamp: {e}"), s.as_bytes(), None);
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    let normalized = normalize_offset(&s.replacen(' ', "T", 1));
    if let Ok(ts) = normalized.parse::<Timestamp>() {
        return Ok(ts);
    }
    let dt: DateTime = normalized.parse().map_err(bad)?;
    TimeZone::UTC.to_timestamp(dt).map_err(bad)
}

/// Turns a trailing basic offset `+0100` into `+01:00`.
fn normalize_offset(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() > 5 {
        let tail = &b[b.len() - 5..];
        if (tail[0] == b'+' || tail[0] == b'-') && tail[1..].iter().all(u8::is_ascii_digit) && s.contains('T') {
            return format!("{}{}:{}", &s[..s.len() - 5], &s[s.len() - 5..s.len() - 2], &s[s.len() - 2..]);
        }
    }
    s.to_owned()
}

/// Parses wall-clock text in a named IANA zone into UTC, daylight-saving aware (ambiguous times resolve the
/// way RFC 5545 "compatible" does: the earlier instant on fall-back, later on spring-forward).
///
/// ```
/// # use faxkit::time::parse_in_zone;
/// let t = parse_in_zone("10/26/2013 10:54:18 PM", "%m/%d/%Y %I:%M:%S %p", "America/Los_Angeles")?;
/// assert_eq!(t.to_string(), "2013-10-27T05:54:18Z"); // PDT, UTC-7
/// # Ok::<(), faxkit::Error>(())
/// ```
///
/// # Errors
/// [`Error::Decode`] for text that does not match, or an unknown zone.
pub fn parse_in_zone(raw: &str, format: &str, zone: &str) -> Result<Timestamp> {
    let s = raw.trim();
    let tz = if zone == "UTC" {
        TimeZone::UTC
    } else {
        TimeZone::get(zone).map_err(|e| Error::decode("faxkit", format!("unknown time zone {zone}: {e}"), b"", None))?
    };
    let dt = DateTime::strptime(format, s)
        .map_err(|e| Error::decode("faxkit", format!("expected a time like {format}: {e}"), s.as_bytes(), None))?;
    tz.to_timestamp(dt)
        .map_err(|e| Error::decode("faxkit", format!("time does not exist in {zone}: {e}"), s.as_bytes(), None))
}

/// Formats a timestamp as RFC 3339 in UTC with a `Z`, to whole seconds (`2026-11-23T16:00:00Z`).
pub fn format_utc(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_forms() {
        for (raw, want) in [
            ("2016-10-03T00:36:41", "2016-10-03T00:36:41Z"),
            ("2016-10-03T00:36:41Z", "2016-10-03T00:36:41Z"),
            ("2016-10-03T02:36:41+02:00", "2016-10-03T00:36:41Z"),
            ("2016-10-03T01:36:41+0100", "2016-10-03T00:36:41Z"),
            ("2016-10-03 00:36:41", "2016-10-03T00:36:41Z"),
            ("2016-10-03T00:36:41.123", "2016-10-03T00:36:41.123Z"),
            ("2001-12-31T21:34+02:00", "2001-12-31T19:34:00Z"),
        ] {
            assert_eq!(parse_utc_lenient(raw).unwrap().to_string(), want, "{raw}");
        }
        assert!(parse_utc_lenient("yesterday").is_err());
        assert!(parse_utc_lenient("").is_err());
    }

    #[test]
    fn pacific_time_across_dst() {
        let f = "%m/%d/%Y %I:%M:%S %p";
        let z = "America/Los_Angeles";
        assert_eq!(parse_in_zone("01/15/2014 09:00:00 AM", f, z).unwrap().to_string(), "2014-01-15T17:00:00Z");
        assert_eq!(parse_in_zone("07/15/2014 09:00:00 AM", f, z).unwrap().to_string(), "2014-07-15T16:00:00Z");
        assert_eq!(parse_in_zone("11/02/2014 01:30:00 AM", f, z).unwrap().to_string(), "2014-11-02T08:30:00Z");
        assert!(parse_in_zone("13/45/2014 01:30:00 AM", f, z).is_err());
    }
}
