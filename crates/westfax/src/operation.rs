//! The operation catalogue's common shape: every WestFax method is a type implementing [`Operation`], holding
//! its parameters and its method names; each transport encodes any operation (lettre's one struct per SMTP
//! command, `Ehlo`, `Mail`, applied to an HTTP API).
//!
//! An operation lists its parameters in a [`Params`] list, once, with both spellings the two API generations
//! use: the REST/RPC name (`JobName`, `Numbers`) and the legacy WSDL element name (`jobName`, `numbers`). The
//! transports then lay them out: indexed form fields for REST, an `ApiRequest` object for RPC and SOAP Object,
//! WSDL elements in WSDL order for SOAP.

use std::fmt;

use faxkit::Document;
use jiff::Timestamp;
use serde::de::DeserializeOwned;

/// Which spelling of the parameters a transport needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dialect {
    /// REST multipart form fields (`Numbers1`, `StartDate=1/1/2019`).
    Rest,
    /// The "API Request Object" of RPC and SOAP Object (`<Numbers><string>…`, `xs:dateTime`), in the
    /// current-generation form ([`RpcNaming::Current`](crate::RpcNaming::Current)): status ids as `JobIds`.
    Object,
    /// The same object in the form of the one recorded RPC request, the legacy host's
    /// ([`RpcNaming::Legacy`](crate::RpcNaming::Legacy)): fields named as the REST form (`Ids`), `JobName`,
    /// `BillingCode`, `Header` in that order, and no `Cookies` flag on stateless calls.
    LegacyObject,
    /// Legacy SOAP WSDL elements.
    Soap,
}

impl Dialect {
    /// Formats a date the way this dialect sends it: REST uses the US forms of the vendor's samples (`1/1/2019` for a
    /// UTC midnight, else `6/1/2026 3:04:05 PM`, the US forms of the WestFax samples), the XML dialects `xs:dateTime`
    /// in UTC.
    pub fn date(self, ts: Timestamp) -> String {
        match self {
            Dialect::Rest if ts.as_second().rem_euclid(86_400) == 0 => ts.strftime("%-m/%-d/%Y").to_string(),
            Dialect::Rest => ts.strftime("%-m/%-d/%Y %-I:%M:%S %p").to_string(),
            Dialect::Object | Dialect::LegacyObject | Dialect::Soap => faxkit::time::format_utc(ts),
        }
    }
}

/// Whether a call sends the `ProductId` (fax line) with the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProductUse {
    /// Never (`Fax_GetProductsWithInboundFaxes`, `Fax_ConvertToFaxDocument`).
    None,
    /// When the client has one configured.
    Optional,
    /// Always; the call fails without one.
    Required,
}

/// The value of one parameter.
#[derive(Clone)]
#[non_exhaustive]
pub enum ParamValue {
    /// A scalar, already in wire text.
    Text(String),
    /// An explicit `xsi:nil` (SOAP elements that are required but nillable).
    Nil,
    /// A list of scalars: REST `Name1…Name{n}`, XML `<Name><item>…</item></Name>`, JSON an array.
    List {
        /// The XML item element (`string`, `guid`).
        item: &'static str,
        /// The values.
        values: Vec<String>,
    },
    /// A list of JSON objects: REST `Name1…` each holding the JSON text, XML one element per item.
    Json {
        /// The XML item element (`FaxIdItem`, `NameValueItem`).
        item: &'static str,
        /// The values, as JSON text in the model's member order (`{"Id":…,"Direction":…}`).
        values: Vec<String>,
    },
    /// One JSON object (JSON text): REST the text, XML its members as child elements.
    Object(String),
    /// Files: REST multipart parts `Files0…`, the XML dialects `FileContainer`s with base64 contents, streamed.
    Files(Vec<Document>),
}

impl fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Text(s) => write!(f, "{s:?}"),
            ParamValue::Nil => f.write_str("nil"),
            ParamValue::List { values, .. } => write!(f, "{values:?}"),
            ParamValue::Json { values, .. } => write!(f, "{values:?}"),
            ParamValue::Object(v) => write!(f, "{v}"),
            ParamValue::Files(docs) => write!(f, "<{} files>", docs.len()),
        }
    }
}

/// One parameter: its name and its value.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Param {
    /// The name on the wire in this dialect (`JobName` for REST/RPC, `jobName` for SOAP).
    pub name: &'static str,
    /// The value.
    pub value: ParamValue,
}

/// The parameters of one call, in wire order, as one dialect spells them.
#[derive(Debug, Clone)]
pub struct Params {
    dialect: Dialect,
    items: Vec<Param>,
    unsupported: Vec<&'static str>,
}

impl Params {
    /// An empty list for `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        Params { dialect, items: Vec::new(), unsupported: Vec::new() }
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The parameters.
    pub fn items(&self) -> &[Param] {
        &self.items
    }

    /// Parameters that were set but do not exist in this dialect (SOAP has no `ANI`, for example).
    pub fn unsupported(&self) -> &[&'static str] {
        &self.unsupported
    }

    pub(crate) fn into_items(self) -> Vec<Param> {
        self.items
    }

