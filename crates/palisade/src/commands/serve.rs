//! `palisade serve`: bind, run until SIGINT/SIGTERM, shut down gracefully (including the embedded
//! PostgreSQL this process started).
use anyhow::Context;
use palisade_server::config::Config;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.server.bind)
        .await
        .with_context(|| format!("binding {}", config.server.bind))?;
    let mut term = signal(SignalKind::terminate()).context("installing SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing SIGINT handler")?;
    let shutdown = async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM received, shutting down"),
            _ = int.recv() => tracing::info!("SIGINT received, shutting down"),
        }
    };
    palisade_server::run(config, listener, shutdown)
        .await
        .context("serving")
}
