//! Documents streamed out of an answer instead of read whole (the scanning is in `crate::download`).

use faxkit::Download;

use super::Client;
use crate::model::{FaxId, FaxIdItem, FileFormat};

impl Client {
    /// Streams the first document of a fax (`Fax_GetFaxDocuments`, current generation), decoding the base64
    /// `FileContents` as it arrives instead of reading the whole answer.
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] when the fax has no document; the errors of [`Client::call`].
    pub async fn download_document(&self, fax: FaxIdItem, format: FileFormat) -> faxkit::Result<Download> {
        let default_type = crate::download::mime_of(&format);
        let reply = self.send_request(&crate::fax::FaxGetFaxDocuments { ids: vec![fax], format }, None).await?;
        crate::download::document(reply, default_type).await
    }

    /// Streams the file of a received fax with the legacy `GetInboundFaxes` (any transport).
    ///
    /// # Errors
    /// As [`Client::download_document`].
    pub async fn download_inbound_legacy(&self, id: FaxId) -> faxkit::Result<Download> {
        let reply = self.send_request(&crate::legacy::GetInboundFaxes::new([id]), None).await?;
        crate::download::document(reply, "application/pdf").await
    }
}
