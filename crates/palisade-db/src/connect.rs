//! Connection targets: a `postgres://` URL (with libpq-style `sslmode`) or the embedded cluster's
//! socket, and the rustls connector that implements the TLS modes.
use std::{path::PathBuf, str::FromStr, sync::Arc};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode` values. `tokio-postgres` knows disable/prefer/require; the verifying modes are
/// implemented here with rustls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    /// Encrypt when the server offers TLS; no certificate check (libpq semantics).
    Prefer,
    /// Always encrypt; no certificate check (libpq semantics).
    Require,
    /// Encrypt and verify the chain against trusted roots, not the host name.
    VerifyCa,
    /// Encrypt and verify chain and host name.
    VerifyFull,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("cannot read sslrootcert {path}: {reason}")]
    RootCert { path: PathBuf, reason: String },
}

/// Where and how to connect. Cloneable; holds credentials, so its `Debug` redacts the password.
#[derive(Clone)]
pub struct Target {
    pub config: tokio_postgres::Config,
    pub tls: TlsMode,
    pub root_cert: Option<PathBuf>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("user", &self.config.get_user())
            .field("dbname", &self.config.get_dbname())
            .field("hosts", &self.config.get_hosts())
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// Parses a URL or key=value string. `sslmode` and `sslrootcert` are taken out and handled here.
    pub fn parse(url: &str) -> Result<Self, ConnectError> {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let mut tls = TlsMode::Prefer;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => {
                    tls = match value {
                        "disable" => TlsMode::Disable,
                        "allow" | "prefer" => TlsMode::Prefer,
                        "require" => TlsMode::Require,
                        "verify-ca" => TlsMode::VerifyCa,
                        "verify-full" => TlsMode::VerifyFull,
                        other => return Err(ConnectError::InvalidUrl(format!("unknown sslmode `{other}`"))),
                    }
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(value))),
                _ => kept.push(pair),
            }
        }
        let rebuilt = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        // The driver's message never contains the password; keep it anyway to the error kind only.
        let mut config = tokio_postgres::Config::from_str(&rebuilt)
            .map_err(|e| ConnectError::InvalidUrl(redact_driver_error(&e.to_string())))?;
        config.ssl_mode(match tls {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        Ok(Self {
            config,
            tls,
            root_cert,
        })
    }

    /// A unix-socket target (the embedded cluster): no TLS.
    pub fn socket(dir: PathBuf, port: u16, user: &str, dbname: &str) -> Self {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(dir)
            .port(port)
            .user(user)
            .dbname(dbname)
            .ssl_mode(SslMode::Disable);
        Self {
            config,
            tls: TlsMode::Disable,
            root_cert: None,
        }
    }

    /// The same server and database, as another user.
    pub fn with_user(&self, user: &str, password: Option<&[u8]>) -> Self {
        let mut next = self.clone();
        next.config.user(user);
        match password {
            Some(p) => next.config.password(p),
            None => next.config.password(Vec::<u8>::new()),
        };
        next
    }

    pub fn with_dbname(&self, dbname: &str) -> Self {
        let mut next = self.clone();
        next.config.dbname(dbname);
        next
    }

    /// Renders the target as a libpq-style `key=value` string (for configuration files and tests).
    /// Holds the password when there is one: treat the result as a secret.
    pub fn to_conninfo(&self) -> secrecy::SecretString {
        fn quote(v: &str) -> String {
            format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        let c = &self.config;
        let mut parts = Vec::new();
        for host in c.get_hosts() {
            match host {
                tokio_postgres::config::Host::Tcp(h) => parts.push(format!("host={}", quote(h))),
                tokio_postgres::config::Host::Unix(p) => {
                    parts.push(format!("host={}", quote(&p.to_string_lossy())))
                }
            }
        }
        if let Some(port) = c.get_ports().first() {
            parts.push(format!("port={port}"));
        }
        if let Some(user) = c.get_user() {
            parts.push(format!("user={}", quote(user)));
        }
        if let Some(pw) = c.get_password() {
            parts.push(format!("password={}", quote(&String::from_utf8_lossy(pw))));
        }
        if let Some(db) = c.get_dbname() {
            parts.push(format!("dbname={}", quote(db)));
        }
        let mode = match self.tls {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        };
        let mut info = parts.join(" ");
        // key=value strings carry sslmode inline; the verifying modes travel as URL parameters.
        info.push_str(&format!("?sslmode={mode}"));
        if let Some(root) = &self.root_cert {
            info.push_str(&format!("&sslrootcert={}", root.display()));
        }
        secrecy::SecretString::from(info)
    }

    pub fn connector(&self) -> Result<Connector, ConnectError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectError::InvalidUrl(format!("TLS setup: {e}")))?;
        let config = match self.tls {
            TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
                .with_no_client_auth(),
            TlsMode::VerifyCa | TlsMode::VerifyFull => {
                let roots = Arc::new(self.roots()?);
                if self.tls == TlsMode::VerifyFull {
                    builder.with_root_certificates(roots).with_no_client_auth()
                } else {
                    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider)
                        .build()
                        .map_err(|e| ConnectError::InvalidUrl(format!("TLS roots: {e}")))?;
                    builder
                        .dangerous()
                        .with_custom_certificate_verifier(Arc::new(ChainOnly(inner)))
                        .with_no_client_auth()
                }
            }
        };
        Ok(Connector(MakeRustlsConnect::new(config)))
    }

    fn roots(&self) -> Result<RootCertStore, ConnectError> {
        let mut store = RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                let err = |reason: String| ConnectError::RootCert {
                    path: path.clone(),
                    reason,
                };
                let pem = std::fs::read(path).map_err(|e| err(e.to_string()))?;
                for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                    store
                        .add(cert.map_err(|e| err(e.to_string()))?)
                        .map_err(|e| err(e.to_string()))?;
                }
                if store.is_empty() {
                    return Err(err("no certificates found".into()));
                }
            }
            None => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        Ok(store)
    }
}

/// The rustls connector, usable for unix sockets too: the driver asks for a TLS connector with an
/// empty host name there (and never uses it, since sockets run with `sslmode=disable`), which
/// rustls would reject as an invalid DNS name.
#[derive(Clone)]
pub struct Connector(MakeRustlsConnect);

impl<S> tokio_postgres::tls::MakeTlsConnect<S> for Connector
where
    MakeRustlsConnect: tokio_postgres::tls::MakeTlsConnect<S>,
{
    type Stream = <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<S>>::Stream;
    type TlsConnect = <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<S>>::TlsConnect;
    type Error = <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<S>>::Error;

    fn make_tls_connect(&mut self, hostname: &str) -> Result<Self::TlsConnect, Self::Error> {
        let hostname = if hostname.is_empty() {
            "localhost"
        } else {
            hostname
        };
        self.0.make_tls_connect(hostname)
    }
}

fn redact_driver_error(message: &str) -> String {
    // tokio-postgres config errors name the bad option, never its value; be safe regardless.
    message.split(':').next().unwrap_or("parse error").to_owned()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// libpq's `require`/`prefer`: encrypted, but the certificate is not checked.
#[derive(Debug)]
struct NoVerification(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// libpq's `verify-ca`: the chain must lead to a trusted root; the host name is not compared.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForNameContext {
                ..
            })) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Opens one plain connection (migrations, the testkit). Runtime code uses [`crate::Db`].
pub async fn connect_once(target: &Target) -> Result<tokio_postgres::Client, crate::DbError> {
    let connector = target
        .connector()
        .map_err(|e| crate::DbError::Unavailable(e.to_string()))?;
    #[expect(clippy::disallowed_methods, reason = "palisade-db owns connection setup")]
    let (client, connection) = target.config.connect(connector).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "database connection ended");
        }
    });
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmodes_are_understood() {
        let t = Target::parse("postgres://u:p@db.example.com:5432/app?sslmode=verify-full").unwrap();
        assert_eq!(t.tls, TlsMode::VerifyFull);
        assert_eq!(t.config.get_ssl_mode(), SslMode::Require);
        let t = Target::parse("postgres://u@h/app?sslmode=require&application_name=x").unwrap();
        assert_eq!(t.tls, TlsMode::Require);
        assert_eq!(t.config.get_application_name(), Some("x"));
        assert_eq!(Target::parse("postgres://u@h/app").unwrap().tls, TlsMode::Prefer);
        assert_eq!(
            Target::parse("postgres://u@h/app?sslmode=disable").unwrap().tls,
            TlsMode::Disable
        );
        assert!(Target::parse("postgres://u@h/app?sslmode=maybe").is_err());
        let t = Target::parse("postgres://u@h/app?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca.pem").unwrap();
        assert_eq!(t.root_cert.as_deref(), Some(std::path::Path::new("/tmp/ca.pem")));
    }

    #[test]
    fn conninfo_round_trips() {
        use secrecy::ExposeSecret;
        let t = Target::socket(PathBuf::from("/tmp/x y"), 5432, "palisade_runtime", "db");
        let back = Target::parse(t.to_conninfo().expose_secret()).unwrap();
        assert_eq!(back.config.get_dbname(), Some("db"));
        assert_eq!(back.config.get_user(), Some("palisade_runtime"));
        assert_eq!(back.tls, TlsMode::Disable);
        let t = Target::parse("postgres://u:p'w@h:6543/app?sslmode=verify-full").unwrap();
        let back = Target::parse(t.to_conninfo().expose_secret()).unwrap();
        assert_eq!(back.config.get_password(), Some(&b"p'w"[..]));
        assert_eq!(back.config.get_ports(), &[6543]);
        assert_eq!(back.tls, TlsMode::VerifyFull);
    }

    #[test]
    fn debug_never_shows_the_password() {
        let t = Target::parse("postgres://alice:s3cret-pw@h/app").unwrap();
        assert!(!format!("{t:?}").contains("s3cret-pw"));
    }

    #[test]
    fn verifying_modes_build_connectors() {
        for mode in ["require", "verify-ca", "verify-full"] {
            Target::parse(&format!("postgres://u@h/app?sslmode={mode}"))
                .unwrap()
                .connector()
                .unwrap();
        }
        let bad =
            Target::parse("postgres://u@h/app?sslmode=verify-full&sslrootcert=/nonexistent.pem").unwrap();
        assert!(matches!(bad.connector(), Err(ConnectError::RootCert { .. })));
    }
}
