//! Re-sealing stored values under the active key, and recomputing blind indexes under the active
//! index key. Online: each batch is one transaction, and each row is written only if it still holds
//! the value that was read (a concurrent change wins and is picked up by the next run). Resumable:
//! a run selects whatever is not yet on the active keys.
use std::collections::BTreeMap;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use palisade_core::integrations::{self, Provider};
use palisade_crypto::Keyring;
use palisade_db::TenantId;
use palisade_server::config::Config;
use serde_json::{json, Value};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::sealed_columns::key_id_sql;

/// The configured keyrings, loaded as `serve` loads them.
pub struct Keys {
    pub seal: Keyring,
    pub index: Keyring,
}

impl Keys {
    pub fn load(config: &Config) -> anyhow::Result<Self> {
        Ok(Self {
            seal: palisade_server::startup::keyring(config)?,
            index: palisade_server::startup::index_keyring(config)?,
        })
    }
}

#[derive(Default)]
pub struct Report {
    rotated: BTreeMap<&'static str, u64>,
    unreadable: BTreeMap<&'static str, u64>,
    /// Rows deleted or cleared between listing and rotating them (nothing left to do).
    changed: BTreeMap<&'static str, u64>,
}

impl Report {
    pub fn unreadable(&self) -> u64 {
        self.unreadable.values().sum()
    }

    pub fn to_json(&self) -> Value {
        json!({"rotated": self.rotated, "unreadable": self.unreadable, "changed_meanwhile": self.changed})
    }
}

fn progress(total: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
    bar.set_style(
        ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

pub async fn run(client: &tokio_postgres::Client, keys: &Keys, batch: usize) -> anyhow::Result<Report> {
    let mut report = Report::default();
    reseal::<TotpRow>(client, keys, batch, &mut report).await?;
    reseal::<IntegrationRow>(client, keys, batch, &mut report).await?;
    for table in &PHONE_TABLES {
        phones(client, keys, batch, table, &mut report).await?;
    }
    email_indexes(client, keys, batch, &mut report).await?;
    Ok(report)
}

/// Opens one batch's transaction, marked as key rotation (rows keep their `updated_at`). The admin
/// connection is shared, so begin/commit are by hand; an error ends the command and the connection,
/// rolling the batch back.
async fn begin_batch(client: &tokio_postgres::Client) -> anyhow::Result<()> {
    client
        .batch_execute("begin; set local palisade.key_rotation = 'on'")
        .await
        .context("begin")
}

/// Keys (as text) of the rows whose value is not under `active`.
async fn pending(
    client: &tokio_postgres::Client,
    select: &str,
    table: &str,
    conditions: &[(&str, &str)],
) -> anyhow::Result<Vec<tokio_postgres::Row>> {
    let stale: Vec<String> = conditions
        .iter()
        .map(|(column, active)| {
            format!(
                "({column} is not null and {} is distinct from '{active}')",
                key_id_sql(column)
            )
        })
        .collect();
    // Key ids are letters, digits, `_` and `-` only (KeyId), so they are safe to inline.
    let sql = format!(
        "select {select} from {table} where {} order by 1, 2",
        stale.join(" or ")
    );
    Ok(client.query(&sql, &[]).await?)
}

/// A row holding one sealed value: how to find it and what it is bound to.
trait SealedRow: Sized {
    const NAME: &'static str;
    const TABLE: &'static str;
    /// The key columns, as selected, and as matched in `where` (`$1`, `$2`, …).
    const KEY_COLUMNS: &'static str;
    const MATCH: &'static str;
    fn from_row(row: &tokio_postgres::Row) -> Option<Self>;
    fn params(&self) -> Vec<&(dyn ToSql + Sync)>;
    fn binding(&self) -> palisade_crypto::Binding<'_>;
}

struct TotpRow(Uuid, [u8; 16]);

impl SealedRow for TotpRow {
    const NAME: &'static str = "auth.totp_factors.secret_sealed";
    const TABLE: &'static str = "auth.totp_factors";
    const KEY_COLUMNS: &'static str = "user_id, 0";
    const MATCH: &'static str = "user_id = $1";
    fn from_row(row: &tokio_postgres::Row) -> Option<Self> {
        let user: Uuid = row.get("user_id");
        Some(Self(user, *user.as_bytes()))
    }
    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        vec![&self.0]
    }
    fn binding(&self) -> palisade_crypto::Binding<'_> {
        palisade_core::sign_in::mfa::totp_binding(&self.1)
    }
}

