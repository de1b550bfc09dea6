//! `Security_*`: ping, sign-in, user and login details (the WestFax API documentation and Postman collection).

use crate::model::{LoginInfoItem, ProductId, UserItem};
use crate::operation::{Dialect, Operation, Params, ProductUse, SoapVariant};

/// `Security_Ping`: echoes a string with `"Pong - "` in front; needs no credentials.
///
/// Current generation only: over SOAP it returns [`faxkit::Error::Unsupported`].
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = westfax::sandbox::Sandbox::start().await.unwrap();
/// # let client = sandbox.client();
/// use westfax::{Operation, security::SecurityPing};
/// let pong = SecurityPing::new("ping").send(&client).await?;
/// assert_eq!(pong, "Pong - ping");
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityPing {
    text: String,
}

impl SecurityPing {
    /// A ping carrying `text` (sent as `StringParams1`).
    pub fn new(text: impl Into<String>) -> Self {
        SecurityPing { text: text.into() }
    }
}

impl Operation for SecurityPing {
    type Output = String;
    const CURRENT: Option<&'static str> = Some("Security_Ping");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;
    const CREDENTIALS: bool = false;
    const COOKIES_FLAG: bool = false;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.list("StringParams", None, "string", [&self.text]);
        p
    }
}

/// `Security_Authenticate` (legacy `Authenticate` / `AuthenticateWithProduct`): signs in and returns the
/// session token in `Result`. The client calls it itself for stateful sessions
/// ([`SessionMode`](crate::SessionMode)); call it directly to test credentials.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityAuthenticate {
    pub(crate) cookies: bool,
    pub(crate) product_id: Option<ProductId>,
}

impl SecurityAuthenticate {
    /// A sign-in without a product and without cookies.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecurityAuthenticate {
    /// Validate access to this fax line too (`ProductId`; legacy `AuthenticateWithProduct`).
    pub fn product_id(mut self, id: impl Into<ProductId>) -> Self {
        self.product_id = Some(id.into());
        self
    }
}

faxkit::setters!(SecurityAuthenticate {
    plain {
        /// Ask for the session in an `ASP.NET_SessionId` cookie (`Cookies`).
        cookies: bool,
    }
});

impl Operation for SecurityAuthenticate {
    type Output = String;
    const CURRENT: Option<&'static str> = Some("Security_Authenticate");
    const LEGACY: Option<&'static str> = Some("Authenticate");
    const PRODUCT: ProductUse = ProductUse::None;
    const SOAP_PRODUCT: bool = false;
    const COOKIES_FLAG: bool = false;
    const SIGN_IN: bool = true;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        if dialect == Dialect::Soap {
            p.text("ProductId", Some("ProductId"), self.product_id.as_ref());
            p.flag("Cookies", Some("Cookies"), Some(self.cookies));
        } else {
            p.flag("Cookies", Some("Cookies"), Some(self.cookies));
            p.text("ProductId", Some("ProductId"), self.product_id.as_ref());
        }
        p
    }

    fn soap_message(&self, _variant: SoapVariant) -> Option<String> {
        Some(if self.product_id.is_some() { "AuthenticateWithProduct" } else { "Authenticate" }.to_owned())
    }
}

/// `Security_GetUserInfo`: the signed-in user's profile. Current generation only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityGetUserInfo;

impl Operation for SecurityGetUserInfo {
    type Output = UserItem;
    const CURRENT: Option<&'static str> = Some("Security_GetUserInfo");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Optional;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

/// `Security_GetLoginInfo`: the user's login and access list. Current generation only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityGetLoginInfo;

impl Operation for SecurityGetLoginInfo {
    type Output = LoginInfoItem;
    const CURRENT: Option<&'static str> = Some("Security_GetLoginInfo");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}
