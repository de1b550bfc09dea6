//! Crash tests of the inbox engine through the real `fax inbox watch` binary: worker processes are killed
//! with SIGKILL at random moments and frozen with SIGSTOP, and the test counts what was lost and what was
//! handed over twice.
//!
//! The sink is a shell command: it logs each handler call (`key attempt run`), then copies the fax into
//! `sink/<key>.pdf` (copy to a temporary name, rename), so the sink holds one effect per key however often the
//! handler runs, and the log shows every run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;

mod common;
use common::Rng;

const HANDLER: &str = r#"echo "$FAX_KEY $FAX_ATTEMPT $RUN" >> "$CALLS"
if [ -n "$SLOW_FILE" ]; then touch "$SLOW_FILE"; sleep "$SLOW_SECS"; fi
cp "$FAX_FILE" "$SINK/.$FAX_KEY.$$.tmp" && mv "$SINK/.$FAX_KEY.$$.tmp" "$SINK/$FAX_KEY.pdf""#;

fn pdf(i: usize) -> Bytes {
    Bytes::from(format!("%PDF-1.4\n% faxkit crash test fax {i}\n1 0 obj <<>> endobj\n%%EOF\n"))
}

struct Setup {
    dir: PathBuf,
    store: String,
    provider: &'static str,
    sandbox: Box<dyn VendorSandbox>,
    faxes: BTreeMap<String, Bytes>,
}

impl Setup {
    async fn new(n: usize, store: Option<String>) -> Setup {
        Setup::on(Box::new(interfax::sandbox::Sandbox::start().await.unwrap()), "interfax", n, store).await
    }

    async fn on(sandbox: Box<dyn VendorSandbox>, provider: &'static str, n: usize, store: Option<String>) -> Setup {
        let dir = tempfile::tempdir().unwrap().keep();
        std::fs::create_dir_all(dir.join("sink")).unwrap();
        let from = faxkit::FaxNumber::parse("+12125550100").unwrap();
        let mut faxes = BTreeMap::new();
        for i in 0..n {
            let id = sandbox.inject_inbound(&from, pdf(i)).await;
            faxes.insert(format!("{}:{id}", sandbox.vendor()), pdf(i));
        }
        let store = store.unwrap_or_else(|| format!("sqlite:{}", dir.join("state.db").display()));
        Setup { dir, store, provider, sandbox, faxes }
    }

