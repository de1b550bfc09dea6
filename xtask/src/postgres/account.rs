//! The unprivileged account the server runs as, and running `initdb`/`pg_ctl` as it.
//!
//! PostgreSQL refuses to run as root (`initdb: cannot be run as root`), and CI runs as root: there the server
//! gets the system user `faxkit-pg` (created on first use) or, if it cannot be created, `nobody`.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::binaries::which;
use super::server::{run_captured, utf8};

/// The system account the server runs as when xtask runs as root.
const SERVICE_USER: &str = "faxkit-pg";
/// The account used when [`SERVICE_USER`] cannot be created.
const FALLBACK_USER: &str = "nobody";

/// An account by name and ids.
#[derive(Debug, Clone)]
pub(super) struct Account {
    pub(super) name: String,
    pub(super) uid: u32,
    pub(super) gid: u32,
}

/// The account the server runs as: `None` (the invoking user) unless that is root; then `faxkit-pg`, created if
/// missing, or `nobody` if it cannot be.
pub(super) fn service_user() -> Result<Option<Account>, String> {
    if !is_root()? {
        return Ok(None);
    }
    if let Some(account) = account(SERVICE_USER) {
        return Ok(Some(account));
    }
    let mut useradd = Command::new(which("useradd").unwrap_or_else(|| PathBuf::from("useradd")));
    useradd.args(["--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin"]);
    useradd.args(["--comment", "faxkit test PostgreSQL", SERVICE_USER]);
    match run_captured(&format!("useradd {SERVICE_USER}"), useradd) {
        Ok(_) => eprintln!("xtask: created the system user `{SERVICE_USER}` to run PostgreSQL"),
        Err(e) => eprintln!("xtask: {e}"),
    }
    // Another run may have created it meanwhile, so look again rather than trusting useradd's status.
    if let Some(account) = account(SERVICE_USER) {
        return Ok(Some(account));
    }
    eprintln!("xtask: running PostgreSQL as `{FALLBACK_USER}`");
    account(FALLBACK_USER)
        .map(Some)
        .ok_or_else(|| format!("running as root, and neither `{SERVICE_USER}` nor `{FALLBACK_USER}` exists"))
}

/// The ids of `name`, if it exists (`id -u`, `id -g`).
fn account(name: &str) -> Option<Account> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, name]).stderr(Stdio::null()).output().ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some(Account { name: name.to_string(), uid: id("-u")?, gid: id("-g")? })
}

/// Whether this process runs as root: its `/proc/self` belongs to uid 0, or (without `/proc`) `id -u` says 0.
pub(super) fn is_root() -> Result<bool, String> {
    if let Ok(meta) = fs::metadata("/proc/self") {
        return Ok(meta.uid() == 0);
    }
    let out = Command::new("id").arg("-u").output().map_err(|e| format!("id -u: cannot start: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A tool that runs a command as another account (root only).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Switch {
    /// util-linux `runuser -u USER -- program args…`.
    Runuser(PathBuf),
    /// util-linux `setpriv --reuid=UID --regid=GID --clear-groups -- program args…`.
    Setpriv(PathBuf),
    /// `su -s /bin/sh -c 'program args…' USER` (the account's own shell may be nologin).
    Su(PathBuf),
}

impl Switch {
    /// The first of runuser, setpriv and su found.
    fn find() -> Option<Self> {
        which("runuser")
            .map(Self::Runuser)
            .or_else(|| which("setpriv").map(Self::Setpriv))
            .or_else(|| which("su").map(Self::Su))
    }

    fn command(&self, user: &str, program: &Path, args: &[&str]) -> Result<Command, String> {
        Ok(match self {
            Self::Runuser(runuser) => {
                let mut cmd = Command::new(runuser);
                cmd.args(["-u", user, "--"]).arg(program).args(args);
                cmd
            }
            Self::Setpriv(setpriv) => {
                let account = account(user).ok_or_else(|| format!("no user `{user}`"))?;
                let mut cmd = Command::new(setpriv);
                cmd.arg(format!("--reuid={}", account.uid)).arg(format!("--regid={}", account.gid));
                cmd.args(["--clear-groups", "--"]).arg(program).args(args);
                cmd
            }
            Self::Su(su) => {
                let mut words = vec![shell_quote(utf8(program)?)];
                words.extend(args.iter().map(|arg| shell_quote(arg)));
                let mut cmd = Command::new(su);
                cmd.args(["-s", "/bin/sh", "-c", &words.join(" "), user]);
                cmd
            }
        })
    }
}

/// `program args…` as `user` (through [`Switch::find`]), or as is when `None`.
pub(super) fn command_as(user: Option<&str>, program: &Path, args: &[&str]) -> Result<Command, String> {
    let Some(user) = user else {
        let mut cmd = Command::new(program);
        cmd.args(args);
        return Ok(cmd);
    };
    let switch = Switch::find().ok_or_else(|| {
        format!("PostgreSQL cannot run as root, and none of runuser, setpriv, su is here to run it as `{user}`")
    })?;
    switch.command(user, program, args)
}

/// One word for `sh -c`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_for_su() {
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }

    /// Each switch found here runs a command as `nobody`, arguments intact. Only root can switch accounts; as
    /// another user there is nothing to test (the server then runs as that user).
    #[test]
    fn every_switch_runs_as_the_account() {
        if !is_root().unwrap() {
            return;
        }
        let switches: Vec<Switch> =
            [which("runuser").map(Switch::Runuser), which("setpriv").map(Switch::Setpriv), which("su").map(Switch::Su)]
                .into_iter()
                .flatten()
                .collect();
        assert!(!switches.is_empty(), "root, yet no runuser, setpriv or su");
        let sh = which("sh").unwrap();
        for switch in switches {
            let mut cmd = switch.command("nobody", &sh, &["-c", "id -un; echo \"$0\"", "it's a b"]).unwrap();
            cmd.current_dir("/");
            let out = cmd.output().unwrap();
            assert!(out.status.success(), "{switch:?}: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(String::from_utf8_lossy(&out.stdout), "nobody\nit's a b\n", "{switch:?}");
        }
    }
}
