//! What goes to HubSpot. A changed deal is queued by the database (one pending row per deal, the
//! deal read when it is sent); a member marks an interaction for the CRM (once); an erasure queues
//! the GDPR delete of its lead's contact in the transaction that deletes the lead. The sync works
//! the queue under its tenant's lease, so one worker at a time.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, Row, TenantId, Tx, UserId};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::new_id;
use crate::CoreError;

/// Attempts before an item is given up (`failed`).
pub const MAX_ATTEMPTS: i16 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Deal,
    Note,
    GdprDelete,
}

impl ItemKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Deal => "deal",
            Self::Note => "note",
            Self::GdprDelete => "gdpr_delete",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Deal, Self::Note, Self::GdprDelete]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// An interaction marked for the CRM, as its marker sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Marked {
    pub id: Uuid,
    pub interaction_id: Uuid,
    /// `pending`, `done` (in HubSpot as note `remote_id`), `failed` or `skipped` (see `outcome`).
    pub status: String,
    pub outcome: Option<String>,
    pub remote_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn marked(row: &Row) -> Result<Marked, CoreError> {
    Ok(Marked {
        id: row.try_get("id")?,
        interaction_id: row.try_get("local_id")?,
        status: row.try_get("status")?,
        outcome: row.try_get("outcome")?,
        remote_id: row.try_get("remote_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const MARKED: &str = "id, local_id, status, outcome, remote_id, created_at, updated_at";

/// Marks an interaction the caller can see for HubSpot, as a note on its lead's contact. Refused
/// when the tenant does not write back, when the lead is not a HubSpot contact, and when it was
/// marked before (a note goes once).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn mark_interaction(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    interaction: Uuid,
) -> Result<Marked, CoreError> {
    let row = tx
        .query_opt(
            "select l.hubspot_id, app.crm_writes_back() as writes_back from app.interactions i \
             join app.leads l on l.tenant_id = i.tenant_id and l.id = i.lead_id \
             where i.tenant_id = $1 and i.id = $2",
            &[tenant.as_uuid(), &interaction],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    if !row.try_get::<_, bool>("writes_back")? {
        return Err(CoreError::Conflict {
            code: "crm_not_connected",
            message: "this workspace does not write to HubSpot: an admin connects it and turns write-back on",
        });
    }
    if row.try_get::<_, Option<i64>>("hubspot_id")?.is_none() {
        return Err(CoreError::invalid(
            "lead_not_in_crm",
            "the lead is not a HubSpot contact: notes go on contacts the sync brought in",
        ));
    }
    let inserted = tx
        .query_one(
            &format!(
                "insert into app.crm_outbox (tenant_id, id, kind, local_id, created_by) values ($1, $2, 'note', $3, $4) \
                 returning {MARKED}"
            ),
            &[tenant.as_uuid(), &new_id(), &interaction, caller.as_uuid()],
        )
        .await;
    match inserted {
        Ok(row) => marked(&row),
        Err(DbError::Unique { .. }) => Err(CoreError::Conflict {
            code: "already_marked",
            message: "this interaction is already marked for HubSpot",
        }),
        Err(e) => Err(e.into()),
    }
}

/// The mark of an interaction, if the caller may see it.
pub async fn marked_interaction(
    tx: &mut Tx,
    tenant: TenantId,
    interaction: Uuid,
) -> Result<Marked, CoreError> {
    let row = tx
        .query_opt(
            &format!("select {MARKED} from app.crm_outbox where tenant_id = $1 and kind = 'note' and local_id = $2"),
            &[tenant.as_uuid(), &interaction],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    marked(&row)
}

/// Records an erased lead's contact (the erasure's context, in the transaction that deletes the
/// lead): a GDPR delete to send when `send`, else a tombstone (`skipped`) — either way the sync
/// never makes a lead of that contact again.
pub async fn queue_gdpr_delete(
    tx: &mut Tx,
    tenant: TenantId,
    contact: i64,
    send: bool,
) -> Result<(), CoreError> {
    let (status, outcome) = if send {
        ("pending", None)
    } else {
        ("skipped", Some("gdpr_delete_off"))
    };
    tx.execute(
        "insert into app.crm_outbox (tenant_id, id, kind, remote_id, status, outcome) \
         values ($1, $2, 'gdpr_delete', $3, $4, $5)",
        &[tenant.as_uuid(), &new_id(), &contact, &status, &outcome],
    )
    .await?;
    Ok(())
}

/// The contacts of `ids` that were erased here (their tombstones or GDPR deletes).
pub async fn erased_contacts(tx: &mut Tx, tenant: TenantId, ids: &[i64]) -> Result<Vec<i64>, CoreError> {
    let rows = tx
        .query(
            "select remote_id from app.crm_outbox where tenant_id = $1 and kind = 'gdpr_delete' \
               and remote_id = any($2)",
            &[tenant.as_uuid(), &ids],
        )
        .await?;
    rows.iter().map(|r| Ok(r.try_get("remote_id")?)).collect()
}

/// One item due.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub kind: ItemKind,
    pub local_id: Option<Uuid>,
    pub remote_id: Option<i64>,
    pub attempts: i16,
    /// An earlier attempt was sent and its outcome is unknown (it may have created something).
    pub sent_before: bool,
}

/// How long an item claimed by a worker that then died stays claimed.
const CLAIM_SECS: i32 = 900;

/// Items due, oldest first (the sync, under the tenant's lease): pending ones, and ones a worker
/// claimed and never finished.
pub async fn due(tx: &mut Tx, tenant: TenantId, kind: ItemKind, limit: i64) -> Result<Vec<Item>, CoreError> {
    let rows = tx
        .query(
            "select id, kind, local_id, remote_id, attempts, sent_at is not null as sent_before from app.crm_outbox \
             where tenant_id = $1 and kind = $2 and not_before <= now() \
               and (status = 'pending' or (status = 'running' and updated_at < now() - $4::int * interval '1 second')) \
             order by not_before, id limit $3",
            &[tenant.as_uuid(), &kind.as_str(), &limit, &CLAIM_SECS],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Item {
                id: r.try_get("id")?,
                kind: ItemKind::parse(&kind).ok_or(CoreError::NotFound)?,
                local_id: r.try_get("local_id")?,
                remote_id: r.try_get("remote_id")?,
                attempts: r.try_get("attempts")?,
                sent_before: r.try_get("sent_before")?,
            })
        })
        .collect()
}

/// Claims items about to be sent (committed before the request, and before a deal is read): a retry
/// then knows an earlier attempt may have reached HubSpot, and a deal changed from now on is queued
/// again rather than folded into this send. Returns the ids claimed.
pub async fn claim(tx: &mut Tx, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<Uuid>, CoreError> {
    let rows = tx
        .query(
            "update app.crm_outbox set status = 'running', sent_at = coalesce(sent_at, now()), \
               attempts = least(attempts + 1, 10) \
             where tenant_id = $1 and id = any($2) and status in ('pending', 'running') returning id",
            &[tenant.as_uuid(), &ids],
        )
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// How an item ended, or when it is tried again.
#[derive(Debug, Clone, Copy)]
pub enum Finish<'a> {
    Done {
        remote_id: Option<i64>,
    },
    Skipped(&'a str),
    /// Tried again after `secs` unless its attempts are spent (then `failed`).
    Retry {
        outcome: &'a str,
        secs: i32,
    },
    Failed(&'a str),
}

pub async fn finish(tx: &mut Tx, tenant: TenantId, ids: &[Uuid], how: Finish<'_>) -> Result<(), CoreError> {
    let (status, outcome, remote, secs): (&str, Option<&str>, Option<i64>, i32) = match how {
        Finish::Done { remote_id } => ("done", None, remote_id, 0),
        Finish::Skipped(o) => ("skipped", Some(o), None, 0),
        Finish::Retry { outcome, secs } => ("pending", Some(outcome), None, secs),
        Finish::Failed(o) => ("failed", Some(o), None, 0),
    };
    // A deal to try again whose deal changed meanwhile (queued again, pending) is superseded by that.
    tx.execute(
        "update app.crm_outbox o set \
           status = case when $3 = 'pending' and o.attempts >= $7 then 'failed' \
                         when $3 = 'pending' and o.kind = 'deal' and exists ( \
                           select from app.crm_outbox p where p.tenant_id = o.tenant_id and p.kind = 'deal' \
                             and p.local_id = o.local_id and p.status = 'pending' and p.id <> o.id) then 'skipped' \
                         else $3 end, \
           outcome = $4, remote_id = coalesce($5, o.remote_id), \
           not_before = now() + $6::int * interval '1 second' \
         where o.tenant_id = $1 and o.id = any($2) and o.status in ('pending', 'running')",
        &[
            tenant.as_uuid(),
            &ids,
            &status,
            &outcome,
            &remote,
            &secs,
            &MAX_ATTEMPTS,
        ],
    )
    .await?;
    Ok(())
}

/// Items by status, for the sync's page.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct OutboxCounts {
    pub pending: i64,
    pub done: i64,
    pub failed: i64,
    pub skipped: i64,
}

pub async fn counts(tx: &mut Tx, tenant: TenantId) -> Result<OutboxCounts, CoreError> {
    let row = tx
        .query_one(
            "select count(*) filter (where status in ('pending', 'running')) as pending, \
               count(*) filter (where status = 'done') as done, count(*) filter (where status = 'failed') as failed, \
               count(*) filter (where status = 'skipped') as skipped \
             from app.crm_outbox where tenant_id = $1",
            &[tenant.as_uuid()],
        )
        .await?;
    Ok(OutboxCounts {
        pending: row.try_get("pending")?,
        done: row.try_get("done")?,
        failed: row.try_get("failed")?,
        skipped: row.try_get("skipped")?,
    })
}

/// Drops GDPR deletes HubSpot confirmed: the contact id they held goes with them.
pub async fn forget(tx: &mut Tx, tenant: TenantId, ids: &[Uuid]) -> Result<(), CoreError> {
    tx.execute(
        "delete from app.crm_outbox where tenant_id = $1 and id = any($2) and kind = 'gdpr_delete'",
        &[tenant.as_uuid(), &ids],
    )
    .await?;
    Ok(())
}
