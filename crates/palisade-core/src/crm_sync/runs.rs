//! The sync's lease and health per tenant. A run takes the lease in its tenant's context (so two
//! workers never sync one HubSpot account at once, and its requests share one limiter), and gives it
//! back with the outcome: the next run's time, the error and how many runs in a row failed.
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::new_id;

use crate::CoreError;

/// The tenants whose sync is due (the system context, purpose `sync`).
pub async fn due(tx: &mut Tx, limit: i32) -> Result<Vec<TenantId>, CoreError> {
    let rows = tx
        .query("select tenant_id from app.due_crm_syncs($1)", &[&limit])
        .await?;
    rows.iter()
        .map(|r| Ok(TenantId::from_uuid(r.try_get("tenant_id")?)))
        .collect()
}

/// What taking the lease found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lease {
    /// Taken, under this token (every later write of the run names it). `portal_changed`: the links
    /// and cursors were another account's and are gone.
    Taken { token: Uuid, portal_changed: bool },
    /// Another worker holds it, or the run is not due.
    Busy,
}

/// Forgets the links, cursors and queued GDPR deletes of another HubSpot account than `portal`, and
/// records `portal` as the one links point into (the sync's context). True when something was
/// another account's.
pub async fn adopt_portal(tx: &mut Tx, tenant: TenantId, portal: i64) -> Result<bool, CoreError> {
    let row = tx
        .query_opt(
            "select portal_id from app.crm_sync_runs where tenant_id = $1 for update",
            &[tenant.as_uuid()],
        )
        .await?;
    let changed = match row {
        Some(r) => r.try_get::<_, i64>("portal_id")? != portal,
        None => false,
    };
    if changed {
        tx.execute("select app.crm_forget_links()", &[]).await?;
        tx.execute(
            "delete from app.crm_sync_cursors where tenant_id = $1",
            &[tenant.as_uuid()],
        )
        .await?;
        // A run in progress was the old account's: its lease ends here, so its next write finds it
        // gone (the row lock orders this against that run's page transactions).
        tx.execute(
            "update app.crm_sync_runs set portal_id = $2, lease_until = null, lease_token = null \
             where tenant_id = $1",
            &[tenant.as_uuid(), &portal],
        )
        .await?;
    }
    Ok(changed)
}

/// Takes the tenant's lease for `secs` if it is free and the run due. A connection to another
/// HubSpot account than the links point into starts over ([`adopt_portal`]).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn lease(tx: &mut Tx, tenant: TenantId, portal: i64, secs: i32) -> Result<Lease, CoreError> {
    // The row exists before it is locked, so two workers taking a first lease queue on one row lock.
    tx.execute(
        "insert into app.crm_sync_runs (tenant_id, portal_id) values ($1, $2) on conflict do nothing",
        &[tenant.as_uuid(), &portal],
    )
    .await?;
    let row = tx
        .query_one(
            "select (lease_until is null or lease_until < now()) as free, next_run_at <= now() as due \
             from app.crm_sync_runs where tenant_id = $1 for update",
            &[tenant.as_uuid()],
        )
        .await?;
    let (free, due): (bool, bool) = (row.try_get("free")?, row.try_get("due")?);
    if !free || !due {
        return Ok(Lease::Busy);
    }
    let portal_changed = adopt_portal(tx, tenant, portal).await?;
    let token = new_id();
    tx.execute(
        "update app.crm_sync_runs set lease_until = now() + $3::int * interval '1 second', lease_token = $4, \
           last_run_at = now(), portal_id = $2 where tenant_id = $1",
        &[tenant.as_uuid(), &portal, &secs, &token],
    )
    .await?;
    Ok(Lease::Taken {
        token,
        portal_changed,
    })
}

/// Keeps the lease for another `secs`, if `token` still holds it. False: the lease was lost (it ran
/// out and another worker took it), and the caller must write nothing more.
pub async fn extend(tx: &mut Tx, tenant: TenantId, token: Uuid, secs: i32) -> Result<bool, CoreError> {
    let n = tx
        .execute(
            "update app.crm_sync_runs set lease_until = now() + $3::int * interval '1 second' \
             where tenant_id = $1 and lease_token = $2 and lease_until >= now()",
            &[tenant.as_uuid(), &token, &secs],
        )
        .await?;
    Ok(n == 1)
}

