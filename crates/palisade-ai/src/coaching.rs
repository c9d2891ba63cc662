//! Coaching from a call: the transcript (masked, fenced) goes to the model, which answers with a few
//! observations for the rep; they are written for the rep alone (rep-private, marked `ai`) in the same
//! transaction that finishes the task, so a retried task never writes them twice.
use palisade_core::ai::tasks::{Claimed, Finish};
use palisade_core::ai::usage::CallPurpose;
use palisade_core::private::coaching::{self, NewObservation};
use palisade_core::CoreError;
use palisade_db::{Db, Purpose, TenantId, UserId};
use serde::Deserialize;
use serde_json::json;

use crate::assistant::{AiError, Assistant};
use crate::client::Prompt;
use crate::fence::Fence;
use crate::guard::{Reveal, SafeText, Vault};
use crate::worker::{commit_with_finish, finish};

/// The categories an observation may have.
pub const CATEGORIES: [&str; 7] = [
    "opening",
    "discovery",
    "listening",
    "objection_handling",
    "next_steps",
    "tone",
    "compliance",
];
const MAX_OBSERVATIONS: usize = 5;
const MAX_OBSERVATION_CHARS: usize = 1_000;

const SYSTEM: &str = "You coach a sales or support representative, privately, from the transcript of one \
of their calls. Give one to five short observations they can act on next time: specific (quote or point to \
the moment), kind, and only about what the transcript shows. Nothing about the customer's private life. \
Placeholders such as [PHONE_1] or [CARD_1] stand for details hidden from you; never guess them. Answer with \
JSON: `observations`, a list of objects with `category` (one of the allowed categories) and `observation`.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoachingOut {
    observations: Vec<ObservationOut>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservationOut {
    category: String,
    observation: String,
}

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "observations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "category": {"type": "string", "enum": CATEGORIES},
                        "observation": {"type": "string"},
                    },
                    "required": ["category", "observation"],
                    "additionalProperties": false,
                },
            },
        },
        "required": ["observations"],
        "additionalProperties": false,
    })
}

/// Coaches the rep of a claimed coaching task, and finishes it.
pub async fn coach(assistant: &Assistant, db: &Db, tenant: TenantId, task: &Claimed) -> Result<(), AiError> {
    let opened = assistant.open(db, tenant).await?;
    if !opened.settings.coaching {
        return Err(AiError::FeatureOff("coaching"));
    }
    let Some(transcript) = task.body.as_deref().filter(|t| !t.trim().is_empty()) else {
        return finish(db, tenant, task, Finish::Skipped("empty_transcript")).await;
    };
    let mut vault = Vault::new(&opened.guard);
    let fence = Fence::new();
    let mut system = SafeText::instruction(SYSTEM);
    system.push(&SafeText::instruction("\nAllowed categories: opening, discovery, listening, objection_handling, next_steps, tone, compliance.\n"));
    system.push(&fence.rule());
    let user = SafeText::join(
        &[
            SafeText::instruction("The call transcript:"),
            fence.wrap("call transcript", &vault.mask(transcript, Reveal::Yes)),
        ],
        "\n",
    );
    let prompt = Prompt {
        system,
        user,
        max_tokens: 800,
        schema: Some(("call_coaching", schema())),
    };
    let content = assistant
        .call(db, &opened, CallPurpose::Coaching, &prompt, vault.masked())
        .await?;
    let out: CoachingOut = serde_json::from_str(&content).map_err(|_| AiError::BadOutput)?;
    let observations: Vec<NewObservation> = out
        .observations
        .into_iter()
        .filter(|o| CATEGORIES.contains(&o.category.as_str()))
        .map(|o| NewObservation {
            lead_id: Some(task.lead_id),
            category: o.category,
            observation: vault
                .restore(o.observation.trim())
                .chars()
                .take(MAX_OBSERVATION_CHARS)
                .collect(),
        })
        .filter(|o| !o.observation.trim().is_empty())
        .take(MAX_OBSERVATIONS)
        .collect();
    if observations.is_empty() {
        return Err(AiError::BadOutput);
    }
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    let rep = UserId::from_uuid(task.actor_id);
    for o in &observations {
        match coaching::record_for_member(&mut tx, tenant, rep, o).await {
            Ok(_) => {}
            // The rep left or was suspended since the call: nothing is written for them.
            Err(CoreError::Db(palisade_db::DbError::PermissionDenied) | CoreError::Forbidden(_)) => {
                tx.rollback().await?;
                return finish(db, tenant, task, Finish::Skipped("rep_not_active")).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    commit_with_finish(tx, tenant, task, Finish::Done("coached")).await
}
