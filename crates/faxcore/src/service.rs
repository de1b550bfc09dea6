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
//! | `send_each` | one `SendFax` per recipient, keys `K#1`, `K#2`, … (the hosted API takes one `recpfax`) |
//! | `reconcile` | `GetFaxList` of `Outbox`, `Sent`, `Failed`, `Hold` and `Cancelled`, then `GetFaxDetails` per fax, matched on `Subject` |
//!
//! The idempotency key travels in `subject`, the one caller-set field FaxCore returns (`GetFaxDetails`
//! `<Subject>`): the key alone when the request has no subject, else `"{subject} [{key}]"`. The subject is
//! printed on the cover page when one is added, so the key may be visible to the recipient. FaxCore cannot
//! search by subject, so `reconcile` reads the details of every outbound fax (at most
//! [`MAX_RECONCILE_FAXES`]; more answers `Unsupported`); it does not bound by `sent_after` because the list
//! carries no dates. FaxCore does not detect duplicates.
//!
//! Neutral ids that are not numbers name no FaxCore fax and are reported as [`faxkit::Error::NotFound`]
//! without a request.

use faxkit::{Direction, Download, FaxService, FaxStatus, InboundFax, InboundQuery, Result, SendRequest};
use futures::{StreamExt, TryStreamExt};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{FaxId, FileType, Folder};

/// The most outbound faxes [`FaxService::reconcile`] reads the details of.
pub const MAX_RECONCILE_FAXES: usize = 1000;

/// The `subject` on the wire: the request's subject, with the idempotency key appended as ` [key]`.
fn wire_subject(subject: Option<&str>, key: Option<&str>) -> Option<String> {
    match (subject, key) {
        (Some(s), Some(k)) => Some(format!("{s} [{k}]")),
        (None, Some(k)) => Some(k.to_owned()),
        (Some(s), None) => Some(s.to_owned()),
        (None, None) => None,
    }
}

/// Whether a stored subject carries `key` ([`wire_subject`]).
fn subject_has_key(subject: &str, key: &str) -> bool {
    let subject = subject.trim();
    subject == key || subject.strip_suffix(']').and_then(|s| s.strip_suffix(key)).is_some_and(|s| s.ends_with(" ["))
}

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
        let key = request.idempotency_key.as_deref();
        if key.is_some_and(|k| k.trim().is_empty()) {
            return Err(faxkit::Error::invalid_input(VENDOR, "the idempotency key is empty"));
        }
        if let Some(subject) = wire_subject(request.subject.as_deref(), key) {
            fax = fax.subject(subject);
        }
        let id = fax.send().await.map_err(|e| e.with_idempotency_key(key))?;
        Ok(id.into())
    }

    async fn reconcile(&self, key: &str, _sent_after: Option<jiff::Timestamp>) -> Result<faxkit::Reconciliation> {
        let mut ids = Vec::new();
        for folder in [Folder::Outbox, Folder::Sent, Folder::Failed, Folder::Hold, Folder::Cancelled] {
            for id in self.get_fax_list(folder).send().await? {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        if ids.len() > MAX_RECONCILE_FAXES {
            return Ok(faxkit::Reconciliation::Unsupported(format!(
                "{} outbound faxes to read one by one (FaxCore cannot search by subject); at most \
                 {MAX_RECONCILE_FAXES} are read",
                ids.len()
            )));
        }
        let mut details = futures::stream::iter(ids)
            .map(|id| async move { self.get_fax_details(id).await.map(|d| (id, d)) })
            .buffered(DETAIL_CONCURRENCY);
        while let Some(fax) = details.next().await {
            let (id, fax) = fax?;
            if subject_has_key(&fax.subject, key) {
                return Ok(faxkit::Reconciliation::Found(fax.fax_id.unwrap_or(id).into()));
            }
        }
        Ok(faxkit::Reconciliation::NotFound)
    }

    async fn status(&self, id: &faxkit::FaxId) -> Result<FaxStatus> {
        let id = fax_id(id)?;
        Ok(self.get_fax_details(id).await?.to_fax_status(id))
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
                let mut fax = self.get_fax_details(id).await?.to_inbound_fax(id);
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

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn the_key_rides_in_the_subject() {
        assert_eq!(wire_subject(Some("Invoice"), Some("K1")).as_deref(), Some("Invoice [K1]"));
        assert_eq!(wire_subject(None, Some("K1")).as_deref(), Some("K1"));
        assert_eq!(wire_subject(Some("Invoice"), None).as_deref(), Some("Invoice"));
        assert!(subject_has_key("Invoice [K1]", "K1"));
        assert!(subject_has_key("K1", "K1"));
        assert!(!subject_has_key("Invoice [K11]", "K1"));
        assert!(!subject_has_key("Invoice K1]", "K1"));
        assert!(!subject_has_key("Invoice", "K1"));
    }
}
