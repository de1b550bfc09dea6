//! `GET /sent_faxes/{id}`: the status of an outgoing fax.

use crate::VENDOR;
use crate::client::Client;
use crate::model::{SentFax, SentFaxId};

/// Sent-fax calls; get one with [`Client::sent_faxes`].
#[derive(Debug, Clone)]
pub struct SentFaxesHandler {
    client: Client,
}

impl Client {
    /// Outgoing faxes: status.
    pub fn sent_faxes(&self) -> SentFaxesHandler {
        SentFaxesHandler { client: self.clone() }
    }
}

impl SentFaxesHandler {
    /// The status of an outgoing fax.
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// # let doc = client.upload_document(faxkit::Document::from_bytes("%PDF-1.4 x", "x.pdf")).send().await?;
    /// # let id = client.send_fax(faxkit::FaxNumber::parse("+61281234567")?, [doc.document_id]).send().await?.id;
    /// let fax = client.sent_faxes().get(&id).await?;
    /// if fax.is_final() {
    ///     println!("{}: {:?}", fax.status, fax.reason);
    /// }
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, fax_id = %id))]
    pub async fn get(&self, id: &SentFaxId) -> faxkit::Result<SentFax> {
        self.client.get_json_at(&["sent_faxes", id.as_str()]).await
    }
}
