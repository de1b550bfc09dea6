//! Account and product models of the current API (the vendor's C# SDK, github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{AccountId, CoverPageId, ProductId, ProductState, ProductType, UserItem, WireTime, opt_time};

/// A fax line (`ProductItem`; `F2EProductItem` adds the billing-period fields).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ProductItem {
    /// Id.
    pub id: Option<ProductId>,
    /// Name.
    pub name: Option<String>,
    /// Detail.
    pub detail: Option<String>,
    /// Plan.
    pub plan_id: Option<String>,
    /// Type.
    pub product_type: Option<ProductType>,
    /// State.
    pub product_state: Option<ProductState>,
    /// Inbound CSID.
    #[serde(rename = "InboundCSID")]
    pub inbound_csid: Option<String>,
    /// Inbound number.
    pub inbound_number: Option<String>,
    /// Outbound CSID.
    #[serde(rename = "OutboundCSID")]
    pub outbound_csid: Option<String>,
    /// Outbound caller id.
    #[serde(rename = "OutboundANI")]
    pub outbound_ani: Option<String>,
    /// Header text.
    pub fax_header: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// Whether the deleted-items folder shows.
    pub show_deleted_items_folder: Option<bool>,
    /// Default cover page.
    pub default_cover_page_id: Option<CoverPageId>,
    /// F2E: billing period start.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub current_billing_period_start: Option<WireTime>,
    /// F2E: billing period end.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub current_billing_period_end: Option<WireTime>,
    /// F2E: end of the free trial.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    pub free_trial_end: Option<WireTime>,
    /// F2E: pages per period.
    pub periodic_quantity: Option<i64>,
    /// F2E: inbound pages used.
    pub quantity_inbound: Option<i64>,
    /// F2E: outbound pages used.
    pub quantity_outbound: Option<i64>,
}

/// A postal address (`AddressItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AddressItem {
    /// Company.
    pub company: Option<String>,
    /// Attention.
    pub attn: Option<String>,
    /// Line 1.
    pub address1: Option<String>,
    /// Line 2.
    pub address2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// ZIP.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<String>,
}

/// An account (`AccountItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccountItem {
    /// Id.
    pub account_id: Option<AccountId>,
    /// Reseller.
    pub reseller_id: Option<String>,
    /// Name.
    pub account_name: Option<String>,
    /// Number.
    pub account_number: Option<String>,
    /// State.
    pub account_state: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// MFA policy.
    pub mfa_policy: Option<String>,
    /// Billing address.
    pub billing_addr: Option<AddressItem>,
    /// Contact person.
    pub contact: Option<UserItem>,
}
