//! The retry policy: exponential backoff with jitter, for idempotent requests only.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How faxkit retries idempotent requests (GET, status polls, listings, deletes of already-identified items).
///
/// A request is retried on a connection error, a timeout, or HTTP 429/502/503/504, at most `max_retries`
/// times, waiting `initial_backoff × 2ⁿ` (capped at `max_backoff`, with jitter) or the server's `Retry-After`,
/// whichever is longer. A send is never retried unless the connection could not even be opened (the vendor
/// cannot have seen it).
///
/// ```
/// # use faxkit::RetryConfig; use std::time::Duration;
/// let retry = RetryConfig { max_retries: 5, ..RetryConfig::default() };
/// assert!(retry.backoff(0) <= Duration::from_millis(250));
/// assert_eq!(RetryConfig::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends retrying with a rate-limited error.
    pub max_retry_after: Duration,
    /// Tokens in the retry budget a client (and its clones) shares: each retry spends
    /// [`retry_cost`](RetryConfig::retry_cost) (or [`timeout_retry_cost`](RetryConfig::timeout_retry_cost)
    /// after a timeout), a call that succeeds at once gives one back, a retry that succeeds gives its cost
    /// back. With the budget spent, calls fail at their first error instead of multiplying the load on a
    /// vendor that is down: the "standard" retry mode of the AWS SDKs. Default 500; 0 allows no retries.
    pub budget: u32,
    /// Tokens one retry costs (default 5).
    pub retry_cost: u32,
    /// Tokens one retry after a timeout costs (default 10).
    pub timeout_retry_cost: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(15),
            max_retry_after: Duration::from_secs(120),
            budget: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn none() -> Self {
        RetryConfig { max_retries: 0, ..RetryConfig::default() }
    }

    /// The wait before retry number `attempt` (0-based): exponential, capped, with "equal jitter" (between
    /// half and all of the exponential value).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(attempt.min(31)));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(jitter_fraction())
    }

    /// The wait before the next attempt given an optional `Retry-After`; `None` means stop retrying.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let backoff = self.backoff(attempt);
        match retry_after {
            Some(ra) if ra > self.max_retry_after => None,
            Some(ra) => Some(ra.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// The retry budget of one client: a token bucket shared by every call (see [`RetryConfig::budget`]).
///
/// ```
/// # use faxkit::RetryConfig; use faxkit::retry::RetryBudget;
/// let budget = RetryBudget::new(&RetryConfig { budget: 10, ..RetryConfig::default() });
/// assert!(budget.try_spend(false) && budget.try_spend(false));
/// assert!(!budget.try_spend(false), "10 tokens pay for two retries at 5");
/// budget.succeeded(1);
/// assert_eq!(budget.available(), 5, "a retry that worked is refunded");
/// ```
#[derive(Debug)]
pub struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
}

impl RetryBudget {
    /// A full budget of `config.budget` tokens.
    pub fn new(config: &RetryConfig) -> Self {
        RetryBudget {
            tokens: AtomicU32::new(config.budget),
            capacity: config.budget,
            retry_cost: config.retry_cost,
            timeout_retry_cost: config.timeout_retry_cost,
        }
    }

    /// Tokens left: each retry needs `retry_cost` (or `timeout_retry_cost`) of them.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Relaxed)
    }

    /// Takes the cost of one retry (a higher one after a timeout); `false`, taking nothing, when the budget
    /// cannot pay for it.
    pub fn try_spend(&self, after_timeout: bool) -> bool {
        let cost = if after_timeout { self.timeout_retry_cost } else { self.retry_cost };
        self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| t.checked_sub(cost)).is_ok()
    }

    /// Records a call that got its answer after `retries` retries: one token back for a call that needed
    /// none, the cost of a retry back for one that did. Never above the capacity.
    pub fn succeeded(&self, retries: u32) {
        let give = if retries == 0 { 1 } else { self.retry_cost };
        // The common case, a full budget, costs one load and no write.
        if self.tokens.load(Ordering::Relaxed) >= self.capacity {
            return;
        }
        let capacity = self.capacity;
        let _ = self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
            (t < capacity).then(|| t.saturating_add(give).min(capacity))
        });
    }
}

/// A pseudo-random fraction in [0, 1) from the standard library's per-process random hasher keys.
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses a `Retry-After` header: delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    let secs = when.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(secs.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::default();
        for attempt in 0..40 {
            let d = r.backoff(attempt);
            let exp = r.initial_backoff.saturating_mul(2u32.saturating_pow(attempt.min(31))).min(r.max_backoff);
            assert!(d >= exp / 2 && d <= exp, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn retry_after_wins_when_longer_and_is_bounded() {
        let r = RetryConfig::default();
        assert_eq!(r.delay(0, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
        assert_eq!(r.delay(0, Some(Duration::from_secs(3600))), None);
        assert!(r.delay(0, None).is_some());
    }

    #[test]
    fn parses_both_retry_after_forms() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
