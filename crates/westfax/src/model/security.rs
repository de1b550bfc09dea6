//! User and login models of the current API (`UserItem`, `LoginItem`… in the vendor's C# SDK,
//! github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{AccountId, AclType, CoverPageId, LoginId, ProductId, UserRoleLevel};

/// A user profile (`UserItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct UserItem {
    /// `Id`: the user's GUID; `None` when absent.
    pub id: Option<LoginId>,
    /// `Title`: free text; `None` when absent.
    pub title: Option<String>,
    /// `FirstName`: free text; `None` when absent.
    pub first_name: Option<String>,
    /// `LastName`: free text; `None` when absent.
    pub last_name: Option<String>,
    /// `CompanyName`: free text; `None` when absent.
    pub company_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Whether the e-mail was validated.
    pub email_validated: Option<bool>,
    /// `Fax`: the user's fax number as stored (free text, not normalised); `None` when absent.
    pub fax: Option<String>,
    /// `MobilePhone`: as stored (free text); `None` when absent.
    pub mobile_phone: Option<String>,
    /// `Phone`: as stored (free text); `None` when absent.
    pub phone: Option<String>,
    /// Address line 1.
    pub address1: Option<String>,
    /// Address line 2.
    pub address2: Option<String>,
    /// `City`: free text; `None` when absent.
    pub city: Option<String>,
    /// `State`: the state or province, free text; `None` when absent.
    pub state: Option<String>,
    /// `Zip`: the postal code, free text; `None` when absent.
    pub zip: Option<String>,
    /// `Country`: free text; `None` when absent.
    pub country: Option<String>,
    /// `TimeZone`: the user's time zone name as WestFax stores it; `None` when absent.
    pub time_zone: Option<String>,
}

/// Login details with access list (`LoginInfoItem`). The password fields the vendor model has are not read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LoginInfoItem {
    /// `Id`: the login's GUID; `None` when absent.
    pub id: Option<LoginId>,
    /// `PrimaryAccountId`: the GUID of the account the login belongs to; `None` when absent.
    pub primary_account_id: Option<AccountId>,
    /// `DefaultProductId`: the login's default fax line (GUID); `None` when absent.
    pub default_product_id: Option<ProductId>,
    /// Default cover page.
    pub default_cover_page_id: Option<CoverPageId>,
    /// `UserName`: the login name (what `Username` carries on every call); `None` when absent.
    pub user_name: Option<String>,
    /// Contact details (`contact`, lower case in the vendor model).
    #[serde(rename = "contact")]
    pub contact: Option<UserItem>,
    /// Access list (`aclList`).
    #[serde(rename = "aclList", default)]
    pub acl_list: Vec<LoginAclItem>,
    /// `MfaPolicy`: `None`, `Disabled`, `Optional` or `Required`, as text; `None` when absent.
    pub mfa_policy: Option<String>,
}

/// One access-list entry (`LoginACLItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LoginAclItem {
    /// `LoginId`: the GUID of the login the entry belongs to; `None` when absent.
    pub login_id: Option<LoginId>,
    /// `SrcAclId`: the GUID of the ACL entry this one is inherited from, kept as text; `None` when absent.
    pub src_acl_id: Option<String>,
    /// `Inherited`: whether the entry is inherited (from the entry `SrcAclId` names); `None` when absent.
    pub inherited: Option<bool>,
    /// What it grants access to.
    #[serde(rename = "ACLType")]
    pub acl_type: Option<AclType>,
    /// `UserRoleLevel`: the role this entry grants; `None` when absent.
    pub user_role_level: Option<UserRoleLevel>,
    /// `EntityName`: the display name of the line, account or reseller the entry grants access to; `None` when absent.
    pub entity_name: Option<String>,
    /// `EntityId`: the GUID of that entity, kept as text; `None` when absent.
    pub entity_id: Option<String>,
}
