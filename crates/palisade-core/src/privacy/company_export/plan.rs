//! What one table's export selects: the registry's columns in the table's own order, less what an
//! export never holds, and the SQL that reads them as JSON Lines or CSV.
use palisade_db::{ContextRole, Tx};

use super::tables::ExportTable;
use crate::privacy::registry::{self, Kind};
use crate::CoreError;

/// Column types whose text can never start a spreadsheet formula: everything else is defused.
const PLAIN_TYPES: [&str; 12] = [
    "uuid",
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
    "boolean",
    "date",
    "timestamp with time zone",
    "timestamp without time zone",
    "inet",
];

const CATALOG: &str = "select a.attname::text as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type \
     from pg_catalog.pg_attribute a where a.attrelid = $1::text::regclass and a.attnum > 0 and not a.attisdropped \
     order by a.attnum";

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// Text a spreadsheet could run as a formula (text, JSON, arrays): defused in CSV.
    pub textual: bool,
}

/// One table's export.
#[derive(Clone, Debug)]
pub struct Plan {
    pub table: &'static ExportTable,
    /// The table's row filter for the transaction's context.
    rows: String,
    pub columns: Vec<Column>,
    /// The sealed phone column, opened into `phone` (the row's `id` is its binding).
    pub sealed_phone: Option<&'static str>,
}

/// Whether a column of the registry goes into a company export.
fn exported(kind: Option<Kind>) -> bool {
    !matches!(
        kind,
        Some(Kind::Credential | Kind::BlindIndex | Kind::SealedPhone)
    )
}

/// Reads the table's columns from the catalog and keeps those the registry lets an export hold.
pub async fn plan(tx: &mut Tx, table: &'static ExportTable) -> Result<Plan, CoreError> {
    let listed = registry::listed_columns()
        .find(|(name, _)| *name == table.name)
        .map(|(_, columns)| columns)
        .unwrap_or_default();
    let entry = registry::tables().find(|t| t.name == table.name);
    let kind = |column: &str| entry.and_then(|t| t.kind_of(column));
    let mut columns = Vec::new();
    for row in tx.query(CATALOG, &[&table.name]).await? {
        let name: String = row.try_get("name")?;
        let ty: String = row.try_get("type")?;
        if listed.contains(&name.as_str()) && exported(kind(&name)) && !table.omit.contains(&name.as_str()) {
            let textual = !PLAIN_TYPES.contains(&ty.as_str());
            columns.push(Column { name, textual });
        }
    }
    let sealed_phone = entry
        .and_then(|t| t.personal.iter().find(|(_, k)| *k == Kind::SealedPhone))
        .map(|(c, _)| *c);
    // A user context names its tenant with `ctx.tenant_id()` (null unless the caller is a member);
    // the service context with `ctx.scoped_tenant_id()`, which no user context may call.
    let rows = match tx.role() {
        ContextRole::User => table.rows.replace("ctx.scoped_tenant_id()", "ctx.tenant_id()"),
        _ => table.rows.to_owned(),
    };
    Ok(Plan {
        table,
        rows,
        columns,
        sealed_phone,
    })
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Plan {
    /// The column names a file's header (or a JSON object's keys) holds, `phone` last when opened.
    pub fn header(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        if self.sealed_phone.is_some() {
            names.push("phone");
        }
        names
    }

    /// `from … t [cross join lateral (select t."a", …) r] where …`: with `json`, the row as `r`.
    fn from(&self, json: bool) -> String {
        let lateral = match json {
            true => format!(" cross join lateral (select {}) r", self.plain_list()),
            false => String::new(),
        };
        format!("from {} t{lateral} where {}", self.table.name, self.rows)
    }

    /// `t."a", t."b"`: the row for JSON, by name.
    fn plain_list(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("t.{}", quoted(&c.name)))
            .collect();
        cols.join(", ")
    }

    /// The columns as CSV cells: text that starts like a formula (`=`, `+`, `-`, `@`, or their
    /// full-width forms, after any white space, tabs and line breaks included) gets a leading `'`, so
    /// a spreadsheet shows it instead of running it (OWASP).
    fn csv_list(&self) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let q = quoted(&c.name);
                match c.textual {
                    true => format!(
                        "case when t.{q}::text ~ '^[[:space:]]*[-=+@＝＋－＠]' then '''' || t.{q}::text \
                         else t.{q}::text end as {q}"
                    ),
                    false => format!("t.{q}::text as {q}"),
                }
            })
            .collect();
        cols.join(", ")
    }

    /// Every row as one JSON object per line, straight from the server: JSON text holds no raw
    /// control character, so CSV mode with control characters as delimiter and quote copies each
    /// document verbatim (text mode would double its backslashes).
    pub fn jsonl_copy(&self) -> String {
        format!(
            "copy (select row_to_json(r) {}) to stdout \
             with (format csv, delimiter E'\\x01', quote E'\\x02')",
            self.from(true)
        )
    }

    pub fn csv_copy(&self) -> String {
        format!(
            "copy (select {} {}) to stdout with (format csv, header true, force_quote *)",
            self.csv_list(),
            self.from(false)
        )
    }

    /// Rows with a sealed number go through the server, which opens it: the document, the row's id
    /// and the sealed value.
    pub fn jsonl_rows(&self, sealed: &str) -> String {
        format!(
            "select row_to_json(r)::text as doc, t.id as row_id, t.{} as sealed {}",
            quoted(sealed),
            self.from(true)
        )
    }

    pub fn csv_rows(&self, sealed: &str) -> String {
        format!(
            "select {}, t.id as row_id, t.{} as sealed {}",
            self.csv_list(),
            quoted(sealed),
            self.from(false)
        )
    }

    /// How many rows the export holds.
    pub fn count(&self) -> String {
        format!("select count(*) as n {}", self.from(false))
    }
}
