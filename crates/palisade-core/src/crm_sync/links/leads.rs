//! HubSpot contacts into leads. Each page: the leads already linked (or, the first time, a lead
//! with the same address typed in before connecting) are updated, the rest created; a number is
//! sealed to its row and indexed, an address indexed, as everywhere else. A contact unchanged since
//! it was last written is left alone (no audit event for nothing).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::{clean_text, Owners, Written};
use crate::crm::leads::{email_index, email_index_candidates};
use crate::page::new_id;
use crate::phone::{self, PhoneKeys, E164};
use crate::CoreError;

/// One contact as read, its values already shaped (`status` one of the lead statuses).
#[derive(Debug, Clone)]
pub struct ContactIn {
    pub hubspot_id: i64,
    pub modified_at: DateTime<Utc>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<E164>,
    pub status: &'static str,
    pub hubspot_owner: Option<u64>,
}

struct Existing {
    id: Uuid,
    owner: Uuid,
    phone_index: Option<Vec<u8>>,
    email_index: Option<Vec<u8>>,
    modified_at: Option<DateTime<Utc>>,
}

/// The row of each contact written, by column.
#[derive(Default)]
struct Columns {
    id: Vec<Uuid>,
    owner: Vec<Uuid>,
    name: Vec<String>,
    email: Vec<Option<String>>,
    status: Vec<&'static str>,
    phone_sealed: Vec<Option<Vec<u8>>>,
    phone_index: Vec<Option<Vec<u8>>>,
    email_index: Vec<Option<Vec<u8>>>,
    keep_phone: Vec<bool>,
    keep_email: Vec<bool>,
    hubspot_id: Vec<i64>,
    modified_at: Vec<DateTime<Utc>>,
}

async fn existing(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    page: &[ContactIn],
) -> Result<HashMap<i64, Existing>, CoreError> {
    let ids: Vec<i64> = page.iter().map(|c| c.hubspot_id).collect();
    let mut found = HashMap::new();
    let read = |r: &palisade_db::Row| -> Result<Existing, CoreError> {
        Ok(Existing {
            id: r.try_get("id")?,
            owner: r.try_get("owner_id")?,
            phone_index: r.try_get("phone_index")?,
            email_index: r.try_get("email_index")?,
            modified_at: r.try_get("hubspot_modified_at")?,
        })
    };
    for row in tx
        .query(
            "select id, owner_id, phone_index, email_index, hubspot_id, hubspot_modified_at from app.leads \
             where tenant_id = $1 and hubspot_id = any($2)",
            &[tenant.as_uuid(), &ids],
        )
        .await?
    {
        found.insert(row.try_get("hubspot_id")?, read(&row)?);
    }
    // A lead typed in before HubSpot was connected, with the contact's address, becomes its link.
    let unlinked: Vec<(&ContactIn, Vec<Vec<u8>>)> = page
        .iter()
        .filter(|c| !found.contains_key(&c.hubspot_id))
        .filter_map(|c| {
            c.email
                .as_deref()
                .map(|e| (c, email_index_candidates(keys.index, tenant, e)))
        })
        .collect();
    if unlinked.is_empty() {
        return Ok(found);
    }
    let all: Vec<&Vec<u8>> = unlinked.iter().flat_map(|(_, c)| c).collect();
    let rows = tx
        .query(
            "select distinct on (email_index) id, owner_id, phone_index, email_index, hubspot_modified_at \
             from app.leads where tenant_id = $1 and hubspot_id is null and email_index = any($2) \
             order by email_index, created_at",
            &[tenant.as_uuid(), &all],
        )
        .await?;
    for row in &rows {
        let lead = read(row)?;
        let owner = unlinked
            .iter()
            .find(|(_, candidates)| lead.email_index.as_ref().is_some_and(|i| candidates.contains(i)));
        if let Some((contact, _)) = owner {
            if !found.values().any(|e: &Existing| e.id == lead.id) {
                found.entry(contact.hubspot_id).or_insert(lead);
            }
        }
    }
    Ok(found)
}

/// The contacts of the page that would be new leads but were erased here: their contact's tombstone
/// (or GDPR delete) is in the outbox, or their number or address is suppressed by an erasure. Someone
/// erased here does not come back from HubSpot, where the contact may stay.
async fn erased(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    page: &[ContactIn],
    found: &HashMap<i64, Existing>,
) -> Result<std::collections::HashSet<i64>, CoreError> {
    let new: Vec<&ContactIn> = page
        .iter()
        .filter(|c| !found.contains_key(&c.hubspot_id))
        .collect();
    let ids: Vec<i64> = new.iter().map(|c| c.hubspot_id).collect();
    let mut out: std::collections::HashSet<i64> = crate::crm_sync::outbox::erased_contacts(tx, tenant, &ids)
        .await?
        .into_iter()
        .collect();
    let mut by_index: HashMap<Vec<u8>, Vec<i64>> = HashMap::new();
    for c in new {
        let emails = c
            .email
            .as_deref()
            .map(|e| email_index_candidates(keys.index, tenant, e));
        let phones = c.phone.as_ref().map(|p| phone::lookup(keys, tenant, p));
        for index in emails.into_iter().flatten().chain(phones.into_iter().flatten()) {
            by_index.entry(index).or_default().push(c.hubspot_id);
        }
    }
    if by_index.is_empty() {
        return Ok(out);
    }
    let indexes: Vec<&Vec<u8>> = by_index.keys().collect();
    let rows = tx
        .query(
            "select address_index from app.suppressions where tenant_id = $1 and reason = 'erasure' \
               and address_index = any($2)",
            &[tenant.as_uuid(), &indexes],
        )
        .await?;
    for r in &rows {
        let index: Vec<u8> = r.try_get("address_index")?;
        out.extend(by_index.get(&index).into_iter().flatten().copied());
    }
    Ok(out)
}

