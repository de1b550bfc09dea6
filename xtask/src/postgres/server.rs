//! The server lifecycle: [`PgServer`] (init, launch on a free port, create the database, stop and remove when
//! dropped), the [`ServerInfo`] it records, and the directory, port and log helpers it needs.

use std::fs;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::account::{command_as, service_user};
use super::binaries::{ensure_binaries, find_tool};
use super::{DATABASE, SUPERUSER};

/// The longest Unix socket path (`sun_path` is 108 bytes with the terminating NUL on Linux).
const SOCKET_PATH_MAX: usize = 107;
/// Attempts at a free port: another process may take the one picked before the server binds it.
const PORT_ATTEMPTS: usize = 3;

/// Where a server lives and how to reach it; what `start` records and `stop` reads back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerInfo {
    /// The directory holding `data/` (the cluster) and `postgres.log`; removed when the server stops.
    pub(super) dir: PathBuf,
    /// The TCP port on 127.0.0.1.
    pub(super) port: u16,
    /// The directory of `initdb` and `pg_ctl`.
    pub(super) bin_dir: PathBuf,
    /// The account the server runs as; `None` when it runs as the invoking user.
    pub(super) user: Option<String>,
    /// The postmaster's process id, once it runs.
    pub(super) pid: Option<u32>,
}

impl ServerInfo {
    /// `postgres://postgres@127.0.0.1:PORT/faxkit_test`.
    pub(crate) fn url(&self) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub(super) fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub(super) fn log_file(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    /// The state-file form; the URL, data directory and log are written for people and scripts, not read back.
    pub(super) fn to_json(&self) -> String {
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
    pub(super) fn from_json(text: &str) -> Result<Self, String> {
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
    pub(super) info: ServerInfo,
    /// Set by [`PgServer::keep`]: the server outlives this guard.
    pub(super) kept: bool,
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
    pub(super) fn keep(mut self) -> ServerInfo {
        self.kept = true;
        self.info.clone()
    }

    /// `initdb` into `<dir>/data`, then the settings of a loopback-only test server.
    pub(super) fn init(&self) -> Result<(), String> {
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
    pub(super) fn launch(&mut self, port: Option<u16>) -> Result<(), String> {
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
    pub(super) fn create_database(&self) -> Result<(), String> {
        let createdb = find_tool(&self.info.bin_dir, "createdb").ok_or_else(|| {
            format!("createdb is neither in {} nor in PATH (Debian: postgresql-client)", self.info.bin_dir.display())
        })?;
        let mut cmd = Command::new(createdb);
        cmd.args(["-h", "127.0.0.1", "-p", &self.info.port.to_string(), "-U", SUPERUSER, DATABASE]);
        run_captured(&format!("createdb {DATABASE}"), cmd).map(drop)
    }

    /// Adds why a server account may fail on a directory the user chose.
    pub(super) fn with_access_hint(&self, error: String) -> String {
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
pub(super) fn shutdown(info: &ServerInfo) -> Result<(), String> {
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
pub(super) fn is_running(info: &ServerInfo) -> Result<bool, String> {
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
pub(super) fn server_command(info: &ServerInfo, program: &str, args: &[&str]) -> Result<Command, String> {
    let mut cmd = command_as(info.user.as_deref(), &info.bin_dir.join(program), args)?;
    cmd.current_dir(if info.dir.is_dir() { info.dir.as_path() } else { Path::new("/") });
    Ok(cmd)
}

/// A path as UTF-8, as the state file and the server's settings hold it.
pub(super) fn utf8(path: &Path) -> Result<&str, String> {
    path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// A string value in `postgresql.conf` syntax.
pub(super) fn conf_string(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', "''"))
}

// ---- directories, ports, logs ----

/// A new directory `faxkit-pg-<pid>-<n>` under the system temporary directory.
pub(super) fn fresh_temp_dir() -> Result<PathBuf, String> {
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
pub(super) fn prepare_dir(dir: &Path) -> Result<PathBuf, String> {
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
pub(super) fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// The postmaster's pid: the first line of `postmaster.pid`.
pub(super) fn read_postmaster_pid(data_dir: &Path) -> Option<u32> {
    fs::read_to_string(data_dir.join("postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
}

/// The server log from byte `offset` on (what one start attempt wrote).
pub(super) fn read_log_from(log: &Path, offset: u64) -> String {
    let bytes = fs::read(log).unwrap_or_default();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

pub(super) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].iter().map(|l| format!("  {l}\n")).collect()
}

/// Runs a command with its output captured; a failure carries that output.
pub(super) fn run_captured(what: &str, mut cmd: Command) -> Result<String, String> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed ({}):\n{}", out.status, last_lines(&text, 20).trim_end()))
    }
}
