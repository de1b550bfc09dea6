//! `GetFaxDetails`: the details of one fax.

use faxkit::VendorTime;

use crate::model::fax_status::FaxCoreStatus;
use crate::model::ids::FaxId;

faxkit::open_enum! {
    /// Which way a fax went (`<Type>` in `GetFaxDetails`).
    pub enum FaxType {
        /// Sent by the account (`Outbound`, as in the reference's sample).
        Outbound = "Outbound",
        /// Received by the account (`Inbound`).
        Inbound = "Inbound",
    }
}

/// The details of a fax: the `<Results>` of `GetFaxDetails`.
///
/// Dates are Pacific time on the wire (`10/26/2013 10:54:18 PM`); each is parsed into UTC with the raw text
/// kept. An empty date or count (a fax still in progress has no `CompleteDate`) is `None`. Unknown elements
/// are ignored.
///
/// The reference's sample has every element, but it does not say which ones the server always writes, so
/// `FaxID`, `Type` and `Status` are optional too: a reply missing one still decodes (issue 21). `Type` and
/// `Status` keep an unknown value as `Other(raw)`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct FaxDetails {
    /// `FaxID`: the fax; `None` when the element is missing or empty.
    #[serde(rename = "FaxID", default, with = "crate::model::text::optional_id")]
    pub fax_id: Option<FaxId>,
    /// `Type`: outbound or inbound; `None` when the element is missing or empty.
    #[serde(rename = "Type", default, with = "crate::model::text::optional_text_enum")]
    pub fax_type: Option<FaxType>,
    /// `FaxNumber`: the remote fax number as FaxCore prints it (the recipient of an outbound fax, the sender
    /// of an inbound one), unparsed.
    #[serde(rename = "FaxNumber", default)]
    pub fax_number: String,
    /// `Subject`: the fax's subject (for a sent fax, the `subject` given at send, printed on its cover page);
    /// empty when the element is missing.
    #[serde(rename = "Subject", default)]
    pub subject: String,
    /// `CreatedDate`: when FaxCore accepted or received the fax.
    #[serde(rename = "CreatedDate", default, with = "crate::model::text::optional_pst")]
    pub created_date: Option<VendorTime>,
    /// `CompleteDate`: when the fax reached its final status.
    #[serde(rename = "CompleteDate", default, with = "crate::model::text::optional_pst")]
    pub complete_date: Option<VendorTime>,
    /// `Status`: where the fax stands (`Completed`, `Failed`, `In Queue`, …); `None` when the element is missing
    /// or empty.
    #[serde(rename = "Status", default, with = "crate::model::text::optional_text_enum")]
    pub status: Option<FaxCoreStatus>,
    /// `PageCount`: pages in the fax.
    #[serde(rename = "PageCount", default, with = "crate::model::text::optional_u32")]
    pub page_count: Option<u32>,
    /// `PageDelivered`: pages delivered so far.
    #[serde(rename = "PageDelivered", default, with = "crate::model::text::optional_u32")]
    pub page_delivered: Option<u32>,
}

impl FaxDetails {
    /// Details with only the required parts (for sandboxes and tests); the rest is empty.
    pub fn new(fax_id: FaxId, fax_type: FaxType, status: FaxCoreStatus) -> Self {
        FaxDetails {
            fax_id: Some(fax_id),
            fax_type: Some(fax_type),
            fax_number: String::new(),
            subject: String::new(),
            created_date: None,
            complete_date: None,
            status: Some(status),
            page_count: None,
            page_delivered: None,
        }
    }

    /// The vendor-neutral status of this fax, with pages, number and dates filled in.
    ///
    /// `requested` is the id the details were asked for; it names the fax when the reply has no `FaxID`. A
    /// reply without `Status` is [`faxkit::DeliveryStatus::Unknown`] with an empty raw status.
    pub fn to_fax_status(&self, requested: FaxId) -> faxkit::FaxStatus {
        let id = self.fax_id.unwrap_or(requested);
        let (status, raw) = match &self.status {
            Some(s) => (s.delivery_status(), s.as_str()),
            None => (faxkit::DeliveryStatus::Unknown, ""),
        };
        let mut out = faxkit::FaxStatus::new(id.into(), status, raw);
        out.pages = self.page_count;
        out.to = (!self.fax_number.is_empty()).then(|| self.fax_number.clone());
        out.submitted_at = self.created_date.as_ref().map(|t| t.utc);
        out.completed_at = self.complete_date.as_ref().map(|t| t.utc);
        out
    }

    /// The vendor-neutral inbound view of this fax.
    ///
    /// `requested` is the id the details were asked for; it names the fax when the reply has no `FaxID`.
    pub fn to_inbound_fax(&self, requested: FaxId) -> faxkit::InboundFax {
        let mut out = faxkit::InboundFax::new(self.fax_id.unwrap_or(requested).into());
        out.from = (!self.fax_number.is_empty()).then(|| self.fax_number.clone());
        out.pages = self.page_count;
        out.received_at = self.created_date.as_ref().map(|t| t.utc);
        out
    }
}

/// The `<GetFaxDetails>` element.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub(crate) struct FaxDetailsBody {
    #[serde(rename = "Results", alias = "results")]
    pub(crate) results: FaxDetails,
}

impl crate::model::envelope::Reply for FaxDetailsBody {
    /// `<Results>` (or `<results>`) is there; every child is optional.
    fn has_result(&self) -> bool {
        true
    }
}
