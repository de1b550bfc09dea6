//! `Profile_*`: fax lines (products), accounts and usage (the WestFax API documentation and Postman collection).
//! Current generation only: over SOAP these return [`faxkit::Error::Unsupported`] (the legacy `GetFaxProductList` is in
//! [`crate::legacy`]).

use jiff::Timestamp;

use crate::model::{AccountId, AccountItem, NameValueItem, Page, ProductItem, ProductType};
use crate::operation::{Dialect, Operation, Params, ProductUse};

/// `Profile_GetProductList`: every product (fax line) the user can use, FaxForward and BroadcastFax.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileGetProductList {
    account_id: Option<AccountId>,
}

impl ProfileGetProductList {
    /// All products.
    pub fn new() -> Self {
        Self::default()
    }
}

faxkit::setters!(ProfileGetProductList {
    values {
        /// Restrict to one account (`AccountId`).
        account_id: AccountId,
    }
});

impl Operation for ProfileGetProductList {
    type Output = Vec<ProductItem>;
    const CURRENT: Option<&'static str> = Some("Profile_GetProductList");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.text("AccountId", None, self.account_id.as_ref());
        p
    }
}

/// `Profile_GetF2EProductList`: fax-to-email products with more detail (slow; the vendor SDK waits 180 s).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileGetF2EProductList;

impl Operation for ProfileGetF2EProductList {
    type Output = Vec<ProductItem>;
    const CURRENT: Option<&'static str> = Some("Profile_GetF2EProductList");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

/// `Profile_GetF2EProductDetail`: one fax-to-email product with counts (the client's `ProductId`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileGetF2EProductDetail;

impl Operation for ProfileGetF2EProductDetail {
    type Output = ProductItem;
    const CURRENT: Option<&'static str> = Some("Profile_GetF2EProductDetail");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

/// `Profile_GetProductList_PagedSearch`: products, one page at a time, with search options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileGetProductListPagedSearch {
    page: u32,
    count: u32,
    account_id: Option<AccountId>,
    product_type: Option<ProductType>,
    kind: Option<String>,
    sort_col: Option<String>,
    sort_dir: Option<String>,
    phone_match: Option<String>,
    name_match: Option<String>,
    name_search: Option<String>,
    level: Option<crate::model::UserRoleLevel>,
}

impl ProfileGetProductListPagedSearch {
    /// Page `page` (from 1) of `count` products.
    pub fn new(page: u32, count: u32) -> Self {
        ProfileGetProductListPagedSearch {
            page,
            count,
            account_id: None,
            product_type: None,
            kind: None,
            sort_col: None,
            sort_dir: None,
            phone_match: None,
            name_match: None,
            name_search: None,
            level: None,
        }
    }
}

faxkit::setters!(ProfileGetProductListPagedSearch {
    strings {
        /// `type` method parameter.
        kind,
        /// Sort column (`number`, `name`, …; `sortCol`).
        sort_col,
        /// `asc` / `desc` (`sortDir`).
        sort_dir,
        /// Number prefix match (`phoneMatch`).
        phone_match,
        /// Name prefix match (`nameMatch`).
        name_match,
        /// Name substring match (`nameSearch`).
        name_search,
    }
    values {
        /// Restrict to one account.
        account_id: AccountId,
        /// Product type (`ProductType`).
        product_type: ProductType,
        /// Role level (`level`).
        level: crate::model::UserRoleLevel,
    }
});

impl Operation for ProfileGetProductListPagedSearch {
    type Output = Page;
    const CURRENT: Option<&'static str> = Some("Profile_GetProductList_PagedSearch");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.text("AccountId", None, self.account_id.as_ref());
        p.text("ProductType", None, self.product_type.as_ref());
        let mut mp = vec![
            NameValueItem::new("page", self.page.to_string()),
            NameValueItem::new("count", self.count.to_string()),
        ];
        let opts = [
            ("type", self.kind.clone()),
            ("sortCol", self.sort_col.clone()),
            ("sortDir", self.sort_dir.clone()),
            ("phoneMatch", self.phone_match.clone()),
            ("nameMatch", self.name_match.clone()),
            ("nameSearch", self.name_search.clone()),
            ("level", self.level.as_ref().map(ToString::to_string)),
        ];
        mp.extend(opts.into_iter().filter_map(|(k, v)| v.map(|v| NameValueItem::new(k, v))));
        p.method_params(&mp);
        p
    }
}

