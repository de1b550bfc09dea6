#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::retarus_webhooks`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::retarus_webhooks(data));
