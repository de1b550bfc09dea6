//! The sandbox's memory: faxes, batches, documents, inbound faxes, balance, fault switches.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

use crate::model::common::{BatchId, DocumentId, FaxStatusCode, InboundFaxId, OutboundFaxId};

/// One document of a fax the sandbox received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentDocument {
    /// The part's (or raw body's) `Content-Type`.
    pub content_type: Option<String>,
    /// The file name of a multipart part.
    pub file_name: Option<String>,
    /// The `Content-Location` of a by-reference document.
    pub content_location: Option<String>,
    /// The bytes: sent inline, or resolved from an uploaded sandbox document; empty for foreign URLs.
    pub bytes: Bytes,
}

/// A fax the sandbox accepted, for inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentFax {
    /// The id the sandbox gave the fax (sequential, PCI-sized), as its `Location` header returned it.
    pub id: OutboundFaxId,
    /// The `faxNumber` as received (`+…`).
    pub fax_number: String,
    /// Every query parameter of the send except `faxNumber` (`pageSize`, `postponeTime` …).
    pub options: BTreeMap<String, String>,
    /// The documents, in order.
    pub documents: Vec<SentDocument>,
    /// Its current status.
    pub status: FaxStatusCode,
    /// The batch it belongs to.
    pub batch: Option<BatchId>,
    /// Whether it was hidden.
    pub hidden: bool,
}

/// An upload session in the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxDocument {
    /// The session id the sandbox gave (32 hex digits), the last segment of the `Location` it returned.
    pub id: DocumentId,
    /// The `name` query parameter of the create call: the file name, whose extension names the type.
    pub name: String,
    /// The `size` query parameter of the create call: the document's total length in bytes.
    pub size: u64,
    /// Bytes received.
    pub data: Bytes,
    /// `disposition` as sent (`singleUse` when absent).
    pub disposition: String,
    /// `sharing` as sent (`private` when absent).
    pub sharing: String,
    /// How many faxes used it.
    pub uses: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct OutFax {
    pub(crate) fax: SentFax,
    pub(crate) final_status: i32,
    pub(crate) submit_time: String,
    pub(crate) completion_time: Option<String>,
    pub(crate) user: String,
    pub(crate) uri: String,
}

#[derive(Debug, Clone)]
pub(crate) struct BatchRec {
    pub(crate) id: i64,
    pub(crate) options: BTreeMap<String, String>,
    pub(crate) children: Vec<i64>,
    pub(crate) submit_time: String,
    pub(crate) pages: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct InFax {
    pub(crate) id: i64,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) bytes: Bytes,
    pub(crate) content_type: String,
    pub(crate) read: bool,
    /// `mark?unread=false` calls received.
    pub(crate) acks: u32,
    /// `image` downloads served.
    pub(crate) downloads: u32,
    pub(crate) receive_time: String,
    pub(crate) emails: Vec<String>,
}

/// A programmed failure for the next matching request.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) status: u16,
    pub(crate) code: i64,
    pub(crate) message: String,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) next_id: i64,
    pub(crate) outbound: BTreeMap<i64, OutFax>,
    pub(crate) batches: BTreeMap<i64, BatchRec>,
    pub(crate) inbound: BTreeMap<i64, InFax>,
    pub(crate) documents: BTreeMap<String, SandboxDocument>,
    pub(crate) lists: HashMap<String, Vec<String>>,
    pub(crate) balance: String,
    pub(crate) designated_number: Option<String>,
    pub(crate) next_outcome: i32,
    pub(crate) fault: Option<Fault>,
    pub(crate) poll_limit: bool,
    pub(crate) polls: HashMap<i64, Vec<std::time::Instant>>,
    pub(crate) log: Vec<String>,
}

impl State {
    pub(crate) fn new(username: &str, password: &str) -> Self {
        State {
            username: username.to_owned(),
            password: password.to_owned(),
            // Above 2^32, like PCI ids, so 32-bit mistakes show.
            next_id: 131_201_409_296_898,
            outbound: BTreeMap::new(),
            batches: BTreeMap::new(),
            inbound: BTreeMap::new(),
            documents: BTreeMap::new(),
            lists: HashMap::new(),
            balance: "10.0000".to_owned(),
            designated_number: None,
            next_outcome: 0,
            fault: None,
            poll_limit: false,
            polls: HashMap::new(),
            log: Vec::new(),
        }
    }

    pub(crate) fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// One status read: -2 → -3 → the final status.
    pub(crate) fn advance(&mut self, id: i64) {
        let now = now_text();
        if let Some(f) = self.outbound.get_mut(&id) {
            let next = match f.fax.status.0 {
                -2 | -1 | -11 => -3,
                n if n < 0 => f.final_status,
                n => n,
            };
            if next != f.fax.status.0 && next >= 0 {
                f.completion_time = Some(now);
            }
            f.fax.status = FaxStatusCode(next);
        }
    }

    /// Counts a status poll; `false` when the fax was polled more than 6 times in the last minute.
    pub(crate) fn poll_allowed(&mut self, id: i64) -> bool {
        if !self.poll_limit {
            return true;
        }
        let now = std::time::Instant::now();
        let window = self.polls.entry(id).or_default();
        window.retain(|t| now.duration_since(*t) < std::time::Duration::from_secs(60));
        window.push(now);
        window.len() <= 6
    }

    pub(crate) fn inject(&mut self, from: &str, to: &str, bytes: Bytes) -> InboundFaxId {
        let id = self.next_id();
        let content_type =
            if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") { "image/tiff" } else { "application/pdf" };
        self.inbound.insert(
            id,
            InFax {
                id,
                from: from.to_owned(),
                to: to.to_owned(),
                bytes,
                content_type: content_type.to_owned(),
                read: false,
                acks: 0,
                downloads: 0,
                receive_time: now_text(),
                emails: vec![format!("{}@example.com", self.username)],
            },
        );
        InboundFaxId(id)
    }
}

impl State {
    /// Every received fax, oldest first: acknowledged = marked read.
    pub(crate) fn inbound_report(&self) -> Vec<faxkit::sandbox::SandboxInbound> {
        self.inbound
            .values()
            .map(|f| {
                let mut r = faxkit::sandbox::SandboxInbound::new(faxkit::FaxId::from(f.id), f.bytes.clone());
                r.acknowledged = f.read;
                r.acks = f.acks;
                r.downloads = f.downloads;
                r
            })
            .collect()
    }
}

/// Now, as InterFAX writes times: ISO 8601 without offset, UTC.
pub(crate) fn now_text() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S").to_string()
}
