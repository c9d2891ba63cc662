//! Retention: what is older than a tenant's periods is deleted class by class (counted first with a
//! dry run), what is younger or still waiting to be sent stays, other tenants are untouched, the trail's
//! copies of a deleted interaction are blanked, and every audit chain still verifies.
use std::time::Duration;

use palisade_core::audit::verify::verify;
use palisade_core::privacy::retention::{self, DataClass};
use palisade_core::CoreError;
use palisade_testkit::{test_db, TestDb, Who};

/// Rows past every default or set period in tenant A (and one in tenant B's access log), planted as
/// the product would have written them long ago.
async fn plant_old_rows(t: &TestDb) {
    let w = &t.world;
    let su = t.superuser().await;
    let sql = format!(
        "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body, occurred_at, created_at) \
         values ('{a}', gen_random_uuid(), '{l}', '{r}', 'note', 'internal', 'Old note to forget', now() - interval '400 days', \
                 now() - interval '400 days'), \
           ('{a}', gen_random_uuid(), '{l}', '{r}', 'call', 'outbound', 'Old call transcript', now() - interval '400 days', \
            now() - interval '400 days'), \
           ('{a}', gen_random_uuid(), '{l}', '{r}', 'note', 'internal', 'Backdated today', now() - interval '400 days', now()); \
         insert into app.outbound_messages (tenant_id, id, lead_id, channel, purpose, body, status, created_at, created_by) values \
           ('{a}', gen_random_uuid(), '{l}', 'sms', 'marketing', 'Old delivered mail', 'delivered', now() - interval '800 days', '{r}'), \
           ('{a}', gen_random_uuid(), '{l}', 'sms', 'marketing', 'Old queued mail', 'queued', now() - interval '800 days', '{r}'); \
         insert into app.drafts (tenant_id, id, owner_id, lead_id, channel, body, updated_at) values \
           ('{a}', gen_random_uuid(), '{r}', '{l}', 'sms', 'Stale draft', now() - interval '200 days'); \
         insert into app.webhook_events (tenant_id, provider, event_id, kind, received_at) values \
           ('{a}', 'twilio', 'SM-old', 'message', now() - interval '100 days'); \
         insert into app.error_events (fingerprint, severity, surface, tenant_id, code, message, first_seen, last_seen) values \
           (sha256('old'), 'error', 'job', '{a}', 'old', 'an old failure', now() - interval '100 days', now() - interval '100 days'); \
         insert into audit.access_events (tenant_id, actor_kind, action, occurred_at) values \
           ('{a}', 'system', 'data_export', now() - interval '500 days'), ('{b}', 'system', 'data_export', now() - interval '500 days');",
        a = w.tenant_a,
        b = w.tenant_b,
        l = w.lead_a1,
        r = w.rep_a1,
    );
    su.batch_execute(&sql).await.unwrap();
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    t.superuser().await.query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn a_sweep_deletes_what_is_past_each_period_and_nothing_else() {
    let t = test_db().await;
    let w = &t.world;
    plant_old_rows(&t).await;
    let admin = w.principal(Who::AdminA).unwrap();
    let mut tx = t.db.user(&admin).await.unwrap();
    for class in [DataClass::Interactions, DataClass::Transcripts] {
        retention::set(&mut tx, w.tenant_a, admin.user_id, class, Some(365))
            .await
            .unwrap();
    }
    retention::set(&mut tx, w.tenant_a, admin.user_id, DataClass::Messages, Some(730))
        .await
        .unwrap();
    let refused = retention::set(&mut tx, w.tenant_a, admin.user_id, DataClass::AccessLog, Some(30)).await;
    assert!(
        matches!(
            refused,
            Err(CoreError::Refused {
                code: "below_minimum",
                ..
            })
        ),
        "{refused:?}"
    );
    tx.commit().await.unwrap();
    let before_b = count(
        &t,
        &format!(
            "select count(*) from audit.access_events where tenant_id = '{}'",
            w.tenant_b
        ),
    )
    .await;

    let dry = retention::sweep(&t.db, w.tenant_a, true, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        dry.rows.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        vec![1, 1, 1, 1, 1, 1, 1],
        "{dry:?}"
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from app.interactions where body like 'Old %'"
        )
        .await,
        2,
        "a dry run deletes nothing"
    );

    let swept = retention::sweep(&t.db, w.tenant_a, false, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(swept.total(), 7, "{swept:?}");
    for gone in [
        "select count(*) from app.interactions where body like 'Old %'",
        "select count(*) from app.outbound_messages where body = 'Old delivered mail'",
        "select count(*) from app.drafts where body = 'Stale draft'",
        "select count(*) from app.webhook_events where event_id = 'SM-old'",
        "select count(*) from app.error_events where code = 'old'",
    ] {
        assert_eq!(count(&t, gone).await, 0, "{gone}");
    }
    let old_access =
        "select count(*) from audit.access_events where occurred_at < now() - interval '450 days'";
    assert_eq!(
        count(&t, &format!("{old_access} and tenant_id = '{}'", w.tenant_a)).await,
        0
    );
    // Still waiting to go, younger, written today though dated long ago, or another tenant's: kept.
    assert_eq!(
        count(
            &t,
            "select count(*) from app.interactions where body = 'Backdated today'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t,
            "select count(*) from app.outbound_messages where body = 'Old queued mail'"
        )
        .await,
        1
    );
    assert!(count(&t, "select count(*) from app.interactions").await > 0);
    let after_b = count(
        &t,
        &format!(
            "select count(*) from audit.access_events where tenant_id = '{}'",
            w.tenant_b
        ),
    )
    .await;
    assert_eq!(after_b, before_b, "tenant B's access log is B's");
    // The trail no longer holds the deleted notes, and its chains verify.
    let text = count(
        &t,
        "select count(*) from audit.events where (before::text || after::text) like '%Old note to forget%' \
                          or (before::text || after::text) like '%Old call transcript%'",
    )
    .await;
    assert_eq!(text, 0);
    let redacted = count(
        &t,
        "select count(*) from audit.events where table_name = 'interactions' and redacted_at is not null",
    )
    .await;
    assert!(
        redacted >= 4,
        "the inserts and the deletions of both notes: {redacted}"
    );
    let su = t.superuser().await;
    while su
        .query_one("select audit.seal(10000)", &[])
        .await
        .map(|r| r.get::<_, i32>(0) > 0)
        .unwrap_or(false)
    {}
    let reports = verify(&su, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    // A second run finds nothing.
    let again = retention::sweep(&t.db, w.tenant_a, false, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(again.total(), 0);
}

#[tokio::test]
async fn only_admins_set_periods_and_only_the_sweep_deletes() {
    let t = test_db().await;
    let w = &t.world;
    let manager = w.principal(Who::ManagerA).unwrap();
    let mut tx = t.db.user(&manager).await.unwrap();
    let refused = retention::set(&mut tx, w.tenant_a, manager.user_id, DataClass::Drafts, Some(30)).await;
    assert!(refused.is_err(), "a manager sets no period");
    drop(tx);
    let mut tx =
        t.db.service(w.tenant_a, palisade_db::Purpose::Webhook)
            .await
            .unwrap();
    let other = tx
        .query("select app.retention_sweep('drafts', 10, false)", &[])
        .await;
    assert!(other.is_err(), "only the retention purpose sweeps");
}

#[tokio::test]
async fn the_access_log_loses_rows_only_inside_the_sweep() {
    let t = test_db().await;
    let w = &t.world;
    plant_old_rows(&t).await;
    // The settings the sweep uses are not enough outside it: not even the superuser may delete with them.
    let su = t.superuser().await;
    let sql = format!(
        "begin; set local palisade.access_retention_tenant = '{}'; \
         set local palisade.access_retention_before = 'infinity'; \
         delete from audit.access_events where tenant_id = '{}'",
        w.tenant_a, w.tenant_a
    );
    let refused = su
        .batch_execute(&sql)
        .await
        .expect_err("a delete outside the sweep");
    assert!(format!("{refused:?}").contains("append-only"), "{refused:?}");
    su.batch_execute("rollback").await.unwrap();
    let old = format!(
        "select count(*) from audit.access_events where tenant_id = '{}' and occurred_at < now() - interval '450 days'",
        w.tenant_a
    );
    assert_eq!(count(&t, &old).await, 1, "nothing went");
}
