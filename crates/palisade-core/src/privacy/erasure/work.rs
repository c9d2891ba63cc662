//! Carrying an erasure out, one bounded step per service transaction (purpose `erasure`): a lead's
//! interactions in batches (a subject may have hundreds of thousands), then in one step the rest of
//! the lead — counted table by table from the registry, deleted by the foreign keys' cascade with the
//! lead row — then its lines in members' daily briefs, then its audit trail's content, in batches too.
use std::time::{Duration, Instant};

use palisade_db::{Db, Purpose, TenantId, Tx};
use serde_json::{json, Value};
use uuid::Uuid;

use super::receipt::Outcome;
use crate::privacy::registry::{self, Erasure, Path};
use crate::CoreError;

/// Interactions deleted per step: a step stays well under a second on the benchmark tenant.
pub const INTERACTION_BATCH: i64 = 5_000;
/// Audit events redacted per step (each interaction has at least two: written and deleted).
pub const REDACTION_BATCH: i32 = 20_000;

/// What a step left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// More to do: call again.
    More,
    /// Nothing to do now: finished, unknown, or another worker holds it.
    Idle,
}

/// Runs steps of erasure `id` until it is finished or `budget` has passed (then the `erasures` job
/// continues it). Each step commits on its own, so progress survives a crash.
pub async fn run(db: &Db, tenant: TenantId, id: Uuid, budget: Duration) -> Result<(), CoreError> {
    let started = Instant::now();
    loop {
        let mut tx = db.service(tenant, Purpose::Erasure).await?;
        let step = step(&mut tx, tenant, id).await?;
        tx.commit().await?;
        if step == Step::Idle || started.elapsed() >= budget {
            return Ok(());
        }
    }
}

/// Unfinished erasures of every tenant, oldest first (a service context for no tenant: the job).
pub async fn unfinished(tx: &mut Tx, limit: i32) -> Result<Vec<(TenantId, Uuid)>, CoreError> {
    let rows = tx
        .query("select tenant_id, id from app.unfinished_erasures($1)", &[&limit])
        .await?;
    rows.iter()
        .map(|r| Ok((TenantId::from_uuid(r.try_get("tenant_id")?), r.try_get("id")?)))
        .collect()
}

