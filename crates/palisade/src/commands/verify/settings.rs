//! The deployment's own promises, read from its configuration: TLS where it must be, metrics not
//! open to anyone, a strong cron secret, a place to report vulnerabilities.
use std::collections::BTreeSet;

use palisade_core::verify::Check;
use palisade_db::connect::{Target, TlsMode};
use palisade_server::config::{Config, Environment};
use secrecy::ExposeSecret;

pub fn checks(config: &Config, runtime: &Target, admin: &Target) -> Vec<Check> {
    vec![
        https(config),
        database_tls(runtime, admin),
        metrics(config),
        cron_secret(config),
        disclosure(config),
    ]
}

/// Production serves HTTPS: with a certificate of its own, as `serve` would load it.
fn https(config: &Config) -> Check {
    let mut problems = Vec::new();
    if config.env == Environment::Production {
        match (&config.server.tls_cert, &config.server.tls_key) {
            (Some(cert), Some(key)) => {
                for (what, path) in [("certificate", cert), ("key", key)] {
                    if std::fs::metadata(path).is_err() {
                        problems.push(format!("the TLS {what} {} cannot be read", path.display()));
                    }
                }
            }
            _ => problems.push("production without server.tls_cert and server.tls_key".into()),
        }
    }
    Check::new(
        "https",
        "production answers only over TLS, with a certificate",
        problems,
    )
}

/// A database on another machine is reached with `sslmode` at least `require`.
fn database_tls(runtime: &Target, admin: &Target) -> Check {
    let mut problems = Vec::new();
    for (name, target) in [("runtime", runtime), ("admin", admin)] {
        let remote: BTreeSet<String> = target
            .config
            .get_hosts()
            .iter()
            .filter_map(|h| match h {
                tokio_postgres::config::Host::Tcp(host) if !is_loopback(host) => Some(host.clone()),
                _ => None,
            })
            .collect();
        let encrypted = matches!(
            target.tls,
            TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull
        );
        if !remote.is_empty() && !encrypted {
            problems.push(format!(
                "the {name} connection reaches {} without sslmode=require (or verify-ca, verify-full)",
                remote.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Check::new(
        "database_tls",
        "a database on another machine is reached over TLS",
        problems,
    )
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `/metrics` asks for a token, or is served only on a loopback listener.
fn metrics(config: &Config) -> Check {
    let m = &config.metrics;
    let mut problems = Vec::new();
    match (&m.token, m.listen) {
        (_, Some(addr)) if !addr.ip().is_loopback() => {
            problems.push(format!("metrics.listen {addr} is not a loopback address"))
        }
        (Some(token), _) if token.expose_secret().len() < 32 => {
            problems.push("metrics.token is shorter than 32 characters".into())
        }
        (None, None) => problems.push(
            "/metrics is served to anyone: set metrics.token, or metrics.listen on a loopback address".into(),
        ),
        _ => {}
    }
    Check::new(
        "metrics_protected",
        "metrics need a token or stay on a loopback listener",
        problems,
    )
}

/// The cron secret, when set, is long and not a repeated pattern (unset, the routes refuse all).
fn cron_secret(config: &Config) -> Check {
    let mut problems = Vec::new();
    if let Some(secret) = &config.cron_secret {
        let s = secret.expose_secret().trim();
        let distinct: BTreeSet<char> = s.chars().collect();
        if s.chars().count() < 32 {
            problems.push("the cron secret is shorter than 32 characters".into());
        } else if distinct.len() < 10 {
            problems.push(format!(
                "the cron secret has {} distinct characters: generate one (`openssl rand -hex 32`)",
                distinct.len()
            ));
        }
    }
    Check::new(
        "cron_secret",
        "the cron secret is strong, or unset (then the internal routes refuse everyone)",
        problems,
    )
}

/// Production says where to report a vulnerability (`/.well-known/security.txt`), and not stale.
fn disclosure(config: &Config) -> Check {
    let s = &config.security_txt;
    let mut problems = Vec::new();
    if config.env == Environment::Production && s.contact.is_empty() {
        problems.push("production without security_txt.contact: /.well-known/security.txt is 404".into());
    }
    let now = chrono::Utc::now();
    match s.expires {
        Some(e) if e < now => problems.push("security_txt.expires has passed".into()),
        // RFC 9116 asks for less than a year, so a forgotten file goes stale.
        Some(e) if e > now + chrono::Duration::days(366) => {
            problems.push("security_txt.expires is more than a year ahead".into())
        }
        _ => {}
    }
    Check::new(
        "disclosure",
        "security.txt names a current contact for vulnerability reports",
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_and_open_settings_are_named() {
        let mut config = Config::default();
        assert!(!metrics(&config).passed, "metrics open to anyone");
        config.metrics.token = Some("x".repeat(40).into());
        assert!(metrics(&config).passed);
        config.cron_secret = Some("ab".repeat(20).into());
        assert!(!cron_secret(&config).passed, "two distinct characters");
        config.cron_secret = Some("3f9a1c0b7e2d4a6f8b1c3e5d7f9a0b2c4d6e8f0a".into());
        assert!(cron_secret(&config).passed);
        config.env = Environment::Production;
        assert!(!https(&config).passed);
        assert!(!disclosure(&config).passed);
        let remote = Target::parse("postgres://app@db.example.com/palisade").unwrap();
        let local = Target::parse("postgres://app@127.0.0.1/palisade").unwrap();
        assert!(!database_tls(&remote, &local).passed);
        assert!(database_tls(&local, &local).passed);
        let tls = Target::parse("postgres://app@db.example.com/palisade?sslmode=require").unwrap();
        assert!(database_tls(&tls, &tls).passed);
    }
}
