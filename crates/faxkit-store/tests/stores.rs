//! One conformance suite, run against every store: memory, SQLite, Postgres.
//!
//! Postgres runs against `FAXKIT_TEST_POSTGRES_URL` (started by `cargo xtask test`); without it the Postgres
//! tests fail when `FAXKIT_REQUIRE_POSTGRES=1` (CI) and say they were skipped otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use faxkit_store::{
    BeginSend, Claim, Error, Failed, FaxKey, InboxState, MemoryStore, SendOutcome, SendState, SqlStore, Store,
};

const LONG: Duration = Duration::from_secs(60);

/// Each test gets its own namespace of keys, so tests can share one Postgres database.
fn ns(test: &str) -> String {
    format!("{test}-{}-{}", std::process::id(), jiff::Timestamp::now().as_nanosecond())
}

async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

async fn claims_are_exclusive_and_done_is_final(store: Arc<dyn Store>) {
    let key = FaxKey::new(ns("excl"), "1");
    let Claim::Claimed(lease) = store.claim(&key, "a", LONG, 5).await.unwrap() else { panic!("not claimed") };
    assert_eq!((lease.token, lease.attempt), (1, 1));
    assert_eq!(store.claim(&key, "b", LONG, 5).await.unwrap(), Claim::Busy);
    assert!(store.renew(&lease, LONG).await.unwrap());
    store.complete(&lease).await.unwrap();
    assert_eq!(store.claim(&key, "b", LONG, 5).await.unwrap(), Claim::Done { acknowledged: false });
    store.acknowledged(&key).await.unwrap();
    assert_eq!(store.claim(&key, "b", LONG, 5).await.unwrap(), Claim::Done { acknowledged: true });
    assert!(matches!(store.complete(&lease).await, Err(Error::Fenced { .. })));
    let all = store.inbox(None).await.unwrap();
    let rec = all.iter().find(|r| r.key == key).unwrap();
    assert_eq!((rec.state, rec.attempts), (InboxState::Acknowledged, 1));
}

async fn expired_leases_are_taken_over_and_fence_the_old_holder(store: Arc<dyn Store>) {
    let key = FaxKey::new(ns("fence"), "7");
    let Claim::Claimed(old) = store.claim(&key, "frozen", Duration::from_millis(40), 5).await.unwrap() else {
        panic!()
    };
    sleep_ms(120).await;
    let Claim::Claimed(new) = store.claim(&key, "fresh", LONG, 5).await.unwrap() else { panic!("not taken over") };
    assert!(new.token > old.token);
    assert_eq!(new.attempt, 2);
    assert!(!store.renew(&old, LONG).await.unwrap());
    assert!(matches!(store.complete(&old).await, Err(Error::Fenced { .. })));
    assert!(matches!(store.fail(&old, "late", 5, LONG).await, Err(Error::Fenced { .. })));
    store.complete(&new).await.unwrap();
    let rec = store.inbox(Some(InboxState::Done)).await.unwrap().into_iter().find(|r| r.key == key).unwrap();
    assert_eq!(rec.owner.as_deref(), Some("fresh"));
}

async fn failures_back_off_then_dead_letter_and_requeue(store: Arc<dyn Store>) {
    let key = FaxKey::new(ns("poison"), "9");
    let Claim::Claimed(l1) = store.claim(&key, "a", LONG, 2).await.unwrap() else { panic!() };
    assert_eq!(store.fail(&l1, "boom 1", 2, Duration::from_millis(60)).await.unwrap(), Failed::RetryIn(60));
    assert_eq!(store.claim(&key, "a", LONG, 2).await.unwrap(), Claim::Busy, "inside the back-off");
    sleep_ms(120).await;
    let Claim::Claimed(l2) = store.claim(&key, "a", LONG, 2).await.unwrap() else { panic!() };
    assert_eq!(l2.attempt, 2);
    assert_eq!(store.fail(&l2, "boom 2", 2, Duration::ZERO).await.unwrap(), Failed::DeadLettered);
    assert_eq!(store.claim(&key, "a", LONG, 2).await.unwrap(), Claim::Dead);
    let dead = store.inbox(Some(InboxState::Dead)).await.unwrap();
    let rec = dead.iter().find(|r| r.key == key).unwrap();
    assert_eq!(rec.last_error.as_deref(), Some("boom 2"));
    assert!(store.requeue(&key).await.unwrap());
    assert!(!store.requeue(&key).await.unwrap(), "no longer dead");
    let Claim::Claimed(l3) = store.claim(&key, "a", LONG, 2).await.unwrap() else { panic!("requeued not claimable") };
    assert_eq!(l3.attempt, 1);
}

