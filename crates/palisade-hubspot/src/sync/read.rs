//! Reading one kind of record: pages of records modified since the cursor's window, in ascending id
//! order, each page written and the cursor moved in one transaction (which also renews the lease —
//! a run that lost it writes nothing). A run stops at its time budget and the next continues; a
//! page shorter than asked for ends the pass.
use std::time::Instant;

use palisade_core::crm_sync::cursors::{self, Cursor, Object};
use palisade_core::crm_sync::links::{self, Owners, Written};
use palisade_core::crm_sync::runs;
use palisade_db::{Db, Purpose, TenantId};

use super::{mapping, SyncError, Syncer};
use crate::objects::{PageQuery, Record, Session};

/// What one run of a tenant works with.
pub(crate) struct Run<'a> {
    pub syncer: &'a Syncer,
    pub db: &'a Db,
    pub tenant: TenantId,
    pub session: Session<'a>,
    pub owners: Owners,
    pub region: phonenumber::country::Id,
    /// When the run stops starting pages.
    pub deadline: Instant,
    pub lease_secs: i32,
    /// The lease this run holds: every write names it.
    pub lease: uuid::Uuid,
}

/// How far a run got with one kind of record.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Progress {
    pub written: Written,
    /// The pass ended (false: the time budget ran out first; the next run continues).
    pub pass_ended: bool,
}

impl Run<'_> {
    pub(crate) async fn read(&self, object: Object) -> Result<Progress, SyncError> {
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        let mut cursor = cursors::load(&mut tx, self.tenant, object).await?;
        tx.commit().await?;
        let mut progress = Progress::default();
        let limit = self.syncer.transport.config().page_size.clamp(1, 200);
        while Instant::now() < self.deadline {
            let (property, properties) = match object {
                Object::Contacts => ("lastmodifieddate", mapping::CONTACT_PROPERTIES),
                Object::Deals => ("hs_lastmodifieddate", mapping::DEAL_PROPERTIES),
            };
            let query = PageQuery {
                object: object.as_str(),
                modified_property: property,
                since: cursor.window_start,
                after_id: u64::try_from(cursor.after_id).unwrap_or(0),
                properties,
                limit,
            };
            let mut page = self.syncer.transport.search_page(&self.session, &query).await?;
            // What HubSpot answered is not trusted to be in order, unique or above the bound: the
            // cursor moves to the largest id seen, and only new ids are written. A page that would
            // not move the cursor ends the pass rather than being asked for again and again.
            let last = page.results.iter().map(|r| r.id).max();
            let ended = page.results.len() < limit as usize || last.is_none_or(|l| l <= query.after_id);
            page.results
                .retain(|r| r.id > query.after_id && i64::try_from(r.id).is_ok());
            page.results.sort_by_key(|r| r.id);
            page.results.dedup_by_key(|r| r.id);
            let total = cursor.pass_total.is_none().then(|| {
                i64::try_from(page.total)
                    .unwrap_or(i64::MAX)
                    .saturating_add(cursor.pass_done)
            });
            let written = self
                .write_page(object, &mut cursor, &page.results, last, total)
                .await?;
            progress.written.written += written.written;
            progress.written.unchanged += written.unchanged;
            progress.written.skipped += written.skipped;
            if ended {
                let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
                self.hold(&mut tx).await?;
                cursors::end_pass(&mut tx, self.tenant, &cursor).await?;
                tx.commit().await?;
                progress.pass_ended = true;
                break;
            }
        }
        let direction_object = match object {
            Object::Contacts => "contacts",
            Object::Deals => "deals",
        };
        let written = u64::try_from(progress.written.written).unwrap_or(0);
        self.syncer
            .transport
            .metrics
            .records(direction_object, "in", written);
        Ok(progress)
    }

    /// Renews the lease in `tx`, or fails the run when another worker holds it now: what `tx`
    /// was about to write is this worker's no more.
    pub(crate) async fn hold(&self, tx: &mut palisade_db::Tx) -> Result<(), SyncError> {
        if runs::extend(tx, self.tenant, self.lease, self.lease_secs).await? {
            Ok(())
        } else {
            Err(SyncError::LeaseLost)
        }
    }

    async fn write_page(
        &self,
        object: Object,
        cursor: &mut Cursor,
        records: &[Record],
        last: Option<u64>,
        total: Option<i64>,
    ) -> Result<Written, SyncError> {
        // Associations are read before the transaction: no request to HubSpot holds a connection.
        let associated = match object {
            Object::Deals if !records.is_empty() => {
                let ids: Vec<u64> = records.iter().map(|r| r.id).collect();
                self.syncer.transport.deal_contacts(&self.session, &ids).await?
            }
            _ => Default::default(),
        };
        let mut tx = self.db.service(self.tenant, Purpose::Sync).await?;
        self.hold(&mut tx).await?;
        let (written, unreadable) = match object {
            Object::Contacts => {
                let page: Vec<_> = records
                    .iter()
                    .filter_map(|r| mapping::contact(r, self.region))
                    .collect();
                let w = links::upsert_leads(
                    &mut tx,
                    self.tenant,
                    self.syncer.phone_keys(),
                    &self.owners,
                    &page,
                )
                .await?;
                (w, records.len() - page.len())
            }
            Object::Deals => {
                let page: Vec<_> = records
                    .iter()
                    .filter_map(|r| mapping::deal(r, associated.get(&r.id).map_or(&[][..], Vec::as_slice)))
                    .collect();
                let w = links::upsert_deals(&mut tx, self.tenant, &self.owners, &page).await?;
                (w, records.len() - page.len())
            }
        };
        let written = Written {
            skipped: written.skipped + i64::try_from(unreadable).unwrap_or(0),
            ..written
        };
        if let Some(last) = last.filter(|l| i64::try_from(*l).is_ok_and(|l| l > cursor.after_id)) {
            cursor.after_id = i64::try_from(last).unwrap_or(i64::MAX);
        }
        let read = i64::try_from(records.len()).unwrap_or(0);
        cursors::advance(&mut tx, self.tenant, cursor, total, read, written.skipped).await?;
        tx.commit().await?;
        if total.is_some() {
            cursor.pass_total = total;
        }
        cursor.pass_done += read;
        Ok(written)
    }
}
