//! [`faxkit::FaxService`] for [`Client`]: conversions only.
//!
//! | trait method | InterFAX call |
//! |---|---|
//! | `send` | `POST /outbound/faxes` (one recipient; the idempotency key, else `reference`, goes into `reference`; `csid` passed; `sender_name` and `subject` have no InterFAX parameter and are ignored) |
//! | `send_each` | one `POST /outbound/faxes` per recipient, keys `K#1`, `K#2`, … (batches need a `list` whose inline format InterFAX's docs cut off, so they are not used) |
//! | `reconcile` | `GET /outbound/search?reference={key}&dateFrom=…&sortOrder=asc` (the fax and batch children sent with that reference) |
//! | `status` | `GET /outbound/faxes/{id}` |
//! | `cancel` | `POST /outbound/faxes/{id}/cancel` |
//! | `list_inbound` | `GET /inbound/faxes` (`unread_only` → `unreadOnly=true`) |
//! | `download` | outbound: `GET /outbound/faxes/{id}/image`; inbound: `GET /inbound/faxes/{id}/image` |
//! | `acknowledge` | `POST /inbound/faxes/{id}/mark?unread=false` |
//!
//! The idempotency key is InterFAX's `reference` ("your internal ID … can be obtained by status query"), so it
//! must fit its 60 characters: a longer key is refused with [`faxkit::Error::InvalidInput`] before any request.
//! With a key, the request's own `reference` is not sent (the key takes its place). InterFAX does not detect
//! duplicate references: the key makes a send findable, not unrepeatable.

use faxkit::{Direction, Download, FaxId, FaxStatus, InboundFax, InboundQuery, Reconciliation, Result, SendRequest};
use jiff::Timestamp;

use crate::VENDOR;
use crate::client::Client;
use crate::model::common::{InboundFaxId, OutboundFaxId};

#[faxkit::async_trait]
impl faxkit::FaxService for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    async fn send(&self, request: &SendRequest) -> Result<FaxId> {
        request.validate(VENDOR, 1)?;
        let (Some(to), Some((first, rest))) = (request.to.first(), request.documents.split_first()) else {
            return Err(faxkit::Error::invalid_input(VENDOR, "a fax needs a recipient and a document"));
        };
        let mut send = self.outbound().send_fax(to.clone(), first.clone());
        for doc in rest {
            send = send.document(doc.clone());
        }
        let key = request.idempotency_key.as_deref();
        if let Some(key) = key {
            check_key(key)?;
        }
        if let Some(reference) = key.or(request.reference.as_deref()) {
            send = send.reference(reference);
        }
        if let Some(csid) = &request.csid {
            send = send.csid(csid.clone());
        }
        send.send().await.map(FaxId::from).map_err(|e| e.with_idempotency_key(key))
    }

    async fn send_each(&self, request: &SendRequest) -> Result<Vec<faxkit::RecipientOutcome>> {
        request.validate(VENDOR, usize::MAX)?;
        // Every suffixed key must fit before the first fax goes out.
        if let Some(key) = &request.idempotency_key {
            for i in 0..request.to.len() {
                check_key(&faxkit::service::recipient_key(key, i, request.to.len()))?;
            }
        }
        let mut out = Vec::with_capacity(request.to.len());
        for (index, to) in request.to.iter().enumerate() {
            let mut one = request.clone();
            one.to = vec![to.clone()];
            one.idempotency_key =
                request.idempotency_key.as_deref().map(|k| faxkit::service::recipient_key(k, index, request.to.len()));
            let result = self.send(&one).await;
            out.push(faxkit::RecipientOutcome::new(to.clone(), one.idempotency_key, result));
        }
        Ok(out)
    }

    async fn reconcile(&self, key: &str, sent_after: Option<Timestamp>) -> Result<Reconciliation> {
        check_key(key)?;
        let from = sent_after.map(|t| faxkit::service::reconcile_window_start(Some(t)));
        let found = self
            .outbound()
            .search()
            .reference(key)
            .date_from(from)
            .sort_order(crate::model::common::SortOrder::Asc)
            .limit(1)
            .send()
            .await?;
        Ok(match found.first() {
            Some(fax) => Reconciliation::Found(FaxId::from(fax.id)),
            None => Reconciliation::NotFound,
        })
    }

    async fn status(&self, id: &FaxId) -> Result<FaxStatus> {
        let fax = self.outbound().get(OutboundFaxId::try_from(id)?).await?;
        Ok(FaxStatus::from(&fax))
    }

    async fn cancel(&self, id: &FaxId) -> Result<()> {
        self.outbound().cancel(OutboundFaxId::try_from(id)?).await
    }

    async fn list_inbound(&self, query: &InboundQuery) -> Result<Vec<InboundFax>> {
        let faxes =
            self.inbound().list().unread_only(query.unread_only.then_some(true)).limit(query.limit).send().await?;
        Ok(faxes.iter().map(InboundFax::from).collect())
    }

    async fn download(&self, id: &FaxId, direction: Direction) -> Result<Download> {
        match direction {
            Direction::Outbound => self.outbound().image(OutboundFaxId::try_from(id)?).await,
            Direction::Inbound => self.inbound().image(InboundFaxId::try_from(id)?).await,
        }
    }

    async fn acknowledge(&self, id: &FaxId) -> Result<()> {
        self.inbound().mark_read(InboundFaxId::try_from(id)?).await
    }
}

/// The longest `reference` InterFAX stores ("String (≤60 chars)", send-fax parameter table).
pub(crate) const MAX_REFERENCE_CHARS: usize = 60;

/// Refuses an idempotency key that does not fit InterFAX's `reference`.
fn check_key(key: &str) -> Result<()> {
    let n = key.chars().count();
    if key.is_empty() || n > MAX_REFERENCE_CHARS {
        return Err(faxkit::Error::invalid_input(
            VENDOR,
            format!(
                "idempotency key of {n} characters: InterFAX keeps it in `reference`, which takes 1 to \
                 {MAX_REFERENCE_CHARS}"
            ),
        ));
    }
    Ok(())
}