/// `Profile_GetAccountInfo`: the account (works for any product type).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileGetAccountInfo {
    account_id: Option<AccountId>,
}

impl ProfileGetAccountInfo {
    /// The user's account.
    pub fn new() -> Self {
        Self::default()
    }
}

faxkit::setters!(ProfileGetAccountInfo {
    values {
        /// A specific account (`AccountId`).
        account_id: AccountId,
    }
});

impl Operation for ProfileGetAccountInfo {
    type Output = AccountItem;
    const CURRENT: Option<&'static str> = Some("Profile_GetAccountInfo");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Optional;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.text("AccountId", None, self.account_id.as_ref());
        p
    }
}

/// `Profile_GetFaxUsageByProductId`: inbound and outbound counts for the client's fax line between two dates,
/// at most [`MAX_USAGE_SPAN_DAYS`] (32) days apart: WestFax answers a longer span with HTTP 500
/// `{"ErrorString":"Api_Failed_","InfoString":"Timespan is more than 32 days"}` (the vendor's npm client
/// test). A longer or reversed range is refused with [`faxkit::Error::InvalidInput`] before any request: the
/// result's shape is not published (it is returned as JSON), so the client cannot split the range and add the
/// counts up for you; query windows of 32 days and add them yourself.
///
/// ```
/// use jiff::{SignedDuration, Timestamp};
/// use westfax::{Operation, profile::ProfileGetFaxUsageByProductId};
/// let end: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
/// let ok = ProfileGetFaxUsageByProductId::new(end - SignedDuration::from_hours(32 * 24), end);
/// assert!(ok.validate().is_ok());
/// let too_long = ProfileGetFaxUsageByProductId::new(end - SignedDuration::from_hours(33 * 24), end);
/// assert_eq!(too_long.validate().unwrap_err().kind(), faxkit::ErrorKind::InvalidInput);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileGetFaxUsageByProductId {
    start: Timestamp,
    end: Timestamp,
}

impl ProfileGetFaxUsageByProductId {
    /// Usage from `start` to `end`.
    pub fn new(start: Timestamp, end: Timestamp) -> Self {
        ProfileGetFaxUsageByProductId { start, end }
    }
}

/// The longest span of one `Profile_GetFaxUsageByProductId` query, in days.
pub const MAX_USAGE_SPAN_DAYS: i64 = 32;

impl Operation for ProfileGetFaxUsageByProductId {
    type Output = serde_json::Value;
    const CURRENT: Option<&'static str> = Some("Profile_GetFaxUsageByProductId");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn validate(&self) -> faxkit::Result<()> {
        if self.end < self.start {
            return Err(faxkit::Error::invalid_input(
                crate::VENDOR,
                format!("usage query ends ({}) before it starts ({})", self.end, self.start),
            ));
        }
        if self.end.duration_since(self.start) > jiff::SignedDuration::from_hours(MAX_USAGE_SPAN_DAYS * 24) {
            return Err(faxkit::Error::invalid_input(
                crate::VENDOR,
                format!(
                    "usage query from {} to {} spans more than {MAX_USAGE_SPAN_DAYS} days, the most WestFax answers \
                     (\"Timespan is more than 32 days\"); query shorter windows",
                    self.start, self.end
                ),
            ));
        }
        Ok(())
    }

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.date("StartDate", None, Some(self.start));
        p.date("EndDate", None, Some(self.end));
        p
    }
}
