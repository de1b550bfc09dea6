//! The benchmark harness run by `cargo xtask bench` (being built).
#![allow(clippy::print_stdout)]

fn main() {
    println!("faxkit-bench: not yet implemented");
}
