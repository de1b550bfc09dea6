//! The send ledger: one send per key, unclear outcomes reconciled before anything is sent again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use faxkit::{
    Direction, Document, Download, FaxId, FaxNumber, FaxService, FaxStatus, InboundFax, InboundQuery, Reconciliation,
    SendRequest,
};
use faxkit_store::{Error, MemoryStore, SendLedger, SendState, SqlStore, Store};

/// What the scripted vendor does with the next send and the next reconciliation.
#[derive(Default)]
struct Script {
    sends: AtomicUsize,
    reconciles: AtomicUsize,
    next_send: Mutex<Vec<faxkit::Result<FaxId>>>,
    next_reconcile: Mutex<Vec<faxkit::Result<Reconciliation>>>,
}

#[faxkit::async_trait]
impl FaxService for Script {
    fn vendor(&self) -> &'static str {
        "script"
    }
    async fn send(&self, _request: &SendRequest) -> faxkit::Result<FaxId> {
        let n = self.sends.fetch_add(1, Ordering::SeqCst);
        self.next_send.lock().unwrap().pop().unwrap_or_else(|| Ok(FaxId::new(format!("fax-{n}"))))
    }
    async fn reconcile(&self, _key: &str, _after: Option<jiff::Timestamp>) -> faxkit::Result<Reconciliation> {
        self.reconciles.fetch_add(1, Ordering::SeqCst);
        self.next_reconcile.lock().unwrap().pop().unwrap_or(Ok(Reconciliation::NotFound))
    }
    async fn status(&self, _id: &FaxId) -> faxkit::Result<FaxStatus> {
        Err(faxkit::Error::unsupported("script", "status"))
    }
    async fn cancel(&self, _id: &FaxId) -> faxkit::Result<()> {
        Err(faxkit::Error::unsupported("script", "cancel"))
    }
    async fn list_inbound(&self, _q: &InboundQuery) -> faxkit::Result<Vec<InboundFax>> {
        Ok(Vec::new())
    }
    async fn download(&self, _id: &FaxId, _d: Direction) -> faxkit::Result<Download> {
        Err(faxkit::Error::unsupported("script", "download"))
    }
    async fn acknowledge(&self, _id: &FaxId) -> faxkit::Result<()> {
        Ok(())
    }
}

fn request(key: &str) -> SendRequest {
    SendRequest::new(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes("%PDF-1.4", "referral.pdf"))
        .idempotency_key(key)
}

fn reset() -> faxkit::Error {
    faxkit::Error::ambiguous("script", Some("k".into()), "connection reset after the body was written")
}

#[tokio::test]
async fn a_key_already_sent_returns_its_id_without_a_request() {
    let vendor = Script::default();
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    let first = ledger.send(&vendor, &request("k1")).await.unwrap();
    let second = ledger.send(&vendor, &request("k1")).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 1);
    let rec = ledger.store().send_record("k1").await.unwrap().unwrap();
    assert_eq!((rec.state, rec.fax_id.as_deref(), rec.vendor.as_str()), (SendState::Sent, Some("fax-0"), "script"));
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let vendor = Script::default();
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    ledger.send(&vendor, &request("k")).await.unwrap();
    let other = SendRequest::new(FaxNumber::parse("+12125550199").unwrap(), Document::from_bytes("x", "other.pdf"))
        .idempotency_key("k");
    assert!(matches!(ledger.send(&vendor, &other).await, Err(Error::Send { .. })));
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_send_without_a_key_is_refused_before_any_request() {
    let vendor = Script::default();
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    let mut req = request("k");
    req.idempotency_key = None;
    assert!(matches!(ledger.send(&vendor, &req).await, Err(Error::Send { .. })));
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_ambiguous_send_is_reconciled_and_found_instead_of_sent_again() {
    let vendor = Script::default();
    vendor.next_send.lock().unwrap().push(Err(reset()));
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    let err = ledger.send(&vendor, &request("k")).await.unwrap_err();
    assert!(matches!(&err, Error::Fax(e) if e.is_ambiguous()), "{err}");
    assert_eq!(ledger.store().send_record("k").await.unwrap().unwrap().state, SendState::Ambiguous);
    vendor.next_reconcile.lock().unwrap().push(Ok(Reconciliation::Found(FaxId::new("at-vendor-7"))));
    let id = ledger.send(&vendor, &request("k")).await.unwrap();
    assert_eq!(id.as_str(), "at-vendor-7");
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 1, "sent again although the vendor had it");
    assert_eq!(ledger.store().send_record("k").await.unwrap().unwrap().state, SendState::Sent);
}

