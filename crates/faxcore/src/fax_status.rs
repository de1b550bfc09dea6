//! `FaxStatus`: the status of a fax (`GET FaxStatus?faxid={faxID}`).

use faxkit::Result;

use crate::VENDOR;
use crate::client::{Client, Operation};
use crate::error::{ApiError, ApiErrorKind};
use crate::model::envelope::TextResults;
use crate::model::{FaxCoreStatus, FaxId};

impl Client {
    /// Reads the status of a fax (`In Queue`, `Completed`, …).
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = client.send_fax(faxkit::FaxNumber::parse("+12125550100")?, faxkit::Document::from_bytes("%PDF-1.4", "a.pdf")).send().await?;
    /// use faxcore::FaxCoreStatus;
    ///
    /// let status = client.fax_status(id).await?;
    /// assert_eq!(status, FaxCoreStatus::InQueue);
    /// assert!(!status.delivery_status().is_final());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] for an unknown id (HTTP 404), [`faxkit::Error::Vendor`] for an error body.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, op = "FaxStatus", fax_id = %id))]
    pub async fn fax_status(&self, id: FaxId) -> Result<FaxCoreStatus> {
        let reply: Option<TextResults> = self.call(Operation::FaxStatus, &[("faxid", id.to_string())], None).await?;
        let results = reply.unwrap_or_default().results;
        if results.trim().is_empty() {
            return Err(ApiError::new(
                Operation::FaxStatus,
                200,
                ApiErrorKind::Unexpected,
                Some("Results".into()),
                "<Results> is empty",
                b"",
            )
            .into());
        }
        Ok(FaxCoreStatus::from_wire(results.trim()))
    }
}
