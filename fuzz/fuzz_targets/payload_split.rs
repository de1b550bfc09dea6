#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::payload_split`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::payload_split(data));
