//! TLS serving with rustls (ring provider).
use std::path::Path;
use std::sync::Arc;

use axum_server::tls_rustls::RustlsConfig;

use crate::startup::StartupError;

pub fn load(cert: &Path, key: &Path) -> Result<RustlsConfig, StartupError> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| StartupError::Invalid(format!("cannot read {}: {e}", p.display())))
    };
    let certs = rustls_pemfile::certs(&mut read(cert)?.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StartupError::Invalid(format!("{}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(StartupError::Invalid(format!(
            "{}: no certificate found",
            cert.display()
        )));
    }
    let key = rustls_pemfile::private_key(&mut read(key)?.as_slice())
        .map_err(|e| StartupError::Invalid(format!("{}: {e}", key.display())))?
        .ok_or_else(|| StartupError::Invalid(format!("{}: no private key found", key.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StartupError::Invalid(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| StartupError::Invalid(format!("TLS certificate/key: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(RustlsConfig::from_config(Arc::new(config)))
}
