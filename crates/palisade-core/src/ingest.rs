//! What other systems hand Palisade through the internal ingest endpoint (a call recorder, an
//! assistant): a call transcript becomes an interaction on the lead, masked, logged for the rep who
//! took the call, with optional coaching observations for that rep alone. The service context
//! writes them, and the database checks that the rep is an active member of the tenant.
use chrono::{DateTime, Utc};
use palisade_crypto::{IndexScope, Keyring};
use palisade_db::{TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ai::tasks::{self, TaskKind};
use crate::crm::interactions::{self, Direction};
use crate::messaging::inbound::first_delivery;
use crate::page::new_id;
use crate::private::coaching::{self, NewObservation};
use crate::{validate, CoreError};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallTranscript {
    pub tenant_id: Uuid,
    pub lead_id: Uuid,
    /// The rep who took the call (an active member of the tenant).
    pub rep_id: Uuid,
    /// Card numbers in it are masked before it is stored.
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub transcript: String,
    /// Default `outbound`.
    pub direction: Option<Direction>,
    pub occurred_at: Option<DateTime<Utc>>,
    /// Observations for the rep's eyes only.
    #[serde(default)]
    pub coaching: Vec<Coaching>,
    /// Ask the assistant to coach the rep from this call: if the workspace turned coaching on (AI
    /// settings), observations are written for the rep alone, within a minute or so.
    #[serde(default)]
    pub request_coaching: bool,
    /// The sender's id for this transcript (1–180 characters). A request with a key already seen
    /// gets the first answer again and writes nothing; the same key with another transcript is a
    /// 422.
    #[schema(
        min_length = 1,
        max_length = 180,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub idempotency_key: Option<String>,
}

impl std::fmt::Debug for CallTranscript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallTranscript")
            .field("tenant_id", &self.tenant_id)
            .field("lead_id", &self.lead_id)
            .field("coaching", &self.coaching.len())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Coaching {
    pub category: String,
    pub observation: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Ingested {
    pub interaction_id: Uuid,
    /// Ids of the coaching observations written for the rep.
    pub coaching_ids: Vec<Uuid>,
    /// Coaching from the assistant was asked for and queued.
    #[serde(default)]
    pub coaching_requested: bool,
}

/// At most this many observations per transcript.
const MAX_COACHING: usize = 20;

/// What an ingest request did: a new record, or the first answer to its idempotency key again.
#[derive(Debug)]
pub enum Outcome {
    Created(Ingested),
    Replayed(Ingested),
}

/// Records a call transcript once per idempotency key (every time without one).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn call_transcript(
    tx: &mut Tx,
    tenant: TenantId,
    input: &CallTranscript,
    index_keys: &Keyring,
) -> Result<Outcome, CoreError> {
    let Some(key) = input.idempotency_key.as_deref() else {
        return Ok(Outcome::Created(record_call(tx, tenant, input).await?));
    };
    if key.is_empty() || key.chars().count() > 180 || key.chars().any(char::is_control) {
        return Err(CoreError::invalid(
            "invalid_field",
            "idempotency_key must be 1 to 180 characters without control characters",
        ));
    }
    let event_id = format!("call-transcript:{key}");
    let canonical = canonical_request(input);
    if !first_delivery(tx, tenant, "ingest", &event_id, "call_transcript").await? {
        // Recorded before (a concurrent first request waits here until it commits).
        let result: Option<serde_json::Value> = tx
            .query_one(
                "select result from app.webhook_events where tenant_id = $1 and provider = 'ingest' \
                 and event_id = $2",
                &[tenant.as_uuid(), &event_id],
            )
            .await?
            .try_get("result")?;
        let result = result.unwrap_or_default();
        let stored = result["request_hmac"].as_str().unwrap_or_default();
        let same_request = index_keys
            .blind_index_candidates(&digest_scope(tenant), canonical.as_bytes())
            .iter()
            .any(|candidate| hex::encode(candidate) == stored);
        if !same_request {
            return Err(CoreError::invalid(
                "idempotency_key_reused",
                "this idempotency_key was used for another transcript",
            ));
        }
        let ingested: Ingested = serde_json::from_value(result["answer"].clone())
            .map_err(|_| CoreError::invalid("idempotency_key_reused", "the first answer is not readable"))?;
        return Ok(Outcome::Replayed(ingested));
    }
    let ingested = record_call(tx, tenant, input).await?;
    let digest = hex::encode(index_keys.blind_index(&digest_scope(tenant), canonical.as_bytes()));
    let result = serde_json::json!({ "request_hmac": digest, "answer": &ingested });
    tx.execute(
        "update app.webhook_events set result = $3 where tenant_id = $1 and provider = 'ingest' and event_id = $2",
        &[tenant.as_uuid(), &event_id, &result],
    )
    .await?;
    Ok(Outcome::Created(ingested))
}

/// What the request asks for (the key aside), to tell a retry from a reused key. It holds the
/// unmasked transcript, so only a keyed digest of it is ever stored: a plain hash would let anyone
/// who can read it test guesses offline (a card number whose last four digits are kept in the masked
/// interaction falls to such a search in seconds).
fn canonical_request(input: &CallTranscript) -> String {
    let coaching: Vec<(&str, &str)> = input
        .coaching
        .iter()
        .map(|c| (c.category.as_str(), c.observation.as_str()))
        .collect();
    let mut canonical = serde_json::json!([
        input.tenant_id,
        input.lead_id,
        input.rep_id,
        input.transcript,
        input.direction.map(Direction::as_str),
        input.occurred_at,
        coaching,
    ]);
    // Only when asked: a request recorded before the flag existed keeps its digest.
    if input.request_coaching {
        if let Some(items) = canonical.as_array_mut() {
            items.push(serde_json::Value::Bool(true));
        }
    }
    canonical.to_string()
}

/// The request digest is an HMAC under the blind-index keys, bound to the tenant (migration 0027);
/// a digest made under a key still in the ring is recognised after a rotation.
fn digest_scope(tenant: TenantId) -> IndexScope<'static> {
    IndexScope {
        tenant: *tenant.as_uuid().as_bytes(),
        column: "app.webhook_events.result",
    }
}

