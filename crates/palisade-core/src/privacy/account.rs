//! Deleting one's own account (migration 0035's `app.delete_account`): what is the person's alone goes,
//! what they did in a tenant stays there under their de-identified user row, and the content of the
//! audit events about them is blanked. One transaction: it happens whole or not at all.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use palisade_db::Tx;
use serde::Serialize;
use utoipa::ToSchema;

use crate::CoreError;

/// The receipt of a deleted account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDeleted {
    /// Rows per table: deleted (`app.drafts`, `auth.sessions`, …), memberships ended
    /// (`app.memberships`), audit events whose content was blanked (`audit.events`).
    pub rows: BTreeMap<String, i64>,
    pub deleted_at: DateTime<Utc>,
}

/// Deletes the caller's account (user context acting in no tenant, in a session with a sign-in or
/// second-factor check in the last ten minutes). `Refused`/`reauthentication_required` without one;
/// `Conflict`/`last_admin` while the caller is the last admin of a tenant.
pub async fn delete(tx: &mut Tx, now: DateTime<Utc>) -> Result<AccountDeleted, CoreError> {
    let row = tx
        .query_one("select app.delete_account($1) as counts", &[&now])
        .await?;
    let counts: serde_json::Value = row.try_get("counts")?;
    let rows = counts
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    Ok(AccountDeleted {
        rows,
        deleted_at: now,
    })
}
