//! Wire types: ids, open enums and the JSON/XML models (the vendor's C# SDK for the current API, the WSDL
//! `SoapWebService.wsdl` for the legacy one).
//!
//! Field names are the wire names (`#[serde(rename)]`); reading is case-insensitive and ignores unknown
//! fields, so renamed or new vendor fields never break a call. Every field is optional on read because the
//! vendor's own models are (the C# SDK reads answers with Json.NET).

pub mod contact;
pub mod fax;
pub mod legacy;
pub mod profile;
pub mod security;

pub use contact::ContactItem;
pub use fax::{
    CoverPageItem, FaxCallInfoItem, FaxDescItem, FaxFileItem, FaxIdItem, FileItem, FolderItem, JobCallStatusItem,
    JobStatusItem, NameValueItem, Page,
};
pub use legacy::{
    BroadcastFaxJobStatusContainer, DocumentContainer, FaxProductContainer, FileContainer, InFaxContainer,
    VoiceProductContainer,
};
pub use profile::{AccountItem, AddressItem, ProductItem};
pub use security::{LoginAclItem, LoginInfoItem, UserItem};

faxkit::id_type! {
    /// A fax id (GUID): the job id of an outbound fax or the file-resource id of an inbound one.
    pub struct FaxId;
}
faxkit::id_type! {
    /// A fax line ("product") id (GUID), sent as `ProductId`.
    pub struct ProductId;
}
faxkit::id_type! {
    /// An account id (GUID), sent as `AccountId`.
    pub struct AccountId;
}
faxkit::id_type! {
    /// A login (user) id (GUID).
    pub struct LoginId;
}
faxkit::id_type! {
    /// A contact id (GUID).
    pub struct ContactId;
}
faxkit::id_type! {
    /// A product folder id (GUID).
    pub struct FolderId;
}
faxkit::id_type! {
    /// A cover page id (GUID).
    pub struct CoverPageId;
}
faxkit::id_type! {
    /// One call (dial attempt) of a fax (GUID).
    pub struct CallId;
}

faxkit::open_enum! {
    /// Inbound or outbound (`Direction`, `FaxDirection`).
    pub enum Direction {
        /// `Inbound`: a fax received on one of your lines.
        Inbound = "Inbound",
        /// `Outbound`: a fax (job) you sent.
        Outbound = "Outbound",
    }
}

faxkit::open_enum! {
    /// Fax resolution (`FaxQuality`).
    pub enum FaxQuality {
        /// 200×200 dpi.
        Fine = "Fine",
        /// 200×100 dpi.
        Normal = "Normal",
    }
}

faxkit::open_enum! {
    /// The filter value of a fax (`Filter`, `Tag`): unread, read/downloaded, deleted (`FaxFilterValue` in the C# SDK).
    pub enum FilterValue {
        /// Unread; setting it marks the fax unread again.
        None = "None",
        /// Read / downloaded.
        Retrieved = "Retrieved",
        /// Moved to the deleted-items folder.
        Removed = "Removed",
        /// Deleted for good (never shown again; FaxForward products).
        Deleted = "Deleted",
    }
}

faxkit::open_enum! {
    /// The state of a fax job (`Status`, `JobState`). `Complete` means dialing finished, not that every
    /// recipient got it: check each call's [`CallResult`] (`FaxCallInfo.Result` in the C# SDK).
    pub enum FaxStatus {
        /// `Complete`: "Job is done dialing" (C# SDK); each call's [`CallResult`] says whether it was delivered.
        Complete = "Complete",
        /// Accepted, waiting.
        Submitted = "Submitted",
        /// `Production`: "Generally indicates that it is dialing" (C# SDK).
        Production = "Production",
        /// Not submitted yet (a two-step broadcast job).
        UnSubmitted = "UnSubmitted",
        /// `UnAssigned`: listed by the C# SDK without a description; not seen on the wire by us.
        UnAssigned = "UnAssigned",
        /// Failed (rare; treat like complete).
        Failed = "Failed",
        /// `Cancelled` (also read as `Canceled`): the job was cancelled.
        Cancelled = "Cancelled" | "Canceled",
        /// `Paused`: the job is paused (not dialing).
        Paused = "Paused",
        /// `Submitter`: listed by the C# SDK without a description (meaning unknown).
        Submitter = "Submitter",
    }
}

