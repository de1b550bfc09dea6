//! Retarus fax SDK (work in progress).
#![deny(missing_docs)]
