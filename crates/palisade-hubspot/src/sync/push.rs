//! Sending the outbox. Deals: a deal HubSpot already holds is updated by its id (and given
//! Palisade's id there), a new one upserted by Palisade's id — so a retry after a lost answer writes
//! the same deal, never a second; a deal HubSpot changed since the last read is not overwritten
//! (HubSpot is the system of record: its version comes in with the next read). Notes: created once;
//! a retry after an attempt that may have reached HubSpot first looks for the note by its time,
//! contact and the interaction's reference. GDPR deletes: sent, then forgotten.
use std::collections::HashMap;

use palisade_core::crm_sync::connection::Connection;
use palisade_core::crm_sync::outbox::{self, Finish, Item, ItemKind};
use palisade_core::crm_sync::pushed::{self, DealOut};
use palisade_db::Purpose;
use uuid::Uuid;

use super::read::Run;
use super::{mapping, SyncError};
use crate::error::HubspotError;
use crate::objects::{DealWrite, NoteWrite};

/// Deals and notes sent in one run at most (the rest wait for the next).
const DEALS_PER_RUN: i64 = 500;
const NOTES_PER_RUN: i64 = 100;

/// What an item's failure means: the whole run stops (the token or scopes are wrong: every item
/// would fail the same way), or the item is tried again later, or given up.
fn verdict(e: &HubspotError, attempt: i16) -> Result<Finish<'static>, SyncError> {
    match e {
        HubspotError::Unauthorized | HubspotError::MissingScope | HubspotError::RefreshRefused => {
            Err(SyncError::Hubspot(e.clone()))
        }
        e if e.is_transient() => Ok(Finish::Retry {
            outcome: e.code(),
            secs: 60 * i32::from(attempt.max(1)),
        }),
        e => Ok(Finish::Failed(e.code())),
    }
}

