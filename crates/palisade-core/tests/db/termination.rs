//! Tenant termination in the database: the purge reaches every table that holds a tenant's rows,
//! empties them all for the purged tenant and touches no other, keeps the suppressions and an audit
//! anchor from which every chain still verifies, and nobody but the termination job, working on a
//! tenant whose purge has begun, can delete anything append-only.
use std::collections::BTreeSet;

use palisade_core::audit::verify::verify;
use palisade_core::privacy::termination;
use palisade_db::Purpose;
use palisade_testkit::{test_db, TestDb};

/// Tables holding a tenant's rows that the purge keeps, and why.
const KEPT: &[(&str, &str)] = &[
    (
        "app.suppressions",
        "a STOP outlives the customer: the law requires it",
    ),
    (
        "app.terminations",
        "the purge's receipt: when, and how many rows of each table",
    ),
    (
        "audit.events",
        "deleted with their links by audit.purge_chain_batch, up to the chain's anchor",
    ),
];

/// Tables the purge deletes from through their existing definer policy on every row.
const DEFINER_WIDE: &[&str] = &["app.error_events", "audit.access_events", "audit.event_windows"];

async fn tenant_tables(t: &TestDb) -> BTreeSet<String> {
    let su = t.superuser().await;
    su.query(
        "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
         join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped \
         where c.relkind in ('r', 'p') and not c.relispartition and n.nspname in ('app', 'audit')",
        &[],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[tokio::test]
async fn purge_policies_cover_every_tenant_table() {
    let t = test_db().await;
    let su = t.superuser().await;
    let body: String = su
        .query_one(
            "select prosrc from pg_proc where oid = 'app.purge_batch'::regproc",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    for table in tenant_tables(&t).await {
        if KEPT.iter().any(|(k, _)| *k == table) {
            continue;
        }
        assert!(
            body.contains(&format!("'{table}'")),
            "app.purge_batch does not purge {table}: purge it, or keep it in KEPT with the reason"
        );
        let (schema, name) = table.split_once('.').unwrap();
        let policies = su
            .query(
                "select policyname::text, cmd, roles::text[], qual from pg_policies \
                 where schemaname = $1 and tablename = $2 and 'palisade_definer' = any (roles)",
                &[&schema, &name],
            )
            .await
            .unwrap();
        let purges = |r: &tokio_postgres::Row| {
            let policy: String = r.get(0);
            let cmd: String = r.get(1);
            let roles: Vec<String> = r.get(2);
            let qual: Option<String> = r.get(3);
            let qual = qual.unwrap_or_default();
            roles == ["palisade_definer"]
                && cmd == "ALL"
                && if DEFINER_WIDE.contains(&table.as_str()) {
                    qual == "true"
                } else {
                    policy == format!("{name}_purge")
                        && qual == "(tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id))"
                }
        };
        assert!(
            policies.iter().any(purges),
            "{table} has no policy letting the purge delete its rows of the tenant being purged (and those only)"
        );
    }
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    t.superuser().await.query_one(sql, &[]).await.unwrap().get(0)
}

async fn seal(t: &TestDb) {
    loop {
        let mut tx = t.db.system(Purpose::Maintenance).await.unwrap();
        let n: i32 = tx
            .query_one("select audit.seal(10000)", &[])
            .await
            .unwrap()
            .get(0);
        tx.commit().await.unwrap();
        if n == 0 {
            break;
        }
    }
}

/// Rows of `tenant` left in every table that holds tenants' rows, but those the purge keeps.
async fn left(t: &TestDb, tenant: &str) -> Vec<(String, i64)> {
    let mut left = Vec::new();
    for table in tenant_tables(t).await {
        if KEPT.iter().any(|(k, _)| *k == table) {
            continue;
        }
        let n = count(
            t,
            &format!("select count(*) from {table} where tenant_id = '{tenant}'"),
        )
        .await;
        if n > 0 {
            left.push((table, n));
        }
    }
    left
}

#[tokio::test]
async fn a_purge_empties_its_tenant_keeps_what_it_must_and_leaves_the_other_alone() {
    let t = test_db().await;
    let w = &t.world;
    let (a, b) = (w.tenant_a.to_string(), w.tenant_b.to_string());
    // A STOP in tenant B, to be kept.
    count(&t, &format!("with x as (insert into app.suppressions (tenant_id, channel, address_index, reason) \
        values ('{b}', 'email', convert_to(repeat('Q', 40), 'UTF8'), 'stop') returning 1) select count(*) from x")).await;
    seal(&t).await;
    let a_before = left(&t, &a).await;
    let b_before = left(&t, &b).await;
    assert!(
        b_before.len() >= 15,
        "the fixture fills most tables: {b_before:?}"
    );
    let suppressions = count(
        &t,
        &format!("select count(*) from app.suppressions where tenant_id = '{b}'"),
    )
    .await;

    // Not before an operator or the grace period says so.
    let now = chrono::Utc::now();
    assert_eq!(
        termination::begin(&t.db, "tenant-b", now, false).await.unwrap(),
        None
    );
    assert_eq!(
        termination::begin(&t.db, "no-such-tenant", now, true)
            .await
            .unwrap(),
        None
    );
    let tenant = termination::begin(&t.db, "tenant-b", now, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tenant, w.tenant_b);
    // Nothing append-only goes outside the purge, even with its setting forged.
    let su = t.superuser().await;
    let refused = su
        .batch_execute(&format!(
            "begin; select set_config('palisade.purge_tenant', '{b}', true); \
             delete from app.consent_events where tenant_id = '{b}'"
        ))
        .await;
    assert!(refused.is_err(), "a superuser deleted the consent ledger");
    su.batch_execute("rollback").await.unwrap();

    // A budget that runs out stops between batches; the next run goes on from there.
    let first = termination::purge(&t.db, tenant, now, Some(std::time::Duration::ZERO), |_, _| {})
        .await
        .unwrap();
    assert!(!first.finished);
    let mut heard = 0;
    let purged = termination::purge(&t.db, tenant, now, None, |_, n| heard += n)
        .await
        .unwrap();
    assert!(purged.finished);
    assert!(
        heard > 0 && purged.rows["app.leads"] >= 1 && purged.rows["audit.events"] >= 1,
        "{purged:?}"
    );

    assert_eq!(left(&t, &b).await, vec![], "rows of the purged tenant are left");
    assert_eq!(left(&t, &a).await, a_before, "the other tenant lost rows");
    assert_eq!(
        count(
            &t,
            &format!("select count(*) from app.suppressions where tenant_id = '{b}'")
        )
        .await,
        suppressions
    );
    let receipt = su
        .query_one(
            &format!(
                "select t.slug, t.name, t.status, x.purged_at is not null, x.requested_by is null, x.counts \
                      from app.tenants t join app.terminations x on x.tenant_id = t.id where t.id = '{b}'"
            ),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        receipt.get::<_, String>(0),
        format!("purged-{}", b.replace('-', ""))
    );
    assert_eq!(receipt.get::<_, String>(1), "Purged tenant");
    assert_eq!(receipt.get::<_, String>(2), "purged");
    assert!(receipt.get::<_, bool>(3) && receipt.get::<_, bool>(4));
    let counts: serde_json::Value = receipt.get(5);
    assert!(counts["app.leads"].as_i64().unwrap() >= 1, "{counts}");
    assert!(counts["audit.events"].as_i64().unwrap() >= 1, "{counts}");

    // The chain keeps its anchor and what the end of the purge wrote; every chain verifies.
    seal(&t).await;
    let anchored = count(
        &t,
        &format!("select count(*) from audit.chain_anchors where chain_id = '{b}'"),
    )
    .await;
    assert_eq!(anchored, 1);
    let kept = count(
        &t,
        &format!("select count(*) from audit.events where chain_id = '{b}'"),
    )
    .await;
    assert!(
        kept <= 4,
        "only the end of the purge is left in the trail: {kept}"
    );
    let reports = verify(&su, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    // Done is done: nothing more is due, and a second purge finds nothing to start.
    assert!(termination::due(&t.db, now).await.unwrap().is_empty());
    assert_eq!(
        termination::begin(&t.db, "tenant-b", now, true).await.unwrap(),
        None
    );
}