/// Writes one page of contacts. Returns what it did.
pub async fn upsert_leads(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    owners: &Owners,
    page: &[ContactIn],
) -> Result<Written, CoreError> {
    let found = existing(tx, tenant, keys, page).await?;
    let erased = erased(tx, tenant, keys, page, &found).await?;
    let mut result = Written::default();
    let (mut updates, mut inserts) = (Columns::default(), Columns::default());
    for contact in page {
        let prior = found.get(&contact.hubspot_id);
        if prior.is_some_and(|p| p.modified_at.is_some_and(|m| m >= contact.modified_at)) {
            result.unchanged += 1;
            continue;
        }
        if prior.is_none() && erased.contains(&contact.hubspot_id) {
            result.skipped += 1;
            continue;
        }
        let Some(owner) = owners.pick(contact.hubspot_owner, prior.map(|p| p.owner)) else {
            result.skipped += 1;
            continue;
        };
        let id = prior.map_or_else(new_id, |p| p.id);
        let (phone_sealed, phone_index, keep_phone) = match &contact.phone {
            Some(number) => {
                let same = prior
                    .and_then(|p| p.phone_index.as_ref())
                    .is_some_and(|i| phone::lookup(keys, tenant, number).contains(i));
                let (sealed, index) = phone::seal(keys, "app.leads", tenant, id.as_bytes(), number);
                (Some(sealed), Some(index), same)
            }
            None => (None, None, false),
        };
        let keep_email = contact.email.as_deref().is_some_and(|e| {
            prior
                .and_then(|p| p.email_index.as_ref())
                .is_some_and(|i| email_index_candidates(keys.index, tenant, e).contains(i))
        });
        let cols = if prior.is_some() {
            &mut updates
        } else {
            &mut inserts
        };
        cols.id.push(id);
        cols.owner.push(owner);
        let name = clean_text(&contact.name, 200);
        cols.name.push(if name.is_empty() {
            format!("HubSpot contact {}", contact.hubspot_id)
        } else {
            name
        });
        cols.email.push(contact.email.clone());
        cols.status.push(contact.status);
        cols.email_index.push(
            contact
                .email
                .as_deref()
                .map(|e| email_index(keys.index, tenant, e)),
        );
        cols.phone_sealed.push(phone_sealed);
        cols.phone_index.push(phone_index);
        cols.keep_phone.push(keep_phone);
        cols.keep_email.push(keep_email);
        cols.hubspot_id.push(contact.hubspot_id);
        cols.modified_at.push(contact.modified_at);
        result.written += 1;
    }
    if !updates.id.is_empty() {
        tx.execute(
            "update app.leads l set owner_id = u.owner_id, name = u.name, email = u.email, status = u.status, \
               email_index = case when u.keep_email then l.email_index else u.email_index end, \
               phone_sealed = case when u.keep_phone then l.phone_sealed else u.phone_sealed end, \
               phone_index = case when u.keep_phone then l.phone_index else u.phone_index end, \
               hubspot_id = u.hubspot_id, hubspot_modified_at = u.modified_at \
             from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::bytea[], \
                         $9::bytea[], $10::bool[], $11::bool[], $12::int8[], $13::timestamptz[]) \
                  as u(id, owner_id, name, email, status, phone_sealed, phone_index, email_index, keep_phone, \
                       keep_email, hubspot_id, modified_at) \
             where l.tenant_id = $1 and l.id = u.id",
            &[
                tenant.as_uuid(),
                &updates.id,
                &updates.owner,
                &updates.name,
                &updates.email,
                &updates.status,
                &updates.phone_sealed,
                &updates.phone_index,
                &updates.email_index,
                &updates.keep_phone,
                &updates.keep_email,
                &updates.hubspot_id,
                &updates.modified_at,
            ],
        )
        .await?;
    }
    if !inserts.id.is_empty() {
        tx.execute(
            "insert into app.leads (tenant_id, id, owner_id, name, email, status, source, phone_sealed, \
               phone_index, email_index, hubspot_id, hubspot_modified_at) \
             select $1, u.id, u.owner_id, u.name, u.email, u.status, 'hubspot', u.phone_sealed, u.phone_index, \
               u.email_index, u.hubspot_id, u.modified_at \
             from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::bytea[], \
                         $9::bytea[], $10::int8[], $11::timestamptz[]) \
                  as u(id, owner_id, name, email, status, phone_sealed, phone_index, email_index, hubspot_id, \
                       modified_at)",
            &[
                tenant.as_uuid(),
                &inserts.id,
                &inserts.owner,
                &inserts.name,
                &inserts.email,
                &inserts.status,
                &inserts.phone_sealed,
                &inserts.phone_index,
                &inserts.email_index,
                &inserts.hubspot_id,
                &inserts.modified_at,
            ],
        )
        .await?;
    }
    Ok(result)
}
