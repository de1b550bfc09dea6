//! The inbox engine against a scripted source: what is handed over, acknowledged, retried and dead-lettered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use faxkit::{Download, FaxId, InboundFax, InboundItem, InboundSource};
use faxkit_store::{
    Claim, EngineConfig, Event, FaxKey, InboxEngine, InboxState, MemoryStore, Sink, SqlStore, Store, handler,
};
use tokio::time::Instant;

/// A vendor inbox in memory: faxes stay listed until acknowledged; failures can be scripted.
#[derive(Default)]
struct FakeInbox {
    faxes: Mutex<BTreeMap<String, (Bytes, bool)>>,
    acks: Mutex<Vec<String>>,
    failing_polls: AtomicUsize,
    polls: AtomicUsize,
    lock: Mutex<Option<Duration>>,
    failing_downloads: AtomicUsize,
    acknowledges: bool,
    /// Like FaxCore: a fax leaves the listing once downloaded, acknowledged or not.
    hide_downloaded: bool,
    downloaded: Mutex<BTreeSet<String>>,
}

impl FakeInbox {
    fn with(n: usize) -> Arc<FakeInbox> {
        let inbox = FakeInbox { acknowledges: true, ..FakeInbox::default() };
        for i in 0..n {
            inbox.faxes.lock().unwrap().insert(format!("f{i}"), (Bytes::from(format!("%PDF fax {i}")), false));
        }
        Arc::new(inbox)
    }

    fn acks(&self) -> Vec<String> {
        self.acks.lock().unwrap().clone()
    }
}

#[faxkit::async_trait]
impl InboundSource for FakeInbox {
    fn vendor(&self) -> &'static str {
        "fake"
    }

    async fn poll(&self, limit: u32) -> faxkit::Result<Vec<InboundItem>> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        if self.failing_polls.load(Ordering::SeqCst) > 0 {
            self.failing_polls.fetch_sub(1, Ordering::SeqCst);
            return Err(faxkit::Error::HttpStatus { vendor: "fake", status: 503, body: "down".into() });
        }
        let lock = *self.lock.lock().unwrap();
        Ok(self
            .faxes
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, (_, acked))| !acked)
            .filter(|(id, _)| !self.hide_downloaded || !self.downloaded.lock().unwrap().contains(*id))
            .take(limit as usize)
            .map(|(id, _)| {
                let item = InboundItem::new(InboundFax::new(FaxId::new(id.clone())));
                match lock {
                    Some(d) => item.locked_until(Instant::now() + d),
                    None => item,
                }
            })
            .collect())
    }

    async fn download(&self, item: &InboundItem) -> faxkit::Result<Download> {
        if self.failing_downloads.load(Ordering::SeqCst) > 0 {
            self.failing_downloads.fetch_sub(1, Ordering::SeqCst);
            return Err(faxkit::Error::HttpStatus { vendor: "fake", status: 503, body: "maintenance".into() });
        }
        self.downloaded.lock().unwrap().insert(item.fax.id.to_string());
        let bytes = self.faxes.lock().unwrap().get(item.fax.id.as_str()).map(|(b, _)| b.clone()).unwrap();
        Ok(Download {
            content_type: "application/pdf".into(),
            len: Some(bytes.len() as u64),
            stream: Box::pin(futures::stream::iter([Ok(bytes)])),
        })
    }

    async fn acknowledge(&self, item: &InboundItem) -> faxkit::Result<()> {
        if !item.lock_holds(Instant::now()) {
            return Err(faxkit::Error::invalid_input("fake", "lock ended"));
        }
        self.acks.lock().unwrap().push(item.fax.id.to_string());
        if let Some(f) = self.faxes.lock().unwrap().get_mut(item.fax.id.as_str()) {
            f.1 = true;
        }
        Ok(())
    }

    fn acknowledges(&self) -> bool {
        self.acknowledges
    }
}

fn fast() -> EngineConfig {
    let mut c = EngineConfig::default();
    c.lease = Duration::from_secs(30);
    c.poll_interval = Duration::from_millis(10);
    c.backoff = Duration::from_millis(1);
    c.max_backoff = Duration::from_millis(5);
    c
}

/// Every delivery: key, attempt, bytes.
type Deliveries = Arc<Mutex<Vec<(String, u32, Bytes)>>>;

