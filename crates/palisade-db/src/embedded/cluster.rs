//! Cluster lifecycle: init once, start (or adopt a running one, or clear a stale pid), stop.
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::binaries::{find_binaries, PgBinaries};
use super::os_user::{command, RunAs};
use crate::connect::{connect_once, Target};
use crate::DbError;

/// Socket file name is `.s.PGSQL.<port>`; the port is only a name here (no TCP listener).
const PORT: u16 = 5432;
/// `sun_path` holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH: usize = 107;
pub const SUPERUSER: &str = "postgres";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no PostgreSQL server binaries (version {min}+) found{found_note}. Install them, e.g. \
         `apt-get install postgresql` (Debian/Ubuntu), or set DATABASE_URL to use an existing server",
        min = super::binaries::MIN_MAJOR,
        found_note = if found.is_empty() { String::new() } else { format!(" (found only versions {found:?})") }
    )]
    NoBinaries { found: Vec<u32> },
    #[error(
        "the data directory holds a PostgreSQL {cluster} cluster but only versions {available:?} are \
         installed; install postgresql-{cluster} or choose another data directory"
    )]
    VersionMismatch { cluster: u32, available: Vec<u32> },
    #[error("OS user `{name}` not found: as root, PostgreSQL must run as an unprivileged user (set database.embedded.os_user)")]
    NoOsUser { name: String },
    #[error(
        "OS user `{user}` cannot reach {path}: a parent directory is not searchable by that user. \
         Choose a data directory it can reach (e.g. --data-dir /var/lib/palisade) or run as a non-root user"
    )]
    NotReachable { user: String, path: PathBuf },
    #[error("socket path {path} is longer than {MAX_SOCKET_PATH} bytes; choose a shorter data directory")]
    SocketPathTooLong { path: PathBuf },
    #[error("{what} failed: {detail}")]
    Tool { what: String, detail: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Clone, Debug, Default)]
pub struct ClusterSettings {
    /// Palisade's data directory; the cluster lives in `<data_dir>/pg`.
    pub data_dir: PathBuf,
    /// OS user to run PostgreSQL as when this process is root (default `postgres`).
    pub os_user: Option<String>,
    /// Use the server binaries in this directory instead of searching.
    pub bin_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartOutcome {
    Started,
    /// A server from an earlier run (that did not stop it) was still running on this data directory.
    Adopted,
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pgdata: PathBuf,
    log_file: PathBuf,
    bins: PgBinaries,
    run_as: Option<RunAs>,
}

impl Cluster {
    /// Finds binaries, creates the directories and runs `initdb` if the cluster does not exist yet.
    pub fn init(settings: &ClusterSettings) -> Result<Self, EmbeddedError> {
        let data_dir = absolute(&settings.data_dir)?;
        let pgdata = data_dir.join("pg");
        let socket = pgdata.join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(EmbeddedError::SocketPathTooLong { path: socket });
        }
        let existing = fs::read_to_string(pgdata.join("PG_VERSION"))
            .ok()
            .and_then(|v| v.trim().parse().ok());
        let bins = find_binaries(settings.bin_dir.as_deref(), existing)?;
        let run_as = RunAs::resolve(settings.os_user.as_deref())?;
        let io = |what: &str| {
            let what = format!("{what} {}", data_dir.display());
            move |source| EmbeddedError::Io { what, source }
        };
        fs::create_dir_all(&data_dir).map_err(io("create"))?;
        // The cluster's user must traverse (not list) Palisade's directory, which also holds secrets.
        let mode = if run_as.is_some() { 0o711 } else { 0o700 };
        fs::set_permissions(&data_dir, fs::Permissions::from_mode(mode)).map_err(io("chmod"))?;
        let cluster = Self {
            log_file: data_dir.join("postgres.log"),
            pgdata,
            bins,
            run_as,
        };
        cluster.check_reachable(&data_dir)?;
        if existing.is_none() {
            cluster.initdb()?;
        }
        Ok(cluster)
    }

    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    pub fn major(&self) -> u32 {
        self.bins.major
    }

    /// The superuser, for migrations and the testkit. Never handed to runtime code.
    pub fn admin_target(&self, dbname: &str) -> Target {
        Target::socket(self.pgdata.clone(), PORT, SUPERUSER, dbname)
    }

    /// The runtime login (trust over the socket, which only this user and root can reach).
    pub fn runtime_target(&self, dbname: &str) -> Target {
        Target::socket(self.pgdata.clone(), PORT, "palisade_runtime", dbname)
    }

    fn check_reachable(&self, data_dir: &Path) -> Result<(), EmbeddedError> {
        let Some(user) = &self.run_as else { return Ok(()) };
        let ok = command(Path::new("/bin/sh"), Some(user))
            .args(["-c", "cd \"$1\"", "sh"])
            .arg(data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            Ok(())
        } else {
            Err(EmbeddedError::NotReachable {
                user: user.name.clone(),
                path: data_dir.to_path_buf(),
            })
        }
    }

