//! Account and product models (reference §7).

use serde::Deserialize;

use super::{AccountId, CoverPageId, ProductId, ProductState, ProductType, UserItem, WireTime, opt_time};

/// A fax line (`ProductItem`; `F2EProductItem` adds the billing-period fields).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ProductItem {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<ProductId>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Detail.
    #[serde(rename = "Detail")]
    pub detail: Option<String>,
    /// Plan.
    #[serde(rename = "PlanId")]
    pub plan_id: Option<String>,
    /// Type.
    #[serde(rename = "ProductType")]
    pub product_type: Option<ProductType>,
    /// State.
    #[serde(rename = "ProductState")]
    pub product_state: Option<ProductState>,
    /// Inbound CSID.
    #[serde(rename = "InboundCSID")]
    pub inbound_csid: Option<String>,
    /// Inbound number.
    #[serde(rename = "InboundNumber")]
    pub inbound_number: Option<String>,
    /// Outbound CSID.
    #[serde(rename = "OutboundCSID")]
    pub outbound_csid: Option<String>,
    /// Outbound caller id.
    #[serde(rename = "OutboundANI")]
    pub outbound_ani: Option<String>,
    /// Header text.
    #[serde(rename = "FaxHeader")]
    pub fax_header: Option<String>,
    /// Time zone.
    #[serde(rename = "TimeZone")]
    pub time_zone: Option<String>,
    /// Whether the deleted-items folder shows.
    #[serde(rename = "ShowDeletedItemsFolder")]
    pub show_deleted_items_folder: Option<bool>,
    /// Default cover page.
    #[serde(rename = "DefaultCoverPageId")]
    pub default_cover_page_id: Option<CoverPageId>,
    /// F2E: billing period start.
    #[serde(rename = "CurrentBillingPeriodStart", default, deserialize_with = "opt_time::deserialize")]
    pub current_billing_period_start: Option<WireTime>,
    /// F2E: billing period end.
    #[serde(rename = "CurrentBillingPeriodEnd", default, deserialize_with = "opt_time::deserialize")]
    pub current_billing_period_end: Option<WireTime>,
    /// F2E: end of the free trial.
    #[serde(rename = "FreeTrialEnd", default, deserialize_with = "opt_time::deserialize")]
    pub free_trial_end: Option<WireTime>,
    /// F2E: pages per period.
    #[serde(rename = "PeriodicQuantity")]
    pub periodic_quantity: Option<i64>,
    /// F2E: inbound pages used.
    #[serde(rename = "QuantityInbound")]
    pub quantity_inbound: Option<i64>,
    /// F2E: outbound pages used.
    #[serde(rename = "QuantityOutbound")]
    pub quantity_outbound: Option<i64>,
}

/// A postal address (`AddressItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AddressItem {
    /// Company.
    #[serde(rename = "Company")]
    pub company: Option<String>,
    /// Attention.
    #[serde(rename = "Attn")]
    pub attn: Option<String>,
    /// Line 1.
    #[serde(rename = "Address1")]
    pub address1: Option<String>,
    /// Line 2.
    #[serde(rename = "Address2")]
    pub address2: Option<String>,
    /// City.
    #[serde(rename = "City")]
    pub city: Option<String>,
    /// State.
    #[serde(rename = "State")]
    pub state: Option<String>,
    /// ZIP.
    #[serde(rename = "Zip")]
    pub zip: Option<String>,
    /// Country.
    #[serde(rename = "Country")]
    pub country: Option<String>,
}

/// An account (`AccountItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AccountItem {
    /// Id.
    #[serde(rename = "AccountId")]
    pub account_id: Option<AccountId>,
    /// Reseller.
    #[serde(rename = "ResellerId")]
    pub reseller_id: Option<String>,
    /// Name.
    #[serde(rename = "AccountName")]
    pub account_name: Option<String>,
    /// Number.
    #[serde(rename = "AccountNumber")]
    pub account_number: Option<String>,
    /// State.
    #[serde(rename = "AccountState")]
    pub account_state: Option<String>,
    /// Active.
    #[serde(rename = "Active")]
    pub active: Option<bool>,
    /// Time zone.
    #[serde(rename = "TimeZone")]
    pub time_zone: Option<String>,
    /// MFA policy.
    #[serde(rename = "MfaPolicy")]
    pub mfa_policy: Option<String>,
    /// Billing address.
    #[serde(rename = "BillingAddr")]
    pub billing_addr: Option<AddressItem>,
    /// Contact person.
    #[serde(rename = "Contact")]
    pub contact: Option<UserItem>,
}
