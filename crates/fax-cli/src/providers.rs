//! The only vendor-specific code in the CLI: how to build each vendor's client and sandbox.

use std::sync::Arc;

use faxkit::sandbox::VendorSandbox;
use faxkit::{Error, FaxService, Result};

use crate::cli::Provider;

/// A client for `provider` from its environment variables, with an optional base URL override.
pub(crate) fn service(
    provider: Provider,
    base_url: Option<&str>,
    transport: Option<&str>,
) -> Result<Arc<dyn FaxService>> {
    let _ = (base_url, transport);
    Err(Error::unsupported(provider.name(), "this build of fax"))
}

/// Starts `provider`'s sandbox on 127.0.0.1.
pub(crate) async fn sandbox(provider: Provider, port: Option<u16>) -> Result<Box<dyn VendorSandbox>> {
    let _ = port;
    Err(Error::unsupported(provider.name(), "a sandbox in this build of fax"))
}

/// One demo row: a sandbox and how to get the service to drive it.
pub(crate) struct DemoTarget {
    /// Row label (`westfax (soap12)`).
    pub(crate) label: String,
    /// The started sandbox, or why it could not start.
    pub(crate) sandbox: Result<Box<dyn VendorSandbox>>,
    service: fn(&dyn VendorSandbox) -> Arc<dyn FaxService>,
}

impl DemoTarget {
    /// The service to drive.
    pub(crate) fn service(&self, sandbox: &dyn VendorSandbox) -> Arc<dyn FaxService> {
        (self.service)(sandbox)
    }
}

/// Every vendor's sandbox, started.
pub(crate) async fn demo_targets() -> Vec<DemoTarget> {
    let mut out = Vec::new();
    for p in Provider::ALL {
        out.push(DemoTarget { label: p.name().to_owned(), sandbox: sandbox(p, None).await, service: |s| s.service() });
    }
    out
}
