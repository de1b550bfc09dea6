//! Status, descriptions, documents and filter values.

use jiff::Timestamp;

use crate::model::{
    BroadcastFaxJobStatusContainer, Direction, FaxDescItem, FaxFileItem, FaxId, FaxIdItem, FileFormat, FilterValue,
    JobStatusItem, LoginId, NameValueItem, ProductItem,
};
use crate::operation::{Dialect, Operation, Params, ProductUse};

fn include_zero(mp: &mut Vec<NameValueItem>, name: &str, value: Option<bool>) {
    if let Some(v) = value {
        mp.push(NameValueItem::new(name, if v { "True" } else { "False" }));
    }
}

/// `Fax_GetFaxIdentifiers`: a thin list of fax ids since a date (the `Tag` says whether each was downloaded).
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetFaxIdentifiers {
    start_date: Timestamp,
    direction: Option<Direction>,
    include_zero_page_calls: Option<bool>,
}

impl FaxGetFaxIdentifiers {
    /// Ids of faxes since `start_date`.
    pub fn new(start_date: Timestamp) -> Self {
        FaxGetFaxIdentifiers { start_date, direction: None, include_zero_page_calls: None }
    }
}

faxkit::setters!(FaxGetFaxIdentifiers {
    values {
        /// Only one direction (`FaxDirection`).
        direction: Direction,
        /// Include calls with no pages (`include0PageCalls`).
        include_zero_page_calls: bool,
    }
});

impl Operation for FaxGetFaxIdentifiers {
    type Output = Vec<FaxIdItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetFaxIdentifiers");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.date("StartDate", None, Some(self.start_date));
        p.text("FaxDirection", None, self.direction.as_ref());
        let mut mp = Vec::new();
        include_zero(&mut mp, "include0PageCalls", self.include_zero_page_calls);
        p.method_params(&mp);
        p
    }
}

/// `Fax_GetFaxDescriptions`: full descriptions of the faxes of one direction since a date.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetFaxDescriptions {
    start_date: Timestamp,
    direction: Direction,
    include_zero_page_calls: Option<bool>,
}

impl FaxGetFaxDescriptions {
    /// Descriptions of `direction` faxes since `start_date`.
    pub fn new(start_date: Timestamp, direction: Direction) -> Self {
        FaxGetFaxDescriptions { start_date, direction, include_zero_page_calls: None }
    }
}

faxkit::setters!(FaxGetFaxDescriptions {
    values {
        /// Include calls with no pages (`include0PageCalls`).
        include_zero_page_calls: bool,
    }
});

impl Operation for FaxGetFaxDescriptions {
    type Output = Vec<FaxDescItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetFaxDescriptions");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.date("StartDate", None, Some(self.start_date));
        p.text("FaxDirection", None, Some(&self.direction));
        let mut mp = Vec::new();
        include_zero(&mut mp, "include0PageCalls", self.include_zero_page_calls);
        p.method_params(&mp);
        p
    }
}

macro_rules! fax_ids_op {
    ($(#[$m:meta])* $name:ident, $method:literal, $out:ty, idempotent = $idem:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            ids: Vec<FaxIdItem>,
        }

        impl $name {
            /// The call for these faxes (`FaxIds1…`; send `Id` and `Direction`, as the Postman collection does).
            pub fn new(ids: impl IntoIterator<Item = FaxIdItem>) -> Self {
                $name { ids: ids.into_iter().collect() }
            }
        }

        impl Operation for $name {
            type Output = $out;
            const CURRENT: Option<&'static str> = Some($method);
            const LEGACY: Option<&'static str> = None;
            const PRODUCT: ProductUse = ProductUse::Required;
            const IDEMPOTENT: bool = $idem;

            fn validate(&self) -> faxkit::Result<()> {
                if !Self::IDEMPOTENT && self.ids.len() > super::IDS_PER_CALL {
                    return Err(faxkit::Error::invalid_input(
                        crate::VENDOR,
                        format!(
                            "{} takes at most {} fax ids per call ({} given); it is not split because it is not \
                             safe to repeat",
                            $method,
                            super::IDS_PER_CALL,
                            self.ids.len()
                        ),
                    ));
                }
                Ok(())
            }

            fn split(&self, max: usize) -> Option<Vec<Self>> {
                if !Self::IDEMPOTENT {
                    return None;
                }
                crate::operation::chunks(&self.ids, max).map(|parts| parts.into_iter().map(|ids| $name { ids }).collect())
            }

            fn merge(parts: Vec<Self::Output>) -> faxkit::Result<Self::Output> {
                Ok(crate::operation::Merge::merge_all(parts))
            }

            fn params(&self, dialect: Dialect) -> Params {
                let mut p = Params::new(dialect);
                p.json_list("FaxIds", None, "FaxIdItem", &self.ids);
                p
            }
        }
    };
}

