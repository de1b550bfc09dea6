//! [`faxkit::FaxService`] for the Fax2 [`Client`]: conversions only.

use faxkit::{
    Direction, Download, FaxId, FaxService, FaxStatus, InboundFax, InboundQuery, Reconciliation, SendRequest,
};
use futures::TryStreamExt;

use crate::VENDOR;
use crate::client::Client;
use crate::model::{ReceivedFax, ReceivedFaxId, SentFax, SentFaxId};

impl From<ReceivedFax> for InboundFax {
    fn from(fax: ReceivedFax) -> Self {
        let mut inbound = InboundFax::new(fax.id.into());
        inbound.to = Some(fax.to);
        inbound.pages = Some(fax.pages);
        inbound.received_at = Some(fax.received_at);
        inbound
    }
}

fn fax_status(id: &FaxId, fax: SentFax) -> FaxStatus {
    let mut status = FaxStatus::new(id.clone(), fax.delivery_status(), fax.status.as_str());
    status.pages = Some(fax.pages);
    status.completed_at = if fax.is_final() { fax.sent_at } else { None };
    status
}

#[faxkit::async_trait]
impl FaxService for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    /// Uploads each document (`upload_document`), then sends them as one fax (`send_fax`). One recipient per
    /// send; `reference`, `sender_name`, `csid`, `subject` and the idempotency key have no Fax2 field and are
    /// not sent (an [`faxkit::Error::Ambiguous`] still carries the key). A lost upload answer is reported as its
    /// cause, not as ambiguous: no fax was sent yet.
    async fn send(&self, request: &SendRequest) -> faxkit::Result<FaxId> {
        request.validate(VENDOR, 1)?;
        let mut documents = Vec::with_capacity(request.documents.len());
        for document in &request.documents {
            let uploaded =
                self.upload_document(document.clone()).send().await.map_err(faxkit::Error::without_ambiguity)?;
            documents.push(uploaded.document_id);
        }
        let to = request.to.first().cloned().ok_or_else(|| faxkit::Error::invalid_input(VENDOR, "no recipient"))?;
        let key = request.idempotency_key.as_deref();
        Ok(self.send_fax(to, documents).send().await.map_err(|e| e.with_idempotency_key(key))?.id.into())
    }

    /// Fax2 cannot be searched: `send_fax` stores no client reference, and the API lists received faxes only
    /// (`sent_faxes/{id}` needs the id the lost answer carried).
    async fn reconcile(&self, _key: &str, _sent_after: Option<jiff::Timestamp>) -> faxkit::Result<Reconciliation> {
        Ok(Reconciliation::Unsupported(
            "Fax2's send_fax takes no client reference and the API has no list of sent faxes, so a send whose \
             answer was lost cannot be found"
                .into(),
        ))
    }

    async fn status(&self, id: &FaxId) -> faxkit::Result<FaxStatus> {
        let fax = self.sent_faxes().get(&SentFaxId::from(id)).await?;
        Ok(fax_status(id, fax))
    }

    /// Fax2 has no cancel endpoint.
    async fn cancel(&self, _id: &FaxId) -> faxkit::Result<()> {
        Err(faxkit::Error::unsupported(VENDOR, "cancel (the Fax2 API has no endpoint to cancel an outgoing fax)"))
    }

    /// Lists every received fax (all pages), newest first, cut to `query.limit`. Fax2 keeps no read state,
    /// so `unread_only` cannot filter and is ignored; use [`crate::InboxPoller`] to see each fax once.
    async fn list_inbound(&self, query: &InboundQuery) -> faxkit::Result<Vec<InboundFax>> {
        let mut faxes: Vec<ReceivedFax> =
            self.received_faxes().list().limit(crate::received_faxes::MAX_LIMIT).stream().try_collect().await?;
        faxes.sort_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| b.id.cmp(&a.id)));
        if let Some(limit) = query.limit {
            faxes.truncate(limit as usize);
        }
        Ok(faxes.into_iter().map(InboundFax::from).collect())
    }

    /// Received faxes as PDF; Fax2 offers no download of sent faxes.
    async fn download(&self, id: &FaxId, direction: Direction) -> faxkit::Result<Download> {
        match direction {
            Direction::Inbound => self.received_faxes().content(&ReceivedFaxId::from(id)).await,
            Direction::Outbound => {
                Err(faxkit::Error::unsupported(VENDOR, "download of a sent fax (Fax2 serves received faxes only)"))
            }
        }
    }

    /// [`ReceivedFaxesSource`](crate::source::ReceivedFaxesSource): a `received_faxes` time window with Fax2's
    /// 5-minute overlap, `acknowledges() == false`.
    fn inbound_source(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn faxkit::InboundSource> {
        std::sync::Arc::new(self.received_faxes().inbound_source())
    }

    /// Fax2 has no acknowledge / mark-read endpoint: the API keeps no per-fax read state. Exactly-once
    /// processing is the client's job, done by [`crate::InboxPoller`] with a checkpoint.
    async fn acknowledge(&self, _id: &FaxId) -> faxkit::Result<()> {
        Err(faxkit::Error::unsupported(
            VENDOR,
            "acknowledge (the Fax2 API keeps no read state; use fax2::InboxPoller for exactly-once processing)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faxkit::DeliveryStatus;

    #[test]
    fn sent_fax_statuses_map() {
        let parse = |json: &str| serde_json::from_str::<SentFax>(json).unwrap();
        let id = FaxId::new("1");
        let s = fax_status(&id, parse(r#"{"status":"waiting","pages":2,"send_attempts":1}"#));
        assert_eq!((s.status, s.raw_status.as_str()), (DeliveryStatus::Queued, "waiting"));
        let s = fax_status(
            &id,
            parse(
                r#"{"status":"failed","pages":2,"send_attempts":3,"reason":"busy","sent_at":"2021-03-10T02:21:20Z","pages_sent":0}"#,
            ),
        );
        assert_eq!(s.status, DeliveryStatus::failed("busy"));
        assert_eq!(s.completed_at.unwrap().to_string(), "2021-03-10T02:21:20Z");
        let s = fax_status(&id, parse(r#"{"status":"failed","pages":1,"send_attempts":3,"reason":"cancelled"}"#));
        assert_eq!(s.status, DeliveryStatus::Cancelled);
        let s = fax_status(&id, parse(r#"{"status":"teleporting","pages":1,"send_attempts":0}"#));
        assert_eq!((s.status, s.raw_status.as_str()), (DeliveryStatus::Unknown, "teleporting"));
    }
}
