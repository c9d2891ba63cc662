//! Answers to inbound texts from the knowledge base (auto-replies, where a tenant turned them on for
//! the channel). The route is decided by rules and by the model's structured `action`, never by the
//! wording of its reply: a forbidden topic, no passage that covers the question, a `handoff` action,
//! an answer that cites no retrieved passage or still holds a placeholder, or a refused consent —
//! each hands the conversation to a person, who is told on the lead, and auto-replies stop there.
use palisade_core::ai::conversations;
use palisade_core::ai::knowledge::retrieval::{self, Passage, MIN_COVERAGE};
use palisade_core::ai::tasks::{Claimed, Finish};
use palisade_core::ai::usage::CallPurpose;
use palisade_core::CoreError;
use palisade_db::{Db, Purpose, TenantId};
use serde::Deserialize;
use serde_json::json;

use crate::assistant::{AiError, Assistant};
use crate::client::Prompt;
use crate::fence::Fence;
use crate::guard::{Reveal, SafeText, Vault};
use crate::routing::{forbidden_topic, Route};
use crate::worker::{commit_with_finish, finish};

/// Passages given to the model at most.
const PASSAGES: i64 = 4;
/// Answers sent in one conversation in an hour at most: past it, a person takes over (a lead, or
/// someone with their number, cannot make the tenant pay for a call and a text per message).
pub const MAX_ANSWERS_PER_HOUR: i64 = 10;
/// The longest answer sent (three SMS segments).
pub const MAX_ANSWER_CHARS: usize = 480;

const SYSTEM: &str = "You answer a customer's text message for a company, using only the numbered \
knowledge passages given. If the passages do not answer the question fully, or the question is about a \
forbidden topic, or the customer asks for a person, is upset, or wants something only a person can do, \
choose the action `handoff`. Otherwise choose `answer`: reply in the customer's language, friendly and \
short (at most 300 characters), with no facts beyond the passages, and list the numbers of the passages \
you used in `cited`. Placeholders such as [EMAIL_1] stand for details hidden from you: copy one only \
if the passage gives it as the way to reach the company. Answer with JSON: `action`, `answer` (null for a \
handoff) and `cited`.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    action: String,
    answer: Option<String>,
    cited: Vec<i64>,
}

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": ["answer", "handoff"]},
            "answer": {"type": ["string", "null"]},
            "cited": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["action", "answer", "cited"],
        "additionalProperties": false,
    })
}

/// Answers (or hands off) the inbound text of a claimed answer task, and finishes it.
pub async fn answer(assistant: &Assistant, db: &Db, tenant: TenantId, task: &Claimed) -> Result<(), AiError> {
    let channel = task.channel.as_str();
    let opened = assistant.open(db, tenant).await?;
    if !opened
        .settings
        .auto_reply_channels
        .iter()
        .any(|c| c.as_str() == channel)
    {
        return finish(db, tenant, task, Finish::Skipped("auto_reply_off")).await;
    }
    let Some(question) = task.body.as_deref().map(str::trim).filter(|q| !q.is_empty()) else {
        return finish(db, tenant, task, Finish::Skipped("empty_message")).await;
    };
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    if conversations::held(&mut tx, tenant, task.lead_id, channel).await? {
        tx.commit().await?;
        return finish(db, tenant, task, Finish::Skipped("held")).await;
    }
    // Checked before any call, so that a stranger's texts (or anyone's without consent) cost nothing.
    let consent = conversations::reply_blocked(&mut tx, task.lead_id, channel).await?;
    let flooding = conversations::recent_answers(&mut tx, tenant, task.lead_id, channel, task.id).await?
        >= MAX_ANSWERS_PER_HOUR;
    let passages = retrieval::search(&mut tx, tenant, question, PASSAGES).await?;
    tx.commit().await?;

    let route = if consent {
        Route::Handoff("no_consent")
    } else if flooding {
        Route::Handoff("too_many_messages")
    } else {
        decide(assistant, db, &opened, question, &passages).await?
    };
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    // A person may have taken the conversation while the model was thinking.
    if conversations::held(&mut tx, tenant, task.lead_id, channel).await? {
        return commit_with_finish(tx, tenant, task, Finish::Skipped("held")).await;
    }
    let outcome = match route {
        Route::Answer(text) => {
            match conversations::queue_reply(&mut tx, tenant, task.lead_id, channel, &text).await {
                Ok(_) => "answered",
                Err(CoreError::ConsentRequired { .. }) => {
                    // The failed insert aborted the transaction: hand off in a fresh one.
                    tx.rollback().await?;
                    tx = db.service(tenant, Purpose::Assistant).await?;
                    conversations::hand_off(&mut tx, tenant, task.lead_id, channel, "no_consent").await?;
                    "handoff_no_consent"
                }
                Err(e) => return Err(e.into()),
            }
        }
        Route::Handoff(reason) => {
            conversations::hand_off(&mut tx, tenant, task.lead_id, channel, reason).await?;
            handoff_outcome(reason)
        }
    };
    commit_with_finish(tx, tenant, task, Finish::Done(outcome)).await
}