    fn initdb(&self) -> Result<(), EmbeddedError> {
        let io = |what: &'static str| {
            move |source| EmbeddedError::Io {
                what: what.into(),
                source,
            }
        };
        fs::create_dir_all(&self.pgdata).map_err(io("create cluster directory"))?;
        fs::set_permissions(&self.pgdata, fs::Permissions::from_mode(0o700))
            .map_err(io("chmod cluster directory"))?;
        if let Some(user) = &self.run_as {
            user.chown(&self.pgdata)?;
        }
        tracing::info!(pgdata = %self.pgdata.display(), major = self.bins.major, "initialising embedded PostgreSQL");
        let out = command(&self.bins.tool("initdb"), self.run_as.as_ref())
            .arg("-D")
            .arg(&self.pgdata)
            .args([
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=reject",
            ])
            .output()
            .map_err(io("run initdb"))?;
        if !out.status.success() {
            return Err(EmbeddedError::Tool {
                what: "initdb".into(),
                detail: tail(&out.stderr),
            });
        }
        // Unix socket inside the data directory (relative paths resolve there), no TCP at all.
        let mut conf = fs::OpenOptions::new()
            .append(true)
            .open(self.pgdata.join("postgresql.conf"))
            .map_err(io("open postgresql.conf"))?;
        writeln!(
            conf,
            "\n# Palisade embedded cluster\nlisten_addresses = ''\nunix_socket_directories = '.'\n\
             unix_socket_permissions = 0700\nport = {PORT}\nmax_connections = 200\n\
             shared_buffers = 256MB\nlog_min_messages = warning\n"
        )
        .map_err(io("write postgresql.conf"))?;
        Ok(())
    }

    /// Starts the server, or adopts one that an earlier run left running. A `postmaster.pid` whose
    /// process is gone (or is no longer PostgreSQL) is cleared first.
    pub fn start(&self) -> Result<StartOutcome, EmbeddedError> {
        if let Some(pid) = self.recorded_pid() {
            if is_postgres_process(pid) {
                tracing::warn!(pid, "embedded PostgreSQL was already running; adopting it");
                return Ok(StartOutcome::Adopted);
            }
            tracing::warn!(pid, "removing stale postmaster.pid left by a crashed run");
            fs::remove_file(self.pgdata.join("postmaster.pid")).map_err(|source| EmbeddedError::Io {
                what: "remove stale postmaster.pid".into(),
                source,
            })?;
        }
        if !self.log_file.exists() {
            fs::File::create(&self.log_file).map_err(|source| EmbeddedError::Io {
                what: "create postgres.log".into(),
                source,
            })?;
        }
        if let Some(user) = &self.run_as {
            user.chown(&self.log_file)?;
        }
        let out = command(&self.bins.tool("pg_ctl"), self.run_as.as_ref())
            .arg("start")
            .arg("-D")
            .arg(&self.pgdata)
            .arg("-l")
            .arg(&self.log_file)
            .args(["-w", "-t", "60"])
            .stdin(Stdio::null())
            .output()
            .map_err(|source| EmbeddedError::Io {
                what: "run pg_ctl start".into(),
                source,
            })?;
        if !out.status.success() {
            let log = fs::read(&self.log_file).unwrap_or_default();
            return Err(EmbeddedError::Tool {
                what: "starting PostgreSQL".into(),
                detail: format!("{} / log: {}", tail(&out.stderr), tail(&log)),
            });
        }
        Ok(StartOutcome::Started)
    }

    /// Fast shutdown (active sessions are ended, everything committed is kept).
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if self.recorded_pid().is_none() {
            return Ok(());
        }
        let out = command(&self.bins.tool("pg_ctl"), self.run_as.as_ref())
            .arg("stop")
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-m", "fast", "-w", "-t", "60"])
            .stdin(Stdio::null())
            .output()
            .map_err(|source| EmbeddedError::Io {
                what: "run pg_ctl stop".into(),
                source,
            })?;
        if !out.status.success() {
            return Err(EmbeddedError::Tool {
                what: "stopping PostgreSQL".into(),
                detail: tail(&out.stderr),
            });
        }
        Ok(())
    }

    /// Arranges for the server to stop (and `also_remove` to be deleted) as soon as this process exits,
    /// however it exits: a watchdog blocks on a pipe that only this process holds open.
    pub fn stop_when_process_exits(&self, also_remove: Option<&Path>) -> Result<(), EmbeddedError> {
        let script = r#"cat >/dev/null
pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ]; then
  kill -INT "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
fi
if [ -n "$2" ]; then rm -rf "$2"; fi"#;
        let mut child = Command::new("/bin/sh")
            .args(["-c", script, "palisade-pg-watchdog"])
            .arg(&self.pgdata)
            .arg(also_remove.map(|p| p.as_os_str()).unwrap_or_default())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|source| EmbeddedError::Io {
                what: "spawn watchdog".into(),
                source,
            })?;
        // Keep the write end open for the life of the process; the OS closes it on exit.
        if let Some(stdin) = child.stdin.take() {
            std::mem::forget(stdin);
        }
        Ok(())
    }

    /// Creates `dbname` if it does not exist.
    pub async fn ensure_database(&self, dbname: &str) -> Result<(), EmbeddedError> {
        #[expect(
            clippy::disallowed_methods,
            reason = "creating the database happens before any context exists"
        )]
        let client = connect_once(&self.admin_target("postgres")).await?;
        let exists = client
            .query_opt("select 1 from pg_database where datname = $1", &[&dbname])
            .await
            .map_err(DbError::from)?
            .is_some();
        if !exists {
            client
                .batch_execute(&format!("create database \"{}\"", dbname.replace('"', "\"\"")))
                .await
                .map_err(DbError::from)?;
        }
        Ok(())
    }

    fn recorded_pid(&self) -> Option<i32> {
        let text = fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }
}

/// True when `pid` is alive and is a PostgreSQL server (not a process that reused the pid).
fn is_postgres_process(pid: i32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim() == "postgres")
        .unwrap_or(false)
}

fn absolute(path: &Path) -> Result<PathBuf, EmbeddedError> {
    std::path::absolute(path).map_err(|source| EmbeddedError::Io {
        what: "resolve data directory".into(),
        source,
    })
}

fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().rev().take(8).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}
