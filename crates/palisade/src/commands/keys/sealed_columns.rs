//! Every column holding a sealed value or a blind index, and which keys its rows use. The key id
//! is read from each value's envelope (`[version][id length][id]…`), so no separate bookkeeping can
//! drift from the data.
use serde_json::{json, Value};

use super::rotate::Keys;

/// A column and the keyring its values belong to.
pub struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub index: bool,
}

pub const COLUMNS: [SealedColumn; 8] = [
    SealedColumn {
        table: "auth.totp_factors",
        column: "secret_sealed",
        index: false,
    },
    SealedColumn {
        table: "app.integrations",
        column: "secret_sealed",
        index: false,
    },
    SealedColumn {
        table: "app.leads",
        column: "phone_sealed",
        index: false,
    },
    SealedColumn {
        table: "app.leads",
        column: "phone_index",
        index: true,
    },
    SealedColumn {
        table: "app.member_phones",
        column: "phone_sealed",
        index: false,
    },
    SealedColumn {
        table: "app.member_phones",
        column: "phone_index",
        index: true,
    },
    SealedColumn {
        table: "app.leads",
        column: "email_index",
        index: true,
    },
    // Suppressions hold only an index: rotation copies those of addresses still on a lead to the
    // new key; the rest keep their old key in use (see README, rotating keys).
    SealedColumn {
        table: "app.suppressions",
        column: "address_index",
        index: true,
    },
];

/// SQL for the key id a value names; null for a value that is not a version-1 envelope.
pub fn key_id_sql(column: &str) -> String {
    format!(
        "case when octet_length({column}) >= 2 and get_byte({column}, 0) = 1 \
              and octet_length({column}) >= 2 + get_byte({column}, 1) \
         then encode(substring({column} from 3 for get_byte({column}, 1)), 'escape') end"
    )
}

/// Rows per key id, per column, with what the configured keyrings say of each key.
pub async fn status(client: &tokio_postgres::Client, keys: &Keys) -> anyhow::Result<Value> {
    let mut columns = Vec::new();
    for c in &COLUMNS {
        let ring = if c.index { &keys.index } else { &keys.seal };
        let rows = client
            .query(
                &format!(
                    "select {} as key_id, count(*) as row_count from {} where {} is not null group by 1 order by 1",
                    key_id_sql(c.column),
                    c.table,
                    c.column
                ),
                &[],
            )
            .await?;
        let by_key: Vec<Value> = rows
            .iter()
            .map(|r| {
                let id: Option<String> = r.get("key_id");
                let count: i64 = r.get("row_count");
                let state = match &id {
                    None => "malformed",
                    Some(id) if id == ring.active_id().as_str() => "active",
                    Some(id) if ring.ids().any(|k| k.as_str() == id) => "old (rotate, then retire)",
                    Some(_) => "missing from the keyring",
                };
                json!({"key_id": id, "rows": count, "key": state})
            })
            .collect();
        columns.push(json!({
            "column": format!("{}.{}", c.table, c.column),
            "keyring": if c.index { "PALISADE_INDEX_KEYS" } else { "PALISADE_KEYS" },
            "keys": by_key,
        }));
    }
    Ok(json!({
        "active_key": keys.seal.active_id().as_str(),
        "active_index_key": keys.index.active_id().as_str(),
        "columns": columns,
    }))
}
