//! `InboxPoller` against the sandbox: out-of-order ids, late faxes inside the 5-minute window, paging, handler
//! failures and crashes between handling and checkpointing. No fax missed, none delivered twice.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(deprecated)] // the deprecated type's own module

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fax2::sandbox::Sandbox;
use fax2::{Checkpoint, CheckpointStore, FileCheckpointStore, InboxPoller, PollError, ReceivedFax, ReceivedFaxId};
use jiff::{SignedDuration, Timestamp};

const PDF: &[u8] = b"%PDF-1.4 fax";

/// Records every delivery; a fax id delivered twice fails the test.
#[derive(Clone, Default)]
struct Inbox(Arc<Mutex<BTreeMap<ReceivedFaxId, usize>>>);

impl Inbox {
    fn handler(&self) -> impl FnMut(ReceivedFax) -> futures::future::Ready<Result<(), faxkit::BoxError>> + use<> {
        let seen = self.0.clone();
        move |fax| {
            *seen.lock().unwrap().entry(fax.id).or_default() += 1;
            futures::future::ready(Ok(()))
        }
    }

    fn ids(&self) -> BTreeSet<ReceivedFaxId> {
        let map = self.0.lock().unwrap();
        assert!(map.values().all(|n| *n == 1), "a fax was delivered twice: {map:?}");
        map.keys().cloned().collect()
    }
}

fn all_ids(sandbox: &Sandbox) -> BTreeSet<ReceivedFaxId> {
    sandbox.received_faxes().into_iter().map(|f| f.id).collect()
}

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

#[tokio::test]
async fn late_and_reordered_faxes_are_delivered_once() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoint.json");
    let inbox = Inbox::default();
    let t0: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
    let mut poller = InboxPoller::new(sandbox.client(), FileCheckpointStore::new(&path)).limit(2);

    for i in 0..3 {
        sandbox.inject_received_at(t0 + secs(60 * i), Bytes::from_static(PDF)).await;
    }
    let report = poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!((report.listed, report.delivered, report.skipped), (3, 3, 0));
    assert_eq!(report.last_received_at, Some(t0 + secs(120)));

    // A fax that shows up late, received 4 minutes before the latest one already listed, and a new one.
    sandbox.inject_received_at(t0 + secs(120 - 240), Bytes::from_static(PDF)).await;
    sandbox.inject_received_at(t0 + secs(400), Bytes::from_static(PDF)).await;
    let report = poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!(report.delivered, 2);
    assert_eq!(report.skipped, 3);
    assert_eq!(inbox.ids(), all_ids(&sandbox));

    // Nothing new: nothing delivered; seen_ids pruned to the window around the latest fax.
    let report = poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!(report.delivered, 0);
    let stored = poller.store().load().await.unwrap().unwrap();
    assert_eq!(stored.last_received_at, Some(t0 + secs(400)));
    // Only the faxes at or after latest - 5 min (t0+120 and t0+400) stay; the older three were pruned.
    assert_eq!(stored.seen_ids.len(), 2, "{stored:?}");
    assert_eq!(inbox.ids(), all_ids(&sandbox));
}

#[tokio::test]
async fn randomized_arrivals_over_many_polls() {
    let sandbox = Sandbox::start().await.unwrap();
    let inbox = Inbox::default();
    let dir = tempfile::tempdir().unwrap();
    let store = FileCheckpointStore::new(dir.path().join("cp.json"));
    let mut poller = InboxPoller::new(sandbox.client(), store.clone()).limit(3);
    let mut latest: Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    for round in 0..25 {
        for _ in 0..next(5) {
            // Either a fresh fax, or a late one within the guarantee (< 5 minutes before the latest).
            let at = if next(3) == 0 { latest - secs(next(290) as i64) } else { latest + secs(next(200) as i64) };
            latest = latest.max(at);
            sandbox.inject_received_at(at, Bytes::from_static(PDF)).await;
        }
        if round % 7 == 3 {
            // Restart: a new poller reading the same checkpoint file.
            poller = InboxPoller::new(sandbox.client(), store.clone()).limit(3);
        }
        poller.poll_once(inbox.handler()).await.unwrap();
    }
    poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!(inbox.ids(), all_ids(&sandbox));
    assert!(all_ids(&sandbox).len() > 20);
}

