//! User and login models (reference §7).

use serde::Deserialize;

use super::{AccountId, AclType, CoverPageId, LoginId, ProductId, UserRoleLevel};

/// A user profile (`UserItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct UserItem {
    /// Id.
    #[serde(rename = "Id")]
    pub id: Option<LoginId>,
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
    /// Whether the e-mail was validated.
    #[serde(rename = "EmailValidated")]
    pub email_validated: Option<bool>,
    /// Fax.
    #[serde(rename = "Fax")]
    pub fax: Option<String>,
    /// Mobile.
    #[serde(rename = "MobilePhone")]
    pub mobile_phone: Option<String>,
    /// Phone.
    #[serde(rename = "Phone")]
    pub phone: Option<String>,
    /// Address line 1.
    #[serde(rename = "Address1")]
    pub address1: Option<String>,
    /// Address line 2.
    #[serde(rename = "Address2")]
    pub address2: Option<String>,
    /// City.
    #[serde(rename = "City")]
    pub city: Option<String>,
    /// State.
    #[serde(rename = "State")]
    pub state: Option<String>,
    /// Postal code.
    #[serde(rename = "Zip")]
    pub zip: Option<String>,
    /// Country.
    #[serde(rename = "Country")]
    pub country: Option<String>,
    /// Time zone.
    #[serde(rename = "TimeZone")]
    pub time_zone: Option<String>,
}

/// Login details with access list (`LoginInfoItem`). The password fields the vendor model has are not read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct LoginInfoItem {
    /// Login id.
    #[serde(rename = "Id")]
    pub id: Option<LoginId>,
    /// Primary account.
    #[serde(rename = "PrimaryAccountId")]
    pub primary_account_id: Option<AccountId>,
    /// Default product.
    #[serde(rename = "DefaultProductId")]
    pub default_product_id: Option<ProductId>,
    /// Default cover page.
    #[serde(rename = "DefaultCoverPageId")]
    pub default_cover_page_id: Option<CoverPageId>,
    /// User name.
    #[serde(rename = "UserName")]
    pub user_name: Option<String>,
    /// Contact details (`contact`, lower case in the vendor model).
    #[serde(rename = "contact")]
    pub contact: Option<UserItem>,
    /// Access list (`aclList`).
    #[serde(rename = "aclList", default)]
    pub acl_list: Vec<LoginAclItem>,
    /// MFA policy.
    #[serde(rename = "MfaPolicy")]
    pub mfa_policy: Option<String>,
}

/// One access-list entry (`LoginACLItem`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct LoginAclItem {
    /// Login.
    #[serde(rename = "LoginId")]
    pub login_id: Option<LoginId>,
    /// Inherited from.
    #[serde(rename = "SrcAclId")]
    pub src_acl_id: Option<String>,
    /// Whether inherited.
    #[serde(rename = "Inherited")]
    pub inherited: Option<bool>,
    /// What it grants access to.
    #[serde(rename = "ACLType")]
    pub acl_type: Option<AclType>,
    /// Role.
    #[serde(rename = "UserRoleLevel")]
    pub user_role_level: Option<UserRoleLevel>,
    /// Entity name.
    #[serde(rename = "EntityName")]
    pub entity_name: Option<String>,
    /// Entity id.
    #[serde(rename = "EntityId")]
    pub entity_id: Option<String>,
}
