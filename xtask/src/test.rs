//! `cargo xtask test`: format, lint, and every test in the workspace, with one summary line.
//!
//! The tests get a PostgreSQL database: `FAXKIT_TEST_POSTGRES_URL` as the user set it, or a throwaway server
//! started after fmt and clippy and stopped at the end whatever happened (see `postgres.rs`). Every `cargo test`
//! also gets `FAXKIT_REQUIRE_POSTGRES=1`, so a test that needs Postgres fails rather than skips without it.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::postgres::TestDatabase;
use crate::util::{cargo, is_publishable, packages, step};

/// Every test: unit, integration and binary tests, then doc tests, with the counts summed.
///
/// Examples are compiled (and linted) by `cargo clippy --all-targets`, not here: every vendor crate has
/// examples named `send` and `inbound` (`cargo run -p interfax --example send`), and building them all in one
/// `cargo test --workspace` puts same-named binaries in one `target/debug/examples` (cargo's "output filename
/// collision" warning, rust-lang/cargo#6313).
///
/// `env` is set on every `cargo test` (the test database's variables).
pub(crate) fn run_tests(env: &[(&str, String)]) -> Result<(u64, u64), String> {
    let (mut passed, mut failed) = (0, 0);
    for targets in [&["--lib", "--bins", "--tests"][..], &["--doc"]] {
        let (p, f) = run_cargo_test(targets, env)?;
        passed += p;
        failed += f;
    }
    Ok((passed, failed))
}

fn run_cargo_test(targets: &[&str], env: &[(&str, String)]) -> Result<(u64, u64), String> {
    let mut args = vec!["test", "--workspace", "--all-features", "--no-fail-fast", "--color", "never"];
    args.extend_from_slice(targets);
    eprintln!("xtask: cargo {}", args.join(" "));
    let mut child = cargo(&args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cargo test: cannot start: {e}"))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some((p, f)) = parse_result_line(&line) {
                passed += p;
                failed += f;
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo test: {e}"))?;
    if !status.success() && failed == 0 {
        failed += 1; // a build failure or a crashed test binary counts as a failure
    }
    Ok((passed, failed))
}

/// Reads `test result: ok. 12 passed; 0 failed; …`.
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let idx = rest.find(word)?;
        rest[..idx].trim_end().rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

pub(crate) fn run() -> Result<(), String> {
    step("cargo fmt --check", cargo(&["fmt", "--all", "--", "--check"]))?;
    step(
        "cargo clippy (warnings denied)",
        cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]),
    )?;
    let database = TestDatabase::acquire().map_err(|e| {
        format!(
            "PostgreSQL for the tests could not be started, and tests that need it must not be skipped: {e}\n\
             (to use a server of your own, set {}=postgres://…)",
            crate::postgres::URL_VAR
        )
    })?;
    let result = run_tests(&database.env());
    drop(database); // stops a server started here, before the summary, also when the tests could not run
    let (passed, failed) = result?;
    println!("{passed} passed, {failed} failed");
    if failed > 0 { Err(format!("{failed} test(s) failed")) } else { Ok(()) }
}

/// `cargo doc` with warnings denied (broken intra-doc links fail).
pub(crate) fn docs() -> Result<(), String> {
    let mut cmd = cargo(&["doc", "--workspace", "--all-features", "--no-deps"]);
    cmd.env("RUSTDOCFLAGS", "-D warnings");
    step("cargo doc (warnings denied)", cmd)
}

/// Every publishable crate compiles without its default features.
pub(crate) fn no_default_features() -> Result<(), String> {
    for pkg in packages()?.iter().filter(|p| is_publishable(p)) {
        let name = pkg["name"].as_str().unwrap_or_default();
        step(
            &format!("cargo check -p {name} --no-default-features"),
            cargo(&["check", "-p", name, "--no-default-features"]),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_cargo_test_summaries() {
        assert_eq!(parse_result_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured"), Some((12, 0)));
        assert_eq!(parse_result_line("test result: FAILED. 3 passed; 2 failed; 0 ignored"), Some((3, 2)));
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
