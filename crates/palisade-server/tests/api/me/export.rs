//! A member's own export: their private records and what they recorded, nobody else's, and no
//! credential, index or sealed value.
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::Value;

use crate::client::{Client, ErrorBody};

const PATH: &str = "/api/v1/me/export";

fn ids(export: &Value, table: &str) -> Vec<String> {
    export["records"][table]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_rep_gets_their_own_records_and_nobody_else_s() {
    let app = spawn_app().await;
    let w = app.world();
    let export: Value = Client::new(&app, Some(Who::RepA1))
        .get(PATH, StatusCode::OK)
        .await;
    assert_eq!(export["user_id"], serde_json::json!(w.rep_a1));
    assert!(export["profile"]["email"].as_str().unwrap().contains('@'));
    assert_eq!(export["tenants"][0]["id"], serde_json::json!(w.tenant_a));
    assert_eq!(ids(&export, "app.drafts"), [w.draft_a1.to_string()]);
    assert_eq!(
        ids(&export, "app.coaching_observations"),
        [w.coaching_a1.to_string()]
    );
    assert_eq!(ids(&export, "app.voice_samples"), [w.voice_a1.to_string()]);
    assert_eq!(
        ids(&export, "app.voice_consents").len(),
        2,
        "the withdrawn opt-in and the active one"
    );
    assert!(
        ids(&export, "app.interactions").contains(&w.interaction_a1.to_string()),
        "what they recorded"
    );
    assert!(
        !ids(&export, "app.interactions").contains(&w.interaction_a1m.to_string()),
        "the manager's note"
    );
    let brief_consents = export["records"]["app.consent_events"].as_array().unwrap();
    assert!(brief_consents
        .iter()
        .all(|c| c["member_id"] == serde_json::json!(w.rep_a1)));

    let text = export.to_string();
    for other in [w.draft_a2, w.coaching_a2, w.voice_a2, w.lead_a2, w.draft_b1] {
        assert!(
            !text.contains(&other.to_string()),
            "{other} belongs to someone else"
        );
    }
    for hidden in [
        "phone_sealed",
        "phone_index",
        "code_sha256",
        "token_hash",
        "secret_hash",
    ] {
        assert!(!text.contains(hidden), "{hidden} is in the export");
    }
    let su = app.db.superuser().await;
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'data_export' and target_type = 'user' \
             and actor_user_id = $1 and target_id = $1::text",
            &[w.rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn a_verification_code_never_leaves_in_an_export() {
    let app = spawn_app().await;
    // rep_a2 asked to verify their number: the text with the code is queued for them.
    let export: Value = Client::new(&app, Some(Who::RepA2))
        .get(PATH, StatusCode::OK)
        .await;
    assert!(!export.to_string().contains("424242"));
    Client::anonymous(&app)
        .get::<ErrorBody>(PATH, StatusCode::UNAUTHORIZED)
        .await;
}
