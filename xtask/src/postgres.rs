//! `cargo xtask postgres start|stop|url`: a throwaway PostgreSQL server on loopback for the tests.
//!
//! `cargo xtask test` starts one in-process ([`TestDatabase::acquire`], a [`PgServer`] guard) and hands its URL
//! to every `cargo test` as `FAXKIT_TEST_POSTGRES_URL`, with `FAXKIT_REQUIRE_POSTGRES=1`; `cargo xtask postgres
//! start` starts one that outlives the command, recorded in `target/postgres/current.json` for `stop` and `url`.
//!
//! The server:
//! - comes from `initdb` and `pg_ctl` found in `PATH` or in `/usr/lib/postgresql/<version>/bin` (highest
//!   version first); when neither has them, Debian's `postgresql` package is installed with apt-get;
//! - runs as an unprivileged account: PostgreSQL refuses to run as root, so as root its directory is given to the
//!   system user `faxkit-pg` (created if missing, `nobody` if it cannot be) and `initdb`/`pg_ctl` run through
//!   `runuser` (or `setpriv`, or `su`);
//! - listens on 127.0.0.1 only, on a free port, with its Unix socket inside its data directory, and trusts every
//!   connection as `postgres`; it holds a database `faxkit_test`;
//! - lives in a fresh directory (by default under the system temporary directory, which that account can reach
//!   wherever the checkout is, and short enough for a Unix socket path), removed when the server stops.
//!
//! The server's lifecycle is in `postgres/server.rs`; this file holds the commands and the test database.

mod account;
mod binaries;
mod server;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

pub(crate) use self::server::{PgServer, ServerInfo, StartOptions};
use self::server::{is_running, shutdown};
use crate::util::root;

/// The variable carrying the URL of the test database to every `cargo test`.
pub(crate) const URL_VAR: &str = "FAXKIT_TEST_POSTGRES_URL";
/// Set to `1` by `cargo xtask test`: a test that needs Postgres must then fail, not skip, without the URL.
pub(crate) const REQUIRE_VAR: &str = "FAXKIT_REQUIRE_POSTGRES";

/// The database created for the tests.
const DATABASE: &str = "faxkit_test";
/// The superuser `initdb` creates; connections authenticate as it.
const SUPERUSER: &str = "postgres";
/// Where `cargo xtask postgres start` records its server, relative to the workspace root.
const STATE_FILE: &str = "target/postgres/current.json";

// ---- cargo xtask postgres start | stop | url ----

/// `cargo xtask postgres start`: starts a server that outlives the command, records it and prints its URL.
pub(crate) fn start(dir: Option<PathBuf>, port: Option<u16>) -> Result<(), String> {
    let state = root().join(STATE_FILE);
    if let Some(old) = read_state(&state)? {
        if is_running(&old)? {
            return Err(format!(
                "a server already runs at {} (recorded in {}); `cargo xtask postgres stop` first",
                old.url(),
                state.display()
            ));
        }
        eprintln!("xtask: the server recorded in {} is not running; cleaning it up", state.display());
        remove_recorded(&old)?;
        fs::remove_file(&state).map_err(|e| format!("cannot remove {}: {e}", state.display()))?;
    }
    let server = PgServer::start_with(&StartOptions { dir, port })?;
    // If the state cannot be written, `server` is dropped here and the server stops: no unrecorded leftovers.
    write_state(&state, &server.info)?;
    let info = server.keep();
    eprintln!(
        "xtask: PostgreSQL runs as {} (pid {}), data in {}, log {}; recorded in {}",
        info.user.as_deref().unwrap_or("the invoking user"),
        info.pid.map_or("?".to_string(), |p| p.to_string()),
        info.data_dir().display(),
        info.log_file().display(),
        state.display()
    );
    println!("{}", info.url());
    Ok(())
}

