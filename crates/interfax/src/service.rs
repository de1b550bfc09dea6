//! [`faxkit::FaxService`] for [`Client`]: conversions only.
//!
//! | trait method | InterFAX call |
//! |---|---|
//! | `send` | `POST /outbound/faxes` (one recipient; `reference` and `csid` passed; `sender_name` and `subject` have no InterFAX parameter and are ignored) |
//! | `status` | `GET /outbound/faxes/{id}` |
//! | `cancel` | `POST /outbound/faxes/{id}/cancel` |
//! | `list_inbound` | `GET /inbound/faxes` (`unread_only` → `unreadOnly=true`) |
//! | `download` | outbound: `GET /outbound/faxes/{id}/image`; inbound: `GET /inbound/faxes/{id}/image` |
//! | `acknowledge` | `POST /inbound/faxes/{id}/mark?unread=false` |

use faxkit::{Direction, Download, FaxId, FaxStatus, InboundFax, InboundQuery, Result, SendRequest};

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
        if let Some(reference) = &request.reference {
            send = send.reference(reference.clone());
        }
        if let Some(csid) = &request.csid {
            send = send.csid(csid.clone());
        }
        send.send().await.map(FaxId::from)
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
