//! One module per command.
mod audit;
mod keys;
mod operator;
mod people;
mod serve;

use anyhow::Context;
use palisade_server::config::Config;

use crate::cli::{Cli, Command};

pub async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let loaded = Config::load(cli.config.as_deref()).context("loading configuration")?;
    let mut config = loaded.config;
    crate::logging::init(&config.log);
    for key in &loaded.unknown_env {
        tracing::warn!(variable = %key, "unknown PALISADE_* environment variable ignored");
    }
    if let Some(dir) = cli.data_dir {
        config.database.data_dir = dir;
    }
    match cli.command {
        Command::Serve {
            bind,
            tls_cert,
            tls_key,
        } => {
            if let Some(bind) = bind {
                config.server.bind = bind;
            }
            if tls_cert.is_some() {
                config.server.tls_cert = tls_cert;
                config.server.tls_key = tls_key;
            }
            serve::run(config).await
        }
        Command::Migrate => operator::migrate(&config).await,
        Command::Tenant { command } => operator::tenant(&config, command).await,
        Command::User { command } => operator::user(&config, command).await,
        Command::Token { command } => operator::token(&config, command).await,
        Command::Audit { command } => audit::run(&config, command).await,
        Command::Keys { command } => keys::run(command),
        Command::Version => Ok(()),
    }
}
