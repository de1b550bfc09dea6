//! The sandbox's state: every fax, its folder and whether it was downloaded.

use std::collections::BTreeMap;

use bytes::Bytes;
use faxkit::VendorTime;

use crate::model::time::{FAXCORE_TIME_ZONE, parse_pst};
use crate::model::{FaxCoreStatus, FaxDetails, FaxId, FaxType, Folder};

/// The first id the sandbox hands out (the reference's `SendFax` sample).
const FIRST_ID: u64 = 209_608_080_375;

/// A fax as the sandbox's `SendFax` received it, for inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentFax {
    /// The id the sandbox returned.
    pub id: FaxId,
    /// `recpfax`, as sent.
    pub recpfax: String,
    /// `recpname`, as sent.
    pub recpname: String,
    /// `sendername`, as sent.
    pub sendername: String,
    /// `sendercompany`, as sent.
    pub sendercompany: String,
    /// `subject`, as sent.
    pub subject: String,
    /// `notes`, as sent.
    pub notes: String,
    /// `filename`, as sent.
    pub filename: String,
    /// The request's `Content-Type` header.
    pub content_type: String,
    /// The POST body: the document.
    pub document: Bytes,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredFax {
    pub(crate) details: FaxDetails,
    pub(crate) folder: Folder,
    pub(crate) downloaded: bool,
    /// `DownloadFax` calls answered for it.
    pub(crate) downloads: u32,
    pub(crate) document: Bytes,
    /// Where an outbound fax ends: `Completed`, or `Failed` after [`super::Sandbox::fail_next_send`].
    pub(crate) outcome: FaxCoreStatus,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) username: String,
    pub(crate) password: String,
    next_id: u64,
    pub(crate) faxes: BTreeMap<FaxId, StoredFax>,
    pub(crate) sent: Vec<SentFax>,
    pub(crate) fail_next_send: bool,
    pub(crate) hold_queue: bool,
}

impl State {
    pub(crate) fn new(username: &str, password: &str) -> Self {
        State {
            username: username.to_owned(),
            password: password.to_owned(),
            next_id: FIRST_ID,
            faxes: BTreeMap::new(),
            sent: Vec::new(),
            fail_next_send: false,
            hold_queue: false,
        }
    }

    fn next_id(&mut self) -> FaxId {
        let id = FaxId::new(self.next_id);
        self.next_id += 1;
        id
    }

    /// Queues an outbound fax in the Outbox, `In Queue`.
    pub(crate) fn queue_outbound(&mut self, mut sent: SentFax) -> FaxId {
        let id = self.next_id();
        sent.id = id;
        let mut details = FaxDetails::new(id, FaxType::Outbound, FaxCoreStatus::InQueue);
        details.fax_number = sent.recpfax.clone();
        details.subject = sent.subject.clone();
        details.created_date = now_pst();
        details.page_count = Some(count_pages(&sent.document));
        details.page_delivered = Some(0);
        let outcome =
            if std::mem::take(&mut self.fail_next_send) { FaxCoreStatus::Failed } else { FaxCoreStatus::Completed };
        let stored = StoredFax {
            details,
            folder: Folder::Outbox,
            downloaded: false,
            downloads: 0,
            document: sent.document.clone(),
            outcome,
        };
        self.faxes.insert(id, stored);
        self.sent.push(sent);
        id
    }

    /// Puts a received fax in the Inbox, `Completed`.
    pub(crate) fn receive(&mut self, from: &str, document: Bytes) -> FaxId {
        let id = self.next_id();
        let mut details = FaxDetails::new(id, FaxType::Inbound, FaxCoreStatus::Completed);
        details.fax_number = from.to_owned();
        details.created_date = now_pst();
        details.complete_date = details.created_date.clone();
        let pages = count_pages(&document);
        details.page_count = Some(pages);
        details.page_delivered = Some(pages);
        let outcome = FaxCoreStatus::Completed;
        self.faxes.insert(
            id,
            StoredFax { details, folder: Folder::Inbox, downloaded: false, downloads: 0, document, outcome },
        );
        id
    }

    /// A status read: returns the details as they are, then moves a queued outbound fax one step on
    /// (`In Queue` → `Completed`, or `Failed`), unless the queue is held.
    pub(crate) fn read_status(&mut self, id: FaxId) -> Option<FaxDetails> {
        let hold = self.hold_queue;
        let fax = self.faxes.get_mut(&id)?;
        let snapshot = fax.details.clone();
        if !hold
            && fax.details.fax_type == Some(FaxType::Outbound)
            && fax.details.status == Some(FaxCoreStatus::InQueue)
        {
            set_status(fax, fax.outcome.clone());
        }
        Some(snapshot)
    }

    /// Sets a fax's status and moves it to the matching folder.
    pub(crate) fn set_status(&mut self, id: FaxId, status: FaxCoreStatus) -> bool {
        match self.faxes.get_mut(&id) {
            Some(fax) => {
                set_status(fax, status);
                true
            }
            None => false,
        }
    }