#[tokio::test]
async fn a_fax_arriving_during_a_poll_is_caught_by_the_next_one() {
    let sandbox = Arc::new(Sandbox::start().await.unwrap());
    let inbox = Inbox::default();
    let t0: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
    for i in 0..4 {
        sandbox.inject_received_at(t0 + secs(30 * i), Bytes::from_static(PDF)).await;
    }
    let mut poller = InboxPoller::new(sandbox.client(), fax2::MemoryCheckpointStore::new()).limit(1);
    let injected = Arc::new(AtomicUsize::new(0));
    let (sb, inj, mut record) = (sandbox.clone(), injected.clone(), inbox.handler());
    poller
        .poll_once(move |fax| {
            let (sb, inj) = (sb.clone(), inj.clone());
            let done = record(fax);
            async move {
                if inj.fetch_add(1, Ordering::SeqCst) == 0 {
                    // Received before the latest fax, visible only now.
                    sb.inject_received_at(t0 - secs(200), Bytes::from_static(PDF)).await;
                }
                done.await
            }
        })
        .await
        .unwrap();
    poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!(inbox.ids(), all_ids(&sandbox));
    assert_eq!(inbox.ids().len(), 5);
}

#[tokio::test]
async fn a_handler_failure_stops_the_poll_and_loses_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let inbox = Inbox::default();
    let t0: Timestamp = "2026-11-23T09:00:00Z".parse().unwrap();
    for i in 0..5 {
        sandbox.inject_received_at(t0 + secs(10 * i), Bytes::from_static(PDF)).await;
    }
    let mut poller = InboxPoller::new(sandbox.client(), FileCheckpointStore::new(&path));
    let calls = Arc::new(AtomicUsize::new(0));
    let (c, mut record) = (calls.clone(), inbox.handler());
    let err = poller
        .poll_once(move |fax| {
            let n = c.fetch_add(1, Ordering::SeqCst);
            let result: Result<(), faxkit::BoxError> = if n == 2 { Err("disk full".into()) } else { Ok(()) };
            if result.is_ok() {
                drop(record(fax));
            }
            futures::future::ready(result)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, PollError::Handler { .. }), "{err}");
    assert_eq!(inbox.ids().len(), 2);
    let stored = FileCheckpointStore::new(&path).load().await.unwrap().unwrap();
    assert_eq!(stored.last_received_at, None, "the window does not advance past an unhandled fax");
    assert_eq!(stored.seen_ids.len(), 2);

    // After a restart, the remaining three (including the one that failed) arrive, and only they.
    let mut restarted = InboxPoller::new(sandbox.client(), FileCheckpointStore::new(&path));
    let report = restarted.poll_once(inbox.handler()).await.unwrap();
    assert_eq!((report.delivered, report.skipped), (3, 2));
    assert_eq!(inbox.ids(), all_ids(&sandbox));
}

/// A file store that "crashes" (fails, as a killed process would never write) on one chosen save.
struct CrashingStore {
    inner: FileCheckpointStore,
    saves: AtomicUsize,
    crash_on: usize,
}

#[faxkit::async_trait]
impl CheckpointStore for CrashingStore {
    async fn load(&self) -> faxkit::Result<Option<Checkpoint>> {
        self.inner.load().await
    }

    async fn save(&self, checkpoint: &Checkpoint) -> faxkit::Result<()> {
        if self.saves.fetch_add(1, Ordering::SeqCst) + 1 >= self.crash_on {
            return Err(faxkit::Error::io("test", "simulated crash", std::io::Error::other("killed")));
        }
        self.inner.save(checkpoint).await
    }
}

#[tokio::test]
async fn a_crash_between_handling_and_the_window_checkpoint_delivers_nothing_twice() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let inbox = Inbox::default();
    let t0: Timestamp = "2026-11-23T07:00:00Z".parse().unwrap();
    for i in 0..3 {
        sandbox.inject_received_at(t0 + secs(i), Bytes::from_static(PDF)).await;
    }
    // Saves 1-3 record each handled fax; save 4 would advance last_received_at: the process dies there.
    let crashing = CrashingStore { inner: FileCheckpointStore::new(&path), saves: AtomicUsize::new(0), crash_on: 4 };
    let mut poller = InboxPoller::new(sandbox.client(), crashing);
    let err = poller.poll_once(inbox.handler()).await.unwrap_err();
    assert!(matches!(err, PollError::Fax2(_)));
    assert_eq!(inbox.ids().len(), 3);
    drop(poller);

    // Meanwhile a late fax arrives.
    sandbox.inject_received_at(t0 - secs(60), Bytes::from_static(PDF)).await;
    let mut restarted = InboxPoller::new(sandbox.client(), FileCheckpointStore::new(&path));
    let report = restarted.poll_once(inbox.handler()).await.unwrap();
    assert_eq!((report.delivered, report.skipped), (1, 3));
    assert_eq!(inbox.ids(), all_ids(&sandbox));
}

