#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! | resource | handler | operations |
//! |---|---|---|
//! | outbound faxes | [`Client::outbound`] → [`outbound::Outbound`] | send, list, completed, get, image, cancel, resend, hide, search, wait_for_completion |
//! | batches | [`Client::batches`] → [`batches::Batches`] | send, list, get, children, cancel, resend |
//! | documents | [`Client::documents`] → [`documents::Documents`] | create, upload_chunk, upload, list, get, cancel |
//! | inbound faxes | [`Client::inbound`] → [`inbound::Inbound`] | list, get, image, emails, mark, resend |
//! | account | [`Client::accounts`] → [`accounts::Accounts`] | balance, helper and tester endpoints |
//!
//! Wire types live in [`model`]; errors are [`faxkit::Error`] with InterFAX's detail as [`ApiError`].
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod accounts;
pub mod batches;
pub mod client;
pub mod documents;
pub mod error;
pub mod inbound;
pub mod model;
pub mod outbound;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
pub mod send;
mod service;

/// The name this crate puts in every error's `vendor` ([`faxkit::Error::vendor`]).
pub const VENDOR: &str = "interfax";

pub use client::{Client, ClientBuilder, Host};
pub use error::ApiError;
pub use model::accounts::HelperResponse;
pub use model::batches::Batch;
pub use model::common::{
    BatchId, Decimal, DocumentId, ErrorCode, FaxStatusCode, InboundFaxId, OutboundFaxId, SortOrder, StatusClass,
};
pub use model::documents::{ChunkOutcome, ContentRange, Disposition, DocumentStatus, Sharing, UploadedDocument};
pub use model::inbound::{ForwardingEmail, ImageFormat, ImageStatus, InboundFax};
pub use model::outbound::{
    FitToPage, OutboundFax, PageOrientation, PageSize, Rendering, RenderingQuality, Resolution, StatusFamily,
};
pub use outbound::SearchStatus;
pub use send::{FaxDocument, SendOptions};

pub use faxkit::{Document, FaxNumber};
