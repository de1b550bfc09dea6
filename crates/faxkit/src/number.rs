//! Fax numbers: parsed once, formatted the way each vendor wants.
//!
//! | vendor form | method | example |
//! |---|---|---|
//! | E.164 with `+` (InterFAX input, Retarus, FaxCore) | [`FaxNumber::e164`] | `+12125550100` |
//! | digits only, country code first (Fax2) | [`FaxNumber::digits`] | `12125550100` |
//! | `00` international prefix (InterFAX output) | [`FaxNumber::international_00`] | `0012125550100` |
//! | 10-digit NANP (WestFax) | [`FaxNumber::nanp`] | `2125550100` |

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

const VENDOR: &str = "faxkit";

/// ITU-T E.164 country codes that are two digits long; `1` and `7` are one digit, every other code three.
const TWO_DIGIT_CODES: &[u16] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62,
    63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// Countries whose national numbers keep their leading `0` in international form (Italy, and the Vatican
/// and San Marino which share its numbering); elsewhere a leading `0` is a trunk prefix and is dropped.
const KEEPS_LEADING_ZERO: &[u16] = &[39, 378, 379];

/// A country calling code such as `1` (NANP), `44` (UK) or `61` (Australia).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(u16);

impl CountryCode {
    /// The North American Numbering Plan (US, Canada, much of the Caribbean).
    pub const NANP: CountryCode = CountryCode(1);

    /// A country code from its number; checks it is 1–3 digits and not 0.
    ///
    /// ```
    /// # use faxkit::CountryCode;
    /// assert_eq!(CountryCode::new(61).unwrap().get(), 61);
    /// assert!(CountryCode::new(0).is_err());
    /// ```
    pub fn new(code: u16) -> Result<Self> {
        if (1..=999).contains(&code) {
            Ok(CountryCode(code))
        } else {
            Err(Error::invalid_input(VENDOR, format!("country code {code} is not 1 to 3 digits")))
        }
    }

    /// The numeric code.
    pub fn get(self) -> u16 {
        self.0
    }

    /// Splits a run of international digits (no `+`, no `00`) into country code and the rest.
    fn split(digits: &str) -> Option<(CountryCode, &str)> {
        let first = digits.as_bytes().first()?;
        let len = match first {
            b'1' | b'7' => 1,
            b'0' => return None,
            _ => {
                let two: u16 = digits.get(..2)?.parse().ok()?;
                if TWO_DIGIT_CODES.contains(&two) { 2 } else { 3 }
            }
        };
        let code: u16 = digits.get(..len)?.parse().ok()?;
        Some((CountryCode(code), &digits[len..]))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

/// A validated fax number: a country code and a national significant number.
///
/// Parse once, at the edge, then let each vendor crate format it as its wire wants.
///
/// ```
/// # use faxkit::{FaxNumber, CountryCode};
/// let n = FaxNumber::parse("+1 (212) 555-0100")?;
/// assert_eq!(n.e164(), "+12125550100");
/// assert_eq!(n.digits(), "12125550100");
/// assert_eq!(n.international_00(), "0012125550100");
/// assert_eq!(n.nanp()?, "2125550100");
///
/// // National formats need a default country; the trunk `0` is dropped.
/// let uk = FaxNumber::parse_with_country("020 8497 8672", CountryCode::new(44)?)?;
/// assert_eq!(uk.e164(), "+442084978672");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaxNumber {
    country: CountryCode,
    national: String,
}

impl FaxNumber {
    /// Parses an international number: `+CC…`, `00CC…`, or `tel:+CC…`, with spaces, dots, dashes, slashes
    /// and parentheses allowed between digits.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the number has no country code, contains letters or an extension, or has
    /// an impossible length. Use [`FaxNumber::parse_with_country`] for national formats.
    pub fn parse(input: &str) -> Result<Self> {
        Self::parse_inner(input, None)
    }

    /// Parses an international or national number; national numbers belong to `default_country`.
    ///
    /// For NANP (`+1`) `2125550100`, `1-212-555-0100` and `011 44 20 8497 8672` (the NANP international
    /// prefix) are understood; elsewhere a leading trunk `0` is dropped (except for Italy, which keeps it).
    pub fn parse_with_country(input: &str, default_country: CountryCode) -> Result<Self> {
        Self::parse_inner(input, Some(default_country))
    }

    /// Reads digits that start with the country code but have no `+` (the Fax2 wire form, `61290001234`).
    pub fn from_international_digits(input: &str) -> Result<Self> {
        let digits = clean(input)?;
        if digits.starts_with('+') {
            return Self::parse(&digits);
        }
        Self::from_split(input, &digits)
    }

