//! Opening the database (embedded or external), applying migrations, and loading the token keys.
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use palisade_auth::TokenKeys;
use palisade_db::connect::Target;
use palisade_db::embedded::{Cluster, ClusterSettings, EmbeddedError, StartOutcome};
use palisade_db::{migrate, Db, PoolSettings};
use secrecy::{ExposeSecret, SecretString};

use crate::config::{Config, DatabaseSettings};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error(transparent)]
    Migrate(#[from] migrate::MigrateError),
    #[error("database: {0}")]
    Db(#[from] palisade_db::DbError),
    #[error(transparent)]
    Connect(#[from] palisade_db::connect::ConnectError),
    #[error("{0}")]
    Invalid(String),
}

/// The database Palisade talks to, and the embedded cluster when this process started it.
pub struct Database {
    pub admin: Target,
    pub runtime: Target,
    started: Option<Cluster>,
}

impl Database {
    /// Resolves targets; with no `database.url`, initialises and starts the embedded cluster.
    pub async fn prepare(settings: &DatabaseSettings) -> Result<Self, StartupError> {
        match &settings.url {
            Some(url) => {
                let admin = Target::parse(url.expose_secret())?;
                let runtime = match &settings.runtime_url {
                    Some(url) => Target::parse(url.expose_secret())?,
                    None => admin.with_user(
                        "palisade_runtime",
                        settings
                            .runtime_password
                            .as_ref()
                            .map(|p| p.expose_secret().as_bytes()),
                    ),
                };
                Ok(Self {
                    admin,
                    runtime,
                    started: None,
                })
            }
            None => {
                let cluster_settings = ClusterSettings {
                    data_dir: settings.data_dir.clone(),
                    os_user: settings.os_user.clone(),
                    bin_dir: settings.bin_dir.clone(),
                };
                let (cluster, outcome) = tokio::task::spawn_blocking(move || {
                    let cluster = Cluster::init(&cluster_settings)?;
                    let outcome = cluster.start()?;
                    Ok::<_, EmbeddedError>((cluster, outcome))
                })
                .await
                .map_err(|e| StartupError::Invalid(format!("embedded startup task failed: {e}")))??;
                if let Err(e) = cluster.ensure_database(&settings.embedded_dbname).await {
                    if outcome == StartOutcome::Started {
                        let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
                    }
                    return Err(e.into());
                }
                tracing::info!(pgdata = %cluster.pgdata().display(), major = cluster.major(), ?outcome, "embedded PostgreSQL ready");
                let admin = cluster.admin_target(&settings.embedded_dbname);
                let runtime = cluster.runtime_target(&settings.embedded_dbname);
                // A cluster adopted from another process is left running for it.
                let started = (outcome == StartOutcome::Started).then_some(cluster);
                Ok(Self {
                    admin,
                    runtime,
                    started,
                })
            }
        }
    }

    pub async fn migrate(&self, settings: &DatabaseSettings) -> Result<migrate::Report, StartupError> {
        let report = migrate::run(&self.admin, settings.runtime_password.as_ref()).await?;
        for name in &report.applied {
            tracing::info!(migration = %name, "migration applied");
        }
        Ok(report)
    }

    /// The runtime pool (logs in as `palisade_runtime`; refuses privileged logins).
    pub async fn connect(&self, settings: &DatabaseSettings) -> Result<Db, StartupError> {
        let pool = PoolSettings {
            max_size: settings.pool_size,
            statement_timeout: Duration::from_secs(settings.statement_timeout_secs),
            ..PoolSettings::default()
        };
        Ok(Db::connect(&self.runtime, &pool).await?)
    }

    /// Stops the embedded cluster if this process started it.
    pub async fn close(self) {
        if let Some(cluster) = self.started {
            match tokio::task::spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => tracing::info!("embedded PostgreSQL stopped"),
                Ok(Err(e)) => tracing::error!(error = %e, "stopping embedded PostgreSQL failed"),
                Err(e) => tracing::error!(error = %e, "stopping embedded PostgreSQL failed"),
            }
        }
    }
}

/// The mail transport from `mail.*` (validated with the rest of the configuration).
pub fn mailer(config: &Config) -> Result<palisade_mail::Mailer, StartupError> {
    let m = &config.mail;
    match m.transport {
        crate::config::MailTransport::Mailbox => {
            let dir = m
                .mailbox_dir
                .clone()
                .unwrap_or_else(|| config.database.data_dir.join("mailbox"));
            tracing::warn!(dir = %dir.display(), "mail is written to a local mailbox directory (development)");
            Ok(palisade_mail::Mailer::mailbox(dir, &m.from))
        }
        crate::config::MailTransport::Resend => {
            let key = m
                .resend_api_key
                .clone()
                .ok_or_else(|| StartupError::Invalid("mail.resend_api_key is required for Resend".into()))?;
            palisade_mail::Mailer::resend(&m.resend_base_url, key, &m.from)
                .map_err(|e| StartupError::Invalid(e.to_string()))
        }
        crate::config::MailTransport::Smtp => {
            let url = m
                .smtp_url
                .as_ref()
                .ok_or_else(|| StartupError::Invalid("mail.smtp_url is required for SMTP".into()))?;
            palisade_mail::Mailer::smtp(url, &m.from).map_err(|e| StartupError::Invalid(e.to_string()))
        }
    }
}

/// The token signing secret: `auth.jwt_secret`, or (embedded mode only) `<data_dir>/jwt.key`,
/// generated with mode 0600 on first use. CSRF tokens use a key derived from it.
pub fn token_secret(config: &Config) -> Result<SecretString, StartupError> {
    match (&config.auth.jwt_secret, &config.database.url) {
        (Some(secret), _) => Ok(secret.clone()),
        (None, None) => load_or_generate_key(&config.database.data_dir.join("jwt.key")),
        (None, Some(_)) => Err(StartupError::Invalid(
            "auth.jwt_secret (PALISADE_AUTH__JWT_SECRET, e.g. `openssl rand -hex 32`) is required with an external \
                 database"
                .into(),
        )),
    }
}

/// The keyring that seals secrets at rest: `PALISADE_KEYS` (`id:base64,…`, first active), or
/// `PALISADE_KEY_FILE`; in development with the embedded database, `<data_dir>/keys`, generated
/// (mode 0600) on first use. Production refuses to start without configured keys.
pub fn keyring(config: &Config) -> Result<palisade_crypto::Keyring, StartupError> {
    load_keyring(
        config,
        &config.keys,
        &config.key_file,
        KeyringKind {
            what: "encryption keys",
            env: "PALISADE_KEYS",
            file_env: "PALISADE_KEY_FILE",
            dev_file: "keys",
            dev_id: "dev1",
        },
    )
}

/// The blind-index keys (`PALISADE_INDEX_KEYS` or `PALISADE_INDEX_KEY_FILE`): a keyring of its own,
/// so the keys that find rows are not the keys that open them. Loaded like [`keyring`]; the
/// development file is `<data_dir>/index-keys`.
pub fn index_keyring(config: &Config) -> Result<palisade_crypto::Keyring, StartupError> {
    let index = load_keyring(
        config,
        &config.index_keys,
        &config.index_key_file,
        KeyringKind {
            what: "blind-index keys",
            env: "PALISADE_INDEX_KEYS",
            file_env: "PALISADE_INDEX_KEY_FILE",
            dev_file: "index-keys",
            dev_id: "idx1",
        },
    )?;
    if index.shares_material_with(&keyring(config)?) {
        return Err(StartupError::Invalid(
            "PALISADE_INDEX_KEYS must not reuse a key of PALISADE_KEYS: generate separate keys".into(),
        ));
    }
    Ok(index)
}

/// Binds each key id to its material in the database (see migration 0018): a key id seen before
/// with other material stops the server before it seals anything under the wrong key.
pub async fn check_keys(
    db: &palisade_db::Db,
    seal: &palisade_crypto::Keyring,
    index: &palisade_crypto::Keyring,
) -> Result<(), StartupError> {
    let mut tx = db.system(palisade_db::Purpose::Maintenance).await?;
    for (ring, keys, env) in [
        ("seal", seal, "PALISADE_KEYS"),
        ("index", index, "PALISADE_INDEX_KEYS"),
    ] {
        let checks = keys.check_values();
        let ids: Vec<&str> = checks.iter().map(|(id, _)| id.as_str()).collect();
        let values: Vec<&[u8]> = checks.iter().map(|(_, c)| c.as_slice()).collect();
        let differing = tx
            .query(
                "select palisade_meta.register_keys($1, $2, $3) as key_id",
                &[&ring, &ids, &values],
            )
            .await
            .map_err(|e| {
                StartupError::Invalid(format!(
                    "checking {env} against the database ({e}); are migrations current? (`palisade migrate`)"
                ))
            })?;
        if !differing.is_empty() {
            let ids: Vec<String> = differing
                .iter()
                .filter_map(|r| r.try_get("key_id").ok())
                .collect();
            return Err(StartupError::Invalid(format!(
                "{env}: key {} is not the key this database has seen under that id (its check value differs). \
                 Values sealed or indexed with the original would not open or match. Restore the original key, \
                 or give a new key a new id.",
                ids.join(", ")
            )));
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The delivery worker's settings, from `[messaging]`.
pub fn delivery(
    config: &Config,
    keyring: &Arc<palisade_crypto::Keyring>,
    index_keys: &Arc<palisade_crypto::Keyring>,
    public_url: &str,
) -> palisade_jobs::delivery::DeliverySettings {
    let m = &config.messaging;
    let mut settings = palisade_jobs::delivery::DeliverySettings::new(
        Arc::clone(keyring),
        Arc::clone(index_keys),
        public_url.to_owned(),
    );
    settings.urls = palisade_jobs::delivery::ProviderUrls {
        twilio: m.twilio_base_url.clone(),
        resend: m.resend_base_url.clone(),
        sendgrid: m.sendgrid_base_url.clone(),
    };
    settings.per_tenant_per_run = i32::from(m.per_tenant_per_second.max(1));
    settings.max_attempts = i32::from(m.max_attempts.max(1));
    settings.retry_base = std::time::Duration::from_secs(u64::from(m.retry_base_seconds));
    settings.timeout = std::time::Duration::from_secs(u64::from(m.timeout_seconds.max(1)));
    settings
}

struct KeyringKind {
    what: &'static str,
    env: &'static str,
    file_env: &'static str,
    dev_file: &'static str,
    dev_id: &'static str,
}

fn load_keyring(
    config: &Config,
    inline: &Option<SecretString>,
    file: &Option<std::path::PathBuf>,
    kind: KeyringKind,
) -> Result<palisade_crypto::Keyring, StartupError> {
    let KeyringKind {
        what,
        env,
        file_env,
        dev_file,
        dev_id,
    } = kind;
    let text = match (inline, file) {
        (Some(keys), _) => keys.clone(),
        (None, Some(path)) => read_private(path)?,
        (None, None) if config.env == crate::config::Environment::Production => {
            return Err(StartupError::Invalid(format!(
                "production needs {what}: set {env} (`id:base64`, e.g. from `palisade keys generate`) or {file_env}"
            )))
        }
        (None, None) if config.database.url.is_none() => {
            load_or_create(&config.database.data_dir.join(dev_file), || {
                palisade_crypto::Keyring::generate_text(
                    &palisade_crypto::KeyId::parse(dev_id).unwrap_or_else(|| unreachable!("a valid literal key id")),
                )
            })?
        }
        (None, None) => {
            return Err(StartupError::Invalid(format!(
                "{what} are required with an external database: set {env} or {file_env}"
            )))
        }
    };
    palisade_crypto::Keyring::parse(&text).map_err(|e| StartupError::Invalid(format!("{what}: {e}")))
}

fn read_private(path: &Path) -> Result<SecretString, StartupError> {
    let io = |e: std::io::Error| StartupError::Invalid(format!("key file {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(StartupError::Invalid(format!(
            "{} is readable by other users; run `chmod 600` on it",
            path.display()
        )));
    }
    Ok(SecretString::from(std::fs::read_to_string(path).map_err(io)?))
}

/// Token keys from [`token_secret`].
pub fn token_keys(config: &Config) -> Result<TokenKeys, StartupError> {
    TokenKeys::new(&token_secret(config)?, &config.auth.issuer, &config.auth.audience)
        .map_err(|e| StartupError::Invalid(format!("auth.jwt_secret: {e}")))
}

pub fn session_policy(auth: &crate::config::AuthSettings) -> crate::state::SessionPolicy {
    crate::state::SessionPolicy {
        idle: Duration::from_secs(auth.session_idle_minutes * 60),
        absolute: Duration::from_secs(auth.session_absolute_hours * 3600),
        access_token: Duration::from_secs(auth.access_token_minutes * 60),
        magic_link: Duration::from_secs(auth.magic_link_minutes * 60),
        open_signup: auth.open_signup,
        password_sign_in: auth.password_sign_in,
    }
}

/// Sign-in rate limits: in Redis when `PALISADE_REDIS_URL` is set (checked now), else in memory.
pub async fn sign_in_limits(
    config: &Config,
    signing_secret: &SecretString,
) -> Result<crate::sign_in::limits::SignInLimits, StartupError> {
    let key = palisade_auth::browser_session::subkey(signing_secret, b"palisade rate-limit keys v1");
    let a = &config.auth;
    let (per_email, per_password, per_ip) = (
        a.magic_links_per_email_per_hour,
        a.password_attempts_per_email_per_hour,
        a.sign_ins_per_ip_per_hour,
    );
    let limits = match &config.redis_url {
        Some(url) => crate::sign_in::limits::SignInLimits::redis(url, key, per_email, per_password, per_ip)
            .await
            .map_err(StartupError::Invalid)?,
        None => crate::sign_in::limits::SignInLimits::memory(key, per_email, per_password, per_ip),
    };
    tracing::info!(backend = limits.backend_name(), "sign-in rate limits");
    Ok(limits)
}

fn load_or_generate_key(path: &Path) -> Result<SecretString, StartupError> {
    load_or_create(path, palisade_auth::generate_secret)
}

/// Reads a private file of secrets, or creates it (mode 0600) with `generate()`; refuses a file
/// others can read.
fn load_or_create(
    path: &Path,
    generate: impl FnOnce() -> SecretString,
) -> Result<SecretString, StartupError> {
    let io = |what: &str, e: std::io::Error| StartupError::Invalid(format!("{what} {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io("create directory for", e))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            let secret = generate();
            file.write_all(secret.expose_secret().as_bytes())
                .map_err(|e| io("write", e))?;
            tracing::warn!(path = %path.display(), "generated a new secret file (development); back it up");
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::metadata(path).map_err(|e| io("stat", e))?;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(StartupError::Invalid(format!(
                    "{} is readable by other users; run `chmod 600` on it",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(path).map_err(|e| io("read", e))?;
            Ok(SecretString::from(text.trim().to_owned()))
        }
        Err(e) => Err(io("create", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_that_reuse_a_sealing_key_are_refused() {
        let key = palisade_crypto::Keyring::generate_text(&palisade_crypto::KeyId::parse("k1").unwrap());
        let other = palisade_crypto::Keyring::generate_text(&palisade_crypto::KeyId::parse("i1").unwrap());
        let mut config = Config::default();
        config.database.url = Some(SecretString::from("postgres://x@127.0.0.1/x".to_owned()));
        config.keys = Some(key.clone());
        config.index_keys = Some(other);
        assert!(index_keyring(&config).is_ok());
        // The same material under another id is still the same key.
        let renamed = key.expose_secret().replacen("k1:", "i9:", 1);
        config.index_keys = Some(SecretString::from(renamed));
        let err = index_keyring(&config).unwrap_err().to_string();
        assert!(err.contains("must not reuse a key"), "{err}");
    }

    #[test]
    fn generated_key_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.key");
        let first = load_or_generate_key(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let second = load_or_generate_key(&path).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load_or_generate_key(&path).is_err());
    }
}
