//! A blind index moves only with its value (migration 0029), and the API keeps that rule itself: an
//! address typed again keeps its stored index even while a newer index key is active, instead of being
//! refused; a new address gets the new key's index.
use palisade_core::crm::leads::{self, LeadPatch, NewLead};
use palisade_core::phone::PhoneKeys;
use palisade_crypto::Keyring;
use palisade_testkit::{test_db, Who};
use secrecy::SecretString;

fn ring(ids: &[&str]) -> Keyring {
    let text: Vec<String> = ids
        .iter()
        .map(|id| {
            // A key per id, the same material each time it is asked for.
            let material = id.repeat(32);
            let b64 = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                &material.as_bytes()[..32],
            );
            format!("{id}:{b64}")
        })
        .collect();
    Keyring::parse(&SecretString::from(text.join(","))).unwrap()
}

#[tokio::test]
async fn the_same_address_keeps_its_index_and_a_new_one_gets_the_active_key() {
    let t = test_db().await;
    let w = &t.world;
    let old = ring(&["k1"]);
    let rotating = ring(&["k2", "k1"]);
    let keys = |index| PhoneKeys { seal: &old, index };
    let mut tx = t.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap();
    let input = NewLead {
        name: "Indexed".into(),
        email: Some("Same@x.test".into()),
        phone: None,
        status: None,
        source: None,
        owner_id: None,
    };
    let lead = leads::create(&mut tx, w.tenant_a, w.rep_a1, &input, keys(&old))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stored = async || -> Vec<u8> {
        t.superuser()
            .await
            .query_one("select email_index from app.leads where id = $1", &[&lead.id])
            .await
            .unwrap()
            .get(0)
    };
    let first = stored().await;
    assert_eq!(first, leads::email_index(&old, w.tenant_a, "same@x.test"));

    let patch = |email: &str| LeadPatch {
        name: None,
        email: Some(Some(email.into())),
        phone: None,
        status: None,
        source: None,
        owner_id: None,
    };
    let mut tx = t.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap();
    leads::update(
        &mut tx,
        w.tenant_a,
        palisade_db::LeadId::from_uuid(lead.id),
        &patch("same@X.test"),
        keys(&rotating),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        stored().await,
        first,
        "the same address keeps its index during a rotation"
    );

    let mut tx = t.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap();
    leads::update(
        &mut tx,
        w.tenant_a,
        palisade_db::LeadId::from_uuid(lead.id),
        &patch("other@x.test"),
        keys(&rotating),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        stored().await,
        leads::email_index(&rotating, w.tenant_a, "other@x.test")
    );
}
