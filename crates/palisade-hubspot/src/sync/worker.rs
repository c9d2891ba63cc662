//! The `crm_sync` job: each due tenant's run, one after another, each under its own lease and time
//! budget. A run's failure is recorded on the tenant's sync state (and, after several in a row, as
//! one error event) and does not stop the others.
use std::time::{Duration, Instant};

use palisade_core::audit::platform_errors::{self, ErrorReport, Severity, Surface};
use palisade_core::crm_sync::cursors::Object;
use palisade_core::crm_sync::runs::{self, Lease, Outcome};
use palisade_core::crm_sync::{connection, links};
use palisade_core::phone;
use palisade_db::{Db, Purpose, TenantId};

use super::read::Run;
use super::{tokens, SyncError, Syncer};
use crate::objects::Session;

/// A run's lease: renewed with every page and every write back, so only a stalled worker loses it.
/// Longer than one request can take with its retries (HubSpot's waits are capped at a minute).
const LEASE_SECS: i32 = 600;
/// Each tenant's share of a job run; a run that has more to read continues at once in the next.
const RUN_BUDGET: Duration = Duration::from_secs(30);
/// All tenants of one job run.
const JOB_BUDGET: Duration = Duration::from_secs(60);
/// How often a connected tenant is read when nothing asks sooner (a webhook brings it forward).
pub const INTERVAL_SECS: i32 = 300;

/// Runs the due tenants' syncs; returns how many ran.
pub async fn run(syncer: &Syncer, db: &Db) -> Result<u64, SyncError> {
    let mut tx = db.system(Purpose::Sync).await?;
    let due = runs::due(&mut tx, 50).await?;
    tx.commit().await?;
    let started = Instant::now();
    let mut ran = 0;
    for tenant in due {
        if started.elapsed() >= JOB_BUDGET {
            break;
        }
        match run_tenant(syncer, db, tenant, RUN_BUDGET).await {
            Ok(true) => ran += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(tenant_id = %tenant, error = %e, "a CRM sync run could not finish"),
        }
    }
    Ok(ran)
}

/// One tenant's run, if its lease is free. False: nothing ran (not connected, or leased elsewhere).
pub async fn run_tenant(
    syncer: &Syncer,
    db: &Db,
    tenant: TenantId,
    budget: Duration,
) -> Result<bool, SyncError> {
    let mut tx = db.service(tenant, Purpose::Sync).await?;
    let Some(conn) = connection::get(&mut tx, tenant)
        .await?
        .filter(|c| c.status == "active")
    else {
        return Ok(false);
    };
    let region = phone::tenant_region(&mut tx, tenant).await?;
    let Lease::Taken { token: lease, .. } = runs::lease(&mut tx, tenant, conn.portal_id, LEASE_SECS).await?
    else {
        return Ok(false);
    };
    tx.commit().await?;
    let outcome = work(syncer, db, tenant, (conn.portal_id, lease), region, budget).await;
    let (result, out) = match &outcome {
        Ok((more, out)) => (
            Outcome::Succeeded {
                next_in_secs: if *more { 0 } else { INTERVAL_SECS },
            },
            *out,
        ),
        Err(SyncError::LeaseLost) => return Err(SyncError::LeaseLost),
        Err(e) => (
            Outcome::Failed {
                error: e.code(),
                next_in_secs: INTERVAL_SECS,
            },
            0,
        ),
    };
    let mut tx = db.service(tenant, Purpose::Sync).await?;
    let Some(health) = runs::finish(&mut tx, tenant, lease, &result, out).await? else {
        return Err(SyncError::LeaseLost);
    };
    tx.commit().await?;
    syncer
        .transport
        .metrics
        .run(outcome.as_ref().map_or_else(SyncError::code, |_| "ok"));
    if health.report {
        report(db, tenant).await;
    }
    outcome.map(|_| true)
}

/// Reads and pushes; returns whether more is left to read, and what went to HubSpot.
async fn work(
    syncer: &Syncer,
    db: &Db,
    tenant: TenantId,
    (leased_portal, lease): (i64, uuid::Uuid),
    region: phonenumber::country::Id,
    budget: Duration,
) -> Result<(bool, i64), SyncError> {
    let Some((conn, token)) = tokens::access_token(syncer, db, tenant).await? else {
        return Ok((false, 0));
    };
    // An admin connected another account since the lease was taken: its links are not this run's to
    // use. The next run adopts the new account.
    if conn.portal_id != leased_portal {
        return Err(SyncError::PortalChanged);
    }
    let portal = u64::try_from(conn.portal_id).unwrap_or_default();
    let session = Session {
        portal,
        token: &token,
    };
    let hubspot_owners: Vec<(u64, String)> = syncer
        .transport
        .owners(&session)
        .await?
        .into_iter()
        .filter_map(|o| Some((o.id, o.email?)))
        .collect();
    let mut tx = db.service(tenant, Purpose::Sync).await?;
    let owners = links::owners(&mut tx, tenant, &hubspot_owners).await?;
    tx.commit().await?;
    let run = Run {
        syncer,
        db,
        tenant,
        session,
        owners,
        region,
        deadline: Instant::now() + budget,
        lease_secs: LEASE_SECS,
        lease,
    };
    // Contacts first: a deal is written on the lead of one of its contacts.
    let contacts = run.read(Object::Contacts).await?;
    let deals = if contacts.pass_ended {
        run.read(Object::Deals).await?
    } else {
        Default::default()
    };
    let more = !contacts.pass_ended || !deals.pass_ended;
    let out = run.push(&conn).await?;
    Ok((more, out))
}

/// One error event per run of failures (the sync page shows each failure).
async fn report(db: &Db, tenant: TenantId) {
    let report = ErrorReport {
        severity: Severity::Error,
        surface: Surface::Job,
        tenant: Some(tenant),
        code: "crm_sync_failing",
        message: "the HubSpot sync failed several runs in a row; its page says why",
        operation: "crm_sync".to_owned(),
    };
    let recorded = async {
        let mut tx = db.system(Purpose::ErrorReport).await?;
        platform_errors::record(&mut tx, &report).await?;
        tx.commit().await?;
        Ok::<_, SyncError>(())
    }
    .await;
    if let Err(e) = recorded {
        tracing::error!(tenant_id = %tenant, error = %e, "could not record the CRM sync's failures as an error event");
    }
}
