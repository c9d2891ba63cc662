//! Configuration: defaults, then an optional TOML file, then `PALISADE_*` environment variables
//! (`__` separates nesting: `PALISADE_DATABASE__POOL_SIZE=32`), then `DATABASE_URL`. Validated at
//! start; secrets are `SecretString`, so `Debug` and logs show them redacted.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Settings outside any section (`PALISADE_ENV`, `PALISADE_KEYS`, …).
const TOP_LEVEL: &[&str] = &[
    "env",
    "redis_url",
    "keys",
    "key_file",
    "index_keys",
    "index_key_file",
    "cron_secret",
];
const SECTIONS: &[&str] = &[
    "server",
    "database",
    "auth",
    "log",
    "jobs",
    "metrics",
    "mail",
    "messaging",
    "privacy",
    "ai",
    "hubspot",
    "security_txt",
];

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `development` (default) or `production` (`PALISADE_ENV`): production refuses settings that are
    /// only safe on a developer's machine, such as mail written to a local directory.
    pub env: Environment,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub log: LogSettings,
    pub jobs: JobSettings,
    pub metrics: MetricsSettings,
    pub mail: MailSettings,
    pub messaging: MessagingSettings,
    pub privacy: PrivacySettings,
    /// The language model (`[ai]`).
    pub ai: crate::ai_config::AiSettings,
    /// The HubSpot app and limits (`[hubspot]`).
    pub hubspot: crate::hubspot_config::HubspotSettings,
    /// Where to report a vulnerability (`[security_txt]`, RFC 9116).
    pub security_txt: crate::security_txt::SecurityTxtSettings,
    /// `PALISADE_REDIS_URL`: share the sign-in rate limits between instances through Redis. Unset:
    /// each instance limits in memory.
    pub redis_url: Option<SecretString>,
    /// `PALISADE_KEYS`: the keyring sealing secrets at rest, `id:base64,…` (32-byte keys; the first
    /// is active). `palisade keys generate` prints one.
    pub keys: Option<SecretString>,
    /// `PALISADE_KEY_FILE`: a mode-0600 file holding the keyring instead.
    pub key_file: Option<PathBuf>,
    /// `PALISADE_INDEX_KEYS`: the keyring of blind-index keys (lookups of sealed phone numbers), in
    /// the same form; separate from `keys`.
    pub index_keys: Option<SecretString>,
    /// `PALISADE_INDEX_KEY_FILE`: a mode-0600 file holding the index keyring instead.
    pub index_key_file: Option<PathBuf>,
    /// `PALISADE_CRON_SECRET`: the bearer token of `/internal/cron/{job}` and
    /// `/internal/ingest/{kind}` (at least 32 characters). Unset: those endpoints refuse everyone.
    pub cron_secret: Option<SecretString>,
    /// The clock sign-in and sessions run on (not configurable from outside; tests set a manual one).
    #[serde(skip)]
    pub clock: palisade_auth::Clock,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files in `mail.mailbox_dir` (development only).
    #[default]
    Mailbox,
    /// The Resend HTTP API.
    Resend,
    /// An SMTP server (`mail.smtp_url`).
    Smtp,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// Sender, e.g. `Palisade <no-reply@example.com>`.
    pub from: String,
    /// Default `<data_dir>/mailbox`.
    pub mailbox_dir: Option<PathBuf>,
    pub resend_api_key: Option<SecretString>,
    pub resend_base_url: String,
    /// `smtps://user:pass@host:465` or `smtp://user:pass@host:587?tls=required`; plain `smtp://` only to
    /// localhost.
    pub smtp_url: Option<SecretString>,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransport::Mailbox,
            from: "Palisade <no-reply@localhost>".into(),
            mailbox_dir: None,
            resend_api_key: None,
            resend_base_url: "https://api.resend.com".into(),
            smtp_url: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobSettings {
    /// Run the background jobs (audit sealer, partitions and retention, incident notices) in this
    /// process. With several instances, running them everywhere is safe.
    pub enabled: bool,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// Privacy operations (`[privacy]`, `PALISADE_PRIVACY__…`).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacySettings {
    /// Days between an admin ending their tenant and the purge of its data (1-366), during which its
    /// admins may still download the company export or cancel.
    pub termination_grace_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            termination_grace_days: 30,
        }
    }
}

