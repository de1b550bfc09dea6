//! The sandbox's state: two Fax4A data centers with their reports, and Fax2WSPull topics with locks.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Value, json};

/// A fax the sandbox accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SentFax {
    /// The job id returned.
    pub job_id: String,
    /// The data center that processed it (`DC1`, `DC2`).
    pub data_center: String,
    /// The recipients' numbers as sent.
    pub recipients: Vec<String>,
    /// The documents.
    pub documents: Vec<SentDocument>,
    /// The request JSON with every `data` replaced by its length.
    pub request: Value,
}

/// A document of a [`SentFax`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentDocument {
    /// The name.
    pub name: String,
    /// The decoded content, for inline documents.
    pub data: Option<Bytes>,
    /// The URL, for referenced documents.
    pub reference: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) job_id: String,
    pub(crate) recipients: Vec<Value>,
    pub(crate) finals: Vec<&'static str>,
    pub(crate) pages: u64,
    pub(crate) reference: Value,
    pub(crate) reads: u32,
}

impl Report {
    /// The report as JSON; each call is one status read and advances a pending report one step.
    pub(crate) fn read(&mut self) -> Value {
        let pending = self.reads == 0;
        self.reads = self.reads.saturating_add(1);
        let statuses: Vec<Value> = self
            .recipients
            .iter()
            .zip(&self.finals)
            .map(|(r, fin)| {
                let number = r.get("number").cloned().unwrap_or(Value::Null);
                let digits: String = number.as_str().unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
                let mut v = json!({
                    "number": number,
                    "alternativeNumbers": r.get("alternativeNumbers").cloned().unwrap_or(Value::Null),
                    "properties": r.get("properties").cloned().unwrap_or(Value::Null),
                    "status": if pending { "PENDING" } else { *fin },
                    "reason": if pending { "" } else if *fin == "OK" { "OK" } else { "simulated" },
                    "durationInSecs": if pending { 0 } else { 42 },
                    "sentToNumber": format!("00{digits}"),
                    "remoteCsid": "",
                });
                if !pending && let Some(obj) = v.as_object_mut() {
                    obj.insert("sentTs".into(), json!(faxkit::time::format_utc(jiff::Timestamp::now())));
                }
                v
            })
            .collect();
        let mut out = json!({ "jobId": self.job_id, "recipientStatus": statuses, "pages": self.pages });
        if !self.reference.is_null()
            && let Some(obj) = out.as_object_mut()
        {
            obj.insert("reference".into(), self.reference.clone());
        }
        out
    }
}

#[derive(Debug, Default)]
pub(crate) struct DataCenterState {
    pub(crate) name: String,
    pub(crate) reports: Vec<Report>,
    pub(crate) down: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct InboundJob {
    pub(crate) id: u64,
    pub(crate) topic: String,
    pub(crate) call_id: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) received: String,
    pub(crate) document: Bytes,
    pub(crate) acked: bool,
    pub(crate) locked_until: Option<Instant>,
    pub(crate) deliveries: u32,
    pub(crate) acks: u32,
    pub(crate) downloads: u32,
}

impl InboundJob {
    pub(crate) fn file_name(&self) -> String {
        format!("{}.pdf", self.call_id)
    }

    pub(crate) fn to_json(&self, base: &str) -> Value {
        json!({
            "id": self.id.to_string(),
            "callId": self.call_id,
            "costCenter": "",
            "dateReceived": self.received,
            "totalDuration": 42,
            "senderIsdn": self.from,
            "senderFaxId": "Sandbox Sender",
            "receiverIsdn": self.to,
            "receiverFaxId": "Retarus Faxolution",
            "faxResolution": "HIGH",
            "faxBaudRate": 14400,
            "faxPageCount": 1,
            "faxClassicStatus": "OK",
            "faxNumericStatus": "2.0.0",
            "archivingStatus": "SUCCEEDED",
            "archiveExpiry": "2099.12.31",
            "documents": [{ "url": format!("{base}faxin/rest/v1/files/{}", self.file_name()) }],
        })
    }
}

/// Everything the sandbox remembers.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) data_centers: Vec<DataCenterState>,
    pub(crate) sent: Vec<SentFax>,
    pub(crate) job_seq: u64,
    pub(crate) inbound: BTreeMap<u64, InboundJob>,
    pub(crate) inbound_seq: u64,
    pub(crate) clock_offset: Duration,
    pub(crate) fail_next_send: Option<u16>,
    pub(crate) reject_duplicates: bool,
    pub(crate) sent_bodies: Vec<Vec<u8>>,
}

impl State {
    pub(crate) fn new() -> Self {
        State {
            data_centers: vec![
                DataCenterState { name: "DC1".into(), ..Default::default() },
                DataCenterState { name: "DC2".into(), ..Default::default() },
            ],
            sent: Vec::new(),
            job_seq: 0,
            inbound: BTreeMap::new(),
            inbound_seq: 0,
            clock_offset: Duration::ZERO,
            fail_next_send: None,
            reject_duplicates: false,
            sent_bodies: Vec::new(),
        }
    }

    /// Delivers an inbound fax to `topic` from `from` (`00…` form); returns the job's number.
    pub(crate) fn inject_inbound(&mut self, topic: &str, from: String, document: Bytes) -> u64 {
        self.inbound_seq += 1;
        let n = self.inbound_seq;
        let received = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(1)));
        let job = InboundJob {
            id: n,
            topic: topic.to_owned(),
            call_id: format!("SBX{n:05}@SANDBOX.faxin{n}.DC1"),
            from,
            to: super::RECEIVER.to_owned(),
            received: received.strftime("%Y-%m-%dT%H:%M:%S%z").to_string(),
            document,
            acked: false,
            locked_until: None,
            deliveries: 0,
            acks: 0,
            downloads: 0,
        };
        self.inbound.insert(n, job);
        n
    }

    /// The neutral id of inbound job `n` (`<job id>/<file name>`).
    pub(crate) fn neutral_id(&self, n: u64) -> faxkit::FaxId {
        let job = crate::model::pull::InboundJobId::from(n.to_string());
        let document = self.inbound.get(&n).map(|j| crate::model::pull::InboundDocument::for_file(&j.file_name()));
        crate::model::pull::inbound_fax_id(&job, document.as_ref())
    }

    /// Every inbound job, oldest first, for `inbound_report`.
    pub(crate) fn inbound_report(&self) -> Vec<faxkit::sandbox::SandboxInbound> {
        self.inbound
            .values()
            .map(|j| {
                let mut r = faxkit::sandbox::SandboxInbound::new(self.neutral_id(j.id), j.document.clone());
                r.acknowledged = j.acked;
                r.acks = j.acks;
                r.downloads = j.downloads;
                r
            })
            .collect()
    }

    pub(crate) fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// The data center an HA send lands on: alternating, skipping data centers that are down.
    pub(crate) fn pick_data_center(&self) -> Option<usize> {
        let n = self.data_centers.len();
        (0..n).map(|i| (usize::try_from(self.job_seq).unwrap_or(0) + i) % n).find(|&i| !self.data_centers[i].down)
    }
}
