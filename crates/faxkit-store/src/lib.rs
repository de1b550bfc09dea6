//! Durable state for faxkit: an inbox engine that hands every received fax over once, across crashes,
//! restarts and many workers, and a send ledger that never sends a fax twice.
//!
//! | piece | what it does |
//! |---|---|
//! | [`InboxEngine`] | poll → claim with a lease → download into a [`Sink`] → mark done → acknowledge at the vendor → skip when listed again; dead letters after [`EngineConfig::max_attempts`] |
//! | [`SendLedger`] | the intent committed before the request, the fax id after it; a key already sent returns its id without a request; unclear outcomes reconciled with the vendor before anything is sent again |
//! | [`Store`] | the one trait behind both, with [`SqlStore`] over SQLite (default) or Postgres, [`FileStore`] (no database) and [`MemoryStore`] (tests) |
//! | [`DirSink`], [`handler`] | durable files (temp, fsync, rename, directory fsync) or your own async handler |
//!
//! The engine knows no vendor: it drives a [`faxkit::InboundSource`], which every vendor client gives through
//! [`faxkit::FaxService::inbound_source`].
//!
//! # Which store
//!
//! | store | for | how |
//! |---|---|---|
//! | [`SqlStore::sqlite`] (feature `sqlite`, default) | one machine, one or several processes | one file, WAL, `synchronous=FULL`, writers wait on each other (`busy_timeout`) |
//! | [`SqlStore::postgres`] (feature `postgres`) | a fleet: many workers on many machines | conditional row updates with fencing tokens; the database's clock decides when leases end |
//! | [`FileStore`] | no database: small inboxes, one machine, one or several processes | one JSON file under an OS file lock, rewritten atomically (temp, fsync, rename, directory fsync) |
//! | [`MemoryStore`] | tests, one process | the same semantics, nothing survives the process |
//!
//! [`open`] takes a location string (`sqlite:PATH`, `postgres://…`, `file:PATH`, `memory:`), as the `fax` CLI
//! does.
//!
//! # Dependencies
//!
//! sqlx (no compile-time query macros; the `any` driver runs one set of statements on both databases, and the
//! migrations are plain SQL in this crate, applied on open under a lock, with a schema-version check).
//!
//! # Example
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use faxkit::FaxService;
//! use faxkit_store::{DirSink, InboxEngine, SqlStore};
//!
//! let fax = Arc::new(interfax::Client::from_env()?);
//! let store = Arc::new(SqlStore::sqlite("/var/lib/fax/state.db").await?);
//! let sink = Arc::new(DirSink::new("/srv/fax/in").await?);
//! let engine = InboxEngine::new(fax.inbound_source(), store, sink);
//! engine.run_until(async { let _ = tokio::signal::ctrl_c().await; }).await;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod engine;
mod error;
mod event;
mod file;
mod ledger;
mod memory;
mod model;
mod open;
mod sink;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
mod store;

pub use engine::{EngineConfig, Event, InboxEngine, Round, default_owner};
pub use error::{Error, Result};
pub use file::FileStore;
pub use ledger::{SendLedger, fingerprint};
pub use memory::MemoryStore;
pub use model::{
    BeginSend, Claim, Failed, FaxKey, Fnv1a, InboxRecord, InboxState, Lease, SendOutcome, SendRecord, SendState,
};
pub use open::open;
pub use sink::{Delivery, DirSink, HandlerSink, Sink, file_stem, handler, write_durably};
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql::{SCHEMA_VERSION, SqlStore};
pub use store::Store;
