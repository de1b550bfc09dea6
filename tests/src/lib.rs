//! Workspace-level test support: the cross-vendor scenario suite lives in `tests/tests/`.
#![deny(missing_docs)]
