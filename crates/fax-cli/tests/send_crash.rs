//! Crash test of the send ledger through the real `fax send --store` binary: sending processes are SIGKILLed
//! at random moments (the sandbox answers each request after a delay, so many kills land between the intent
//! and the outcome), restarted, 100 times; then every key is sent once more to completion. The sandbox must
//! hold exactly one fax per key, and the ledger its id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use faxkit::sandbox::VendorSandbox;

mod common;
use common::Rng;

fn send(sandbox: &dyn VendorSandbox, store: &str, doc: &std::path::Path, key: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fax"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .args(["--provider", "interfax", "--json", "send", "--to", "+12125550100", "--file"])
        .arg(doc)
        .args(["--idempotency-key", key, "--store", store, "--intent-lease", "0.5"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in sandbox.env() {
        cmd.env(k, v);
    }
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_100_times_sends_each_key_exactly_once() {
    const KILLS: usize = 100;
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    sandbox.set_latency(Duration::from_millis(60));
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("referral.pdf");
    std::fs::write(&doc, b"%PDF-1.4\n% referral\n%%EOF\n").unwrap();
    let store = format!("sqlite:{}", dir.path().join("ledger.db").display());
    let mut keys: Vec<String> = Vec::new();
    let mut rng = Rng::new();
    let (mut kills, mut runs) = (0, 0);
    tokio::task::block_in_place(|| {
        // One key at a time: run, SIGKILL at a random moment, restart, until a run of that key finishes by
        // itself; then the next key. Every kill lands on a key whose send is not yet recorded.
        let mut key = "referral-0".to_owned();
        while kills < KILLS {
            runs += 1;
            let mut child = send(&sandbox, &store, &doc, &key).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(rng.below(200)));
            match child.try_wait().unwrap() {
                None => {
                    child.kill().unwrap(); // SIGKILL
                    child.wait().unwrap();
                    kills += 1;
                    // The killed run's intent lease (0.5 s) ends before the next run of this key.
                    std::thread::sleep(Duration::from_millis(550));
                }
                Some(status) if status.success() => {
                    keys.push(key.clone());
                    key = format!("referral-{}", keys.len());
                }
                Some(_) => std::thread::sleep(Duration::from_millis(550)), // refused while a lease held: retry
            }
        }
        keys.push(key);
        std::thread::sleep(Duration::from_millis(550));
        for key in &keys {
            let out = send(&sandbox, &store, &doc, key).output().unwrap();
            assert!(
                out.status.success(),
                "{key}: the last send failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    eprintln!("{kills} SIGKILLs in {runs} runs over {} keys", keys.len());
    let keys_len = keys.len();

    // The sandbox: exactly one fax per key.
    let mut per_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for fax in sandbox.sent_faxes() {
        let reference = fax.options.get("reference").cloned().unwrap_or_default();
        per_key.entry(reference).or_default().push(fax.id.0.to_string());
    }
    for key in &keys {
        let ids = per_key.get(key).unwrap_or_else(|| panic!("{key} was never sent"));
        assert_eq!(ids.len(), 1, "{key} sent {} times: {ids:?}", ids.len());
    }
    assert_eq!(per_key.len(), keys_len, "faxes with unknown references: {:?}", per_key.keys());

    // The ledger: every key sent, with the id the sandbox holds.
    let out = Command::new(env!("CARGO_BIN_EXE_fax"))
        .env_clear()
        .args(["--json", "sends", "--store", &store])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ledger: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ledger = ledger.as_array().unwrap();
    assert_eq!(ledger.len(), keys_len);
    for entry in ledger {
        let key = entry["key"].as_str().unwrap();
        assert_eq!(entry["state"], "sent", "{entry}");
        assert_eq!(entry["fax_id"].as_str(), Some(per_key[key][0].as_str()), "{entry}");
    }
}

/// Two `fax send --store` processes started at once with the same key: one sends, the other either finds the
/// intent held (and sends nothing) or, arriving after, the recorded id. The sandbox counts one fax.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sending_one_key_at_once_send_it_once() {
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    sandbox.set_latency(Duration::from_millis(100));
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("referral.pdf");
    std::fs::write(&doc, b"%PDF-1.4\n% referral\n%%EOF\n").unwrap();
    let store = format!("sqlite:{}", dir.path().join("ledger.db").display());
    tokio::task::block_in_place(|| {
        for round in 0..5 {
            let key = format!("twice-{round}");
            let a = send(&sandbox, &store, &doc, &key).spawn().unwrap();
            let b = send(&sandbox, &store, &doc, &key).spawn().unwrap();
            let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
            assert!(a.status.success() || b.status.success(), "neither sent {key}");
            for out in [&a, &b] {
                if !out.status.success() {
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(err.contains("another worker"), "{key}: unexpected failure: {err}");
                }
            }
        }
    });
    let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
    for fax in sandbox.sent_faxes() {
        *per_key.entry(fax.options.get("reference").cloned().unwrap_or_default()).or_default() += 1;
    }
    assert_eq!(per_key.len(), 5, "{per_key:?}");
    assert!(per_key.values().all(|n| *n == 1), "a key sent twice: {per_key:?}");
}
