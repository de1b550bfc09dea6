//! User and login models of the current API (`UserItem`, `LoginItem`… in the vendor's C# SDK,
//! github.com/westfax/SDK-Fax).

use serde::Deserialize;

use super::{AccountId, AclType, CoverPageId, LoginId, ProductId, UserRoleLevel};

/// A user profile (`UserItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct UserItem {
    /// Id.
    pub id: Option<LoginId>,
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
    /// Whether the e-mail was validated.
    pub email_validated: Option<bool>,
    /// Fax.
    pub fax: Option<String>,
    /// Mobile.
    pub mobile_phone: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address line 1.
    pub address1: Option<String>,
    /// Address line 2.
    pub address2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
}

/// Login details with access list (`LoginInfoItem`). The password fields the vendor model has are not read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LoginInfoItem {
    /// Login id.
    pub id: Option<LoginId>,
    /// Primary account.
    pub primary_account_id: Option<AccountId>,
    /// Default product.
    pub default_product_id: Option<ProductId>,
    /// Default cover page.
    pub default_cover_page_id: Option<CoverPageId>,
    /// User name.
    pub user_name: Option<String>,
    /// Contact details (`contact`, lower case in the vendor model).
    #[serde(rename = "contact")]
    pub contact: Option<UserItem>,
    /// Access list (`aclList`).
    #[serde(rename = "aclList", default)]
    pub acl_list: Vec<LoginAclItem>,
    /// MFA policy.
    pub mfa_policy: Option<String>,
}

/// One access-list entry (`LoginACLItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct LoginAclItem {
    /// Login.
    pub login_id: Option<LoginId>,
    /// Inherited from.
    pub src_acl_id: Option<String>,
    /// Whether inherited.
    pub inherited: Option<bool>,
    /// What it grants access to.
    #[serde(rename = "ACLType")]
    pub acl_type: Option<AclType>,
    /// Role.
    pub user_role_level: Option<UserRoleLevel>,
    /// Entity name.
    pub entity_name: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
}
