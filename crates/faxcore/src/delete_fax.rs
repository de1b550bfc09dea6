//! `DeleteFax`: delete a fax (`GET DeleteFax?faxid={faxID}`).

use faxkit::Result;

use crate::VENDOR;
use crate::client::{Client, Operation};
use crate::error::{ApiError, ApiErrorKind};
use crate::model::FaxId;
use crate::model::envelope::TextResults;

impl Client {
    /// Deletes a fax. FaxCore answers `<Results>OK</Results>`; anything else is an error.
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")] {
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = faxcore::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let id = sandbox.inject_inbound_fax(&faxkit::FaxNumber::parse("+12125550100")?, bytes::Bytes::from_static(b"%PDF-1.4"));
    /// client.delete_fax(id).await?;
    /// assert!(client.get_fax_list(faxcore::Folder::Inbox).send().await?.is_empty());
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] for an unknown id (HTTP 404); [`faxkit::Error::Vendor`] when `<Results>` is
    /// not `OK`.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, op = "DeleteFax", fax_id = %id))]
    pub async fn delete_fax(&self, id: FaxId) -> Result<()> {
        let reply: Option<TextResults> = self.call(Operation::DeleteFax, &[("faxid", id.to_string())], None).await?;
        let results = reply.unwrap_or_default().results;
        if results.trim().eq_ignore_ascii_case("OK") {
            return Ok(());
        }
        let message = if results.trim().is_empty() { "empty <Results>".to_owned() } else { results.clone() };
        Err(ApiError::new(
            Operation::DeleteFax,
            200,
            ApiErrorKind::Rejected,
            Some("Results".into()),
            message,
            results.as_bytes(),
        )
        .into())
    }
}