/// A sink that records every delivery and fails for the ids in `poison`.
fn recording(poison: &'static [&'static str]) -> (Arc<dyn Sink>, Deliveries) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let sink = handler(move |d| {
        let log = log.clone();
        async move {
            let bytes = d.download.bytes(1 << 20).await?;
            log.lock().unwrap().push((d.key.idempotency_key(), d.attempt, bytes));
            if poison.contains(&d.key.fax_id.as_str()) {
                return Err(faxkit_store::Error::Handler("cannot parse this fax".into()));
            }
            Ok(())
        }
    });
    (Arc::new(sink), seen)
}

#[tokio::test]
async fn each_fax_is_handed_over_once_then_acknowledged_and_skipped() {
    let inbox = FakeInbox::with(10);
    let store = Arc::new(MemoryStore::new());
    let (sink, seen) = recording(&[]);
    let engine = InboxEngine::new(inbox.clone(), store.clone(), sink).config(fast());
    let round = engine.run_once().await.unwrap();
    assert_eq!((round.listed, round.handed_over, round.acknowledged), (10, 10, 10));
    let round = engine.run_once().await.unwrap();
    assert_eq!(round.listed, 0);
    let keys: BTreeSet<String> = seen.lock().unwrap().iter().map(|(k, _, _)| k.clone()).collect();
    assert_eq!(keys.len(), 10);
    assert!(keys.contains("fake:f3"));
    assert_eq!(seen.lock().unwrap().iter().find(|(k, _, _)| k == "fake:f3").unwrap().2, Bytes::from("%PDF fax 3"));
    assert_eq!(inbox.acks().len(), 10);
    let acked = store.inbox(Some(InboxState::Acknowledged)).await.unwrap();
    assert_eq!(acked.len(), 10);
}

#[tokio::test]
async fn a_fax_done_but_not_acknowledged_is_acknowledged_without_a_second_hand_over() {
    let inbox = FakeInbox::with(1);
    let store = Arc::new(MemoryStore::new());
    // A previous worker handed it over and died before the acknowledgement.
    let key = FaxKey::new("fake", "f0");
    let Claim::Claimed(lease) = store.claim(&key, "dead", Duration::from_secs(30), 5).await.unwrap() else { panic!() };
    store.complete(&lease).await.unwrap();
    let (sink, seen) = recording(&[]);
    let engine = InboxEngine::new(inbox.clone(), store.clone(), sink).config(fast());
    let round = engine.run_once().await.unwrap();
    assert_eq!((round.handed_over, round.acknowledged), (0, 1));
    assert!(seen.lock().unwrap().is_empty(), "handed over twice");
    assert_eq!(inbox.acks(), vec!["f0".to_owned()]);
}

#[tokio::test]
async fn a_poison_fax_is_dead_lettered_after_max_attempts_without_blocking_the_others() {
    let inbox = FakeInbox::with(4);
    let store = Arc::new(MemoryStore::new());
    let (sink, seen) = recording(&["f1"]);
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    let engine = InboxEngine::new(inbox.clone(), store.clone(), sink)
        .config(fast())
        .on_event(move |e| log.lock().unwrap().push(e.clone()));
    for _ in 0..20 {
        engine.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let poison: Vec<_> = seen.lock().unwrap().iter().filter(|(k, _, _)| k == "fake:f1").map(|(_, a, _)| *a).collect();
    assert_eq!(poison, vec![1, 2, 3, 4, 5], "attempts of the poison fax");
    assert_eq!(inbox.acks().len(), 3, "the others were handed over and acknowledged");
    assert!(!inbox.acks().contains(&"f1".to_owned()), "a dead letter is never acknowledged");
    let dead = store.inbox(Some(InboxState::Dead)).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].key, FaxKey::new("fake", "f1"));
    assert!(events.lock().unwrap().iter().any(|e| matches!(e, Event::DeadLettered { key, .. } if key == "fake:f1")));
    // Requeued, it is tried again (and fails again: one more attempt, counted from 1).
    assert!(store.requeue(&FaxKey::new("fake", "f1")).await.unwrap());
    engine.run_once().await.unwrap();
    let again = seen.lock().unwrap().iter().filter(|(k, _, _)| k == "fake:f1").count();
    assert_eq!(again, 6);
}

