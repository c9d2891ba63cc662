//! "My work": coaching notes, the voice-drafting opt-in and voice samples, my data, and deleting my
//! account, each the visitor's own and nobody else's.
use chrono::Duration;
use palisade_testkit::Who;
use reqwest::Method;
use serde_json::json;

use super::{location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn coaching_notes_are_the_visitors_own() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let coaching = format!("/t/{tenant}/coaching");
    let r = post_form(
        &app,
        &rep,
        &coaching,
        &[("csrf", &csrf), ("category", "Pricing"), ("observation", " ")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"observation-error\"") && html.contains("value=\"Pricing\""),
        "{html}"
    );
    let note = [
        ("csrf", csrf.as_str()),
        ("category", "Pricing"),
        ("observation", "Lead with the annual plan"),
    ];
    let r = post_form(&app, &rep, &coaching, &note).await;
    assert_eq!(location(&r), format!("{coaching}?done=added"));
    let html = page(&app, &rep, &coaching).await.text().await.unwrap();
    assert!(
        html.contains("Lead with the annual plan") && html.contains("your note"),
        "{html}"
    );

    let su = app.db.superuser().await;
    let id: uuid::Uuid = su
        .query_one(
            "select id from app.coaching_observations where observation = 'Lead with the annual plan'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let (manager, manager_csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let theirs = page(&app, &manager, &coaching).await.text().await.unwrap();
    assert!(
        !theirs.contains("annual plan"),
        "a manager never sees a rep's coaching"
    );
    let r = post_form(
        &app,
        &manager,
        &format!("{coaching}/{id}/delete"),
        &[("csrf", &manager_csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = post_form(&app, &rep, &format!("{coaching}/{id}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("{coaching}?done=deleted"));
    assert!(!page(&app, &rep, &coaching)
        .await
        .text()
        .await
        .unwrap()
        .contains("annual plan"));
}

#[tokio::test]
async fn opting_in_to_voice_drafting_is_recorded_and_withdrawing_deletes_the_samples() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let voice = format!("/t/{tenant}/voice");
    let consent = format!("{voice}/consent");
    // Rep A1 starts opted in, with a sample kept (fixtures).
    let r = post_form(&app, &rep, &consent, &[("csrf", &csrf), ("choice", "withdraw")]).await;
    assert_eq!(location(&r), format!("{voice}?done=withdrawn"));
    let html = page(&app, &rep, &voice).await.text().await.unwrap();
    assert!(
        html.contains("I agree: opt in") && html.contains("Samples can be kept only while"),
        "{html}"
    );

    let r = post_form(&app, &rep, &consent, &[("csrf", &csrf), ("choice", "opt-in")]).await;
    assert_eq!(location(&r), format!("{voice}?done=opted-in"));
    let sample =
        json!({"label": "Friendly follow-up", "storage_key": "voice/rep-a1/1.ogg", "duration_ms": 61000});
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/me/voice-samples",
        Some(sample),
    )
    .await;
    assert_eq!(r.status(), 201);
    let html = page(&app, &rep, &voice).await.text().await.unwrap();
    assert!(
        html.contains("Friendly follow-up") && html.contains("1:01") && html.contains("voice-web-1"),
        "{html}"
    );
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    assert!(!page(&app, &manager, &voice)
        .await
        .text()
        .await
        .unwrap()
        .contains("Friendly follow-up"));

    let r = post_form(&app, &rep, &consent, &[("csrf", &csrf), ("choice", "withdraw")]).await;
    assert_eq!(location(&r), format!("{voice}?done=withdrawn"));
    assert!(!page(&app, &rep, &voice)
        .await
        .text()
        .await
        .unwrap()
        .contains("Friendly follow-up"));
    let r = post_form(&app, &rep, &consent, &[("csrf", &csrf), ("choice", "maybe")]).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn my_data_downloads_as_a_file_and_is_access_logged() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/my-data")).await.status(),
        200
    );
    let r = post_form(
        &app,
        &rep,
        &format!("/t/{tenant}/my-data/export"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"my-data-"),
        "{disposition}"
    );
    let export: serde_json::Value = r.json().await.unwrap();
    assert!(export.to_string().contains("rep-a1@a.test"), "{export}");
    assert_eq!(super::access_logged(&app, "data_export").await, 1);
}

#[tokio::test]
async fn deleting_my_account_asks_needs_a_fresh_sign_in_and_spares_the_last_admin() {
    let app = palisade_testkit::spawn_app().await;
    let (admin, admin_csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let r = post_form(
        &app,
        &admin,
        "/me/delete-account",
        &[("csrf", &admin_csrf), ("understood", "yes")],
    )
    .await;
    assert_eq!(r.status(), 409, "the last admin of a workspace");
    assert!(r.text().await.unwrap().contains("last admin"));

    let (stale, stale_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(page(&app, &stale, "/me/delete-account").await.status(), 200);
    let r = post_form(&app, &stale, "/me/delete-account", &[("csrf", &stale_csrf)]).await;
    assert_eq!(r.status(), 422, "the box must be ticked");
    app.clock.advance(Duration::minutes(11));
    let fields = [("csrf", stale_csrf.as_str()), ("understood", "yes")];
    let r = post_form(&app, &stale, "/me/delete-account", &fields).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("fresh sign-in"));

    let (fresh, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let r = post_form(
        &app,
        &fresh,
        "/me/delete-account",
        &[("csrf", &csrf), ("understood", "yes")],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert!(r.text().await.unwrap().contains("Your account is deleted"));
    assert_eq!(location(&page(&app, &fresh, "/app").await), "/sign-in");
    assert_eq!(location(&page(&app, &stale, "/app").await), "/sign-in");
}
