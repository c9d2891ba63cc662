//! Operator commands. They act through the same context transactions and database functions as the
//! API: creating a tenant runs as the future admin; adding a member is an invitation from an existing
//! admin that the person accepts at once (nobody joins a tenant any other way).
use anyhow::{anyhow, bail, Context};
use palisade_core::membership;
use palisade_core::tenancy::{self, NewTenant};
use palisade_core::CoreError;
use palisade_db::{Db, Principal, TenantId, TenantRole, UserId};
use palisade_server::config::Config;
use palisade_server::Database;

use crate::cli::{TenantCommand, TokenCommand, UserCommand};

/// Runs `work` against the configured database (migrating first when configured), then closes it.
pub(super) async fn with_db<T>(
    config: &Config,
    work: impl AsyncFnOnce(&Db) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    super::with_database(config, async |database| {
        work(&database.connect(&config.database).await?).await
    })
    .await
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let database = Database::prepare(&config.database).await?;
    let result = database.migrate(&config.database).await;
    database.close().await;
    let report = result?;
    println!(
        "{} migration(s) applied, {} already present",
        report.applied.len(),
        report.already
    );
    Ok(())
}

fn core(e: CoreError) -> anyhow::Error {
    anyhow!("{e}")
}

async fn ensure_user(db: &Db, email: &str, name: Option<&str>) -> anyhow::Result<UserId> {
    let mut tx = db.auth().await?;
    let user = tenancy::ensure_user(&mut tx, email, name).await.map_err(core)?;
    tx.commit().await?;
    Ok(user)
}

async fn find_user(db: &Db, email: &str) -> anyhow::Result<UserId> {
    let mut tx = db.auth().await?;
    let user = tenancy::user_by_email(&mut tx, email).await.map_err(core)?;
    tx.commit().await?;
    user.ok_or_else(|| anyhow!("no user with email {email}"))
}

async fn tenant_of(db: &Db, user: UserId, slug: &str) -> anyhow::Result<TenantId> {
    let mut tx = db
        .user(&Principal {
            user_id: user,
            tenant_id: None,
        })
        .await?;
    let tenant = tenancy::find_by_slug(&mut tx, user, slug)
        .await
        .map_err(|e| match e {
            CoreError::NotFound => anyhow!("the user is not an active member of a tenant `{slug}`"),
            other => core(other),
        })?;
    tx.commit().await?;
    Ok(TenantId::from_uuid(tenant.id))
}

pub async fn tenant(config: &Config, command: TenantCommand) -> anyhow::Result<()> {
    let TenantCommand::Create { slug, name, admin } = command else {
        anyhow::bail!("`palisade tenant purge` is run by its own command");
    };
    with_db(config, async |db| {
        let admin = ensure_user(db, &admin, None).await?;
        let mut tx = db
            .user(&Principal {
                user_id: admin,
                tenant_id: None,
            })
            .await?;
        let tenant = tenancy::create(&mut tx, admin, &NewTenant { slug, name })
            .await
            .map_err(core)?;
        tx.commit().await?;
        println!(
            "{}",
            serde_json::json!({ "id": tenant.id, "slug": tenant.slug, "admin_user_id": admin })
        );
        Ok(())
    })
    .await
}

pub async fn user(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let (email, name, tenant, role, by) = match command {
        UserCommand::Create {
            email,
            name,
            tenant,
            role,
            by,
        } => (email, name, tenant, role, by),
        UserCommand::Disable { email } => return super::people::set_disabled(config, &email, true).await,
        UserCommand::Enable { email } => return super::people::set_disabled(config, &email, false).await,
    };
    with_db(config, async |db| {
        let Some(slug) = tenant else {
            let user = ensure_user(db, &email, name.as_deref()).await?;
            println!("{}", serde_json::json!({ "id": user }));
            return Ok(());
        };
        let role = role
            .as_deref()
            .and_then(TenantRole::parse)
            .context("--role must be rep, manager or admin")?;
        let by = by.context("--by is required with --tenant")?;
        let admin = find_user(db, &by).await?;
        let tenant = tenant_of(db, admin, &slug).await?;
        let by_admin = Principal {
            user_id: admin,
            tenant_id: Some(tenant),
        };
        let member = membership::provision(db, &by_admin, &email, name.as_deref(), role)
            .await
            .map_err(|e| match e {
                CoreError::Forbidden(_) | CoreError::NotMember => anyhow!("{by} is not an admin of `{slug}`"),
                CoreError::Conflict { .. } => anyhow!("{email} is already a member of `{slug}`"),
                other => core(other),
            })?;
        println!(
            "{}",
            serde_json::json!({ "id": member, "tenant_id": tenant, "role": role.as_str() })
        );
        Ok(())
    })
    .await
}

pub async fn token(config: &Config, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Mint { user, tenant, ttl } = command;
    if ttl > palisade_auth::MAX_TTL || ttl.is_zero() {
        bail!("--ttl must be between 1s and 24h");
    }
    let keys = palisade_server::startup::token_keys(config)?;
    with_db(config, async |db| {
        let user_id = find_user(db, &user).await?;
        let tenant_id = match &tenant {
            Some(slug) => Some(tenant_of(db, user_id, slug).await?),
            None => None,
        };
        println!("{}", keys.mint(user_id, tenant_id, ttl)?);
        Ok(())
    })
    .await
}