/// How outbound messages are delivered (`[messaging]`, `PALISADE_MESSAGING__…`). The providers'
/// credentials are each tenant's integrations; these are the platform's settings.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessagingSettings {
    pub twilio_base_url: String,
    pub resend_base_url: String,
    pub sendgrid_base_url: String,
    /// Messages sent per tenant per second at most (the worker runs every second).
    pub per_tenant_per_second: u16,
    /// Attempts before a message is marked failed.
    pub max_attempts: u16,
    /// The first retry's delay; each later one doubles, with jitter, up to an hour.
    pub retry_base_seconds: u32,
    /// How long one provider request may take.
    pub timeout_seconds: u16,
}

impl Default for MessagingSettings {
    fn default() -> Self {
        Self {
            twilio_base_url: "https://api.twilio.com".into(),
            resend_base_url: "https://api.resend.com".into(),
            sendgrid_base_url: "https://api.sendgrid.com".into(),
            per_tenant_per_second: 10,
            max_attempts: 6,
            retry_base_seconds: 30,
            timeout_seconds: 10,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// When set, `/metrics` requires `Authorization: Bearer <token>` (`PALISADE_METRICS__TOKEN`).
    /// Unset: `/metrics` is open (counts, routes and timings, no tenant data, but the number of
    /// audited writes and of tenants shows through); production refuses that unless `listen` is set.
    pub token: Option<SecretString>,
    /// A separate loopback address (`127.0.0.1:9464`) that serves `/metrics` alone; the public
    /// listener then answers 404 there (`PALISADE_METRICS__LISTEN`).
    pub listen: Option<SocketAddr>,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// Requests per second per client IP (0 disables the limit).
    pub rate_limit_per_second: u32,
    /// Requests a client may send at once before the per-second rate applies.
    pub rate_limit_burst: u32,
    /// The base URL people use to reach this server, for links in emails (default `http://<bind>`).
    pub public_url: Option<String>,
    /// Origins (`https://app.example.com`) whose pages may call the API from a browser (CORS, with
    /// credentials). The server's own origin (`public_url`) is always allowed for cookie requests.
    pub cors_origins: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls_cert: None,
            tls_key: None,
            body_limit_bytes: 64 * 1024,
            rate_limit_per_second: 50,
            rate_limit_burst: 100,
            public_url: None,
            cors_origins: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Admin/migration URL of an existing server. Unset: the embedded cluster in `data_dir`.
    pub url: Option<SecretString>,
    /// URL the server uses at runtime. Default: `url` with user `palisade_runtime` and
    /// `runtime_password`.
    pub runtime_url: Option<SecretString>,
    /// Password set on (and used for) `palisade_runtime`. Unset: no password (peer/trust auth).
    pub runtime_password: Option<SecretString>,
    /// Apply migrations when `serve` starts.
    pub migrate_on_start: bool,
    pub pool_size: usize,
    pub statement_timeout_secs: u64,
    /// Palisade's data directory: the embedded cluster and the generated signing key live here.
    pub data_dir: PathBuf,
    /// Database name inside the embedded cluster.
    pub embedded_dbname: String,
    /// OS user to run the embedded PostgreSQL as when Palisade runs as root (default `postgres`).
    pub os_user: Option<String>,
    /// Directory with `postgres`, `initdb` and `pg_ctl` (default: search).
    pub bin_dir: Option<PathBuf>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            runtime_url: None,
            runtime_password: None,
            migrate_on_start: true,
            pool_size: 16,
            statement_timeout_secs: 30,
            data_dir: PathBuf::from("palisade-data"),
            embedded_dbname: "palisade".into(),
            os_user: None,
            bin_dir: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 signing secret for access tokens (at least 44 characters, e.g. `openssl rand -hex 32`). Required with an external database;
    /// with the embedded one it is generated into `<data_dir>/jwt.key` (mode 0600) when unset.
    pub jwt_secret: Option<SecretString>,
    pub issuer: String,
    pub audience: String,
    /// A session unused this long ends (default 12 hours).
    pub session_idle_minutes: u64,
    /// A session ends this long after sign-in, however active (default 7 days).
    pub session_absolute_hours: u64,
    /// Lifetime of access tokens issued to API sessions (1-15 minutes).
    pub access_token_minutes: u64,
    /// Lifetime of a magic link (1-60 minutes, default 10).
    pub magic_link_minutes: u64,
    /// Let anyone sign up with a magic link. Off: links go only to existing people and invited addresses.
    pub open_signup: bool,
    /// Magic links one address may be sent per hour.
    pub magic_links_per_email_per_hour: u32,
    /// Sign-in requests (magic link, password, refresh, second factor) one client IP may make per hour.
    pub sign_ins_per_ip_per_hour: u32,
    /// Allow email + password sign-in (off: the password endpoints answer 404 and no password is
    /// ever stored).
    pub password_sign_in: bool,
    /// Password attempts against one address per hour; also second-factor codes per person per hour.
    pub password_attempts_per_email_per_hour: u32,
    /// OpenID Connect providers people may sign in with, by id (`[auth.oidc.google]`, or
    /// `PALISADE_AUTH__OIDC__GOOGLE__CLIENT_SECRET=…`). The id appears in the sign-in URL
    /// `/auth/oidc/<id>` and the redirect URI `<public_url>/auth/oidc/<id>/callback`.
    pub oidc: BTreeMap<String, OidcProviderSettings>,
}

/// One OpenID Connect provider (Google, Microsoft Entra ID, Okta, or any other issuer with a
/// discovery document).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderSettings {
    /// The name on sign-in buttons (default: the id).
    #[serde(default)]
    pub display_name: Option<String>,
    /// The issuer exactly as the provider's discovery document states it, e.g.
    /// `https://accounts.google.com`, `https://login.microsoftonline.com/<directory-id>/v2.0`
    /// (Microsoft needs the directory-specific issuer) or `https://<org>.okta.com`.
    pub issuer: String,
    pub client_id: String,
    /// Unset for a public client (PKCE only), if the provider allows that.
    #[serde(default)]
    pub client_secret: Option<SecretString>,
    /// Scopes besides `openid` (default `email`, `profile`).
    #[serde(default = "default_oidc_scopes")]
    pub scopes: Vec<String>,
    /// Let a new identity with a provider-verified address sign in as the person with that address
    /// (or sign up). Anyone who administers the issuer can assert any address, so set this only for
    /// providers trusted to verify them (default on; off, people connect the provider from a
    /// signed-in session).
    #[serde(default = "default_true")]
    pub link_by_email: bool,
    /// With `link_by_email`: only addresses in these domains (e.g. an organisation's Okta for its own
    /// domains). Empty: any domain.
    #[serde(default)]
    pub email_domains: Vec<String>,
}

fn default_true() -> bool {
    true
}

fn default_oidc_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            issuer: "palisade".into(),
            audience: "palisade-api".into(),
            session_idle_minutes: 12 * 60,
            session_absolute_hours: 7 * 24,
            access_token_minutes: 15,
            magic_link_minutes: 10,
            open_signup: false,
            magic_links_per_email_per_hour: 5,
            sign_ins_per_ip_per_hour: 60,
            password_sign_in: false,
            password_attempts_per_email_per_hour: 10,
            oidc: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter, e.g. `info,palisade=debug`.
    pub filter: String,
    /// One JSON object per line instead of human-readable text.
    pub json: bool,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            json: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
}

