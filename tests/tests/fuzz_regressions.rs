//! Replays every fuzz seed and every input a fuzzer ever crashed on through its target, so a fixed crash
//! stays fixed. Inputs live in `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/`.

use std::path::Path;

#[test]
fn every_seed_and_past_crash_decodes_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for (name, target) in faxkit_tests::fuzz::TARGETS {
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(name)) else { continue };
            for entry in entries.flatten() {
                let data = std::fs::read(entry.path()).unwrap_or_default();
                target(&data);
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 30, "only {replayed} inputs found under {}", fuzz.display());
}

#[test]
fn every_fuzz_target_has_seeds() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
    for (name, _) in faxkit_tests::fuzz::TARGETS {
        let count = std::fs::read_dir(seeds.join(name)).map(|d| d.count()).unwrap_or(0);
        assert!(count > 0, "fuzz target {name} has no seeds in {}", seeds.display());
    }
}