#[tokio::test]
async fn a_fax_whose_vendor_lock_ended_is_never_acknowledged_blindly() {
    let inbox = FakeInbox::with(1);
    *inbox.lock.lock().unwrap() = Some(Duration::from_millis(30));
    let store = Arc::new(MemoryStore::new());
    let slow = handler(|d| async move {
        tokio::time::sleep(Duration::from_millis(80)).await; // longer than the vendor's lock
        d.download.bytes(1 << 20).await?;
        Ok(())
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    let engine = InboxEngine::new(inbox.clone(), store.clone(), Arc::new(slow))
        .config(fast())
        .on_event(move |e| log.lock().unwrap().push(e.clone()));
    let round = engine.run_once().await.unwrap();
    assert_eq!((round.handed_over, round.acknowledged), (1, 0));
    assert!(inbox.acks().is_empty(), "acknowledged after its lock ended");
    assert!(events.lock().unwrap().iter().any(|e| matches!(e, Event::AckDeferred { .. })));
    // Handed out again with a fresh lock: acknowledged, not handed over again.
    *inbox.lock.lock().unwrap() = Some(Duration::from_secs(30));
    let round = engine.run_once().await.unwrap();
    assert_eq!((round.handed_over, round.acknowledged), (0, 1));
    assert_eq!(inbox.acks(), vec!["f0".to_owned()]);
}

#[tokio::test]
async fn a_source_without_read_state_is_remembered_by_the_store_alone() {
    let inbox = Arc::new(FakeInbox {
        acknowledges: false,
        ..Arc::try_unwrap(FakeInbox::with(3)).unwrap_or_else(|_| unreachable!())
    });
    let store = Arc::new(MemoryStore::new());
    let (sink, seen) = recording(&[]);
    let engine = InboxEngine::new(inbox.clone(), store.clone(), sink).config(fast());
    engine.run_once().await.unwrap();
    let round = engine.run_once().await.unwrap();
    assert_eq!((round.listed, round.handed_over, round.skipped), (3, 0, 3));
    assert_eq!(seen.lock().unwrap().len(), 3);
    assert!(inbox.acks().is_empty(), "acknowledge is never called on a source without read state");
    assert_eq!(store.inbox(Some(InboxState::Acknowledged)).await.unwrap().len(), 3);
}

#[tokio::test]
async fn run_until_survives_failing_polls_and_stops_on_request() {
    let inbox = FakeInbox::with(2);
    inbox.failing_polls.store(3, Ordering::SeqCst);
    let store = Arc::new(MemoryStore::new());
    let (sink, seen) = recording(&[]);
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    let engine = InboxEngine::new(inbox.clone(), store, sink)
        .config(fast())
        .on_event(move |e| log.lock().unwrap().push(e.clone()));
    let stop = {
        let seen = seen.clone();
        async move {
            while seen.lock().unwrap().len() < 2 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), engine.run_until(stop)).await.expect("run_until never ended");
    let failed_polls = events.lock().unwrap().iter().filter(|e| matches!(e, Event::PollFailed { .. })).count();
    assert_eq!(failed_polls, 3);
    assert_eq!(inbox.acks().len(), 2);
}

#[tokio::test]
async fn shutdown_releases_the_lease_of_a_fax_still_in_flight() {
    let inbox = FakeInbox::with(1);
    let store = Arc::new(MemoryStore::new());
    let stuck = handler(|_d| async move {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok(())
    });
    let mut config = fast();
    config.lease = Duration::from_millis(60);
    config.shutdown_grace = Duration::from_millis(50);
    let engine = Arc::new(InboxEngine::new(inbox.clone(), store.clone(), Arc::new(stuck)).config(config));
    let runner = engine.clone();
    let task = tokio::spawn(async move { runner.run_until(std::future::pending()).await });
    // Wait until the fax is claimed, then ask for shutdown.
    let key = FaxKey::new("fake", "f0");
    loop {
        if store.inbox(Some(InboxState::Claimed)).await.unwrap().iter().any(|r| r.key == key) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    engine.shutdown();
    tokio::time::timeout(Duration::from_secs(10), task).await.expect("did not stop").unwrap();
    let rec = store.inbox(None).await.unwrap().into_iter().find(|r| r.key == key).unwrap();
    assert_eq!((rec.state, rec.attempts), (InboxState::Retry, 0), "released without counting an attempt");
    assert!(inbox.acks().is_empty());
    // Another worker picks it up at once.
    assert!(matches!(store.claim(&key, "next", Duration::from_secs(5), 5).await.unwrap(), Claim::Claimed(_)));
}

#[tokio::test]
async fn dir_sink_writes_one_durable_file_per_fax_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = FakeInbox::with(3);
    let store = Arc::new(SqlStore::sqlite(dir.path().join("s.db")).await.unwrap());
    let sink = Arc::new(faxkit_store::DirSink::new(dir.path().join("out")).await.unwrap());
    let engine = InboxEngine::new(inbox.clone(), store, sink.clone()).config(fast());
    engine.run_once().await.unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(sink.dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, vec!["fake_f0.pdf", "fake_f1.pdf", "fake_f2.pdf"]);
    assert_eq!(std::fs::read(sink.dir().join("fake_f2.pdf")).unwrap(), b"%PDF fax 2");
}

#[tokio::test]
async fn a_fax_the_vendor_stops_listing_after_its_download_is_still_retried_by_id() {
    let inbox = Arc::new(FakeInbox {
        hide_downloaded: true,
        ..Arc::try_unwrap(FakeInbox::with(2)).unwrap_or_else(|_| unreachable!())
    });
    let store = Arc::new(MemoryStore::new());
    let failures = Arc::new(AtomicUsize::new(1));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (log, left) = (seen.clone(), failures.clone());
    let flaky = handler(move |d| {
        let (log, left) = (log.clone(), left.clone());
        async move {
            let bytes = d.download.bytes(1 << 20).await?;
            if d.key.fax_id == "f0" && left.fetch_sub(1, Ordering::SeqCst) > 0 {
                return Err(faxkit_store::Error::Handler("disk full".into()));
            }
            log.lock().unwrap().push((d.key.fax_id.clone(), bytes));
            Ok(())
        }
    });
    let engine = InboxEngine::new(inbox.clone(), store.clone(), Arc::new(flaky)).config(fast());
    let first = engine.run_once().await.unwrap();
    assert_eq!((first.listed, first.handed_over, first.failed), (2, 1, 1));
    tokio::time::sleep(Duration::from_millis(20)).await; // the back-off
    let second = engine.run_once().await.unwrap();
    assert_eq!((second.listed, second.resumed, second.handed_over), (0, 1, 1), "f0 was not driven by id");
    let got: BTreeMap<String, Bytes> = seen.lock().unwrap().iter().cloned().collect();
    assert_eq!(got.get("f0"), Some(&Bytes::from("%PDF fax 0")));
    assert_eq!(store.inbox(Some(InboxState::Acknowledged)).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_vendor_outage_never_turns_a_fax_into_a_dead_letter() {
    let inbox = FakeInbox::with(1);
    inbox.failing_downloads.store(12, Ordering::SeqCst); // far more than max_attempts (5)
    let store = Arc::new(MemoryStore::new());
    let (sink, seen) = recording(&[]);
    let engine = InboxEngine::new(inbox.clone(), store.clone(), sink).config(fast());
    for _ in 0..40 {
        engine.run_once().await.unwrap();
        if !seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(store.inbox(Some(InboxState::Dead)).await.unwrap().is_empty(), "dead-lettered by a vendor outage");
    assert_eq!(seen.lock().unwrap().len(), 1, "handed over once the vendor came back");
    let rec = store.inbox(None).await.unwrap().pop().unwrap();
    assert_eq!((rec.state, rec.attempts), (InboxState::Acknowledged, 1), "only the successful claim counted");
}

#[tokio::test]
async fn dead_letters_at_the_front_of_a_listing_do_not_starve_the_faxes_behind_them() {
    // 40 poison faxes sort before 5 good ones; the engine takes a few slots' worth per poll.
    let inbox = FakeInbox::with(0);
    for i in 0..40 {
        inbox.faxes.lock().unwrap().insert(format!("a{i:02}"), (Bytes::from("%PDF poison"), false));
    }
    for i in 0..5 {
        inbox.faxes.lock().unwrap().insert(format!("z{i}"), (Bytes::from(format!("%PDF good {i}")), false));
    }
    let store = Arc::new(MemoryStore::new());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let sink = handler(move |d| {
        let log = log.clone();
        async move {
            d.download.bytes(1 << 20).await?;
            if d.key.fax_id.starts_with('a') {
                return Err(faxkit_store::Error::Handler("poison".into()));
            }
            log.lock().unwrap().push(d.key.fax_id.clone());
            Ok(())
        }
    });
    let mut config = fast();
    config.max_attempts = 1;
    config.concurrency = 2;
    let engine = InboxEngine::new(inbox.clone(), store.clone(), Arc::new(sink)).config(config).owner("w");
    let stop = {
        let seen = seen.clone();
        async move {
            while seen.lock().unwrap().len() < 5 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), engine.run_until(stop)).await.expect("the good faxes starved");
    let acked = store.inbox(Some(InboxState::Acknowledged)).await.unwrap();
    assert!(acked.iter().filter(|r| r.key.fax_id.starts_with('z')).count() == 5, "{acked:?}");
    assert!(store.inbox(Some(InboxState::Dead)).await.unwrap().iter().all(|r| r.key.fax_id.starts_with('a')));
}