fax_ids_op!(
    /// `Fax_GetFaxDescriptionsUsingIds`: descriptions of given faxes. `Status: Complete` means dialing
    /// finished; each recipient's outcome is in `FaxCallInfoList[].Result`.
    FaxGetFaxDescriptionsUsingIds, "Fax_GetFaxDescriptionsUsingIds", Vec<FaxDescItem>, idempotent = true
);
fax_ids_op!(
    /// `Fax_ResendFaxNotification`: re-delivers an inbound fax's notification to its recipients.
    FaxResendFaxNotification, "Fax_ResendFaxNotification", bool, idempotent = false
);

/// `Fax_GetFaxDocuments`: the documents of faxes, base64 in `Result[].FaxFiles[].FileContents`.
///
/// [`Client::download_document`](crate::Client::download_document) streams the first file instead of decoding the whole answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetFaxDocuments {
    pub(crate) ids: Vec<FaxIdItem>,
    pub(crate) format: FileFormat,
}

impl FaxGetFaxDocuments {
    /// The documents of these faxes, as PDF.
    pub fn new(ids: impl IntoIterator<Item = FaxIdItem>) -> Self {
        FaxGetFaxDocuments { ids: ids.into_iter().collect(), format: FileFormat::Pdf }
    }
}

faxkit::setters!(FaxGetFaxDocuments {
    plain {
        /// The format (`Format`: `pdf`, `tiff`, `jpeg`, `png`, `gif`).
        format: FileFormat,
    }
});

impl Operation for FaxGetFaxDocuments {
    type Output = Vec<FaxFileItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetFaxDocuments");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;
    crate::operation::split_ids!(ids);

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.json_list("FaxIds", None, "FaxIdItem", &self.ids);
        p.text("Format", None, Some(&self.format));
        p
    }
}

/// `Fax_ChangeFaxFilterValue`: marks faxes unread (`None`), read (`Retrieved`) or deleted (`Removed`).
#[derive(Debug, Clone, PartialEq)]
pub struct FaxChangeFaxFilterValue {
    ids: Vec<FaxIdItem>,
    filter: FilterValue,
}

impl FaxChangeFaxFilterValue {
    /// Sets `filter` on these faxes.
    pub fn new(ids: impl IntoIterator<Item = FaxIdItem>, filter: FilterValue) -> Self {
        FaxChangeFaxFilterValue { ids: ids.into_iter().collect(), filter }
    }
}

impl Operation for FaxChangeFaxFilterValue {
    type Output = bool;
    const CURRENT: Option<&'static str> = Some("Fax_ChangeFaxFilterValue");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;
    crate::operation::split_ids!(ids);

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.json_list("FaxIds", None, "FaxIdItem", &self.ids);
        p.text("Filter", None, Some(&self.filter));
        p
    }
}

/// `Fax_GetProductsWithInboundFaxes`: the fax lines holding faxes with a filter value (`None` = unread).
/// Sends no `ProductId` and, like the Postman sample, no `Cookies` flag.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetProductsWithInboundFaxes {
    filter: FilterValue,
}

impl FaxGetProductsWithInboundFaxes {
    /// Lines with faxes whose filter value is `filter`.
    pub fn new(filter: FilterValue) -> Self {
        FaxGetProductsWithInboundFaxes { filter }
    }
}

