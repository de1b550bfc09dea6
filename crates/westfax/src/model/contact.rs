//! Contact models (reference §7).

use serde::Deserialize;

use super::{ContactId, LoginId};

/// A contact (`ContactItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactItem {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<ContactId>,
    /// Title.
    #[serde(rename = "Title")]
    pub title: Option<String>,
    /// First name.
    #[serde(rename = "FirstName")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(rename = "LastName")]
    pub last_name: Option<String>,
    /// Company.
    #[serde(rename = "CompanyName")]
    pub company_name: Option<String>,
    /// E-mail.
    #[serde(rename = "Email")]
    pub email: Option<String>,
    /// Fax number.
    #[serde(rename = "Fax")]
    pub fax: Option<String>,
    /// Mobile.
    #[serde(rename = "MobilePhone")]
    pub mobile_phone: Option<String>,
    /// Phone.
    #[serde(rename = "Phone")]
    pub phone: Option<String>,
    /// Visibility type.
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    /// Owner.
    #[serde(rename = "OwnerId")]
    pub owner_id: Option<LoginId>,
    /// Owner's display name.
    #[serde(rename = "OwnerDisplayName")]
    pub owner_display_name: Option<String>,
}
