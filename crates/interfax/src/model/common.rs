//! Wire types shared by every resource: 64-bit ids, exact decimals, status and error codes, sort order.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::VENDOR;

faxkit::id_type! {
    /// The id of an outbound fax (`id` in outbound records, the last segment of the send `Location`).
    ///
    /// A 64-bit number (PCI ids pass 2³², e.g. `131201409296898`); reads a JSON number or a numeric string.
    pub struct OutboundFaxId(i64) for VENDOR;
}
faxkit::id_type! {
    /// The id of a received fax (`messageId` in inbound records).
    ///
    /// A 64-bit number (PCI ids pass 2³², e.g. `131201409296898`); reads a JSON number or a numeric string.
    pub struct InboundFaxId(i64) for VENDOR;
}
faxkit::id_type! {
    /// The id of a batch (`batchHeadId`).
    ///
    /// A 64-bit number (PCI ids pass 2³², e.g. `131201409296898`); reads a JSON number or a numeric string.
    pub struct BatchId(i64) for VENDOR;
}

faxkit::id_type! {
    /// The id of an uploaded document: 32 hex characters, the last segment of its `uri`
    /// (e.g. `deca890355b44b42944970d9773962b5`).
    pub struct DocumentId;
}

/// Reads an i64 from a JSON number or a numeric string.
struct I64Visitor;

impl Visitor<'_> for I64Visitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a 64-bit integer or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("{v} does not fit in 64 bits")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim().parse().map_err(|_| E::custom(format!("{v:?} is not an integer")))
    }
}

/// The id at the end of a `Location` URI (`https://rest.interfax.net/outbound/faxes/667915751` → `667915751`).
pub(crate) fn last_segment(location: &str) -> Option<&str> {
    let path = location.split(['?', '#']).next().unwrap_or(location);
    path.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty())
}

/// An exact decimal number as InterFAX sends money and units (`3.8500`, `0.1500`, `1.00`).
///
/// Kept as an integer mantissa and a scale, never as `f64`; `Display` prints the vendor's text. Two decimals are
/// equal when their values are (`1.00 == 1`).
///
/// ```
/// # use interfax::Decimal;
/// let balance: Decimal = "3.8500".parse()?;
/// assert_eq!(balance.to_string(), "3.8500");
/// assert_eq!((balance.mantissa(), balance.scale()), (38500, 4));
/// let cost = "1.00".parse::<Decimal>()?.checked_mul(&"0.1500".parse()?).unwrap();
/// assert_eq!(cost, "0.15".parse()?);
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Clone)]
pub struct Decimal {
    raw: String,
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// The value's digits as an integer (`3.8500` → `38500`).
    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    /// Digits after the decimal point (`3.8500` → `4`).
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// The text as InterFAX sent it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The product of two decimals (e.g. `units × costPerUnit`), exact; `None` on overflow.
    pub fn checked_mul(&self, other: &Decimal) -> Option<Decimal> {
        let mantissa = self.mantissa.checked_mul(other.mantissa)?;
        let scale = self.scale.checked_add(other.scale)?;
        Some(Decimal { raw: render(mantissa, scale), mantissa, scale })
    }

    /// The value as `f64`, for display or statistics only: precision may be lost.
    pub fn to_f64_lossy(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// The mantissa and scale with trailing zeros removed.
    fn normalized(&self) -> (i128, u32) {
        let (mut m, mut s) = (self.mantissa, self.scale);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        (m, s)
    }
}

/// Largest exponent magnitude [`Decimal`] accepts (`1e64`): beyond it no value fits its 38 digits and scale of
/// at most 36.
const MAX_EXPONENT: u32 = 64;

fn render(mantissa: i128, scale: u32) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let sign = if mantissa < 0 { "-" } else { "" };
    let scale = scale as usize;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

impl FromStr for Decimal {
    type Err = faxkit::Error;

