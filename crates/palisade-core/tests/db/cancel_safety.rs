//! A request dropped mid-transaction must never leak its identity or role into the next use of the
//! pooled connection, and the pool must refuse privileged logins.
use std::time::Duration;

use palisade_db::{Db, DbError, PoolSettings};
use palisade_testkit::{test_db, Who};

async fn single_connection_pool(t: &palisade_testkit::TestDb) -> Db {
    Db::connect(
        &t.runtime,
        &PoolSettings {
            max_size: 1,
            ..PoolSettings::default()
        },
    )
    .await
    .unwrap()
}

/// What the next user of the (only) pooled connection sees.
async fn next_use(db: &Db) -> (i32, String, String, String) {
    let mut tx = db.auth().await.unwrap();
    let row = tx
        .query_one(
            "select pg_backend_pid(), current_user::text, \
               concat(current_setting('palisade.user_id', true), \
                 current_setting('palisade.acting_user', true), current_setting('palisade.acting_platform', true)), \
               concat(current_setting('palisade.tenant_id', true), current_setting('palisade.acting_tenant', true), \
                 current_setting('palisade.acting_role', true), current_setting('palisade.acting_scope', true))",
            &[],
        )
        .await
        .unwrap();
    let out = (row.get(0), row.get(1), row.get(2), row.get(3));
    tx.commit().await.unwrap();
    out
}

#[tokio::test]
async fn a_request_cancelled_mid_statement_leaks_nothing() {
    let t = test_db().await;
    let db = single_connection_pool(&t).await;
    let principal = t.world.principal(Who::AdminA).unwrap();
    let (pid_tx, pid_rx) = tokio::sync::oneshot::channel();
    let request = async {
        let mut tx = db.user(&principal).await.unwrap();
        let pid: i32 = tx.query_one("select pg_backend_pid()", &[]).await.unwrap().get(0);
        pid_tx.send(pid).unwrap();
        tx.query("select pg_sleep(2)", &[]).await.unwrap();
        unreachable!("the request is cancelled before the statement ends");
    };
    // Wait for the request to reach its statement (however slow the machine), then the client goes
    // away: the request future is dropped while the statement runs.
    let mut request = Box::pin(request);
    let pid = tokio::select! {
        pid = pid_rx => pid.unwrap(),
        _ = &mut request => unreachable!("the request ends only by cancellation"),
    };
    assert!(tokio::time::timeout(Duration::from_millis(200), &mut request)
        .await
        .is_err());
    drop(request);
    let (next_pid, role, user, tenant) = next_use(&db).await;
    assert_eq!(next_pid, pid, "the test must reuse the same physical connection");
    assert_eq!(role, "app_auth");
    assert_eq!(user, "", "the cancelled request's user id leaked");
    assert_eq!(tenant, "", "the cancelled request's tenant id leaked");
}

#[tokio::test]
async fn a_transaction_dropped_without_commit_rolls_back_and_leaks_nothing() {
    let t = test_db().await;
    let db = single_connection_pool(&t).await;
    let principal = t.world.principal(Who::RepA1).unwrap();
    {
        let mut tx = db.user(&principal).await.unwrap();
        let n = tx
            .execute(
                "update app.leads set name = 'never committed' where id = $1",
                &[&t.world.lead_a1],
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        // Dropped here, as when a handler returns early with `?`.
    }
    let (_, role, user, tenant) = next_use(&db).await;
    assert_eq!(
        (role.as_str(), user.as_str(), tenant.as_str()),
        ("app_auth", "", "")
    );
    let su = t.superuser().await;
    let name: String = su
        .query_one("select name from app.leads where id = $1", &[&t.world.lead_a1])
        .await
        .unwrap()
        .get(0);
    assert_ne!(name, "never committed");
}

#[tokio::test]
async fn without_a_context_the_runtime_login_sees_nothing() {
    let t = test_db().await;
    let raw = t.runtime_client().await;
    let err = raw
        .query("select count(*) from app.leads", &[])
        .await
        .unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("42501"));
}

#[tokio::test]
async fn the_pool_refuses_a_privileged_login() {
    let t = test_db().await;
    let err = Db::connect(&t.admin, &PoolSettings::default()).await.unwrap_err();
    assert!(
        matches!(err, DbError::Unavailable(ref m) if m.contains("refusing")),
        "{err}"
    );
}

#[tokio::test]
async fn the_pool_refuses_a_login_that_could_become_the_owner() {
    let t = test_db().await;
    let su = t.superuser().await;
    // Roles belong to the cluster, which tests share: a name of this test's own.
    let role = format!("owner_member_{}", uuid::Uuid::new_v4().simple());
    su.batch_execute(&format!(
        "create role {role} login noinherit nosuperuser nobypassrls; grant palisade_owner to {role}"
    ))
    .await
    .unwrap();
    let err = Db::connect(&t.admin.with_user(&role, None), &PoolSettings::default())
        .await
        .unwrap_err();
    su.batch_execute(&format!("drop owned by {role}; drop role {role}"))
        .await
        .unwrap();
    assert!(
        matches!(err, DbError::Unavailable(ref m) if m.contains("palisade_owner")),
        "{err}"
    );
}
