//! Records read from HubSpot, written into leads and deals in the service context of the sync. The
//! database's policies check every owner is an active member; the sync picks owners that are (a
//! HubSpot owner's matching member, else the record's current owner while active, else the tenant's
//! fallback), so a page never fails on a departed member.
mod deals;
mod leads;

use std::collections::{HashMap, HashSet};

use palisade_db::{TenantId, Tx};
use uuid::Uuid;

pub use deals::{deal_links, upsert_deals, DealIn, DealLink};
pub use leads::{upsert_leads, ContactIn};

use crate::CoreError;

/// What a page came to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Created or changed.
    pub written: i64,
    /// Already as HubSpot has them (read again by an overlapping window).
    pub unchanged: i64,
    /// Not written: no owner could be found, or (deals) no contact of theirs is a lead here.
    pub skipped: i64,
}

/// Who may own what the sync writes in a tenant.
#[derive(Debug, Clone, Default)]
pub struct Owners {
    active: HashSet<Uuid>,
    by_hubspot: HashMap<u64, Uuid>,
    fallback: Option<Uuid>,
}

impl Owners {
    /// Whom a record goes to: its HubSpot owner's member, else `current` while active, else the
    /// fallback.
    pub fn pick(&self, hubspot_owner: Option<u64>, current: Option<Uuid>) -> Option<Uuid> {
        hubspot_owner
            .and_then(|o| self.by_hubspot.get(&o).copied())
            .or(current.filter(|c| self.active.contains(c)))
            .or(self.fallback)
    }

    /// The HubSpot owner of a member, for what is written back.
    pub fn hubspot_owner_of(&self, member: Uuid) -> Option<u64> {
        self.by_hubspot
            .iter()
            .find(|(_, m)| **m == member)
            .map(|(o, _)| *o)
    }
}

/// Matches HubSpot's owners (`(owner id, email)`) to the tenant's active members by address, and
/// finds the fallback owner: the tenant's inbound owner while active, else its longest-standing
/// active admin.
pub async fn owners(tx: &mut Tx, tenant: TenantId, hubspot: &[(u64, String)]) -> Result<Owners, CoreError> {
    let active: HashSet<Uuid> = tx
        .query(
            "select user_id from app.memberships where tenant_id = $1 and status = 'active'",
            &[tenant.as_uuid()],
        )
        .await?
        .iter()
        .map(|r| r.try_get("user_id"))
        .collect::<Result<_, _>>()?;
    let mut by_email: HashMap<String, Uuid> = HashMap::new();
    for chunk in hubspot.chunks(1000) {
        let emails: Vec<&str> = chunk.iter().map(|(_, e)| e.as_str()).collect();
        for row in tx
            .query(
                "select email, user_id from app.crm_members_by_email($1)",
                &[&emails],
            )
            .await?
        {
            by_email.insert(row.try_get("email")?, row.try_get("user_id")?);
        }
    }
    let by_hubspot = hubspot
        .iter()
        .filter_map(|(id, email)| by_email.get(&email.to_lowercase()).map(|m| (*id, *m)))
        .collect();
    let fallback = match crate::messaging::inbound::inbound_owner(tx, tenant).await {
        Ok(owner) => Some(owner),
        Err(CoreError::Conflict { .. }) => None,
        Err(e) => return Err(e),
    };
    Ok(Owners {
        active,
        by_hubspot,
        fallback,
    })
}

/// Text from HubSpot as Palisade stores it: card numbers masked, cut to `max` characters.
pub(crate) fn clean_text(text: &str, max: usize) -> String {
    let masked = palisade_crypto::cards::mask_cards(text.trim());
    masked.chars().take(max).collect()
}
