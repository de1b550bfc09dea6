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

mod account;
mod binaries;

use std::fs;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use self::account::{command_as, service_user};
use self::binaries::{ensure_binaries, find_tool};
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
/// The longest Unix socket path (`sun_path` is 108 bytes with the terminating NUL on Linux).
const SOCKET_PATH_MAX: usize = 107;
/// Attempts at a free port: another process may take the one picked before the server binds it.
const PORT_ATTEMPTS: usize = 3;

/// Where a server lives and how to reach it; what `start` records and `stop` reads back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerInfo {
    /// The directory holding `data/` (the cluster) and `postgres.log`; removed when the server stops.
    dir: PathBuf,
    /// The TCP port on 127.0.0.1.
    port: u16,
    /// The directory of `initdb` and `pg_ctl`.
    bin_dir: PathBuf,
    /// The account the server runs as; `None` when it runs as the invoking user.
    user: Option<String>,
    /// The postmaster's process id, once it runs.
    pid: Option<u32>,
}

impl ServerInfo {
    /// `postgres://postgres@127.0.0.1:PORT/faxkit_test`.
    pub(crate) fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    /// The state-file form; the URL, data directory and log are written for people and scripts, not read back.
    fn to_json(&self) -> String {
        let value = serde_json::json!({
            "url": self.url(),
            "port": self.port,
            "dir": self.dir.to_string_lossy(),
            "data_dir": self.data_dir().to_string_lossy(),
            "log": self.log_file().to_string_lossy(),
            "bin_dir": self.bin_dir.to_string_lossy(),
            "user": self.user,
            "pid": self.pid,
        });
        format!("{value:#}\n")
    }

    /// Reads the state-file form back.
    fn from_json(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let path = |key: &str| -> Result<PathBuf, String> {
            value[key].as_str().filter(|s| !s.is_empty()).map(PathBuf::from).ok_or(format!("no `{key}` path"))
        };
        let port = value["port"].as_u64().and_then(|p| u16::try_from(p).ok()).filter(|p| *p != 0);
        let optional_str = |key: &str| -> Result<Option<String>, String> {
            match &value[key] {
                serde_json::Value::Null => Ok(None),
                serde_json::Value::String(s) => Ok(Some(s.clone())),
                other => Err(format!("`{key}` is neither a string nor null: {other}")),
            }
        };
        let pid = match &value["pid"] {
            serde_json::Value::Null => None,
            v => Some(v.as_u64().and_then(|p| u32::try_from(p).ok()).ok_or(format!("`pid` is not a pid: {v}"))?),
        };
        Ok(Self {
            dir: path("dir")?,
            port: port.ok_or_else(|| format!("no valid `port`: {}", value["port"]))?,
            bin_dir: path("bin_dir")?,
            user: optional_str("user")?,
            pid,
        })
    }
}

/// Where and on which port to start a server; the defaults pick a fresh temporary directory and a free port.
#[derive(Debug, Clone, Default)]
pub(crate) struct StartOptions {
    /// A directory that does not exist yet or is empty; it is removed when the server stops.
    pub(crate) dir: Option<PathBuf>,
    /// The port on 127.0.0.1.
    pub(crate) port: Option<u16>,
}

/// A running throwaway server: dropping it stops the server and removes its directory.
///
/// ```ignore
/// let pg = PgServer::start()?;
/// cargo_test.env("FAXKIT_TEST_POSTGRES_URL", pg.url());
/// // … the server stops when `pg` goes out of scope, on success, error or panic.
/// ```
#[derive(Debug)]
pub(crate) struct PgServer {
    info: ServerInfo,
    /// Set by [`PgServer::keep`]: the server outlives this guard.
    kept: bool,
}

impl PgServer {
    /// Starts a server in a fresh temporary directory on a free loopback port.
    ///
    /// # Errors
    /// When the binaries are missing and cannot be installed, or `initdb`, the server or `createdb` fails; the
    /// message carries the tool's output or the end of the server log.
    pub(crate) fn start() -> Result<Self, String> {
        Self::start_with(&StartOptions::default())
    }