    /// A `fax inbox watch` worker; `run` names it in the call log.
    fn worker(&self, run: &str, extra: &[&str], slow: Option<(&Path, f64)>) -> Child {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fax"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("CALLS", self.dir.join("calls.log"))
            .env("SINK", self.dir.join("sink"))
            .env("RUN", run)
            .args(["--provider", self.provider, "--json", "inbox", "watch", "--store", &self.store, "--exec", HANDLER])
            .args(["--lease", "1", "--poll-interval", "0.2", "--backoff", "0.2"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some((file, secs)) = slow {
            cmd.env("SLOW_FILE", file).env("SLOW_SECS", secs.to_string());
        }
        for (k, v) in self.sandbox.env() {
            cmd.env(k, v);
        }
        cmd.spawn().unwrap()
    }

    /// Handler calls per key, as (attempt, run) in call order.
    fn calls(&self) -> BTreeMap<String, Vec<(u32, String)>> {
        let text = std::fs::read_to_string(self.dir.join("calls.log")).unwrap_or_default();
        let mut out: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
        for line in text.lines() {
            let mut parts = line.split(' ');
            let (Some(key), Some(attempt), Some(run)) = (parts.next(), parts.next(), parts.next()) else {
                panic!("torn call log line {line:?}")
            };
            out.entry(key.to_owned()).or_default().push((attempt.parse().unwrap(), run.to_owned()));
        }
        out
    }

    /// Every fax in the sink exactly once, byte-identical; nothing else there.
    fn assert_sink_exact(&self) {
        let mut found = HashSet::new();
        for entry in std::fs::read_dir(self.dir.join("sink")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue; // an orphaned handler's temporary copy (its worker was killed mid-copy)
            }
            let key = name.strip_suffix(".pdf").unwrap_or_else(|| panic!("unexpected file {name}"));
            let expected = self.faxes.get(key).unwrap_or_else(|| panic!("sink holds an unknown fax {name}"));
            let got = std::fs::read(self.dir.join("sink").join(&name)).unwrap();
            assert_eq!(&got[..], &expected[..], "{name} differs from the fax the vendor holds");
            found.insert(key.to_owned());
        }
        let missing: Vec<_> = self.faxes.keys().filter(|k| !found.contains(*k)).collect();
        assert!(missing.is_empty(), "lost faxes: {missing:?}");
    }

    /// Nothing unread left at the vendor: every fax was acknowledged, by the sandbox's own record and by the
    /// vendor's unread listing.
    async fn assert_all_acknowledged(&self) {
        let report = self.sandbox.inbound_report();
        let unacked: Vec<_> = report.iter().filter(|r| !r.acknowledged).map(|r| r.id.to_string()).collect();
        assert!(unacked.is_empty(), "never acknowledged at the sandbox: {unacked:?}");
        assert_eq!(report.len(), self.faxes.len());
        let source = self.sandbox.service().inbound_source();
        let unread = source.poll(100).await.unwrap();
        assert!(unread.is_empty(), "{} faxes never acknowledged at the vendor, e.g. {:?}", unread.len(), unread[0]);
    }
}

fn wait_exit(child: &mut Child, within: Duration) -> String {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > within {
            let _ = child.kill();
            panic!("worker did not stop within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        use std::io::Read;
        let _ = stdout.read_to_string(&mut out);
    }
    out
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
    assert!(status.success(), "kill {sig} failed");
}

/// Asserts the duplicates in the call log are explained by kills: a key handled more than once was handled
/// in runs that were killed (or frozen) before the last, never twice by one run and never by a run that ended
/// cleanly, and there are no more such keys than kills × concurrency.
fn assert_duplicates_explained(calls: &BTreeMap<String, Vec<(u32, String)>>, killed: &HashSet<String>, bound: usize) {
    let mut repeated = 0;
    for (key, list) in calls {
        let runs: Vec<&String> = list.iter().map(|(_, r)| r).collect();
        let distinct: HashSet<&String> = runs.iter().copied().collect();
        assert_eq!(distinct.len(), runs.len(), "{key} handled twice by one run: {list:?}");
        if list.len() > 1 {
            repeated += 1;
            for (_, run) in &list[..list.len() - 1] {
                assert!(killed.contains(run), "{key} handed over again although run {run} was not killed: {list:?}");
            }
        }
    }
    eprintln!("{repeated} faxes handed over a second time after a kill (bound {bound})");
    assert!(repeated <= bound, "{repeated} repeated hand-overs, more than kills × concurrency = {bound}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_worker_killed_at_random_loses_nothing_and_repeats_only_interrupted_faxes() {
    kill_and_restart(Setup::new(300, None).await, 12).await;
}

/// FaxCore hides a fax from its listing once it was downloaded: a worker killed after the download leaves a
/// fax only the store remembers, and the engine must drive it by id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_faxcore_worker_killed_after_downloads_loses_nothing() {
    let sandbox = Box::new(faxcore::sandbox::Sandbox::start().await.unwrap());
    kill_and_restart(Setup::on(sandbox, "faxcore", 120, None).await, 10).await;
}

async fn kill_and_restart(setup: Setup, kills: usize) {
    const KILLS_MIN: usize = 10;
    let faxes = setup.faxes.len();
    let mut rng = Rng::new();
    let mut killed = HashSet::new();
    tokio::task::block_in_place(|| {
        for run in 0..kills {
            let name = format!("k{run}");
            let mut child = setup.worker(&name, &["--concurrency", "4"], None);
            std::thread::sleep(Duration::from_millis(150 + rng.below(600)));
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            killed.insert(name);
        }
        let mut last = setup.worker("final", &["--concurrency", "4", "--idle-exit", "3"], None);
        let out = wait_exit(&mut last, Duration::from_secs(240));
        assert!(out.contains("\"event\":\"stopped\""), "final worker did not stop cleanly: {out}");
    });
    setup.assert_sink_exact();
    let calls = setup.calls();
    assert_eq!(calls.len(), faxes, "handler never called for some faxes");
    assert_duplicates_explained(&calls, &killed, kills * 4);
    setup.assert_all_acknowledged().await;
    assert!(killed.len() >= KILLS_MIN);
}

/// A fresh database on the test server, so tests sharing it never see each other's keys.
async fn fresh_postgres() -> Option<String> {
    let base = match std::env::var("FAXKIT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("FAXKIT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "FAXKIT_REQUIRE_POSTGRES=1 but FAXKIT_TEST_POSTGRES_URL is not set"
            );
            eprintln!("SKIPPED: no FAXKIT_TEST_POSTGRES_URL (cargo xtask test starts a Postgres)");
            return None;
        }
    };
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
    let name =
        format!("faxkit_crash_{}_{}", std::process::id(), jiff::Timestamp::now().as_nanosecond() % 1_000_000_000);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    Some(format!("{prefix}/{name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_fleet_of_four_with_two_killed_loses_nothing() {
    const FAXES: usize = 500;
    let Some(url) = fresh_postgres().await else { return };
    let setup = Setup::new(FAXES, Some(url)).await;
    let mut rng = Rng::new();
    let mut killed = HashSet::new();
    tokio::task::block_in_place(|| {
        let steady: Vec<Child> = (0..2)
            .map(|i| setup.worker(&format!("steady{i}"), &["--concurrency", "4", "--idle-exit", "4"], None))
            .collect();
        // Two more workers, each killed twice at random moments and restarted.
        for round in 0..2 {
            let mut victims: Vec<(String, Child)> = (0..2)
                .map(|i| {
                    let name = format!("victim{i}-{round}");
                    let child = setup.worker(&name, &["--concurrency", "4"], None);
                    (name, child)
                })
                .collect();
            for (name, child) in &mut victims {
                std::thread::sleep(Duration::from_millis(200 + rng.below(700)));
                child.kill().unwrap();
                child.wait().unwrap();
                killed.insert(name.clone());
            }
        }
        let restarted: Vec<Child> = (0..2)
            .map(|i| setup.worker(&format!("restarted{i}"), &["--concurrency", "4", "--idle-exit", "4"], None))
            .collect();
        for mut child in steady.into_iter().chain(restarted) {
            let out = wait_exit(&mut child, Duration::from_secs(300));
            assert!(out.contains("\"event\":\"stopped\""), "worker did not stop cleanly: {out}");
        }
    });
    setup.assert_sink_exact();
    let calls = setup.calls();
    assert_eq!(calls.len(), FAXES);
    let runs: HashSet<&str> = calls.values().flatten().map(|(_, r)| r.as_str()).collect();
    assert!(runs.len() >= 3, "the work was not shared between workers: {runs:?}");
    assert_duplicates_explained(&calls, &killed, killed.len() * 4);
    setup.assert_all_acknowledged().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_worker_frozen_past_its_lease_has_its_done_mark_refused() {
    let Some(url) = fresh_postgres().await else { return };
    let setup = Setup::new(1, Some(url)).await;
    let key = setup.faxes.keys().next().unwrap().clone();
    let started = setup.dir.join("frozen-started");
    tokio::task::block_in_place(|| {
        // The frozen worker's handler takes 2 s; the worker is stopped while it runs, past its 1 s lease.
        let mut frozen = setup.worker("frozen", &["--concurrency", "1"], Some((&started, 2.0)));
        let t = Instant::now();
        while !started.exists() {
            assert!(t.elapsed() < Duration::from_secs(60), "frozen worker never started its handler");
            std::thread::sleep(Duration::from_millis(20));
        }
        signal(&frozen, "-STOP");
        std::thread::sleep(Duration::from_millis(1500)); // the lease (1 s) ends; nobody renews it
        let mut rescuer = setup.worker("rescuer", &["--concurrency", "1", "--idle-exit", "2"], None);
        let out = wait_exit(&mut rescuer, Duration::from_secs(120));
        assert!(out.contains(&format!("\"event\":\"handed_over\",\"key\":\"{key}\"")), "rescuer output: {out}");
        // The frozen worker resumes: its handler finishes and its done mark must be refused.
        signal(&frozen, "-CONT");
        let t = Instant::now();
        let mut seen = String::new();
        let mut stdout = frozen.stdout.take().unwrap();
        while !seen.contains("lease_lost") {
            assert!(t.elapsed() < Duration::from_secs(60), "no lease_lost from the frozen worker: {seen}");
            use std::io::Read;
            let mut buf = [0u8; 4096];
            let n = stdout.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        assert!(seen.contains(&format!("\"event\":\"lease_lost\",\"key\":\"{key}\"")), "frozen worker: {seen}");
        assert!(!seen.contains("\"event\":\"handed_over\""), "the frozen worker's done mark was accepted: {seen}");
        signal(&frozen, "-TERM");
        let _ = wait_exit(&mut frozen, Duration::from_secs(60));
    });
    setup.assert_sink_exact();
    let calls = setup.calls();
    let list = &calls[&key];
    assert_eq!(list.len(), 2, "the handler ran in both workers: {list:?}");
    assert_eq!(list.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![1, 2]);
    setup.assert_all_acknowledged().await;
}
