//! A counting global allocator: current and peak bytes allocated, so a fault test can prove a hostile body
//! did not make the client buffer it. Install it in one test binary with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;` and measure with [`measure`].
//!
//! The counters are process-wide, so measured sections are serialized by [`measure`]'s lock: run the
//! memory-bounded tests of a binary through it (tests that do not measure may still run beside them and
//! add to the peak, which only makes the bound stricter).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting.
#[derive(Debug, Clone, Copy)]
pub struct CountingAlloc;

fn grew(size: usize) {
    let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(size: usize) {
    CURRENT.fetch_sub(size, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting touches only
// atomics and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

/// Bytes allocated now (0 unless [`CountingAlloc`] is the global allocator).
pub fn current() -> usize {
    CURRENT.load(Ordering::Relaxed)
}

/// Highest [`current`] since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from the current allocation.
pub fn reset_peak() {
    PEAK.store(current(), Ordering::Relaxed);
}

/// Whether the counting allocator is installed (something is allocated).
pub fn installed() -> bool {
    let probe = Box::new([0u8; 64]);
    let seen = current() >= 64;
    drop(probe);
    seen
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `fut` alone among measured sections and returns its output with the peak growth in bytes above the
/// allocation at its start.
pub async fn measure<T>(fut: impl Future<Output = T>) -> (T, usize) {
    let _serial = SERIAL.lock().await;
    let start = current();
    reset_peak();
    let out = fut.await;
    (out, peak().saturating_sub(start))
}