    /// Starts a server as `options` say; see [`PgServer::start`].
    pub(crate) fn start_with(options: &StartOptions) -> Result<Self, String> {
        let bin_dir = ensure_binaries()?;
        let user = service_user()?;
        let dir = match &options.dir {
            Some(dir) => prepare_dir(dir)?,
            None => fresh_temp_dir()?,
        };
        // From here on the guard owns the directory: any error below removes it (and stops a started server).
        let mut server = Self {
            info: ServerInfo { dir, port: 0, bin_dir, user: user.as_ref().map(|u| u.name.clone()), pid: None },
            kept: false,
        };
        fs::set_permissions(&server.info.dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot restrict {}: {e}", server.info.dir.display()))?;
        if let Some(user) = &user {
            std::os::unix::fs::chown(&server.info.dir, Some(user.uid), Some(user.gid))
                .map_err(|e| format!("cannot give {} to `{}`: {e}", server.info.dir.display(), user.name))?;
        }
        server.init()?;
        server.launch(options.port)?;
        server.create_database()?;
        Ok(server)
    }

    /// The URL of the test database.
    pub(crate) fn url(&self) -> String {
        self.info.url()
    }

    /// Leaves the server running after this guard is gone, and returns where it is.
    fn keep(mut self) -> ServerInfo {
        self.kept = true;
        self.info.clone()
    }

    /// `initdb` into `<dir>/data`, then the settings of a loopback-only test server.
    fn init(&self) -> Result<(), String> {
        let data = self.info.data_dir();
        let socket = data.join(".s.PGSQL.65535");
        if socket.as_os_str().len() > SOCKET_PATH_MAX {
            return Err(format!(
                "{} is too deep for a Unix socket path ({} bytes at most); use a shorter --dir",
                data.display(),
                SOCKET_PATH_MAX
            ));
        }
        let data_str = utf8(&data)?;
        // `--no-sync`: throwaway data, so not waiting for the disk (several times faster) is fine.
        let args = ["-D", data_str, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"];
        run_captured("initdb", server_command(&self.info, "initdb", &args)?).map_err(|e| self.with_access_hint(e))?;

        let settings = format!(
            "\n# faxkit test server (cargo xtask postgres): loopback only, socket in the data directory.\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = {}\n\
             max_connections = 200\n\
             # The data is thrown away after the tests, so durability is traded for speed: fine for tests only.\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n",
            conf_string(data_str)
        );
        let conf = data.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf).map_err(|e| format!("{}: {e}", conf.display()))?;
        text.push_str(&settings);
        fs::write(&conf, text).map_err(|e| format!("{}: {e}", conf.display()))
    }

    /// `pg_ctl start`, on the given port or on a free one (another if that one is taken meanwhile).
    fn launch(&mut self, port: Option<u16>) -> Result<(), String> {
        let (data, log) = (self.info.data_dir(), self.info.log_file());
        let (data, log_str) = (utf8(&data)?, utf8(&log)?);
        for attempt in 1..=PORT_ATTEMPTS {
            self.info.port = match port {
                Some(port) => port,
                None => free_port()?,
            };
            let log_len = fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
            let port_option = format!("-p {}", self.info.port);
            let args = ["-D", data, "-l", log_str, "-o", &port_option, "-w", "start"];
            let Err(e) = run_captured("pg_ctl start", server_command(&self.info, "pg_ctl", &args)?) else {
                self.info.pid = read_postmaster_pid(&self.info.data_dir());
                return Ok(());
            };
            let new_log = read_log_from(&log, log_len);
            if port.is_none() && attempt < PORT_ATTEMPTS && new_log.contains("already in use") {
                eprintln!("xtask: port {} was taken meanwhile; trying another", self.info.port);
                continue;
            }
            return Err(format!("{e}\nthe server log ends with:\n{}", last_lines(&new_log, 20)));
        }
        Err(format!("no free port on 127.0.0.1 after {PORT_ATTEMPTS} attempts"))
    }

    /// `createdb faxkit_test` over TCP, as the invoking user (connections are trusted).
    fn create_database(&self) -> Result<(), String> {
        let createdb = find_tool(&self.info.bin_dir, "createdb").ok_or_else(|| {
            format!("createdb is neither in {} nor in PATH (Debian: postgresql-client)", self.info.bin_dir.display())
        })?;
        let mut cmd = Command::new(createdb);
        cmd.args(["-h", "127.0.0.1", "-p", &self.info.port.to_string(), "-U", SUPERUSER, DATABASE]);
        run_captured(&format!("createdb {DATABASE}"), cmd).map(drop)
    }

    /// Adds why a server account may fail on a directory the user chose.
    fn with_access_hint(&self, error: String) -> String {
        match &self.info.user {
            Some(user) => format!(
                "{error}\n(`{user}` must be able to reach {}: every parent directory needs search permission)",
                self.info.dir.display()
            ),
            None => error,
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        if let Err(e) = shutdown(&self.info) {
            eprintln!("xtask: PostgreSQL in {}: {e}", self.info.dir.display());
        }
    }
}

/// Stops the server if it runs, then removes its directory.
fn shutdown(info: &ServerInfo) -> Result<(), String> {
    if info.data_dir().join("postmaster.pid").exists() && is_running(info)? {
        eprintln!("xtask: stopping PostgreSQL on port {}", info.port);
        let data_dir = info.data_dir();
        let data = utf8(&data_dir)?;
        let stop = |mode: &str| -> Result<(), String> {
            let args = ["-D", data, "-m", mode, "-w", "stop"];
            run_captured(&format!("pg_ctl stop -m {mode}"), server_command(info, "pg_ctl", &args)?).map(drop)
        };
        if let Err(e) = stop("fast") {
            eprintln!("xtask: {e}; trying immediate shutdown");
            stop("immediate").map_err(|e| format!("{e}; the server still runs, its directory is kept"))?;
        }
    }
    fs::remove_dir_all(&info.dir)
        .or_else(|e| if e.kind() == ErrorKind::NotFound { Ok(()) } else { Err(e) })
        .map_err(|e| format!("cannot remove {}: {e}", info.dir.display()))
}

/// Whether `pg_ctl status` finds the server running.
fn is_running(info: &ServerInfo) -> Result<bool, String> {
    let data = info.data_dir();
    let out = server_command(info, "pg_ctl", &["status", "-D", utf8(&data)?])?
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("pg_ctl status: cannot start: {e}"))?;
    // pg_ctl status: 0 running, 3 not running, 4 no accessible data directory.
    match out.status.code() {
        Some(0) => Ok(true),
        Some(3 | 4) => Ok(false),
        _ => Err(format!("pg_ctl status failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim())),
    }
}

/// `initdb`/`pg_ctl` of a server, as its account, from its directory (or `/` if that is gone), since the
/// account may not be able to enter the current directory.
fn server_command(info: &ServerInfo, program: &str, args: &[&str]) -> Result<Command, String> {
    let mut cmd = command_as(info.user.as_deref(), &info.bin_dir.join(program), args)?;
    cmd.current_dir(if info.dir.is_dir() { info.dir.as_path() } else { Path::new("/") });
    Ok(cmd)
}

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

/// A path as UTF-8, as the state file and the server's settings hold it.
fn utf8(path: &Path) -> Result<&str, String> {
    path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// A string value in `postgresql.conf` syntax.
fn conf_string(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', "''"))
}

// ---- directories, ports, logs ----

/// A new directory `faxkit-pg-<pid>-<n>` under the system temporary directory.
fn fresh_temp_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for n in 0..1000 {
        let dir = base.join(format!("faxkit-pg-{}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err(format!("no free name for a directory under {}", base.display()))
}

/// `--dir`: made absolute and created; it must be new or empty, since stopping the server removes it.
fn prepare_dir(dir: &Path) -> Result<PathBuf, String> {
    let dir = std::path::absolute(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if dir.to_str().is_none() {
        return Err(format!("{} is not UTF-8", dir.display()));
    }
    match fs::read_dir(&dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(dir),
        Ok(false) => Err(format!("{} is not empty (it is removed when the server stops)", dir.display())),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            Ok(dir)
        }
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// A port free on 127.0.0.1 now: bound as port 0, then released for the server.
fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// The postmaster's pid: the first line of `postmaster.pid`.
fn read_postmaster_pid(data_dir: &Path) -> Option<u32> {
    fs::read_to_string(data_dir.join("postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
}

/// The server log from byte `offset` on (what one start attempt wrote).
fn read_log_from(log: &Path, offset: u64) -> String {
    let bytes = fs::read(log).unwrap_or_default();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].iter().map(|l| format!("  {l}\n")).collect()
}

/// Runs a command with its output captured; a failure carries that output.
fn run_captured(what: &str, mut cmd: Command) -> Result<String, String> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed ({}):\n{}", out.status, last_lines(&text, 20).trim_end()))
    }
}

#[cfg(test)]
mod tests {
    use super::binaries::{DEBIAN_ROOT, find_installed};
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
