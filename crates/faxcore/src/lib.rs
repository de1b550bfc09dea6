//! FaxCore client (work in progress).
#![deny(missing_docs)]