    /// Builds a number from its parts; `national` must be the national significant number (no trunk prefix).
    pub fn from_parts(country: CountryCode, national: &str) -> Result<Self> {
        let national = clean(national)?;
        Self::validated(national.as_str(), country, national.trim_start_matches('+'))
    }

    fn parse_inner(input: &str, default_country: Option<CountryCode>) -> Result<Self> {
        let cleaned = clean(input)?;
        if let Some(rest) = cleaned.strip_prefix('+') {
            return Self::from_split(input, rest);
        }
        if let Some(rest) = cleaned.strip_prefix("00") {
            return Self::from_split(input, rest);
        }
        match default_country {
            None => Err(Error::invalid_input(
                VENDOR,
                format!(
                    "fax number {input:?} has no country code; write it as +<country><number> or pass a default \
                     country"
                ),
            )),
            Some(CountryCode::NANP) => {
                if let Some(rest) = cleaned.strip_prefix("011") {
                    return Self::from_split(input, rest);
                }
                let national = match cleaned.len() {
                    11 if cleaned.starts_with('1') => &cleaned[1..],
                    _ => cleaned.as_str(),
                };
                Self::validated(input, CountryCode::NANP, national)
            }
            Some(cc) => {
                let national = if KEEPS_LEADING_ZERO.contains(&cc.0) {
                    cleaned.as_str()
                } else {
                    cleaned.strip_prefix('0').unwrap_or(&cleaned)
                };
                Self::validated(input, cc, national)
            }
        }
    }

    fn from_split(input: &str, international: &str) -> Result<Self> {
        let (cc, national) = CountryCode::split(international).ok_or_else(|| {
            Error::invalid_input(VENDOR, format!("fax number {input:?} does not start with a valid country code"))
        })?;
        Self::validated(input, cc, national)
    }

    fn validated(input: &str, country: CountryCode, national: &str) -> Result<Self> {
        let bad = |why: &str| Err(Error::invalid_input(VENDOR, format!("fax number {input:?} {why}")));
        if national.is_empty() || !national.bytes().all(|b| b.is_ascii_digit()) {
            return bad("has no national number");
        }
        let cc_len = country.0.to_string().len();
        if national.len() < 4 {
            return bad("is too short");
        }
        if cc_len + national.len() > 15 {
            return bad("is longer than the 15 digits E.164 allows");
        }
        if country == CountryCode::NANP {
            let b = national.as_bytes();
            if national.len() != 10 {
                return bad("must have 10 digits after +1 (area code and number)");
            }
            if b[0] < b'2' || b[3] < b'2' {
                return bad("has an area code or exchange starting with 0 or 1, which NANP does not allow");
            }
        }
        Ok(FaxNumber { country, national: national.to_owned() })
    }

    /// The country code.
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// The national significant number (no country code, no trunk prefix).
    pub fn national(&self) -> &str {
        &self.national
    }

    /// E.164 with a leading `+`: `+12125550100`.
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country.0, self.national)
    }

    /// Country code and number as bare digits: `12125550100` (Fax2's `dest_number`).
    pub fn digits(&self) -> String {
        format!("{}{}", self.country.0, self.national)
    }

    /// With the `00` international prefix: `0012125550100` (InterFAX's canonical output form).
    pub fn international_00(&self) -> String {
        format!("00{}{}", self.country.0, self.national)
    }

    /// The 10-digit NANP form WestFax uses: `2125550100`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the number is not in the NANP (`+1`).
    pub fn nanp(&self) -> Result<String> {
        if self.country == CountryCode::NANP {
            Ok(self.national.clone())
        } else {
            Err(Error::invalid_input(VENDOR, format!("{} is not a North American (+1) number", self.e164())))
        }
    }
}

/// Removes separators; keeps one leading `+`; refuses letters, extensions and empty input.
fn clean(input: &str) -> Result<String> {
    let trimmed = input.trim();
    let trimmed = trimmed.strip_prefix("tel:").unwrap_or(trimmed);
    let mut out = String::with_capacity(trimmed.len());
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => {
                return Err(Error::invalid_input(
                    VENDOR,
                    format!("fax number {input:?} contains {c:?}; only digits, '+' and separators are allowed"),
                ));
            }
        }
    }
    if out.trim_start_matches('+').is_empty() {
        return Err(Error::invalid_input(VENDOR, format!("fax number {input:?} has no digits")));
    }
    Ok(out)
}

impl fmt::Display for FaxNumber {
    /// Formats as E.164 with `+`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}{}", self.country.0, self.national)
    }
}

impl fmt::Debug for FaxNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FaxNumber({self})")
    }
}

