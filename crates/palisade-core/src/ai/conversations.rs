//! The assistant's side of a conversation with a lead: whether it is held for a person, its reply
//! (through the outbox, so the consent guard and STOP apply as to any message, and marked as written
//! by AI), and handing it to a person (held, with a note on the lead for its owner).
use palisade_db::{TenantId, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::new_id;
use crate::{validate, CoreError};

/// Whether auto-replies are held in this conversation (the service context: assistant or webhook).
pub async fn held(tx: &mut Tx, tenant: TenantId, lead: Uuid, channel: &str) -> Result<bool, CoreError> {
    Ok(tx
        .query_opt(
            "select 1 from app.assistant_holds where tenant_id = $1 and lead_id = $2 and channel = $3 \
             and released_at is null",
            &[tenant.as_uuid(), &lead, &channel],
        )
        .await?
        .is_some())
}

/// Whether the consent guard would refuse a `service` reply to the lead on this channel (no opt-in,
/// or STOP), asked before any call to the model (of the service context's own tenant).
pub async fn reply_blocked(tx: &mut Tx, lead: Uuid, channel: &str) -> Result<bool, CoreError> {
    let row = tx
        .query_one(
            "select app.consent_block_here($1, null, $2, 'service') as block",
            &[&lead, &channel],
        )
        .await?;
    Ok(row.try_get::<_, Option<String>>("block")?.is_some())
}

/// Answer tasks of this conversation worked on in the last hour (whatever became of them: a retried
/// one costs calls too), besides `current`.
pub async fn recent_answers(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    channel: &str,
    current: Uuid,
) -> Result<i64, CoreError> {
    Ok(tx
        .query_one(
            "select count(*) as n from app.assistant_tasks k join app.interactions i \
               on i.tenant_id = k.tenant_id and i.id = k.interaction_id \
             where k.tenant_id = $1 and i.lead_id = $2 and i.channel = $3 and k.kind = 'answer' \
               and k.attempts > 0 and k.id <> $4 and k.created_at > now() - interval '1 hour'",
            &[tenant.as_uuid(), &lead, &channel, &current],
        )
        .await?
        .try_get("n")?)
}

/// The reply, due now — or, in the tenant's quiet hours, when they end (in its time zone; hours
/// that span midnight end the next day).
const QUEUE_REPLY_SQL: &str = "insert into app.outbound_messages \
      (tenant_id, id, lead_id, channel, purpose, body, written_by_ai, next_attempt_at) \
    select $1, $2, $3, $4, 'service', $5, true, coalesce(( \
      select (date_trunc('day', l.local) + make_interval(hours => s.quiet_hours_end) \
              + case when s.quiet_hours_end <= extract(hour from l.local) then interval '1 day' \
                     else interval '0' end) at time zone s.time_zone \
      from app.ai_settings s \
      cross join lateral (select now() at time zone s.time_zone as local) l \
      where s.tenant_id = $1 and s.quiet_hours_start is not null \
        and case when s.quiet_hours_start < s.quiet_hours_end \
                 then extract(hour from l.local) >= s.quiet_hours_start and extract(hour from l.local) < s.quiet_hours_end \
                 else extract(hour from l.local) >= s.quiet_hours_start or extract(hour from l.local) < s.quiet_hours_end end \
    ), now())";

/// Queues the assistant's answer to the lead (purpose `service`: an answer to their own question),
/// held back to the end of the tenant's quiet hours if it is decided during them.
/// The consent guard refuses it as any message (`CoreError::ConsentRequired`).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn queue_reply(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    channel: &str,
    body: &str,
) -> Result<Uuid, CoreError> {
    let body = validate::masked_text("body", body, 1_600)?;
    let id = new_id();
    tx.execute(QUEUE_REPLY_SQL, &[tenant.as_uuid(), &id, &lead, &channel, &body])
        .await?;
    Ok(id)
}

/// Hands the conversation to a person: auto-replies stop in it until a member releases it, and the
/// lead's owner finds a note on the lead saying why (`reason` is a stable code). Returns the owner.
#[instrument(skip_all, fields(tenant_id = %tenant, reason), err(level = "debug"))]
pub async fn hand_off(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    channel: &str,
    reason: &'static str,
) -> Result<Uuid, CoreError> {
    tx.execute(
        "insert into app.assistant_holds (tenant_id, lead_id, channel, reason) values ($1, $2, $3, $4) \
         on conflict (tenant_id, lead_id, channel) do update set reason = excluded.reason, held_at = now(), \
           released_at = null, released_by = null",
        &[tenant.as_uuid(), &lead, &channel, &reason],
    )
    .await?;
    let owner: Uuid = tx
        .query_one(
            "select owner_id from app.leads where tenant_id = $1 and id = $2",
            &[tenant.as_uuid(), &lead],
        )
        .await?
        .try_get("owner_id")?;
    let note = format!(
        "The assistant handed this {} conversation to you ({}): auto-replies are paused in it until you resume them.",
        if channel == "whatsapp" { "WhatsApp" } else { "SMS" },
        reason.replace('_', " ")
    );
    tx.execute(
        "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
         values ($1, $2, $3, $4, 'note', 'internal', $5)",
        &[tenant.as_uuid(), &new_id(), &lead, &owner, &note],
    )
    .await?;
    Ok(owner)
}

/// A held conversation, as members see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hold {
    pub lead_id: Uuid,
    pub channel: String,
    pub reason: String,
    pub held_at: chrono::DateTime<chrono::Utc>,
}

/// The conversations of a lead held for a person (a member who sees the lead; for anyone else the
/// lead is not found).
pub async fn holds(tx: &mut Tx, tenant: TenantId, lead: Uuid) -> Result<Vec<Hold>, CoreError> {
    tx.query_opt(
        "select 1 from app.leads where tenant_id = $1 and id = $2",
        &[tenant.as_uuid(), &lead],
    )
    .await?
    .ok_or(CoreError::NotFound)?;
    let rows = tx
        .query(
            "select lead_id, channel, reason, held_at from app.assistant_holds \
             where tenant_id = $1 and lead_id = $2 and released_at is null order by channel",
            &[tenant.as_uuid(), &lead],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Hold {
                lead_id: r.try_get("lead_id")?,
                channel: r.try_get("channel")?,
                reason: r.try_get("reason")?,
                held_at: r.try_get("held_at")?,
            })
        })
        .collect()
}

/// Resumes auto-replies in a held conversation (a member who sees the lead, as themselves).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn release(
    tx: &mut Tx,
    tenant: TenantId,
    me: palisade_db::UserId,
    lead: Uuid,
    channel: &str,
) -> Result<(), CoreError> {
    match tx
        .execute(
            "update app.assistant_holds set released_at = now(), released_by = $4 \
             where tenant_id = $1 and lead_id = $2 and channel = $3 and released_at is null",
            &[tenant.as_uuid(), &lead, &channel, me.as_uuid()],
        )
        .await?
    {
        0 => Err(CoreError::NotFound),
        _ => Ok(()),
    }
}