async fn crashed_claims_count_as_attempts(store: Arc<dyn Store>) {
    let key = FaxKey::new(ns("crashy"), "3");
    for attempt in 1..=2 {
        let Claim::Claimed(l) = store.claim(&key, "w", Duration::from_millis(20), 2).await.unwrap() else { panic!() };
        assert_eq!(l.attempt, attempt);
        sleep_ms(60).await; // the worker "dies": its lease ends
    }
    assert_eq!(store.claim(&key, "w", LONG, 2).await.unwrap(), Claim::Dead);
}

async fn due_lists_what_to_drive_by_id(store: Arc<dyn Store>) {
    let source = ns("due");
    let key = |i: u32| FaxKey::new(&source, i.to_string());
    let claim = |i: u32, lease: Duration| {
        let store = store.clone();
        let k = key(i);
        async move {
            let Claim::Claimed(l) = store.claim(&k, "w", lease, 5).await.unwrap() else { panic!() };
            l
        }
    };
    let live = claim(1, LONG).await; // claimed, lease running: not due
    let _expired = claim(2, Duration::from_millis(20)).await; // claimed, lease ends: due
    let done = claim(3, LONG).await;
    store.complete(&done).await.unwrap(); // done, not acknowledged: due
    let acked = claim(4, LONG).await;
    store.complete(&acked).await.unwrap();
    store.acknowledged(&key(4)).await.unwrap(); // finished: not due
    let failed = claim(5, LONG).await;
    store.fail(&failed, "x", 5, Duration::ZERO).await.unwrap(); // retry now: due
    let waiting = claim(6, LONG).await;
    store.fail(&waiting, "x", 5, LONG).await.unwrap(); // retry later: not due
    store.claim(&FaxKey::new(ns("other"), "2"), "w", Duration::ZERO, 5).await.unwrap(); // another source
    sleep_ms(60).await;
    let mut due: Vec<String> = store.due(&source, 100).await.unwrap().into_iter().map(|k| k.fax_id).collect();
    due.sort();
    assert_eq!(due, vec!["2", "3", "5"]);
    assert_eq!(store.due(&source, 1).await.unwrap().len(), 1, "limit");
    drop(live);
}

async fn release_frees_without_counting(store: Arc<dyn Store>) {
    let key = FaxKey::new(ns("release"), "4");
    let Claim::Claimed(l) = store.claim(&key, "a", LONG, 5).await.unwrap() else { panic!() };
    store.postpone(&l, "vendor down", Duration::from_millis(30)).await.unwrap();
    assert!(matches!(store.postpone(&l, "again", LONG).await, Err(Error::Fenced { .. })));
    assert_eq!(store.claim(&key, "a", LONG, 5).await.unwrap(), Claim::Busy, "postponed");
    sleep_ms(80).await;
    let Claim::Claimed(l) = store.claim(&key, "a", LONG, 5).await.unwrap() else { panic!("not free") };
    assert_eq!(l.attempt, 1, "a postponement is not an attempt");
    store.release(&l).await.unwrap();
    let Claim::Claimed(l2) = store.claim(&key, "b", LONG, 5).await.unwrap() else { panic!("not free") };
    assert_eq!(l2.attempt, 1);
    assert!(l2.token > l.token);
}

