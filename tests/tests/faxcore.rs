//! FaxCore through `FaxService`, against its sandbox and against injected faults.

mod common;

use std::sync::Arc;

use faxkit::FaxService;

#[tokio::test]
async fn conformance() {
    let sandbox = faxcore::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::conformance(&sandbox).await;
}

#[tokio::test]
async fn inbound_source() {
    let sandbox = faxcore::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::inbound_source_flow(&sandbox).await;
}

#[tokio::test]
async fn sandbox_controls() {
    let sandbox = faxcore::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::sandbox_controls(&sandbox).await;
}

#[tokio::test]
async fn faults() {
    faxkit_tests::fault_suite(&|url: &str| -> Arc<dyn FaxService> {
        Arc::new(faxcore::Client::builder("2125550100", "pw").http(common::fault_http(url)).build().unwrap())
    })
    .await;
}
