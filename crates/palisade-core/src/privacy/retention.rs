//! Retention (migration 0036): how long a tenant keeps each class of data, and the sweep that deletes
//! what is older, in batches, each its own transaction in the tenant's service context with purpose
//! `retention`. The audit trail's copies of a deleted interaction's content are blanked with it.
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use palisade_db::{Db, Purpose, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::CoreError;

/// A class of data with its own retention period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    /// Interactions other than calls: notes, texts, emails, meetings (by when they happened).
    Interactions,
    /// Calls: their notes and ingested transcripts (by when they happened).
    Transcripts,
    /// Outbound messages that are no longer waiting to go (by when they were queued).
    Messages,
    /// Reps' drafts (by their last change).
    Drafts,
    /// Provider webhooks received (by when they arrived).
    WebhookEvents,
    /// Error events of the tenant (by when they were last seen).
    ErrorEvents,
    /// The access log (by when each event happened).
    AccessLog,
}

impl DataClass {
    pub const ALL: [DataClass; 7] = [
        Self::Interactions,
        Self::Transcripts,
        Self::Messages,
        Self::Drafts,
        Self::WebhookEvents,
        Self::ErrorEvents,
        Self::AccessLog,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Interactions => "interactions",
            Self::Transcripts => "transcripts",
            Self::Messages => "messages",
            Self::Drafts => "drafts",
            Self::WebhookEvents => "webhook_events",
            Self::ErrorEvents => "error_events",
            Self::AccessLog => "access_log",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// One class's period in a tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct Retention {
    pub data_class: DataClass,
    /// Days kept; null: kept until changed.
    pub keep_days: Option<i32>,
    /// Palisade's default for the class (null: kept).
    pub default_days: Option<i32>,
    /// The shortest period the class may have.
    pub minimum_days: i32,
    /// Whether an admin set this period (otherwise it is the default).
    pub set: bool,
    pub set_by: Option<uuid::Uuid>,
    pub updated_at: Option<DateTime<Utc>>,
}

const LIST: &str = "select c.data_class, coalesce(s.keep_days, case when s.data_class is null \
     then app.retention_default(c.data_class) end) as keep_days, app.retention_default(c.data_class) as default_days, \
     app.retention_minimum(c.data_class) as minimum_days, s.data_class is not null as set, s.set_by, s.updated_at \
     from unnest($1::text[]) with ordinality as c(data_class, n) \
     left join app.retention_settings s on s.tenant_id = $2 and s.data_class = c.data_class order by c.n";

/// Every class's period in the tenant (admins, user context).
pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Retention>, CoreError> {
    let classes: Vec<&str> = DataClass::ALL.iter().map(|c| c.as_str()).collect();
    let rows = tx.query(LIST, &[&classes, tenant.as_uuid()]).await?;
    rows.iter()
        .map(|r| {
            let class: String = r.try_get("data_class")?;
            Ok(Retention {
                data_class: DataClass::parse(&class).ok_or(CoreError::NotFound)?,
                keep_days: r.try_get("keep_days")?,
                default_days: r.try_get("default_days")?,
                minimum_days: r.try_get("minimum_days")?,
                set: r.try_get("set")?,
                set_by: r.try_get("set_by")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Sets one class's period (`None`: keep until changed). Outside 1–36500 days: `invalid_period`;
/// below the class's minimum: `below_minimum` (403).
pub async fn set(
    tx: &mut Tx,
    tenant: TenantId,
    admin: UserId,
    class: DataClass,
    keep_days: Option<i32>,
) -> Result<(), CoreError> {
    if let Some(days) = keep_days {
        let minimum: i32 = tx
            .query_one("select app.retention_minimum($1) as m", &[&class.as_str()])
            .await?
            .try_get("m")?;
        if !(1..=36_500).contains(&days) {
            return Err(CoreError::invalid(
                "invalid_period",
                "keep_days is 1 to 36500 (or null: until changed)",
            ));
        }
        // The class's floor is policy, not the shape of the request: refused like any other
        // action the rules do not allow.
        if days < minimum {
            return Err(CoreError::Refused {
                code: "below_minimum",
                message: "this class has a minimum period: a year for the access log, a week for \
                          webhook and error events",
            });
        }
    }
    tx.execute(
        "insert into app.retention_settings (tenant_id, data_class, keep_days, set_by) values ($1, $2, $3, $4) \
         on conflict (tenant_id, data_class) do update set keep_days = excluded.keep_days, set_by = excluded.set_by",
        &[tenant.as_uuid(), &class.as_str(), &keep_days, admin.as_uuid()],
    )
    .await?;
    Ok(())
}

/// Returns one class to Palisade's default (admins, user context).
pub async fn reset(tx: &mut Tx, tenant: TenantId, class: DataClass) -> Result<(), CoreError> {
    tx.execute(
        "delete from app.retention_settings where tenant_id = $1 and data_class = $2",
        &[tenant.as_uuid(), &class.as_str()],
    )
    .await?;
    Ok(())
}

/// Rows deleted per batch: each its own transaction, so a sweep never holds locks for long.
pub const BATCH: i32 = 2_000;

/// What one tenant's sweep did (or, dry, would do), per class.
#[derive(Debug, Default, Serialize)]
pub struct Swept {
    pub rows: Vec<(DataClass, u64)>,
    /// The time budget ran out before every class was done; the next run continues.
    pub unfinished: bool,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

async fn batch(db: &Db, tenant: TenantId, class: DataClass, dry_run: bool) -> Result<u64, CoreError> {
    let mut tx = db.service(tenant, Purpose::Retention).await?;
    let n: i64 = tx
        .query_one(
            "select app.retention_sweep($1, $2, $3) as n",
            &[&class.as_str(), &BATCH, &dry_run],
        )
        .await?
        .try_get("n")?;
    tx.commit().await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Deletes, class by class, what is past the tenant's periods, until done or `budget` is spent. With
/// `dry_run`, deletes nothing and counts what would go.
pub async fn sweep(db: &Db, tenant: TenantId, dry_run: bool, budget: Duration) -> Result<Swept, CoreError> {
    let started = Instant::now();
    let mut swept = Swept::default();
    // A run that runs out of time starts the next one elsewhere, so a backlog in one class does not
    // hold the others up for ever.
    let first = if dry_run {
        0
    } else {
        rand::random::<usize>() % DataClass::ALL.len()
    };
    let classes = DataClass::ALL
        .iter()
        .cycle()
        .skip(first)
        .take(DataClass::ALL.len());
    for &class in classes {
        let mut total = 0u64;
        loop {
            if started.elapsed() >= budget {
                swept.unfinished = true;
                break;
            }
            let n = batch(db, tenant, class, dry_run).await?;
            total += n;
            if dry_run || n < u64::try_from(BATCH).unwrap_or(0) {
                break;
            }
        }
        swept.rows.push((class, total));
        if swept.unfinished {
            break;
        }
    }
    Ok(swept)
}

/// The tenants a sweep visits, with their slugs (system context, purpose `retention`).
pub async fn tenants(db: &Db) -> Result<Vec<(TenantId, String)>, CoreError> {
    let mut tx = db.system(Purpose::Retention).await?;
    let rows = tx
        .query("select id, slug from app.retention_tenants()", &[])
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok((TenantId::from_uuid(r.try_get("id")?), r.try_get("slug")?)))
        .collect()
}
