//! The FaxCore fax id.

use std::fmt;
use std::str::FromStr;

use crate::VENDOR;

/// A FaxCore fax id, as returned by `SendFax` and `GetFaxList` (`209608080375`): a 64-bit number.
///
/// ```
/// # use faxcore::FaxId;
/// let id: FaxId = "209608080375".parse()?;
/// assert_eq!(id.get(), 209_608_080_375);
/// assert_eq!(faxkit::FaxId::from(id).as_str(), "209608080375");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaxId(u64);

impl FaxId {
    /// An id from its number.
    pub const fn new(id: u64) -> Self {
        FaxId(id)
    }

    /// The id as a number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for FaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<u64> for FaxId {
    fn from(id: u64) -> Self {
        FaxId(id)
    }
}

impl FromStr for FaxId {
    type Err = faxkit::Error;

    /// Parses the decimal text of an id, ignoring surrounding whitespace.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] when the text is not a 64-bit unsigned number.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(faxkit::Error::invalid_input(VENDOR, format!("{s:?} is not a FaxCore fax id (a number)")));
        }
        t.parse::<u64>()
            .map(FaxId)
            .map_err(|e| faxkit::Error::invalid_input(VENDOR, format!("{s:?} is not a FaxCore fax id: {e}")))
    }
}

impl From<FaxId> for faxkit::FaxId {
    fn from(id: FaxId) -> Self {
        faxkit::FaxId::from(id.0)
    }
}

impl TryFrom<&faxkit::FaxId> for FaxId {
    type Error = faxkit::Error;

    fn try_from(id: &faxkit::FaxId) -> Result<Self, Self::Error> {
        id.as_str().parse()
    }
}

impl serde::Serialize for FaxId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for FaxId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}
