//! WestFax fax API client.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's vendor name, as used in errors.
#[allow(dead_code)]
pub(crate) const VENDOR: &str = "westfax";
