//! Tenant termination (migration 0037): an admin ends the tenant, nobody acts in it from then on, its
//! admins may download the company export or cancel during the grace period, and then the purge
//! deletes every row of the tenant in batches — each its own transaction in the system service context
//! with purpose `termination` — keeping its suppressions, the de-identified tenant row, the receipt and
//! the audit chain's anchor.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use palisade_db::{Db, Purpose, TenantId, Tx};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

/// Rows per purge batch: small enough that one batch's transaction stays short.
const BATCH: i32 = 2000;
/// Links (with their events) per audit batch.
const AUDIT_BATCH: i32 = 5000;

/// A live termination, as its tenant's admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Termination {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub slug: String,
    /// `terminating` (grace period: the export may be downloaded, the termination canceled) or
    /// `purging` (the data is being deleted).
    pub status: String,
    /// The admin who ended the tenant (null: an operator).
    pub requested_by: Option<Uuid>,
    pub requested_at: DateTime<Utc>,
    /// When the purge may start.
    pub purge_after: DateTime<Utc>,
    pub purge_started_at: Option<DateTime<Utc>>,
}

/// Ends the caller's tenant (user context in the tenant as an admin, in a session with a sign-in or
/// second-factor check in the last ten minutes), confirmed by typing its slug. Returns the termination.
pub async fn start(
    tx: &mut Tx,
    tenant: TenantId,
    confirm_slug: &str,
    now: DateTime<Utc>,
    grace: chrono::Duration,
) -> Result<Termination, CoreError> {
    let started = tx
        .query_one(
            "select app.start_termination($1, $2, $3)",
            &[&confirm_slug, &now, &grace.num_seconds()],
        )
        .await;
    match started {
        Err(palisade_db::DbError::Rule { code, .. }) if code == "PA422" => {
            return Err(CoreError::invalid(
                "confirmation_mismatch",
                "confirm_slug must be this tenant's slug, exactly",
            ))
        }
        other => other?,
    };
    // As its admins will see it from now on (they no longer act in the tenant).
    for_admin(tx, tenant).await?.ok_or(CoreError::NotFound)
}

fn termination(row: &tokio_postgres::Row) -> Result<Termination, CoreError> {
    Ok(Termination {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        slug: row.try_get("slug")?,
        status: row.try_get("status")?,
        requested_by: row.try_get("requested_by")?,
        requested_at: row.try_get("requested_at")?,
        purge_after: row.try_get("purge_after")?,
        purge_started_at: row.try_get("purge_started_at")?,
    })
}

/// The live termination of `tenant`, when the caller (user context acting in no tenant) is one of
/// its active admins; `None` otherwise — for an active tenant too.
pub async fn for_admin(tx: &mut Tx, tenant: TenantId) -> Result<Option<Termination>, CoreError> {
    tx.query_opt("select * from app.termination_for_admin($1)", &[tenant.as_uuid()])
        .await?
        .as_ref()
        .map(termination)
        .transpose()
}

/// The live terminations of every tenant the caller (user context acting in no tenant) is an active
/// admin of, newest first: the tenants they can no longer act in but may still export or cancel.
pub async fn mine(tx: &mut Tx) -> Result<Vec<Termination>, CoreError> {
    tx.query("select * from app.terminations_for_admin()", &[])
        .await?
        .iter()
        .map(termination)
        .collect()
}

/// Cancels the grace-period termination of `tenant` (one of its admins, user context acting in no
/// tenant): the tenant is active again. False when there is nothing this caller may cancel.
pub async fn cancel(tx: &mut Tx, tenant: TenantId, now: DateTime<Utc>) -> Result<bool, CoreError> {
    let row = tx
        .query_one(
            "select app.cancel_termination($1, $2) as canceled",
            &[tenant.as_uuid(), &now],
        )
        .await?;
    Ok(row.try_get("canceled")?)
}

/// Tenants whose purge is due (by the database's clock) or under way: (id, slug).
pub async fn due(db: &Db) -> Result<Vec<(TenantId, String)>, CoreError> {
    let mut tx = db.system(Purpose::Termination).await?;
    let rows = tx
        .query("select tenant_id, slug from app.due_terminations()", &[])
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok((TenantId::from_uuid(r.try_get("tenant_id")?), r.try_get("slug")?)))
        .collect()
}

