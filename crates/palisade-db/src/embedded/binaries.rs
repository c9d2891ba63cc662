//! Finding PostgreSQL server binaries (14 or newer).
use std::path::{Path, PathBuf};
use std::process::Command;

use super::cluster::EmbeddedError;

pub const MIN_MAJOR: u32 = 14;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgBinaries {
    pub bin_dir: PathBuf,
    pub major: u32,
}

impl PgBinaries {
    pub fn tool(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }
}

/// Candidate directories in preference order: an explicit override, then PATH, `pg_config --bindir`,
/// and `/usr/lib/postgresql/*/bin`. Among usable ones the newest major wins; `want_major` (an existing
/// cluster's PG_VERSION) must match exactly.
pub fn find_binaries(
    override_dir: Option<&Path>,
    want_major: Option<u32>,
) -> Result<PgBinaries, EmbeddedError> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = override_dir {
        candidates.push(dir.to_path_buf());
    } else {
        if let Some(path) = std::env::var_os("PATH") {
            candidates.extend(std::env::split_paths(&path));
        }
        if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
            if out.status.success() {
                candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
            }
        }
        if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
            let mut dirs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect();
            dirs.sort();
            dirs.reverse();
            candidates.extend(dirs);
        }
    }
    let mut found: Vec<PgBinaries> = Vec::new();
    for dir in candidates {
        if !["postgres", "initdb", "pg_ctl"]
            .iter()
            .all(|t| dir.join(t).is_file())
        {
            continue;
        }
        if found.iter().any(|f| f.bin_dir == dir) {
            continue;
        }
        if let Some(major) = major_version(&dir.join("postgres")) {
            found.push(PgBinaries { bin_dir: dir, major });
        }
    }
    // Stable sort keeps preference order among equal versions.
    found.sort_by_key(|b| std::cmp::Reverse(b.major));
    let usable = found.iter().filter(|b| b.major >= MIN_MAJOR);
    let pick = match want_major {
        Some(m) => usable.clone().find(|b| b.major == m),
        None => usable.clone().next(),
    };
    pick.cloned().ok_or_else(|| match want_major {
        Some(m) => EmbeddedError::VersionMismatch {
            cluster: m,
            available: found.iter().map(|b| b.major).collect(),
        },
        None => EmbeddedError::NoBinaries {
            found: found.iter().map(|b| b.major).collect(),
        },
    })
}

fn major_version(postgres: &Path) -> Option<u32> {
    let out = Command::new(postgres).arg("--version").output().ok()?;
    parse_major(&String::from_utf8_lossy(&out.stdout))
}

/// "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> 15
fn parse_major(version: &str) -> Option<u32> {
    let number = version
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    number.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(
            parse_major("postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(parse_major("postgres (PostgreSQL) 17beta1"), Some(17));
        assert_eq!(parse_major("nonsense"), None);
    }

    #[test]
    fn an_empty_override_reports_no_binaries_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let err = find_binaries(Some(dir.path()), None).unwrap_err();
        assert!(err.to_string().contains("apt-get install postgresql"), "{err}");
    }
}
