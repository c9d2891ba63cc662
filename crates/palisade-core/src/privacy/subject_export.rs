//! Subject access export (GDPR Art. 15): everything the tenant holds about someone it talks to, as one
//! JSON document, read in the admin's own user context (row-level security decides what it holds) and
//! access-logged as `data_export`. The tables come from the registry: every table a lead's id reaches,
//! but the rep-private ones (a rep's drafts and coaching belong to the rep) and the audit trail (given
//! as the lead's history, with the content it still holds, and the reads of the lead from the access
//! log). Credentials, blind indexes and sealed values are left out; the lead's phone number is opened.
//! A lead deleted (not erased) before the request is included through what its trail still holds.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::access::{self, Access, AccessAction};
use crate::crm::leads::{self, Lead};
use crate::phone::PhoneKeys;
use crate::privacy::registry::{self, Kind, Path};
use crate::privacy::subject::{find_with_deleted, SubjectRequest};
use crate::CoreError;

/// Why the tenant processes a lead's data, and on what basis. The tenant is the controller and may
/// have chosen other bases; these are Palisade's defaults.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessingPurpose {
    pub purpose: &'static str,
    pub basis: &'static str,
    pub data: &'static str,
}

const PURPOSES: [ProcessingPurpose; 3] = [
    ProcessingPurpose {
        purpose: "Talking with you: calls, texts, WhatsApp and email with the tenant's team, and the notes and deals they keep about them",
        basis: "the tenant's legitimate interest or a contract with you, as the tenant determines",
        data: "your name, email, phone number, the source you came from, messages both ways and notes",
    },
    ProcessingPurpose {
        purpose: "Keeping a record of your consent to messages and of its withdrawal",
        basis: "legal obligation (GDPR Art. 7(1); the TCPA for texts to US numbers)",
        data: "the channel, purpose, date and evidence of each consent and withdrawal",
    },
    ProcessingPurpose {
        purpose: "Security and accountability: a tamper-evident record of who changed what, and when",
        basis: "legal obligation and the tenant's legitimate interest in securing your data",
        data: "who created, changed or read your records and when; not the content once you are erased",
    },
];

/// One event of a lead's audit history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEvent {
    pub table: String,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub op: String,
    /// `user` (a member, by `actor_role`), `service` (a provider webhook, sync or delivery, by
    /// `purpose`) or `system`.
    pub actor_kind: String,
    pub actor_role: Option<String>,
    pub purpose: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// The row before and after the change, as the trail holds it (sealed values shown as
    /// `[sealed]`); null where there was none, and for content an erasure blanked.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

/// A sensitive read or change of the lead, from the access log (who by role and purpose, not by name).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SubjectAccessEvent)]
pub struct AccessEvent {
    /// `phone_reveal`, `data_export`, `erasure`, `audit_redaction`, …
    pub action: String,
    /// `user`, `service` or `system`.
    pub actor_kind: String,
    pub purpose: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// One lead the subject is, with what is recorded about them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedLead {
    pub id: Uuid,
    /// Null for a lead deleted before the request: what is still held about it is below.
    pub lead: Option<Lead>,
    /// Rows about the lead by table (`app.deals`, `app.interactions`, `app.outbound_messages`,
    /// `app.consent_events`, …), oldest first, each with its columns but credentials, blind indexes
    /// and sealed values.
    #[schema(value_type = Object)]
    pub records: BTreeMap<&'static str, Vec<Map<String, Value>>>,
    /// Where the lead's data came from and what was done with it, oldest first.
    pub history: Vec<HistoryEvent>,
    /// Reads and other sensitive actions on the lead, oldest first.
    pub access: Vec<AccessEvent>,
}

/// A suppression of one of the subject's addresses: never messaged on this channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSuppression {
    pub channel: String,
    /// `stop`, `erasure`, `bounce`, `complaint` or `admin`.
    pub reason: String,
    pub since: DateTime<Utc>,
}

/// Everything the tenant holds about a subject.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectExport {
    pub generated_at: DateTime<Utc>,
    /// The tenant (the controller of this data).
    pub tenant_id: Uuid,
    /// How the subject was named: `phone`, `email` or `lead`.
    pub subject: &'static str,
    pub purposes: Vec<ProcessingPurpose>,
    pub leads: Vec<ExportedLead>,
    pub suppressions: Vec<ExportedSuppression>,
}

/// Leads one export answers for: a number or address shared by more is better narrowed by lead id.
pub const MAX_LEADS: usize = 100;

/// The export of the subject `request` names, in the caller's user context. `NotFound` for a lead id
/// the caller cannot see.
pub async fn export(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<SubjectExport, CoreError> {
    let found = find_with_deleted(tx, tenant, request, keys).await?;
    if found.leads.len() > MAX_LEADS {
        return Err(CoreError::invalid(
            "too_many_leads",
            format!("more than {MAX_LEADS} leads have this address: export them one by one, by lead_id"),
        ));
    }
    let mut leads_out = Vec::with_capacity(found.leads.len());
    for id in &found.leads {
        leads_out.push(exported_lead(tx, tenant, *id, keys).await?);
    }
    let indexes: Vec<&Vec<u8>> = found
        .addresses
        .phone
        .iter()
        .chain(&found.addresses.email)
        .collect();
    let suppressions = suppressions(tx, tenant, &indexes).await?;
    access::log(
        tx,
        Some(tenant),
        &Access {
            action: AccessAction::DataExport,
            target_type: Some("subject"),
            target_id: (found.leads.len() == 1).then(|| found.leads[0].to_string()),
            detail: serde_json::json!({ "subject": found.kind, "leads": found.leads.len() }),
            client_ip: None,
        },
    )
    .await?;
    Ok(SubjectExport {
        generated_at: Utc::now(),
        tenant_id: *tenant.as_uuid(),
        subject: found.kind,
        purposes: PURPOSES.into(),
        leads: leads_out,
        suppressions,
    })
}

async fn exported_lead(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    keys: PhoneKeys<'_>,
) -> Result<ExportedLead, CoreError> {
    let lead = match leads::get(tx, tenant, palisade_db::LeadId::from_uuid(id), keys).await {
        Err(CoreError::NotFound) => None,
        lead => Some(lead?),
    };
    let mut records: BTreeMap<&'static str, Vec<Map<String, Value>>> = BTreeMap::new();
    for table in registry::tables().filter(|t| !t.rep_private && t.name != "audit.events") {
        for (path, _) in table.paths {
            let Path::Lead(column) = path else { continue };
            let rows = tx
                .query(&rows_sql(table, column), &[tenant.as_uuid(), &id])
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(shown(table, row.try_get("row")?));
            }
            let rows = records.entry(table.name).or_default();
            rows.extend(out);
            rows.sort_by_key(created);
        }
    }
    Ok(ExportedLead {
        id,
        lead,
        records,
        history: history(tx, tenant, id).await?,
        access: access_events(tx, tenant, id).await?,
    })
}

