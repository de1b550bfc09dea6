#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::header_values`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::header_values(data));
