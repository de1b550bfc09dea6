//! `Profile_*`: fax lines (products), accounts and usage (reference §6.2). Current generation only: over SOAP
//! these return [`faxkit::Error::Unsupported`] (the legacy `GetFaxProductList` is in [`crate::legacy`]).

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

crate::macros::setters!(ProfileGetProductList {
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

crate::macros::setters!(ProfileGetProductListPagedSearch {
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

crate::macros::setters!(ProfileGetAccountInfo {
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
/// at most 32 days apart (the server answers HTTP 500 `Api_Failed_` otherwise, reference §3.3). The result's
/// shape is not published, so it is returned as JSON.
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

impl Operation for ProfileGetFaxUsageByProductId {
    type Output = serde_json::Value;
    const CURRENT: Option<&'static str> = Some("Profile_GetFaxUsageByProductId");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Required;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.date("StartDate", None, Some(self.start));
        p.date("EndDate", None, Some(self.end));
        p
    }
}
