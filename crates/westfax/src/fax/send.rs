//! `Fax_SendFax`, `Fax_ConvertToFaxDocument`, `Fax_GetCoverPages` and callback URL templates.

use faxkit::Document;
use jiff::Timestamp;

use crate::model::{CoverPageItem, FaxFileItem, FaxId, FaxQuality, FileFormat, NameValueItem};
use crate::operation::{Dialect, Operation, Params, ProductUse};

/// `Fax_SendFax` (legacy `SendFax`): sends documents to one or more numbers; returns the job id.
///
/// Files are streamed: multipart parts `Files0…` over REST, base64 `FileContainer`s over the XML and JSON
/// transports, never held in memory whole. `JobName`, `Header` and `BillingCode` are always sent (empty
/// when unset), as the vendor's SDK and samples do. `ANI`, `CallbackUrl`, `JobSource`, per-recipient keys
/// and `MethodParams` (cover pages) are current-generation fields: setting them fails over SOAP.
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let sandbox = westfax::sandbox::Sandbox::start().await.unwrap();
/// # let client = sandbox.client();
/// use westfax::{Operation, fax::FaxSendFax, model::FaxQuality};
/// use faxkit::Document;
///
/// let job = FaxSendFax::new(["5552001111"], [Document::from_bytes(&b"%PDF-1.4 test"[..], "a.pdf")])
///     // Optional parameters
///     .job_name("Invoices")
///     .csid("5551234567")
///     .fax_quality(FaxQuality::Fine)
///     .send(&client)
///     .await?;
/// println!("job {job}");
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct FaxSendFax {
    numbers: Vec<String>,
    files: Vec<Document>,
    job_name: Option<String>,
    header: Option<String>,
    billing_code: Option<String>,
    csid: Option<String>,
    ani: Option<String>,
    start_date: Option<Timestamp>,
    fax_quality: Option<FaxQuality>,
    feedback_email: Option<String>,
    callback_url: Option<CallbackUrl>,
    job_source: Option<String>,
    customer_keys: Vec<String>,
    method_params: Vec<NameValueItem>,
}

impl FaxSendFax {
    /// A fax of `files` to `numbers` (digits or `###-###-####`, the forms of the WestFax samples).
    pub fn new(
        numbers: impl IntoIterator<Item = impl Into<String>>,
        files: impl IntoIterator<Item = Document>,
    ) -> Self {
        FaxSendFax {
            numbers: numbers.into_iter().map(Into::into).collect(),
            files: files.into_iter().collect(),
            job_name: None,
            header: None,
            billing_code: None,
            csid: None,
            ani: None,
            start_date: None,
            fax_quality: None,
            feedback_email: None,
            callback_url: None,
            job_source: None,
            customer_keys: Vec::new(),
            method_params: Vec::new(),
        }
    }

    /// The destination numbers.
    pub fn numbers(&self) -> &[String] {
        &self.numbers
    }

    /// A cover-page or other `MethodParams` option (`coverPageId`, `coverPageSubject`, `createdByName`, …).
    pub fn method_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.method_params.push(NameValueItem::new(name, value));
        self
    }

    fn check(&self) -> faxkit::Result<()> {
        if self.numbers.is_empty() {
            return Err(faxkit::Error::invalid_input(crate::VENDOR, "Fax_SendFax needs at least one number"));
        }
        if self.files.is_empty() {
            return Err(faxkit::Error::invalid_input(crate::VENDOR, "Fax_SendFax needs at least one file"));
        }
        if self.numbers.len() > MAX_NUMBERS {
            return Err(faxkit::Error::invalid_input(
                crate::VENDOR,
                format!(
                    "{} numbers given; Fax_SendFax takes at most {MAX_NUMBERS} (Numbers1…Numbers999)",
                    self.numbers.len()
                ),
            ));
        }
        if self.files.len() > MAX_FILES {
            return Err(faxkit::Error::invalid_input(
                crate::VENDOR,
                format!("{} files given; Fax_SendFax takes at most {MAX_FILES} (Files0…Files999)", self.files.len()),
            ));
        }
        if let Some(n) = self.numbers.iter().find(|n| n.trim().is_empty()) {
            return Err(faxkit::Error::invalid_input(crate::VENDOR, format!("fax number {n:?} is empty")));
        }
        if !self.customer_keys.is_empty() && self.customer_keys.len() != self.numbers.len() {
            return Err(faxkit::Error::invalid_input(
                crate::VENDOR,
                "customer keys (StringParams) must match the numbers one for one",
            ));
        }
        Ok(())
    }
}