impl Run<'_> {
    async fn finish(&self, ids: &[Uuid], how: Finish<'_>) -> Result<(), SyncError> {
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        outbox::finish(&mut tx, self.tenant, ids, how).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims items for sending, under the lease (renewed): what another worker holds now is not
    /// this one's to send.
    async fn claim(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, SyncError> {
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        self.hold(&mut tx).await?;
        let claimed = outbox::claim(&mut tx, self.tenant, ids).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    /// Renews the lease between requests of one write (each may take minutes with HubSpot's waits).
    async fn renew(&self) -> Result<(), SyncError> {
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        self.hold(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn due(&self, kind: ItemKind, limit: i64) -> Result<Vec<Item>, SyncError> {
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        let items = outbox::due(&mut tx, self.tenant, kind, limit).await?;
        tx.commit().await?;
        Ok(items)
    }

    /// Sends what waits; returns how many records HubSpot took.
    pub(crate) async fn push(&self, conn: &Connection) -> Result<i64, SyncError> {
        let mut sent = 0;
        if conn.write_back {
            sent += self.push_deals().await?;
            sent += self.push_notes().await?;
        }
        sent += self.push_gdpr_deletes(conn.gdpr_delete).await?;
        Ok(sent)
    }

    fn deal_write(&self, d: &DealOut) -> DealWrite {
        let mut properties = std::collections::BTreeMap::new();
        properties.insert("dealname", d.title.clone());
        properties.insert("amount", mapping::amount(d.amount_cents));
        properties.insert("deal_currency_code", d.currency.clone());
        if let Some(stage) = mapping::hubspot_stage(&d.stage) {
            properties.insert("dealstage", stage.to_owned());
            properties.insert("pipeline", "default".to_owned());
        }
        if let Some(closed) = d.closed_at {
            properties.insert("closedate", closed.to_rfc3339());
        }
        if let Some(owner) = self.owners.hubspot_owner_of(d.owner_id) {
            properties.insert("hubspot_owner_id", owner.to_string());
        }
        DealWrite {
            key: d.id,
            properties,
        }
    }

    async fn push_deals(&self) -> Result<i64, SyncError> {
        let items = self.due(ItemKind::Deal, DEALS_PER_RUN).await?;
        if items.is_empty() {
            return Ok(0);
        }
        self.syncer.transport.ensure_deal_key(&self.session).await?;
        let mut sent = 0;
        for chunk in items.chunks(100) {
            sent += self.push_deal_chunk(chunk).await?;
        }
        Ok(sent)
    }

    async fn push_deal_chunk(&self, items: &[Item]) -> Result<i64, SyncError> {
        // Claimed before the deals are read: a change made from now on is queued again.
        let claimed = self
            .claim(&items.iter().map(|i| i.id).collect::<Vec<_>>())
            .await?;
        let by_deal: HashMap<Uuid, Uuid> = items
            .iter()
            .filter(|i| claimed.contains(&i.id))
            .filter_map(|i| i.local_id.map(|d| (d, i.id)))
            .collect();
        let ids: Vec<Uuid> = by_deal.keys().copied().collect();
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        let deals = pushed::deals(&mut tx, self.tenant, &ids).await?;
        tx.commit().await?;
        let gone: Vec<Uuid> = by_deal
            .iter()
            .filter(|(deal, _)| !deals.iter().any(|d| d.id == **deal))
            .map(|(_, item)| *item)
            .collect();
        self.finish(&gone, Finish::Skipped("deal_deleted")).await?;
        let (held, new): (Vec<&DealOut>, Vec<&DealOut>) = deals.iter().partition(|d| d.hubspot_id.is_some());
        let remote_ids: Vec<u64> = held
            .iter()
            .filter_map(|d| d.hubspot_id.and_then(|h| u64::try_from(h).ok()))
            .collect();
        let remote = if remote_ids.is_empty() {
            Vec::new()
        } else {
            let fields = ["hs_lastmodifieddate", "pipeline"];
            self.syncer
                .transport
                .read_deals(&self.session, &remote_ids, &fields)
                .await?
        };
        let mut updates = Vec::new();
        for d in held {
            let hubspot_id = d
                .hubspot_id
                .and_then(|h| u64::try_from(h).ok())
                .unwrap_or_default();
            let item = by_deal[&d.id];
            let Some(theirs) = remote.iter().find(|r| r.id == hubspot_id) else {
                let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
                pushed::unlink_deal(&mut tx, d.id).await?;
                outbox::finish(&mut tx, self.tenant, &[item], Finish::Skipped("hubspot_deleted")).await?;
                tx.commit().await?;
                continue;
            };
            let changed = theirs
                .text("hs_lastmodifieddate")
                .and_then(crate::objects::parse_time)
                .or(theirs.updated_at);
            if changed
                .zip(d.hubspot_modified_at)
                .is_some_and(|(theirs, ours)| theirs > ours)
            {
                self.finish(&[item], Finish::Skipped("hubspot_changed_first"))
                    .await?;
                continue;
            }
            // A deal of another pipeline keeps its pipeline and stage: Palisade's stages are the
            // default pipeline's.
            let mut write = self.deal_write(d);
            write.properties.remove("pipeline");
            if theirs.text("pipeline").is_some_and(|p| p != "default") {
                write.properties.remove("dealstage");
            }
            updates.push((hubspot_id, write, item));
        }
        let news: Vec<DealWrite> = new.iter().map(|d| self.deal_write(d)).collect();
        let sending: Vec<Uuid> = updates
            .iter()
            .map(|(_, _, item)| *item)
            .chain(new.iter().map(|d| by_deal[&d.id]))
            .collect();
        if sending.is_empty() {
            return Ok(0);
        }
        let attempt = items.iter().map(|i| i.attempts).max().unwrap_or(0) + 1;
        let mut written = Vec::new();
        let outcome = async {
            self.renew().await?;
            if !updates.is_empty() {
                let batch: Vec<(u64, DealWrite)> = updates.iter().map(|(h, w, _)| (*h, w.clone())).collect();
                written.extend(self.syncer.transport.update_deals(&self.session, &batch).await?);
            }
            if !news.is_empty() {
                self.renew().await?;
                written.extend(self.syncer.transport.upsert_deals(&self.session, &news).await?);
            }
            self.renew().await?;
            let pairs: Vec<(u64, u64)> = written
                .iter()
                .filter_map(|w| {
                    let contact = deals.iter().find(|d| d.id == w.key)?.contact?;
                    Some((w.id, u64::try_from(contact).ok()?))
                })
                .collect();
            self.syncer
                .transport
                .associate_deals(&self.session, &pairs)
                .await?;
            Ok::<_, SyncError>(())
        }
        .await;
        match outcome {
            Ok(()) => {}
            Err(SyncError::Hubspot(e)) => {
                self.finish(&sending, verdict(&e, attempt)?).await?;
                return Ok(0);
            }
            Err(e) => return Err(e),
        }
        let links: Vec<(Uuid, i64, Option<chrono::DateTime<chrono::Utc>>)> = written
            .iter()
            .filter_map(|w| Some((w.key, i64::try_from(w.id).ok()?, w.modified_at)))
            .collect();
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        self.hold(&mut tx).await?;
        pushed::record_deals(&mut tx, &links).await?;
        outbox::finish(&mut tx, self.tenant, &sending, Finish::Done { remote_id: None }).await?;
        tx.commit().await?;
        let n = i64::try_from(links.len()).unwrap_or(0);
        self.syncer
            .transport
            .metrics
            .records("deals", "out", n.unsigned_abs());
        Ok(n)
    }

    async fn push_notes(&self) -> Result<i64, SyncError> {
        let mut sent: i64 = 0;
        for item in self.due(ItemKind::Note, NOTES_PER_RUN).await? {
            sent += self.push_note(&item).await?;
        }
        self.syncer
            .transport
            .metrics
            .records("notes", "out", sent.unsigned_abs());
        Ok(sent)
    }

    async fn push_note(&self, item: &Item) -> Result<i64, SyncError> {
        let interaction = item.local_id.unwrap_or_default();
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        let source = pushed::note(&mut tx, self.tenant, interaction).await?;
        tx.commit().await?;
        let Some(source) = source else {
            self.finish(&[item.id], Finish::Skipped("interaction_deleted"))
                .await?;
            return Ok(0);
        };
        let Some(contact) = source.contact.and_then(|c| u64::try_from(c).ok()) else {
            self.finish(&[item.id], Finish::Skipped("lead_not_in_crm"))
                .await?;
            return Ok(0);
        };
        let marker = format!("Palisade ref {interaction}");
        if item.sent_before {
            let found = self
                .syncer
                .transport
                .find_note(&self.session, contact, source.occurred_at, &marker)
                .await;
            match found {
                Ok(Some(id)) => {
                    self.finish(
                        &[item.id],
                        Finish::Done {
                            remote_id: i64::try_from(id).ok(),
                        },
                    )
                    .await?;
                    return Ok(1);
                }
                Ok(None) => {}
                Err(e) => {
                    self.finish(&[item.id], verdict(&e, item.attempts + 1)?).await?;
                    return Ok(0);
                }
            }
        }
        let note = NoteWrite {
            timestamp: source.occurred_at,
            body: format!(
                "<p><strong>{} {}</strong></p><p>{}</p><p><small>{}</small></p>",
                escape(&source.channel),
                escape(&source.direction),
                escape(source.body.as_deref().unwrap_or("")).replace('\n', "<br>"),
                escape(&marker),
            ),
            contact,
            owner: self.owners.hubspot_owner_of(source.actor_id),
        };
        if self.claim(&[item.id]).await?.is_empty() {
            return Ok(0);
        }
        match self.syncer.transport.create_note(&self.session, &note).await {
            Ok(id) => {
                self.finish(
                    &[item.id],
                    Finish::Done {
                        remote_id: i64::try_from(id).ok(),
                    },
                )
                .await?;
                Ok(1)
            }
            Err(e) => {
                self.finish(&[item.id], verdict(&e, item.attempts + 1)?).await?;
                Ok(0)
            }
        }
    }

    /// GDPR deletes; with the setting turned off since they were queued, they are not sent and stay
    /// as the contacts' tombstones.
    async fn push_gdpr_deletes(&self, enabled: bool) -> Result<i64, SyncError> {
        let mut sent: i64 = 0;
        for item in self.due(ItemKind::GdprDelete, 100).await? {
            let contact = item.remote_id.and_then(|c| u64::try_from(c).ok());
            let Some(contact) = contact.filter(|_| enabled) else {
                // Kept as the contact's tombstone, unsent.
                self.finish(&[item.id], Finish::Skipped("gdpr_delete_off"))
                    .await?;
                continue;
            };
            if self.claim(&[item.id]).await?.is_empty() {
                continue;
            }
            match self.syncer.transport.gdpr_delete(&self.session, contact).await {
                Ok(()) => {
                    let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
                    outbox::forget(&mut tx, self.tenant, &[item.id]).await?;
                    tx.commit().await?;
                    sent += 1;
                }
                Err(e) => self.finish(&[item.id], verdict(&e, item.attempts + 1)?).await?,
            }
        }
        self.syncer
            .transport
            .metrics
            .records("gdpr_deletes", "out", sent.unsigned_abs());
        Ok(sent)
    }
}

/// Text as HTML (HubSpot renders a note's body).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
