//! Wire types, one file per resource. Field names are the wire's; unknown fields are ignored.

pub mod accounts;
pub mod batches;
pub mod common;
pub mod documents;
pub mod inbound;
pub mod outbound;