/// How a run ended.
#[derive(Debug)]
pub enum Outcome<'a> {
    Succeeded {
        next_in_secs: i32,
    },
    /// Failed with this code; tried again in `next_in_secs`.
    Failed {
        error: &'a str,
        next_in_secs: i32,
    },
}

/// Failures in a row after a run, and whether this run of failures is still to be reported.
#[derive(Debug, PartialEq, Eq)]
pub struct Health {
    pub consecutive_failures: i32,
    pub report: bool,
}

/// Failures in a row after which an error event is recorded (once per run of failures).
pub const REPORT_AFTER_FAILURES: i32 = 3;

/// Gives the lease back with the run's outcome, if `token` still holds it (`None`: it was lost, and
/// the run's outcome is not this worker's to record).
pub async fn finish(
    tx: &mut Tx,
    tenant: TenantId,
    token: Uuid,
    outcome: &Outcome<'_>,
    records_out: i64,
) -> Result<Option<Health>, CoreError> {
    let (error, next_in) = match outcome {
        Outcome::Succeeded { next_in_secs } => (None, *next_in_secs),
        Outcome::Failed { error, next_in_secs } => (Some(*error), *next_in_secs),
    };
    let row = tx
        .query_opt(
            "update app.crm_sync_runs set lease_until = null, lease_token = null, \
               next_run_at = least(case when next_run_at > last_run_at then next_run_at end, \
                                   now() + $3::int * interval '1 second'), \
               records_out = records_out + $4, \
               last_success_at = case when $2::text is null then now() else last_success_at end, \
               last_error = case when $2::text is null then last_error else $2 end, \
               last_error_at = case when $2::text is null then last_error_at else now() end, \
               consecutive_failures = case when $2::text is null then 0 else consecutive_failures + 1 end, \
               error_reported_at = case when $2::text is null then null \
                                        when consecutive_failures + 1 >= $5 and error_reported_at is null then now() \
                                        else error_reported_at end \
             where tenant_id = $1 and lease_token = $6 \
             returning consecutive_failures, coalesce(error_reported_at = now(), false) as report",
            &[tenant.as_uuid(), &error, &next_in, &records_out, &REPORT_AFTER_FAILURES, &token],
        )
        .await?;
    row.map(|row| {
        Ok(Health {
            consecutive_failures: row.try_get("consecutive_failures")?,
            report: row.try_get("report")?,
        })
    })
    .transpose()
}

/// Brings the next run forward, for a verified webhook (its service context). During a run, the
/// request is kept: that run ends with the next one due at once.
pub async fn request_soon(tx: &mut Tx) -> Result<(), CoreError> {
    tx.execute("select app.crm_sync_soon()", &[]).await?;
    Ok(())
}

/// An admin's "sync now": the next run is due at once (kept through a run in progress, as above).
pub async fn sync_now(tx: &mut Tx, tenant: TenantId) -> Result<(), CoreError> {
    tx.execute(
        "update app.crm_sync_runs set next_run_at = now() where tenant_id = $1",
        &[tenant.as_uuid()],
    )
    .await?;
    Ok(())
}

/// The sync's health as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunState {
    pub running: bool,
    pub next_run_at: DateTime<Utc>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// A stable code (`hubspot_unauthorized`, `hubspot_rate_limited`, …), kept after a later success.
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub consecutive_failures: i32,
    /// Records written to HubSpot (deals, notes, GDPR deletes).
    pub records_out: i64,
}

fn run_state(row: &Row) -> Result<RunState, CoreError> {
    Ok(RunState {
        running: row.try_get("running")?,
        next_run_at: row.try_get("next_run_at")?,
        last_run_at: row.try_get("last_run_at")?,
        last_success_at: row.try_get("last_success_at")?,
        last_error: row.try_get("last_error")?,
        last_error_at: row.try_get("last_error_at")?,
        consecutive_failures: row.try_get("consecutive_failures")?,
        records_out: row.try_get("records_out")?,
    })
}

pub async fn state(tx: &mut Tx, tenant: TenantId) -> Result<Option<RunState>, CoreError> {
    let row = tx
        .query_opt(
            "select coalesce(lease_until >= now(), false) as running, next_run_at, last_run_at, last_success_at, \
               last_error, last_error_at, consecutive_failures, records_out \
             from app.crm_sync_runs where tenant_id = $1",
            &[tenant.as_uuid()],
        )
        .await?;
    row.as_ref().map(run_state).transpose()
}
