//! The WestFax sandbox.