faxkit::open_enum! {
    // WestFax's own client matches these ignoring case and spaces (`FaxIdClasses.cs` in
    // github.com/westfax/SDK-Fax: `No Answer` and `NoAnswer` are one value).
    @ignore_spaces
    /// The result of one call (`Result`, `CallResult`), as the vendor's C# SDK recognises them (`FaxIdClasses.cs`),
    /// matched as that SDK matches them: ignoring case and spaces (`No Fax Device` = `NoFaxDevice`).
    pub enum CallResult {
        /// `Success`: the call delivered the fax.
        Success = "Success",
        /// `Sending`: the call is in progress (not final).
        Sending = "Sending",
        /// `Removed`: the number was taken out of the job and not dialled (a duplicate number ends so).
        Removed = "Removed",
        /// `BadNumber`: the number could not be dialled as given.
        BadNumber = "BadNumber",
        /// `Busy`: the called line was busy.
        Busy = "Busy",
        /// `NoAnswer` (also `No Answer`): nobody answered the call.
        NoAnswer = "NoAnswer",
        /// A person or voice line answered.
        NoFaxDevice = "NoFaxDevice",
        /// `Cancelled` (also `Canceled`): the call was cancelled.
        Cancelled = "Cancelled" | "Canceled",
        /// `Failed`: the call failed for a reason WestFax does not name.
        Failed = "Failed",
        /// `InvalidNumber`: the number is not a valid phone number.
        InvalidNumber = "InvalidNumber",
        /// `Unknown`: WestFax's own "unknown" result (a value this crate does not know is `Other` instead).
        Unknown = "Unknown",
        /// The connection dropped.
        ConnectionInterrupt = "ConnectionInterrupt",
        /// An inbound fax was received.
        InboundFaxReceived = "InboundFaxReceived",
        /// `Sent`: the call delivered the fax (like `Success`).
        Sent = "Sent",
        /// Queued to dial.
        WaitingToDial = "WaitingToDial",
        /// Invalid CSID.
        InvalidCsid = "InvalidCsid",
        /// `InvalidSchedule`: the job's schedule (start time) was not valid.
        InvalidSchedule = "InvalidSchedule",
        /// A fax or modem was detected.
        FaxOrModemDetected = "FaxOrModemDetected",
        /// `FileError`: a problem with a document of the job (not described further by the vendor).
        FileError = "FileError",
        /// The document could not be converted.
        DocumentConversionError = "DocumentConversionError",
        /// `ConnectionFailure`: the call could not be connected.
        ConnectionFailure = "ConnectionFailure",
        /// Area code blocked.
        AreaCodeBlocked = "AreaCodeBlocked",
        /// Tier/region not allowed for this line.
        TierBlocked = "TierBlocked",
        /// Number listed twice, removed.
        DuplicateNumber = "DuplicateNumber",
        /// Too many duplicates.
        DuplicateNumberMax = "DuplicateNumberMax",
        /// `Blocked`: the call was blocked (not described further by the vendor).
        Blocked = "Blocked",
        /// On the removal (do-not-fax) list.
        RemovalList = "RemovalList",
        /// `OperatorIntercept`: the call reached a telephone-company intercept message instead of a fax.
        OperatorIntercept = "OperatorIntercept",
    }
}

impl CallResult {
    /// Whether the call delivered the fax.
    pub fn is_delivered(&self) -> bool {
        matches!(self, CallResult::Success | CallResult::Sent)
    }

    /// Whether the call is still going on.
    pub fn is_pending(&self) -> bool {
        matches!(self, CallResult::Sending | CallResult::WaitingToDial)
    }
}

