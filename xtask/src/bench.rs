//! `cargo xtask bench`: builds the `bench/` harness in release mode and runs it (see docs/performance.md).

use crate::util::{cargo, step};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut cmd = cargo(&["run", "--release", "-p", "faxkit-bench", "--"]);
    cmd.args(args);
    step("faxkit-bench", cmd)
}