    fn name(&mut self, rest: &'static str, soap: Option<&'static str>, present: bool) -> Option<&'static str> {
        match self.dialect {
            Dialect::Soap => match soap {
                Some(s) => Some(s),
                None => {
                    if present {
                        self.unsupported.push(rest);
                    }
                    None
                }
            },
            _ => Some(rest),
        }
    }

    /// Adds a raw value.
    pub fn push(&mut self, name: &'static str, value: ParamValue) {
        self.items.push(Param { name, value });
    }

    /// A text value when present; `soap` is the WSDL element name, `None` when SOAP has no such element.
    pub fn text(&mut self, rest: &'static str, soap: Option<&'static str>, value: Option<impl ToString>) -> &mut Self {
        let present = value.is_some();
        if let (Some(name), Some(v)) = (self.name(rest, soap, present), value) {
            self.push(name, ParamValue::Text(v.to_string()));
        }
        self
    }

    /// A SOAP-only element that is required but nillable: the value, or `xsi:nil`. Other dialects send the
    /// value under `rest` when present.
    pub fn nillable(&mut self, rest: &'static str, soap: &'static str, value: Option<impl ToString>) -> &mut Self {
        match (self.dialect, value) {
            (Dialect::Soap, None) => self.push(soap, ParamValue::Nil),
            (Dialect::Soap, Some(v)) => self.push(soap, ParamValue::Text(v.to_string())),
            (_, v) => {
                self.text(rest, Some(soap), v);
            }
        }
        self
    }

    /// A boolean (`true`/`false`) when present.
    pub fn flag(&mut self, rest: &'static str, soap: Option<&'static str>, value: Option<bool>) -> &mut Self {
        self.text(rest, soap, value)
    }

    /// A date when present, formatted for the dialect.
    pub fn date(&mut self, rest: &'static str, soap: Option<&'static str>, value: Option<Timestamp>) -> &mut Self {
        let d = self.dialect;
        self.text(rest, soap, value.map(|t| d.date(t)))
    }

    /// A list of scalars; empty lists are left out.
    pub fn list(
        &mut self,
        rest: &'static str,
        soap: Option<&'static str>,
        item: &'static str,
        values: impl IntoIterator<Item = impl ToString>,
    ) -> &mut Self {
        let values: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
        if let Some(name) = self.name(rest, soap, !values.is_empty())
            && !values.is_empty()
        {
            self.push(name, ParamValue::List { item, values });
        }
        self
    }

    /// A list of JSON objects; empty lists are left out.
    pub fn json_list<T: serde::Serialize>(
        &mut self,
        rest: &'static str,
        soap: Option<&'static str>,
        item: &'static str,
        values: &[T],
    ) -> &mut Self {
        let values: Vec<String> = values.iter().filter_map(|v| serde_json::to_string(v).ok()).collect();
        if let Some(name) = self.name(rest, soap, !values.is_empty())
            && !values.is_empty()
        {
            self.push(name, ParamValue::Json { item, values });
        }
        self
    }

    /// One JSON object when present.
    pub fn object<T: serde::Serialize>(&mut self, rest: &'static str, value: Option<&T>) -> &mut Self {
        if let Some(name) = self.name(rest, None, value.is_some())
            && let Some(v) = value.and_then(|v| serde_json::to_string(v).ok())
        {
            self.push(name, ParamValue::Object(v));
        }
        self
    }

    /// `MethodParams`: the `{"Name","Value"}` options of a current-generation call; not part of SOAP.
    pub fn method_params(&mut self, values: &[crate::model::NameValueItem]) -> &mut Self {
        self.json_list("MethodParams", None, "NameValueItem", values)
    }

    /// Files; an empty list is left out.
    pub fn files(&mut self, rest: &'static str, soap: Option<&'static str>, docs: &[Document]) -> &mut Self {
        if let Some(name) = self.name(rest, soap, !docs.is_empty())
            && !docs.is_empty()
        {
            self.push(name, ParamValue::Files(docs.to_vec()));
        }
        self
    }
}

/// The three message variants of each legacy SOAP operation (`SoapWebService.wsdl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SoapVariant {
    /// Credentials in every message (`…Stateless`).
    Stateless,
    /// The session rides in the `ASP.NET_SessionId` cookie (`…StatefulCookie`).
    StatefulCookie,
    /// The session token is the first element (`…StatefulNoCookie`).
    StatefulNoCookie,
}

impl SoapVariant {
    /// The suffix of the message name.
    pub fn suffix(self) -> &'static str {
        match self {
            SoapVariant::Stateless => "Stateless",
            SoapVariant::StatefulCookie => "StatefulCookie",
            SoapVariant::StatefulNoCookie => "StatefulNoCookie",
        }
    }
}

/// One WestFax method: its names, its parameters and its result type.
///
/// Implemented by every type in [`crate::security`], [`crate::profile`], [`crate::contact`], [`crate::fax`]
/// and [`crate::legacy`]. Send one with [`Client::call`](crate::Client::call) or [`Operation::send`].
pub trait Operation: fmt::Debug + Send + Sync {
    /// The `Result` of the `ApiResult` envelope.
    type Output: DeserializeOwned + Send + 'static;

