//! `GetFaxDetails`: the details of a fax (`GET GetFaxDetails?faxid={faxID}`).

use faxkit::Result;

use crate::VENDOR;
use crate::client::{Client, Operation};
use crate::error::{ApiError, ApiErrorKind};
use crate::model::get_fax_details::FaxDetailsBody;
use crate::model::{FaxDetails, FaxId};

impl Client {
    /// Reads a fax's details: direction, remote number, subject, dates (Pacific time, converted to UTC),
    /// status and page counts.
    ///
    /// A reply missing `FaxID`, `Type` or `Status` is not an error: those fields are `None`.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.send_fax(faxkit::FaxNumber::parse("+12125550100")?, faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).subject("Hello").send().await?;
    /// let details = client.get_fax_details(id).await?;
    /// assert_eq!(details.fax_id, Some(id));
    /// assert_eq!(details.subject, "Hello");
    /// assert!(details.created_date.is_some());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] for an unknown id (HTTP 404); [`faxkit::Error::Decode`] for details that do
    /// not have the documented shape (a date that is not a FaxCore date, say).
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, op = "GetFaxDetails", fax_id = %id))]
    pub async fn get_fax_details(&self, id: FaxId) -> Result<FaxDetails> {
        let reply: Option<FaxDetailsBody> =
            self.call(Operation::GetFaxDetails, &[("faxid", id.to_string())], None).await?;
        reply.map(|b| b.results).ok_or_else(|| {
            ApiError::new(Operation::GetFaxDetails, 200, ApiErrorKind::Unexpected, None, "no <Results>", b"").into()
        })
    }
}
