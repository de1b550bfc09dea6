#![no_main]
//! Fuzz target: see `faxkit_tests::fuzz::faxcore_download`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| faxkit_tests::fuzz::faxcore_download(data));