/// What loading found besides the configuration: environment variables that matched nothing.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub unknown_env: Vec<String>,
}

impl Config {
    pub fn load(file: Option<&Path>) -> Result<Loaded, ConfigError> {
        let mut figment = Figment::new();
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::Invalid(format!(
                    "config file {} not found",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        // A few settings are top-level; everything else lives in a section.
        let known_section = |key: &str| {
            TOP_LEVEL.iter().any(|t| key.eq_ignore_ascii_case(t))
                || key
                    .split_once("__")
                    .is_some_and(|(section, _)| SECTIONS.contains(&section.to_ascii_lowercase().as_str()))
        };
        figment = figment
            .merge(
                Env::prefixed("PALISADE_")
                    .filter(move |k| known_section(k.as_str()))
                    .split("__"),
            )
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database.url".into()));
        let unknown_env = std::env::vars()
            .filter_map(|(k, _)| k.strip_prefix("PALISADE_").map(str::to_owned))
            .filter(|rest| !known_section(rest) && !rest.starts_with("TEST_"))
            .map(|rest| format!("PALISADE_{rest}"))
            .collect();
        let mut config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(&e)))?;
        // An empty DATABASE_URL (a common shell leftover) means "not set": use the embedded cluster.
        if config
            .database
            .url
            .as_ref()
            .is_some_and(|u| u.expose_secret().trim().is_empty())
        {
            config.database.url = None;
        }
        config.validate()?;
        Ok(Loaded { config, unknown_env })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.ai.validate().map_err(ConfigError::Invalid)?;
        self.hubspot.validate().map_err(ConfigError::Invalid)?;
        self.security_txt.validate().map_err(ConfigError::Invalid)?;
        if !(1..=366).contains(&self.privacy.termination_grace_days) {
            return Err(ConfigError::Invalid(
                "privacy.termination_grace_days must be between 1 and 366".into(),
            ));
        }
        if self
            .cron_secret
            .as_ref()
            .is_some_and(|c| c.expose_secret().trim().len() < 32)
        {
            return Err(ConfigError::Invalid(
                "PALISADE_CRON_SECRET must be at least 32 characters (generate one with `openssl rand -hex 32`)".into(),
            ));
        }
        let s = &self.server;
        if s.tls_cert.is_some() != s.tls_key.is_some() {
            return Err(ConfigError::Invalid(
                "server.tls_cert and server.tls_key must be set together".into(),
            ));
        }
        if !(1024..=16 * 1024 * 1024).contains(&s.body_limit_bytes) {
            return Err(ConfigError::Invalid(
                "server.body_limit_bytes must be between 1 KiB and 16 MiB".into(),
            ));
        }
        let m = &self.mail;
        if self.env == Environment::Production && m.transport == MailTransport::Mailbox {
            return Err(ConfigError::Invalid(
                "production (PALISADE_ENV=production) needs a mail transport: set mail.transport = \"resend\" or \"smtp\" \
                 (mail to a local directory would never reach anyone)"
                    .into(),
            ));
        }
        if m.transport == MailTransport::Resend && m.resend_api_key.is_none() {
            return Err(ConfigError::Invalid(
                "mail.transport = \"resend\" needs mail.resend_api_key".into(),
            ));
        }
        if m.transport == MailTransport::Smtp && m.smtp_url.is_none() {
            return Err(ConfigError::Invalid(
                "mail.transport = \"smtp\" needs mail.smtp_url".into(),
            ));
        }
        let a = &self.auth;
        if !(1..=15).contains(&a.access_token_minutes) {
            return Err(ConfigError::Invalid(
                "auth.access_token_minutes must be between 1 and 15".into(),
            ));
        }
        if !(1..=60).contains(&a.magic_link_minutes) {
            return Err(ConfigError::Invalid(
                "auth.magic_link_minutes must be between 1 and 60".into(),
            ));
        }
        if a.session_idle_minutes < 5 || a.session_idle_minutes > a.session_absolute_hours.saturating_mul(60)
        {
            return Err(ConfigError::Invalid(
                "auth.session_idle_minutes must be at least 5 and at most the absolute lifetime".into(),
            ));
        }
        if !(1..=90 * 24).contains(&a.session_absolute_hours) {
            return Err(ConfigError::Invalid(
                "auth.session_absolute_hours must be between 1 and 2160 (90 days)".into(),
            ));
        }
        if a.magic_links_per_email_per_hour == 0
            || a.sign_ins_per_ip_per_hour == 0
            || a.password_attempts_per_email_per_hour == 0
        {
            return Err(ConfigError::Invalid(
                "auth.magic_links_per_email_per_hour and auth.sign_ins_per_ip_per_hour must be positive"
                    .into(),
            ));
        }
        for (id, provider) in &a.oidc {
            self.validate_oidc(id, provider)?;
        }
        for origin in &self.server.cors_origins {
            if crate::cross_site::parse_origin(origin).is_none() {
                return Err(ConfigError::Invalid(format!(
                    "server.cors_origins: `{origin}` is not an origin like https://app.example.com"
                )));
            }
        }
        let d = &self.database;
        if !(1..=1000).contains(&d.pool_size) {
            return Err(ConfigError::Invalid(
                "database.pool_size must be between 1 and 1000".into(),
            ));
        }
        if d.statement_timeout_secs == 0 {
            return Err(ConfigError::Invalid(
                "database.statement_timeout_secs must be positive".into(),
            ));
        }
        if d.embedded_dbname.is_empty() || d.embedded_dbname.len() > 63 {
            return Err(ConfigError::Invalid(
                "database.embedded_dbname must be 1-63 characters".into(),
            ));
        }
        self.validate_metrics()
    }
}

