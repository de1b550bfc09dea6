//! Finding the PostgreSQL server binaries, and installing Debian's `postgresql` package when they are missing.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::URL_VAR;
use super::account::is_root;
use crate::util::step;

/// The Debian package holding the server binaries.
const DEBIAN_PACKAGE: &str = "postgresql";
/// Where Debian installs each PostgreSQL major version (`<root>/<version>/bin`).
pub(super) const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// The directory of `initdb` and `pg_ctl`, installing Debian's `postgresql` package if none has them.
pub(super) fn ensure_binaries() -> Result<PathBuf, String> {
    if let Some(dir) = find_installed() {
        return Ok(dir);
    }
    eprintln!("xtask: initdb/pg_ctl found neither in PATH nor in {DEBIAN_ROOT}/*/bin; installing `{DEBIAN_PACKAGE}`");
    install_debian_package()?;
    find_installed().ok_or_else(|| {
        format!("`{DEBIAN_PACKAGE}` was installed, yet initdb/pg_ctl are neither in PATH nor in {DEBIAN_ROOT}/*/bin")
    })
}

/// The directory of `initdb` and `pg_ctl` if they are installed (see [`find_bin_dir`]).
pub(super) fn find_installed() -> Option<PathBuf> {
    find_bin_dir(std::env::var_os("PATH").as_deref(), Path::new(DEBIAN_ROOT))
}

/// The first directory holding both `initdb` and `pg_ctl`: each `PATH` entry in order, then
/// `<debian_root>/<version>/bin`, highest version first.
fn find_bin_dir(path: Option<&OsStr>, debian_root: &Path) -> Option<PathBuf> {
    let from_path = path.map(|p| std::env::split_paths(p).collect::<Vec<_>>()).unwrap_or_default();
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(debian_root)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| Some((version_key(e.file_name().to_str()?)?, e.path().join("bin"))))
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    from_path
        .into_iter()
        .chain(versions.into_iter().map(|(_, dir)| dir))
        .find(|dir| is_executable(&dir.join("initdb")) && is_executable(&dir.join("pg_ctl")))
}

/// `15` → `[15]`, `9.6` → `[9, 6]`; anything else is not a version directory.
fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// `name` in `bin_dir`, else in `PATH`.
pub(super) fn find_tool(bin_dir: &Path, name: &str) -> Option<PathBuf> {
    Some(bin_dir.join(name)).filter(|p| is_executable(p)).or_else(|| which(name))
}

/// `name` in `PATH` (and the sbin directories, which a non-root `PATH` may lack).
pub(super) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `apt-get install -y postgresql`, with `apt-get update` first only if that fails; through sudo when not root.
fn install_debian_package() -> Result<(), String> {
    let fail = |why: String| {
        format!(
            "PostgreSQL server binaries (initdb, pg_ctl) are missing and installing Debian's `{DEBIAN_PACKAGE}` \
             package failed: {why}. Install `{DEBIAN_PACKAGE}` (or put initdb and pg_ctl in PATH), or set \
             {URL_VAR} to a server of your own"
        )
    };
    if which("apt-get").is_none() {
        return Err(fail("apt-get is not available (not a Debian-like system)".into()));
    }
    let sudo = if is_root()? {
        None
    } else {
        Some(which("sudo").ok_or_else(|| fail("not root, and sudo is not available".into()))?)
    };
    let apt = |args: &[&str]| {
        let mut cmd = match &sudo {
            // sudo resets the environment, so the variable goes through `env`.
            Some(sudo) => {
                let mut cmd = Command::new(sudo);
                cmd.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                cmd
            }
            None => {
                let mut cmd = Command::new("apt-get");
                cmd.env("DEBIAN_FRONTEND", "noninteractive");
                cmd
            }
        };
        // apt's output goes to stderr: stdout of `cargo xtask postgres start` is the URL alone.
        cmd.args(args).stdout(std::io::stderr());
        cmd
    };
    let install = ["install", "-y", DEBIAN_PACKAGE];
    if step(&format!("apt-get install -y {DEBIAN_PACKAGE}"), apt(&install)).is_ok() {
        return Ok(());
    }
    step("apt-get update", apt(&["update"])).map_err(fail)?;
    step(&format!("apt-get install -y {DEBIAN_PACKAGE}"), apt(&install)).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh empty directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-postgres-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn fake_tool(dir: &Path, name: &str, mode: u32) {
        fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }

    fn fake_bin_dir(dir: &Path) {
        fake_tool(dir, "initdb", 0o755);
        fake_tool(dir, "pg_ctl", 0o755);
    }

    #[test]
    fn debian_versions_highest_first() {
        let root = scratch("versions");
        for version in ["9.6", "15", "13"] {
            fake_bin_dir(&root.join(version).join("bin"));
        }
        fs::create_dir_all(root.join("not-a-version").join("bin")).unwrap();
        assert_eq!(find_bin_dir(None, &root), Some(root.join("15").join("bin")));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn path_comes_before_debian_directories() {
        let root = scratch("path-first");
        fake_bin_dir(&root.join("debian").join("16").join("bin"));
        fake_bin_dir(&root.join("local"));
        let path = std::env::join_paths([root.join("empty"), root.join("local")]).unwrap();
        assert_eq!(find_bin_dir(Some(&path), &root.join("debian")), Some(root.join("local")));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_directory_needs_both_tools_executable() {
        let root = scratch("both-tools");
        fake_tool(&root.join("only-initdb"), "initdb", 0o755);
        fake_tool(&root.join("not-executable"), "initdb", 0o755);
        fake_tool(&root.join("not-executable"), "pg_ctl", 0o644);
        let path = std::env::join_paths([root.join("only-initdb"), root.join("not-executable")]).unwrap();
        assert_eq!(find_bin_dir(Some(&path), &root.join("no-debian")), None);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn version_directory_names() {
        assert_eq!(version_key("15"), Some(vec![15]));
        assert_eq!(version_key("9.6"), Some(vec![9, 6]));
        assert_eq!(version_key("15beta"), None);
        assert!(version_key("10") > version_key("9.6"));
    }
}
