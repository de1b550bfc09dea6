//! `POST /send_fax`: submits uploaded documents as one fax.

use faxkit::FaxNumber;
use faxkit::http::{Body, Request};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{DocumentId, SendFaxResponse};

/// A `send_fax` request; open it with [`Client::send_fax`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SendFax {
    client: Client,
    dest_number: FaxNumber,
    documents: Vec<DocumentId>,
}

impl Client {
    /// Sends the uploaded documents (in order) as one fax to `dest_number`.
    ///
    /// On the wire this is a form: `documents[]=<id>` once per document and `dest_number` in Fax2's number
    /// form (country code and digits, no `+`: `61281234567`).
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "sandbox")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let sandbox = fax2::sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client();
    /// use faxkit::{Document, FaxNumber};
    /// let cover = client.upload_document(Document::from_bytes("Hello", "cover.txt")).send().await?;
    /// let invoice = client.upload_document(Document::from_bytes("%PDF-1.4 …", "invoice.pdf")).send().await?;
    /// let fax = client
    ///     .send_fax(FaxNumber::parse("+61 2 8123 4567")?, [cover.document_id])
    ///     .document(invoice.document_id)
    ///     .send()
    ///     .await?;
    /// println!("queued {} ({} pages)", fax.id, fax.pages);
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    pub fn send_fax(&self, dest_number: FaxNumber, documents: impl IntoIterator<Item = DocumentId>) -> SendFax {
        SendFax { client: self.clone(), dest_number, documents: documents.into_iter().collect() }
    }
}

impl SendFax {
    /// Appends a document.
    pub fn document(mut self, document: DocumentId) -> Self {
        self.documents.push(document);
        self
    }

    /// The form fields, in wire order.
    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form: Vec<(&'static str, String)> =
            self.documents.iter().map(|d| ("documents[]", d.as_str().to_owned())).collect();
        form.push(("dest_number", self.dest_number.digits()));
        form
    }

    /// Submits the fax. Never retried: an error after the request left may mean the fax was queued.
    ///
    /// # Errors
    /// [`faxkit::Error::InvalidInput`] without documents; [`faxkit::Error::Vendor`] with
    /// `insufficient_credit` or `bad_parameter`; request errors.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR, documents = self.documents.len()))]
    pub async fn send(self) -> faxkit::Result<SendFaxResponse> {
        if self.documents.is_empty() {
            return Err(faxkit::Error::invalid_input(VENDOR, "send_fax needs at least one uploaded document"));
        }
        let form: Vec<_> = self.form().into_iter().map(|(k, v)| (k.into(), v)).collect();
        self.client.send_json(|| std::future::ready(Ok(Request::post("send_fax").body(Body::Form(form.clone()))))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_repeats_documents_and_uses_bare_digits() {
        let client = Client::new("u", "p").unwrap();
        let send = client
            .send_fax(FaxNumber::parse("+61 2 8123 4567").unwrap(), [DocumentId::new("a")])
            .document(DocumentId::new("b c"));
        let form = send.form();
        assert_eq!(
            form,
            vec![
                ("documents[]", "a".to_owned()),
                ("documents[]", "b c".to_owned()),
                ("dest_number", "61281234567".to_owned())
            ]
        );
    }
}
