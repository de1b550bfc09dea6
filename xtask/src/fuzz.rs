//! `cargo xtask fuzz --seconds N [--target NAME]`: builds every cargo-fuzz target in `fuzz/` once (nightly,
//! AddressSanitizer), then runs each for N seconds of libFuzzer time, seeded from `fuzz/seeds/<target>/` and the
//! past crashes in `fuzz/regressions/<target>/`, with inputs up to 256 KiB (deep nesting, large bodies in small
//! chunks), a 10 s limit per input and a 2 GiB memory limit.
//!
//! Each target's result is reported on one line. When a target finds a crash, a hang or an out-of-memory input,
//! the input is minimised (`cargo fuzz tmin`, bounded in time) and copied into `fuzz/regressions/<target>/`,
//! where `tests/tests/fuzz_regressions.rs` replays it on every test run, and the task fails.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::util::{root, step};

/// Longest input libFuzzer generates: large enough for nesting far past every parser's depth limit.
const MAX_LEN: usize = 256 * 1024;
/// Seconds one input may take before it counts as a hang.
const INPUT_TIMEOUT: u64 = 10;
/// Memory limit of a fuzzing process, in MiB.
const RSS_LIMIT_MB: u64 = 2048;
/// Seconds `cargo fuzz tmin` may spend minimising one input.
const TMIN_SECONDS: u64 = 60;
/// Targets fuzzed at once.
const PARALLEL: usize = 2;

pub(crate) fn run(seconds: u64, only: Option<&str>) -> Result<(), String> {
    let fuzz = root().join("fuzz");
    let targets = targets(&fuzz, only)?;
    let started = Instant::now();
    let mut build = cargo_fuzz(&fuzz, "build");
    if let Some(target) = only {
        build.arg(target);
    }
    step("build the fuzz targets (cargo +nightly fuzz build)", build)?;
    eprintln!("xtask: fuzz targets built in {}s", started.elapsed().as_secs());

    // Two targets at a time (CI has two cores), each its own built binary: `cargo fuzz run` would check the
    // build again before every target.
    let lanes: Vec<Vec<&String>> =
        (0..PARALLEL).map(|lane| targets.iter().skip(lane).step_by(PARALLEL).collect()).collect();
    let outcomes: Vec<Result<Vec<(String, String)>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lanes
            .iter()
            .map(|lane| {
                let fuzz = &fuzz;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for target in lane {
                        let outcome = run_target(fuzz, target, seconds)?;
                        eprintln!("xtask: fuzz {target}: {outcome}");
                        out.push(((*target).clone(), outcome));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a fuzz lane panicked".to_owned()))).collect()
    });
    let mut results = Vec::new();
    for lane in outcomes {
        results.extend(lane?);
    }
    results.sort();
    let mut failed = Vec::new();
    let mut report = Vec::new();
    for (target, outcome) in &results {
        report.push(format!("  {target:<20} {outcome}"));
        if !outcome.starts_with("ok") {
            failed.push(target.clone());
        }
    }
    eprintln!("xtask: fuzz results ({seconds}s per target, {}s in all):", started.elapsed().as_secs());
    for line in &report {
        eprintln!("{line}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz targets failed: {} (minimised inputs in fuzz/regressions/<target>/; commit them with the fix)",
            failed.join(", ")
        ))
    }
}

/// The targets in `fuzz/fuzz_targets/`, sorted, or just `only`.
fn targets(fuzz: &Path, only: Option<&str>) -> Result<Vec<String>, String> {
    let listed = std::fs::read_dir(fuzz.join("fuzz_targets")).map_err(|e| format!("fuzz/fuzz_targets: {e}"))?;
    let mut targets: Vec<String> = listed
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|t| only.is_none_or(|o| o == t))
        .collect();
    targets.sort();
    if targets.is_empty() {
        return Err(format!("no fuzz target named {}", only.unwrap_or("?")));
    }
    Ok(targets)
}

/// `cargo +nightly fuzz <sub>` in `fuzz/`.
fn cargo_fuzz(fuzz: &Path, sub: &str) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(fuzz).args(["+nightly", "fuzz", sub]);
    cmd
}

