//! Outbound fax records and the send options' values.

use faxkit::VendorTime;
use serde::{Deserialize, Serialize};

use super::common::{Decimal, FaxStatusCode, OutboundFaxId, opt_text, opt_time};

faxkit::open_enum! {
    /// `pageSize`: sent lower case as the docs' template (`a4|letter|legal|b4`); read back as `A4`, `Letter` ….
    pub enum PageSize {
        /// ISO A4.
        A4 = "a4",
        /// US Letter.
        Letter = "letter",
        /// US Legal.
        Legal = "legal",
        /// ISO B4.
        B4 = "b4",
    }
}

faxkit::open_enum! {
    /// `fitToPage`: scale the image to the page size or not. Not available on the PCI API.
    pub enum FitToPage {
        /// Enlarge or reduce to the page size.
        Scale = "scale",
        /// Keep the original size.
        NoScale = "noscale",
    }
}

faxkit::open_enum! {
    /// `pageOrientation`: how pages are laid out; sent lower case, read back capitalised.
    pub enum PageOrientation {
        /// Portrait: sent `portrait`, read back `Portrait`.
        Portrait = "portrait",
        /// Landscape: sent `landscape`, read back `Landscape`.
        Landscape = "landscape",
    }
}

faxkit::open_enum! {
    /// `resolution` (sent) and `pageResolution`/`resolution` (read back as `Standard`/`Fine`).
    pub enum Resolution {
        /// Standard resolution: faster, cheaper.
        Standard = "standard",
        /// Fine resolution: more readable, slower to transmit.
        Fine = "fine",
    }
}

faxkit::open_enum! {
    /// `rendering` on send: `bw` for text, `greyscale` for images. The docs' template spells `grayscale`; the
    /// descriptions and the .NET SDK spell `greyscale`, which is what is sent (both parse). Use
    /// `Rendering::Other("…".into())` to send any other spelling.
    pub enum Rendering {
        /// Black and white, for text.
        BlackAndWhite = "bw",
        /// Greyscale, for images.
        Greyscale = "greyscale" | "grayscale",
    }
}

faxkit::open_enum! {
    /// `rendering` as read back in fax and batch records: a different vocabulary from the send option.
    pub enum RenderingQuality {
        /// Optimized for black and white.
        Standard = "Standard",
        /// Optimized for greyscale.
        Fine = "Fine",
    }
}

faxkit::open_enum! {
    /// The `status` filter of a search: a family of statuses.
    pub enum StatusFamily {
        /// Every fax (the default).
        All = "All",
        /// Finished, successfully or not.
        Completed = "Completed",
        /// `Success`: finished and delivered (status 0).
        Success = "Success",
        /// `Failed`: finished without delivery (status above 0).
        Failed = "Failed",
        /// Still in progress.
        InProcess = "Inprocess",
    }
}

