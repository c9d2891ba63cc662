//! The personal-data registry against the catalog: every table of every schema is either in the
//! registry, with each of its columns classified, or listed as holding no personal data. A migration
//! that adds a table or a column fails here until someone decides what it holds and how erasure and
//! export reach it (`palisade_core::privacy::registry`, docs/privacy.md).
use std::collections::{BTreeMap, BTreeSet};

use palisade_core::privacy::registry::{listed_columns, tables, Erasure, Path, NO_PERSONAL_DATA};
use palisade_testkit::test_db;

async fn columns_by_table() -> BTreeMap<String, BTreeSet<String>> {
    let su = test_db().await.superuser().await;
    let rows = su
        .query(
            "select n.nspname || '.' || c.relname as table_name, a.attname::text as column_name \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped \
             where c.relkind in ('r', 'p', 'm', 'f') and not c.relispartition \
               and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'",
            &[],
        )
        .await
        .unwrap();
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in &rows {
        tables
            .entry(row.get("table_name"))
            .or_default()
            .insert(row.get("column_name"));
    }
    tables
}

#[tokio::test]
async fn every_table_is_in_the_registry_or_holds_no_personal_data() {
    let catalog = columns_by_table().await;
    let known: BTreeSet<&str> = tables()
        .map(|t| t.name)
        .chain(NO_PERSONAL_DATA.iter().map(|t| t.name))
        .collect();
    let unlisted: Vec<&String> = catalog.keys().filter(|t| !known.contains(t.as_str())).collect();
    assert!(
        unlisted.is_empty(),
        "tables the personal-data registry does not list (palisade_core::privacy::registry): {unlisted:?}"
    );
    let stale: Vec<&&str> = known.iter().filter(|t| !catalog.contains_key(**t)).collect();
    assert!(
        stale.is_empty(),
        "the registry lists tables that do not exist: {stale:?}"
    );
}

#[tokio::test]
async fn every_column_of_every_table_is_classified() {
    let catalog = columns_by_table().await;
    let mut problems = Vec::new();
    for (table, listed) in listed_columns() {
        let listed: BTreeSet<String> = listed.into_iter().map(str::to_owned).collect();
        let Some(actual) = catalog.get(table) else {
            continue; // reported by the test above
        };
        for column in actual.difference(&listed) {
            problems.push(format!("{table}.{column} is not classified"));
        }
        for column in listed.difference(actual) {
            problems.push(format!("{table}.{column} is listed but does not exist"));
        }
    }
    assert!(
        problems.is_empty(),
        "the personal-data registry is out of date (palisade_core::privacy::registry):\n{}",
        problems.join("\n")
    );
}

/// Append-only tables (audit.forbid_mutation refuses updates and deletes) can only keep their rows,
/// or for audit events have their content redacted: an erasure planned otherwise would fail halfway.
#[tokio::test]
async fn erasure_never_deletes_from_append_only_tables() {
    let su = test_db().await.superuser().await;
    let rows = su
        .query(
            "select distinct n.nspname || '.' || c.relname as table_name \
             from pg_trigger t join pg_class c on c.oid = t.tgrelid \
             join pg_namespace n on n.oid = c.relnamespace \
             where t.tgfoid = 'audit.forbid_mutation'::regproc and not c.relispartition",
            &[],
        )
        .await
        .unwrap();
    let append_only: Vec<String> = rows.iter().map(|r| r.get("table_name")).collect();
    assert!(
        append_only.iter().any(|t| t == "app.consent_events"),
        "expected the append-only tables, found {append_only:?}"
    );
    for name in &append_only {
        let Some(t) = tables().find(|t| t.name == name.as_str()) else {
            continue; // a table with no personal data: erasure never touches it
        };
        for (path, erasure) in t.paths {
            assert!(
                matches!(erasure, Erasure::Keep(_) | Erasure::Redact),
                "{name} is append-only, but erasure would {erasure:?} what {path:?} finds"
            );
        }
    }
}

/// An erasure deletes a lead's rows in other tables by deleting the lead (and counts them first, as
/// the registry lists them): every table the registry says loses a lead's rows must hold them by a
/// foreign key to the lead that cascades, or the receipt would count rows that stay; and no table it
/// says keeps them may, or the receipt would call deleted rows kept.
#[tokio::test]
async fn every_row_an_erasure_deletes_with_a_lead_goes_by_a_cascading_foreign_key() {
    let su = test_db().await.superuser().await;
    let rows = su
        .query(
            "select c.conrelid::regclass::text as table_name, \
                    (select array_agg(a.attname::text order by a.attname) from pg_attribute a \
                     where a.attrelid = c.conrelid and a.attnum = any(c.conkey)) as columns \
             from pg_constraint c \
             where c.contype = 'f' and c.confrelid = 'app.leads'::regclass and c.confdeltype = 'c'",
            &[],
        )
        .await
        .unwrap();
    let cascading: BTreeSet<(String, Vec<String>)> = rows
        .iter()
        .map(|r| (r.get("table_name"), r.get("columns")))
        .collect();
    for table in tables() {
        for (path, erasure) in table.paths {
            let (Path::Lead(column), Erasure::Delete) = (path, erasure) else {
                continue;
            };
            let mut key = vec![column.to_string(), "tenant_id".to_string()];
            key.sort();
            assert!(
                cascading.contains(&(table.name.to_string(), key)),
                "{}.{column}: the registry deletes these rows with their lead, but no foreign key \
                 (tenant_id, {column}) → app.leads cascades",
                table.name
            );
        }
    }
}
