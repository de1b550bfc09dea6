//! What every vendor sandbox shares: a loopback wiremock server and one trait so the CLI's `demo`, the
//! workspace tests and users' own tests can drive any vendor's simulator the same way.

use std::sync::Arc;

use bytes::Bytes;

use crate::error::{Error, Result};
use crate::number::FaxNumber;
use crate::service::{FaxId, FaxService};

pub use wiremock;

/// Starts a wiremock server on 127.0.0.1, on `port` or on a free port when `None`.
///
/// # Errors
/// [`Error::Io`] when the port cannot be bound.
pub async fn start_server(port: Option<u16>) -> Result<wiremock::MockServer> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
        .map_err(|e| Error::io("faxkit", format!("binding sandbox port {}", port.unwrap_or(0)), e))?;
    Ok(wiremock::MockServer::builder().listener(listener).start().await)
}

/// A running vendor sandbox, seen through the vendor-neutral interface.
///
/// Each vendor crate's `sandbox::Sandbox` implements it. Sandboxes advance an outbound fax one status step per
/// status read, so tests and demos finish in milliseconds without sleeping.
#[async_trait::async_trait]
pub trait VendorSandbox: Send + Sync {
    /// The vendor crate name.
    fn vendor(&self) -> &'static str;

    /// The base URL clients should use.
    fn uri(&self) -> String;

    /// A client with the sandbox's valid credentials, as a [`FaxService`].
    fn service(&self) -> Arc<dyn FaxService>;

    /// A client with wrong credentials, for testing authentication errors.
    fn service_with_wrong_credentials(&self) -> Arc<dyn FaxService>;

    /// Delivers a received fax into the sandbox's inbox, as if `from` had faxed `document` (PDF bytes).
    async fn inject_inbound(&self, from: &FaxNumber, document: Bytes) -> FaxId;

    /// The environment variables (name, value) that point the vendor's `Client::from_env()` at this sandbox.
    fn env(&self) -> Vec<(String, String)>;
}
