//! `palisade keys status` and `keys rotate` against a real database: every sealed value and blind
//! index moves to the active keys, stays readable under them alone, and a second run finds nothing
//! to do; a value that does not open is reported and fails the run without being touched.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test")]
use std::collections::BTreeMap;
use std::process::{Command, Output};

use palisade_core::crm::leads::{self, LeadFilter, NewLead};
use palisade_core::integrations::{self, IntegrationInput, Provider};
use palisade_core::member_phone;
use palisade_core::phone::PhoneKeys;
use palisade_crypto::{KeyId, Keyring};
use palisade_db::Purpose;
use palisade_testkit::{test_db, TestDb, Who};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_palisade");
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn key(id: &str) -> String {
    Keyring::generate_text(&KeyId::parse(id).unwrap())
        .expose_secret()
        .to_owned()
}

fn ring(text: &str) -> Keyring {
    Keyring::parse(&SecretString::from(text.to_owned())).unwrap()
}

fn keys_command(t: &TestDb, args: &[&str], seal: &str, index: &str) -> Output {
    Command::new(BIN)
        .arg("keys")
        .args(args)
        .env("DATABASE_URL", t.admin.to_conninfo().expose_secret())
        .env("PALISADE_DATABASE__MIGRATE_ON_START", "false")
        .env("PALISADE_KEYS", seal)
        .env("PALISADE_INDEX_KEYS", index)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

/// `key id → rows` of one column in a status report.
fn on_keys(status: &Value, column: &str) -> BTreeMap<String, i64> {
    status["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == column)
        .unwrap()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["key_id"].as_str().unwrap_or("?").to_owned(),
                k["rows"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn rotation_moves_every_value_to_the_active_keys_and_is_resumable() {
    let t = test_db().await;
    let w = &t.world;
    let su = t.superuser().await;
    // The fixture's stand-in ciphertexts do not open; this test seals real ones.
    su.batch_execute(
        "delete from auth.totp_factors; delete from app.integrations; delete from app.member_phones; \
         update app.leads set phone_sealed = null, phone_index = null, email = null, email_index = null",
    )
    .await
    .unwrap();
    let (k1, i1, k2, i2) = (key("k1"), key("i1"), key("k2"), key("i2"));
    let (seal1, index1) = (ring(&k1), ring(&i1));

    let admin = w.principal(Who::AdminA).unwrap();
    let input = IntegrationInput {
        config: BTreeMap::from([("account_sid".into(), format!("AC{TOKEN}"))]),
        secrets: Some(BTreeMap::from([(
            "auth_token".into(),
            SecretString::from(TOKEN.to_owned()),
        )])),
        status: None,
    };
    let sealed = integrations::prepare(&seal1, w.tenant_a, Provider::Twilio, &input).unwrap();
    let mut tx = t.db.user(&admin).await.unwrap();
    integrations::put(
        &mut tx,
        w.tenant_a,
        admin.user_id,
        Provider::Twilio,
        &input,
        sealed,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let rep = w.principal(Who::RepA1).unwrap();
    let old_keys = PhoneKeys {
        seal: &seal1,
        index: &index1,
    };
    let mut tx = t.db.user(&rep).await.unwrap();
    let lead = leads::create(
        &mut tx,
        w.tenant_a,
        rep.user_id,
        &NewLead {
            name: "Pat".into(),
            email: Some("Pat@Example.test".into()),
            phone: Some("+1 415 555 0100".into()),
            status: None,
            source: None,
            owner_id: None,
        },
        old_keys,
    )
    .await
    .unwrap();
    // The rep's own number, verified (rotation must keep the verification).
    member_phone::set_mine(&mut tx, w.tenant_a, rep.user_id, "+1 415 555 0199", old_keys)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    su.execute("update app.member_phones set verified_at = now()", &[])
        .await
        .unwrap();
    // The lead agreed to texts (rotation recomputes its number's index: that is no new number).
    su.execute(
        "insert into app.consent_events (tenant_id, id, lead_id, channel, purpose, action, source, form_version) \
         values ($1, gen_random_uuid(), $2, 'sms', 'service', 'grant', 'form', 'v1')",
        &[w.tenant_a.as_uuid(), &lead.id],
    )
    .await
    .unwrap();
    // The lead's number said STOP (a suppression under the old index key).
    let stopped = palisade_core::phone::index_of(&index1, w.tenant_a, b"+14155550100");
    su.execute(
        "insert into app.suppressions (tenant_id, channel, address_index, reason) values ($1, 'sms', $2, 'stop')",
        &[w.tenant_a.as_uuid(), &stopped],
    )
    .await
    .unwrap();

    let updated_before: chrono::DateTime<chrono::Utc> = su
        .query_one("select updated_at from app.leads where id = $1", &[&lead.id])
        .await
        .unwrap()
        .get(0);
    let status = json(&keys_command(&t, &["status"], &k1, &i1));
    assert_eq!(
        on_keys(&status, "app.integrations.secret_sealed"),
        BTreeMap::from([("k1".into(), 1)])
    );
    assert_eq!(
        on_keys(&status, "app.leads.phone_index"),
        BTreeMap::from([("i1".into(), 1)])
    );

    // New keys first: they become active; the old ones stay to open what they sealed.
    let (both, both_index) = (format!("{k2},{k1}"), format!("{i2},{i1}"));
    let out = keys_command(&t, &["rotate", "--batch", "1"], &both, &both_index);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    assert_eq!(report["rotated"]["app.integrations.secret_sealed"], 1);
    assert_eq!(report["rotated"]["app.leads.phone"], 1);
    assert_eq!(report["rotated"]["app.member_phones.phone"], 1);
    assert_eq!(report["rotated"]["app.leads.email_index"], 1);

    let status = json(&keys_command(&t, &["status"], &both, &both_index));
    for (column, active) in [
        ("app.integrations.secret_sealed", "k2"),
        ("app.leads.phone_sealed", "k2"),
        ("app.leads.phone_index", "i2"),
        ("app.member_phones.phone_sealed", "k2"),
        ("app.member_phones.phone_index", "i2"),
        ("app.leads.email_index", "i2"),
    ] {
        assert_eq!(
            on_keys(&status, column),
            BTreeMap::from([(active.into(), 1)]),
            "{column}"
        );
    }

    // Rotation changes no address: no consent was revoked for a "new" number.
    let revoked: i64 = su
        .query_one(
            "select count(*) from app.consent_events where lead_id = $1 and source = 'address_change'",
            &[&lead.id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(revoked, 0);

    // Rotation changes no row's meaning, so sync clients are not sent it again.
    let updated_after: chrono::DateTime<chrono::Utc> = su
        .query_one("select updated_at from app.leads where id = $1", &[&lead.id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(updated_after, updated_before);

    // The new keys alone open and find everything: the old ones can be retired.
    let (seal2, index2) = (ring(&k2), ring(&i2));
    let mut tx = t.db.service(w.tenant_a, Purpose::Webhook).await.unwrap();
    let secrets = integrations::open_secrets(&mut tx, &seal2, w.tenant_a, Provider::Twilio)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(secrets.get("auth_token").unwrap().expose_secret(), TOKEN);
    drop(tx);
    let mut tx = t.db.user(&rep).await.unwrap();
    let found = leads::list(
        &mut tx,
        w.tenant_a,
        &LeadFilter {
            phone: Some("(415) 555-0100".into()),
            ..LeadFilter::default()
        },
        PhoneKeys {
            seal: &seal2,
            index: &index2,
        },
    )
    .await
    .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, lead.id);
    assert_eq!(found.items[0].phone.as_deref(), Some("+14155550100"));
    let mine = member_phone::get_mine(
        &mut tx,
        w.tenant_a,
        rep.user_id,
        PhoneKeys {
            seal: &seal2,
            index: &index2,
        },
    )
    .await
    .unwrap();
    assert_eq!(mine.phone.as_deref(), Some("+14155550199"));
    assert!(
        mine.verified_at.is_some(),
        "rotation keeps a number's verification"
    );
    drop(tx);

    // A second run has nothing to do.
    let again = json(&keys_command(&t, &["rotate"], &both, &both_index));
    assert_eq!(again["rotated"], serde_json::json!({}));

    // A value that does not open is reported, left alone, and fails the run.
    su.execute(
        "insert into auth.totp_factors (user_id, secret_sealed, key_id, confirmed_at, created_at) \
         values ($1, '\\x01'::bytea, 'k0', now(), now())",
        &[w.rep_a2.as_uuid()],
    )
    .await
    .unwrap();
    let out = keys_command(&t, &["rotate"], &both, &both_index);
    assert!(!out.status.success());
    assert_eq!(json(&out)["unreadable"]["auth.totp_factors.secret_sealed"], 1);
    let status = json(&keys_command(&t, &["status"], &both, &both_index));
    assert_eq!(
        on_keys(&status, "auth.totp_factors.secret_sealed"),
        BTreeMap::from([("?".into(), 1)])
    );
}
