//! Subject access export (GDPR Art. 15): everything the tenant holds about someone it talks to, as one
//! JSON document, read in the admin's own user context (row-level security decides what it holds) and
//! access-logged as `data_export`. The tables come from the registry: every table a lead's id reaches,
//! but the rep-private ones (a rep's drafts and coaching belong to the rep) and the audit trail (given
//! as the lead's history, without content). Credentials, blind indexes and sealed values are left out;
//! the lead's phone number is opened.
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
use crate::privacy::subject::{find, SubjectRequest};
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

/// One event of a lead's audit history: what happened, not the content.
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
}

/// One lead the subject is, with what is recorded about them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedLead {
    pub lead: Lead,
    /// Rows about the lead by table (`app.deals`, `app.interactions`, `app.outbound_messages`,
    /// `app.consent_events`, …), oldest first, each with its columns but credentials, blind indexes
    /// and sealed values.
    #[schema(value_type = Object)]
    pub records: BTreeMap<&'static str, Vec<Map<String, Value>>>,
    /// Where the lead's data came from and what was done with it, oldest first.
    pub history: Vec<HistoryEvent>,
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

/// The export of the subject `request` names, in the caller's user context. `NotFound` for a lead id
/// the caller cannot see.
pub async fn export(
    tx: &mut Tx,
    tenant: TenantId,
    request: &SubjectRequest,
    keys: PhoneKeys<'_>,
) -> Result<SubjectExport, CoreError> {
    let found = find(tx, tenant, request, keys).await?;
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
            detail: serde_json::json!({ "subject": found.kind, "leads": found.leads }),
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
    let lead = leads::get(tx, tenant, palisade_db::LeadId::from_uuid(id), keys).await?;
    let mut records = BTreeMap::new();
    for table in registry::tables().filter(|t| !t.rep_private && t.name != "audit.events") {
        for (path, _) in table.paths {
            let Path::Lead(column) = path else { continue };
            // Names from the registry, a compile-time list: never from input.
            let sql = format!(
                "select to_jsonb(t) as row from {} t where t.tenant_id = $1 and t.{column} = $2",
                table.name
            );
            let rows = tx.query(&sql, &[tenant.as_uuid(), &id]).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(shown(table, row.try_get("row")?));
            }
            out.sort_by_key(created);
            records.insert(table.name, out);
        }
    }
    Ok(ExportedLead {
        lead,
        records,
        history: history(tx, tenant, id).await?,
    })
}

/// A row without what is never exported: credentials, blind indexes (keyed digests that mean nothing
/// to the subject) and sealed values.
fn shown(table: &registry::Table, row: Value) -> Map<String, Value> {
    let Value::Object(mut row) = row else {
        return Map::new();
    };
    for (column, kind) in table.personal {
        if matches!(kind, Kind::Credential | Kind::BlindIndex | Kind::SealedPhone) {
            row.remove(*column);
        }
    }
    row
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
            "select table_name, op, actor_kind, actor_role, purpose, occurred_at from audit.events \
             where tenant_id = $1 and lead_id = $2 order by occurred_at, id",
            &[tenant.as_uuid(), &lead],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEvent {
                table: r.try_get("table_name")?,
                op: r.try_get("op")?,
                actor_kind: r.try_get("actor_kind")?,
                actor_role: r.try_get("actor_role")?,
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
