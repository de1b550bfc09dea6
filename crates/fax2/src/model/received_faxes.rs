//! `GET /received_faxes` and `GET /fax_services/{service_id}/received_faxes`.

use faxkit::FaxNumber;
use jiff::Timestamp;

use super::ServiceId;

faxkit::id_type! {
    /// A received fax. Ids are opaque and not ordered: a later fax may have a smaller id (Fax2 API,
    /// `received_faxes`).
    pub struct ReceivedFaxId;
}

/// One page of received faxes.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct ReceivedFaxesPage {
    /// The faxes, in no particular order.
    pub data: Vec<ReceivedFax>,
    /// Present when the `limit` was reached: the complete URL of the next page.
    #[serde(default)]
    pub next_page_url: Option<String>,
}

/// A received fax.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct ReceivedFax {
    /// `id`: Fax2's unique id for the received fax, a string to pass to the other endpoints (`content.pdf`).
    pub id: ReceivedFaxId,
    /// The receiving number, Fax2 form without `+` (`61281234567`).
    pub to: String,
    /// When receiving completed (UTC).
    pub received_at: Timestamp,
    /// The fax service that received it.
    pub service_id: ServiceId,
    /// `pages`: the number of pages in the received fax (integer, always present).
    pub pages: u32,
}

impl ReceivedFax {
    /// The receiving number parsed.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] when the vendor's text is not a number.
    pub fn to_number(&self) -> faxkit::Result<FaxNumber> {
        FaxNumber::from_international_digits(&self.to)
    }
}
