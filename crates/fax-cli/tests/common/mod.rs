//! What the crash tests share.
#![allow(dead_code, clippy::print_stderr)]

/// A small PRNG (xorshift), seeded from the clock and printed, so a failing run can be replayed.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new() -> Rng {
        let seed = std::env::var("FAXKIT_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| jiff::Timestamp::now().as_nanosecond() as u64 | 1);
        eprintln!("crash test seed: FAXKIT_CRASH_SEED={seed}");
        Rng(seed)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}
