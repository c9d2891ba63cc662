//! HubSpot deals into deals. A deal belongs to the lead of its first associated contact that is a
//! lead here; a deal none of whose contacts is (yet) is skipped and read again by a later pass. A
//! deal Palisade pushed carries Palisade's id in HubSpot, so one whose push was not recorded (a
//! crash after HubSpot wrote it) is linked, not duplicated.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::{clean_text, Owners, Written};
use crate::page::new_id;
use crate::CoreError;

/// One deal as read, its values already shaped. `stage` is `None` for a stage Palisade has no word
/// for (a custom pipeline's): the deal keeps its stage (new ones start as prospects).
#[derive(Debug, Clone)]
pub struct DealIn {
    pub hubspot_id: i64,
    pub modified_at: DateTime<Utc>,
    pub title: String,
    pub stage: Option<&'static str>,
    pub amount_cents: i64,
    pub currency: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub hubspot_owner: Option<u64>,
    /// Associated contacts, in HubSpot's order.
    pub contacts: Vec<i64>,
    /// The `palisade_deal_id` HubSpot holds, for a deal Palisade pushed.
    pub palisade_id: Option<Uuid>,
}

/// A deal's link to HubSpot as the push needs it.
#[derive(Debug, Clone)]
pub struct DealLink {
    pub id: Uuid,
    pub hubspot_id: Option<i64>,
    pub hubspot_modified_at: Option<DateTime<Utc>>,
}

struct Existing {
    id: Uuid,
    owner: Uuid,
    lead: Uuid,
    modified_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct Columns {
    id: Vec<Uuid>,
    lead: Vec<Uuid>,
    owner: Vec<Uuid>,
    title: Vec<String>,
    stage: Vec<Option<&'static str>>,
    amount: Vec<i64>,
    currency: Vec<String>,
    closed_at: Vec<Option<DateTime<Utc>>>,
    hubspot_id: Vec<i64>,
    modified_at: Vec<DateTime<Utc>>,
}

async fn existing(
    tx: &mut Tx,
    tenant: TenantId,
    page: &[DealIn],
) -> Result<HashMap<i64, Existing>, CoreError> {
    let ids: Vec<i64> = page.iter().map(|d| d.hubspot_id).collect();
    let keys: Vec<Uuid> = page.iter().filter_map(|d| d.palisade_id).collect();
    let rows = tx
        .query(
            "select id, owner_id, lead_id, hubspot_id, hubspot_modified_at from app.deals \
             where tenant_id = $1 and (hubspot_id = any($2) or (hubspot_id is null and id = any($3)))",
            &[tenant.as_uuid(), &ids, &keys],
        )
        .await?;
    let mut found = HashMap::new();
    for row in &rows {
        let deal = Existing {
            id: row.try_get("id")?,
            owner: row.try_get("owner_id")?,
            lead: row.try_get("lead_id")?,
            modified_at: row.try_get("hubspot_modified_at")?,
        };
        let linked: Option<i64> = row.try_get("hubspot_id")?;
        let hubspot_id = linked.or_else(|| {
            page.iter()
                .find(|d| d.palisade_id == Some(deal.id))
                .map(|d| d.hubspot_id)
        });
        if let Some(h) = hubspot_id {
            found.insert(h, deal);
        }
    }
    Ok(found)
}

/// The leads of these HubSpot contacts: `(lead, owner)` by contact id.
async fn leads_of(
    tx: &mut Tx,
    tenant: TenantId,
    page: &[DealIn],
) -> Result<HashMap<i64, (Uuid, Uuid)>, CoreError> {
    let contacts: Vec<i64> = page.iter().flat_map(|d| d.contacts.iter().copied()).collect();
    let rows = tx
        .query(
            "select id, owner_id, hubspot_id from app.leads where tenant_id = $1 and hubspot_id = any($2)",
            &[tenant.as_uuid(), &contacts],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("hubspot_id")?,
                (r.try_get("id")?, r.try_get("owner_id")?),
            ))
        })
        .collect()
}

