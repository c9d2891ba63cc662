//! What the push reads before writing to HubSpot, and the links it records after: a deal with its
//! lead's contact, an interaction with its lead's contact. Read in the sync's service context.
use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use crate::CoreError;

/// A deal as it goes to HubSpot. `Debug` is fine: no personal data beyond the deal's title.
#[derive(Debug, Clone)]
pub struct DealOut {
    pub id: Uuid,
    pub title: String,
    pub stage: String,
    pub amount_cents: i64,
    pub currency: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub owner_id: Uuid,
    pub hubspot_id: Option<i64>,
    pub hubspot_modified_at: Option<DateTime<Utc>>,
    /// The lead's HubSpot contact, when it is one.
    pub contact: Option<i64>,
}

pub async fn deals(tx: &mut Tx, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<DealOut>, CoreError> {
    let rows = tx
        .query(
            "select d.id, d.title, d.stage, d.amount_cents, d.currency, d.closed_at, d.owner_id, d.hubspot_id, \
               d.hubspot_modified_at, l.hubspot_id as contact \
             from app.deals d join app.leads l on l.tenant_id = d.tenant_id and l.id = d.lead_id \
             where d.tenant_id = $1 and d.id = any($2)",
            &[tenant.as_uuid(), &ids],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DealOut {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                stage: r.try_get("stage")?,
                amount_cents: r.try_get("amount_cents")?,
                currency: r.try_get("currency")?,
                closed_at: r.try_get("closed_at")?,
                owner_id: r.try_get("owner_id")?,
                hubspot_id: r.try_get("hubspot_id")?,
                hubspot_modified_at: r.try_get("hubspot_modified_at")?,
                contact: r.try_get("contact")?,
            })
        })
        .collect()
}

/// Records where HubSpot holds pushed deals (`(deal, HubSpot id, HubSpot's modification time)`),
/// through `app.crm_set_deal_links` (the link columns only, whoever owns the deal; the change queues
/// nothing).
pub async fn record_deals(
    tx: &mut Tx,
    links: &[(Uuid, i64, Option<DateTime<Utc>>)],
) -> Result<(), CoreError> {
    let ids: Vec<Uuid> = links.iter().map(|l| l.0).collect();
    let remote: Vec<Option<i64>> = links.iter().map(|l| Some(l.1)).collect();
    let modified: Vec<Option<DateTime<Utc>>> = links.iter().map(|l| l.2).collect();
    tx.execute(
        "select app.crm_set_deal_links($1, $2, $3)",
        &[&ids, &remote, &modified],
    )
    .await?;
    Ok(())
}

/// Forgets a deal's link (HubSpot deleted the deal): the next change creates it again.
pub async fn unlink_deal(tx: &mut Tx, id: Uuid) -> Result<(), CoreError> {
    let none: Vec<Option<i64>> = vec![None];
    let never: Vec<Option<DateTime<Utc>>> = vec![None];
    tx.execute(
        "select app.crm_set_deal_links($1, $2, $3)",
        &[&vec![id], &none, &never],
    )
    .await?;
    Ok(())
}

/// An interaction as a note. `Debug` leaves the body out.
#[derive(Clone)]
pub struct NoteOut {
    pub channel: String,
    pub direction: String,
    pub body: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub contact: Option<i64>,
}

impl std::fmt::Debug for NoteOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteOut")
            .field("channel", &self.channel)
            .field("occurred_at", &self.occurred_at)
            .finish_non_exhaustive()
    }
}

pub async fn note(tx: &mut Tx, tenant: TenantId, interaction: Uuid) -> Result<Option<NoteOut>, CoreError> {
    let row = tx
        .query_opt(
            "select i.channel, i.direction, i.body, i.occurred_at, i.actor_id, l.hubspot_id as contact \
             from app.interactions i join app.leads l on l.tenant_id = i.tenant_id and l.id = i.lead_id \
             where i.tenant_id = $1 and i.id = $2",
            &[tenant.as_uuid(), &interaction],
        )
        .await?;
    row.map(|r| {
        Ok(NoteOut {
            channel: r.try_get("channel")?,
            direction: r.try_get("direction")?,
            body: r.try_get("body")?,
            occurred_at: r.try_get("occurred_at")?,
            actor_id: r.try_get("actor_id")?,
            contact: r.try_get("contact")?,
        })
    })
    .transpose()
}
