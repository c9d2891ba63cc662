//! The visibility matrix of DESIGN §2, row by row, and its coverage of the schema.
use std::collections::BTreeSet;

use palisade_testkit::matrix::{self, CASES};
use palisade_testkit::test_db;

#[tokio::test]
async fn every_case_of_the_policy_matrix_holds() {
    let t = test_db().await;
    let mut client = t.runtime_client().await;
    let mismatches = matrix::run(&mut client, &t.world, CASES).await;
    let report: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} policy matrix mismatch(es):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[tokio::test]
async fn every_table_is_in_the_matrix() {
    let t = test_db().await;
    let su = t.superuser().await;
    let rows = su
        .query(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relkind in ('r', 'p') and not c.relispartition \
               and n.nspname in ('app', 'audit', 'auth', 'ctx', 'palisade_meta')",
            &[],
        )
        .await
        .unwrap();
    let tables: BTreeSet<String> = rows.iter().map(|r| r.get(0)).collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.table.to_owned()).collect();
    let missing: Vec<_> = tables.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "tables without policy matrix rows: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&tables).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for tables that do not exist: {stale:?}"
    );
}
