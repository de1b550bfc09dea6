//! [`SandboxServer`]: what every vendor sandbox starts with. It binds the loopback port, holds the vendor's
//! state behind one mutex, mounts the [control route](super) on that state and carries the simulated
//! [`Latency`]; the vendor crate then mounts its own routes and keeps its clients.
//!
//! [`vendor_sandbox!`](crate::vendor_sandbox) writes the `start`, `start_on` and `Debug` every vendor
//! `Sandbox` has on top of it.

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use wiremock::MockServer;

use super::{InboundControl, Latency, SandboxInbound, SandboxOutbound, mount_inbound_control, start_server};
use crate::error::Result;
use crate::number::FaxNumber;
use crate::service::FaxId;

/// A vendor sandbox's state, as the control route sees it: inject a received fax, report the inbox.
pub trait SandboxState: Send + 'static {
    /// Puts a received fax from `from` into the inbox; returns its vendor-neutral id.
    fn inject_inbound(&mut self, from: &FaxNumber, document: Bytes) -> FaxId;

    /// The inbox, as [`VendorSandbox::inbound_report`](super::VendorSandbox::inbound_report).
    fn inbound_report(&self) -> Vec<SandboxInbound>;

    /// The outbox, as [`VendorSandbox::outbound_report`](super::VendorSandbox::outbound_report).
    fn outbound_report(&self) -> Vec<SandboxOutbound>;
}

/// What a vendor sandbox's [`SandboxServer`] offers [`VendorSandbox`](super::VendorSandbox) whatever the
/// vendor state behind it.
pub trait SandboxBase: Send + Sync {
    /// The vendor crate's name.
    fn vendor(&self) -> &'static str;

    /// The base URL clients use ([`SandboxServer::api_uri`]).
    fn api_uri(&self) -> String;

    /// [`SandboxState::inject_inbound`] on the locked state.
    fn inject_inbound(&self, from: &FaxNumber, document: Bytes) -> FaxId;

    /// [`SandboxState::inbound_report`] on the locked state.
    fn inbound_report(&self) -> Vec<SandboxInbound>;

    /// [`SandboxState::outbound_report`] on the locked state.
    fn outbound_report(&self) -> Vec<SandboxOutbound>;

    /// The simulated latency.
    fn latency(&self) -> &Latency;
}

/// Locks a sandbox's state, also after a panic in another holder (the state stays usable for the test that
/// inspects it).
pub fn lock<S>(state: &Mutex<S>) -> MutexGuard<'_, S> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The control route's side of a [`SandboxState`].
struct Control<S>(Arc<Mutex<S>>);

impl<S: SandboxState> InboundControl for Control<S> {
    fn inject(&self, from: &FaxNumber, document: Bytes) -> FaxId {
        lock(&self.0).inject_inbound(from, document)
    }

    fn report(&self) -> Vec<SandboxInbound> {
        lock(&self.0).inbound_report()
    }
}

/// A started sandbox server: the wiremock server on loopback, the vendor state `S`, the latency. Dropping it
/// stops the server.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use faxkit::sandbox::{SandboxInbound, SandboxOutbound, SandboxServer, SandboxState};
/// use faxkit::{FaxId, FaxNumber};
/// use wiremock::{Mock, ResponseTemplate, matchers::any};
///
/// #[derive(Default)]
/// struct Inbox(Vec<SandboxInbound>);
/// impl SandboxState for Inbox {
///     fn inject_inbound(&mut self, _from: &FaxNumber, document: bytes::Bytes) -> FaxId {
///         let id = FaxId::new(self.0.len().to_string());
///         self.0.push(SandboxInbound::new(id.clone(), document));
///         id
///     }
///     fn inbound_report(&self) -> Vec<SandboxInbound> {
///         self.0.clone()
///     }
///     fn outbound_report(&self) -> Vec<SandboxOutbound> {
///         Vec::new()
///     }
/// }
///
/// let base = SandboxServer::start("example", None, Inbox::default()).await?.api_path("/api");
/// Mock::given(any())
///     .respond_with(base.latency().wrap(ResponseTemplate::new(204)))
///     .mount(base.server())
///     .await;
/// assert!(base.uri().starts_with("http://127.0.0.1:"));
/// assert_eq!(base.api_uri(), format!("{}/api", base.uri()));
/// assert!(base.state().0.is_empty());
/// # Ok::<(), faxkit::Error>(()) }).unwrap();
/// ```
pub struct SandboxServer<S> {
    vendor: &'static str,
    api_path: &'static str,
    server: MockServer,
    state: Arc<Mutex<S>>,
    latency: Latency,
}

