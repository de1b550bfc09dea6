//! Running cargo from the workspace root.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (the parent of this crate).
pub(crate) fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// A `cargo` command in the workspace root.
pub(crate) fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(args).current_dir(root());
    c
}

/// Runs a command, streaming its output; errors if it fails.
pub(crate) fn step(what: &str, mut cmd: Command) -> Result<(), String> {
    eprintln!("xtask: {what}");
    let status = cmd.status().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed ({status})")) }
}

/// Runs a command and captures stdout (stderr passes through).
pub(crate) fn output(what: &str, mut cmd: Command) -> Result<String, String> {
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})", out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{what}: output is not UTF-8: {e}"))
}

/// The workspace packages from `cargo metadata`.
pub(crate) fn packages() -> Result<Vec<serde_json::Value>, String> {
    let text = output("cargo metadata", cargo(&["metadata", "--format-version", "1", "--no-deps"]))?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("cargo metadata: {e}"))?;
    Ok(meta["packages"].as_array().cloned().unwrap_or_default())
}

/// Whether a package from `cargo metadata` may be published.
pub(crate) fn is_publishable(pkg: &serde_json::Value) -> bool {
    !matches!(pkg["publish"].as_array(), Some(registries) if registries.is_empty())
}
