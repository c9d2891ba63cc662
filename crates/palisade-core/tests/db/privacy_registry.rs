//! The personal-data registry against the catalog: every table of every schema is either in the
//! registry, with each of its columns classified, or listed as holding no personal data. A migration
//! that adds a table or a column fails here until someone decides what it holds and how erasure and
//! export reach it (`palisade_core::privacy::registry`, docs/privacy.md).
use std::collections::{BTreeMap, BTreeSet};

use palisade_core::privacy::registry::{tables, NO_PERSONAL_DATA};
use palisade_testkit::test_db;

async fn columns_by_table() -> BTreeMap<String, BTreeSet<String>> {
    let su = test_db().await.superuser().await;
    let rows = su
        .query(
            "select n.nspname || '.' || c.relname as table_name, a.attname::text as column_name \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped \
             where c.relkind in ('r', 'p') and not c.relispartition \
               and n.nspname in ('app', 'audit', 'auth', 'ctx', 'palisade_meta')",
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
        .chain(NO_PERSONAL_DATA.iter().map(|(t, _)| *t))
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
async fn every_column_of_a_registered_table_is_classified() {
    let catalog = columns_by_table().await;
    let mut problems = Vec::new();
    for t in tables() {
        let Some(actual) = catalog.get(t.name) else {
            continue; // reported by the test above
        };
        let listed: BTreeSet<String> = t
            .personal
            .iter()
            .map(|(c, _)| (*c).to_owned())
            .chain(t.other.iter().map(|c| (*c).to_owned()))
            .collect();
        for column in actual.difference(&listed) {
            problems.push(format!("{}.{column} is not classified", t.name));
        }
        for column in listed.difference(actual) {
            problems.push(format!("{}.{column} is listed but does not exist", t.name));
        }
    }
    assert!(
        problems.is_empty(),
        "the personal-data registry is out of date (palisade_core::privacy::registry):\n{}",
        problems.join("\n")
    );
}
