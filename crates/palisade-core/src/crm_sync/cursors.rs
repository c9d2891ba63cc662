//! Where reading one kind of record stopped. A pass reads the records modified since its window's
//! start in ascending id order, a page at a time; after each page, in the transaction that wrote
//! it, the cursor moves past the page's last id. A crash resumes after the last committed page, and
//! a page read twice is written once (records are keyed by HubSpot's id).
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::CoreError;

/// How long before a pass's start the next pass's window opens: HubSpot's search index trails its
/// writes by a few seconds, and a record changed during a pass may sort before where the pass is.
pub const OVERLAP_SECS: i64 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    Contacts,
    Deals,
}

impl Object {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
            Self::Deals => "deals",
        }
    }
}

/// A cursor as the sync reads and moves it.
#[derive(Debug, Clone)]
pub struct Cursor {
    pub object: Object,
    /// Records modified at or after this (none: every record, the backfill).
    pub window_start: Option<DateTime<Utc>>,
    pub pass_started_at: DateTime<Utc>,
    pub after_id: i64,
    pub pass_total: Option<i64>,
    pub pass_done: i64,
    pub backfilled_at: Option<DateTime<Utc>>,
}

/// The cursor, made the first time (a backfill from the start).
pub async fn load(tx: &mut Tx, tenant: TenantId, object: Object) -> Result<Cursor, CoreError> {
    tx.execute(
        "insert into app.crm_sync_cursors (tenant_id, object) values ($1, $2) on conflict do nothing",
        &[tenant.as_uuid(), &object.as_str()],
    )
    .await?;
    let row = tx
        .query_one(
            "select window_start, pass_started_at, after_id, pass_total, pass_done, backfilled_at \
             from app.crm_sync_cursors where tenant_id = $1 and object = $2",
            &[tenant.as_uuid(), &object.as_str()],
        )
        .await?;
    Ok(Cursor {
        object,
        window_start: row.try_get("window_start")?,
        pass_started_at: row.try_get("pass_started_at")?,
        after_id: row.try_get("after_id")?,
        pass_total: row.try_get("pass_total")?,
        pass_done: row.try_get("pass_done")?,
        backfilled_at: row.try_get("backfilled_at")?,
    })
}

/// Moves the cursor past a page (in the page's own transaction): `read` records seen, `skipped` of
/// them not written (why is counted, never who).
pub async fn advance(
    tx: &mut Tx,
    tenant: TenantId,
    cursor: &Cursor,
    total: Option<i64>,
    read: i64,
    skipped: i64,
) -> Result<(), CoreError> {
    tx.execute(
        "update app.crm_sync_cursors set after_id = $3, pass_total = coalesce($4, pass_total), \
           pass_done = pass_done + $5, records_in = records_in + $5 - $6, skipped = skipped + $6 \
         where tenant_id = $1 and object = $2",
        &[
            tenant.as_uuid(),
            &cursor.object.as_str(),
            &cursor.after_id,
            &total,
            &read,
            &skipped,
        ],
    )
    .await?;
    Ok(())
}

/// Ends a pass: the next one reads what changed since a little before this one started.
pub async fn end_pass(tx: &mut Tx, tenant: TenantId, cursor: &Cursor) -> Result<(), CoreError> {
    tx.execute(
        "update app.crm_sync_cursors set window_start = pass_started_at - $3::int * interval '1 second', \
           pass_started_at = now(), after_id = 0, pass_total = null, pass_done = 0, \
           backfilled_at = coalesce(backfilled_at, now()) \
         where tenant_id = $1 and object = $2",
        &[tenant.as_uuid(), &cursor.object.as_str(), &(OVERLAP_SECS as i32)],
    )
    .await?;
    Ok(())
}

/// A cursor as admins see it: the pass in progress and what it has done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CursorState {
    pub object: String,
    /// `backfill` until the first pass over every record finished, then `incremental`.
    pub phase: String,
    /// Records modified since this are being read (none: every record).
    pub window_start: Option<DateTime<Utc>>,
    /// Records the current pass found when it started, and has read so far.
    pub pass_total: Option<i64>,
    pub pass_done: i64,
    pub backfilled_at: Option<DateTime<Utc>>,
    /// Records written into Palisade, and records skipped (no owner, no contact, unreadable).
    pub records_in: i64,
    pub skipped: i64,
    pub updated_at: DateTime<Utc>,
}

fn cursor_state(row: &Row) -> Result<CursorState, CoreError> {
    let backfilled_at: Option<DateTime<Utc>> = row.try_get("backfilled_at")?;
    Ok(CursorState {
        object: row.try_get("object")?,
        phase: if backfilled_at.is_some() {
            "incremental"
        } else {
            "backfill"
        }
        .into(),
        window_start: row.try_get("window_start")?,
        pass_total: row.try_get("pass_total")?,
        pass_done: row.try_get("pass_done")?,
        backfilled_at,
        records_in: row.try_get("records_in")?,
        skipped: row.try_get("skipped")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn states(tx: &mut Tx, tenant: TenantId) -> Result<Vec<CursorState>, CoreError> {
    let rows = tx
        .query(
            "select object, window_start, pass_total, pass_done, backfilled_at, records_in, skipped, updated_at \
             from app.crm_sync_cursors where tenant_id = $1 order by object",
            &[tenant.as_uuid()],
        )
        .await?;
    rows.iter().map(cursor_state).collect()
}
