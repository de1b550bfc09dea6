//! WestFax through `FaxService`, over every transport, against its sandbox (injected faults: `fault_suite.rs`).

use westfax::Transport;

#[tokio::test]
async fn conformance_over_every_transport() {
    for transport in Transport::ALL {
        let sandbox = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
        faxkit_tests::conformance(&sandbox).await;
    }
}

#[tokio::test]
async fn inbound_source_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        let sandbox = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
        faxkit_tests::inbound_source_flow(&sandbox).await;
    }
}

#[tokio::test]
async fn sandbox_controls_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        let sandbox = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
        faxkit_tests::sandbox_controls(&sandbox).await;
    }
}

#[tokio::test]
async fn lost_answer_over_every_transport() {
    for transport in Transport::ALL {
        let sandbox = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
        faxkit_tests::lost_answer(&sandbox).await;
    }
}

#[tokio::test]
async fn send_each_keys_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        let sandbox = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
        faxkit_tests::send_each_keys(&sandbox).await;
    }
}
