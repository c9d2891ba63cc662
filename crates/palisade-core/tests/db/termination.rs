//! Tenant termination in the database: the purge reaches every table that holds a tenant's rows,
//! empties them all for the purged tenant and touches no other, keeps the suppressions and an audit
//! anchor from which every chain still verifies, and nobody but the termination job, working on a
//! tenant whose purge has begun, can delete anything append-only.
use std::collections::BTreeSet;
use std::time::Duration;

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
    assert!(
        body.contains("app.purge_tables()"),
        "the purge reads its list from app.purge_tables()"
    );
    let listed: Vec<String> = su
        .query_one("select app.purge_tables()", &[])
        .await
        .unwrap()
        .get(0);
    for table in tenant_tables(&t).await {
        if KEPT.iter().any(|(k, _)| *k == table) {
            continue;
        }
        assert!(
            listed.contains(&table),
            "app.purge_tables() does not list {table}: purge it, or keep it in KEPT with the reason"
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
            let purging = qual == "(tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id))";
            roles == ["palisade_definer"]
                && if DEFINER_WIDE.contains(&table.as_str()) {
                    cmd == "ALL" && qual == "true"
                } else {
                    purging
                        && ((cmd == "SELECT" && policy == format!("{name}_purge_read"))
                            || (cmd == "DELETE" && policy == format!("{name}_purge")))
                }
        };
        let matching = policies.iter().filter(|r| purges(r)).count();
        let wanted = if DEFINER_WIDE.contains(&table.as_str()) {
            1
        } else {
            2
        };
        assert!(
            matching >= wanted,
            "{table} lacks a policy letting the purge read and delete its rows of the tenant being purged (and those only)"
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
    seal(&t).await;
    let a_before = left(&t, &a).await;
    let b_before = left(&t, &b).await;
    assert!(
        a_before.len() >= 20,
        "the fixture fills most tables: {a_before:?}"
    );
    let suppressions = format!("select count(*) from app.suppressions where tenant_id = '{a}'");
    let kept = count(&t, &suppressions).await;
    assert!(kept >= 1);

    // The job purges nothing before a grace period is over, and the runtime login cannot skip one.
    assert_eq!(termination::begin(&t.db, "tenant-a").await.unwrap(), None);
    let mut tx = t.db.system(Purpose::Termination).await.unwrap();
    let refused = tx
        .query_one("select app.begin_purge('tenant-a', true)", &[])
        .await;
    assert!(refused.is_err(), "the runtime login started a purge at once");
    drop(tx);
    let su = t.superuser().await;
    assert_eq!(
        termination::begin_at_once(&su, "no-such-tenant").await.unwrap(),
        None
    );
    let tenant = termination::begin_at_once(&su, "tenant-a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tenant, w.tenant_a);
    // Nothing append-only goes outside the purge's functions, even with its setting named.
    let refused = su
        .batch_execute(&format!(
            "begin; select set_config('palisade.purge_tenant', '{a}', true); \
             delete from app.consent_events where tenant_id = '{a}'"
        ))
        .await;
    assert!(refused.is_err(), "a superuser deleted the consent ledger");
    su.batch_execute("rollback").await.unwrap();

    // One batch per run (a budget of a millisecond): the purge resumes from what every run left, the
    // chains verify after each, and it finishes.
    let mut runs = 0;
    let mut deleted = 0;
    let mut trail_deleted = 0;
    loop {
        runs += 1;
        let purged = termination::purge(&t.db, tenant, Some(Duration::from_millis(1)), |table, n| {
            deleted += n;
            if table == "audit.events" {
                trail_deleted += n;
            }
        })
        .await
        .unwrap();
        seal(&t).await;
        let reports = verify(&su, None).await.unwrap();
        assert!(
            reports.iter().all(|r| r.broken.is_none()),
            "after run {runs}: {reports:?}"
        );
        if purged.finished {
            break;
        }
        assert!(runs < 500, "the purge does not finish");
    }
    assert!(runs > 10 && deleted > 100, "{runs} runs, {deleted} rows");

    assert_eq!(left(&t, &a).await, vec![], "rows of the purged tenant are left");
    assert_eq!(left(&t, &b).await, b_before, "the other tenant lost rows");
    assert_eq!(count(&t, &suppressions).await, kept);
    let receipt = su
        .query_one(
            &format!(
                "select t.slug, t.name, t.status, x.purged_at is not null, x.counts from app.tenants t \
                 join app.terminations x on x.tenant_id = t.id and x.canceled_at is null where t.id = '{a}'"
            ),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        receipt.get::<_, String>(0),
        format!("purged-{}", a.replace('-', ""))
    );
    assert_eq!(receipt.get::<_, String>(1), "Purged tenant");
    assert_eq!(receipt.get::<_, String>(2), "purged");
    assert!(receipt.get::<_, bool>(3));
    let counts: serde_json::Value = receipt.get(4);
    assert!(counts["app.leads"].as_i64().unwrap() >= 1, "{counts}");
    // Every event the chain phases of all runs deleted, and nothing else.
    assert!(trail_deleted > 100);
    assert_eq!(counts["audit.events"], trail_deleted, "{counts}");
    assert!(counts.get("audit.anchor_before").is_none(), "{counts}");

    // What stays names no one: no admin on any termination (the fixture's canceled one included), and
    // the few events the end of the purge wrote after the anchor hold no person's id.
    let named = format!(
        "select count(*) from app.terminations where tenant_id = '{a}' \
         and (requested_by is not null or canceled_by is not null)"
    );
    assert_eq!(count(&t, &named).await, 0);
    assert_eq!(
        count(
            &t,
            &format!("select count(*) from audit.chain_anchors where chain_id = '{a}'")
        )
        .await,
        1
    );
    let trail: Vec<String> = su
        .query(
            &format!("select coalesce(before::text, '') || coalesce(after::text, '') from audit.events where chain_id = '{a}'"),
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        trail.len() <= 4,
        "only the end of the purge is left in the trail: {trail:?}"
    );
    for person in [w.admin_a, w.manager_a, w.rep_a1, w.rep_a2] {
        assert!(
            trail.iter().all(|e| !e.contains(&person.to_string())),
            "{trail:?}"
        );
    }
    // Done is done: nothing more is due, and the slug is free of it.
    assert!(termination::due(&t.db).await.unwrap().is_empty());
    assert_eq!(termination::begin_at_once(&su, "tenant-a").await.unwrap(), None);
}