impl Config {
    fn validate_metrics(&self) -> Result<(), ConfigError> {
        let m = &self.metrics;
        if m.token
            .as_ref()
            .is_some_and(|t| t.expose_secret().trim().len() < 16)
        {
            return Err(ConfigError::Invalid(
                "metrics.token must be at least 16 characters (generate one with `openssl rand -hex 32`)"
                    .into(),
            ));
        }
        if let Some(listen) = m.listen {
            if !listen.ip().is_loopback() {
                return Err(ConfigError::Invalid(
                    "metrics.listen must be a loopback address (127.0.0.1 or ::1); to expose metrics \
                     further, set metrics.token instead"
                        .into(),
                ));
            }
            if listen == self.server.bind {
                return Err(ConfigError::Invalid(
                    "metrics.listen must differ from server.bind".into(),
                ));
            }
        }
        if self.env == Environment::Production && m.token.is_none() && m.listen.is_none() {
            return Err(ConfigError::Invalid(
                "production (PALISADE_ENV=production) does not serve /metrics to anyone: set metrics.token \
                 (PALISADE_METRICS__TOKEN), or metrics.listen to a loopback address"
                    .into(),
            ));
        }
        Ok(())
    }

    fn validate_oidc(&self, id: &str, p: &OidcProviderSettings) -> Result<(), ConfigError> {
        let invalid = |what: &str| ConfigError::Invalid(format!("auth.oidc.{id}: {what}"));
        if palisade_auth::oidc_flow_cookie::OidcFlow::start(id, chrono::Utc::now()).is_none() {
            return Err(invalid("the id must be 1-32 letters, digits, `-` or `_`"));
        }
        let scheme = p.issuer.split_once("://").map(|(s, _)| s);
        let https = scheme == Some("https");
        if !(https || scheme == Some("http")) || p.issuer.contains(['?', '#']) {
            return Err(invalid("issuer must be an https URL without query or fragment"));
        }
        if !https && self.env == Environment::Production {
            return Err(invalid("production needs an https issuer"));
        }
        if p.client_id.trim().is_empty() {
            return Err(invalid("client_id is required"));
        }
        if p.issuer.len() > 500 {
            return Err(invalid("issuer is longer than 500 characters"));
        }
        if p.email_domains
            .iter()
            .any(|d| d.is_empty() || !d.is_ascii() || d.contains(['@', ' ']) || d.to_ascii_lowercase() != *d)
        {
            return Err(invalid(
                "email_domains are lowercase domain names like example.com",
            ));
        }
        if p.scopes
            .iter()
            .any(|s| s.is_empty() || s.contains(char::is_whitespace) || s == "openid")
        {
            return Err(invalid(
                "scopes are single words besides `openid`, which is always asked for",
            ));
        }
        Ok(())
    }
}

