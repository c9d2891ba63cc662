//! `palisade platform-admin grant|revoke|list`: who may see every tenant's error events and declare
//! incidents. Runs in the system service context through definer functions (migration 0030) that
//! record each change in the audit trail and the access log; no request path can reach them.
use anyhow::{anyhow, bail};
use palisade_db::{Db, Purpose};
use palisade_server::config::Config;
use uuid::Uuid;

use super::operator::with_db;
use crate::cli::PlatformAdminCommand;

pub async fn run(config: &Config, command: PlatformAdminCommand) -> anyhow::Result<()> {
    with_db(config, async |db| match command {
        PlatformAdminCommand::Grant { email } => grant(db, &email).await,
        PlatformAdminCommand::Revoke { email } => revoke(db, &email).await,
        PlatformAdminCommand::List => list(db).await,
    })
    .await
}

fn checked_email(email: &str) -> anyhow::Result<&str> {
    let email = email.trim();
    if email.len() < 3 || email.len() > 320 || !email.contains('@') {
        bail!("--email must be an email address");
    }
    Ok(email)
}

async fn grant(db: &Db, email: &str) -> anyhow::Result<()> {
    let email = checked_email(email)?;
    let mut tx = db.system(Purpose::Maintenance).await?;
    let user: Uuid = tx
        .query_one("select app.grant_platform_admin($1) as user_id", &[&email])
        .await?
        .try_get("user_id")
        .map_err(|e| anyhow!("{e}"))?;
    tx.commit().await?;
    println!("{}", serde_json::json!({ "id": user, "platform_admin": true }));
    Ok(())
}

async fn revoke(db: &Db, email: &str) -> anyhow::Result<()> {
    let email = checked_email(email)?;
    let mut tx = db.system(Purpose::Maintenance).await?;
    let was: bool = tx
        .query_one("select app.revoke_platform_admin($1) as was_admin", &[&email])
        .await?
        .try_get("was_admin")
        .map_err(|e| anyhow!("{e}"))?;
    tx.commit().await?;
    if !was {
        bail!("{email} is not a platform admin");
    }
    println!(
        "{}",
        serde_json::json!({ "email": email, "platform_admin": false })
    );
    Ok(())
}

async fn list(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.system(Purpose::Maintenance).await?;
    let rows = tx
        .query(
            "select user_id, email, granted_at from app.list_platform_admins()",
            &[],
        )
        .await?;
    tx.commit().await?;
    for row in &rows {
        let id: Uuid = row.try_get("user_id").map_err(|e| anyhow!("{e}"))?;
        let email: String = row.try_get("email").map_err(|e| anyhow!("{e}"))?;
        let at: chrono::DateTime<chrono::Utc> = row.try_get("granted_at").map_err(|e| anyhow!("{e}"))?;
        println!(
            "{}",
            serde_json::json!({ "id": id, "email": email, "granted_at": at })
        );
    }
    Ok(())
}
