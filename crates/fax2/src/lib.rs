//! Client for the Fax2 API.
#![deny(missing_docs)]
