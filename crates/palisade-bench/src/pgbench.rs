//! pgbench running the statements the API runs, with the same round-trip shape: BEGIN, the context
//! statement, the membership check and the statement in one pipeline, then COMMIT.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context};
use palisade_db::ENTER_CONTEXT;

use crate::load::Measurement;

pub struct Pgbench {
    pub bin: PathBuf,
    pub socket_dir: PathBuf,
    pub dbname: String,
    pub scripts_dir: PathBuf,
}

/// Replaces `$1..$n` with pgbench variables `:names[0]..` (highest first, so `$1` never eats `$10`).
pub fn bind(sql: &str, names: &[&str]) -> String {
    let mut out = sql.to_owned();
    for (i, name) in names.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), &format!(":{name}"));
    }
    out
}

/// The API's [`ENTER_CONTEXT`] for a caller with no session (bearer tokens, service contexts).
pub fn enter_without_session() -> String {
    ["$1", "$2", "$3", "$4"]
        .iter()
        .fold(ENTER_CONTEXT.to_owned(), |sql, p| sql.replace(p, "NULL"))
}

/// A pgbench transaction: `pipelined` statements in one pipeline, then COMMIT (as the API does).
pub fn transaction(pipelined: &[String]) -> String {
    let mut script = String::from("\\startpipeline\nBEGIN;\n");
    for statement in pipelined {
        script.push_str(&statement.replace('\n', " "));
        script.push_str(";\n");
    }
    script.push_str("\\endpipeline\nCOMMIT;\n");
    script
}

impl Pgbench {
    pub fn write_script(&self, name: &str, text: &str) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(&self.scripts_dir)?;
        let path = self.scripts_dir.join(format!("{name}.sql"));
        std::fs::write(&path, text)?;
        Ok(path)
    }

    pub fn run(
        &self,
        user: &str,
        scripts: &[PathBuf],
        vars: &[(String, String)],
        concurrency: usize,
        duration: Duration,
        latencies: bool,
    ) -> anyhow::Result<Measurement> {
        let mut cmd = Command::new(&self.bin);
        let log_dir = self.scripts_dir.join("latency-log");
        if latencies {
            // A fresh directory per run: pgbench names its files after its pid and thread.
            let _ = std::fs::remove_dir_all(&log_dir);
            std::fs::create_dir_all(&log_dir)?;
            cmd.arg("-l")
                .arg(format!("--log-prefix={}", log_dir.join("tx").display()));
        }
        cmd.args(["-n", "-M", "prepared", "-c", &concurrency.to_string()])
            .args([
                "-j",
                &concurrency.min(2).to_string(),
                "-T",
                &duration.as_secs().max(1).to_string(),
            ])
            .arg("-h")
            .arg(&self.socket_dir)
            .args(["-p", "5432", "-U", user]);
        for script in scripts {
            cmd.arg("-f").arg(script);
        }
        for (k, v) in vars {
            cmd.arg("-D").arg(format!("{k}={v}"));
        }
        cmd.arg(&self.dbname);
        let out = cmd
            .output()
            .with_context(|| format!("running {}", self.bin.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            bail!(
                "pgbench failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                stdout
            );
        }
        let mut m = parse(&stdout).with_context(|| format!("unexpected pgbench output:\n{stdout}"))?;
        if latencies {
            (m.p50_ms, m.p99_ms) = percentiles(&log_dir)?;
        }
        Ok(m)
    }
}

/// p50 and p99 in ms from pgbench's per-transaction logs (`-l`): the third field of each line is the
/// transaction's latency in µs.
fn percentiles(dir: &Path) -> anyhow::Result<(Option<f64>, Option<f64>)> {
    let mut all: Vec<u64> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        all.extend(
            text.lines()
                .filter_map(|l| l.split_whitespace().nth(2)?.parse::<u64>().ok()),
        );
    }
    all.sort_unstable();
    let pct = |p: f64| crate::load::percentile(&all, p).map(|us| us as f64 / 1000.0);
    Ok((pct(0.50), pct(0.99)))
}

fn parse(stdout: &str) -> Option<Measurement> {
    let number_after = |prefix: &str| -> Option<f64> {
        let line = stdout.lines().find(|l| l.trim_start().starts_with(prefix))?;
        line.split('=').nth(1)?.split_whitespace().next()?.parse().ok()
    };
    let failed = stdout
        .lines()
        .find(|l| l.starts_with("number of failed transactions"))
        .and_then(|l| l.split(':').nth(1)?.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    Some(Measurement {
        per_second: number_after("tps")?,
        p50_ms: None,
        p99_ms: None,
        mean_ms: number_after("latency average")?,
        errors: failed,
        count: stdout
            .lines()
            .find(|l| l.starts_with("number of transactions actually processed"))
            .and_then(|l| l.split(':').nth(1)?.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0),
        cpu: Default::default(),
    })
}

/// pgbench of the same major version as the server binaries, preferring their directory; symlinked
/// server binaries (e.g. in /usr/local/bin) are followed to their real directory.
pub fn find_pgbench() -> anyhow::Result<PathBuf> {
    let bins = palisade_db::embedded::find_binaries(None, None)?;
    let mut candidates = vec![bins.tool("pgbench")];
    if let Ok(real) = std::fs::canonicalize(bins.tool("postgres")) {
        if let Some(dir) = real.parent() {
            candidates.push(dir.join("pgbench"));
        }
    }
    candidates.push(PathBuf::from(format!(
        "/usr/lib/postgresql/{}/bin/pgbench",
        bins.major
    )));
    candidates
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "pgbench {} not found (install postgresql-{})",
                bins.major,
                bins.major
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_parameters_highest_first() {
        assert_eq!(
            bind(
                "a = $1 and b = $10 and c = $2",
                &["x", "y", "", "", "", "", "", "", "", "z"]
            ),
            "a = :x and b = :z and c = :y"
        );
    }

    #[test]
    fn parses_pgbench_output() {
        let out = "number of failed transactions: 0 (0.000%)\nlatency average = 0.410 ms\ninitial connection time = 3.2 ms\ntps = 19434.123456 (without initial connection time)\n";
        let m = parse(out).unwrap();
        assert!((m.per_second - 19434.123456).abs() < 1e-6);
        assert!((m.mean_ms - 0.41).abs() < 1e-9);
        assert_eq!(m.errors, 0);
    }
}