    /// Parses `-12.3400`, `10`, `1e2`, `1.5E-3`; exponents beyond ±64 are refused.
    fn from_str(s: &str) -> faxkit::Result<Self> {
        let raw = s.trim();
        let bad = || faxkit::Error::decode(VENDOR, "not a decimal number", raw.as_bytes(), None);
        let (num, exp) = match raw.find(['e', 'E']) {
            Some(i) => (&raw[..i], raw[i + 1..].parse::<i32>().map_err(|_| bad())?),
            None => (raw, 0),
        };
        // Scaling below runs once per power of ten: a huge exponent on a zero mantissa (never overflowing)
        // would loop billions of times.
        if exp.unsigned_abs() > MAX_EXPONENT {
            return Err(faxkit::Error::decode(
                VENDOR,
                format!("decimal exponent beyond ±{MAX_EXPONENT}"),
                raw.as_bytes(),
                None,
            ));
        }
        let (neg, digits) = match num.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, num.strip_prefix('+').unwrap_or(num)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let all: String = format!("{int}{frac}");
        if all.trim_start_matches('0').len() > 36 {
            return Err(bad());
        }
        let mut mantissa: i128 = if all.is_empty() { 0 } else { all.parse().map_err(|_| bad())? };
        let mut scale = i64::try_from(frac.len()).map_err(|_| bad())? - i64::from(exp);
        while scale < 0 {
            mantissa = mantissa.checked_mul(10).ok_or_else(bad)?;
            scale += 1;
        }
        let scale = u32::try_from(scale).map_err(|_| bad())?;
        if scale > 36 {
            return Err(bad());
        }
        if neg {
            mantissa = -mantissa;
        }
        Ok(Decimal { raw: raw.to_owned(), mantissa, scale })
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.normalized() == other.normalized()
    }
}

impl Eq for Decimal {}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({})", self.raw)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match serde_json::value::RawValue::from_string(render(self.mantissa, self.scale)) {
            Ok(raw) => raw.serialize(s),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get();
        let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        text.parse().map_err(de::Error::custom)
    }
}

/// The sign class of an InterFAX status code: "0 = OK; less than 0 = in process; greater than 0 = Error".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// Negative: being prepared, queued, sent or retried.
    InProgress,
    /// Zero: sent, confirmed by the receiving machine.
    Success,
    /// Positive: failed for good.
    Failed,
}

/// A fax status code (`status` of outbound faxes, `messageStatus` of inbound faxes and forwarding emails),
/// kept raw; [`class`](Self::class) gives its meaning by sign.
///
/// ```
/// # use interfax::{FaxStatusCode, StatusClass};
/// assert_eq!(FaxStatusCode(-2).class(), StatusClass::InProgress);
/// assert_eq!(FaxStatusCode(0).class(), StatusClass::Success);
/// assert_eq!(FaxStatusCode(3931).class(), StatusClass::Failed);
/// assert_eq!(FaxStatusCode(-22).meaning(), Some("out of credit, awaiting top-up"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaxStatusCode(pub i32);

impl FaxStatusCode {
    /// 0: sent.
    pub const OK: FaxStatusCode = FaxStatusCode(0);
    /// -1: pre-processing.
    pub const PREPROCESSING: FaxStatusCode = FaxStatusCode(-1);
    /// -2: ready, awaiting its turn in the outbound queue.
    pub const READY: FaxStatusCode = FaxStatusCode(-2);
    /// -3: sending (or pending retry).
    pub const SENDING: FaxStatusCode = FaxStatusCode(-3);
    /// -11: pre-processing.
    pub const PREPROCESSING_2: FaxStatusCode = FaxStatusCode(-11);
    /// -22: out of credit, awaiting top-up.
    pub const AWAITING_CREDIT: FaxStatusCode = FaxStatusCode(-22);
    /// 205000: cancelled after 24 hours without credit (the only documented cancellation code).
    pub const CANCELLED_NO_CREDIT: FaxStatusCode = FaxStatusCode(205000);

    /// The sign class.
    pub fn class(self) -> StatusClass {
        match self.0 {
            0 => StatusClass::Success,
            n if n < 0 => StatusClass::InProgress,
            _ => StatusClass::Failed,
        }
    }

    /// Whether the status can no longer change (zero or positive).
    pub fn is_final(self) -> bool {
        self.class() != StatusClass::InProgress
    }

