//! The inbox engine of `faxkit-store` over every vendor's sandbox (WestFax over REST and over SOAP): each
//! injected fax reaches the sink once with its bytes, and the vendor is told.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;
use faxkit::{FaxNumber, FaxService};
use faxkit_store::{EngineConfig, InboxEngine, InboxState, SqlStore, Store, handler};

async fn engine_hands_over_every_fax_once(label: &str, sandbox: &dyn VendorSandbox, service: Arc<dyn FaxService>) {
    let from = FaxNumber::parse("+1 646 555 0199").unwrap();
    let mut injected = BTreeMap::new();
    for i in 0..3 {
        let body = faxkit_tests::pdf(&format!("{label} inbound {i}"));
        let id = sandbox.inject_inbound(&from, body.clone()).await;
        injected.insert(id.to_string(), body);
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqlStore::sqlite(dir.path().join("state.db")).await.unwrap());
    let delivered: Arc<Mutex<Vec<(String, Bytes)>>> = Arc::default();
    let log = delivered.clone();
    let sink = handler(move |d| {
        let log = log.clone();
        async move {
            let bytes = d.download.bytes(16 << 20).await?;
            log.lock().unwrap().push((d.key.fax_id.clone(), bytes));
            Ok(())
        }
    });
    let source = service.clone().inbound_source();
    let acknowledges = source.acknowledges();
    let mut config = EngineConfig::default();
    config.concurrency = 2;
    let engine = InboxEngine::new(source.clone(), store.clone(), Arc::new(sink)).config(config);
    for _ in 0..3 {
        engine.run_once().await.unwrap_or_else(|e| panic!("{label}: {e}"));
    }
    let delivered = delivered.lock().unwrap().clone();
    let mut by_id: BTreeMap<String, Vec<Bytes>> = BTreeMap::new();
    for (id, bytes) in delivered {
        by_id.entry(id).or_default().push(bytes);
    }
    for (id, body) in &injected {
        let got = by_id.get(id).unwrap_or_else(|| panic!("{label}: fax {id} never handed over ({by_id:?})"));
        assert_eq!(got.len(), 1, "{label}: fax {id} handed over {} times", got.len());
        assert_eq!(&got[0][..], &body[..], "{label}: fax {id} bytes differ");
    }
    let acked = store.inbox(Some(InboxState::Acknowledged)).await.unwrap();
    assert_eq!(acked.len(), injected.len(), "{label}: not all recorded as acknowledged");
    if acknowledges {
        // The vendor was told about each fax: the sandbox's own record.
        let report = sandbox.inbound_report();
        for id in injected.keys() {
            let entry =
                report.iter().find(|r| r.id.as_str() == id).unwrap_or_else(|| panic!("{label}: {id} not in report"));
            assert!(entry.acknowledged, "{label}: {id} not acknowledged at the vendor");
        }
        let left = source.poll(50).await.unwrap();
        let left: Vec<_> = left.iter().filter(|i| injected.contains_key(i.fax.id.as_str())).collect();
        assert!(left.is_empty(), "{label}: still waiting at the vendor after acknowledgement: {left:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interfax() {
    let s = interfax::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("interfax", &s, s.service()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn westfax_rest() {
    let s = westfax::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("westfax rest", &s, s.service_with_transport(westfax::Transport::Rest)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn westfax_soap() {
    let s = westfax::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("westfax soap", &s, s.service_with_transport(westfax::Transport::Soap)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faxcore() {
    let s = faxcore::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("faxcore", &s, s.service()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fax2() {
    let s = fax2::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("fax2", &s, s.service()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retarus() {
    let s = retarus_fax::sandbox::Sandbox::start().await.unwrap();
    engine_hands_over_every_fax_once("retarus", &s, s.service()).await;
}
