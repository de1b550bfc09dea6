//! Contact models of the current API (the vendor's C# SDK, github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{ContactId, LoginId};

/// A contact (`ContactItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ContactItem {
    /// `Id`: the contact's GUID; `None` when absent.
    pub id: Option<ContactId>,
    /// `Title`: the contact's title (Mr, Dr, …), free text; `None` when absent.
    pub title: Option<String>,
    /// `FirstName`: free text; `None` when absent.
    pub first_name: Option<String>,
    /// `LastName`: free text; `None` when absent.
    pub last_name: Option<String>,
    /// `CompanyName`: free text; `None` when absent.
    pub company_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// `Fax`: the contact's fax number as stored in WestFax (free text, not normalised); `None` when absent.
    pub fax: Option<String>,
    /// `MobilePhone`: as stored (free text); `None` when absent.
    pub mobile_phone: Option<String>,
    /// `Phone`: as stored (free text); `None` when absent.
    pub phone: Option<String>,
    /// `Type`: the contact's visibility, a `ContactVisibility` name (`Global`, `Public` shown as "Shared", `Private`),
    /// kept as text; `None` when absent.
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    /// `OwnerId`: the GUID of the login that owns the contact; `None` for contacts without an owner or when absent.
    pub owner_id: Option<LoginId>,
    /// Owner's display name.
    pub owner_display_name: Option<String>,
}
