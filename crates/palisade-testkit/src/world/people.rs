//! Tenants A and B, their admins, and the members each admin provisions.
use palisade_core::membership;
use palisade_core::tenancy::{self, NewTenant};
use palisade_db::{Db, Principal, TenantId, TenantRole, UserId};

use super::user_tx;

#[derive(Clone, Copy, Debug)]
pub(super) struct People {
    pub tenant_a: TenantId,
    pub tenant_b: TenantId,
    pub admin_a: UserId,
    pub manager_a: UserId,
    pub rep_a1: UserId,
    pub rep_a2: UserId,
    pub removed_a: UserId,
    pub admin_b: UserId,
    pub rep_b1: UserId,
}

pub(super) async fn seed_tenants_and_people(db: &Db) -> People {
    let (admin_a, admin_b) = seed_admins(db).await;
    let tenant_a = create_tenant(db, admin_a, "tenant-a").await;
    let tenant_b = create_tenant(db, admin_b, "tenant-b").await;

    let manager_a = provision(db, admin_a, tenant_a, "manager-a@a.test", TenantRole::Manager).await;
    let rep_a1 = provision(db, admin_a, tenant_a, "rep-a1@a.test", TenantRole::Rep).await;
    let rep_a2 = provision(db, admin_a, tenant_a, "rep-a2@a.test", TenantRole::Rep).await;
    let removed_a = provision(db, admin_a, tenant_a, "removed-a@a.test", TenantRole::Rep).await;
    let rep_b1 = provision(db, admin_b, tenant_b, "rep-b1@b.test", TenantRole::Rep).await;
    remove_member(db, admin_a, tenant_a, removed_a).await;

    People {
        tenant_a,
        tenant_b,
        admin_a,
        manager_a,
        rep_a1,
        rep_a2,
        removed_a,
        admin_b,
        rep_b1,
    }
}

/// The two users who create the tenants.
async fn seed_admins(db: &Db) -> (UserId, UserId) {
    let mut auth = db.auth().await.unwrap();
    let admin_a = tenancy::ensure_user(&mut auth, "admin-a@a.test", Some("Admin A"))
        .await
        .unwrap();
    let admin_b = tenancy::ensure_user(&mut auth, "admin-b@b.test", Some("Admin B"))
        .await
        .unwrap();
    auth.commit().await.unwrap();
    (admin_a, admin_b)
}

async fn create_tenant(db: &Db, user: UserId, slug: &str) -> TenantId {
    let mut tx = user_tx(db, user, None).await;
    let t = tenancy::create(
        &mut tx,
        user,
        &NewTenant {
            slug: slug.into(),
            name: slug.into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    TenantId::from_uuid(t.id)
}

async fn provision(db: &Db, admin: UserId, tenant: TenantId, email: &str, role: TenantRole) -> UserId {
    let by = Principal {
        user_id: admin,
        tenant_id: Some(tenant),
    };
    membership::provision(db, &by, email, Some(email), role)
        .await
        .unwrap()
}

async fn remove_member(db: &Db, admin: UserId, tenant: TenantId, member: UserId) {
    let mut tx = user_tx(db, admin, Some(tenant)).await;
    tenancy::remove_member(&mut tx, tenant, member).await.unwrap();
    tx.commit().await.unwrap();
}
