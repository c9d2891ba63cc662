//! Integration secrets at rest: sealed for their tenant and provider, opened only by the service
//! context (each read access-logged), never readable by a person, and useless when copied elsewhere.
use std::collections::BTreeMap;

use palisade_core::integrations::{self, IntegrationInput, OpenError, Provider};
use palisade_crypto::{KeyId, Keyring, SealError};
use palisade_db::Purpose;
use palisade_testkit::{test_db, Who};
use secrecy::{ExposeSecret, SecretString};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn keyring(id: &str) -> Keyring {
    Keyring::parse(&Keyring::generate_text(&KeyId::parse(id).unwrap())).unwrap()
}

fn twilio() -> IntegrationInput {
    IntegrationInput {
        config: BTreeMap::from([("account_sid".into(), format!("AC{TOKEN}"))]),
        secrets: Some(BTreeMap::from([(
            "auth_token".into(),
            SecretString::from(TOKEN.to_owned()),
        )])),
        status: None,
    }
}

/// Tenant A's admin connects Twilio with secrets sealed under `keys`.
async fn connect_twilio(t: &palisade_testkit::TestDb, keys: &Keyring) -> integrations::Integration {
    let w = &t.world;
    let admin = w.principal(Who::AdminA).unwrap();
    let sealed = integrations::prepare(keys, w.tenant_a, Provider::Twilio, &twilio()).unwrap();
    let mut tx = t.db.user(&admin).await.unwrap();
    let saved = integrations::put(
        &mut tx,
        w.tenant_a,
        admin.user_id,
        Provider::Twilio,
        &twilio(),
        sealed,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    saved
}

#[tokio::test]
async fn the_service_opens_what_an_admin_sealed_and_every_read_is_logged() {
    let t = test_db().await;
    let w = &t.world;
    let keys = keyring("k1");
    let saved = connect_twilio(&t, &keys).await;
    assert_eq!(saved.last_four, "cdef");
    assert_eq!(saved.key_id, "k1");

    let mut tx = t.db.service(w.tenant_a, Purpose::Webhook).await.unwrap();
    let secrets = integrations::open_secrets(&mut tx, &keys, w.tenant_a, Provider::Twilio)
        .await
        .unwrap()
        .expect("connected");
    assert_eq!(secrets.get("auth_token").unwrap().expose_secret(), TOKEN);
    assert!(!format!("{secrets:?}").contains(TOKEN));
    // Not connected: nothing to open, nothing logged.
    assert!(
        integrations::open_secrets(&mut tx, &keys, w.tenant_a, Provider::Stripe)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();
    let su = t.superuser().await;
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'secret_decrypt' and tenant_id = $1 \
             and target_id = 'twilio' and actor_kind = 'service' and purpose = 'webhook'",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);

    // The audit trail records that the secret changed, never the ciphertext.
    let after: serde_json::Value = su
        .query_one(
            "select after from audit.events where table_name = 'integrations' and op = 'UPDATE' \
             order by id desc limit 1",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    // Managers read the trail: nothing of an integration but that it changed, and by whom.
    for column in ["secret_sealed", "config", "last_four", "key_id"] {
        assert_eq!(after[column], "[sealed]", "{column}");
    }
}

#[tokio::test]
async fn a_ciphertext_copied_to_another_tenant_does_not_open_and_a_missing_key_is_named() {
    let t = test_db().await;
    let w = &t.world;
    let keys = keyring("k1");
    connect_twilio(&t, &keys).await;

    // Someone with database access copies tenant A's ciphertext into tenant B's row.
    let su = t.superuser().await;
    su.execute(
        "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four) \
         select $2, 'twilio', secret_sealed, key_id, last_four from app.integrations \
         where tenant_id = $1 and provider = 'twilio'",
        &[w.tenant_a.as_uuid(), w.tenant_b.as_uuid()],
    )
    .await
    .unwrap();
    let mut tx = t.db.service(w.tenant_b, Purpose::Webhook).await.unwrap();
    let err = integrations::open_secrets(&mut tx, &keys, w.tenant_b, Provider::Twilio)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            OpenError::Seal {
                source: SealError::Failed,
                ..
            }
        ),
        "{err:?}"
    );
    drop(tx);

    // A keyring without the key the value names says which key is missing.
    let mut tx = t.db.service(w.tenant_a, Purpose::Webhook).await.unwrap();
    let err = integrations::open_secrets(&mut tx, &keyring("k2"), w.tenant_a, Provider::Twilio)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the twilio secrets do not open: the sealed value needs key `k1`, which is not in the keyring"
    );
}