/// `cargo xtask postgres stop`: stops the recorded server and removes its directory.
pub(crate) fn stop() -> Result<(), String> {
    let state = root().join(STATE_FILE);
    let Some(info) = read_state(&state)? else {
        eprintln!("xtask: no server recorded in {}; nothing to stop", state.display());
        return Ok(());
    };
    if !info.dir.exists() {
        eprintln!("xtask: {} is gone (and its server with it); forgetting it", info.dir.display());
        return fs::remove_file(&state).map_err(|e| format!("cannot remove {}: {e}", state.display()));
    }
    if !looks_like_server_dir(&info.dir) {
        return Err(format!(
            "{} (recorded in {}) holds no PostgreSQL cluster; not removing it",
            info.dir.display(),
            state.display()
        ));
    }
    shutdown(&info)?;
    fs::remove_file(&state).map_err(|e| format!("cannot remove {}: {e}", state.display()))?;
    eprintln!("xtask: stopped; removed {}", info.dir.display());
    Ok(())
}

/// `cargo xtask postgres url`: prints the URL of the recorded server, if it runs.
pub(crate) fn url() -> Result<(), String> {
    let state = root().join(STATE_FILE);
    let info = read_state(&state)?
        .ok_or_else(|| format!("no server recorded in {}; `cargo xtask postgres start`", state.display()))?;
    if !is_running(&info)? {
        return Err(format!("the server recorded in {} ({}) is not running", state.display(), info.url()));
    }
    println!("{}", info.url());
    Ok(())
}

/// Removes the directory of a recorded server that no longer runs, if it is one.
fn remove_recorded(info: &ServerInfo) -> Result<(), String> {
    if !info.dir.exists() {
        return Ok(());
    }
    if !looks_like_server_dir(&info.dir) {
        return Err(format!("{} holds no PostgreSQL cluster; not removing it", info.dir.display()));
    }
    fs::remove_dir_all(&info.dir).map_err(|e| format!("cannot remove {}: {e}", info.dir.display()))
}

/// Whether `dir` holds what [`PgServer`] made (`data/PG_VERSION`): a guard before removing a recorded path.
fn looks_like_server_dir(dir: &Path) -> bool {
    dir.join("data").join("PG_VERSION").is_file()
}

