//! What a follow-up draft is written from, read in the asking member's own context: the lead (only
//! one they can see), its latest interactions, and — only while the member's voice-drafting opt-in
//! is active — the transcripts of their own voice samples, the reference for their voice.
use chrono::{DateTime, Utc};
use palisade_db::{FromRow, Row, TenantId, Tx, UserId};
use tracing::instrument;
use uuid::Uuid;

use crate::CoreError;

/// At most this many interactions, newest first, and this many voice references.
pub const RECENT_INTERACTIONS: i64 = 12;
pub const VOICE_REFERENCES: i64 = 5;

/// One past interaction. `Debug` leaves the body out.
pub struct PastInteraction {
    pub channel: String,
    pub direction: String,
    pub occurred_at: DateTime<Utc>,
    pub body: Option<String>,
}

impl std::fmt::Debug for PastInteraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PastInteraction")
            .field("channel", &self.channel)
            .field("direction", &self.direction)
            .finish_non_exhaustive()
    }
}

impl FromRow for PastInteraction {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        Ok(Self {
            channel: row.try_get("channel")?,
            direction: row.try_get("direction")?,
            occurred_at: row.try_get("occurred_at")?,
            body: row.try_get("body")?,
        })
    }
}

/// Everything a draft is written from. `Debug` shows only counts.
pub struct DraftSource {
    pub lead_name: String,
    pub lead_status: String,
    /// Newest first.
    pub interactions: Vec<PastInteraction>,
    /// `None` without an active voice-drafting opt-in.
    pub voice: Option<Vec<String>>,
}

impl std::fmt::Debug for DraftSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftSource")
            .field("interactions", &self.interactions.len())
            .field("voice", &self.voice.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

/// Reads a lead the caller can see (another's, or another tenant's, is not found).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn for_draft(
    tx: &mut Tx,
    tenant: TenantId,
    me: UserId,
    lead: Uuid,
) -> Result<DraftSource, CoreError> {
    let row = tx
        .query_opt(
            "select name, status from app.leads where tenant_id = $1 and id = $2",
            &[tenant.as_uuid(), &lead],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    let interactions: Vec<PastInteraction> = tx
        .query_as(
            "select channel, direction, occurred_at, body from app.interactions \
             where tenant_id = $1 and lead_id = $2 order by occurred_at desc, id desc limit $3",
            &[tenant.as_uuid(), &lead, &RECENT_INTERACTIONS],
        )
        .await?;
    let voice = voice_references(tx, tenant, me).await?;
    Ok(DraftSource {
        lead_name: row.try_get("name")?,
        lead_status: row.try_get("status")?,
        interactions,
        voice,
    })
}

/// The member's voice references, if they opted in (their samples' transcripts, newest first).
async fn voice_references(
    tx: &mut Tx,
    tenant: TenantId,
    me: UserId,
) -> Result<Option<Vec<String>>, CoreError> {
    let rows = tx
        .query(
            "select s.transcript from app.voice_consents c \
             left join lateral (select v.transcript from app.voice_samples v \
                                where v.tenant_id = c.tenant_id and v.owner_id = c.owner_id \
                                  and v.transcript is not null \
                                order by v.created_at desc limit $3) s on true \
             where c.tenant_id = $1 and c.owner_id = $2 and c.withdrawn_at is null",
            &[tenant.as_uuid(), me.as_uuid(), &VOICE_REFERENCES],
        )
        .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut texts = Vec::new();
    for row in &rows {
        if let Some(t) = row.try_get::<_, Option<String>>("transcript")? {
            texts.push(t);
        }
    }
    Ok(Some(texts))
}
