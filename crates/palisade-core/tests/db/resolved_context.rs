//! The caller is resolved once per transaction by `ctx.enter()` (migration 0031), and the policies
//! read what it resolved. These tests hold what that may and may not change: each kind of loss of
//! access refuses the person from their next transaction; a transaction that skipped `ctx.enter()`
//! acts as nobody; nothing resolved outlives its transaction; and the policies really are reduced to
//! reading settings (no definer call per statement).
use std::time::Duration;

use palisade_db::{Db, DbError, PoolSettings, SessionCheck, SET_CONTEXT};
use palisade_testkit::{test_db, TestDb, Who};

const LEADS: &str = "select count(*) as n from app.leads";

async fn visible_leads(db: &Db, t: &TestDb, who: Who) -> Result<i64, DbError> {
    let mut tx = db.user(&t.world.principal(who).unwrap()).await?;
    let n: i64 = tx.query_one(LEADS, &[]).await?.get("n");
    tx.commit().await?;
    Ok(n)
}

async fn superuser(t: &TestDb, sql: &str, who: Who) {
    let (_, user, _) = t.world.context(who);
    t.superuser().await.execute(sql, &[&user.unwrap()]).await.unwrap();
}

#[tokio::test]
async fn a_removed_or_suspended_member_is_refused_from_the_next_transaction() {
    let t = test_db().await;
    for status in ["suspended", "removed"] {
        assert!(visible_leads(&t.db, &t, Who::RepA1).await.unwrap() > 0);
        let sql = format!("update app.memberships set status = '{status}' where user_id = $1");
        superuser(&t, &sql, Who::RepA1).await;
        let err = visible_leads(&t.db, &t, Who::RepA1).await.unwrap_err();
        assert!(matches!(err, DbError::NotMember), "{status}: {err:?}");
        superuser(
            &t,
            "update app.memberships set status = 'active' where user_id = $1",
            Who::RepA1,
        )
        .await;
    }
}

#[tokio::test]
async fn a_disabled_person_is_nobody_from_the_next_transaction() {
    let t = test_db().await;
    superuser(
        &t,
        "update app.users set disabled_at = now() where id = $1",
        Who::RepA1,
    )
    .await;
    let err = visible_leads(&t.db, &t, Who::RepA1).await.unwrap_err();
    assert!(matches!(err, DbError::NotMember), "{err:?}");
    // Outside any tenant too: ctx.user_id() is null for them.
    let principal = palisade_db::Principal {
        tenant_id: None,
        ..t.world.principal(Who::RepA1).unwrap()
    };
    let mut tx = t.db.user(&principal).await.unwrap();
    let me: Option<uuid::Uuid> = tx
        .query_one("select ctx.user_id() as me", &[])
        .await
        .unwrap()
        .get("me");
    assert_eq!(me, None);
}

#[tokio::test]
async fn an_ended_session_is_refused_from_the_next_transaction() {
    let t = test_db().await;
    let principal = t.world.principal(Who::RepA2).unwrap();
    let session = SessionCheck {
        session_id: t.world.session_a2,
        secret_hash: None,
        now: chrono::Utc::now(),
        idle: Duration::from_secs(3600),
    };
    let mut tx = t.db.user_in_session(&principal, &session).await.unwrap();
    assert!(tx.query_one(LEADS, &[]).await.unwrap().get::<_, i64>("n") > 0);
    tx.commit().await.unwrap();
    t.superuser()
        .await
        .execute(
            "update auth.sessions set ended_at = now(), end_reason = 'ended_by_admin' where id = $1",
            &[&t.world.session_a2],
        )
        .await
        .unwrap();
    let mut tx = t.db.user_in_session(&principal, &session).await.unwrap();
    let err = tx.query_one(LEADS, &[]).await.unwrap_err();
    assert!(matches!(err, DbError::SessionEnded), "{err:?}");
}

#[tokio::test]
async fn a_transaction_already_running_keeps_what_it_resolved() {
    // The documented trade-off: the change lands from the next transaction, as if the running one had
    // finished first.
    let t = test_db().await;
    let mut tx = t.db.user(&t.world.principal(Who::RepA1).unwrap()).await.unwrap();
    let before: i64 = tx.query_one(LEADS, &[]).await.unwrap().get("n");
    superuser(
        &t,
        "update app.memberships set status = 'removed' where user_id = $1",
        Who::RepA1,
    )
    .await;
    let during: i64 = tx.query_one(LEADS, &[]).await.unwrap().get("n");
    assert_eq!(during, before);
    tx.commit().await.unwrap();
    assert!(matches!(
        visible_leads(&t.db, &t, Who::RepA1).await,
        Err(DbError::NotMember)
    ));
}

