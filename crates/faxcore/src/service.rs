//! [`faxkit::FaxService`] for the FaxCore [`Client`]: conversions only.
//!
//! | trait method | FaxCore call |
//! |---|---|
//! | `send` | one `SendFax`: one recipient and one document; more recipients → `InvalidInput`, more documents → `Unsupported` (the POST body *is* the one document) |
//! | `status` | `GetFaxDetails` (status, pages, number, dates in one call) |
//! | `cancel` | `Unsupported`: the hosted API has no cancel resource |
//! | `list_inbound` | `GetFaxList` of `Inbox` (`hidedownloaded` = `unread_only`), then `GetFaxDetails` per fax |
//! | `download` | `DownloadFax` as `PDF` |
//! | `acknowledge` | no call: `DownloadFax` already marked the fax downloaded, which is what `hidedownloaded` filters on. Never `DeleteFax` |
//! | `inbound_source` | the default [`faxkit::inbound::ServiceInbound`] over the rows above |
//!
//! Neutral ids that are not numbers name no FaxCore fax and are reported as [`faxkit::Error::NotFound`]
//! without a request.

use faxkit::{Direction, Download, FaxService, FaxStatus, InboundFax, InboundQuery, Result, SendRequest};
use futures::{StreamExt, TryStreamExt};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{FaxId, FileType, Folder};

/// How many `GetFaxDetails` calls `list_inbound` runs at once.
const DETAIL_CONCURRENCY: usize = 4;

fn fax_id(id: &faxkit::FaxId) -> Result<FaxId> {
    FaxId::try_from(id).map_err(|_| faxkit::Error::NotFound {
        vendor: VENDOR,
        message: format!("{:?} is not a FaxCore fax id (FaxCore ids are numbers)", id.as_str()),
    })
}

#[faxkit::async_trait]
impl FaxService for Client {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    async fn send(&self, request: &SendRequest) -> Result<faxkit::FaxId> {
        request.validate(VENDOR, 1)?;
        let (Some(to), [document]) = (request.to.first(), request.documents.as_slice()) else {
            return Err(faxkit::Error::unsupported(
                VENDOR,
                format!(
                    "sending {} documents in one fax (SendFax takes exactly one document as its POST body; merge \
                     them into one file first)",
                    request.documents.len()
                ),
            ));
        };
        let mut fax = self.send_fax(to.clone(), document.clone());
        if let Some(name) = &request.sender_name {
            fax = fax.sender_name(name.clone());
        }
        if let Some(subject) = &request.subject {
            fax = fax.subject(subject.clone());
        }
        let id = fax.send().await?;
        Ok(id.into())
    }

    async fn status(&self, id: &faxkit::FaxId) -> Result<FaxStatus> {
        Ok(self.get_fax_details(fax_id(id)?).await?.to_fax_status())
    }

    async fn cancel(&self, _id: &faxkit::FaxId) -> Result<()> {
        Err(faxkit::Error::unsupported(VENDOR, "cancel (the FaxCore REST API has no cancel resource)"))
    }

    async fn list_inbound(&self, query: &InboundQuery) -> Result<Vec<InboundFax>> {
        let mut ids = self.get_fax_list(Folder::Inbox).hide_downloaded(query.unread_only).send().await?;
        if let Some(limit) = query.limit {
            ids.truncate(limit as usize);
        }
        let unread_only = query.unread_only;
        futures::stream::iter(ids)
            .map(|id| async move {
                let mut fax = self.get_fax_details(id).await?.to_inbound_fax();
                fax.acknowledged = unread_only.then_some(false);
                Ok::<_, faxkit::Error>(fax)
            })
            .buffered(DETAIL_CONCURRENCY)
            .try_collect()
            .await
    }

    async fn download(&self, id: &faxkit::FaxId, _direction: Direction) -> Result<Download> {
        self.download_fax(fax_id(id)?, FileType::Pdf).await
    }

    /// Succeeds without a request. The hosted REST API has no "mark read" or "mark downloaded" resource (its
    /// six resources are `SendFax`, `FaxStatus`, `GetFaxList`, `GetFaxDetails`, `DownloadFax`, `DeleteFax`);
    /// FaxCore marks a fax downloaded when it is downloaded, and `GetFaxList … hidedownloaded=true` leaves it
    /// out from then on. `DeleteFax` is never called: acknowledging must not lose the fax.
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] for an id that is not a FaxCore id (not a number).
    async fn acknowledge(&self, id: &faxkit::FaxId) -> Result<()> {
        fax_id(id)?;
        Ok(())
    }
}
