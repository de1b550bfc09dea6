//! FaxCore timestamps: "All responses that return Date/Time objects are in PST" (API reference, overview).
//!
//! The reference's sample is `10/26/2013 10:54:18 PM`. It is read as wall-clock time in `America/Los_Angeles`
//! (PST in winter, PDT in summer) and converted to UTC; the raw text is always kept in
//! [`VendorTime::raw`](faxkit::VendorTime) so a caller who knows the server uses a fixed UTC-8 can re-read it
//! with [`faxkit::time::parse_in_zone`] and the zone `Etc/GMT+8`.

use faxkit::VendorTime;

use crate::VENDOR;

/// The IANA zone FaxCore's "PST" timestamps are read in.
pub const FAXCORE_TIME_ZONE: &str = "America/Los_Angeles";

/// The formats tried, in order: the reference's `MM/dd/yyyy hh:mm:ss tt` (single digits accepted, as .NET's
/// default `M/d/yyyy h:mm:ss tt` writes them), then 24-hour and date-only variants.
const FORMATS: &[&str] = &["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M"];

/// Parses a FaxCore timestamp (`10/26/2013 10:54:18 PM`, Pacific time) into UTC, keeping the raw text.
///
/// Times that occur twice on the autumn change (`11/03/2013 01:30:00 AM`) resolve to the earlier instant
/// (PDT); times that do not exist on the spring change resolve forward.
///
/// ```
/// let t = faxcore::model::time::parse_pst("10/26/2013 10:54:18 PM")?;
/// assert_eq!(t.utc.to_string(), "2013-10-27T05:54:18Z"); // PDT, UTC-7
/// assert_eq!(t.raw, "10/26/2013 10:54:18 PM");
/// # Ok::<(), faxkit::Error>(())
/// ```
///
/// # Errors
/// [`faxkit::Error::Decode`] with the text when it matches none of the formats.
pub fn parse_pst(raw: &str) -> faxkit::Result<VendorTime> {
    let mut last = None;
    for format in FORMATS {
        match VendorTime::parse_in_zone(raw, format, FAXCORE_TIME_ZONE) {
            Ok(t) => return Ok(t),
            Err(e) => last = Some(e),
        }
    }
    Err(faxkit::Error::decode(
        VENDOR,
        "expected a FaxCore date like 10/26/2013 10:54:18 PM",
        raw.as_bytes(),
        last.map(|e| Box::new(e) as faxkit::BoxError),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_sample_and_dst_change() {
        let t = parse_pst("10/26/2013 10:54:18 PM").unwrap();
        assert_eq!(t.utc.to_string(), "2013-10-27T05:54:18Z");
        // Spring forward, 10 March 2013: 01:59:59 PST is 09:59:59Z, 03:00:00 PDT is 10:00:00Z.
        assert_eq!(parse_pst("03/10/2013 01:59:59 AM").unwrap().utc.to_string(), "2013-03-10T09:59:59Z");
        assert_eq!(parse_pst("03/10/2013 03:00:00 AM").unwrap().utc.to_string(), "2013-03-10T10:00:00Z");
        // .NET's default short form with single digits.
        assert_eq!(parse_pst("1/5/2014 9:03:07 AM").unwrap().utc.to_string(), "2014-01-05T17:03:07Z");
        assert_eq!(parse_pst("1/5/2014 21:03:07").unwrap().utc.to_string(), "2014-01-06T05:03:07Z");
        assert!(parse_pst("yesterday").is_err());
        assert!(parse_pst("13/45/2014 01:30:00 AM").is_err());
    }
}
