//! The assistant's queue: a task per interaction and kind (coaching a call, answering a text),
//! queued by whatever recorded the interaction and worked by the `assistant` job. A task is claimed
//! under a lease (a crashed worker's task is taken again once the lease ends), tried at most
//! [`MAX_ATTEMPTS`] times, and finished with a stable outcome code.
use palisade_db::{FromRow, Row, TenantId, Tx};
use tracing::instrument;
use uuid::Uuid;

use crate::page::new_id;
use crate::CoreError;

pub const MAX_ATTEMPTS: i16 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Coaching,
    Answer,
}

impl TaskKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Coaching => "coaching",
            Self::Answer => "answer",
        }
    }
}

/// Queues a task for an interaction of the service context's tenant (once per interaction and kind).
#[instrument(skip_all, fields(tenant_id = %tenant, kind = kind.as_str()), err(level = "debug"))]
pub async fn queue(
    tx: &mut Tx,
    tenant: TenantId,
    kind: TaskKind,
    interaction: Uuid,
) -> Result<(), CoreError> {
    tx.execute(
        "insert into app.assistant_tasks (tenant_id, id, kind, interaction_id) values ($1, $2, $3, $4) \
         on conflict do nothing",
        &[tenant.as_uuid(), &new_id(), &kind.as_str(), &interaction],
    )
    .await?;
    Ok(())
}

/// Queues an answer to the inbound text this transaction just logged on `$2` (channel `$3`), with
/// id `$4`, when the tenant `$1` answers the channel automatically and the conversation is not held
/// for a person: one statement, which inserts nothing for every other tenant (the webhook runs it
/// for every text from a lead).
pub const QUEUE_ANSWER_SQL: &str = "insert into app.assistant_tasks (tenant_id, id, kind, interaction_id) \
    select $1, $4::uuid, 'answer', i.id from app.ai_settings s \
    join lateral (select i.id from app.interactions i \
                  where i.tenant_id = $1 and i.lead_id = $2 and i.channel = $3 and i.direction = 'inbound' \
                    and i.created_at = now() order by i.id desc limit 1) i on true \
    where s.tenant_id = $1 and $3 = any (s.auto_reply_channels) \
      and not exists (select from app.assistant_holds h where h.tenant_id = $1 and h.lead_id = $2 \
                        and h.channel = $3 and h.released_at is null) \
    on conflict do nothing";

/// Runs [`QUEUE_ANSWER_SQL`] for the lead an inbound text was logged on (the webhook's context).
pub async fn queue_answer(tx: &mut Tx, tenant: TenantId, lead: Uuid, channel: &str) -> Result<(), CoreError> {
    tx.execute(QUEUE_ANSWER_SQL, &[tenant.as_uuid(), &lead, &channel, &new_id()])
        .await?;
    Ok(())
}

/// The tasks due across tenants (the system context, purpose `assistant`).
pub async fn due(tx: &mut Tx, limit: i32) -> Result<Vec<(TenantId, Uuid)>, CoreError> {
    let rows = tx
        .query("select tenant_id, id from app.due_assistant_tasks($1)", &[&limit])
        .await?;
    rows.iter()
        .map(|r| Ok((TenantId::from_uuid(r.try_get("tenant_id")?), r.try_get("id")?)))
        .collect()
}

/// A claimed task and what it is about. `Debug` leaves the text out.
pub struct Claimed {
    pub id: Uuid,
    pub kind: TaskKind,
    pub attempt: i16,
    pub interaction_id: Uuid,
    pub lead_id: Uuid,
    /// The member the interaction is logged for (the rep who took the call).
    pub actor_id: Uuid,
    pub channel: String,
    pub body: Option<String>,
}

impl std::fmt::Debug for Claimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claimed")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl FromRow for Claimed {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        let kind: String = row.try_get("kind")?;
        Ok(Self {
            id: row.try_get("id")?,
            kind: if kind == "answer" {
                TaskKind::Answer
            } else {
                TaskKind::Coaching
            },
            attempt: row.try_get("attempts")?,
            interaction_id: row.try_get("interaction_id")?,
            lead_id: row.try_get("lead_id")?,
            actor_id: row.try_get("actor_id")?,
            channel: row.try_get("channel")?,
            body: row.try_get("body")?,
        })
    }
}

