//! The personal-data registry against the catalog: every table of every schema is either in the
//! registry, with each of its columns classified, or listed as holding no personal data. A migration
//! that adds a table or a column fails here until someone decides what it holds and how erasure and
//! export reach it (`palisade_core::privacy::registry`, docs/privacy.md).
use std::collections::{BTreeMap, BTreeSet};

use palisade_core::privacy::registry::{listed_columns, tables, Erasure, NO_PERSONAL_DATA};
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
