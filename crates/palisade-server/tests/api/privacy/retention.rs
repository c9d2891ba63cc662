//! Retention periods over HTTP: admins read and set them within each class's bounds; the job that
//! enforces them runs on the runner like every other.
use palisade_jobs::{Job, Jobs};
use palisade_mail::Mailer;
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::admin;
use crate::client::{Client, ErrorBody};

const PATH: &str = "/api/v1/privacy/retention";

fn period<'a>(list: &'a Value, class: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["data_class"] == class)
        .unwrap()
}

#[tokio::test]
async fn admins_read_and_set_periods_within_bounds() {
    let app = spawn_app().await;
    let list: Value = admin(&app).get(PATH, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 7);
    assert_eq!(period(&list, "access_log")["keep_days"], 400);
    assert_eq!(period(&list, "access_log")["minimum_days"], 365);
    assert_eq!(
        period(&list, "interactions")["keep_days"],
        Value::Null,
        "kept until an admin sets a period"
    );
    assert_eq!(period(&list, "drafts")["set"], false);

    let list: Value = admin(&app)
        .put(
            &format!("{PATH}/interactions"),
            json!({"keep_days": 730}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(period(&list, "interactions")["keep_days"], 730);
    assert_eq!(period(&list, "interactions")["set"], true);
    assert_eq!(
        period(&list, "interactions")["set_by"],
        json!(app.world().admin_a)
    );
    // Null keeps the class until changed, even one with a default.
    let list: Value = admin(&app)
        .put(
            &format!("{PATH}/drafts"),
            json!({"keep_days": null}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(period(&list, "drafts")["keep_days"], Value::Null);
    assert_eq!(period(&list, "drafts")["default_days"], 180);

    // Left out is not "keep for ever": the field is required; DELETE returns to the default.
    let e: ErrorBody = admin(&app)
        .put(
            &format!("{PATH}/drafts"),
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "missing_field");
    let list: Value = admin(&app)
        .delete(&format!("{PATH}/drafts"), StatusCode::OK)
        .await;
    assert_eq!(period(&list, "drafts")["keep_days"], 180);
    assert_eq!(period(&list, "drafts")["set"], false);
    let e: ErrorBody = admin(&app)
        .put(
            &format!("{PATH}/access_log"),
            json!({"keep_days": 30}),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(e.code(), "below_minimum");
    admin(&app)
        .put::<ErrorBody>(
            &format!("{PATH}/access_log"),
            json!({"keep_days": 40000}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    admin(&app)
        .put::<ErrorBody>(
            &format!("{PATH}/audit"),
            json!({"keep_days": 30}),
            StatusCode::NOT_FOUND,
        )
        .await;
    admin(&app)
        .put::<ErrorBody>(
            &format!("{PATH}/drafts"),
            json!({"keep_days": 30, "tenant_id": app.world().tenant_b}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    Client::new(&app, Some(Who::ManagerA))
        .put::<ErrorBody>(
            &format!("{PATH}/drafts"),
            json!({"keep_days": 30}),
            StatusCode::FORBIDDEN,
        )
        .await;
    // Tenant B's periods are its own.
    let b: Value = Client::new(&app, Some(Who::AdminB))
        .get(PATH, StatusCode::OK)
        .await;
    assert_eq!(period(&b, "interactions")["keep_days"], Value::Null);

    // The hourly job runs them; with nothing old in the fixture, it deletes nothing.
    let jobs = Jobs::new(
        app.db.db.clone(),
        Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    );
    assert_eq!(jobs.run_once(Job::Retention).await.unwrap(), 0);
}
