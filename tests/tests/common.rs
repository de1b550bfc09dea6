//! Shared settings for the per-vendor files.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use faxkit::{HttpConfig, RetryConfig};

/// A 1-second timeout everywhere and fast retries, so fault tests finish quickly.
pub fn fault_http(base_url: &str) -> HttpConfig {
    HttpConfig::default()
        .base_url(base_url)
        .timeout(Duration::from_secs(1))
        .transfer_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(1))
        .retry(RetryConfig {
            max_retries: 2,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            ..RetryConfig::default()
        })
}
