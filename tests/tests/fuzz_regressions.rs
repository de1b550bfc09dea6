#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Replays every fuzz seed and every input a fuzzer ever crashed on through its target, so a fixed crash
//! stays fixed. Inputs live in `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/` (files whose name
//! starts with `.`, such as `.gitkeep`, and `README.md` are not inputs).
//!
//! Every target must have both folders and at least one seed, and every input must be readable: a missing
//! folder or an unreadable file fails the test instead of quietly replaying less.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The inputs in `dir`, which must exist; panics on anything unreadable.
fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()));
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "README.md" {
            continue;
        }
        let path = entry.path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        found.push((path, data));
    }
    found.sort();
    found
}

#[test]
fn every_seed_and_past_crash_decodes_without_panicking() {
    let fuzz = fuzz_dir();
    let mut replayed = 0;
    for (name, target) in faxkit_tests::fuzz::TARGETS {
        for dir in ["seeds", "regressions"] {
            for (path, data) in inputs(&fuzz.join(dir).join(name)) {
                // Name the input if it panics, so the failure says which file to look at.
                eprintln!("replaying {}", path.display());
                target(&data);
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 50, "only {replayed} inputs found under {}", fuzz.display());
}

#[test]
fn every_fuzz_target_has_seeds_and_a_regressions_folder() {
    let fuzz = fuzz_dir();
    for (name, _) in faxkit_tests::fuzz::TARGETS {
        let seeds = fuzz.join("seeds").join(name);
        assert!(!inputs(&seeds).is_empty(), "fuzz target {name} has no seeds in {}", seeds.display());
        let regressions = fuzz.join("regressions").join(name);
        assert!(regressions.is_dir(), "fuzz target {name} has no folder {}", regressions.display());
    }
}

#[test]
fn the_targets_table_and_the_cargo_fuzz_binaries_agree() {
    let fuzz = fuzz_dir();
    let table: BTreeSet<String> = faxkit_tests::fuzz::TARGETS.iter().map(|(n, _)| (*n).to_owned()).collect();
    let dir = fuzz.join("fuzz_targets");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(table, files, "tests/src/fuzz.rs TARGETS and fuzz/fuzz_targets/*.rs differ");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for name in &table {
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{name}.rs\"")),
            "fuzz/Cargo.toml has no [[bin]] for {name}"
        );
    }
}