impl Operation for FaxGetProductsWithInboundFaxes {
    type Output = Vec<ProductItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetProductsWithInboundFaxes");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;
    const COOKIES_FLAG: bool = false;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.text("Filter", None, Some(&self.filter));
        p
    }
}

/// `Fax_SendFaxAsEmail`: e-mails a fax (inbound or outbound) to an address.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxSendFaxAsEmail {
    id: FaxIdItem,
    email: String,
    subject: Option<String>,
    message: Option<String>,
}

impl FaxSendFaxAsEmail {
    /// E-mails fax `id` to `email` (`FeedbackEmail`).
    pub fn new(id: FaxIdItem, email: impl Into<String>) -> Self {
        FaxSendFaxAsEmail { id, email: email.into(), subject: None, message: None }
    }
}

faxkit::setters!(FaxSendFaxAsEmail {
    strings {
        /// Subject (`MethodParams` `Subject`).
        subject,
        /// Message (`MethodParams` `Message`).
        message,
    }
});

impl Operation for FaxSendFaxAsEmail {
    type Output = bool;
    const CURRENT: Option<&'static str> = Some("Fax_SendFaxAsEmail");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;
    const IDEMPOTENT: bool = false;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.json_list("FaxIds", None, "FaxIdItem", std::slice::from_ref(&self.id));
        p.text("FeedbackEmail", None, Some(&self.email));
        let mut mp = Vec::new();
        if let Some(s) = &self.subject {
            mp.push(NameValueItem::new("Subject", s));
        }
        if let Some(m) = &self.message {
            mp.push(NameValueItem::new("Message", m));
        }
        p.method_params(&mp);
        p
    }
}

/// `Fax_ResendFaxFeedback`: re-sends a job's feedback report to an address.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxResendFaxFeedback {
    job: FaxId,
    email: String,
}

impl FaxResendFaxFeedback {
    /// Re-sends the report of `job` to `email` (`EmailAddress`, `Ids1`).
    pub fn new(job: impl Into<FaxId>, email: impl Into<String>) -> Self {
        FaxResendFaxFeedback { job: job.into(), email: email.into() }
    }
}

impl Operation for FaxResendFaxFeedback {
    type Output = bool;
    const CURRENT: Option<&'static str> = Some("Fax_ResendFaxFeedback");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;
    const IDEMPOTENT: bool = false;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.text("EmailAddress", None, Some(&self.email));
        p.list("Ids", None, "guid", [&self.job]);
        p
    }
}

/// `Fax_GetFaxStatus` (legacy `GetFaxStatus`): the status of outbound jobs, with one entry per call.
///
/// WestFax caches statuses on the server and refreshes them only every 3 minutes ([`crate::STATUS_CACHE`]):
/// a status read right after a send, or sooner than 3 minutes after the last one, may be stale. Prefer the
/// send's callback (`CallbackUrl`); `FaxService::wait` polls no faster than
/// [`Client::min_status_interval`](crate::Client::min_status_interval). More than
/// [`IDS_PER_CALL`](super::IDS_PER_CALL) jobs are read in calls of 10.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetFaxStatus {
    jobs: Vec<FaxId>,
}

impl FaxGetFaxStatus {
    /// The status of these jobs (`Ids1…`; SOAP `JobIds`).
    pub fn new(jobs: impl IntoIterator<Item = impl Into<FaxId>>) -> Self {
        FaxGetFaxStatus { jobs: jobs.into_iter().map(Into::into).collect() }
    }
}

impl Operation for FaxGetFaxStatus {
    type Output = Vec<JobStatusItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetFaxStatus");
    const LEGACY: Option<&'static str> = Some("GetFaxStatus");
    const PRODUCT: ProductUse = ProductUse::Required;
    crate::operation::split_ids!(jobs);

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        let name = if dialect == Dialect::Object { "JobIds" } else { "Ids" };
        p.list(name, Some("JobIds"), "guid", &self.jobs);
        p
    }
}

