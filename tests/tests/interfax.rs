//! InterFAX through `FaxService`, against its sandbox and against injected faults.

mod common;

use std::sync::Arc;

use faxkit::FaxService;

#[tokio::test]
async fn conformance() {
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::conformance(&sandbox).await;
}

#[tokio::test]
async fn inbound_source() {
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::inbound_source_flow(&sandbox).await;
}

#[tokio::test]
async fn sandbox_controls() {
    let sandbox = interfax::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::sandbox_controls(&sandbox).await;
}

#[tokio::test]
async fn faults() {
    faxkit_tests::fault_suite(&|url: &str| -> Arc<dyn FaxService> {
        Arc::new(interfax::Client::builder().credentials("user", "pw").http(common::fault_http(url)).build().unwrap())
    })
    .await;
}
