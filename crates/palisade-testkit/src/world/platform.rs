//! Platform records: the platform admin, an error event, an incident, an invitation, access-log
//! entries, and a seal-key check.
use palisade_core::audit::{access, incidents, platform_errors};
use palisade_core::membership::invitations;
use palisade_db::{Db, Purpose, TenantId, TenantRole, UserId};
use tokio_postgres::Client;
use uuid::Uuid;

use super::people::People;
use super::user_tx;

/// admin_b is a platform admin. There is no product path to platform admin yet; the fixture grants
/// it as the superuser.
pub(super) async fn grant_platform_admin(su: &Client, p: &People) {
    su.execute(
        "insert into app.platform_admins (user_id) values ($1)",
        &[p.admin_b.as_uuid()],
    )
    .await
    .unwrap();
}

/// One of each platform record: an error event, an incident affecting tenant A (and one affecting
/// only tenant B, which tenant A's admin must not see), an invitation to tenant A, and an access-log
/// entry in each tenant, all through the product's own functions. Returns tenant A's incident.
pub(super) async fn seed_platform_records(db: &Db, p: &People) -> Uuid {
    record_error_event(db).await;
    let incident = declare_incident(db, p, p.tenant_a, "Affects tenant A").await;
    declare_incident(db, p, p.tenant_b, "Affects tenant B only").await;
    invite(db, p.admin_a, p.tenant_a).await;
    for (admin, tenant) in [(p.admin_a, p.tenant_a), (p.admin_b, p.tenant_b)] {
        log_settings_change(db, admin, tenant).await;
    }
    incident
}

async fn record_error_event(db: &Db) {
    let mut tx = db.system(Purpose::ErrorReport).await.unwrap();
    platform_errors::record(
        &mut tx,
        &platform_errors::ErrorReport {
            severity: platform_errors::Severity::Error,
            surface: platform_errors::Surface::Job,
            tenant: None,
            code: "fixture",
            message: "fixture error event",
            operation: "fixture".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Declared by admin_b, affecting `tenant`.
async fn declare_incident(db: &Db, p: &People, tenant: TenantId, description: &str) -> Uuid {
    let mut tx = user_tx(db, p.admin_b, None).await;
    let i = incidents::declare(
        &mut tx,
        &incidents::NewIncident {
            title: "Fixture incident".into(),
            description: description.into(),
            severity: incidents::IncidentSeverity::Low,
            tenant_ids: vec![*tenant.as_uuid()],
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    i.id
}

async fn invite(db: &Db, admin: UserId, tenant: TenantId) {
    let mut tx = user_tx(db, admin, Some(tenant)).await;
    invitations::create(
        &mut tx,
        tenant,
        &invitations::NewInvitation {
            email: "invitee@a.test".into(),
            role: TenantRole::Rep,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn log_settings_change(db: &Db, admin: UserId, tenant: TenantId) {
    let mut tx = user_tx(db, admin, Some(tenant)).await;
    access::log(
        &mut tx,
        Some(tenant),
        &access::Access {
            action: access::AccessAction::SettingsChange,
            target_type: Some("tenant"),
            target_id: Some(tenant.to_string()),
            detail: serde_json::json!({"fixture": true}),
            client_ip: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A server started once with seal key `fixture` (check value: sixteen `c` bytes).
pub(super) async fn seed_key_check(su: &Client) {
    su.execute(
        "insert into palisade_meta.key_checks (keyring, key_id, check_value) \
         values ('seal', 'fixture', convert_to(repeat('c', 16), 'UTF8'))",
        &[],
    )
    .await
    .unwrap();
}
