//! Running PostgreSQL tools as an unprivileged OS user when this process is root.
use std::path::Path;
use std::process::Command;

use super::cluster::EmbeddedError;

#[derive(Clone, Debug)]
pub struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl RunAs {
    /// `None` when no switch is needed (not root). As root, the named user (default `postgres`).
    pub fn resolve(configured: Option<&str>) -> Result<Option<Self>, EmbeddedError> {
        if !nix::unistd::geteuid().is_root() {
            return Ok(None);
        }
        let name = configured.unwrap_or("postgres");
        let user =
            nix::unistd::User::from_name(name)
                .ok()
                .flatten()
                .ok_or_else(|| EmbeddedError::NoOsUser {
                    name: name.to_owned(),
                })?;
        if user.uid.is_root() {
            return Err(EmbeddedError::NoOsUser {
                name: format!("{name} (is root; initdb refuses root)"),
            });
        }
        Ok(Some(Self {
            name: name.to_owned(),
            uid: user.uid.as_raw(),
            gid: user.gid.as_raw(),
        }))
    }

    pub fn chown(&self, path: &Path) -> Result<(), EmbeddedError> {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).map_err(|e| EmbeddedError::Io {
            what: format!("chown {}", path.display()),
            source: e,
        })
    }
}

/// A command for a PostgreSQL tool, switched to `run_as` when set.
pub fn command(program: &Path, run_as: Option<&RunAs>) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    cmd.current_dir("/").env("LC_ALL", "C").env_remove("PGDATA");
    if let Some(user) = run_as {
        // std drops supplementary groups when a root process switches uid.
        cmd.uid(user.uid)
            .gid(user.gid)
            .env("HOME", "/")
            .env("USER", &user.name);
    }
    cmd
}
