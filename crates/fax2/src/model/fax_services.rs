//! `GET /fax_services`.

use faxkit::FaxNumber;

faxkit::id_type! {
    /// A fax service (one fax number of the account), as `fax_services` returns it.
    pub struct ServiceId;
}

/// The `fax_services` response.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct FaxServiceList {
    /// Every fax service of the account.
    pub data: Vec<FaxServiceInfo>,
}

/// One fax service: an id and the number it receives on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct FaxServiceInfo {
    /// Its id, for `fax_services/{service_id}/received_faxes`.
    pub id: ServiceId,
    /// The number in Fax2's form: country code and digits, no `+` (`61281234567`).
    pub fax_number: String,
}

impl FaxServiceInfo {
    /// The fax number parsed.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] when the vendor's text is not a number.
    pub fn number(&self) -> faxkit::Result<FaxNumber> {
        FaxNumber::from_international_digits(&self.fax_number)
    }
}