/// Claims a due task of the service context's tenant for `lease_secs` (purpose `assistant`), or
/// nothing if another worker has it or it is no longer due. A task whose last attempt's lease ran out
/// (its worker crashed) is failed instead, so it leaves the queue — an answer's conversation handed
/// to a person.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn claim(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    lease_secs: i32,
) -> Result<Option<Claimed>, CoreError> {
    let exhausted = tx
        .query_opt(
            "with failed as ( \
               update app.assistant_tasks set status = 'failed', outcome = 'attempts_exhausted' \
               where tenant_id = $1 and id = $2 and status = 'running' and not_before <= now() and attempts >= $3 \
               returning kind, interaction_id) \
             select f.kind, i.lead_id, i.channel from failed f \
             join app.interactions i on i.tenant_id = $1 and i.id = f.interaction_id",
            &[tenant.as_uuid(), &id, &MAX_ATTEMPTS],
        )
        .await?;
    // An answer that will never come: its conversation goes to a person, who is told why.
    if let Some(row) = exhausted {
        if row.try_get::<_, String>("kind")? == "answer" {
            let (lead, channel): (Uuid, String) = (row.try_get("lead_id")?, row.try_get("channel")?);
            crate::ai::conversations::hand_off(tx, tenant, lead, &channel, "assistant_unavailable").await?;
        }
        return Ok(None);
    }
    Ok(tx
        .query_opt_as(
            "with claimed as ( \
               update app.assistant_tasks k set status = 'running', attempts = k.attempts + 1, \
                 not_before = now() + $3::int * interval '1 second' \
               where k.tenant_id = $1 and k.id = $2 and k.status in ('pending', 'running') and k.not_before <= now() \
                 and k.attempts < $4 \
               returning k.id, k.kind, k.attempts, k.interaction_id) \
             select c.id, c.kind, c.attempts, c.interaction_id, i.lead_id, i.actor_id, i.channel, i.body \
             from claimed c join app.interactions i on i.tenant_id = $1 and i.id = c.interaction_id",
            &[tenant.as_uuid(), &id, &lease_secs, &MAX_ATTEMPTS],
        )
        .await?)
}

/// How a task ended, or when it is tried again.
#[derive(Clone, Copy, Debug)]
pub enum Finish {
    Done(&'static str),
    Skipped(&'static str),
    Failed(&'static str),
    /// Tried again after this many seconds (unless it was the last attempt: then failed).
    Retry(&'static str, i32),
}

/// Finishes a claimed task, if the claim still holds (the task is running on the attempt this worker
/// claimed): false if the lease ran out and another worker took it, and then nothing this worker
/// wrote in the same transaction may stand.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn finish(tx: &mut Tx, tenant: TenantId, task: &Claimed, how: Finish) -> Result<bool, CoreError> {
    let (status, outcome, delay) = match how {
        Finish::Done(o) => ("done", o, 0),
        Finish::Skipped(o) => ("skipped", o, 0),
        Finish::Failed(o) => ("failed", o, 0),
        Finish::Retry(o, secs) => ("pending", o, secs),
    };
    let updated = tx
        .execute(
            "update app.assistant_tasks set \
               status = case when $3 = 'pending' and attempts >= $6 then 'failed' else $3 end, \
               outcome = $4, not_before = now() + $5::int * interval '1 second' \
             where tenant_id = $1 and id = $2 and status = 'running' and attempts = $7",
            &[
                tenant.as_uuid(),
                &task.id,
                &status,
                &outcome,
                &delay,
                &MAX_ATTEMPTS,
                &task.attempt,
            ],
        )
        .await?;
    Ok(updated == 1)
}

/// Whether a `Retry` on this claim is its last attempt (it would fail instead).
pub fn last_attempt(task: &Claimed) -> bool {
    task.attempt >= MAX_ATTEMPTS
}
