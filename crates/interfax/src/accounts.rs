//! The account balance and the helper endpoints.

use faxkit::{Error, Result};

use crate::VENDOR;
use crate::client::{Client, Request};
use crate::model::accounts::HelperResponse;
use crate::model::common::Decimal;

/// Account and helper operations; get one with [`Client::accounts`].
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = interfax::sandbox::Sandbox::start().await?;
/// # sandbox.set_balance("3.8500");
/// # let client = sandbox.client();
/// let balance = client.accounts().balance().await?;
/// assert_eq!(balance.to_string(), "3.8500"); // exact, never through f64
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Accounts {
    client: Client,
}

impl Client {
    /// The account balance and the helper endpoints.
    pub fn accounts(&self) -> Accounts {
        Accounts::new(self.clone())
    }
}

impl Accounts {
    pub(crate) fn new(client: Client) -> Self {
        Accounts { client }
    }

    /// Outstanding outbound credits in the account's currency (`GET /accounts/self/ppcards/balance`; the body is
    /// a bare decimal such as `3.8500`).
    pub async fn balance(&self) -> Result<Decimal> {
        let (_, _, body) = self.client.raw(Request::get("accounts/self/ppcards/balance")).await?;
        let text = std::str::from_utf8(&body)
            .map_err(|e| Error::decode(VENDOR, "balance is not text", &body, Some(Box::new(e))))?;
        text.trim().trim_matches('"').parse()
    }

    /// `GET /tests/date?d=`: how InterFAX reads a date-time (local, GMT …).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let reply = client.accounts().test_date("2011-12-16").await?;
    /// println!("{}", reply.text());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn test_date(&self, date: &str) -> Result<HelperResponse> {
        self.helper(Request::get("tests/date").query("d", date)).await
    }

    /// `GET /tests/error?applicationStatus=`: InterFAX answers with that error, which this returns as the
    /// corresponding [`Error`] (use it to test your error handling).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let err = client.accounts().test_error(-1005).await.unwrap_err();
    /// assert_eq!(err.vendor_code(), Some("-1005"));
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn test_error(&self, application_status: i64) -> Result<HelperResponse> {
        self.helper(Request::get("tests/error").query("applicationStatus", application_status)).await
    }

    /// `GET /tests/errorcodes`: every error code.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let codes = client.accounts().error_codes().await?;
    /// let list: serde_json::Value = codes.json()?;
    /// # assert!(list.is_array());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn error_codes(&self) -> Result<HelperResponse> {
        self.helper(Request::get("tests/errorcodes")).await
    }

    /// `GET /outbound/help/mediatype`: supported file types and MIME types.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// let types = client.accounts().media_types().await?;
    /// println!("{}", types.text());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn media_types(&self) -> Result<HelperResponse> {
        self.helper(Request::get("outbound/help/mediatype")).await
    }

    /// `GET /outbound/test`, `/inbound/test` or `/accounts/test`: the testers.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let sandbox = interfax::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use interfax::accounts::Tester;
    /// assert_eq!(client.accounts().tester(Tester::Inbound).await?.status, 200);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub async fn tester(&self, resource: Tester) -> Result<HelperResponse> {
        self.helper(Request::get(resource.path())).await
    }

    async fn helper(&self, req: Request) -> Result<HelperResponse> {
        let (status, content_type, body) = self.client.raw(req).await?;
        Ok(HelperResponse { status: status.as_u16(), content_type, body })
    }
}

/// The tester endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tester {
    /// `/outbound/test`.
    Outbound,
    /// `/inbound/test`.
    Inbound,
    /// `/accounts/test`.
    Accounts,
}

impl Tester {
    fn path(self) -> &'static str {
        match self {
            Tester::Outbound => "outbound/test",
            Tester::Inbound => "inbound/test",
            Tester::Accounts => "accounts/test",
        }
    }
}
