//! `spawn_app()`: the real server (`palisade_server::run`) on 127.0.0.1 port 0, on a fresh database.
use std::net::SocketAddr;
use std::time::Duration;

use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};
use palisade_server::config::Config;
use secrecy::SecretString;
use tokio::sync::oneshot;

use crate::cluster::{test_db, TestDb};
use crate::world::{Who, World};

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where this server's mail is written (the mailbox transport).
    pub mailbox: tempfile::TempDir,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub keys: TokenKeys,
    /// The server's clock: starts at the real time and moves only with `clock.advance(..)`.
    pub clock: palisade_auth::ManualClock,
    /// The server's keyrings (sealing, blind index), for workers a test runs beside it.
    pub seal_keys: std::sync::Arc<palisade_crypto::Keyring>,
    pub index_keys: std::sync::Arc<palisade_crypto::Keyring>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<Result<(), palisade_server::StartupError>>>,
}

/// Settings of a test server, before it starts (the TLS test sets certificates here).
pub fn test_config(db: &TestDb, secret: &SecretString) -> Config {
    let mut config = Config::default();
    config.database.url = Some(db.admin.to_conninfo());
    config.database.runtime_url = Some(db.runtime.to_conninfo());
    // The template already holds the migrations; the server still verifies them through /readyz.
    config.database.migrate_on_start = false;
    config.database.pool_size = 8;
    config.auth.jwt_secret = Some(secret.clone());
    config.keys = Some(palisade_crypto::Keyring::generate_text(
        &palisade_crypto::KeyId::parse("test1").unwrap(),
    ));
    config.index_keys = Some(palisade_crypto::Keyring::generate_text(
        &palisade_crypto::KeyId::parse("idx1").unwrap(),
    ));
    // The matrices send hundreds of requests from 127.0.0.1; the limiter has its own test.
    config.server.rate_limit_per_second = 0;
    // No test reaches a real model: a test that connects one points `ai.base_url` at a `FakeLlm`;
    // any other call is refused at once by a closed port on this machine.
    config.ai.base_url = "http://127.0.0.1:9/v1".into();
    // Likewise HubSpot: a test that syncs points the server at a `FakeHubspot`.
    config.hubspot.api_base_url = "http://127.0.0.1:9".into();
    config.hubspot.authorize_url = "http://127.0.0.1:9/oauth/authorize".into();
    // Background jobs are driven with `palisade_jobs::Jobs::run_once`, not by timers.
    config.jobs.enabled = false;
    // Matrices sign in many times from one address; the sign-in limit tests set their own.
    config.auth.sign_ins_per_ip_per_hour = 10_000;
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

impl TestApp {
    /// The texts of the mails this server has written, oldest first.
    pub fn mails(&self) -> Vec<String> {
        let mut entries: Vec<_> = std::fs::read_dir(self.mailbox.path())
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        entries
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Waits (up to 10 s) until at least `count` mails were written: some mail is sent off the
    /// request path (sign-in links), so it lands shortly after the response.
    pub async fn wait_for_mails(&self, count: usize) -> Vec<String> {
        for _ in 0..400 {
            let mails = self.mails();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("expected {count} mail(s), found {}", self.mails().len());
    }

    pub fn world(&self) -> &World {
        &self.db.world
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A valid access token for a person, scoped to a tenant, issued at the server's (test) clock:
    /// minted at the real time, a token would be refused as not yet valid once a test ran longer
    /// than the 30 seconds of leeway past the frozen clock.
    pub fn token_for(&self, user: UserId, tenant: Option<TenantId>) -> String {
        self.keys
            .mint_at(user, tenant, self.clock.now(), Duration::from_secs(600))
            .unwrap()
    }

    /// The token a matrix identity would hold (`None` for non-person identities).
    pub fn token(&self, who: Who) -> Option<String> {
        self.world()
            .principal(who)
            .map(|p| self.token_for(p.user_id, p.tenant_id))
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Like [`spawn_app`], letting the test adjust the configuration first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let db = test_db().await;
    let secret = palisade_auth::generate_secret();
    let mut config = test_config(&db, &secret);
    let mailbox = tempfile::Builder::new()
        .prefix("palisade-mail-")
        .tempdir_in("/tmp")
        .unwrap();
    config.mail.mailbox_dir = Some(mailbox.path().to_path_buf());
    let clock = palisade_auth::ManualClock::default();
    config.clock = clock.clock();
    adjust(&mut config);
    let seal_keys = std::sync::Arc::new(palisade_server::startup::keyring(&config).unwrap());
    let index_keys = std::sync::Arc::new(palisade_server::startup::index_keyring(&config).unwrap());
    let keys = TokenKeys::new(&secret, &config.auth.issuer, &config.auth.audience).unwrap();
    let tls = config.server.tls_cert.is_some();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(palisade_server::run(config, listener, async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(tls)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let scheme = if tls { "https" } else { "http" };
    // Wait until the server answers (it opens the database before serving).
    let mut ready = false;
    for _ in 0..200 {
        if server.is_finished() {
            break;
        }
        if client
            .get(format!("{scheme}://{addr}/healthz"))
            .send()
            .await
            .is_ok()
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    if !ready {
        let result = server.await;
        panic!("test server did not start: {result:?}");
    }
    TestApp {
        addr,
        mailbox,
        client,
        db,
        keys,
        clock,
        seal_keys,
        index_keys,
        shutdown: Some(tx),
        server: Some(server),
    }
}