/// Starts the purge of the terminating tenant `slug` once its grace period is over (the job). `None`
/// when there is no such tenant, it is purged already, or its purge may not start yet.
pub async fn begin(db: &Db, slug: &str) -> Result<Option<TenantId>, CoreError> {
    let mut tx = db.system(Purpose::Termination).await?;
    let row = tx
        .query_one("select app.begin_purge($1, false) as id", &[&slug])
        .await?;
    tx.commit().await?;
    let id: Option<Uuid> = row.try_get("id")?;
    Ok(id.map(TenantId::from_uuid))
}

/// Starts the purge of the tenant `slug` at once, whatever its state (`palisade tenant purge`): on a
/// connection as the database admin, as only the database admin may skip a grace period. `None` when
/// there is no such tenant or it is purged already.
pub async fn begin_at_once(
    admin: &tokio_postgres::Client,
    slug: &str,
) -> Result<Option<TenantId>, CoreError> {
    let row = admin
        .query_one("select app.begin_purge($1, true) as id", &[&slug])
        .await?;
    let id: Option<Uuid> = row.try_get("id")?;
    Ok(id.map(TenantId::from_uuid))
}

/// What a purge run did.
#[derive(Debug, Default)]
pub struct Purged {
    /// Rows deleted per table in this run (`audit.events` included).
    pub rows: BTreeMap<String, i64>,
    /// The tenant is purged (false: the time budget ran out; the next run goes on).
    pub finished: bool,
}

/// Purges a tenant whose purge has begun ([`begin`], [`begin_at_once`]): its rows, then its audit
/// chain up to an anchor, then the receipt. Resumable: every step starts from what is left, and runs
/// under the tenant's purge lock. `progress` hears each batch.
pub async fn purge(
    db: &Db,
    tenant: TenantId,
    budget: Option<Duration>,
    mut progress: impl FnMut(&str, i64),
) -> Result<Purged, CoreError> {
    let started = Instant::now();
    let over = || budget.is_some_and(|b| started.elapsed() >= b);
    let mut purged = Purged::default();
    // The budget is looked at after each batch, so every run moves each phase on by one at least.
    loop {
        let mut tx = db.system(Purpose::Termination).await?;
        let row = tx
            .query_one(
                "select table_name, deleted from app.purge_batch($1, $2)",
                &[tenant.as_uuid(), &BATCH],
            )
            .await?;
        tx.commit().await?;
        let Some(table) = row.try_get::<_, Option<String>>("table_name")? else {
            break;
        };
        let deleted: i64 = row.try_get("deleted")?;
        *purged.rows.entry(table.clone()).or_default() += deleted;
        progress(&table, deleted);
        if over() {
            return Ok(purged);
        }
    }
    let mut events = 0i64;
    let trail_gone = loop {
        let mut tx = db.system(Purpose::Termination).await?;
        let row = tx
            .query_one(
                "select audit.purge_chain_batch($1, $2) as n",
                &[tenant.as_uuid(), &AUDIT_BATCH],
            )
            .await?;
        tx.commit().await?;
        match row.try_get::<_, Option<i64>>("n")? {
            Some(0) => break true,
            Some(n) => {
                events += n;
                progress("audit.events", n);
            }
            // Events of the chain wait for the sealer: seal them (one sealer at a time; when another
            // holds the lock, wait for it a moment).
            None => {
                if seal(db).await? == 0 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        if over() {
            break false;
        }
    };
    *purged.rows.entry("audit.events".to_owned()).or_default() += events;
    if !trail_gone {
        return Ok(purged);
    }
    let mut tx = db.system(Purpose::Termination).await?;
    tx.execute("select app.finish_purge($1)", &[tenant.as_uuid()])
        .await?;
    tx.commit().await?;
    purged.finished = true;
    Ok(purged)
}

async fn seal(db: &Db) -> Result<i32, CoreError> {
    let mut tx = db.system(Purpose::Termination).await?;
    let row = tx.query_one("select audit.seal(5000) as n", &[]).await?;
    tx.commit().await?;
    Ok(row.try_get("n")?)
}
