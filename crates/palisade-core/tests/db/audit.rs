//! The audit trail at the database level: append-only for everyone, tamper-evident, one unbroken
//! chain under concurrent writers, partitions ahead, retention that keeps the chain verifiable,
//! redaction that keeps it verifiable too.
use palisade_core::audit::chain::Break;
use palisade_core::audit::verify::{verify, ChainReport};
use palisade_core::crm::interactions::{self, Channel, Direction, NewInteraction};
use palisade_db::{Principal, Purpose, SET_CONTEXT};
use palisade_testkit::{test_db, TestDb, Who};

fn broken(reports: &[ChainReport]) -> Vec<(String, i64, Break)> {
    reports
        .iter()
        .filter_map(|r| r.broken.clone().map(|(seq, why)| (r.label.clone(), seq, why)))
        .collect()
}

/// Runs the sealer (as the job does) until nothing is pending.
async fn seal(t: &TestDb) -> i32 {
    let mut total = 0;
    loop {
        let mut tx = t.db.system(Purpose::Maintenance).await.unwrap();
        let n: i32 = tx.query_one("select audit.seal(5000)", &[]).await.unwrap().get(0);
        tx.commit().await.unwrap();
        total += n;
        if n < 5000 {
            return total;
        }
    }
}

async fn assert_intact(t: &TestDb) -> Vec<ChainReport> {
    seal(t).await;
    let su = t.superuser().await;
    let reports = verify(&su, None).await.unwrap();
    assert_eq!(broken(&reports), vec![], "chains must verify");
    assert!(reports
        .iter()
        .any(|r| r.label == "tenant tenant-a" && r.checked > 10));
    assert!(reports.iter().any(|r| r.label == "platform"));
    assert!(reports.iter().all(|r| r.pending == 0));
    reports
}

#[tokio::test]
async fn the_fixture_chains_verify() {
    let t = test_db().await;
    assert_intact(&t).await;
}

#[tokio::test]
async fn every_role_is_refused_update_delete_and_truncate_even_the_superuser() {
    let t = test_db().await;
    let mut runtime = t.runtime_client().await;
    let statements = [
        "update audit.events set after = null",
        "delete from audit.events",
        "truncate audit.events",
        "update audit.access_events set detail = '{}'",
        "delete from audit.access_events",
        "truncate audit.access_events",
        "update audit.chain_heads set seq = 1",
        "delete from audit.chain_heads",
        "delete from audit.chain_links",
        "delete from audit.pending",
    ];
    for role in [
        "app_user",
        "app_service",
        "app_auth",
        "app_reporting",
        "palisade_runtime",
    ] {
        for sql in statements {
            let tx = runtime.transaction().await.unwrap();
            if role != "palisade_runtime" {
                let (user, tenant) = (t.world.admin_a.to_string(), t.world.tenant_a.to_string());
                tx.execute(SET_CONTEXT, &[&role, &user, &tenant, &"audit-test", &""])
                    .await
                    .unwrap();
                if role != "app_auth" {
                    palisade_testkit::matrix::enter_context(&tx).await.unwrap();
                }
            }
            let err = tx.batch_execute(sql).await.expect_err(&format!("{role}: {sql}"));
            assert_eq!(
                err.code().map(|c| c.code()),
                Some("42501"),
                "{role}: {sql}: {err}"
            );
            tx.rollback().await.unwrap();
        }
    }
    // The trigger refuses even the superuser (only disabling triggers, which the chain then exposes,
    // gets past it).
    let su = t.superuser().await;
    seal(&t).await;
    for sql in [
        "update audit.events set after = null",
        "delete from audit.events",
        "truncate audit.events",
        "delete from audit.chain_links",
        "update audit.chain_links set hash = hash",
        "truncate audit.chain_links",
        "delete from audit.access_events",
    ] {
        let err = su.batch_execute(sql).await.expect_err(sql);
        assert!(
            err.to_string().contains("append-only")
                || err
                    .as_db_error()
                    .is_some_and(|e| e.message().contains("append-only")),
            "{sql}: {err}"
        );
    }
}