faxkit::open_enum! {
    /// The kind of a fax line (`ProductType`).
    pub enum ProductType {
        /// Fax to e-mail (inbound line).
        FaxForward = "FaxForward",
        /// Broadcast (outbound) fax.
        BroadcastFax = "BroadcastFax",
        /// `FaxRelay`: a fax relay line (listed by the C# SDK; not described further).
        FaxRelay = "FaxRelay",
        /// `None`: no product type (the C# SDK's default value).
        None = "None",
    }
}

faxkit::open_enum! {
    /// The state of a fax line (`ProductState`).
    pub enum ProductState {
        /// `OK`: the line is active.
        Ok = "OK",
        /// Active, cancellation pending.
        OkCancelled = "OK_Cancelled",
        /// `Suspended`: the line is suspended (not described further by the vendor).
        Suspended = "Suspended",
        /// `Closed`: the line is closed.
        Closed = "Closed",
    }
}

faxkit::open_enum! {
    /// A document format for `Fax_GetFaxDocuments` / `Fax_ConvertToFaxDocument` (`Format`).
    pub enum FileFormat {
        /// PDF (the default).
        Pdf = "pdf",
        /// `tiff`: TIFF (fax image).
        Tiff = "tiff",
        /// `jpeg`: JPEG images.
        Jpeg = "jpeg",
        /// `png`: PNG images.
        Png = "png",
        /// `gif`: GIF images.
        Gif = "gif",
        /// OCR as XML (listed by the C# SDK; whether the server produces it is unknown).
        XmlOcr = "xml_ocr",
        /// OCR as JSON.
        JsonOcr = "json_ocr",
        /// OCR as text.
        TxtOcr = "txt_ocr",
        /// Searchable PDF.
        PdfOcr = "pdf_ocr",
        /// OCR as hOCR HTML.
        HtmlOcr = "html_ocr",
    }
}

faxkit::open_enum! {
    /// Who may see a contact (`filters` of the contact search).
    pub enum ContactVisibility {
        /// Everyone in the reseller.
        Global = "Global",
        /// Shared in the account.
        Public = "Public",
        /// The owner only.
        Private = "Private",
    }
}

faxkit::open_enum! {
    /// How several match conditions combine (`matchType`).
    pub enum MatchType {
        /// All must match.
        And = "And",
        /// Any may match.
        Or = "Or",
    }
}

faxkit::open_enum! {
    /// A user's role (`UserRoleLevel`, `level`).
    pub enum UserRoleLevel {
        /// `None`: no role (no access granted by this entry).
        None = "None",
        /// `Read`: read-only access (by its name; the vendor does not describe the roles).
        Read = "Read",
        /// `SendOnly`: send-only access (by its name).
        SendOnly = "SendOnly",
        /// `User`: an ordinary user (the default `level` of the product search).
        User = "User",
        /// `Accounting`: billing access (not described further by the vendor).
        Accounting = "Accounting",
        /// `SuperUser`: above `User`, below `Admin` (not described further by the vendor).
        SuperUser = "SuperUser",
        /// `Admin`: administrator of the entity the entry names.
        Admin = "Admin",
    }
}

faxkit::open_enum! {
    /// What an ACL entry grants access to (`ACLType`).
    pub enum AclType {
        /// A fax line.
        Product = "Product",
        /// `Account`: the entry's `EntityId` is an account.
        Account = "Account",
        /// `Reseller`: the entry's `EntityId` is a reseller.
        Reseller = "Reseller",
    }
}

faxkit::open_enum! {
    /// How a legacy document link is served (`ContentDisposition`).
    pub enum ContentDisposition {
        /// Shown in the browser.
        Inline = "Inline",
        /// `Attachment`: served as a download (`Content-Disposition: attachment`).
        Attachment = "Attachment",
    }
}

