//! What a lead's page shows beside its timeline: whose it is, its consent state per channel and
//! purpose, its deals, and for managers and admins the people it can be assigned to. Each read runs in
//! the visitor's transaction, so a rep sees what the API would show them.
use palisade_core::crm::deals::{self, DealFilter};
use palisade_core::crm::leads::Lead;
use palisade_core::messaging::consent;
use palisade_core::tenancy;
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::when;
use crate::web::dashboard::money;
use crate::web::error::PageError;

/// Deals shown on a lead's page (a lead has few; the API lists them all).
const DEALS: i64 = 10;

pub struct ConsentRow {
    pub channel: String,
    pub purpose: String,
    pub granted: bool,
    pub since: String,
}

pub struct DealRow {
    pub title: String,
    pub stage: String,
    pub amount: String,
}

pub struct Assignee {
    pub id: Uuid,
    pub email: String,
    pub current: bool,
}

pub struct Facts {
    pub owner: String,
    pub consent: Vec<ConsentRow>,
    pub deals: Vec<DealRow>,
    pub more_deals: bool,
    /// Managers and admins only: the active members the lead can go to.
    pub assignees: Option<Vec<Assignee>>,
    /// Conversations the assistant handed to a person (auto-replies paused there): channel, why.
    pub holds: Vec<(String, &'static str)>,
}

/// Why the assistant handed a conversation to a person, in words.
fn hold_reason(code: &str) -> &'static str {
    match code {
        "forbidden_topic" => "a topic it must not discuss",
        "no_knowledge" => "nothing in the knowledge base answers it",
        "model_handoff" => "the assistant asked for a person",
        "no_consent" => "no consent for an answer",
        "too_many_messages" => "more than ten answers in an hour",
        "assistant_unavailable" => "the assistant could not answer (its model or budget)",
        _ => "the answer could not be used",
    }
}

pub async fn load(
    tx: &mut Tx,
    tenant: TenantId,
    lead: &Lead,
    me: Uuid,
    manager: bool,
) -> Result<Facts, PageError> {
    let ledger = consent::ledger_for_lead(tx, tenant, lead.id).await?;
    let filter = DealFilter {
        lead_id: Some(lead.id),
        limit: Some(DEALS),
        ..DealFilter::default()
    };
    let found = deals::list(tx, tenant, &filter).await?;
    let holds = palisade_core::ai::conversations::holds(tx, tenant, lead.id)
        .await?
        .into_iter()
        .map(|h| (h.channel, hold_reason(&h.reason)))
        .collect();
    let (owner, assignees) = if manager {
        let members = tenancy::list_members(tx, tenant).await?;
        let owner = members
            .iter()
            .find(|m| m.user_id == lead.owner_id)
            .map(|m| m.email.clone());
        let active = members.into_iter().filter(|m| m.status == "active");
        let choices = active
            .map(|m| Assignee {
                current: m.user_id == lead.owner_id,
                id: m.user_id,
                email: m.email,
            })
            .collect();
        (owner.unwrap_or_else(|| "a former member".into()), Some(choices))
    } else if lead.owner_id == me {
        ("you".into(), None)
    } else {
        ("a teammate".into(), None)
    };
    Ok(Facts {
        owner,
        consent: ledger
            .current
            .into_iter()
            .map(|c| ConsentRow {
                channel: c.channel,
                purpose: c.purpose,
                granted: c.state == "granted",
                since: when(c.since),
            })
            .collect(),
        more_deals: found.next_cursor.is_some(),
        deals: found
            .items
            .into_iter()
            .map(|d| DealRow {
                title: d.title,
                stage: d.stage,
                amount: money(&d.currency, &d.amount_cents.to_string()),
            })
            .collect(),
        assignees,
        holds,
    })
}