fn handoff_outcome(reason: &'static str) -> &'static str {
    match reason {
        "forbidden_topic" => "handoff_forbidden_topic",
        "no_knowledge" => "handoff_no_knowledge",
        "model_handoff" => "handoff_model",
        "no_consent" => "handoff_no_consent",
        "too_many_messages" => "handoff_too_many_messages",
        "assistant_unavailable" => "handoff_assistant_unavailable",
        _ => "handoff_unusable_answer",
    }
}

/// The route for one question: rules first (no call for a forbidden topic or without knowledge),
/// then the model's structured decision, checked.
pub async fn decide(
    assistant: &Assistant,
    db: &Db,
    opened: &crate::assistant::Opened,
    question: &str,
    passages: &[Passage],
) -> Result<Route, AiError> {
    let topics = &opened.settings.forbidden_topics;
    if forbidden_topic(topics, question).is_some() {
        return Ok(Route::Handoff("forbidden_topic"));
    }
    let usable: Vec<&Passage> = passages.iter().filter(|p| p.coverage >= MIN_COVERAGE).collect();
    if usable.is_empty() {
        return Ok(Route::Handoff("no_knowledge"));
    }
    let mut vault = Vault::new(&opened.guard);
    let prompt = prompt(&mut vault, topics, question, &usable);
    let content = assistant
        .call(db, opened, CallPurpose::Answer, &prompt, vault.masked())
        .await?;
    Ok(check(&vault, topics, &content, usable.len()))
}

/// The model's decision, held to the rules: an answer must cite given passages, be short, hold no
/// placeholder once restored, and not touch a forbidden topic; anything else is a handoff.
pub fn check(vault: &Vault<'_>, topics: &[String], content: &str, given: usize) -> Route {
    let Ok(decision) = serde_json::from_str::<Decision>(content) else {
        return Route::Handoff("unusable_answer");
    };
    if decision.action == "handoff" {
        return Route::Handoff("model_handoff");
    }
    let text = decision.answer.as_deref().map(str::trim).unwrap_or_default();
    let cites_given = !decision.cited.is_empty()
        && decision
            .cited
            .iter()
            .all(|n| usize::try_from(*n).is_ok_and(|n| (1..=given).contains(&n)));
    if decision.action != "answer" || text.is_empty() || !cites_given {
        return Route::Handoff("unusable_answer");
    }
    let restored = vault.restore(text);
    if Vault::holds_placeholder(&restored) || restored.chars().count() > MAX_ANSWER_CHARS {
        return Route::Handoff("unusable_answer");
    }
    if forbidden_topic(topics, &restored).is_some() {
        return Route::Handoff("forbidden_topic");
    }
    Route::Answer(restored)
}

fn prompt(vault: &mut Vault<'_>, topics: &[String], question: &str, passages: &[&Passage]) -> Prompt {
    let fence = Fence::new();
    let mut system = SafeText::instruction(SYSTEM);
    system.push(&SafeText::instruction("\n"));
    system.push(&fence.rule());
    if !topics.is_empty() {
        system.push(&SafeText::instruction("\nForbidden topics (always hand off):\n"));
        for topic in topics {
            system.push(&fence.wrap("forbidden topic", &vault.mask(topic, Reveal::No)));
        }
    }
    let mut parts = vec![SafeText::instruction("Knowledge passages:")];
    for (n, p) in passages.iter().enumerate() {
        parts.push(SafeText::instruction(
            PASSAGE_NUMBERS.get(n).copied().unwrap_or("Passage:"),
        ));
        let text = format!("{}\n{}", p.heading, p.text);
        parts.push(fence.wrap("knowledge passage", &vault.mask(&text, Reveal::Yes)));
    }
    parts.push(SafeText::instruction("The customer's message:"));
    parts.push(fence.wrap("customer message", &vault.mask(question, Reveal::Yes)));
    Prompt {
        system,
        user: SafeText::join(&parts, "\n"),
        max_tokens: 400,
        schema: Some(("knowledge_answer", schema())),
    }
}

const PASSAGE_NUMBERS: [&str; 4] = ["Passage 1:", "Passage 2:", "Passage 3:", "Passage 4:"];