    /// Ids in a folder, newest first, leaving out downloaded faxes when asked.
    pub(crate) fn list(&self, folder: &Folder, hide_downloaded: bool) -> Vec<FaxId> {
        self.faxes
            .iter()
            .rev()
            .filter(|(_, f)| &f.folder == folder && !(hide_downloaded && f.downloaded))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The received faxes, oldest first: acknowledged = downloaded (FaxCore's only read state), acks = downloads.
    pub(crate) fn inbound_report(&self) -> Vec<faxkit::sandbox::SandboxInbound> {
        self.faxes
            .iter()
            .filter(|(_, f)| f.details.fax_type == Some(FaxType::Inbound))
            .map(|(id, f)| {
                let mut r = faxkit::sandbox::SandboxInbound::new((*id).into(), f.document.clone());
                r.acknowledged = f.downloaded;
                r.acks = f.downloads;
                r.downloads = f.downloads;
                r
            })
            .collect()
    }

    /// Deletes a fax: into the Trash, or gone when it already was there.
    pub(crate) fn delete(&mut self, id: FaxId) -> bool {
        match self.faxes.get_mut(&id) {
            Some(fax) if fax.folder == Folder::Trash => {
                self.faxes.remove(&id);
                true
            }
            Some(fax) => {
                fax.folder = Folder::Trash;
                true
            }
            None => false,
        }
    }
}

fn set_status(fax: &mut StoredFax, status: FaxCoreStatus) {
    let outbound = fax.details.fax_type == Some(FaxType::Outbound);
    let folder = match &status {
        FaxCoreStatus::Completed if outbound => Some(Folder::Sent),
        FaxCoreStatus::Failed | FaxCoreStatus::Disapproved => Some(Folder::Failed),
        FaxCoreStatus::Cancelled => Some(Folder::Cancelled),
        FaxCoreStatus::Pause | FaxCoreStatus::AwaitingApproval => Some(Folder::Hold),
        FaxCoreStatus::InQueue | FaxCoreStatus::Processing | FaxCoreStatus::InSchedule if outbound => {
            Some(Folder::Outbox)
        }
        _ => None,
    };
    if let Some(folder) = folder
        && fax.folder != Folder::Trash
    {
        fax.folder = folder;
    }
    if status.delivery_status().is_final() && fax.details.complete_date.is_none() {
        fax.details.complete_date = now_pst();
    }
    if status == FaxCoreStatus::Completed {
        fax.details.page_delivered = fax.details.page_count;
    }
    fax.details.status = Some(status);
}

/// The current time as FaxCore writes it: Pacific wall-clock time.
pub(crate) fn now_pst() -> Option<VendorTime> {
    let tz = jiff::tz::TimeZone::get(FAXCORE_TIME_ZONE).ok()?;
    let raw = jiff::Timestamp::now().to_zoned_datetime(tz).strftime("%m/%d/%Y %I:%M:%S %p").to_string();
    parse_pst(&raw).ok()
}

/// Pages of a PDF (its `/Type /Page` objects), at least 1.
pub(crate) fn count_pages(document: &[u8]) -> u32 {
    let mut pages = 0u32;
    for marker in [&b"/Type /Page"[..], b"/Type/Page"] {
        let mut at = 0;
        while let Some(pos) = document.get(at..).and_then(|d| d.windows(marker.len()).position(|w| w == marker)) {
            let end = at + pos + marker.len();
            if document.get(end) != Some(&b's') {
                pages += 1;
            }
            at = end;
        }
    }
    pages.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_flow() {
        assert_eq!(count_pages(b"%PDF /Type /Pages /Type /Page x /Type/Page"), 2);
        assert_eq!(count_pages(b"hello"), 1);
        let mut s = State::new("u", "p");
        let sent = SentFax {
            id: FaxId::new(0),
            recpfax: "12125550100".into(),
            recpname: String::new(),
            sendername: String::new(),
            sendercompany: String::new(),
            subject: "s".into(),
            notes: String::new(),
            filename: "a.pdf".into(),
            content_type: String::new(),
            document: Bytes::from_static(b"%PDF-1.4"),
        };
        let id = s.queue_outbound(sent);
        assert_eq!(s.list(&Folder::Outbox, false), vec![id]);
        assert_eq!(s.read_status(id).unwrap().status, Some(FaxCoreStatus::InQueue));
        assert_eq!(s.read_status(id).unwrap().status, Some(FaxCoreStatus::Completed));
        assert_eq!(s.list(&Folder::Sent, false), vec![id]);
        assert!(s.delete(id));
        assert_eq!(s.list(&Folder::Trash, false), vec![id]);
        assert!(s.delete(id));
        assert!(s.read_status(id).is_none());
    }
}
