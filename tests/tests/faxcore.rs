//! FaxCore through `FaxService`, against its sandbox (injected faults: `fault_suite.rs`).

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
async fn lost_answer() {
    let sandbox = faxcore::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::lost_answer(&sandbox).await;
}

#[tokio::test]
async fn send_each_keys() {
    let sandbox = faxcore::sandbox::Sandbox::start().await.unwrap();
    faxkit_tests::send_each_keys(&sandbox).await;
}
