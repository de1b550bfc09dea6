//! Sends a fax.
fn main() {}
