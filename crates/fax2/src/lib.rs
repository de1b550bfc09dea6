#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! | module | Fax2 endpoint |
//! |---|---|
//! | `auth` (private) | `POST /oauth2/token`: token cached, refreshed before `expires_in`, once on a 401 |
//! | [`received_faxes`] | `GET /received_faxes`, `GET /fax_services/{id}/received_faxes`, `GET /received_faxes/{id}/content.pdf` |
//! | [`fax_services`] | `GET /fax_services` |
//! | [`upload_document`] | `POST /upload_document` (multipart or raw body) |
//! | [`send_fax`] | `POST /send_fax` |
//! | [`sent_faxes`] | `GET /sent_faxes/{id}` |
//! | [`poller`] | the documented exactly-once procedure for received faxes |
//! | [`source`] | received faxes as a `faxkit::InboundSource` for an inbox engine (a time window, no acknowledgement) |
//! | [`model`] | wire types |
//! | `sandbox` | a stateful Fax2 simulator (feature `sandbox`) |
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
pub mod client;
pub mod error;
pub mod fax_services;
pub mod model;
pub mod poller;
pub mod received_faxes;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
pub mod send_fax;
pub mod sent_faxes;
mod service;
pub mod source;
pub mod upload_document;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ErrorCode};
pub use model::{
    DocumentId, FailureReason, FaxServiceInfo, ReceivedFax, ReceivedFaxId, SendFaxResponse, SentFax, SentFaxId,
    SentFaxStatus, ServiceId, UploadedDocument,
};
#[allow(deprecated)]
pub use poller::{
    Checkpoint, CheckpointStore, FileCheckpointStore, InboxPoller, MemoryCheckpointStore, PollError, PollReport,
};
pub use source::ReceivedFaxesSource;
pub use upload_document::UploadMode;

/// The name this crate puts in every error's `vendor` ([`faxkit::Error::vendor`]).
pub const VENDOR: &str = "fax2";

/// The Fax2 API base URL (major version 1).
pub const DEFAULT_BASE_URL: &str = "https://api.fax2.com.au/v1";
