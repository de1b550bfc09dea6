#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::base64_stream`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::base64_stream(data));