/// figment errors name the key and the problem; they never contain secret values for our types,
/// but keep only the description and path to be sure.
fn describe(e: &figment::Error) -> String {
    let path = e.path.join(".");
    let kind = match &e.kind {
        figment::error::Kind::InvalidType(actual, expected) => format!("expected {expected}, found {actual}"),
        figment::error::Kind::UnknownField(field, _) => format!("unknown setting `{field}`"),
        other => other.to_string(),
    };
    if path.is_empty() {
        kind
    } else {
        format!("{path}: {kind}")
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err, reason = "figment::Jail's closure signature")]
mod tests {
    use figment::Jail;

    use super::*;

    fn load(jail: &Jail, file: Option<&str>) -> Result<Loaded, ConfigError> {
        Config::load(file.map(|f| jail.directory().join(f)).as_deref())
    }

    #[test]
    fn production_refuses_the_local_mailbox_and_resend_needs_a_key() {
        Jail::expect_with(|jail| {
            jail.set_env("PALISADE_ENV", "production");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("needs a mail transport"), "{err}");
            jail.set_env("PALISADE_MAIL__TRANSPORT", "resend");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("mail.resend_api_key"), "{err}");
            jail.set_env("PALISADE_MAIL__RESEND_API_KEY", "re_123");
            jail.set_env("PALISADE_MAIL__TRANSPORT", "smtp");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("mail.smtp_url"), "{err}");
            jail.set_env("PALISADE_MAIL__TRANSPORT", "resend");
            jail.set_env("PALISADE_METRICS__TOKEN", "metrics-token-123");
            let loaded = load(jail, None).unwrap();
            assert_eq!(loaded.config.env, Environment::Production);
            assert!(
                loaded.unknown_env.is_empty(),
                "PALISADE_ENV is known: {:?}",
                loaded.unknown_env
            );
            assert!(!format!("{:?}", loaded.config).contains("re_123"));
            Ok(())
        });
    }

    #[test]
    fn production_serves_metrics_only_with_a_token_or_on_a_loopback_listener() {
        Jail::expect_with(|jail| {
            jail.set_env("PALISADE_ENV", "production");
            jail.set_env("PALISADE_MAIL__TRANSPORT", "smtp");
            jail.set_env("PALISADE_MAIL__SMTP_URL", "smtp://mail.example");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("does not serve /metrics to anyone"), "{err}");
            jail.set_env("PALISADE_METRICS__LISTEN", "0.0.0.0:9464");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("metrics.listen must be a loopback address"), "{err}");
            jail.set_env("PALISADE_METRICS__LISTEN", "127.0.0.1:9464");
            let loaded = load(jail, None).unwrap();
            assert_eq!(loaded.config.metrics.listen, Some(([127, 0, 0, 1], 9464).into()));
            jail.set_env("PALISADE_METRICS__LISTEN", "127.0.0.1:8080");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("must differ from server.bind"), "{err}");
            jail.set_env("PALISADE_METRICS__LISTEN", "127.0.0.1:9464");
            jail.set_env("PALISADE_METRICS__TOKEN", "");
            let err = load(jail, None).unwrap_err().to_string();
            assert!(err.contains("at least 16 characters"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn oidc_providers_come_from_the_file_with_secrets_from_the_environment() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "p.toml",
                "[auth.oidc.google]\nissuer = \"https://accounts.google.com\"\nclient_id = \"abc\"\n",
            )?;
            jail.set_env("PALISADE_AUTH__OIDC__GOOGLE__CLIENT_SECRET", "s3cret-value");
            let loaded = load(jail, Some("p.toml")).unwrap();
            assert!(loaded.unknown_env.is_empty(), "{:?}", loaded.unknown_env);
            let google = &loaded.config.auth.oidc["google"];
            assert_eq!(google.client_id, "abc");
            assert_eq!(google.scopes, vec!["email", "profile"]);
            assert_eq!(
                google.client_secret.as_ref().unwrap().expose_secret(),
                "s3cret-value"
            );
            assert!(!format!("{:?}", loaded.config).contains("s3cret-value"));
            // A secret for a provider the file does not define is an error, not silently ignored.
            jail.create_file("other.toml", "")?;
            let err = load(jail, Some("other.toml")).unwrap_err().to_string();
            assert!(err.contains("auth.oidc.google: missing field `issuer`"), "{err}");
            jail.clear_env();

            let refused = |toml: &str, expected: &str| {
                jail.create_file("bad.toml", toml).unwrap();
                let err = load(jail, Some("bad.toml")).unwrap_err().to_string();
                assert!(err.contains(expected), "{toml}: {err}");
            };
            refused(
                "[auth.oidc.\"a/b\"]\nissuer = \"https://x\"\nclient_id = \"c\"\n",
                "the id must be",
            );
            refused(
                "[auth.oidc.x]\nissuer = \"ftp://x\"\nclient_id = \"c\"\n",
                "https URL",
            );
            refused(
                "[auth.oidc.x]\nissuer = \"https://x\"\nclient_id = \" \"\n",
                "client_id",
            );
            refused(
                "[auth.oidc.x]\nissuer = \"https://x\"\nclient_id = \"c\"\nscopes = [\"openid\"]\n",
                "scopes",
            );
            refused(
                "[auth.oidc.x]\nissuer = \"https://x\"\nclient_id = \"c\"\nsecret = \"s\"\n",
                "unknown",
            );
            // Production refuses a plain-http issuer (development allows one for a local provider).
            jail.create_file(
                "http.toml",
                "[auth.oidc.x]\nissuer = \"http://127.0.0.1:9\"\nclient_id = \"c\"\n",
            )?;
            assert!(load(jail, Some("http.toml")).is_ok());
            jail.set_env("PALISADE_ENV", "production");
            jail.set_env("PALISADE_MAIL__TRANSPORT", "resend");
            jail.set_env("PALISADE_MAIL__RESEND_API_KEY", "re_123");
            let err = load(jail, Some("http.toml")).unwrap_err().to_string();
            assert!(err.contains("https issuer"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn defaults_are_sane() {
        Jail::expect_with(|jail| {
            let c = load(jail, None).unwrap().config;
            assert_eq!(c.server.bind.to_string(), "127.0.0.1:8080");
            assert!(c.database.url.is_none());
            assert_eq!(c.database.data_dir, PathBuf::from("palisade-data"));
            jail.set_env("DATABASE_URL", "");
            assert!(load(jail, None).unwrap().config.database.url.is_none());
            Ok(())
        });
    }

    #[test]
    fn env_overrides_file_and_database_url_is_read() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "p.toml",
                "[database]\npool_size = 4\n[server]\nbind = \"127.0.0.1:9000\"\n",
            )?;
            jail.set_env("PALISADE_DATABASE__POOL_SIZE", "8");
            jail.set_env("DATABASE_URL", "postgres://u:pw@h/db");
            jail.set_env("PALISADE_NONSENSE", "1");
            jail.set_env("PALISADE_TEST_DATABASE_URL", "x");
            let loaded = load(jail, Some("p.toml")).unwrap();
            assert_eq!(loaded.config.database.pool_size, 8);
            assert_eq!(loaded.config.server.bind.port(), 9000);
            assert_eq!(
                loaded.config.database.url.as_ref().unwrap().expose_secret(),
                "postgres://u:pw@h/db"
            );
            assert_eq!(loaded.unknown_env, vec!["PALISADE_NONSENSE".to_string()]);
            Ok(())
        });
    }

    #[test]
    fn numeric_looking_secrets_stay_strings_and_are_redacted() {
        Jail::expect_with(|jail| {
            jail.set_env(
                "PALISADE_AUTH__JWT_SECRET",
                "12345678901234567890123456789012345678901234567890",
            );
            jail.set_env("DATABASE_URL", "postgres://u:hunter2@h/db");
            let c = load(jail, None).unwrap().config;
            assert_eq!(
                c.auth.jwt_secret.as_ref().unwrap().expose_secret(),
                "12345678901234567890123456789012345678901234567890"
            );
            let debug = format!("{c:?}");
            assert!(!debug.contains("1234567890"), "{debug}");
            assert!(!debug.contains("hunter2"), "{debug}");
            Ok(())
        });
    }

    #[test]
    fn invalid_settings_are_refused_with_the_key() {
        Jail::expect_with(|jail| {
            jail.set_env("PALISADE_DATABASE__POOL_SIZE", "zero");
            let e = load(jail, None).unwrap_err();
            assert!(e.to_string().contains("pool_size"), "{e}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.set_env("PALISADE_DATABASE__POLL_SIZE", "3");
            let e = load(jail, None).unwrap_err();
            assert!(e.to_string().contains("poll_size"), "{e}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.set_env("PALISADE_SERVER__TLS_CERT", "/x.pem");
            let e = load(jail, None).unwrap_err();
            assert!(e.to_string().contains("tls_key"), "{e}");
            Ok(())
        });
    }
}