    /// The documented meaning, where there is one.
    pub fn meaning(self) -> Option<&'static str> {
        Some(match self.0 {
            -1 | -11 => "pre-processing",
            -2 => "ready, awaiting its turn in the outbound queue",
            -3 => "sending (or pending retry)",
            -22 => "out of credit, awaiting top-up",
            0 => "OK, fax successfully sent",
            1 => "internal error: call disconnected without page break or confirmation",
            2 | 12 => "telephony error",
            205000 => "cancelled: no credit for 24 hours",
            n if n < 0 => "fax is being handled",
            _ => return None,
        })
    }
}

impl FaxStatusCode {
    /// The vendor-neutral status: -1/-2/-11/-22 queued, -3 and other negatives sending, 0 delivered,
    /// 205000 cancelled (no credit), other positives failed with the code (and its meaning) as reason.
    pub fn delivery_status(self) -> faxkit::DeliveryStatus {
        use faxkit::DeliveryStatus as D;
        match self.0 {
            -1 | -2 | -11 | -22 => D::Queued,
            n if n < 0 => D::Sending,
            0 => D::Delivered,
            205000 => D::Cancelled,
            n => D::failed(match self.meaning() {
                Some(m) => format!("status {n}: {m}"),
                None => format!("status {n}"),
            }),
        }
    }
}

impl fmt::Display for FaxStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for FaxStatusCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(self.0)
    }
}

impl<'de> Deserialize<'de> for FaxStatusCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = d.deserialize_any(I64Visitor)?;
        i32::try_from(n).map(FaxStatusCode).map_err(|_| de::Error::custom(format!("status {n} out of range")))
    }
}

/// An InterFAX error `code` (negative numbers such as `-1005`), an open set: unknown codes are kept as they
/// are and [`meaning`](Self::meaning) returns `None` for them.
///
/// ```
/// # use interfax::ErrorCode;
/// assert_eq!(ErrorCode(-1005).meaning(), Some("transaction does not exist (fax resource not found)"));
/// assert_eq!(ErrorCode(-4242).meaning(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub i64);

impl ErrorCode {
    /// -111: developer accounts may fax only their designated number.
    pub const NOT_DESIGNATED_NUMBER: ErrorCode = ErrorCode(-111);
    /// -1003: authentication error.
    pub const AUTHENTICATION: ErrorCode = ErrorCode(-1003);
    /// -1005: fax resource not found.
    pub const FAX_NOT_FOUND: ErrorCode = ErrorCode(-1005);
    /// -1011: too many data requests (more than 6 status polls per minute).
    pub const TOO_MANY_REQUESTS: ErrorCode = ErrorCode(-1011);
    /// -1062: wrong uploaded document resource.
    pub const WRONG_DOCUMENT: ErrorCode = ErrorCode(-1062);

    /// The documented meaning (Web Service "Appendix A: Return Codes", reused by REST).
    pub fn meaning(self) -> Option<&'static str> {
        Some(match self.0 {
            -111 => "attempting to fax to a number that is not the designated fax number in a developer account",
            -112 => "no valid recipients added or missing fax number",
            -113 => "list name does not exist",
            -114 => "postpone date too late (at most 30 days from now)",
            -123 => "no valid documents attached",
            -150 => "internal system error",
            -310 => "user is not authorized to operate actions on the requested user",
            -311 => "transaction does not belong to requested user",
            -312 => "email(s) already resent",
            -666 => "user is configured in another switch group",
            -677 => "user does not have any TX service registered",
            -710 => "QueryControl.ReturnItems/ReturnStats",
            -1002 => "number of types does not match number of document sizes",
            -1003 => "authentication error",
            -1004 => "missing file type",
            -1005 => "transaction does not exist (fax resource not found)",
            -1007 => "size value is not numeric or not greater than 0",
            -1008 => "total sizes does not match filesdata length",
            -1009 => "image not available",
            -1011 => "too many data requests",
            -1030 => "invalid verb or verb data",
            -1061 => "missing chunk",
            -1062 => "wrong session id (wrong uploaded document resource)",
            -1063 => "total file size is too big",
            -1066 => "multiple faxes are chained to the same original transaction",
            -1876 => "too many login attempts: the user is blocked for 1 hour",
            -2050 => "invalid EmailFormat",
            -2051 => "invalid EmailImageFormat",
            -2052 => "invalid WebFeedBackMethod",
            -2053 => "invalid AttachmentFormat",
            -2054 => "invalid DeleteAfterUsage",
            -3001 => "invalid message id",
            -3002 => "\"from\" parameter is larger than image size",
            -3003 => "image doesn't exist",
            -3004 => "TIFF file is empty",
            -3005 => "requested chunk size is invalid",
            -3006 => "max item is smaller than 1",
            -3007 => "no permission for this action",
            _ => return None,
        })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(I64Visitor).map(ErrorCode)
    }
}