    /// The current-generation method name (`Fax_SendFax`), `None` for legacy-only operations.
    const CURRENT: Option<&'static str>;

    /// The legacy Polka.Api/WSDL operation name (`SendFax`), `None` for current-only methods.
    const LEGACY: Option<&'static str>;

    /// Whether the call sends `ProductId` (current generation).
    const PRODUCT: ProductUse;

    /// Whether a stateless legacy SOAP message carries `ProductId` (most do; the inbound-list ones do not).
    const SOAP_PRODUCT: bool = true;

    /// Whether the call may be repeated safely (sends may not).
    const IDEMPOTENT: bool = true;

    /// Whether the call is authenticated at all (`Security_Ping` is not).
    const CREDENTIALS: bool = true;

    /// Whether this is a sign-in (always sends `Username`/`Password`, whatever the session mode).
    const SIGN_IN: bool = false;

    /// Whether the stateless REST call carries the `Cookies` flag (every recorded call does, except the
    /// Postman sample of `Fax_GetProductsWithInboundFaxes`).
    const COOKIES_FLAG: bool = true;

    /// Checks the parameters before anything is sent.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] naming the problem.
    fn validate(&self) -> faxkit::Result<()> {
        Ok(())
    }

    /// The parameters of the call, without credentials, in `dialect`.
    fn params(&self, dialect: Dialect) -> Params;

    /// Splits a call whose id list is longer than `max` into calls of at most `max` ids each, in order;
    /// `None` (the default) when the call has no id list or fits. [`Client::call`](crate::Client::call) sends
    /// the parts one after another, each with its own retries and session handling, and joins their outputs
    /// with [`merge`](Operation::merge); the first failing part fails the call. WestFax takes at most
    /// [`IDS_PER_CALL`](crate::fax::IDS_PER_CALL) ids per call.
    fn split(&self, max: usize) -> Option<Vec<Self>>
    where
        Self: Sized,
    {
        let _ = max;
        None
    }

    /// Joins the outputs of the parts of a [`split`](Operation::split) call, in order: lists are concatenated,
    /// `bool` answers are `true` only when every part answered `true`.
    ///
    /// # Errors
    /// The default, for operations that never split, is [`faxkit::Error::Unsupported`].
    fn merge(parts: Vec<Self::Output>) -> faxkit::Result<Self::Output>
    where
        Self: Sized,
    {
        let _ = parts;
        Err(faxkit::Error::unsupported(crate::VENDOR, "merging the parts of a call that does not split"))
    }

    /// The idempotency key an [`faxkit::Error::Ambiguous`] outcome of this call carries (`Fax_SendFax`: its
    /// `JobName`); `None` for calls that create nothing.
    fn idempotency_key(&self) -> Option<&str> {
        None
    }

    /// The SOAP message name of a variant; `None` when the WSDL has no such variant.
    fn soap_message(&self, variant: SoapVariant) -> Option<String> {
        Self::LEGACY.map(|op| format!("{op}{}", variant.suffix()))
    }

    /// The element carrying the session token in `…StatefulNoCookie` messages.
    fn soap_token_element(&self) -> &'static str {
        "SessionToken"
    }

    /// Sends the operation with `client`.
    ///
    /// # Errors
    /// See [`Client::call`](crate::Client::call).
    fn send(self, client: &crate::Client) -> impl Future<Output = faxkit::Result<Self::Output>> + Send
    where
        Self: Sized,
    {
        async move { client.call(self).await }
    }
}

/// Outputs that the parts of a split call can be joined into (see [`Operation::merge`]).
pub(crate) trait Merge: Sized {
    fn merge_all(parts: Vec<Self>) -> Self;
}

impl<T> Merge for Vec<T> {
    fn merge_all(parts: Vec<Self>) -> Self {
        parts.into_iter().flatten().collect()
    }
}

impl Merge for bool {
    fn merge_all(parts: Vec<Self>) -> Self {
        parts.into_iter().all(|b| b)
    }
}

/// `items` in chunks of at most `max` (at least 1), when there are more than `max`.
pub(crate) fn chunks<T: Clone>(items: &[T], max: usize) -> Option<Vec<Vec<T>>> {
    let max = max.max(1);
    (items.len() > max).then(|| items.chunks(max).map(<[T]>::to_vec).collect())
}

/// Implements [`Operation::split`] and [`Operation::merge`] for an operation whose ids are in `$field`.
macro_rules! split_ids {
    ($field:ident) => {
        fn split(&self, max: usize) -> Option<Vec<Self>> {
            $crate::operation::chunks(&self.$field, max).map(|parts| {
                parts
                    .into_iter()
                    .map(|$field| {
                        let mut op = self.clone();
                        op.$field = $field;
                        op
                    })
                    .collect()
            })
        }

        fn merge(parts: Vec<Self::Output>) -> faxkit::Result<Self::Output> {
            Ok($crate::operation::Merge::merge_all(parts))
        }
    };
}
pub(crate) use split_ids;