faxkit::open_enum! {
    /// How legacy `GetDocumentLinks` reports errors (`ErrorMode`).
    pub enum ErrorMode {
        /// By HTTP status.
        HttpStatus = "HTTPStatus",
        /// In the XML body.
        XmlStatus = "XmlStatus",
    }
}

/// A date/time as WestFax sends it: RFC 3339 (`2018-09-04T03:28:04Z`) or the legacy US form
/// (`6/29/2017 10:31:29 AM`), parsed to UTC, with the raw text always kept (as [`faxkit::VendorTime`] keeps
/// it). Text that parses as neither is kept too, with `utc` `None`, rather than dropped or failing the call.
///
/// ```
/// use westfax::model::WireTime;
/// let t = WireTime::parse("6/29/2017 10:31:29 PM");
/// assert_eq!(t.utc.map(|u| u.to_string()).as_deref(), Some("2017-06-29T22:31:29Z"));
/// let odd = WireTime::parse("29.06.2017");
/// assert_eq!((odd.utc, odd.raw.as_str()), (None, "29.06.2017"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct WireTime {
    /// The instant in UTC (the time zone is undocumented: read as UTC); `None` when the text does not parse.
    pub utc: Option<jiff::Timestamp>,
    /// The text as WestFax sent it.
    pub raw: String,
}

impl WireTime {
    /// Parses leniently (RFC 3339 or US `M/d/yyyy h:mm:ss tt`, both read as UTC), keeping the text.
    pub fn parse(raw: &str) -> WireTime {
        WireTime { utc: parse_time(raw).map(|t| t.utc), raw: raw.to_owned() }
    }
}

impl From<faxkit::VendorTime> for WireTime {
    fn from(t: faxkit::VendorTime) -> Self {
        WireTime { utc: Some(t.utc), raw: t.raw }
    }
}

impl std::fmt::Display for WireTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Parses a vendor date leniently (RFC 3339 or US `M/d/yyyy h:mm:ss tt`, both read as UTC).
pub(crate) fn parse_time(raw: &str) -> Option<faxkit::VendorTime> {
    // RFC 3339 never has a '/', the US form always has: one parser per value, not a failed attempt first.
    if !raw.contains('/') {
        return faxkit::VendorTime::parse(raw).ok();
    }
    for format in ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"] {
        if let Ok(t) = faxkit::VendorTime::parse_in_zone(raw, format, "UTC") {
            return Some(t);
        }
    }
    None
}

/// serde helper: an optional lenient time; text that does not parse is kept with `utc: None` rather than
/// failing the call; empty text and nil read as `None`.
pub(crate) mod opt_time {
    use serde::Deserialize;

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<super::WireTime>, D::Error> {
        let raw = Option::<String>::deserialize(d)?;
        Ok(raw.filter(|r| !r.trim().is_empty()).map(|r| super::WireTime::parse(&r)))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_in_both_forms_read_as_utc_and_keep_the_raw_text() {
        for (raw, want) in [
            ("2018-09-04T03:28:04Z", "2018-09-04T03:28:04Z"),
            ("2018-09-04T03:28:04", "2018-09-04T03:28:04Z"),
            ("2018-09-04T05:28:04+02:00", "2018-09-04T03:28:04Z"),
            ("6/29/2017 10:31:29 AM", "2017-06-29T10:31:29Z"),
            ("6/29/2017 10:31:29 PM", "2017-06-29T22:31:29Z"),
            ("06/29/2017 22:31:29", "2017-06-29T22:31:29Z"),
            ("6/29/2017", "2017-06-29T00:00:00Z"),
        ] {
            let t = parse_time(raw).unwrap_or_else(|| panic!("{raw} did not parse"));
            assert_eq!(t.utc.to_string(), want, "{raw}");
            assert_eq!(t.raw, raw);
        }
        for raw in ["", "yesterday", "13/45/2017", "2017-13-01T00:00:00Z"] {
            assert!(parse_time(raw).is_none(), "{raw}");
        }
    }
}