/// The most numbers one `Fax_SendFax` takes: the vendor numbers them `Numbers1` to `Numbers999` ("You can add
/// more numbers by iterating on this value Numbers2...999", westfax.com/fax-api-details-of-faxsendfax).
/// [`FaxService`](faxkit::FaxService) sends at most 20 (the vendor's npm client's cap).
pub const MAX_NUMBERS: usize = 999;

/// The most files one `Fax_SendFax` takes: `Files0` to `Files999` ("Files1...999", the same page; this client
/// starts at `Files0` as the Postman collection does).
pub const MAX_FILES: usize = 1000;

faxkit::setters!(FaxSendFax {
    strings {
        /// For reporting; not printed (`JobName`).
        job_name,
        /// Text printed at the top of each page (`Header`).
        header,
        /// For reporting (`BillingCode`).
        billing_code,
        /// The caller id the receiving machine shows (`CSID`).
        csid,
        /// The caller's phone number (`ANI`; current generation).
        ani,
        /// Report e-mail when the job is done (`FeedbackEmail`).
        feedback_email,
        /// Where the job came from (`JobSource`; current generation).
        job_source,
    }
    values {
        /// Delayed start (`StartDate`).
        start_date: Timestamp,
        /// Resolution (`FaxQuality`).
        fax_quality: FaxQuality,
        /// Callback after sending (`CallbackUrl`; current generation).
        callback_url: CallbackUrl,
    }
    lists {
        /// One customer key per number, in number order (`StringParams1…`; current generation).
        customer_keys: String,
    }
});

impl Operation for FaxSendFax {
    type Output = FaxId;
    const CURRENT: Option<&'static str> = Some("Fax_SendFax");
    const LEGACY: Option<&'static str> = Some("SendFax");
    const PRODUCT: ProductUse = ProductUse::Required;
    const IDEMPOTENT: bool = false;

    fn validate(&self) -> faxkit::Result<()> {
        self.check()
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.job_name.as_deref().filter(|n| !n.is_empty())
    }

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        if dialect == Dialect::Soap {
            p.text("JobName", Some("jobName"), self.job_name.as_ref());
            p.text("BillingCode", Some("billingCode"), self.billing_code.as_ref());
            p.text("Header", Some("header"), self.header.as_ref());
            p.list("Numbers", Some("numbers"), "string", &self.numbers);
            p.files("Files", Some("files"), &self.files);
            p.text("CSID", Some("CSID"), self.csid.as_ref());
            p.nillable("FaxQuality", "faxQuality", self.fax_quality.as_ref());
            // Required (non-nillable) in the stateful variants: "now" when unset.
            p.date("StartDate", Some("startDate"), Some(self.start_date.unwrap_or_else(Timestamp::now)));
            p.text("FeedbackEmail", Some("feedbackEmail"), self.feedback_email.as_ref());
        } else {
            let empty = String::new();
            p.text("JobName", None, Some(self.job_name.as_ref().unwrap_or(&empty)));
            if dialect == Dialect::LegacyObject {
                // The order of the recorded RPC request (the vendor's legacy RPC demo).
                p.text("BillingCode", None, Some(self.billing_code.as_ref().unwrap_or(&empty)));
                p.text("Header", None, Some(self.header.as_ref().unwrap_or(&empty)));
            } else {
                p.text("Header", None, Some(self.header.as_ref().unwrap_or(&empty)));
                p.text("BillingCode", None, Some(self.billing_code.as_ref().unwrap_or(&empty)));
            }
            p.list("Numbers", None, "string", &self.numbers);
            p.files("Files", None, &self.files);
            p.text("CSID", None, self.csid.as_ref());
            p.text("FaxQuality", None, self.fax_quality.as_ref());
            p.date("StartDate", None, self.start_date);
            p.text("FeedbackEmail", None, self.feedback_email.as_ref());
        }
        p.text("ANI", None, self.ani.as_ref());
        p.text("CallbackUrl", None, self.callback_url.as_ref());
        p.text("JobSource", None, self.job_source.as_ref());
        p.list("StringParams", None, "string", &self.customer_keys);
        p.method_params(&self.method_params);
        p
    }
}