#[tokio::test]
async fn start_at_skips_older_history() {
    let sandbox = Sandbox::start().await.unwrap();
    let t0: Timestamp = "2026-11-23T07:00:00Z".parse().unwrap();
    sandbox.inject_received_at(t0 - secs(3600), Bytes::from_static(PDF)).await;
    let recent = sandbox.inject_received_at(t0, Bytes::from_static(PDF)).await;
    let inbox = Inbox::default();
    let mut poller = InboxPoller::new(sandbox.client(), fax2::MemoryCheckpointStore::new()).start_at(t0);
    poller.poll_once(inbox.handler()).await.unwrap();
    assert_eq!(inbox.ids(), BTreeSet::from([recent]));
}

#[tokio::test]
async fn file_store_round_trips_and_replaces_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let store = FileCheckpointStore::new(&path);
    assert_eq!(store.load().await.unwrap(), None);
    let mut cp = Checkpoint::new(Some("2026-11-23T07:00:00Z".parse().unwrap()));
    cp.seen_ids.insert(ReceivedFaxId::new("b"));
    cp.seen_ids.insert(ReceivedFaxId::new("a"));
    store.save(&cp).await.unwrap();
    store.save(&cp).await.unwrap();
    assert_eq!(store.load().await.unwrap(), Some(cp));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"last_received_at\": \"2026-11-23T07:00:00Z\""), "{text}");
    let mut names: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["cp.json", "cp.json.lock"], "no temporary file left behind");
}

fn ids(names: &[&str]) -> std::collections::BTreeSet<ReceivedFaxId> {
    names.iter().map(|n| ReceivedFaxId::new(*n)).collect()
}

#[tokio::test]
async fn a_corrupt_file_is_backed_up_reported_once_and_treated_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let store = FileCheckpointStore::new(&path);
    std::fs::write(&path, "{ torn").unwrap();
    assert_eq!(store.load().await.unwrap(), None, "treated as empty, not an error on every poll");
    assert!(!path.exists());
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("cp.json.corrupt-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), "{ torn", "the backup keeps the corrupt bytes");
    // Once: the next load finds no file and makes no second backup.
    assert_eq!(store.load().await.unwrap(), None);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A save over a corrupt file backs it up too, and writes a good one.
    std::fs::write(&path, "[1,2]").unwrap();
    store.save(&Checkpoint::new(None)).await.unwrap();
    assert_eq!(store.load().await.unwrap(), Some(Checkpoint::new(None)));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4, "file, lock and two backups");
}

#[tokio::test]
async fn two_writers_on_one_file_keep_each_others_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let (a, b) = (FileCheckpointStore::new(&path), FileCheckpointStore::new(&path));
    let early: Timestamp = "2026-11-23T07:00:00Z".parse().unwrap();
    let late: Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
    let mut mine = Checkpoint::new(Some(late));
    mine.seen_ids = ids(&["a1", "a2"]);
    a.save(&mine).await.unwrap();
    // B never loaded A's checkpoint: a plain overwrite would lose a1, a2 and A's later time.
    let mut theirs = Checkpoint::new(Some(early));
    theirs.seen_ids = ids(&["b1"]);
    b.save(&theirs).await.unwrap();
    let merged = a.load().await.unwrap().unwrap();
    assert_eq!((merged.last_received_at, merged.seen_ids.clone()), (Some(late), ids(&["a1", "a2", "b1"])));
    // A prunes a1 (it left the window): gone, while B's b1 stays.
    let mut pruned = merged;
    pruned.seen_ids = ids(&["a2", "b1"]);
    a.save(&pruned).await.unwrap();
    theirs.seen_ids = ids(&["b1", "b2"]);
    b.save(&theirs).await.unwrap();
    assert_eq!(a.load().await.unwrap().unwrap().seen_ids, ids(&["a2", "b1", "b2"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_lose_no_id_and_leave_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp.json");
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let store = FileCheckpointStore::new(&path);
        tasks.push(tokio::spawn(async move {
            let mut cp = Checkpoint::new(None);
            for n in 0..10 {
                cp.seen_ids.insert(ReceivedFaxId::new(format!("w{writer}-{n}")));
                store.save(&cp).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let stored = FileCheckpointStore::new(&path).load().await.unwrap().unwrap();
    assert_eq!(stored.seen_ids.len(), 80, "every writer's every id survived");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "only the file and its lock");
}

#[tokio::test]
async fn run_polls_until_the_handler_fails() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.inject_received(Bytes::from_static(PDF)).await;
    let mut poller = InboxPoller::new(sandbox.client(), fax2::MemoryCheckpointStore::new());
    let result = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        poller.run(std::time::Duration::from_millis(10), |_fax| async { Err::<(), faxkit::BoxError>("stop".into()) }),
    )
    .await
    .expect("run returns on a handler error");
    assert!(matches!(result, Err(PollError::Handler { .. })));
}
