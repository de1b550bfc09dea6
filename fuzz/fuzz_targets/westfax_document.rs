#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::westfax_document`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::westfax_document(data));