struct IntegrationRow(Uuid, String, Provider);

impl SealedRow for IntegrationRow {
    const NAME: &'static str = "app.integrations.secret_sealed";
    const TABLE: &'static str = "app.integrations";
    const KEY_COLUMNS: &'static str = "tenant_id, provider";
    const MATCH: &'static str = "tenant_id = $1 and provider = $2";
    fn from_row(row: &tokio_postgres::Row) -> Option<Self> {
        let name: String = row.get("provider");
        let provider = Provider::parse(&name)?;
        Some(Self(row.get("tenant_id"), name, provider))
    }
    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        vec![&self.0, &self.1]
    }
    fn binding(&self) -> palisade_crypto::Binding<'_> {
        integrations::binding(TenantId::from_uuid(self.0), self.2)
    }
}

/// Re-seals `secret_sealed` (and its `key_id`) of every row of `R` not under the active key.
async fn reseal<R: SealedRow>(
    client: &tokio_postgres::Client,
    keys: &Keys,
    batch: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    let active = keys.seal.active_id().as_str();
    let rows = pending(client, R::KEY_COLUMNS, R::TABLE, &[("secret_sealed", active)]).await?;
    let bar = progress(rows.len(), R::NAME);
    let read = format!("select secret_sealed from {} where {}", R::TABLE, R::MATCH);
    for chunk in rows.chunks(batch) {
        begin_batch(client).await?;
        for row in chunk {
            bar.inc(1);
            let Some(key) = R::from_row(row) else {
                *report.unreadable.entry(R::NAME).or_default() += 1;
                continue;
            };
            let mut params = key.params();
            // Gone meanwhile (deleted concurrently): nothing to rotate.
            let Some(current) = client.query_opt(&read, &params).await? else {
                *report.changed.entry(R::NAME).or_default() += 1;
                continue;
            };
            let old: Vec<u8> = current.get("secret_sealed");
            let binding = key.binding();
            let Ok(plain) = keys.seal.open(&old, &binding) else {
                tracing::warn!(column = R::NAME, "a sealed value did not open; left as it is");
                *report.unreadable.entry(R::NAME).or_default() += 1;
                continue;
            };
            let new = keys.seal.seal(&plain, &binding);
            let n = params.len();
            let write = format!(
                "update {} set secret_sealed = ${}, key_id = ${} where {} and secret_sealed = ${}",
                R::TABLE,
                n + 1,
                n + 2,
                R::MATCH,
                n + 3
            );
            params.extend([&new as &(dyn ToSql + Sync), &active, &old]);
            *report.rotated.entry(R::NAME).or_default() += client.execute(&write, &params).await?;
        }
        client.batch_execute("commit").await.context("commit")?;
    }
    bar.finish();
    Ok(())
}

/// A table of sealed, indexed phone numbers: `phone_sealed` bound to the row named by `id`.
struct PhoneTable {
    name: &'static str,
    table: &'static str,
    id: &'static str,
}

const PHONE_TABLES: [PhoneTable; 2] = [
    PhoneTable {
        name: "app.leads.phone",
        table: "app.leads",
        id: "id",
    },
    PhoneTable {
        name: "app.member_phones.phone",
        table: "app.member_phones",
        id: "owner_id",
    },
];