#[tokio::test]
async fn tampering_as_the_superuser_is_found_at_the_right_link() {
    // Each kind of tampering on a fresh, sealed copy: content, metadata, a deleted event, a deleted
    // link, a truncated tail, and an event slipped past the sealer by deleting its queue entry.
    let link3 = "(select event_id from audit.chain_links where chain_id = '{tenant}' and seq = 3)";
    type Expectation = fn(&Break) -> bool;
    let cases: Vec<(String, Expectation)> = vec![
        (
            "update audit.events set after = jsonb_set(after, '{name}', '\"Mallory\"') \
             where table_name = 'leads' and op = 'INSERT' and tenant_id = '{tenant}' \
               and id = (select min(id) from audit.events where table_name = 'leads' and tenant_id = '{tenant}')"
                .into(),
            |b| *b == Break::Content,
        ),
        (
            format!("update audit.events set correlation_id = 'forged' where id = {link3}"),
            |b| *b == Break::Hash,
        ),
        (
            format!("delete from audit.events where id = {link3}"),
            |b| matches!(b, Break::MissingEvent { .. }),
        ),
        (
            "delete from audit.chain_links where chain_id = '{tenant}' and seq = 4".into(),
            |b| matches!(b, Break::Sequence { expected: 4, found: 5 }),
        ),
        (
            "delete from audit.chain_links where chain_id = '{tenant}' \
               and seq = (select max(seq) from audit.chain_links where chain_id = '{tenant}')"
                .into(),
            |b| matches!(b, Break::Head { .. }),
        ),
        (
            "set session_replication_role = origin; \
             insert into app.leads (tenant_id, id, owner_id, name) \
               select tenant_id, gen_random_uuid(), owner_id, 'Ghost' from app.leads where tenant_id = '{tenant}' limit 1; \
             delete from audit.pending"
                .into(),
            |b| matches!(b, Break::Unlinked { .. }),
        ),
    ];
    for (sql, expected) in cases {
        let t = test_db().await;
        seal(&t).await;
        let su = t.superuser().await;
        let tenant = t.world.tenant_a.to_string();
        su.batch_execute(&format!(
            "set session_replication_role = replica; {}; set session_replication_role = origin",
            sql.replace("{tenant}", &tenant)
        ))
        .await
        .unwrap();
        let reports = verify(&su, None).await.unwrap();
        let found = broken(&reports);
        assert_eq!(found.len(), 1, "{sql}: {found:?}");
        let (label, _, why) = &found[0];
        assert_eq!(label, "tenant tenant-a", "{sql}");
        assert!(expected(why), "{sql}: {why:?}");
        // Other tenants' chains are unaffected, and --tenant narrows the walk.
        let b = verify(&su, Some("tenant-b")).await.unwrap();
        assert_eq!(b.len(), 1);
        assert!(b[0].broken.is_none());
    }
}

