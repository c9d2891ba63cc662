//! Voice-drafting consent: a member's opt-in to drafts written in their own voice from their voice
//! samples. The database refuses a voice sample without an active opt-in, and withdrawing the opt-in
//! deletes every voice sample of the member in the tenant in the same statement (migration 0033). Each
//! opt-in is kept, with the version of the text agreed to, as the member's own record.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::new_id;
use crate::{validate, CoreError};

/// One opt-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceConsent {
    pub id: Uuid,
    /// The version of the opt-in text agreed to.
    pub text_version: String,
    pub granted_at: DateTime<Utc>,
    /// Set when withdrawn; a withdrawn opt-in stays withdrawn (opt in again for a new one).
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl FromRow for VoiceConsent {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            text_version: row.try_get("text_version")?,
            granted_at: row.try_get("granted_at")?,
            withdrawn_at: row.try_get("withdrawn_at")?,
        })
    }
}

/// Whether voice drafting is on, and every opt-in, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceConsentState {
    pub active: bool,
    pub history: Vec<VoiceConsent>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptIn {
    /// The version of the opt-in text shown to the member (`voice-v1`).
    #[schema(min_length = 1, max_length = 100, example = "voice-v1")]
    pub text_version: String,
}

/// What withdrawing did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Withdrawal {
    /// False when there was no active opt-in (nothing changed).
    pub withdrawn: bool,
    pub voice_samples_deleted: i64,
}

/// Opt-ins kept per member are few (one per change of mind); the list shows the latest hundred.
const HISTORY: i64 = 100;

pub async fn state(tx: &mut Tx, tenant: TenantId, me: UserId) -> Result<VoiceConsentState, CoreError> {
    let history: Vec<VoiceConsent> = tx
        .query_as(
            "select id, text_version, granted_at, withdrawn_at from app.voice_consents \
             where tenant_id = $1 and owner_id = $2 order by granted_at desc, id desc limit $3",
            &[tenant.as_uuid(), me.as_uuid(), &HISTORY],
        )
        .await?;
    Ok(VoiceConsentState {
        active: history.iter().any(|c| c.withdrawn_at.is_none()),
        history,
    })
}

/// Opts in, unless already opted in (then nothing changes); true when a new opt-in was recorded.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn opt_in(tx: &mut Tx, tenant: TenantId, me: UserId, input: &OptIn) -> Result<bool, CoreError> {
    let version = validate::text("text_version", &input.text_version, 100)?;
    let inserted = tx
        .execute(
            "insert into app.voice_consents (tenant_id, id, owner_id, text_version) values ($1, $2, $3, $4) \
             on conflict (tenant_id, owner_id) where withdrawn_at is null do nothing",
            &[tenant.as_uuid(), &new_id(), me.as_uuid(), &version],
        )
        .await?;
    Ok(inserted == 1)
}

/// Withdraws the active opt-in; the database deletes the member's voice samples with it. Samples
/// stored before opt-ins existed (migration 0033 left them) go too, opted in or not.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn withdraw(tx: &mut Tx, tenant: TenantId, me: UserId) -> Result<Withdrawal, CoreError> {
    let samples: i64 = tx
        .query_one(
            "select count(*) as n from app.voice_samples where tenant_id = $1 and owner_id = $2",
            &[tenant.as_uuid(), me.as_uuid()],
        )
        .await?
        .try_get("n")?;
    let withdrawn = tx
        .execute(
            "update app.voice_consents set withdrawn_at = now() \
             where tenant_id = $1 and owner_id = $2 and withdrawn_at is null",
            &[tenant.as_uuid(), me.as_uuid()],
        )
        .await?;
    tx.execute(
        "delete from app.voice_samples where tenant_id = $1 and owner_id = $2",
        &[tenant.as_uuid(), me.as_uuid()],
    )
    .await?;
    Ok(Withdrawal {
        withdrawn: withdrawn == 1,
        voice_samples_deleted: samples,
    })
}