#[tokio::test]
async fn an_ambiguous_send_the_vendor_does_not_hold_is_sent_again() {
    let vendor = Script::default();
    vendor.next_send.lock().unwrap().push(Err(reset()));
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    assert!(ledger.send(&vendor, &request("k")).await.is_err());
    vendor.next_reconcile.lock().unwrap().push(Ok(Reconciliation::NotFound));
    let id = ledger.send(&vendor, &request("k")).await.unwrap();
    assert_eq!(id.as_str(), "fax-1");
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_unsearchable_vendor_leaves_the_send_ambiguous_and_never_guesses() {
    let vendor = Script::default();
    vendor
        .next_send
        .lock()
        .unwrap()
        .push(Err(faxkit::Error::Timeout { vendor: "script", elapsed: std::time::Duration::from_secs(30) }));
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    let err = ledger.send(&vendor, &request("k")).await.unwrap_err();
    assert!(matches!(&err, Error::Fax(e) if e.is_ambiguous()), "a timeout on a send is ambiguous: {err}");
    for _ in 0..2 {
        vendor.next_reconcile.lock().unwrap().push(Ok(Reconciliation::Unsupported("no search".into())));
        let err = ledger.send(&vendor, &request("k")).await.unwrap_err();
        assert!(matches!(&err, Error::Fax(e) if e.is_ambiguous()), "{err}");
    }
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 1);
    assert_eq!(vendor.reconciles.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_certain_refusal_is_recorded_as_failed_and_may_be_sent_again() {
    let vendor = Script::default();
    vendor.next_send.lock().unwrap().push(Err(faxkit::Error::from_vendor("script", 400, "-111", "bad number", None)));
    let ledger = SendLedger::new(Arc::new(MemoryStore::new()));
    let err = ledger.send(&vendor, &request("k")).await.unwrap_err();
    assert!(matches!(&err, Error::Fax(e) if !e.is_ambiguous()), "{err}");
    assert_eq!(ledger.store().send_record("k").await.unwrap().unwrap().state, SendState::Failed);
    ledger.send(&vendor, &request("k")).await.unwrap();
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 2);
    assert_eq!(vendor.reconciles.load(Ordering::SeqCst), 0, "a certain failure needs no reconciliation");
}

#[tokio::test]
async fn recover_settles_intents_whose_worker_died() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    // A worker committed intents and died before any outcome.
    for key in ["found", "missing", "unknown"] {
        store
            .begin_send(key, "script", &faxkit_store::fingerprint(&request(key)), "dead", std::time::Duration::ZERO)
            .await
            .unwrap();
    }
    let vendor = Script::default();
    {
        let mut answers = vendor.next_reconcile.lock().unwrap();
        // Popped in reverse: `found`, `missing`, `unknown` are reconciled in key order of creation.
        answers.push(Ok(Reconciliation::Unsupported("no search".into())));
        answers.push(Ok(Reconciliation::NotFound));
        answers.push(Ok(Reconciliation::Found(FaxId::new("v-1"))));
    }
    let ledger = SendLedger::new(store.clone());
    let settled = ledger.recover(&vendor).await.unwrap();
    assert_eq!(settled.len(), 3);
    let state = |k: &str| settled.iter().find(|r| r.key == k).map(|r| (r.state, r.fax_id.clone())).unwrap();
    assert_eq!(state("found"), (SendState::Sent, Some("v-1".into())));
    assert_eq!(state("missing"), (SendState::Failed, None));
    assert_eq!(state("unknown"), (SendState::Ambiguous, None));
    assert_eq!(vendor.sends.load(Ordering::SeqCst), 0, "recovery never sends");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_sqlite_file_send_a_key_once() {
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    let path = tempfile::tempdir().unwrap().keep().join("ledger.db");
    let mut tasks = Vec::new();
    for w in 0..4 {
        let client = sandbox.client();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let ledger = SendLedger::new(Arc::new(SqlStore::sqlite(&path).await.unwrap())).owner(format!("w{w}"));
            ledger.send(&client, &request("referral-1042")).await
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(id) => ids.push(id),
            Err(Error::Send { message, .. }) => assert!(message.contains("another worker"), "{message}"),
            Err(other) => panic!("{other}"),
        }
    }
    assert!(!ids.is_empty());
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "different ids for one key: {ids:?}");
    assert_eq!(sandbox.sent_faxes().len(), 1, "the sandbox counts one send");
}