faxkit::open_enum! {
    /// Sort order of listings (by id).
    pub enum SortOrder {
        /// `asc`: ascending fax id, oldest first.
        Asc = "asc",
        /// Newest first (InterFAX's default).
        Desc = "desc",
    }
}

/// Query value of a boolean: `true`/`false` (the docs accept these and upper case).
pub(crate) fn query_bool(b: bool) -> String {
    if b { "true" } else { "false" }.to_owned()
}

/// Query value of a date-time: UTC, ISO 8601 with an explicit `+00:00` offset (docs "Date-Times").
pub(crate) fn query_time(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// Deserializes an optional timestamp, reading `null` and `""` as absent.
pub(crate) fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<faxkit::VendorTime>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => faxkit::VendorTime::parse(text).map(Some).map_err(de::Error::custom),
    }
}

/// Deserializes optional text that may arrive as a string, a number or a boolean (`pageHeader` was once an int).
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("text, a number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_parses_exactly() {
        for (raw, m, s) in
            [("3.8500", 38500, 4), ("10.0000", 100000, 4), ("-1.5", -15, 1), ("7", 7, 0), ("1e2", 100, 0)]
        {
            let d: Decimal = raw.parse().unwrap();
            assert_eq!((d.mantissa(), d.scale()), (m, s), "{raw}");
            assert_eq!(d.to_string(), raw);
        }
        assert!("abc".parse::<Decimal>().is_err());
        assert!("".parse::<Decimal>().is_err());
        assert!("1.2.3".parse::<Decimal>().is_err());
        let d: Decimal = serde_json::from_str("0.1500").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "0.1500");
        assert_eq!(render(-5, 3), "-0.005");
    }

    #[test]
    fn ids_accept_numbers_and_strings_beyond_32_bits() {
        let a: OutboundFaxId = serde_json::from_str("131201409296898").unwrap();
        let b: OutboundFaxId = serde_json::from_str("\"131201409296898\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.get(), 131_201_409_296_898);
        assert_eq!(
            last_segment("https://rest-sl.interfax.net/outbound/faxes/131201409296898"),
            Some("131201409296898")
        );
        assert_eq!(last_segment("https://x/outbound/documents/abc/"), Some("abc"));
    }

    #[test]
    fn query_time_is_utc_with_offset() {
        let ts: jiff::Timestamp = "2001-12-31T19:34:00Z".parse().unwrap();
        assert_eq!(query_time(ts), "2001-12-31T19:34:00+00:00");
    }
}

#[cfg(test)]
mod decimal_value_tests {
    use super::*;

    #[test]
    fn decimal_from_a_json_value_and_a_string() {
        let d: Decimal = serde_json::from_value(serde_json::json!(0.15)).unwrap();
        assert_eq!(d, "0.15".parse().unwrap());
        let s: Decimal = serde_json::from_str("\"3.8500\"").unwrap();
        assert_eq!(s.to_string(), "3.8500");
    }

    #[test]
    fn decimal_with_a_huge_exponent_is_a_decode_error() {
        // A zero mantissa never overflows, so scaling it step by step ran 2^31 times before returning.
        for raw in ["0e2147483647", "0.0E2147483647", "1e999999999", "0e-2147483648", "1e65", "1e-65"] {
            let err = raw.parse::<Decimal>().unwrap_err();
            assert!(matches!(err, faxkit::Error::Decode { .. }), "{raw}: {err:?}");
        }
        assert!(serde_json::from_str::<Decimal>("0e2147483647").is_err());
        assert!(serde_json::from_str::<Decimal>("\"0E2147483647\"").is_err());
        // Exponents within the bound still parse.
        assert_eq!("0e64".parse::<Decimal>().unwrap(), "0".parse().unwrap());
        assert_eq!("25e-2".parse::<Decimal>().unwrap(), "0.25".parse().unwrap());
    }
}
