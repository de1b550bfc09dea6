#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! | module | API | what |
//! |---|---|---|
//! | [`jobs`] | Fax4A | send a fax job (documents streamed as base64 inside the JSON body) |
//! | [`reports`] | Fax4A | status reports: get, list, delete, delete oldest, bulk, drain; fanned out over every data center |
//! | [`pull`] | Fax2WSPull | fetch, acknowledge, `next`/`exit`, download documents |
//! | [`consumer`] | Fax2WSPull | at-least-once consumer that acknowledges only handled jobs |
//! | [`source`] | Fax2WSPull | a topic as a `faxkit::InboundSource` for an inbox engine (locks, one ack per job) |
//! | [`webhook`] | push | status push (XML/JSON) and Fax2WS inbound push parsers |
//! | [`region`] | both | data centers DE1, DE2, US1, US2, CH1, SG1, custom; HA URLs |
//! | [`model`] | both | wire types |
//! | `sandbox` | both | (feature `sandbox`) a stateful simulator of both APIs with two data centers |
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod client;
pub mod consumer;
pub mod error;
pub mod jobs;
pub mod model;
pub mod pull;
pub mod region;
pub mod reports;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
mod service;
pub mod source;
pub mod webhook;

/// The name this crate puts in every error's `vendor` ([`faxkit::Error::vendor`]).
pub const VENDOR: &str = "retarus";

pub use client::{Client, ClientBuilder};
#[allow(deprecated)]
pub use consumer::{Consumer, ConsumerBuilder, Delivery, RunSummary};
pub use error::{ApiError, ApiErrorCode};
pub use model::jobs::{FaxJobRequest, FaxJobResponse, FaxRecipient, JobDocument, JobId};
pub use model::pull::{FetchResponse, InboundDocument, InboundFaxJob, InboundJobId};
pub use model::reports::{FaxReport, JobDeleteReport, RecipientStatus};
pub use pull::{Fetch, Topic};
pub use region::{CustomRegion, DataCenter, Region};
pub use reports::{DataCenterFailure, Drained, FanOut, NotDeleted, Reports};
pub use source::TopicSource;