impl FromStr for FaxNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        FaxNumber::parse(s)
    }
}

impl serde::Serialize for FaxNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for FaxNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FaxNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(n: u16) -> CountryCode {
        CountryCode::new(n).unwrap()
    }

    #[test]
    fn parses_international_formats() {
        for (input, e164) in [
            ("+12125550100", "+12125550100"),
            ("+1 (212) 555-0100", "+12125550100"),
            ("001 212 555 0100", "+12125550100"),
            ("0012125550100", "+12125550100"),
            ("00442084978672", "+442084978672"),
            ("+44 20 8497 8672", "+442084978672"),
            ("+61 2 9000 1234", "+61290001234"),
            ("+49 30 1234567", "+49301234567"),
            ("+39 06 1234 5678", "+390612345678"),
            ("+353 1 234 5678", "+35312345678"),
            ("+852 2123 4567", "+85221234567"),
            ("+7 495 123-45-67", "+74951234567"),
            ("tel:+33.1.23.45.67.89", "+33123456789"),
            (" +41 44 668 18 00 ", "+41446681800"),
        ] {
            assert_eq!(FaxNumber::parse(input).unwrap().e164(), e164, "{input}");
        }
    }

    #[test]
    fn splits_country_codes_by_length() {
        assert_eq!(FaxNumber::parse("+12125550100").unwrap().country().get(), 1);
        assert_eq!(FaxNumber::parse("+442084978672").unwrap().country().get(), 44);
        assert_eq!(FaxNumber::parse("+35312345678").unwrap().country().get(), 353);
        assert_eq!(FaxNumber::parse("+35312345678").unwrap().national(), "12345678");
        assert_eq!(FaxNumber::parse("+6591234567").unwrap().country().get(), 65);
    }

    #[test]
    fn parses_national_formats_with_default_country() {
        let n = FaxNumber::parse_with_country("(212) 555-0100", CountryCode::NANP).unwrap();
        assert_eq!(n.e164(), "+12125550100");
        let n = FaxNumber::parse_with_country("1-212-555-0100", CountryCode::NANP).unwrap();
        assert_eq!(n.nanp().unwrap(), "2125550100");
        let n = FaxNumber::parse_with_country("011 44 20 8497 8672", CountryCode::NANP).unwrap();
        assert_eq!(n.e164(), "+442084978672");
        let n = FaxNumber::parse_with_country("020 8497 8672", cc(44)).unwrap();
        assert_eq!(n.e164(), "+442084978672");
        let n = FaxNumber::parse_with_country("(02) 9000 1234", cc(61)).unwrap();
        assert_eq!(n.digits(), "61290001234");
        let n = FaxNumber::parse_with_country("06 1234 5678", cc(39)).unwrap();
        assert_eq!(n.e164(), "+390612345678", "Italy keeps its leading zero");
        let n = FaxNumber::parse_with_country("+49 30 1234567", cc(44)).unwrap();
        assert_eq!(n.country().get(), 49, "an explicit country code wins over the default");
    }

    #[test]
    fn formats_for_each_vendor() {
        let n = FaxNumber::parse("+442084978672").unwrap();
        assert_eq!(n.e164(), "+442084978672");
        assert_eq!(n.digits(), "442084978672");
        assert_eq!(n.international_00(), "00442084978672");
        assert!(n.nanp().is_err());
        assert_eq!(n.to_string(), "+442084978672");
        assert_eq!(FaxNumber::from_international_digits("61290001234").unwrap().e164(), "+61290001234");
        assert_eq!(FaxNumber::from_parts(cc(61), "2 9000 1234").unwrap().e164(), "+61290001234");
    }

    #[test]
    fn rejects_bad_input_with_validation_errors() {
        for bad in [
            "",
            "   ",
            "+",
            "abc",
            "+1 212 555 0100 x12",
            "2125550100",
            "+0 123 4567",
            "+1 212 555 010",
            "+1 012 555 0100",
            "+1 212 055 0100",
            "+44 12",
            "+44 1234 5678 9012 345",
            "++12125550100",
            "+1-800-FLOWERS",
            "00",
            "١٢٣٤٥٦٧٨",
        ] {
            let err = FaxNumber::parse(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{bad:?}");
        }
        assert!(FaxNumber::parse_with_country("555 0100", CountryCode::NANP).is_err());
    }

    #[test]
    fn serde_round_trips_as_e164() {
        let n = FaxNumber::parse("0012125550100").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"+12125550100\"");
        assert_eq!(serde_json::from_str::<FaxNumber>(&json).unwrap(), n);
        assert!(serde_json::from_str::<FaxNumber>("\"12\"").is_err());
    }
}
