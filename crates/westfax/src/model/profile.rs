//! Account and product models of the current API (the vendor's C# SDK, github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{AccountId, CoverPageId, ProductId, ProductState, ProductType, UserItem, WireTime, opt_time};

/// A fax line (`ProductItem`; `F2EProductItem` adds the billing-period fields).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ProductItem {
    /// `Id`: the fax line's product GUID (the `ProductId` of other calls); `None` when absent.
    pub id: Option<ProductId>,
    /// `Name`: the line's display name (e.g. `FF-Acme Corp`); `None` when absent.
    pub name: Option<String>,
    /// `Detail`: free-text detail of the line, as WestFax sends it; `None` when absent.
    pub detail: Option<String>,
    /// `PlanId`: the line's billing plan id, kept as text; `None` when absent.
    pub plan_id: Option<String>,
    /// `ProductType`: `FaxForward` (fax to e-mail), `BroadcastFax` or `FaxRelay`; `None` when absent.
    pub product_type: Option<ProductType>,
    /// `ProductState`: `OK`, `OK_Cancelled`, `Suspended` or `Closed`; `None` when absent.
    pub product_state: Option<ProductState>,
    /// `InboundCSID`: the station id the line answers incoming faxes with; `None` when absent.
    #[serde(rename = "InboundCSID")]
    pub inbound_csid: Option<String>,
    /// `InboundNumber`: the line's fax number, as WestFax sends it (bare digits in the samples); `None` when absent.
    pub inbound_number: Option<String>,
    /// `OutboundCSID`: the station id the line's outgoing faxes carry, seen by the receiver; `None` when absent.
    #[serde(rename = "OutboundCSID")]
    pub outbound_csid: Option<String>,
    /// `OutboundANI`: the caller-id number the line's outgoing calls present (usually the fax number); `None`
    /// when absent.
    #[serde(rename = "OutboundANI")]
    pub outbound_ani: Option<String>,
    /// `FaxHeader`: the header line printed on outgoing faxes of the line; `None` when absent.
    pub fax_header: Option<String>,
    /// `TimeZone`: the line's time zone name as WestFax stores it (format not documented); `None` when absent.
    pub time_zone: Option<String>,
    /// Whether the deleted-items folder shows.
    pub show_deleted_items_folder: Option<bool>,
    /// `DefaultCoverPageId`: the GUID of the cover page a send uses when it asks for the default one; `None`
    /// when absent.
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
    /// `Company`: free text; `None` when absent.
    pub company: Option<String>,
    /// `Attn`: the "attention of" line, free text; `None` when absent.
    pub attn: Option<String>,
    /// `Address1`: the first street line, free text; `None` when absent.
    pub address1: Option<String>,
    /// `Address2`: the second street line, free text; `None` when absent.
    pub address2: Option<String>,
    /// `City`: free text; `None` when absent.
    pub city: Option<String>,
    /// `State`: the state or province, free text (no code list documented); `None` when absent.
    pub state: Option<String>,
    /// `Zip`: the postal code, free text; `None` when absent.
    pub zip: Option<String>,
    /// `Country`: free text (no code list documented); `None` when absent.
    pub country: Option<String>,
}

/// An account (`AccountItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AccountItem {
    /// `AccountId`: the account's GUID; `None` when absent.
    pub account_id: Option<AccountId>,
    /// `ResellerId`: the GUID of the reseller the account belongs to, kept as text; `None` when absent.
    pub reseller_id: Option<String>,
    /// `AccountName`: the account's display name; `None` when absent.
    pub account_name: Option<String>,
    /// `AccountNumber`: WestFax's account number, kept as text; `None` when absent.
    pub account_number: Option<String>,
    /// `AccountState`: the account's state as WestFax sends it (values not documented); `None` when absent.
    pub account_state: Option<String>,
    /// `Active`: whether the account is active; `None` when absent.
    pub active: Option<bool>,
    /// `TimeZone`: the account's time zone name as WestFax stores it; `None` when absent.
    pub time_zone: Option<String>,
    /// `MfaPolicy`: `None`, `Disabled`, `Optional` or `Required` (the C# SDK's `MfaPolicyType`), as text;
    /// `None` when absent.
    pub mfa_policy: Option<String>,
    /// `BillingAddr`: the account's billing address; `None` when absent.
    pub billing_addr: Option<AddressItem>,
    /// `Contact`: the account's contact person; `None` when absent.
    pub contact: Option<UserItem>,
}