#[tokio::test]
async fn concurrent_writers_in_one_tenant_make_one_unbroken_chain() {
    let t = test_db().await;
    let w = &t.world;
    seal(&t).await;
    let su = t.superuser().await;
    let before: i64 = su
        .query_one(
            "select seq from audit.chain_heads where chain_id = $1",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    let writers = [
        (Who::RepA1, w.lead_a1),
        (Who::RepA2, w.lead_a2),
        (Who::ManagerA, w.lead_a1),
        (Who::AdminA, w.lead_a2),
    ];
    let mut tasks = Vec::new();
    for task in 0..8 {
        let (who, lead) = writers[task % writers.len()];
        let principal: Principal = w.principal(who).unwrap();
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..25 {
                let mut tx = db.user(&principal).await.unwrap();
                interactions::create(
                    &mut tx,
                    principal.tenant_id.unwrap(),
                    principal.user_id,
                    &NewInteraction {
                        lead_id: lead,
                        channel: Channel::Note,
                        direction: Direction::Internal,
                        body: Some("concurrent".into()),
                        occurred_at: None,
                        advised: false,
                    },
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    // The sealer runs while they write, as the job does every second.
    let sealing = {
        let db = t.db.clone();
        tokio::spawn(async move {
            let mut linked = 0;
            for _ in 0..40 {
                let mut tx = db.system(Purpose::Maintenance).await.unwrap();
                let n: i32 = tx.query_one("select audit.seal(50)", &[]).await.unwrap().get(0);
                tx.commit().await.unwrap();
                linked += n;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            linked
        })
    };
    for task in tasks {
        task.await.unwrap();
    }
    assert!(
        sealing.await.unwrap() > 0,
        "the sealer linked events while writers wrote"
    );
    // Whatever is left is linked now, so the counts below are exact.
    seal(&t).await;
    let (head, events, distinct): (i64, i64, i64) = {
        let row = su
            .query_one(
                "select (select seq from audit.chain_heads where chain_id = $1), count(*), count(distinct seq) \
                 from audit.chain_links where chain_id = $1",
                &[w.tenant_a.as_uuid()],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(head, before + 200, "every write is one link");
    assert_eq!((events, distinct), (head, head), "no gaps, no forks");
    let recorded: i64 = su
        .query_one(
            "select count(*) from audit.events where chain_id = $1",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, head, "every event is linked exactly once");
    assert_intact(&t).await;
}

#[tokio::test]
async fn partitions_exist_for_the_coming_year() {
    let t = test_db().await;
    let su = t.superuser().await;
    let ahead: i32 = su
        .query_one("select audit.partition_months_ahead()", &[])
        .await
        .unwrap()
        .get(0);
    assert!(ahead >= 12, "only {ahead} months ahead");
    let next: bool = su
        .query_one(
            "select to_regclass('audit.events_p' || to_char(date_trunc('month', now() at time zone 'UTC') \
               + interval '1 month', 'YYYY_MM')) is not null",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(next);
    // The maintenance job's function is idempotent.
    let mut tx = t.db.system(Purpose::Maintenance).await.unwrap();
    let made: i32 = tx
        .query_one("select audit.ensure_partitions(12)", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!(made, 0);
}

#[tokio::test]
async fn retention_drops_old_partitions_and_the_chain_still_verifies_from_its_anchor() {
    let t = test_db().await;
    let su = t.superuser().await;
    let tenant = t.world.tenant_a.to_string();
    seal(&t).await;
    // Age the first five links of tenant A's chain, with their events, into 2010 partitions (only a
    // superuser with triggers off can do this; the moved rows keep their hashes).
    su.batch_execute(&format!(
        "set role palisade_definer; \
         create table audit.events_p2010_01 partition of audit.events \
           for values from ('2010-01-01 00:00:00+00') to ('2010-02-01 00:00:00+00'); \
         create table audit.chain_links_p2010_01 partition of audit.chain_links \
           for values from ('2010-01-01 00:00:00+00') to ('2010-02-01 00:00:00+00'); \
         alter table audit.events_p2010_01 enable row level security; \
         alter table audit.events_p2010_01 force row level security; \
         alter table audit.chain_links_p2010_01 enable row level security; \
         alter table audit.chain_links_p2010_01 force row level security; \
         reset role; \
         set session_replication_role = replica; \
         create temp table moved_links as select * from audit.chain_links where chain_id = '{tenant}' and seq <= 5; \
         create temp table moved_events as select * from audit.events where id in (select event_id from moved_links); \
         delete from audit.chain_links where chain_id = '{tenant}' and seq <= 5; \
         delete from audit.events where id in (select event_id from moved_links); \
         update moved_links set occurred_at = '2010-01-15 00:00:00+00'; \
         update moved_events set occurred_at = '2010-01-15 00:00:00+00'; \
         insert into audit.chain_links select * from moved_links; \
         insert into audit.events select * from moved_events; \
         set session_replication_role = origin;"
    ))
    .await
    .unwrap();
    let old: i64 = su
        .query_one("select count(*) from audit.events_p2010_01", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(old, 5);
    // With 7 years' retention, 2010 is long gone: the job drops that partition and only that one.
    let mut tx = t.db.system(Purpose::Maintenance).await.unwrap();
    let dropped: Vec<String> = tx
        .query("select * from audit.drop_expired_partitions()", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    tx.commit().await.unwrap();
    assert_eq!(dropped, vec!["events_p2010_01".to_owned()]);
    let anchor: i64 = su
        .query_one(
            "select seq from audit.chain_anchors where chain_id = $1",
            &[t.world.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(anchor, 5);
    assert_intact(&t).await;
    // Retention is an operator setting the runtime cannot change.
    su.batch_execute("update audit.settings set retention_months = 1200")
        .await
        .unwrap();
}

#[tokio::test]
async fn redaction_blanks_content_of_a_deleted_lead_only_and_the_chain_still_verifies() {
    let t = test_db().await;
    let w = &t.world;
    let redact = async |purpose: Purpose| {
        let mut tx = t.db.service(w.tenant_a, purpose).await.unwrap();
        let r = tx.query_one("select audit.redact_lead($1)", &[&w.lead_a1]).await;
        match r {
            Ok(row) => {
                tx.commit().await.unwrap();
                Ok(row.get::<_, i64>(0))
            }
            Err(e) => Err(e),
        }
    };
    // Not for a live lead, and not outside an erasure.
    assert!(redact(Purpose::Erasure).await.is_err(), "live lead");
    let mut tx = t.db.service(w.tenant_a, Purpose::Erasure).await.unwrap();
    tx.execute(
        "delete from app.leads where tenant_id = $1 and id = $2",
        &[w.tenant_a.as_uuid(), &w.lead_a1],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(redact(Purpose::Webhook).await.is_err(), "wrong purpose");
    let n = redact(Purpose::Erasure).await.unwrap();
    assert!(n >= 3, "the lead, its deal and interactions: {n}");
    let su = t.superuser().await;
    let left: i64 = su
        .query_one(
            "select count(*) from audit.events where lead_id = $1 and (before is not null or after is not null)",
            &[&w.lead_a1],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'audit_redaction' and target_id = $1 \
               and purpose = 'erasure' and tenant_id = $2",
            &[&w.lead_a1.to_string(), w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
    assert_intact(&t).await;
}
