//! Follow-up drafts a rep writes (or the assistant proposes) before sending.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Insert, OwnedRecord, Value};
use crate::page::new_id;
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftChannel {
    Sms,
    Whatsapp,
    Email,
}

impl DraftChannel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Draft {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    /// `ai` (written by the assistant, for you to review) or `self` (yours).
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    pub lead_id: Option<Uuid>,
    pub channel: DraftChannel,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub subject: Option<String>,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub body: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftPatch {
    pub channel: Option<DraftChannel>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300, pattern = r"\S")]
    pub subject: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub body: Option<String>,
}

impl FromRow for Draft {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            channel: row.try_get("channel")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            source: row.try_get("source")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl OwnedRecord for Draft {
    const TABLE: &'static str = "app.drafts";
    const COLUMNS: &'static str = "id, lead_id, channel, subject, body, source, created_at, updated_at";
    const SET: &'static str = "channel = coalesce($4, channel), \
        subject = case when $5 then $6 else subject end, body = coalesce($7, body)";
    type New = NewDraft;
    type Patch = DraftPatch;

    fn id(&self) -> Uuid {
        self.id
    }

    fn insert(input: &NewDraft) -> Result<Insert, CoreError> {
        let subject = validate::optional_masked_text("subject", input.subject.as_deref(), 300)?;
        let body = validate::masked_text("body", &input.body, 20_000)?;
        Ok(Insert {
            columns: "channel, subject, body",
            values: vec![
                Box::new(input.channel.as_str()),
                Box::new(subject),
                Box::new(body),
            ],
            lead: Some(input.lead_id),
        })
    }

    fn update(patch: &DraftPatch) -> Result<Vec<Value>, CoreError> {
        let subject = patch
            .subject
            .as_ref()
            .map(|s| validate::optional_masked_text("subject", s.as_deref(), 300))
            .transpose()?;
        let body = validate::optional_masked_text("body", patch.body.as_deref(), 20_000)?;
        Ok(vec![
            Box::new(patch.channel.map(DraftChannel::as_str)),
            Box::new(subject.is_some()),
            Box::new(subject.flatten()),
            Box::new(body),
        ])
    }
}

/// A draft the assistant wrote for a member, in the service context (which may insert, never read;
/// the database marks it `ai` and checks that `owner` is an active member). The lead is the one the
/// member asked about, read in their own context first.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn record_for_member(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    lead: Uuid,
    channel: DraftChannel,
    subject: Option<&str>,
    body: &str,
) -> Result<Draft, CoreError> {
    let subject = validate::optional_masked_text("subject", subject, 300)?;
    let body = validate::masked_text("body", body, 20_000)?;
    let id = new_id();
    tx.execute(
        "insert into app.drafts (tenant_id, id, owner_id, lead_id, channel, subject, body, source) \
         values ($1, $2, $3, $4, $5, $6, $7, 'ai')",
        &[
            tenant.as_uuid(),
            &id,
            owner.as_uuid(),
            &lead,
            &channel.as_str(),
            &subject,
            &body,
        ],
    )
    .await?;
    // The row's own timestamps (the transaction's start); the service context cannot read it back.
    let at: DateTime<Utc> = tx.query_one("select now() as at", &[]).await?.try_get("at")?;
    Ok(Draft {
        id,
        lead_id: Some(lead),
        channel: channel.as_str().to_owned(),
        subject,
        body,
        source: "ai".into(),
        created_at: at,
        updated_at: at,
    })
}

/// Sends one of the caller's own drafts to its lead through the outbox, and deletes the draft, in
/// one transaction: the consent check refuses it as any message (409 `consent_required`, the draft
/// kept), and a draft with no lead is `draft_without_lead` (the API answers 409).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn send(
    tx: &mut Tx,
    tenant: TenantId,
    owner: UserId,
    id: Uuid,
    purpose: crate::messaging::Purpose,
) -> Result<crate::messaging::outbound::Message, CoreError> {
    use crate::messaging::{outbound, Channel};
    let draft: Draft = super::get(tx, tenant, owner, id).await?;
    let lead_id = draft.lead_id.ok_or_else(|| {
        CoreError::invalid(
            "draft_without_lead",
            "this draft names no lead: set its lead_id first",
        )
    })?;
    let channel = match draft.channel.as_str() {
        "sms" => Channel::Sms,
        "whatsapp" => Channel::Whatsapp,
        _ => Channel::Email,
    };
    let message = outbound::NewMessage {
        lead_id,
        channel: Some(channel),
        purpose: Some(purpose),
        subject: draft.subject,
        body: Some(draft.body),
        template_id: None,
        variables: Default::default(),
    };
    let queued = outbound::queue(tx, tenant, owner, &message).await?;
    super::delete::<Draft>(tx, tenant, owner, id).await?;
    Ok(queued)
}