impl<S: SandboxState> SandboxServer<S> {
    /// Binds 127.0.0.1 on `port` (a free one when `None`) and mounts the control route on `state`, ahead of
    /// the routes the vendor mounts next.
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) when the port cannot be bound.
    pub async fn start(vendor: &'static str, port: Option<u16>, state: S) -> Result<Self> {
        Self::start_with(vendor, port, |_| state).await
    }

    /// [`start`](Self::start) with a state made from the server's root URL (for states that write URLs).
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) when the port cannot be bound.
    pub async fn start_with(vendor: &'static str, port: Option<u16>, state: impl FnOnce(&str) -> S) -> Result<Self> {
        let server = start_server(port).await?;
        let state = Arc::new(Mutex::new(state(&server.uri())));
        let latency = Latency::new();
        mount_inbound_control(&server, Arc::new(Control(state.clone())), &latency).await;
        Ok(SandboxServer { vendor, api_path: "", server, state, latency })
    }
}

impl<S> SandboxServer<S> {
    /// Sets where the vendor's API lives under the root (`"/v1"`, `"/api/"`; default none), for
    /// [`api_uri`](Self::api_uri).
    pub fn api_path(mut self, path: &'static str) -> Self {
        self.api_path = path;
        self
    }

    /// The server's root URL (`http://127.0.0.1:PORT`, no trailing `/`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The base URL clients use: the root URL and the [`api_path`](Self::api_path).
    pub fn api_uri(&self) -> String {
        format!("{}{}", self.server.uri(), self.api_path)
    }

    /// The wiremock server, to mount routes on and read [`MockServer::received_requests`].
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The shared state, for the vendor's responders.
    pub fn shared(&self) -> Arc<Mutex<S>> {
        self.state.clone()
    }

    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, S> {
        lock(&self.state)
    }

    /// The simulated latency every route waits ([`Latency::wrap`] the vendor's responders with it).
    pub fn latency(&self) -> &Latency {
        &self.latency
    }
}

impl<S: SandboxState> SandboxBase for SandboxServer<S> {
    fn vendor(&self) -> &'static str {
        self.vendor
    }

    fn api_uri(&self) -> String {
        SandboxServer::api_uri(self)
    }

    fn inject_inbound(&self, from: &FaxNumber, document: Bytes) -> FaxId {
        self.state().inject_inbound(from, document)
    }

    fn inbound_report(&self) -> Vec<SandboxInbound> {
        self.state().inbound_report()
    }

    fn outbound_report(&self) -> Vec<SandboxOutbound> {
        self.state().outbound_report()
    }

    fn latency(&self) -> &Latency {
        &self.latency
    }
}

impl<S> std::fmt::Debug for SandboxServer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("vendor", &self.vendor).field("uri", &self.api_uri()).finish_non_exhaustive()
    }
}

/// The `start`, `start_on` and `Debug` of a vendor `Sandbox` built on a [`SandboxServer`] field.
///
/// `vendor_sandbox!(Sandbox, base, launch)` writes `Sandbox::start()` (a free port) and
/// `Sandbox::start_on(port: u16)`, both calling the vendor's `async fn launch(port: Option<u16>) ->
/// faxkit::Result<Sandbox>`, and a `Debug` that shows the URI of the `base` field (its root URL), plus any
/// fields named after `debug:`. With `start_on: optional`, `start_on` takes `impl Into<Option<u16>>`.
#[macro_export]
macro_rules! vendor_sandbox {
    ($ty:ident, $base:ident, $launch:ident, start_on: optional $(, debug: $($field:ident),+)?) => {
        $crate::vendor_sandbox!(@debug $ty, $base $(, $($field),+)?);
        $crate::vendor_sandbox!(@start $ty, $launch, start_on: optional);
    };
    ($ty:ident, $base:ident, $launch:ident $(, debug: $($field:ident),+)?) => {
        $crate::vendor_sandbox!(@debug $ty, $base $(, $($field),+)?);
        $crate::vendor_sandbox!(@start $ty, $launch);
    };
    (@start $ty:ident, $launch:ident) => {
        impl $ty {
            /// Starts on a free loopback port.
            ///
            /// # Errors
            /// [`faxkit::Error::Io`] when no port can be bound.
            pub async fn start() -> $crate::Result<$ty> {
                $ty::$launch(None).await
            }

            /// Starts on `127.0.0.1:port` (for the CLI demo and for pointing other programs at it).
            ///
            /// # Errors
            /// [`faxkit::Error::Io`] when the port cannot be bound.
            pub async fn start_on(port: u16) -> $crate::Result<$ty> {
                $ty::$launch(Some(port)).await
            }
        }
    };
    (@start $ty:ident, $launch:ident, start_on: optional) => {
        impl $ty {
            /// Starts on a free loopback port.
            ///
            /// # Errors
            /// [`faxkit::Error::Io`] when no port can be bound.
            pub async fn start() -> $crate::Result<$ty> {
                $ty::$launch(None).await
            }

            /// Starts on `127.0.0.1:port` (a free port when `None`).
            ///
            /// # Errors
            /// [`faxkit::Error::Io`] when the port cannot be bound.
            pub async fn start_on(port: impl Into<Option<u16>>) -> $crate::Result<$ty> {
                $ty::$launch(port.into()).await
            }
        }
    };
    (@debug $ty:ident, $base:ident $(, $field:ident)*) => {
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("uri", &self.$base.api_uri())
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}