/// A number is re-sealed when its seal key is old, and re-indexed when its index key is old (both
/// need the opened number).
async fn phones(
    client: &tokio_postgres::Client,
    keys: &Keys,
    batch: usize,
    t: &PhoneTable,
    report: &mut Report,
) -> anyhow::Result<()> {
    let active = keys.seal.active_id().as_str();
    let active_index = keys.index.active_id().as_str();
    let rows = pending(
        client,
        &format!("tenant_id, {}", t.id),
        t.table,
        &[("phone_sealed", active), ("phone_index", active_index)],
    )
    .await?;
    let read = format!(
        "select phone_sealed, phone_index from {} where tenant_id = $1 and {} = $2",
        t.table, t.id
    );
    let write = format!(
        "update {} set phone_sealed = $3, phone_index = $4 \
         where tenant_id = $1 and {} = $2 and phone_sealed = $5 and phone_index = $6",
        t.table, t.id
    );
    let bar = progress(rows.len(), t.name);
    for chunk in rows.chunks(batch) {
        begin_batch(client).await?;
        for row in chunk {
            let tenant: Uuid = row.get("tenant_id");
            let id: Uuid = row.get(t.id);
            let current = client.query_opt(&read, &[&tenant, &id]).await?;
            // Deleted, or its number removed, meanwhile: nothing to rotate.
            let Some((old, old_index)) = current.and_then(|r| {
                let sealed: Option<Vec<u8>> = r.get("phone_sealed");
                let index: Option<Vec<u8>> = r.get("phone_index");
                sealed.zip(index)
            }) else {
                *report.changed.entry(t.name).or_default() += 1;
                bar.inc(1);
                continue;
            };
            let tenant_id = TenantId::from_uuid(tenant);
            let binding = palisade_core::phone::binding(t.table, tenant_id, id.as_bytes());
            match keys.seal.open(&old, &binding) {
                Ok(plain) => {
                    let new = if Keyring::key_id_of(&old) == Some(active) {
                        old.clone()
                    } else {
                        keys.seal.seal(&plain, &binding)
                    };
                    let index = palisade_core::phone::index_of(&keys.index, tenant_id, &plain);
                    let n = client
                        .execute(&write, &[&tenant, &id, &new, &index, &old, &old_index])
                        .await?;
                    *report.rotated.entry(t.name).or_default() += n;
                    if n > 0 {
                        carry_suppressions(client, tenant, &old_index, &index).await?;
                    }
                }
                Err(e) => {
                    tracing::warn!(%tenant, row = %id, table = t.table, error = %e, "a phone number did not open; left as it is");
                    *report.unreadable.entry(t.name).or_default() += 1;
                }
            }
            bar.inc(1);
        }
        client.batch_execute("commit").await.context("commit")?;
    }
    bar.finish();
    Ok(())
}

/// Leads' email indexes: recomputed under the active index key from the address in the same row,
/// and computed for addresses stored before emails were indexed (migration 0019).
async fn email_indexes(
    client: &tokio_postgres::Client,
    keys: &Keys,
    batch: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    const NAME: &str = "app.leads.email_index";
    let active = keys.index.active_id().as_str();
    // Key ids are letters, digits, `_` and `-` only (KeyId), so this one is safe to inline.
    let rows = client
        .query(
            &format!(
                "select tenant_id, id, email, email_index from app.leads where email is not null \
                 and (email_index is null or {} is distinct from '{active}') order by 1, 2",
                key_id_sql("email_index")
            ),
            &[],
        )
        .await?;
    let bar = progress(rows.len(), NAME);
    for chunk in rows.chunks(batch) {
        begin_batch(client).await?;
        for row in chunk {
            let (tenant, id, email): (Uuid, Uuid, String) =
                (row.get("tenant_id"), row.get("id"), row.get("email"));
            let index =
                palisade_core::crm::leads::email_index(&keys.index, TenantId::from_uuid(tenant), &email);
            // Only if the address is still the one read (a concurrent change indexes itself).
            let old_index: Option<Vec<u8>> = row.get("email_index");
            let n = client
                .execute(
                    "update app.leads set email_index = $3 where tenant_id = $1 and id = $2 and email = $4",
                    &[&tenant, &id, &index, &email],
                )
                .await?;
            if let (Some(old_index), true) = (old_index, n > 0) {
                carry_suppressions(client, tenant, &old_index, &index).await?;
            }
            if n == 0 {
                *report.changed.entry(NAME).or_default() += 1;
            } else {
                *report.rotated.entry(NAME).or_default() += n;
            }
            bar.inc(1);
        }
        client.batch_execute("commit").await.context("commit")?;
    }
    bar.finish();
    Ok(())
}

/// A suppression names an address by its blind index; when an address is re-indexed, its
/// suppressions are copied to the new index so the outbox guard (which compares the lead's current
/// index) keeps refusing it. The old rows stay: an inbound STOP or START is looked up under every
/// key, and `keys status` shows what still needs an old key.
async fn carry_suppressions(
    client: &tokio_postgres::Client,
    tenant: Uuid,
    old_index: &[u8],
    new_index: &[u8],
) -> anyhow::Result<()> {
    client
        .execute(
            "insert into app.suppressions (tenant_id, channel, address_index, reason, created_at) \
             select tenant_id, channel, $3, reason, created_at from app.suppressions \
             where tenant_id = $1 and address_index = $2 on conflict do nothing",
            &[&tenant, &old_index, &new_index],
        )
        .await?;
    Ok(())
}