/// The HTTP verb of a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallbackMethod {
    /// `[get]` (the default).
    #[default]
    Get,
    /// `[post]`.
    Post,
}

/// A callback URL template for `Fax_SendFax` (`CallbackUrl`): `[get]` or `[post]`, then a URL in which WestFax
/// replaces `{@jobid}`, `{@prodid}` and `{@dir}` (the WestFax API documentation, Fax_SendFax `CallbackUrl`).
///
/// ```
/// use westfax::fax::{CallbackMethod, CallbackUrl};
/// let cb = CallbackUrl::new(CallbackMethod::Get, "https://example.com/fax/{@jobid}?prod={@prodid}&dir={@dir}")?;
/// assert_eq!(cb.to_string(), "[get]https://example.com/fax/{@jobid}?prod={@prodid}&dir={@dir}");
/// # Ok::<(), faxkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrl {
    method: CallbackMethod,
    url: String,
}

/// The placeholders WestFax replaces in a callback URL.
pub const CALLBACK_PLACEHOLDERS: [&str; 3] = ["{@jobid}", "{@prodid}", "{@dir}"];

impl CallbackUrl {
    /// Builds and validates a template: an absolute http(s) URL once the placeholders are filled, every `{@…}`
    /// a known placeholder, braces balanced.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] naming the problem.
    pub fn new(method: CallbackMethod, url: impl Into<String>) -> faxkit::Result<Self> {
        let url = url.into();
        let bad = |m: String| faxkit::Error::invalid_input(crate::VENDOR, m);
        let mut rest = url.as_str();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                return Err(bad(format!("unclosed placeholder in callback URL {url:?}")));
            };
            let token = &rest[start..start + len + 1];
            if !CALLBACK_PLACEHOLDERS.contains(&token) {
                return Err(bad(format!("unknown placeholder {token} (known: {{@jobid}}, {{@prodid}}, {{@dir}})")));
            }
            rest = &rest[start + len + 1..];
        }
        let filled = CALLBACK_PLACEHOLDERS.iter().fold(url.clone(), |u, p| u.replace(p, "x"));
        let parsed = url::Url::parse(&filled).map_err(|e| bad(format!("callback URL {url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(format!("callback URL {url:?} must be http or https")));
        }
        Ok(CallbackUrl { method, url })
    }

    /// Parses a template as sent on the wire (`[post]https://…`; no prefix means GET).
    ///
    /// # Errors
    /// As [`CallbackUrl::new`].
    pub fn parse(template: &str) -> faxkit::Result<Self> {
        let t = template.trim();
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("[post]") {
            Self::new(CallbackMethod::Post, &t[6..])
        } else if lower.starts_with("[get]") {
            Self::new(CallbackMethod::Get, &t[5..])
        } else {
            Self::new(CallbackMethod::Get, t)
        }
    }

    /// The verb.
    pub fn method(&self) -> CallbackMethod {
        self.method
    }

    /// The URL template without the verb prefix.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl std::fmt::Display for CallbackUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.method {
            CallbackMethod::Get => "[get]",
            CallbackMethod::Post => "[post]",
        };
        write!(f, "{verb}{}", self.url)
    }
}

