//! `cargo xtask package`: every publishable crate is ready for crates.io, without publishing anything.

use std::path::Path;

use crate::util::{cargo, is_publishable, output, packages, root, step};

/// Package metadata every publishable crate must carry.
const REQUIRED: &[&str] = &["description", "license", "repository", "readme", "rust_version"];
/// The target directory of the package verification builds, emptied before each run (see
/// [`forget_earlier_packages`]).
const VERIFY_TARGET: &str = "target/package-verify";
/// Files larger than this in a package are refused.
const MAX_FILE: u64 = 1024 * 1024;
/// Names that must never end up in a package.
const STRAY: &[&str] = &[".orig", ".rej", ".swp", ".DS_Store", ".log", ".profraw", "target/", ".env"];

pub(crate) fn run() -> Result<(), String> {
    let mut problems = Vec::new();
    let pkgs = packages()?;
    for pkg in &pkgs {
        let name = pkg["name"].as_str().unwrap_or("?").to_owned();
        if !is_publishable(pkg) {
            continue;
        }
        for key in REQUIRED {
            if pkg[*key].as_str().is_none_or(str::is_empty) {
                problems.push(format!("{name}: missing `{}` in Cargo.toml", key.replace('_', "-")));
            }
        }
        if pkg["license"].as_str() != Some("MIT OR Apache-2.0") {
            problems.push(format!("{name}: license must be \"MIT OR Apache-2.0\""));
        }
        for key in ["keywords", "categories"] {
            if pkg[key].as_array().is_none_or(Vec::is_empty) {
                problems.push(format!("{name}: missing `{key}` in Cargo.toml"));
            }
        }
        if let Some(deps) = pkg["dependencies"].as_array() {
            for dep in deps {
                if dep["path"].is_string() && dep["req"].as_str() == Some("*") && dep["kind"].is_null() {
                    problems.push(format!(
                        "{name}: path dependency `{}` has no version; it would not resolve from crates.io",
                        dep["name"].as_str().unwrap_or("?")
                    ));
                }
            }
        }
        let manifest = pkg["manifest_path"].as_str().unwrap_or_default();
        let dir = Path::new(manifest).parent().unwrap_or(Path::new("."));
        if let Some(readme) = pkg["readme"].as_str()
            && !dir.join(readme).is_file()
        {
            problems.push(format!("{name}: readme {readme} does not exist"));
        }
        if pkg["metadata"]["docs"]["rs"]["all-features"].as_bool() != Some(true) {
            problems.push(format!("{name}: missing [package.metadata.docs.rs] all-features = true"));
        }
        let list = output(
            &format!("cargo package --list -p {name}"),
            cargo(&["package", "--list", "--allow-dirty", "-p", &name]),
        )?;
        for file in list.lines() {
            // `Cargo.toml.orig` is cargo's own copy of the manifest.
            if file != "Cargo.toml.orig" && STRAY.iter().any(|s| file.contains(s)) {
                problems.push(format!("{name}: stray file in package: {file}"));
            }
            if let Ok(meta) = std::fs::metadata(dir.join(file))
                && meta.len() > MAX_FILE
            {
                problems.push(format!("{name}: {file} is {} bytes (limit {MAX_FILE})", meta.len()));
            }
        }
    }
    for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
        if !root().join(license).is_file() {
            problems.push(format!("{license} is missing at the workspace root"));
        }
    }
    for unpublished in ["xtask", "faxkit-tests"] {
        if pkgs.iter().any(|p| p["name"] == unpublished && is_publishable(p)) {
            problems.push(format!("{unpublished} must have publish = false"));
        }
    }
    if !problems.is_empty() {
        return Err(format!("package checks failed:\n  - {}", problems.join("\n  - ")));
    }
    // Every publishable crate in one `cargo package` call, so they verify together against each other
    // (nothing is on crates.io yet); `publish = false` members are left out.
    let publishable: Vec<&serde_json::Value> = pkgs.iter().filter(|p| is_publishable(p)).collect();
    let mut args = vec!["package".to_owned(), "--allow-dirty".to_owned()];
    for pkg in &publishable {
        args.extend(["-p".to_owned(), pkg["name"].as_str().unwrap_or_default().to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    forget_earlier_packages(&publishable)?;
    let mut package = cargo(&args);
    package.env("CARGO_TARGET_DIR", root().join(VERIFY_TARGET));
    step("cargo package (every publishable crate)", package)?;
    eprintln!("xtask: every publishable crate is ready to publish");
    Ok(())
}

/// Makes `cargo package` verify against the crates it has just packaged, not against an earlier run's.
///
/// `cargo package` with several workspace crates "publishes" them to a temporary local registry under
/// `<target dir>/package/tmp-registry` and builds each dependent crate against that registry. Cargo treats registry
/// crates as immutable: it extracts a name and version once under `$CARGO_HOME/registry/src/<registry>/` and
/// never again, and it reuses a compiled registry crate whatever its source now says. Both caches outlive a run,
/// so the second run on one machine verified `faxcore` against the first run's `faxkit` (a function added in
/// between was "not found"). This removes our crates' extracted copies from every registry other than
/// crates.io, and the verification builds get a target directory of their own that starts empty.
fn forget_earlier_packages(publishable: &[&serde_json::Value]) -> Result<(), String> {
    let verify_target = root().join(VERIFY_TARGET);
    if verify_target.exists() {
        std::fs::remove_dir_all(&verify_target)
            .map_err(|e| format!("cannot empty {}: {e}", verify_target.display()))?;
    }
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => std::path::PathBuf::from(home),
        None => match std::env::var_os("HOME") {
            Some(home) => Path::new(&home).join(".cargo"),
            None => return Ok(()),
        },
    };
    let Ok(registries) = std::fs::read_dir(cargo_home.join("registry/src")) else { return Ok(()) };
    for registry in registries.flatten() {
        if registry.file_name().to_string_lossy().contains("crates.io") {
            continue;
        }
        for pkg in publishable {
            let (Some(name), Some(version)) = (pkg["name"].as_str(), pkg["version"].as_str()) else { continue };
            let extracted = registry.path().join(format!("{name}-{version}"));
            if extracted.exists() {
                std::fs::remove_dir_all(&extracted)
                    .map_err(|e| format!("cannot remove {}: {e}", extracted.display()))?;
            }
        }
    }
    Ok(())
}
