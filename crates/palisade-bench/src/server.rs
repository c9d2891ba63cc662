//! The Palisade process under test: `palisade serve` on the embedded database, rate limit off,
//! started and stopped (SIGINT) by the benchmark.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use palisade_auth::TokenKeys;
use palisade_db::connect::Target;
use secrecy::SecretString;

/// The server's pool: the production default, so scenario 9 queues as a deployment would.
pub const POOL_SIZE: usize = 16;

/// The server's pool for a run with `concurrency` clients: the default, or more when the clients
/// would otherwise wait for connections.
pub fn pool_size(concurrency: usize) -> usize {
    POOL_SIZE.max(concurrency + 4)
}

pub struct Server {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    /// Where the server's HubSpot is (the bench's fake).
    hubspot: String,
}

/// The bearer token of the server's internal endpoints (`/internal/cron/{job}`), for the bench.
pub const CRON_SECRET: &str = "bench-cron-secret-0123456789abcdef0123456789";

pub const DBNAME: &str = "palisade";

impl Server {
    pub async fn start(bin: &Path, data_dir: &Path, pool_size: usize, hubspot: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let data_dir = std::path::absolute(data_dir)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = std::fs::File::create(data_dir.join("serve.log"))?;
        let child = Command::new(bin)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(&data_dir)
            .env_remove("DATABASE_URL")
            .env("PALISADE_SERVER__RATE_LIMIT_PER_SECOND", "0")
            // The audit sealer runs in the server: rounds wait for it (see crate::settle).
            .env("PALISADE_JOBS__ENABLED", "true")
            // Twilio signs the URL it calls: the server rebuilds it from its public URL.
            .env("PALISADE_SERVER__PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            // Nothing leaves the machine: a provider call would reach a closed local port.
            .env("PALISADE_MESSAGING__TWILIO_BASE_URL", "http://127.0.0.1:9")
            .env("PALISADE_MESSAGING__RESEND_BASE_URL", "http://127.0.0.1:9")
            .env("PALISADE_MESSAGING__SENDGRID_BASE_URL", "http://127.0.0.1:9")
            // HubSpot is the bench's fake, with its limits off (scenario 16 measures the sync itself).
            .env("PALISADE_HUBSPOT__API_BASE_URL", hubspot)
            .env(
                "PALISADE_HUBSPOT__AUTHORIZE_URL",
                format!("{hubspot}/oauth/authorize"),
            )
            .env("PALISADE_HUBSPOT__REQUESTS_PER_TEN_SECONDS", "0")
            .env("PALISADE_HUBSPOT__SEARCHES_PER_SECOND", "0")
            .env("PALISADE_CRON_SECRET", CRON_SECRET)
            .env("PALISADE_DATABASE__POOL_SIZE", pool_size.to_string())
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("running {}", bin.display()))?;
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
            hubspot: hubspot.to_owned(),
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await {
                if r.status().is_success() {
                    return Ok(server);
                }
            }
            if let Some(status) = server.child.try_wait()? {
                bail!(
                    "palisade serve exited ({status}); see {}",
                    server.data_dir.join("serve.log").display()
                );
            }
            if started.elapsed() > Duration::from_secs(180) {
                server.stop();
                bail!("palisade serve did not become ready in 180 s");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process, in MiB.
    pub fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.data_dir.join("pg")
    }

    /// The embedded cluster's superuser (seeding, the owner side of the RLS-cost scenario).
    pub fn admin(&self) -> Target {
        Target::socket(self.socket_dir(), 5432, "postgres", DBNAME)
    }

    /// The signing key `serve` generated in embedded mode.
    pub fn token_keys(&self) -> anyhow::Result<TokenKeys> {
        let secret = std::fs::read_to_string(self.data_dir.join("jwt.key")).context("reading jwt.key")?;
        Ok(TokenKeys::new(
            &SecretString::from(secret.trim().to_owned()),
            "palisade",
            "palisade-api",
        )?)
    }

    /// SIGINT, then wait: `serve` stops the embedded PostgreSQL it started.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Server {
    /// Stops the server (and its embedded PostgreSQL) and starts it again on the same data directory.
    pub async fn restart(&mut self, bin: &Path, pool_size: usize) -> anyhow::Result<()> {
        self.shutdown();
        let (data_dir, hubspot) = (self.data_dir.clone(), self.hubspot.clone());
        *self = Self::start(bin, &data_dir, pool_size, &hubspot).await?;
        Ok(())
    }

    fn shutdown(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
    }
}
