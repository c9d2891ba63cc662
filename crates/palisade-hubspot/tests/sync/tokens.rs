//! Tokens: refreshed ahead of expiry, once however many workers ask at the same moment; a refused
//! refresh marks the connection failed; a private app's token needs no refresh.
use palisade_core::crm_sync::connection::{Kind, Tokens};
use palisade_hubspot::sync::access_token;
use secrecy::{ExposeSecret, SecretString};

use crate::common::{setup, PORTAL};

#[tokio::test]
async fn an_expiring_token_is_refreshed_once_for_concurrent_workers() {
    let s = setup().await;
    // Tokens that expire within the refresh margin.
    s.fake.set_token_lifetime(60);
    s.connect().await;
    s.fake.set_token_lifetime(1800);
    let first = access_token(&s.syncer, &s.t.db, s.t.world.tenant_a);
    let second = access_token(&s.syncer, &s.t.db, s.t.world.tenant_a);
    let (a, b) = tokio::join!(first, second);
    let (a, b) = (a.unwrap().unwrap().1, b.unwrap().unwrap().1);
    assert_eq!(s.fake.refreshes(), 1, "single-flight under the row lock");
    assert_eq!(
        a.expose_secret(),
        b.expose_secret(),
        "the second worker found the first's token"
    );
    // Within the new token's life nothing is refreshed, and the token works.
    let third = access_token(&s.syncer, &s.t.db, s.t.world.tenant_a)
        .await
        .unwrap()
        .unwrap()
        .1;
    assert_eq!(s.fake.refreshes(), 1);
    assert_eq!(third.expose_secret(), a.expose_secret());
    s.fake.add(
        "contacts",
        &[("firstname", "Fresh"), ("email", "fresh@example.com")],
    );
    s.run_to_end().await;
    assert_eq!(s.fake.refreshes(), 1);
    // Every read of the sealed tokens is access-logged.
    let logged = s
        .scalar("select count(*) from audit.access_events where tenant_id = $1 and action = 'secret_decrypt' and target_type = 'crm_connection'")
        .await;
    assert!(logged >= 4, "{logged}");
}

#[tokio::test]
async fn a_refused_refresh_fails_the_connection_until_an_admin_reconnects() {
    let s = setup().await;
    let tokens = Tokens {
        access: SecretString::from("acc-stale".to_owned()),
        refresh: Some(SecretString::from("ref-unknown".to_owned())),
    };
    s.save(Kind::Oauth, &tokens, Some(chrono::Utc::now()), PORTAL)
        .await;
    let err = access_token(&s.syncer, &s.t.db, s.t.world.tenant_a)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "hubspot_refresh_refused");
    assert_eq!(
        s.text("select status || ':' || failure from app.crm_connections where tenant_id = $1")
            .await
            .as_deref(),
        Some("failed:refresh_refused")
    );
    // A failed connection is not synced (nothing due).
    assert!(!s.run().await.unwrap());
    // Reconnecting makes it active again.
    s.connect().await;
    assert!(s.run().await.unwrap());
}

#[tokio::test]
async fn a_private_app_token_is_used_as_it_is() {
    let s = setup().await;
    let token = s.fake.private_app_token(PORTAL);
    let info = s
        .syncer
        .transport
        .private_app_info(&SecretString::from(token.clone()))
        .await
        .unwrap();
    assert_eq!(info.hub_id, PORTAL);
    let tokens = Tokens {
        access: SecretString::from(token.clone()),
        refresh: None,
    };
    s.save(Kind::PrivateApp, &tokens, None, PORTAL).await;
    s.fake
        .add("contacts", &[("firstname", "Pat"), ("email", "pat@example.com")]);
    s.run_to_end().await;
    assert_eq!(s.fake.refreshes(), 0);
    assert_eq!(
        s.scalar("select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null")
            .await,
        1
    );
    let used = s
        .fake
        .requests()
        .iter()
        .filter(|r| r.authorization.as_deref() == Some(&format!("Bearer {token}")))
        .count();
    assert!(used > 0);
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_writes_nothing_more() {
    use palisade_core::crm_sync::runs::{self, Lease, Outcome};
    let s = setup().await;
    s.connect().await;
    let tenant = s.t.world.tenant_a;
    let mut tx = s.t.db.service(tenant, palisade_db::Purpose::Sync).await.unwrap();
    let Lease::Taken { token: old, .. } = runs::lease(&mut tx, tenant, PORTAL as i64, 600).await.unwrap()
    else {
        panic!("the first lease is free")
    };
    tx.commit().await.unwrap();
    // While it holds, no other worker runs the tenant.
    let ran = palisade_hubspot::sync::worker::run_tenant(
        &s.syncer,
        &s.t.db,
        tenant,
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert!(!ran);
    // It stalls past its lease; another worker takes the tenant.
    let su = s.t.superuser().await;
    su.execute(
        "update app.crm_sync_runs set lease_until = now() - interval '1 second'",
        &[],
    )
    .await
    .unwrap();
    let mut tx = s.t.db.service(tenant, palisade_db::Purpose::Sync).await.unwrap();
    let Lease::Taken { token: new, .. } = runs::lease(&mut tx, tenant, PORTAL as i64, 600).await.unwrap()
    else {
        panic!("a lease that ran out is free")
    };
    tx.commit().await.unwrap();
    assert_ne!(old, new);
    // The stalled worker can neither renew the lease nor record an outcome; the new holder can.
    let mut tx = s.t.db.service(tenant, palisade_db::Purpose::Sync).await.unwrap();
    assert!(!runs::extend(&mut tx, tenant, old, 600).await.unwrap());
    let ok = Outcome::Succeeded { next_in_secs: 300 };
    assert!(runs::finish(&mut tx, tenant, old, &ok, 0)
        .await
        .unwrap()
        .is_none());
    assert!(runs::extend(&mut tx, tenant, new, 600).await.unwrap());
    assert!(runs::finish(&mut tx, tenant, new, &ok, 0)
        .await
        .unwrap()
        .is_some());
    tx.commit().await.unwrap();
}