fn read_state(path: &Path) -> Result<Option<ServerInfo>, String> {
    match fs::read_to_string(path) {
        Ok(text) => ServerInfo::from_json(&text).map(Some).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn write_state(path: &Path, info: &ServerInfo) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let partial = path.with_extension("json.partial");
    fs::write(&partial, info.to_json()).map_err(|e| format!("{}: {e}", partial.display()))?;
    fs::rename(&partial, path).map_err(|e| format!("{}: {e}", path.display()))
}

// ---- the database cargo xtask test hands to the tests ----

/// The database `cargo xtask test` gives the tests: `FAXKIT_TEST_POSTGRES_URL` as the user set it, or a
/// throwaway server, stopped when this is dropped.
#[derive(Debug)]
pub(crate) enum TestDatabase {
    /// The user's own server; nothing is started or stopped.
    FromEnv(String),
    /// A server started for this run.
    Started(PgServer),
}

impl TestDatabase {
    /// Uses a non-empty `FAXKIT_TEST_POSTGRES_URL`, or starts a server.
    pub(crate) fn acquire() -> Result<Self, String> {
        Self::acquire_from(std::env::var(URL_VAR).ok())
    }

    /// Uses `url` unless it is missing or blank, or starts a server.
    fn acquire_from(url: Option<String>) -> Result<Self, String> {
        match url {
            Some(url) if !url.trim().is_empty() => {
                eprintln!("xtask: PostgreSQL from {URL_VAR} (no server started)");
                Ok(Self::FromEnv(url))
            }
            _ => {
                eprintln!("xtask: starting a throwaway PostgreSQL for the tests");
                let server = PgServer::start()?;
                eprintln!("xtask: PostgreSQL at {}", server.url());
                Ok(Self::Started(server))
            }
        }
    }

    /// The environment of every `cargo test`: the URL, and the demand that Postgres tests fail without it.
    pub(crate) fn env(&self) -> [(&'static str, String); 2] {
        let url = match self {
            Self::FromEnv(url) => url.clone(),
            Self::Started(server) => server.url(),
        };
        [(URL_VAR, url), (REQUIRE_VAR, "1".to_string())]
    }
}

#[cfg(test)]
mod tests {
    use super::binaries::{DEBIAN_ROOT, find_installed};
    use super::server::{conf_string, prepare_dir};
    use super::*;

    /// A fresh empty directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-postgres-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn state_file_round_trips() {
        let info = ServerInfo {
            dir: PathBuf::from("/tmp/faxkit-pg-42-0"),
            port: 54321,
            bin_dir: PathBuf::from("/usr/lib/postgresql/15/bin"),
            user: Some("faxkit-pg".into()),
            pid: Some(4242),
        };
        let json = info.to_json();
        assert!(json.contains("\"url\": \"postgres://postgres@127.0.0.1:54321/faxkit_test\""), "{json}");
        assert!(json.contains("\"data_dir\": \"/tmp/faxkit-pg-42-0/data\""), "{json}");
        assert_eq!(ServerInfo::from_json(&json), Ok(info.clone()));

        let as_invoker = ServerInfo { user: None, pid: None, ..info };
        assert_eq!(ServerInfo::from_json(&as_invoker.to_json()), Ok(as_invoker));
    }

    #[test]
    fn state_file_errors_name_the_field() {
        let err = |text: &str| ServerInfo::from_json(text).unwrap_err();
        assert!(err("{").starts_with("not JSON"));
        assert!(err(r#"{"port": 5432, "bin_dir": "/b"}"#).contains("`dir`"));
        assert!(err(r#"{"dir": "/d", "port": 70000, "bin_dir": "/b"}"#).contains("`port`"));
        assert!(err(r#"{"dir": "/d", "port": 5432, "bin_dir": "/b", "pid": "x"}"#).contains("`pid`"));
        assert!(err(r#"{"dir": "/d", "port": 5432, "bin_dir": "/b", "user": 0}"#).contains("`user`"));
    }

    #[test]
    fn a_url_from_the_user_is_used_as_is_and_required() {
        let database = TestDatabase::acquire_from(Some("postgres://me@db.test:5433/mine".into())).unwrap();
        assert!(matches!(database, TestDatabase::FromEnv(_)), "{database:?}");
        assert_eq!(
            database.env(),
            [(URL_VAR, "postgres://me@db.test:5433/mine".to_string()), (REQUIRE_VAR, "1".to_string())]
        );
    }

    #[test]
    fn conf_strings_are_quoted() {
        assert_eq!(conf_string(r"/d/it's\x"), r"'/d/it''s\\x'");
    }

    #[test]
    fn only_a_cluster_directory_is_removed() {
        let root = scratch("cluster-dir");
        assert!(!looks_like_server_dir(&root));
        fs::create_dir_all(root.join("data")).unwrap();
        fs::write(root.join("data").join("PG_VERSION"), "15\n").unwrap();
        assert!(looks_like_server_dir(&root));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn dir_option_must_be_new_or_empty() {
        let root = scratch("dir-option");
        assert_eq!(prepare_dir(&root.join("new")), Ok(root.join("new")));
        assert!(root.join("new").is_dir());
        fs::write(root.join("new").join("file"), "").unwrap();
        assert!(prepare_dir(&root.join("new")).unwrap_err().contains("not empty"));
        fs::remove_dir_all(&root).unwrap();
    }

    /// A real server through the guard (a few seconds). This is itself a Postgres test, so it follows the rule it
    /// serves: without server binaries it is skipped, unless `FAXKIT_REQUIRE_POSTGRES=1` (as under `cargo xtask
    /// test`, which installs them first), where it fails.
    #[test]
    fn guard_starts_a_server_and_removes_it_when_dropped() {
        if find_installed().is_none() {
            assert!(
                std::env::var(REQUIRE_VAR).as_deref() != Ok("1"),
                "{REQUIRE_VAR}=1 but no initdb/pg_ctl in PATH or {DEBIAN_ROOT}/*/bin"
            );
            eprintln!("skipped: no PostgreSQL server binaries (set {REQUIRE_VAR}=1 to make this a failure)");
            return;
        }
        let server = PgServer::start().unwrap();
        let info = server.info.clone();
        assert_eq!(server.url(), format!("postgres://postgres@127.0.0.1:{}/faxkit_test", info.port));
        assert!(std::net::TcpStream::connect(("127.0.0.1", info.port)).is_ok());
        assert!(is_running(&info).unwrap());
        let pid = info.pid.unwrap();
        assert!(Path::new(&format!("/proc/{pid}")).exists());
        drop(server);
        assert!(!info.dir.exists(), "{} is left", info.dir.display());
        assert!(std::net::TcpStream::connect(("127.0.0.1", info.port)).is_err());
    }
}
