//! A member's own export (`GET /api/v1/me/export`): everything about them in the tenant they act in —
//! their profile, their tenants and standing, their sessions, their private records (drafts, coaching,
//! voice samples and opt-ins, phone and brief settings), the messages and consents that are theirs
//! as a member, and what they recorded (interactions, templates). Read in their own user context, so
//! row-level security decides; the tables come from the registry. Access-logged as `data_export`.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx, UserId};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::access::{self, Access, AccessAction};
use crate::privacy::registry::{self, Erasure, Path, Table};
use crate::privacy::subject_export::{rows_sql, shown};
use crate::sign_in::sessions::SessionInfo;
use crate::tenancy::{self, Tenant};
use crate::CoreError;

/// Rows that are not the person's own by the registry's rule (erased with them) but that they
/// recorded or that are theirs as a member: the notes they logged, the templates they wrote, their
/// own consents (to the daily brief).
const RECORDED: &[(&str, &str)] = &[
    ("app.interactions", "actor_id"),
    ("app.message_templates", "created_by"),
    ("app.consent_events", "member_id"),
];

/// Everything about the caller in one tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfExport {
    pub generated_at: DateTime<Utc>,
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    /// Your user row (email, display name, dates).
    #[schema(value_type = Object)]
    pub profile: Map<String, Value>,
    /// Every tenant you belong to, with your role there.
    pub tenants: Vec<Tenant>,
    /// Your live sessions.
    pub sessions: Vec<SessionInfo>,
    /// Your rows in this tenant by table, oldest first, without credentials, blind indexes or sealed
    /// values (your phone number is under `GET /api/v1/me/phone`), and without the texts of
    /// verification codes.
    #[schema(value_type = Object)]
    pub records: BTreeMap<&'static str, Vec<Map<String, Value>>>,
}

/// Whether the export reads `table` by `path`: the person's own rows in a tenant's table.
pub fn reads(table: &Table, path: &Path, erasure: &Erasure) -> Option<&'static str> {
    let Path::Person(column) = path else { return None };
    let tenant_table =
        table.other.contains(&"tenant_id") || table.personal.iter().any(|(c, _)| *c == "tenant_id");
    let own = matches!(erasure, Erasure::Delete) || RECORDED.contains(&(table.name, *column));
    (tenant_table && table.name.starts_with("app.") && own).then_some(*column)
}

/// The caller's export in `tenant`; `sessions` are listed by the caller (they need the clock).
pub async fn export(
    tx: &mut Tx,
    tenant: TenantId,
    me: UserId,
    sessions: Vec<SessionInfo>,
) -> Result<SelfExport, CoreError> {
    let profile = tx
        .query_one(
            "select to_jsonb(u) as row from app.users u where u.id = $1",
            &[me.as_uuid()],
        )
        .await?
        .try_get::<_, Value>("row")?;
    let users = registry::tables().find(|t| t.name == "app.users");
    let profile = users.map(|t| shown(t, profile)).unwrap_or_default();
    let mut records: BTreeMap<&'static str, Vec<Map<String, Value>>> = BTreeMap::new();
    for table in registry::tables() {
        for (path, erasure) in table.paths {
            let Some(column) = reads(table, path, erasure) else {
                continue;
            };
            let rows = tx
                .query(&rows_sql(table, column), &[tenant.as_uuid(), me.as_uuid()])
                .await?;
            let out = records.entry(table.name).or_default();
            for row in &rows {
                let row = shown(table, row.try_get("row")?);
                // A verification code is a credential while it lives, and nothing after.
                if row.get("purpose").and_then(Value::as_str) != Some("verification") {
                    out.push(row);
                }
            }
            out.sort_by_key(|r| {
                r.get("created_at")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            });
        }
    }
    access::log(
        tx,
        Some(tenant),
        &Access {
            action: AccessAction::DataExport,
            target_type: Some("user"),
            target_id: Some(me.to_string()),
            detail: serde_json::json!({ "self": true }),
            client_ip: None,
        },
    )
    .await?;
    Ok(SelfExport {
        generated_at: Utc::now(),
        user_id: *me.as_uuid(),
        tenant_id: *tenant.as_uuid(),
        profile,
        tenants: tenancy::list_mine(tx, me).await?,
        sessions,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_s_export_reads_their_own_rows_and_what_they_recorded_not_their_leads() {
        let read: Vec<(&str, &str)> = registry::tables()
            .flat_map(|t| {
                t.paths
                    .iter()
                    .filter_map(move |(p, e)| reads(t, p, e).map(|c| (t.name, c)))
            })
            .collect();
        for expected in [
            ("app.drafts", "owner_id"),
            ("app.coaching_observations", "owner_id"),
            ("app.voice_samples", "owner_id"),
            ("app.voice_consents", "owner_id"),
            ("app.interactions", "actor_id"),
            ("app.outbound_messages", "member_id"),
        ] {
            assert!(read.contains(&expected), "{expected:?} is not read: {read:?}");
        }
        for never in [
            ("app.leads", "owner_id"),
            ("app.deals", "owner_id"),
            ("app.invitations", "invited_by"),
        ] {
            assert!(!read.contains(&never), "{never:?}: another person's data");
        }
        assert!(read.iter().all(|(t, _)| t.starts_with("app.")), "{read:?}");
    }
}