async fn record_call(tx: &mut Tx, tenant: TenantId, input: &CallTranscript) -> Result<Ingested, CoreError> {
    if input.coaching.len() > MAX_COACHING {
        return Err(CoreError::invalid(
            "invalid_field",
            format!("at most {MAX_COACHING} coaching observations per transcript"),
        ));
    }
    let transcript = validate::masked_text("transcript", &input.transcript, 20_000)?;
    let id = new_id();
    let occurred = input.occurred_at.unwrap_or_else(Utc::now);
    let direction = input.direction.unwrap_or(Direction::Outbound);
    let inserted = tx
        .query_opt(
            &interactions::create_sql(),
            &[
                tenant.as_uuid(),
                &id,
                &input.lead_id,
                &input.rep_id,
                &"call",
                &direction.as_str(),
                &transcript,
                &occurred,
                &false,
            ],
        )
        .await
        .map_err(inactive_rep)?;
    if inserted.is_none() {
        return Err(CoreError::unknown_lead());
    }
    let mut coaching_ids = Vec::with_capacity(input.coaching.len());
    for c in &input.coaching {
        let observation = NewObservation {
            lead_id: Some(input.lead_id),
            category: c.category.clone(),
            observation: c.observation.clone(),
        };
        coaching_ids.push(
            coaching::record_for_member(tx, tenant, UserId::from_uuid(input.rep_id), &observation)
                .await
                .map_err(|e| match e {
                    CoreError::Db(palisade_db::DbError::PermissionDenied) | CoreError::Forbidden(_) => {
                        inactive()
                    }
                    other => other,
                })?,
        );
    }
    if input.request_coaching {
        tasks::queue(tx, tenant, TaskKind::Coaching, id).await?;
    }
    Ok(Ingested {
        interaction_id: id,
        coaching_ids,
        coaching_requested: input.request_coaching,
    })
}

fn inactive() -> CoreError {
    CoreError::unknown("unknown_member", "the rep is not an active member of this tenant")
}

/// The service policy refuses an interaction by someone who is not an active member.
fn inactive_rep(e: palisade_db::DbError) -> CoreError {
    match e {
        palisade_db::DbError::PermissionDenied => inactive(),
        other => other.into(),
    }
}