/// One step of erasure `id`, in a service transaction of its tenant with purpose `erasure`.
pub async fn step(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Step, CoreError> {
    // A lead held by a long transaction fails the step rather than hold the request past its budget;
    // the job tries again on its next run.
    tx.execute("set local lock_timeout = '5s'", &[]).await?;
    let row = tx
        .query_opt(
            "select pending_leads, counts, requested_via from app.erasures \
             where tenant_id = $1 and id = $2 and status = 'running' for update skip locked",
            &[tenant.as_uuid(), &id],
        )
        .await?;
    let Some(row) = row else { return Ok(Step::Idle) };
    let mut pending: Vec<Uuid> = row.try_get("pending_leads")?;
    let mut counts: Value = row.try_get("counts")?;
    // An erasure HubSpot asked for needs no GDPR delete sent back: the contact is gone there.
    let from_hubspot = row.try_get::<_, String>("requested_via")? == "hubspot";
    if let Some(&lead) = pending.first() {
        if erase_lead(tx, tenant, lead, &mut counts, from_hubspot).await? {
            pending.remove(0);
        }
    }
    tx.execute(
        "update app.erasures set pending_leads = $3, counts = $4, \
           status = case when cardinality($3::uuid[]) = 0 then 'done' else 'running' end, \
           finished_at = case when cardinality($3::uuid[]) = 0 then now() end \
         where tenant_id = $1 and id = $2",
        &[tenant.as_uuid(), &id, &pending, &counts],
    )
    .await?;
    Ok(if pending.is_empty() {
        Step::Idle
    } else {
        Step::More
    })
}

/// Erases one lead, or one batch of it; true when the lead is done. The lead row is locked first, so
/// nothing new can be attached to it while it goes.
async fn erase_lead(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    counts: &mut Value,
    from_hubspot: bool,
) -> Result<bool, CoreError> {
    let row = tx
        .query_opt(
            "select hubspot_id from app.leads where tenant_id = $1 and id = $2 for update",
            &[tenant.as_uuid(), &lead],
        )
        .await?;
    let live = row.is_some();
    let contact: Option<i64> = row.map(|r| r.try_get("hubspot_id")).transpose()?.flatten();
    // A lead already deleted (by a manager before the erasure, or by an earlier step) still has its
    // brief lines and its audit trail to deal with.
    if live {
        let deleted = tx
            .execute(
                "delete from app.interactions where tenant_id = $1 and id in ( \
                   select id from app.interactions where tenant_id = $1 and lead_id = $2 limit $3)",
                &[tenant.as_uuid(), &lead, &INTERACTION_BATCH],
            )
            .await?;
        add(counts, "app.interactions", Outcome::Deleted, Some(deleted as i64));
        if deleted as i64 == INTERACTION_BATCH {
            return Ok(false);
        }
        count_dependents(tx, tenant, lead, counts).await?;
        if let Some(contact) = contact.filter(|_| !from_hubspot) {
            queue_hubspot_delete(tx, tenant, contact, counts).await?;
        }
        let deleted = tx
            .execute(
                "delete from app.leads where tenant_id = $1 and id = $2",
                &[tenant.as_uuid(), &lead],
            )
            .await?;
        add(counts, "app.leads", Outcome::Deleted, Some(deleted as i64));
    }
    // The lines name the lead as its audit trail knows it, so they go before the trail's content; once
    // they are gone, running this again finds nothing.
    let edited: i64 = tx
        .query_one("select app.erase_brief_lines($1) as edited", &[&lead])
        .await?
        .try_get("edited")?;
    add(counts, "app.outbound_messages", Outcome::Edited, Some(edited));
    let redacted: i64 = tx
        .query_one(
            "select audit.redact_lead($1, $2) as redacted",
            &[&lead, &REDACTION_BATCH],
        )
        .await?
        .try_get("redacted")?;
    add(counts, "audit.events", Outcome::Redacted, Some(redacted));
    Ok(redacted < i64::from(REDACTION_BATCH))
}

/// Records the lead's HubSpot contact in the transaction that deletes the lead: a GDPR delete when
/// the tenant asked for erasures to reach HubSpot, else a tombstone, so the sync never recreates the
/// lead from the contact HubSpot keeps.
async fn queue_hubspot_delete(
    tx: &mut Tx,
    tenant: TenantId,
    contact: i64,
    counts: &mut Value,
) -> Result<(), CoreError> {
    let enabled = tx
        .query_opt(
            "select 1 from app.crm_connections where tenant_id = $1 and status = 'active' and gdpr_delete",
            &[tenant.as_uuid()],
        )
        .await?
        .is_some();
    crate::crm_sync::outbox::queue_gdpr_delete(tx, tenant, contact, enabled).await?;
    if enabled {
        add(counts, "app.crm_outbox", Outcome::Added, Some(1));
    }
    Ok(())
}

/// Counts what the registry says a lead's erasure removes or keeps in every table reached by the
/// lead's id, before the lead row's deletion cascades to them. Interactions (deleted in batches) and
/// the audit trail (redacted after) are counted where they are handled; rep-private tables are not
/// counted at all.
async fn count_dependents(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    counts: &mut Value,
) -> Result<(), CoreError> {
    for table in registry::tables() {
        for (path, erasure) in table.paths {
            let Path::Lead(column) = path else { continue };
            if matches!(table.name, "app.interactions" | "audit.events") {
                continue;
            }
            let outcome = lead_outcome(*erasure).ok_or(CoreError::Forbidden(
                "the registry asks an erasure to keep a lead's row in a way it cannot",
            ))?;
            if table.rep_private {
                add(counts, table.name, outcome, None);
                continue;
            }
            // Names from the registry, a compile-time list: never from input.
            let sql = format!(
                "select count(*) as n from {} where tenant_id = $1 and {column} = $2",
                table.name
            );
            let n: i64 = tx
                .query_one(&sql, &[tenant.as_uuid(), &lead])
                .await?
                .try_get("n")?;
            add(counts, table.name, outcome, Some(n));
        }
    }
    Ok(())
}

/// What erasing a lead does to rows its id reaches: deleted with it (a cascading foreign key, which a
/// test checks) or kept. A lead's rows are never de-identified or cleared, and audit content is
/// redacted separately.
pub fn lead_outcome(erasure: Erasure) -> Option<Outcome> {
    match erasure {
        Erasure::Delete => Some(Outcome::Deleted),
        Erasure::Keep(_) => Some(Outcome::Kept),
        Erasure::Redact | Erasure::Deidentify | Erasure::Clear => None,
    }
}

/// Adds `rows` to the count of `table` and `outcome`; `None` makes it an uncounted entry.
fn add(counts: &mut Value, table: &str, outcome: Outcome, rows: Option<i64>) {
    let Value::String(word) = json!(outcome) else {
        return;
    };
    let entry = &mut counts[table][word.as_str()];
    *entry = match rows {
        Some(n) => json!(entry.as_i64().unwrap_or(0) + n),
        None => Value::Null,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_per_table_and_outcome() {
        let mut counts = json!({ "app.suppressions": { "added": 2 } });
        add(&mut counts, "app.interactions", Outcome::Deleted, Some(5_000));
        add(&mut counts, "app.interactions", Outcome::Deleted, Some(12));
        add(&mut counts, "app.drafts", Outcome::Deleted, None);
        add(&mut counts, "app.drafts", Outcome::Deleted, None);
        assert_eq!(
            counts,
            json!({
                "app.suppressions": { "added": 2 },
                "app.interactions": { "deleted": 5_012 },
                "app.drafts": { "deleted": null },
            })
        );
    }

    #[test]
    fn every_lead_path_is_one_an_erasure_carries_out() {
        for table in registry::tables() {
            for (path, erasure) in table.paths {
                if let Path::Lead(_) = path {
                    if table.name != "audit.events" {
                        assert!(lead_outcome(*erasure).is_some(), "{}: {erasure:?}", table.name);
                    }
                }
            }
        }
    }
}