/// An outbound fax as `GET /outbound/faxes/{id}`, lists, search, `completed` and batch children return it.
///
/// The "summary" level (`completed`, batch children) carries only `id`, `uri`, `status` and the summary fields;
/// everything else is `None` there. Field names are the wire's (`remoteCSID`, `senderCSID`, `userId`); PCI
/// spellings (`reference`, `faxNumber`, `resolution`) have fields of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutboundFax {
    /// `id`: InterFAX's id of the fax, the last segment of its `uri` and of the send's `Location`.
    pub id: OutboundFaxId,
    /// `uri`: the fax's resource URL (`https://rest.interfax.net/outbound/faxes/{id}`); `None` when absent.
    #[serde(default)]
    pub uri: Option<String>,
    /// The status code, raw (see [`FaxStatusCode::class`]).
    pub status: FaxStatusCode,
    /// The submitting user (documented as `userid`/`userID`).
    #[serde(default, alias = "userID", alias = "userid")]
    pub user_id: Option<String>,
    /// Pages successfully sent.
    #[serde(default)]
    pub pages_sent: Option<u32>,
    /// End of the last transmission attempt (UTC; the wire has no offset).
    #[serde(default, deserialize_with = "opt_time")]
    pub completion_time: Option<VendorTime>,
    /// The receiving machine's CSID.
    #[serde(default, rename = "remoteCSID", deserialize_with = "opt_text")]
    pub remote_csid: Option<String>,
    /// Transmission time in seconds.
    #[serde(default)]
    pub duration: Option<Decimal>,
    /// For InterFAX's internal use.
    #[serde(default)]
    pub priority: Option<i32>,
    /// Billed units (pages or tenths of minutes).
    #[serde(default)]
    pub units: Option<Decimal>,
    /// Price per unit in the account's currency.
    #[serde(default)]
    pub cost_per_unit: Option<Decimal>,
    /// `attemptsMade`: transmission attempts actually performed so far; `None` when absent.
    #[serde(default)]
    pub attempts_made: Option<u32>,
    /// When the fax was submitted (UTC).
    #[serde(default, deserialize_with = "opt_time")]
    pub submit_time: Option<VendorTime>,
    /// The `contact` given at submission.
    #[serde(default, deserialize_with = "opt_text")]
    pub contact: Option<String>,
    /// The resolved destination, `00<CC>…` (standard API).
    #[serde(default, deserialize_with = "opt_text")]
    pub destination_fax: Option<String>,
    /// The destination as the PCI API names it.
    #[serde(default, deserialize_with = "opt_text")]
    pub fax_number: Option<String>,
    /// Confirmation e-mail address (may be empty).
    #[serde(default, deserialize_with = "opt_text")]
    pub reply_email: Option<String>,
    /// A name or optional identifier (standard API).
    #[serde(default, deserialize_with = "opt_text")]
    pub subject: Option<String>,
    /// The `reference` given at submission (PCI API).
    #[serde(default, deserialize_with = "opt_text")]
    pub reference: Option<String>,
    /// `pagesSubmitted`: the total number of pages submitted (full records only; absent from `completed` and batch
    /// children).
    #[serde(default)]
    pub pages_submitted: Option<u32>,
    /// `senderCSID`: the sending station id the fax went out with; full records only.
    #[serde(default, rename = "senderCSID", deserialize_with = "opt_text")]
    pub sender_csid: Option<String>,
    /// `attemptsToPerform`: the maximum number of transmission attempts requested (the send's `retriesToPerform`, else
    /// the control panel's setting); full records only.
    #[serde(default)]
    pub attempts_to_perform: Option<u32>,
    /// `pageSize`: the paper size used (`A4`, `Letter`, `Legal`, `B4`); full records only.
    #[serde(default)]
    pub page_size: Option<PageSize>,
    /// `pageOrientation`: `Portrait` or `Landscape`; full records only.
    #[serde(default)]
    pub page_orientation: Option<PageOrientation>,
    /// `pageResolution`: `Standard` or `Fine`, the resolution the fax was sent in (standard API, full records).
    #[serde(default)]
    pub page_resolution: Option<Resolution>,
    /// `resolution` (sent beside `pageResolution`, and alone on PCI).
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// `rendering`: `Standard` (black and white) or `Fine` (greyscale), as read back; full records only.
    #[serde(default)]
    pub rendering: Option<RenderingQuality>,
    /// The header text (seen as `"0"`).
    #[serde(default, deserialize_with = "opt_text")]
    pub page_header: Option<String>,
}

impl OutboundFax {
    /// The cost, `units × costPerUnit`, exact, when both are present.
    pub fn cost(&self) -> Option<Decimal> {
        self.units.as_ref()?.checked_mul(self.cost_per_unit.as_ref()?)
    }
}

impl From<&OutboundFax> for faxkit::FaxStatus {
    fn from(fax: &OutboundFax) -> Self {
        let mut status = faxkit::FaxStatus::new(fax.id.into(), fax.status.delivery_status(), fax.status.to_string());
        status.pages = fax.pages_submitted.or(fax.pages_sent);
        status.to = fax.destination_fax.clone().or_else(|| fax.fax_number.clone());
        status.submitted_at = fax.submit_time.as_ref().map(|t| t.utc);
        status.completed_at = fax.completion_time.as_ref().filter(|_| fax.status.is_final()).map(|t| t.utc);
        status
    }
}
