//! Deleting one's own account: private data gone, work kept under a de-identified user, every session
//! ended, no trace of the address in a dump, the audit chains still verifying; refused for the last
//! admin of a tenant and for a session without a recent sign-in.
use chrono::Duration;
use palisade_core::audit::verify::verify;
use palisade_core::privacy::registry::{self, Erasure, Path};
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};
use crate::privacy::{dump, seal_audit};
use crate::sign_in::api_sign_in;

const PATH: &str = "/api/v1/me";

#[tokio::test]
async fn a_deleted_account_leaves_its_work_and_no_trace_of_the_person() {
    let app = spawn_app().await;
    let w = app.world();
    let rep = Client::new(&app, Some(Who::RepA1));
    let lead: Value = rep
        .post("/api/v1/leads", json!({"name": "Kept lead"}), StatusCode::CREATED)
        .await;
    let draft =
        json!({"lead_id": lead["id"], "channel": "sms", "body": "Private draft of the departing rep"});
    rep.post::<Value>("/api/v1/me/drafts", draft, StatusCode::CREATED)
        .await;
    let session = api_sign_in(&app, "rep-a1@a.test").await;
    let token = session["access_token"].as_str().unwrap();
    seal_audit(&app).await;

    let receipt: Value = Client::bearer(&app, token).delete(PATH, StatusCode::OK).await;
    let rows = &receipt["rows"];
    assert!(rows["app.drafts"].as_i64().unwrap() >= 2, "{receipt}");
    assert!(rows["auth.sessions"].as_i64().unwrap() >= 1, "{receipt}");
    assert_eq!(rows["app.memberships"], 1, "{receipt}");
    assert!(rows["audit.events"].as_i64().unwrap() >= 1, "{receipt}");
    // Every session ended, this one included.
    Client::bearer(&app, token)
        .get::<ErrorBody>("/api/v1/me/sessions", StatusCode::UNAUTHORIZED)
        .await;

    let su = app.db.superuser().await;
    let user = su
        .query_one(
            "select email, display_name, disabled_at is not null as disabled from app.users where id = $1",
            &[w.rep_a1.as_uuid()],
        )
        .await
        .unwrap();
    assert!(user.get::<_, String>("email").ends_with("@deleted.invalid"));
    assert_eq!(user.get::<_, String>("display_name"), "");
    assert!(user.get::<_, bool>("disabled"));
    let count = async |sql: &str| -> i64 { su.query_one(sql, &[w.rep_a1.as_uuid()]).await.unwrap().get(0) };
    // Every table the registry says loses a person's rows has none left.
    for table in registry::tables() {
        for (path, erasure) in table.paths {
            let sql = match (path, erasure) {
                (Path::Person(column), Erasure::Delete) => {
                    format!("select count(*) from {} where {column} = $1", table.name)
                }
                (Path::PersonEmail(column), Erasure::Delete) => {
                    format!("select count(*) from {} where lower({column}) = 'rep-a1@a.test' and $1::uuid is not null", table.name)
                }
                _ => continue,
            };
            assert_eq!(
                count(&sql).await,
                0,
                "{} ({path:?}) still holds the person's rows",
                table.name
            );
        }
    }
    assert_eq!(
        count("select count(*) from app.memberships where user_id = $1 and status <> 'removed'").await,
        0
    );
    // The work stays: the lead (its owner to be reassigned by a manager) and the rep's notes.
    assert_eq!(
        count("select count(*) from app.leads where owner_id = $1 and name = 'Kept lead'").await,
        1
    );
    assert!(count("select count(*) from app.interactions where actor_id = $1").await > 0);
    assert_eq!(count("select count(*) from audit.access_events where action = 'account_deleted' and actor_user_id = $1").await, 1);

    seal_audit(&app).await;
    let text = dump(&app).to_lowercase();
    assert!(
        !text.contains("rep-a1@a.test"),
        "the address survived in the dump"
    );
    assert!(!text.contains("private draft of the departing rep"));
    let reports = verify(&su, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    // The address is free: signing up or being invited again makes a new account.
    let others: i64 = su
        .query_one(
            "select count(*) from app.users where lower(email) = 'rep-a1@a.test'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(others, 0);
}

#[tokio::test]
async fn the_last_admin_and_a_stale_session_are_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let admin_b = api_sign_in(&app, "admin-b@b.test").await;
    let e: ErrorBody = Client::bearer(&app, admin_b["access_token"].as_str().unwrap())
        .delete(PATH, StatusCode::CONFLICT)
        .await;
    assert_eq!(e.code(), "last_admin");

    let rep = api_sign_in(&app, "manager-a@a.test").await;
    app.clock.advance(Duration::minutes(11));
    let rep = Client::bearer(&app, rep["access_token"].as_str().unwrap());
    let e: ErrorBody = rep.delete(PATH, StatusCode::FORBIDDEN).await;
    assert_eq!(e.code(), "reauthentication_required");
    assert!(
        e.error.message.contains("delete your account"),
        "{}",
        e.error.message
    );
    // An operator token has no session to judge.
    let e: ErrorBody = Client::new(&app, Some(Who::RepA1))
        .delete(PATH, StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "no_session");
    let su = app.db.superuser().await;
    let left: i64 = su
        .query_one(
            "select count(*) from app.users where email like '%@deleted.invalid'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "nothing was deleted");
}