/// Writes one page of deals. Returns what it did.
pub async fn upsert_deals(
    tx: &mut Tx,
    tenant: TenantId,
    owners: &Owners,
    page: &[DealIn],
) -> Result<Written, CoreError> {
    let found = existing(tx, tenant, page).await?;
    let leads = leads_of(tx, tenant, page).await?;
    let mut result = Written::default();
    let (mut updates, mut inserts) = (Columns::default(), Columns::default());
    for deal in page {
        let prior = found.get(&deal.hubspot_id);
        if prior.is_some_and(|p| p.modified_at.is_some_and(|m| m >= deal.modified_at)) {
            result.unchanged += 1;
            continue;
        }
        let lead = deal.contacts.iter().find_map(|c| leads.get(c).copied());
        let Some((lead_id, lead_owner)) = lead.or_else(|| prior.map(|p| (p.lead, p.owner))) else {
            result.skipped += 1;
            continue;
        };
        let Some(owner) = owners.pick(deal.hubspot_owner, Some(prior.map_or(lead_owner, |p| p.owner))) else {
            result.skipped += 1;
            continue;
        };
        let cols = if prior.is_some() {
            &mut updates
        } else {
            &mut inserts
        };
        cols.id.push(prior.map_or_else(new_id, |p| p.id));
        cols.lead.push(lead_id);
        cols.owner.push(owner);
        let title = clean_text(&deal.title, 200);
        cols.title.push(if title.is_empty() {
            format!("HubSpot deal {}", deal.hubspot_id)
        } else {
            title
        });
        cols.stage.push(deal.stage);
        cols.amount.push(deal.amount_cents);
        cols.currency.push(deal.currency.clone());
        cols.closed_at.push(deal.closed_at);
        cols.hubspot_id.push(deal.hubspot_id);
        cols.modified_at.push(deal.modified_at);
        result.written += 1;
    }
    if !updates.id.is_empty() {
        tx.execute(
            "update app.deals d set owner_id = u.owner_id, title = u.title, \
               stage = coalesce(u.stage, d.stage), amount_cents = u.amount_cents, currency = u.currency, \
               closed_at = u.closed_at, hubspot_id = u.hubspot_id, hubspot_modified_at = u.modified_at \
             from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int8[], $8::text[], \
                         $9::timestamptz[], $10::int8[], $11::timestamptz[]) \
                  as u(id, lead_id, owner_id, title, stage, amount_cents, currency, closed_at, hubspot_id, modified_at) \
             where d.tenant_id = $1 and d.id = u.id",
            &[
                tenant.as_uuid(),
                &updates.id,
                &updates.lead,
                &updates.owner,
                &updates.title,
                &updates.stage,
                &updates.amount,
                &updates.currency,
                &updates.closed_at,
                &updates.hubspot_id,
                &updates.modified_at,
            ],
        )
        .await?;
    }
    if !inserts.id.is_empty() {
        tx.execute(
            "insert into app.deals (tenant_id, id, lead_id, owner_id, title, stage, amount_cents, currency, \
               closed_at, hubspot_id, hubspot_modified_at) \
             select $1, u.id, u.lead_id, u.owner_id, u.title, coalesce(u.stage, 'prospect'), u.amount_cents, \
               u.currency, u.closed_at, u.hubspot_id, u.modified_at \
             from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int8[], $8::text[], \
                         $9::timestamptz[], $10::int8[], $11::timestamptz[]) \
                  as u(id, lead_id, owner_id, title, stage, amount_cents, currency, closed_at, hubspot_id, modified_at)",
            &[
                tenant.as_uuid(),
                &inserts.id,
                &inserts.lead,
                &inserts.owner,
                &inserts.title,
                &inserts.stage,
                &inserts.amount,
                &inserts.currency,
                &inserts.closed_at,
                &inserts.hubspot_id,
                &inserts.modified_at,
            ],
        )
        .await?;
    }
    Ok(result)
}

/// The links of these deals (the push reads them before writing).
pub async fn deal_links(tx: &mut Tx, tenant: TenantId, ids: &[Uuid]) -> Result<Vec<DealLink>, CoreError> {
    let rows = tx
        .query(
            "select id, hubspot_id, hubspot_modified_at from app.deals where tenant_id = $1 and id = any($2)",
            &[tenant.as_uuid(), &ids],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DealLink {
                id: r.try_get("id")?,
                hubspot_id: r.try_get("hubspot_id")?,
                hubspot_modified_at: r.try_get("hubspot_modified_at")?,
            })
        })
        .collect()
}