/// Fuzzes one target for `seconds`; answers `ok …` or what went wrong. Only setup errors are `Err`.
fn run_target(fuzz: &Path, target: &str, seconds: u64) -> Result<String, String> {
    let corpus = fuzz.join("corpus").join(target);
    let seeds = fuzz.join("seeds").join(target);
    let regressions = fuzz.join("regressions").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    // Artifacts of earlier runs are not this run's findings.
    let _ = std::fs::remove_dir_all(&artifacts);
    for dir in [&corpus, &artifacts, &regressions] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let log_path = fuzz.join("artifacts").join(format!("{target}.log"));
    let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(binary(fuzz, target)?);
    // libFuzzer writes new inputs into the first folder only; seeds and regressions are read.
    cmd.current_dir(fuzz)
        .arg(&corpus)
        .arg(&seeds)
        .arg(&regressions)
        .args(libfuzzer_flags(&artifacts))
        .arg(format!("-max_total_time={seconds}"))
        .arg("-print_final_stats=1")
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err));
    eprintln!("xtask: fuzz {target} for {seconds}s (log: {})", log_path.display());
    let status = cmd.status().map_err(|e| format!("cargo fuzz run {target}: cannot start: {e}"))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let found = findings(&artifacts);
    if status.success() && found.is_empty() {
        return Ok(format!("ok, {}", stats(&text)));
    }
    // Show what the fuzzer said about the failure.
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    for line in tail.iter().rev() {
        eprintln!("  | {line}");
    }
    if found.is_empty() {
        return Ok(format!("FAILED ({status}) without an input to keep; see {}", log_path.display()));
    }
    let mut kept = Vec::new();
    for input in &found {
        let minimised = minimise(fuzz, target, input, &artifacts);
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dest = regressions.join(&name);
        std::fs::copy(&minimised, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        kept.push(dest.display().to_string());
    }
    Ok(format!("FAILED: kept {}", kept.join(", ")))
}

/// The binary `cargo fuzz build` made for `target` (`fuzz/target/<host triple>/release/<target>`).
fn binary(fuzz: &Path, target: &str) -> Result<PathBuf, String> {
    let built = fuzz.join("target");
    let triples = std::fs::read_dir(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    triples
        .flatten()
        .map(|t| t.path().join("release").join(target))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("no binary for fuzz target {target} under {}", built.display()))
}

/// The flags every libFuzzer run gets.
fn libfuzzer_flags(artifacts: &Path) -> Vec<String> {
    vec![
        format!("-max_len={MAX_LEN}"),
        format!("-timeout={INPUT_TIMEOUT}"),
        format!("-rss_limit_mb={RSS_LIMIT_MB}"),
        format!("-malloc_limit_mb={RSS_LIMIT_MB}"),
        format!("-artifact_prefix={}/", artifacts.display()),
    ]
}

/// The inputs libFuzzer saved for a crash, hang, leak or out-of-memory.
fn findings(artifacts: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(artifacts) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            ["crash-", "timeout-", "oom-", "leak-"].iter().any(|k| name.starts_with(k))
        })
        .collect();
    found.sort();
    found
}

/// Minimises `input` with `cargo fuzz tmin` for at most [`TMIN_SECONDS`]; answers the smallest input that
/// still fails, or `input` itself when minimising did not produce one.
fn minimise(fuzz: &Path, target: &str, input: &Path, artifacts: &Path) -> PathBuf {
    let before: Vec<PathBuf> = minimised_files(artifacts);
    let mut cmd = cargo_fuzz(fuzz, "tmin");
    cmd.arg(target)
        .arg(input)
        .arg("--")
        .args(libfuzzer_flags(artifacts))
        .arg(format!("-max_total_time={TMIN_SECONDS}"));
    if let Err(e) = step(&format!("minimise {}", input.display()), cmd) {
        eprintln!("xtask: {e}; keeping the input as found");
    }
    let newest = minimised_files(artifacts)
        .into_iter()
        .filter(|p| !before.contains(p))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
        .min();
    newest.map_or_else(|| input.to_path_buf(), |(_, p)| p)
}

/// The `minimized-from-*` files libFuzzer wrote into `artifacts`.
fn minimised_files(artifacts: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(artifacts) else { return Vec::new() };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("minimized-from-")))
        .collect()
}

/// A short summary of libFuzzer's final statistics: runs, coverage, corpus size, peak memory.
fn stats(log: &str) -> String {
    let stat = |key: &str| {
        log.lines()
            .find_map(|l| l.strip_prefix(&format!("stat::{key}:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    let coverage = log
        .lines()
        .rev()
        .find_map(|l| l.split_once("cov: ").and_then(|(_, r)| r.split_whitespace().next()))
        .unwrap_or("?");
    format!(
        "{} runs ({}/s), coverage {coverage}, corpus {}, peak {} MiB",
        stat("number_of_executed_units"),
        stat("average_exec_per_sec"),
        stat("new_units_added"),
        stat("peak_rss_mb")
    )
}
