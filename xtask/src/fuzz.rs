//! `cargo xtask fuzz --seconds N [--target NAME]`: runs the cargo-fuzz targets in `fuzz/` (nightly), each for
//! N seconds, seeded from `fuzz/seeds/<target>/`. A crash is copied to `fuzz/regressions/<target>/`, where
//! `tests/tests/fuzz_regressions.rs` replays it on every test run, and the task fails.

use std::process::Command;

use crate::util::{root, step};

pub(crate) fn run(seconds: u64, only: Option<&str>) -> Result<(), String> {
    let fuzz = root().join("fuzz");
    let listed = std::fs::read_dir(fuzz.join("fuzz_targets")).map_err(|e| format!("fuzz/fuzz_targets: {e}"))?;
    let mut targets: Vec<String> = listed
        .flatten()
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|t| only.is_none_or(|o| o == t))
        .collect();
    targets.sort();
    if targets.is_empty() {
        return Err(format!("no fuzz target named {}", only.unwrap_or("?")));
    }
    let mut crashed = Vec::new();
    for target in &targets {
        let corpus = fuzz.join("corpus").join(target);
        let seeds = fuzz.join("seeds").join(target);
        let artifacts = fuzz.join("artifacts").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&fuzz)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .arg(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg("-rss_limit_mb=1024");
        if let Err(e) = step(&format!("fuzz {target} for {seconds}s"), cmd) {
            eprintln!("xtask: {e}");
            crashed.push(target.clone());
            let keep = fuzz.join("regressions").join(target);
            std::fs::create_dir_all(&keep).map_err(|e| e.to_string())?;
            for entry in std::fs::read_dir(&artifacts).map_err(|e| e.to_string())?.flatten() {
                let _ = std::fs::copy(entry.path(), keep.join(entry.file_name()));
            }
        }
    }
    if crashed.is_empty() {
        eprintln!("xtask: {} fuzz targets ran {seconds}s each without a crash", targets.len());
        Ok(())
    } else {
        Err(format!("fuzz targets crashed: {} (inputs kept in fuzz/regressions/)", crashed.join(", ")))
    }
}
