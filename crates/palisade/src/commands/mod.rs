//! One module per command.
mod audit;
mod export;
mod keys;
mod operator;
mod people;
mod platform_admins;
mod purge;
mod retention;
mod serve;
mod verify;

use anyhow::Context;
use palisade_server::config::Config;
use palisade_server::Database;

use crate::cli::{Cli, Command, RetentionCommand, TenantCommand};

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
        Command::Tenant {
            command: TenantCommand::Purge { slug, yes },
        } => purge::run(&config, &slug, yes).await,
        Command::Tenant { command } => operator::tenant(&config, command).await,
        Command::User { command } => operator::user(&config, command).await,
        Command::PlatformAdmin { command } => platform_admins::run(&config, command).await,
        Command::Token { command } => operator::token(&config, command).await,
        Command::Audit { command } => audit::run(&config, command).await,
        Command::Keys { command } => keys::run(&config, command).await,
        Command::Retention {
            command: RetentionCommand::Run { dry_run, tenant },
        } => retention::run(&config, dry_run, tenant.as_deref()).await,
        Command::Export { tenant, out, format } => export::run(&config, &tenant, &out, format.into()).await,
        Command::Verify { json } => verify::run(&config, json).await,
        Command::Version => Ok(()),
    }
}

/// Prepares the configured database (migrating first when configured), runs `work`, then closes it.
pub(super) async fn with_database<T>(
    config: &Config,
    work: impl AsyncFnOnce(&Database) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let database = Database::prepare(&config.database).await?;
    let result = async {
        if config.database.migrate_on_start {
            database.migrate(&config.database).await?;
        }
        work(&database).await
    }
    .await;
    database.close().await;
    result
}

/// A connection as the database admin, for operator commands that must act past row-level security
/// (verifying every tenant's audit chain, disabling a person across tenants) or that only the database
/// admin may ask for (purging a tenant without a grace period).
pub(super) async fn admin_connection(database: &Database) -> anyhow::Result<tokio_postgres::Client> {
    #[expect(
        clippy::disallowed_methods,
        reason = "operator commands that act as the database admin, past row-level security"
    )]
    let client = palisade_db::connect::connect_once(&database.admin).await?;
    Ok(client)
}

/// Runs `work` with a connection as the database admin (see [`admin_connection`]).
async fn as_database_admin<T>(
    config: &Config,
    work: impl AsyncFnOnce(&tokio_postgres::Client) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    with_database(config, async |database| {
        work(&admin_connection(database).await?).await
    })
    .await
}
