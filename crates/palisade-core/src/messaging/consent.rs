//! The consent ledger: append-only grant and revoke events per lead, channel and purpose (the
//! database refuses any update or delete). The current state is the latest event.
use chrono::{DateTime, Duration, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Channel, Purpose};
use crate::page::new_id;
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    #[default]
    Grant,
    Revoke,
}

impl Action {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Grant => "grant",
            Self::Revoke => "revoke",
        }
    }
}

/// How a member learned of the consent they record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberSource {
    /// A form the lead filled in (give `form_version` and the `consent_text` shown).
    Form,
    /// Anything else a member records (a call, a signed paper), through the API.
    #[default]
    Api,
}

/// An opt-in (or a revocation) to record. A grant needs evidence: the `consent_text` the lead was
/// shown (stored as its SHA-256) or the `form_version`, or both.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    pub channel: Channel,
    pub purpose: Purpose,
    #[serde(default)]
    pub action: Action,
    #[serde(default)]
    pub source: MemberSource,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub form_version: Option<String>,
    /// The exact text the lead agreed to; only its SHA-256 is kept.
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub consent_text: Option<String>,
    /// When the lead gave (or withdrew) consent; default now, never in the future.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentEvent {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub member_id: Option<Uuid>,
    pub channel: String,
    pub purpose: String,
    pub action: String,
    /// `inbound_keyword`, `form`, `api`, `import` or `admin`.
    pub source: String,
    /// The provider's id of the message that said STOP or START.
    pub provider_message_id: Option<String>,
    pub form_version: Option<String>,
    /// Hex SHA-256 of the consent text shown.
    pub consent_text_sha256: Option<String>,
    /// The member who recorded it.
    pub actor_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// The state a lead's ledger gives for one channel and purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentState {
    pub channel: String,
    pub purpose: String,
    /// `granted` or `revoked`.
    pub state: &'static str,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentLedger {
    /// One entry per channel and purpose with any event; none means no consent.
    pub current: Vec<ConsentState>,
    /// Newest first.
    pub events: Vec<ConsentEvent>,
}

const COLUMNS: &str = "id, lead_id, member_id, channel, purpose, action, source, provider_message_id, \
                       form_version, consent_text_sha256, actor_id, occurred_at, created_at";

/// How many events a ledger answer holds at most (a lead's ledger is short; this bounds the answer).
const LEDGER_MAX: i64 = 1000;

impl FromRow for ConsentEvent {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        let hash: Option<Vec<u8>> = row.try_get("consent_text_sha256")?;
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            member_id: row.try_get("member_id")?,
            channel: row.try_get("channel")?,
            purpose: row.try_get("purpose")?,
            action: row.try_get("action")?,
            source: row.try_get("source")?,
            provider_message_id: row.try_get("provider_message_id")?,
            form_version: row.try_get("form_version")?,
            consent_text_sha256: hash.map(hex::encode),
            actor_id: row.try_get("actor_id")?,
            occurred_at: row.try_get("occurred_at")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Records consent for a lead the caller owns (a lead they only see answers 403; one they do not
/// see, 404).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn record_for_lead(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    lead: Uuid,
    input: &NewConsent,
) -> Result<ConsentEvent, CoreError> {
    visible_lead(tx, tenant, lead).await?;
    let form_version = validate::optional_text("form_version", input.form_version.as_deref(), 100)?;
    let text_hash = match input.consent_text.as_deref() {
        Some(text) => Some(sha256(validate::text("consent_text", text, 10_000)?.as_bytes())),
        None => None,
    };
    if input.action == Action::Grant && form_version.is_none() && text_hash.is_none() {
        return Err(CoreError::invalid(
            "evidence_required",
            "an opt-in needs evidence: the consent_text shown to the lead, or the form_version, or both",
        ));
    }
    let occurred = input.occurred_at.unwrap_or_else(Utc::now);
    if occurred > Utc::now() + Duration::minutes(5) {
        return Err(CoreError::invalid(
            "invalid_field",
            "occurred_at must not be in the future",
        ));
    }
    let source = match input.source {
        MemberSource::Form => "form",
        MemberSource::Api => "api",
    };
    let sql = format!(
        "insert into app.consent_events (tenant_id, id, lead_id, channel, purpose, action, source, \
           form_version, consent_text_sha256, actor_id, occurred_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                &lead,
                &input.channel.as_str(),
                &input.purpose.as_str(),
                &input.action.as_str(),
                &source,
                &form_version,
                &text_hash,
                caller.as_uuid(),
                &occurred,
            ],
        )
        .await
        .map_err(|e| match e {
            DbError::PermissionDenied => CoreError::Forbidden("only the lead's owner records consent for it"),
            other => other.into(),
        })?;
    Ok(ConsentEvent::from_row(&row)?)
}

/// A lead's ledger and the current state it gives, for anyone who sees the lead.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn ledger_for_lead(tx: &mut Tx, tenant: TenantId, lead: Uuid) -> Result<ConsentLedger, CoreError> {
    visible_lead(tx, tenant, lead).await?;
    let sql = format!(
        "select {COLUMNS} from app.consent_events where tenant_id = $1 and lead_id = $2 \
         order by occurred_at desc, created_at desc limit {LEDGER_MAX}"
    );
    let events: Vec<ConsentEvent> = tx.query_as(&sql, &[tenant.as_uuid(), &lead]).await?;
    let mut current: Vec<ConsentState> = Vec::new();
    for e in &events {
        if !current
            .iter()
            .any(|c| c.channel == e.channel && c.purpose == e.purpose)
        {
            current.push(ConsentState {
                channel: e.channel.clone(),
                purpose: e.purpose.clone(),
                state: if e.action == "grant" { "granted" } else { "revoked" },
                since: e.occurred_at,
            });
        }
    }
    current.sort_by(|a, b| (&a.channel, &a.purpose).cmp(&(&b.channel, &b.purpose)));
    Ok(ConsentLedger { current, events })
}

async fn visible_lead(tx: &mut Tx, tenant: TenantId, lead: Uuid) -> Result<(), CoreError> {
    tx.query_one(
        "select 1 from app.leads where tenant_id = $1 and id = $2",
        &[tenant.as_uuid(), &lead],
    )
    .await?;
    Ok(())
}

pub(crate) fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
