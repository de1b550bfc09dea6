//! The only vendor-specific code in the CLI: how to build each vendor's client and start its sandbox.

use std::sync::Arc;

use faxkit::sandbox::VendorSandbox;
use faxkit::{Error, FaxService, Result};

use crate::cli::Provider;

/// A client for `provider` from its environment variables; `base_url` overrides the vendor's host and
/// `transport` picks the WestFax transport.
pub(crate) fn service(
    provider: Provider,
    base_url: Option<&str>,
    transport: Option<&str>,
) -> Result<Arc<dyn FaxService>> {
    if transport.is_some() && provider != Provider::Westfax && std::env::var_os("WESTFAX_TRANSPORT").is_none() {
        return Err(Error::invalid_input("fax", "--transport applies to --provider westfax only"));
    }
    Ok(match provider {
        Provider::Interfax => {
            let mut b = interfax::Client::builder_from_env()?;
            if let Some(url) = base_url {
                b = b.base_url(url);
            }
            Arc::new(b.build()?)
        }
        Provider::Westfax => {
            let mut b = westfax::Client::builder_from_env()?;
            if let Some(url) = base_url {
                b = b.base_url(url);
            }
            if let Some(t) = transport {
                b = b.transport(t.parse()?);
            }
            Arc::new(b.build()?)
        }
        Provider::Faxcore => {
            let mut b = faxcore::Client::builder_from_env()?;
            if let Some(url) = base_url {
                b = b.base_url(url);
            }
            Arc::new(b.build()?)
        }
        Provider::Fax2 => {
            let mut b = fax2::Client::builder_from_env()?;
            if let Some(url) = base_url {
                b = b.base_url(url);
            }
            Arc::new(b.build()?)
        }
        Provider::Retarus => Arc::new(retarus_fax::Client::from_vars(|name| match (name, base_url) {
            ("RETARUS_BASE_URL", Some(url)) => Some(url.to_owned()),
            _ => std::env::var(name).ok(),
        })?),
    })
}

/// Starts `provider`'s sandbox on 127.0.0.1 (on `port`, or a free one).
pub(crate) async fn sandbox(provider: Provider, port: Option<u16>) -> Result<Box<dyn VendorSandbox>> {
    Ok(match (provider, port) {
        (Provider::Interfax, Some(p)) => Box::new(interfax::sandbox::Sandbox::start_on(p).await?),
        (Provider::Interfax, None) => Box::new(interfax::sandbox::Sandbox::start().await?),
        (Provider::Westfax, Some(p)) => Box::new(westfax::sandbox::Sandbox::start_on(p).await?),
        (Provider::Westfax, None) => Box::new(westfax::sandbox::Sandbox::start().await?),
        (Provider::Faxcore, Some(p)) => Box::new(faxcore::sandbox::Sandbox::start_on(p).await?),
        (Provider::Faxcore, None) => Box::new(faxcore::sandbox::Sandbox::start().await?),
        (Provider::Fax2, Some(p)) => Box::new(fax2::sandbox::Sandbox::start_on(p).await?),
        (Provider::Fax2, None) => Box::new(fax2::sandbox::Sandbox::start().await?),
        (Provider::Retarus, port) => Box::new(retarus_fax::sandbox::Sandbox::start_on(port).await?),
    })
}

/// One demo row: a label and its started sandbox (or why it could not start).
pub(crate) struct DemoTarget {
    /// Row label (`westfax (soap12)`).
    pub(crate) label: String,
    /// The started sandbox.
    pub(crate) sandbox: Result<Box<dyn VendorSandbox>>,
}

/// Every vendor's sandbox, started; WestFax once per transport.
pub(crate) async fn demo_targets() -> Vec<DemoTarget> {
    let mut out = Vec::new();
    for p in Provider::ALL {
        if p == Provider::Westfax {
            for t in westfax::Transport::ALL {
                let sandbox = westfax::sandbox::Sandbox::start().await.map(|s| {
                    let boxed: Box<dyn VendorSandbox> = Box::new(s.with_transport(t));
                    boxed
                });
                out.push(DemoTarget { label: format!("westfax ({})", t.as_str()), sandbox });
            }
        } else {
            out.push(DemoTarget { label: p.name().to_owned(), sandbox: sandbox(p, None).await });
        }
    }
    out
}
