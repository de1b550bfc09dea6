//! WestFax through `FaxService`, over every transport, against its sandbox and against injected faults.

mod common;

use std::sync::Arc;

use faxkit::FaxService;
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
async fn faults_over_rest_and_soap() {
    for transport in [Transport::Rest, Transport::Soap] {
        faxkit_tests::fault_suite(&move |url: &str| -> Arc<dyn FaxService> {
            Arc::new(
                westfax::Client::builder()
                    .credentials("user", "pw")
                    .product_id("00000000-0000-0000-0000-000000000000")
                    .transport(transport)
                    .http(common::fault_http(url))
                    .build()
                    .unwrap(),
            )
        })
        .await;
    }
}
