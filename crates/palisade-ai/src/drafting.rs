//! Follow-up drafts: a member asks for one for a lead they can see; the model gets the lead's name and
//! latest interactions, and — only with the member's voice-drafting opt-in — their reference messages,
//! all masked and fenced as data; the answer becomes a draft only its owner sees (marked `ai`), which
//! they review, edit and send through the consent-gated outbox like any other message.
use palisade_core::ai::lead_context::{self, DraftSource};
use palisade_core::ai::usage::CallPurpose;
use palisade_core::private::drafts::{self, Draft, DraftChannel};
use palisade_core::CoreError;
use palisade_db::{Db, Purpose, TenantId, Tx, UserId};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::assistant::{AiError, Assistant};
use crate::client::Prompt;
use crate::fence::Fence;
use crate::guard::{Reveal, SafeText, Vault};

/// The member's own words to the model, at most this long.
pub const MAX_INSTRUCTIONS: usize = 1_000;

/// What a member asks for.
#[derive(Clone, Debug)]
pub struct DraftAsk {
    pub lead_id: Uuid,
    pub channel: DraftChannel,
    /// What the member wants the message to do ("propose Tuesday", "thank them for the call").
    pub instructions: Option<String>,
}

const SYSTEM: &str = "You draft follow-up messages for a sales or support representative, who reviews \
and edits every draft before anything is sent. Write as the representative, to the lead. When reference \
messages are given, match how the representative writes (length, greeting, tone); otherwise be friendly, \
brief and professional. Use only facts found in the conversation: never invent prices, dates, promises, \
links or contact details. Placeholders such as [EMAIL_1], [PHONE_2] or [CARD_1] stand for details hidden \
from you: keep one exactly as written if the message needs it, and never guess what it hides. Answer with \
JSON: `subject` (a short subject line for email, otherwise null) and `body` (the message).";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftOut {
    subject: Option<String>,
    body: String,
}

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "subject": {"type": ["string", "null"]},
            "body": {"type": "string"},
        },
        "required": ["subject", "body"],
        "additionalProperties": false,
    })
}

/// Drafts a follow-up. `member` is the asking member's own transaction: the lead must be one they
/// can see, and what the draft is written from is read as them.
pub async fn draft_follow_up(
    assistant: &Assistant,
    db: &Db,
    mut member: Tx,
    tenant: TenantId,
    me: UserId,
    ask: &DraftAsk,
) -> Result<Draft, AiError> {
    if let Some(text) = &ask.instructions {
        if text.chars().count() > MAX_INSTRUCTIONS {
            return Err(CoreError::invalid(
                "invalid_field",
                format!("instructions must be at most {MAX_INSTRUCTIONS} characters"),
            )
            .into());
        }
    }
    assistant.draft_permit(tenant, me)?;
    let source = lead_context::for_draft(&mut member, tenant, me, ask.lead_id).await?;
    member.commit().await?;
    let opened = assistant.open(db, tenant).await?;
    if !opened.settings.drafting {
        return Err(AiError::FeatureOff("drafting"));
    }
    let mut vault = Vault::new(&opened.guard);
    let prompt = prompt(&source, ask, &mut vault);
    let content = assistant
        .call(db, &opened, CallPurpose::Draft, &prompt, vault.masked())
        .await?;
    let out: DraftOut = serde_json::from_str(&content).map_err(|_| AiError::BadOutput)?;
    let body = vault.restore(out.body.trim());
    if body.is_empty() {
        return Err(AiError::BadOutput);
    }
    let subject = match ask.channel {
        DraftChannel::Email => out
            .subject
            .map(|s| vault.restore(s.trim()))
            .filter(|s| !s.is_empty()),
        _ => None,
    };
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    let draft = drafts::record_for_member(
        &mut tx,
        tenant,
        me,
        ask.lead_id,
        ask.channel,
        subject.as_deref(),
        &body,
    )
    .await?;
    tx.commit().await?;
    Ok(draft)
}

fn channel_rule(channel: DraftChannel) -> &'static str {
    match channel {
        DraftChannel::Sms => {
            "Channel: SMS. At most 320 characters, no subject, no links unless one is in the conversation."
        }
        DraftChannel::Whatsapp => "Channel: WhatsApp. Short and conversational, no subject.",
        DraftChannel::Email => "Channel: email. A subject line and a body of a few short paragraphs at most.",
    }
}

fn words(value: &str) -> &'static str {
    match value {
        "call" => "call",
        "sms" => "SMS",
        "whatsapp" => "WhatsApp",
        "email" => "email",
        "meeting" => "meeting",
        "note" => "note",
        "inbound" => "from the lead",
        "outbound" => "from the representative",
        "internal" => "internal note",
        _ => "other",
    }
}

/// The prompt: every value from the database or the member is masked and fenced; only our own
/// constant wording is outside a fence.
fn prompt(source: &DraftSource, ask: &DraftAsk, vault: &mut Vault<'_>) -> Prompt {
    let fence = Fence::new();
    let mut system = SafeText::instruction(SYSTEM);
    system.push(&SafeText::instruction("\n"));
    system.push(&fence.rule());
    let line = |text: &'static str| SafeText::instruction(text);
    let mut parts = vec![line(channel_rule(ask.channel)), line("The lead's name:")];
    parts.push(fence.wrap("lead name", &vault.mask(&source.lead_name, Reveal::Yes)));
    parts.push(line("The lead's status:"));
    parts.push(vault.mask(&source.lead_status, Reveal::Yes));
    if source.interactions.is_empty() {
        parts.push(line(
            "There is no conversation yet: write a first, friendly follow-up.",
        ));
    } else {
        parts.push(line("The conversation so far, newest first:"));
        for i in &source.interactions {
            let when = vault.mask(&i.occurred_at.format("%Y-%m-%d").to_string(), Reveal::Yes);
            let mut heading = SafeText::instruction("- ");
            heading.push(&when);
            heading.push(&line(", "));
            heading.push(&line(words(&i.channel)));
            heading.push(&line(", "));
            heading.push(&line(words(&i.direction)));
            heading.push(&line(":"));
            parts.push(heading);
            let body = i.body.as_deref().unwrap_or("(no text)");
            parts.push(fence.wrap("message", &vault.mask(body, Reveal::Yes)));
        }
    }
    if let Some(voice) = source.voice.as_ref().filter(|v| !v.is_empty()) {
        parts.push(line(
            "How the representative writes (their own reference messages):",
        ));
        for text in voice {
            // The rep's messages to other leads: their details never come back into this draft.
            parts.push(fence.wrap("reference message", &vault.mask(text, Reveal::No)));
        }
    }
    if let Some(text) = ask
        .instructions
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        parts.push(line("What the representative wants this message to do:"));
        parts.push(fence.wrap("representative's request", &vault.mask(text, Reveal::Yes)));
    }
    parts.push(line("Write the follow-up now."));
    Prompt {
        system,
        user: SafeText::join(&parts, "\n"),
        max_tokens: match ask.channel {
            DraftChannel::Email => 700,
            _ => 300,
        },
        schema: Some(("follow_up_draft", schema())),
    }
}
