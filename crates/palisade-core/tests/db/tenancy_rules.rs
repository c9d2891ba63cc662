//! Membership rules decided by the database: removed members see nothing whatever their token says;
//! the last admin stays; concurrent demotions cannot leave a tenant without an admin.
use palisade_core::CoreError;
use palisade_core::{membership, tenancy};
use palisade_db::{DbError, Principal, TenantRole, UserId};
use palisade_testkit::{test_db, Who};

#[tokio::test]
async fn a_removed_member_gets_nothing_of_the_tenant() {
    let t = test_db().await;
    let principal = t.world.principal(Who::RemovedA).unwrap();
    let mut tx = t.db.user(&principal).await.unwrap();
    let err = tx.query("select count(*) from app.leads", &[]).await.unwrap_err();
    assert!(matches!(err, DbError::NotMember), "{err:?}");
    // Nothing more runs in that transaction, and it cannot be committed.
    assert!(matches!(tx.query("select 1", &[]).await, Err(DbError::NotMember)));
    assert!(matches!(tx.commit().await, Err(DbError::NotMember)));
}

#[tokio::test]
async fn removing_a_member_takes_effect_on_their_next_statement() {
    let t = test_db().await;
    let w = &t.world;
    let rep = t.world.principal(Who::RepA2).unwrap();
    let mut tx = t.db.user(&rep).await.unwrap();
    tx.query("select 1", &[]).await.unwrap();
    tx.commit().await.unwrap();

    let mut admin = t.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    tenancy::remove_member(&mut admin, w.tenant_a, w.rep_a2)
        .await
        .unwrap();
    admin.commit().await.unwrap();

    let mut tx = t.db.user(&rep).await.unwrap();
    assert!(matches!(tx.query("select 1", &[]).await, Err(DbError::NotMember)));
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_or_demoted() {
    let t = test_db().await;
    let w = &t.world;
    let mut tx = t.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let err = tenancy::remove_member(&mut tx, w.tenant_a, w.admin_a)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Conflict {
                code: "last_admin",
                ..
            }
        ),
        "{err:?}"
    );
    drop(tx);
    let mut tx = t.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let err = tenancy::change_role(&mut tx, w.tenant_a, w.admin_a, TenantRole::Manager)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Conflict {
                code: "last_admin",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let t = test_db().await;
    let w = &t.world;
    // Make rep_a2 a second admin.
    let mut tx = t.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    tenancy::change_role(&mut tx, w.tenant_a, w.rep_a2, TenantRole::Admin)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let demote = |actor: UserId, target: UserId| {
        let db = t.db.clone();
        let tenant = w.tenant_a;
        async move {
            let mut tx = db
                .user(&Principal {
                    user_id: actor,
                    tenant_id: Some(tenant),
                })
                .await?;
            tenancy::change_role(&mut tx, tenant, target, TenantRole::Rep).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(())
        }
    };
    let (a, b) = tokio::join!(demote(w.admin_a, w.rep_a2), demote(w.rep_a2, w.admin_a));
    assert_eq!(
        a.is_ok() as u8 + b.is_ok() as u8,
        1,
        "exactly one demotion wins: {a:?} {b:?}"
    );
    let su = t.superuser().await;
    let admins: i64 = su
        .query_one(
            "select count(*) from app.memberships where tenant_id = $1 and role = 'admin' and status = 'active'",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn only_admins_invite_members_and_roles_come_from_memberships() {
    let t = test_db().await;
    let w = &t.world;
    let by = |who| t.world.principal(who).unwrap();
    let err = membership::provision(&t.db, &by(Who::ManagerA), "new@a.test", None, TenantRole::Admin)
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::Forbidden(_)), "{err:?}");
    let user = membership::provision(&t.db, &by(Who::AdminA), "new@a.test", None, TenantRole::Admin)
        .await
        .unwrap();
    let mut tx =
        t.db.user(&Principal {
            user_id: user,
            tenant_id: Some(w.tenant_a),
        })
        .await
        .unwrap();
    assert_eq!(tx.tenant_role().await.unwrap(), TenantRole::Admin);
}