async fn racing_workers_claim_each_fax_once(make: impl Fn() -> futures::future::BoxFuture<'static, Arc<dyn Store>>) {
    let source = ns("race");
    let mut tasks = Vec::new();
    for w in 0..6 {
        let store = make().await;
        let source = source.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for i in 0..60 {
                let key = FaxKey::new(&source, i.to_string());
                if let Claim::Claimed(l) = store.claim(&key, &format!("w{w}"), LONG, 5).await.unwrap() {
                    store.complete(&l).await.unwrap();
                    mine.push(i);
                }
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    for t in tasks {
        for i in t.await.unwrap() {
            assert!(seen.insert(i), "fax {i} claimed twice");
        }
    }
    assert_eq!(seen.len(), 60);
}

async fn ledger_states(store: Arc<dyn Store>) {
    let key = ns("send");
    assert_eq!(store.begin_send(&key, "interfax", "fp", "a", LONG).await.unwrap(), BeginSend::Fresh(1));
    assert!(matches!(store.begin_send(&key, "interfax", "fp", "b", LONG).await.unwrap(), BeginSend::InProgress(_)));
    assert!(matches!(store.begin_send(&key, "interfax", "other", "b", LONG).await.unwrap(), BeginSend::Mismatch(_)));
    store.finish_send(&key, 1, &SendOutcome::Sent("42".into())).await.unwrap();
    match store.begin_send(&key, "interfax", "fp", "b", LONG).await.unwrap() {
        BeginSend::Sent(r) => assert_eq!((r.state, r.fax_id.as_deref()), (SendState::Sent, Some("42"))),
        other => panic!("{other:?}"),
    }

    let key = ns("send-crash");
    assert_eq!(
        store.begin_send(&key, "interfax", "fp", "dead", Duration::from_millis(30)).await.unwrap(),
        BeginSend::Fresh(1)
    );
    sleep_ms(90).await;
    let BeginSend::Reconcile(token, earlier) = store.begin_send(&key, "interfax", "fp", "b", LONG).await.unwrap()
    else {
        panic!("expired intent not handed over for reconciliation")
    };
    assert_eq!((token, earlier.state), (2, SendState::Intent));
    assert!(matches!(store.finish_send(&key, 1, &SendOutcome::Sent("x".into())).await, Err(Error::Fenced { .. })));
    store.finish_send(&key, token, &SendOutcome::Failed("refused".into())).await.unwrap();
    assert_eq!(store.begin_send(&key, "interfax", "fp", "c", LONG).await.unwrap(), BeginSend::Retry(3));
    store.finish_send(&key, 3, &SendOutcome::Ambiguous("reset".into())).await.unwrap();
    assert!(matches!(store.begin_send(&key, "interfax", "fp", "c", LONG).await.unwrap(), BeginSend::Reconcile(4, _)));
    let rec = store.send_record(&key).await.unwrap().unwrap();
    assert_eq!((rec.state, rec.token), (SendState::Intent, 4));
    assert!(store.sends().await.unwrap().iter().any(|r| r.key == key));
}

macro_rules! suite {
    ($module:ident, $make:expr) => {
        mod $module {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn claims_are_exclusive_and_done_is_final() {
                let Some(store) = $make().await else { return };
                super::claims_are_exclusive_and_done_is_final(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn expired_leases_are_taken_over_and_fence_the_old_holder() {
                let Some(store) = $make().await else { return };
                super::expired_leases_are_taken_over_and_fence_the_old_holder(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn failures_back_off_then_dead_letter_and_requeue() {
                let Some(store) = $make().await else { return };
                super::failures_back_off_then_dead_letter_and_requeue(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn crashed_claims_count_as_attempts() {
                let Some(store) = $make().await else { return };
                super::crashed_claims_count_as_attempts(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn due_lists_what_to_drive_by_id() {
                let Some(store) = $make().await else { return };
                super::due_lists_what_to_drive_by_id(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn release_frees_without_counting() {
                let Some(store) = $make().await else { return };
                super::release_frees_without_counting(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn ledger_states() {
                let Some(store) = $make().await else { return };
                super::ledger_states(store).await;
            }
        }
    };
}

async fn memory() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

async fn sqlite() -> Option<Arc<dyn Store>> {
    let dir = tempfile::tempdir().unwrap().keep();
    Some(Arc::new(SqlStore::sqlite(dir.join("state.db")).await.unwrap()))
}

/// The Postgres under test, or `None` (printed) when there is none and none is required.
pub async fn postgres() -> Option<Arc<dyn Store>> {
    match std::env::var("FAXKIT_TEST_POSTGRES_URL") {
        #[cfg(feature = "postgres")]
        Ok(url) if !url.is_empty() => Some(Arc::new(SqlStore::postgres(&url).await.unwrap())),
        _ => {
            assert!(
                std::env::var("FAXKIT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "FAXKIT_REQUIRE_POSTGRES=1 but FAXKIT_TEST_POSTGRES_URL is not set: start one with `cargo xtask postgres start`"
            );
            eprintln!("SKIPPED: no FAXKIT_TEST_POSTGRES_URL (cargo xtask test starts a Postgres)");
            None
        }
    }
}

async fn file() -> Option<Arc<dyn Store>> {
    let dir = tempfile::tempdir().unwrap().keep();
    Some(Arc::new(faxkit_store::FileStore::open(dir.join("state.json")).await.unwrap()))
}

suite!(on_memory, memory);
suite!(on_file, file);
suite!(on_sqlite, sqlite);
suite!(on_postgres, postgres);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_racing_processes_claim_each_fax_once() {
    // Six pools on one file stand in for six processes: each has its own connections and locks.
    let path = tempfile::tempdir().unwrap().keep().join("race.db");
    racing_workers_claim_each_fax_once(move || {
        let path = path.clone();
        Box::pin(async move { Arc::new(SqlStore::sqlite(&path).await.unwrap()) as Arc<dyn Store> })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_store_racing_processes_claim_each_fax_once() {
    let path = tempfile::tempdir().unwrap().keep().join("race.json");
    racing_workers_claim_each_fax_once(move || {
        let path = path.clone();
        Box::pin(async move { Arc::new(faxkit_store::FileStore::open(&path).await.unwrap()) as Arc<dyn Store> })
    })
    .await;
}

#[tokio::test]
async fn a_damaged_state_file_is_kept_aside_and_the_store_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, b"{ not json").unwrap();
    let store = faxkit_store::FileStore::open(&path).await.unwrap();
    let key = FaxKey::new("x", "1");
    assert!(matches!(store.claim(&key, "a", LONG, 5).await.unwrap(), Claim::Claimed(_)));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file was not kept aside");
    // Later operations read the new file, and a newer format is refused.
    assert_eq!(store.claim(&key, "b", LONG, 5).await.unwrap(), Claim::Busy);
    std::fs::write(&path, br#"{"version": 9, "inbox": [], "sends": {}}"#).unwrap();
    assert!(matches!(faxkit_store::FileStore::open(&path).await, Err(Error::SchemaTooNew { found: 9, .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_racing_workers_claim_each_fax_once() {
    if postgres().await.is_none() {
        return;
    }
    racing_workers_claim_each_fax_once(|| Box::pin(async { postgres().await.unwrap() })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_processes_opening_one_new_sqlite_file_at_once_all_succeed() {
    for round in 0..5 {
        let path = tempfile::tempdir().unwrap().keep().join(format!("open-{round}.db"));
        let opens: Vec<_> = (0..8)
            .map(|_| {
                let path = path.clone();
                tokio::spawn(async move { SqlStore::sqlite(&path).await.map(|_| ()) })
            })
            .collect();
        for open in opens {
            open.await.unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
    }
}

#[tokio::test]
async fn sqlite_schema_is_versioned_and_newer_schemas_are_refused() {
    let path = tempfile::tempdir().unwrap().keep().join("schema.db");
    let store = SqlStore::sqlite(&path).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), faxkit_store::SCHEMA_VERSION);
    drop(store);
    let again = SqlStore::sqlite(&path).await.unwrap(); // migrations are not applied twice
    assert_eq!(again.schema_version().await.unwrap(), faxkit_store::SCHEMA_VERSION);
    sqlx::query("INSERT INTO faxkit_schema (version) VALUES (99)").execute(again.pool()).await.unwrap();
    drop(again);
    match SqlStore::sqlite(&path).await {
        Err(Error::SchemaTooNew { found: 99, supported }) => assert_eq!(supported, faxkit_store::SCHEMA_VERSION),
        other => panic!("{other:?}"),
    }
}
