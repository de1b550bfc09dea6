//! The shared core of the faxkit SDKs.
//!
//! Each fax vendor has its own crate (`interfax`, `westfax`, `faxcore`, `fax2`, `retarus-fax`) that models the
//! vendor's API exactly. They all stand on this crate, which holds only what they share:
//!
//! | piece | what it does |
//! |---|---|
//! | [`FaxNumber`] | parse once (`+CC…`, `00CC…`, national with a default country), format per vendor |
//! | [`Document`] | a path, bytes or async reader; MIME sniffed; streamed to the wire, never buffered whole |
//! | [`Secret`], [`Credentials`] | redacted `Debug`/`Display` |
//! | [`HttpClient`], [`HttpConfig`], [`RetryConfig`] | one reused `reqwest` client; base URL override, timeouts, user agent, retries for idempotent calls only, https except loopback |
//! | [`Error`] | one error taxonomy: transport, timeout, auth, not found, rate limited, HTTP status, vendor, decode, invalid input, I/O, unsupported |
//! | [`DeliveryStatus`] | the neutral status, always beside the vendor's raw value |
//! | [`FaxService`] | the vendor-neutral trait every vendor client implements |
//! | [`base64`], [`stream`], [`paging`], [`time`] | streaming base64, payload extraction, pagination as `Stream`, timestamps |
//! | [`open_enum!`], [`id_type!`] | open enums with `Other(String)` and ids that accept numbers or strings |
//!
//! # Example
//!
//! Code written against [`FaxService`] works with every vendor:
//!
//! ```
//! use faxkit::{Document, FaxNumber, FaxService, SendRequest, WaitOptions};
//!
//! async fn send_invoice(fax: &dyn FaxService) -> faxkit::Result<()> {
//!     let to = FaxNumber::parse("+1 212 555 0100")?;
//!     let id = fax.send(&SendRequest::new(to, Document::from_path("invoice.pdf"))).await?;
//!     let status = fax.wait(&id, &WaitOptions::default()).await?;
//!     println!("{id}: {} ({})", status.status, status.raw_status);
//!     Ok(())
//! }
//! ```
//!
//! # Feature flags
//!
//! | feature | default | what it enables |
//! |---|---|---|
//! | `rustls` | yes | TLS through rustls |
//! | `native-tls` | no | TLS through the platform library |
//! | `sandbox` | no | [`sandbox`]: loopback wiremock servers and the [`sandbox::VendorSandbox`] trait |
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod base64;
pub mod document;
pub mod error;
pub mod failover;
pub mod http;
mod macros;
pub mod mime;
pub mod number;
pub mod paging;
pub mod retry;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
pub mod secret;
pub mod service;
pub use service::inbound;
pub mod status;
pub mod stream;
pub mod time;
pub mod xml;

#[doc(hidden)]
pub use macros::__private;

pub use document::{Document, OpenDocument};
pub use error::{BoxError, Error, ErrorKind, Result, TransportStage};
pub use failover::Failover;
pub use http::{HttpClient, HttpConfig, Idempotency};
pub use inbound::{InboundItem, InboundSource};
pub use number::{CountryCode, FaxNumber};
pub use retry::RetryConfig;
pub use secret::{Credentials, Secret};
pub use service::{
    Direction, Download, FaxId, FaxService, FaxStatus, InboundFax, InboundQuery, RecipientOutcome, Reconciliation,
    SendRequest, WaitOptions,
};
pub use status::DeliveryStatus;
pub use stream::ByteStream;
pub use time::VendorTime;

/// Re-exported so vendor crates and users name one version.
pub use async_trait::async_trait;
/// Re-exported for vendor crates' timestamps.
pub use jiff;
