//! InterFAX REST API client (work in progress).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's name, used in every error.
#[allow(dead_code)]
const VENDOR: &str = "interfax";