/// `Fax_CancelFax`: cancels a job that has not been sent. The result's shape is uncertain (the vendor SDK
/// reads a fax id), so it is returned as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxCancelFax {
    job: FaxId,
}

impl FaxCancelFax {
    /// Cancels `job` (`Ids1`).
    pub fn new(job: impl Into<FaxId>) -> Self {
        FaxCancelFax { job: job.into() }
    }
}

impl Operation for FaxCancelFax {
    type Output = serde_json::Value;
    const CURRENT: Option<&'static str> = Some("Fax_CancelFax");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.list("Ids", None, "guid", [&self.job]);
        p
    }
}

/// `Fax_GetBroadcastFaxStatus` (legacy `GetBroadcastFaxStatus`): the status of broadcast jobs.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxGetBroadcastFaxStatus {
    jobs: Vec<FaxId>,
}

impl FaxGetBroadcastFaxStatus {
    /// The status of these broadcast jobs.
    pub fn new(jobs: impl IntoIterator<Item = impl Into<FaxId>>) -> Self {
        FaxGetBroadcastFaxStatus { jobs: jobs.into_iter().map(Into::into).collect() }
    }
}

impl Operation for FaxGetBroadcastFaxStatus {
    type Output = Vec<BroadcastFaxJobStatusContainer>;
    const CURRENT: Option<&'static str> = Some("Fax_GetBroadcastFaxStatus");
    const LEGACY: Option<&'static str> = Some("GetBroadcastFaxStatus");
    const PRODUCT: ProductUse = ProductUse::Required;
    crate::operation::split_ids!(jobs);

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        let name = if dialect == Dialect::Object { "JobIds" } else { "Ids" };
        p.list(name, Some("JobIds"), "guid", &self.jobs);
        p
    }
}

/// `Fax_SaveFaxFields`: changes a fax's job name, reference, filter value, owner or tags.
#[derive(Debug, Clone, PartialEq)]
pub struct FaxSaveFaxFields {
    id: FaxIdItem,
    job_name: Option<String>,
    reference: Option<String>,
    filter_value: Option<FilterValue>,
    owner_login_id: Option<LoginId>,
    tag_list: Vec<String>,
}

impl FaxSaveFaxFields {
    /// Changes the fields of fax `id`; only the fields set are sent.
    pub fn new(id: FaxIdItem) -> Self {
        FaxSaveFaxFields {
            id,
            job_name: None,
            reference: None,
            filter_value: None,
            owner_login_id: None,
            tag_list: Vec::new(),
        }
    }
}

faxkit::setters!(FaxSaveFaxFields {
    strings {
        /// `jobName`: the new job name, shown in WestFax's reports, not on the fax.
        job_name,
        /// `reference`: the new free-text reference of the fax.
        reference,
    }
    values {
        /// `filterValue`: the new read state (`None` unread, `Retrieved` read, `Removed` to deleted items).
        filter_value: FilterValue,
        /// `ownerLoginId`: the GUID of the login that is to own the fax from now on.
        owner_login_id: LoginId,
    }
    lists {
        /// Searchable tags (`tagList`, comma-joined).
        tag_list: String,
    }
});

impl Operation for FaxSaveFaxFields {
    type Output = bool;
    const CURRENT: Option<&'static str> = Some("Fax_SaveFaxFields");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.json_list("FaxIds", None, "FaxIdItem", std::slice::from_ref(&self.id));
        let mut mp = Vec::new();
        let pairs = [
            ("jobName", self.job_name.clone()),
            ("reference", self.reference.clone()),
            ("filterValue", self.filter_value.as_ref().map(ToString::to_string)),
            ("ownerLoginId", self.owner_login_id.as_ref().map(ToString::to_string)),
            ("tagList", (!self.tag_list.is_empty()).then(|| self.tag_list.join(","))),
        ];
        mp.extend(pairs.into_iter().filter_map(|(k, v)| v.map(|v| NameValueItem::new(k, v))));
        p.method_params(&mp);
        p
    }
}
