//! The sandbox's state: accounts, tokens, services, uploads, sent and received faxes.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

use bytes::Bytes;
use jiff::Timestamp;

use crate::model::{FailureReason, ReceivedFax, ReceivedFaxId, SentFaxStatus, ServiceId};

/// A document accepted by `upload_document`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxUpload {
    /// The `document_id` handed out.
    pub document_id: String,
    /// The MIME type it was uploaded with.
    pub content_type: String,
    /// `multipart` or `raw`.
    pub mode: &'static str,
    /// The document bytes.
    pub bytes: Bytes,
    /// The page count the sandbox computed.
    pub pages: u32,
}

/// A fax accepted by `send_fax`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxSentFax {
    /// The id the sandbox handed out in the `send_fax` answer (a string, as on the wire).
    pub id: String,
    /// `dest_number` exactly as sent.
    pub dest_number: String,
    /// The `documents[]` ids, in order.
    pub documents: Vec<String>,
    /// Total pages of the uploaded documents, as `GET /sent_faxes/{id}` reports them in `pages`.
    pub pages: u32,
    /// The status `GET /sent_faxes/{id}` answers now (`sending`, then `sent`; or `sending`, `waiting`, `failed`).
    pub status: SentFaxStatus,
    /// Failure reason, once failed.
    pub reason: Option<FailureReason>,
    /// `send_attempts` as reported: finished attempts, not counting one in progress.
    pub send_attempts: u32,
    /// When it completed.
    pub sent_at: Option<Timestamp>,
    /// Whether it is meant to fail (with this reason).
    pub(crate) fail_with: Option<FailureReason>,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredReceived {
    pub(crate) fax: ReceivedFax,
    pub(crate) pdf: Bytes,
    /// `content.pdf` downloads served.
    pub(crate) downloads: u32,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) token_lifetime: Duration,
    pub(crate) tokens: HashMap<String, Instant>,
    pub(crate) token_requests: usize,
    pub(crate) counter: u64,
    pub(crate) services: Vec<(ServiceId, String)>,
    pub(crate) received: Vec<StoredReceived>,
    pub(crate) uploads: BTreeMap<String, SandboxUpload>,
    pub(crate) sent: BTreeMap<String, SandboxSentFax>,
    pub(crate) insufficient_credit: bool,
    pub(crate) failing_numbers: HashMap<String, FailureReason>,
    pub(crate) list_requests: u64,
    pub(crate) requests: Vec<String>,
    /// The server's own origin, `http://127.0.0.1:PORT`, for `next_page_url`.
    pub(crate) origin: String,
}

impl State {
    pub(crate) fn new(username: &str, password: &str, origin: &str) -> Self {
        State {
            username: username.to_owned(),
            password: password.to_owned(),
            token_lifetime: Duration::from_secs(3600),
            tokens: HashMap::new(),
            token_requests: 0,
            counter: 0,
            services: vec![(ServiceId::new("svc-1001"), "61290000000".to_owned())],
            received: Vec::new(),
            uploads: BTreeMap::new(),
            sent: BTreeMap::new(),
            insufficient_credit: false,
            failing_numbers: HashMap::new(),
            list_requests: 0,
            requests: Vec::new(),
            origin: origin.to_owned(),
        }
    }

    /// A fresh id that does not grow with time (Fax2 ids are unordered).
    pub(crate) fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{:012x}", scramble(0x5eed, &self.counter) & 0xffff_ffff_ffff)
    }

    pub(crate) fn issue_token(&mut self) -> String {
        self.token_requests += 1;
        let token = format!("{:016x}{:016x}", scramble(1, &self.counter), scramble(2, &self.token_requests));
        self.counter += 1;
        let now = Instant::now();
        let expiry = now.checked_add(self.token_lifetime).unwrap_or(now + Duration::from_secs(10 * 365 * 86400));
        self.tokens.insert(token.clone(), expiry);
        token
    }

    pub(crate) fn token_valid(&mut self, token: &str) -> bool {
        let now = Instant::now();
        self.tokens.retain(|_, expiry| *expiry > now);
        self.tokens.contains_key(token)
    }

    pub(crate) fn inject(&mut self, service: Option<ServiceId>, received_at: Timestamp, pdf: Bytes) -> ReceivedFaxId {
        let (service_id, to) = match service.and_then(|s| self.services.iter().find(|(id, _)| *id == s).cloned()) {
            Some(found) => found,
            None => {
                self.services.first().cloned().unwrap_or_else(|| (ServiceId::new("svc-1001"), "61290000000".into()))
            }
        };
        let id = ReceivedFaxId::new(self.next_id("rx"));
        let pages = pdf_pages(&pdf);
        // Fax2 times have no fractional seconds.
        let received_at = Timestamp::from_second(received_at.as_second()).unwrap_or(received_at);
        let fax = ReceivedFax { id: id.clone(), to, received_at, service_id, pages };
        self.received.push(StoredReceived { fax, pdf, downloads: 0 });
        id
    }

    /// Every received fax in injection order: never acknowledged (Fax2 keeps no read state), downloads counted.
    pub(crate) fn inbound_report(&self) -> Vec<faxkit::sandbox::SandboxInbound> {
        self.received
            .iter()
            .map(|r| {
                let mut out = faxkit::sandbox::SandboxInbound::new(r.fax.id.clone().into(), r.pdf.clone());
                out.downloads = r.downloads;
                out
            })
            .collect()
    }

    /// Reads a sent fax's status, then advances it one step (sending → sent, or sending → waiting → failed).
    pub(crate) fn read_sent(&mut self, id: &str) -> Option<SandboxSentFax> {
        let fax = self.sent.get_mut(id)?;
        let current = fax.clone();
        match (&fax.status, fax.fail_with.clone()) {
            (SentFaxStatus::Sending, None) => {
                fax.status = SentFaxStatus::Sent;
                fax.send_attempts += 1;
                fax.sent_at = Some(Timestamp::now());
            }
            (SentFaxStatus::Sending, Some(_)) => {
                fax.status = SentFaxStatus::Waiting;
                fax.send_attempts += 1;
            }
            (SentFaxStatus::Waiting, reason) => {
                fax.status = SentFaxStatus::Failed;
                fax.send_attempts = 3;
                fax.reason = Some(reason.unwrap_or(FailureReason::Busy));
                fax.sent_at = Some(Timestamp::now());
            }
            _ => {}
        }
        Some(current)
    }
}

/// A stable pseudo-random key (SipHash with fixed keys).
pub(crate) fn scramble<T: Hash>(seed: u64, value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    seed.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// Pages of a PDF: its `/Type /Page` objects (at least 1).
pub(crate) fn pdf_pages(bytes: &[u8]) -> u32 {
    let count = count_pages(bytes, b"/Type /Page") + count_pages(bytes, b"/Type/Page");
    u32::try_from(count).unwrap_or(u32::MAX).max(1)
}

fn count_pages(bytes: &[u8], pattern: &[u8]) -> usize {
    bytes
        .windows(pattern.len())
        .enumerate()
        .filter(|(i, w)| *w == pattern && bytes.get(i + pattern.len()) != Some(&b's'))
        .count()
}