/// What is never exported: credentials, blind indexes (keyed digests that mean nothing to the subject)
/// and sealed values.
fn stripped(kind: Kind) -> bool {
    matches!(kind, Kind::Credential | Kind::BlindIndex | Kind::SealedPhone)
}

/// A row without what is never exported.
pub(crate) fn shown(table: &registry::Table, row: Value) -> Map<String, Value> {
    let Value::Object(mut row) = row else {
        return Map::new();
    };
    for (column, kind) in table.personal {
        if stripped(*kind) {
            row.remove(*column);
        }
    }
    row
}

/// `select` of the rows of `table` whose `column` is `$2` in tenant `$1`, each as one JSON object of
/// the columns an export shows: only those are read, so a column the reader may not select (a
/// credential) does not make the read fail.
pub(crate) fn rows_sql(table: &registry::Table, column: &str) -> String {
    let columns: Vec<&str> = table
        .personal
        .iter()
        .filter(|(_, kind)| !stripped(*kind))
        .map(|(c, _)| *c)
        .chain(table.other.iter().copied())
        .collect();
    // Names from the registry, a compile-time list: never from input.
    format!(
        "select to_jsonb(r) as row from (select {} from {} t where t.tenant_id = $1 and t.{column} = $2) r",
        columns.join(", "),
        table.name
    )
}

fn created(row: &Map<String, Value>) -> String {
    row.get("created_at")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

async fn history(tx: &mut Tx, tenant: TenantId, lead: Uuid) -> Result<Vec<HistoryEvent>, CoreError> {
    let rows = tx
        .query(
            "select table_name, op, actor_kind, actor_role, purpose, occurred_at, before, after from audit.events \
             where tenant_id = $1 and lead_id = $2 order by occurred_at, id",
            &[tenant.as_uuid(), &lead],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let table: String = r.try_get("table_name")?;
            Ok(HistoryEvent {
                before: content(&table, r.try_get("before")?),
                after: content(&table, r.try_get("after")?),
                table,
                op: r.try_get("op")?,
                actor_kind: r.try_get("actor_kind")?,
                actor_role: r.try_get("actor_role")?,
                purpose: r.try_get("purpose")?,
                occurred_at: r.try_get("occurred_at")?,
            })
        })
        .collect()
}

/// An audit event's row image, stripped as rows are (the trail names tables without their schema;
/// every audited table with a lead is in `app`).
fn content(table: &str, image: Option<Value>) -> Option<Value> {
    let qualified = format!("app.{table}");
    match registry::tables().find(|t| t.name == qualified) {
        Some(t) => image.map(|v| Value::Object(shown(t, v))),
        None => image,
    }
}

async fn access_events(tx: &mut Tx, tenant: TenantId, lead: Uuid) -> Result<Vec<AccessEvent>, CoreError> {
    let rows = tx
        .query(
            "select action, actor_kind, purpose, occurred_at from audit.access_events \
             where tenant_id = $1 and target_type = 'lead' and target_id = $2 order by occurred_at, id",
            &[tenant.as_uuid(), &lead.to_string()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AccessEvent {
                action: r.try_get("action")?,
                actor_kind: r.try_get("actor_kind")?,
                purpose: r.try_get("purpose")?,
                occurred_at: r.try_get("occurred_at")?,
            })
        })
        .collect()
}

async fn suppressions(
    tx: &mut Tx,
    tenant: TenantId,
    indexes: &[&Vec<u8>],
) -> Result<Vec<ExportedSuppression>, CoreError> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let rows = tx
        .query(
            "select channel, reason, created_at from app.suppressions \
             where tenant_id = $1 and address_index = any($2) order by created_at, channel",
            &[tenant.as_uuid(), &indexes],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ExportedSuppression {
                channel: r.try_get("channel")?,
                reason: r.try_get("reason")?,
                since: r.try_get("created_at")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_shown_without_sealed_values_blind_indexes_or_credentials() {
        let leads = registry::tables().find(|t| t.name == "app.leads").unwrap();
        let row = serde_json::json!({"id": "x", "name": "Pat", "email": "pat@x.example", "phone_sealed": "\\x01",
                                     "phone_index": "\\x02", "email_index": "\\x03"});
        let columns: Vec<String> = shown(leads, row).keys().cloned().collect();
        assert_eq!(columns, ["email", "id", "name"]);
        let invitations = registry::tables().find(|t| t.name == "app.invitations").unwrap();
        let row = serde_json::json!({"id": "x", "token_hash": "\\x04"});
        assert!(!shown(invitations, row).contains_key("token_hash"));
    }
}
