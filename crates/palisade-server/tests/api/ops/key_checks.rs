//! A key id names one key for good: a server started with other material under an id the database
//! has seen refuses to start (and says which id), while a new key under a new id is accepted.
use palisade_testkit::{spawn_app_with, test_config};
use secrecy::{ExposeSecret, SecretString};

async fn start(config: palisade_server::config::Config) -> Result<(), palisade_server::StartupError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    // Stops as soon as it has started: only the start-up checks matter here.
    palisade_server::run(config, listener, std::future::ready(())).await
}

#[tokio::test]
async fn a_key_id_with_other_material_stops_the_server_and_a_new_id_is_accepted() {
    let mut original = None;
    let app =
        spawn_app_with(|c| original = Some((c.keys.clone().unwrap(), c.index_keys.clone().unwrap()))).await;
    let (seal, index) = original.unwrap();
    let secret = palisade_auth::generate_secret();

    // Same ids (test1, idx1), fresh material: refused, naming the keyring and the id only.
    let fresh = test_config(&app.db, &secret);
    let fresh_seal = fresh.keys.clone().unwrap();
    let err = start(fresh).await.unwrap_err().to_string();
    assert!(err.contains("PALISADE_KEYS: key test1"), "{err}");
    assert!(
        !err.contains(fresh_seal.expose_secret().split(':').nth(1).unwrap()),
        "{err}"
    );

    // The original seal keys with a changed index key: the index keyring is checked too.
    let mut config = test_config(&app.db, &secret);
    config.keys = Some(seal.clone());
    let err = start(config).await.unwrap_err().to_string();
    assert!(err.contains("PALISADE_INDEX_KEYS: key idx1"), "{err}");

    // A new active key under a new id, the old ones kept: starts, and binds the new id from now on.
    let new_key = palisade_crypto::Keyring::generate_text(&palisade_crypto::KeyId::parse("test2").unwrap());
    let rotated = SecretString::from(format!("{},{}", new_key.expose_secret(), seal.expose_secret()));
    let mut config = test_config(&app.db, &secret);
    config.keys = Some(rotated);
    config.index_keys = Some(index.clone());
    start(config).await.unwrap();
    let su = app.db.superuser().await;
    let ids: Vec<String> = su
        .query(
            "select key_id from palisade_meta.key_checks where keyring = 'seal' order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, ["fixture", "test1", "test2"]);
}
