//! Contact models of the current API (the vendor's C# SDK, github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{ContactId, LoginId};

/// A contact (`ContactItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ContactItem {
    /// Id.
    pub id: Option<ContactId>,
    /// Title.
    pub title: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Company.
    pub company_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Fax number.
    pub fax: Option<String>,
    /// Mobile.
    pub mobile_phone: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Visibility type.
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    /// Owner.
    pub owner_id: Option<LoginId>,
    /// Owner's display name.
    pub owner_display_name: Option<String>,
}
