//! `cargo xtask package`: every publishable crate is ready for crates.io, without publishing anything.

use std::path::Path;

use crate::util::{cargo, is_publishable, output, packages, root, step};

/// Package metadata every publishable crate must carry.
const REQUIRED: &[&str] = &["description", "license", "repository", "readme", "rust_version"];
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
    let mut args = vec!["package".to_owned(), "--allow-dirty".to_owned()];
    for pkg in pkgs.iter().filter(|p| is_publishable(p)) {
        args.extend(["-p".to_owned(), pkg["name"].as_str().unwrap_or_default().to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    step("cargo package (every publishable crate)", cargo(&args))?;
    eprintln!("xtask: every publishable crate is ready to publish");
    Ok(())
}