#[tokio::test]
async fn without_ctx_enter_a_context_acts_as_nobody() {
    let t = test_db().await;
    let mut raw = t.runtime_client().await;
    let tx = raw.transaction().await.unwrap();
    let (_, user, tenant) = t.world.context(Who::AdminA);
    let (user, tenant) = (user.unwrap().to_string(), tenant.unwrap().to_string());
    tx.execute(SET_CONTEXT, &[&"app_user", &user, &tenant, &"test", &""])
        .await
        .unwrap();
    let row = tx
        .query_one(
            "select (select count(*) from app.leads) as leads, (select count(*) from app.memberships) as members, \
               ctx.user_id() as me, ctx.has_role('rep') as rep",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>("leads"), 0);
    assert_eq!(row.get::<_, i64>("members"), 0);
    assert_eq!(row.get::<_, Option<uuid::Uuid>>("me"), None);
    assert!(!row.get::<_, bool>("rep"));
}

#[tokio::test]
async fn nothing_resolved_outlives_its_transaction() {
    let t = test_db().await;
    let db = Db::connect(
        &t.runtime,
        &PoolSettings {
            max_size: 1,
            ..PoolSettings::default()
        },
    )
    .await
    .unwrap();
    let principal = t.world.principal(Who::AdminA).unwrap();
    let mut tx = db.user(&principal).await.unwrap();
    let pid: i32 = tx
        .query_one("select pg_backend_pid() as pid", &[])
        .await
        .unwrap()
        .get("pid");
    tx.commit().await.unwrap();
    let mut tx = db.auth().await.unwrap();
    let row = tx
        .query_one(
            "select pg_backend_pid() as pid, \
               concat_ws('/', current_setting('palisade.acting_user', true), \
                 current_setting('palisade.acting_tenant', true), current_setting('palisade.acting_role', true), \
                 current_setting('palisade.acting_scope', true), \
                 current_setting('palisade.acting_platform', true)) as acting",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>("pid"), pid, "the same pooled connection");
    assert_eq!(row.get::<_, String>("acting"), "////");
}

#[tokio::test]
async fn policies_read_settings_and_call_no_function() {
    // The point of 0031: under a policy, ctx.tenant_id() and ctx.has_role() are inlined into reads of
    // the resolved settings instead of definer calls re-checking the membership per statement.
    let t = test_db().await;
    let mut tx =
        t.db.user(&t.world.principal(Who::ManagerA).unwrap())
            .await
            .unwrap();
    let plan: Vec<String> = tx
        .query(
            "explain (verbose, costs off) select id from app.leads order by id limit 50",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("palisade.acting_tenant"), "{plan}");
    assert!(plan.contains("palisade.acting_role"), "{plan}");
    assert!(!plan.contains("ctx."), "a ctx function is still called:\n{plan}");
}

#[tokio::test]
async fn the_helpers_policies_call_can_be_inlined_and_only_ctx_enter_resolves() {
    let t = test_db().await;
    let su = t.superuser().await;
    // Inlinable: plain SQL, invoker rights, no SET clause. A definer or SET clause would silently put
    // a function call (and a GUC save and restore) back under every policy.
    let not_inlinable: Vec<String> = su
        .query(
            "select p.oid::regprocedure::text as f from pg_proc p \
             where p.oid in ('ctx.user_id()'::regprocedure, 'ctx.tenant_id()'::regprocedure, \
               'ctx.tenant_role()'::regprocedure, 'ctx.has_role(text)'::regprocedure, \
               'ctx.scoped_tenant_id()'::regprocedure, 'ctx.is_platform_admin()'::regprocedure, \
               'ctx.sign_in_rule_broken(boolean, text[], text[], text, text)'::regprocedure, \
               'ctx.membership_blocked(boolean, text[], text[], text, text, timestamptz)'::regprocedure) \
               and (p.prolang <> (select l.oid from pg_language l where l.lanname = 'sql') \
                    or p.prosecdef or p.proconfig is not null)",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("f"))
        .collect();
    assert!(not_inlinable.is_empty(), "{not_inlinable:?}");
    let callers: Vec<String> = su
        .query(
            "select r.rolname::text as role from pg_roles r \
             where has_function_privilege(r.oid, 'ctx.enter(uuid, bytea, timestamptz, interval)', 'execute') \
               and r.rolname like 'app\\_%' order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("role"))
        .collect();
    assert_eq!(callers, ["app_reporting", "app_service", "app_user"]);
}
