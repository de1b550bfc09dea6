#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::fax2ws_push_stream`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::fax2ws_push_stream(data));