/// `Fax_ConvertToFaxDocument`: renders files the way they would be faxed and returns the result in `format`
/// (a preview). Sends no `ProductId`. Current generation (the legacy equivalent is
/// [`GetPreview`](crate::legacy::GetPreview)).
#[derive(Debug, Clone)]
pub struct FaxConvertToFaxDocument {
    files: Vec<Document>,
    fax_quality: Option<FaxQuality>,
    format: Option<FileFormat>,
}

impl FaxConvertToFaxDocument {
    /// A preview of `files`.
    pub fn new(files: impl IntoIterator<Item = Document>) -> Self {
        FaxConvertToFaxDocument { files: files.into_iter().collect(), fax_quality: None, format: None }
    }
}

faxkit::setters!(FaxConvertToFaxDocument {
    values {
        /// Resolution (`FaxQuality`).
        fax_quality: FaxQuality,
        /// Output format (`Format`).
        format: FileFormat,
    }
});

impl Operation for FaxConvertToFaxDocument {
    type Output = FaxFileItem;
    const CURRENT: Option<&'static str> = Some("Fax_ConvertToFaxDocument");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::None;

    fn params(&self, dialect: Dialect) -> Params {
        let mut p = Params::new(dialect);
        p.files("Files", None, &self.files);
        p.text("FaxQuality", None, self.fax_quality.as_ref());
        p.text("Format", None, self.format.as_ref());
        p
    }
}

/// `Fax_GetCoverPages`: the cover pages usable with the client's fax line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaxGetCoverPages;

impl Operation for FaxGetCoverPages {
    type Output = Vec<CoverPageItem>;
    const CURRENT: Option<&'static str> = Some("Fax_GetCoverPages");
    const LEGACY: Option<&'static str> = None;
    const PRODUCT: ProductUse = ProductUse::Optional;

    fn params(&self, dialect: Dialect) -> Params {
        Params::new(dialect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Params) -> Vec<&'static str> {
        p.items().iter().map(|i| i.name).collect()
    }

    #[test]
    fn send_fax_parameters_per_dialect() {
        let op = FaxSendFax::new(["5552001111"], [Document::from_bytes(&b"%PDF"[..], "a.pdf")])
            .csid("1")
            .fax_quality(FaxQuality::Fine);
        assert_eq!(
            names(&op.params(Dialect::Rest)),
            ["JobName", "Header", "BillingCode", "Numbers", "Files", "CSID", "FaxQuality"]
        );
        assert_eq!(names(&op.params(Dialect::Soap)), ["numbers", "files", "CSID", "faxQuality", "startDate"]);
        let soap_only = op.clone().ani("5551234567").params(Dialect::Soap);
        assert_eq!(soap_only.unsupported(), ["ANI"]);
        assert!(op.params(Dialect::Object).unsupported().is_empty());
    }

    #[test]
    fn callback_templates_are_validated() {
        let cb = CallbackUrl::parse("[post]https://h.example/cb?j={@jobid}&d={@dir}").unwrap();
        assert_eq!(cb.method(), CallbackMethod::Post);
        assert_eq!(cb.to_string(), "[post]https://h.example/cb?j={@jobid}&d={@dir}");
        assert_eq!(CallbackUrl::parse("https://h.example/{@jobid}").unwrap().method(), CallbackMethod::Get);
        assert!(CallbackUrl::parse("[get]https://h.example/{@job}").is_err());
        assert!(CallbackUrl::parse("[get]https://h.example/{@jobid").is_err());
        assert!(CallbackUrl::parse("[get]ftp://h.example/").is_err());
        assert!(CallbackUrl::parse("not a url").is_err());
    }
}
