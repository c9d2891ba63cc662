//! Password sign-in (enabled per deployment): Argon2id at rest, generic failures, limits, and the
//! same session and second-factor rules as every other sign-in.
use chrono::Duration;
use palisade_testkit::{spawn_app, spawn_app_with, TestApp};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::error_code;
use crate::sign_in::{api_sign_in, get_with_token};

async fn password_sign_in(app: &TestApp, email: &str, password: &str, client: &str) -> Response {
    app.client
        .post(app.url("/api/v1/auth/password"))
        .json(&json!({"email": email, "password": password, "client": client}))
        .send()
        .await
        .unwrap()
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> Response {
    app.client
        .request(Method::PUT, app.url("/api/v1/me/password"))
        .bearer_auth(token)
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn off_by_default_and_nothing_is_stored() {
    let app = spawn_app().await;
    let pair = api_sign_in(&app, "rep-a1@a.test").await;
    let r = set_password(
        &app,
        pair["access_token"].as_str().unwrap(),
        "a perfectly long password",
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(error_code(r).await, "password_sign_in_disabled");
    let r = password_sign_in(&app, "rep-a1@a.test", "a perfectly long password", "api").await;
    assert_eq!(error_code(r).await, "password_sign_in_disabled");
    let su = app.db.superuser().await;
    let n: i64 = su
        .query_one(
            "select count(*) from auth.password_credentials where user_id = $1",
            &[app.world().rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_person_sets_a_password_and_signs_in_with_it() {
    let app = spawn_app_with(|c| c.auth.password_sign_in = true).await;
    let pair = api_sign_in(&app, "rep-a1@a.test").await;
    let token = pair["access_token"].as_str().unwrap();
    let r = set_password(&app, token, "too short").await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_code(r).await, "weak_password");
    assert_eq!(
        set_password(&app, token, "correct horse battery staple")
            .await
            .status(),
        204
    );
    let su = app.db.superuser().await;
    let hash: String = su
        .query_one(
            "select hash from auth.password_credentials where user_id = $1",
            &[app.world().rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains("horse"),
        "{hash}"
    );

    let r = password_sign_in(&app, "Rep-A1@a.test", "correct horse battery staple", "api").await;
    assert_eq!(r.status(), 200);
    let signed: Value = r.json().await.unwrap();
    assert_eq!(
        get_with_token(&app, signed["access_token"].as_str().unwrap(), "/api/v1/leads")
            .await
            .status(),
        200
    );
    let r = password_sign_in(&app, "rep-a1@a.test", "correct horse battery staple", "browser").await;
    assert!(r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("__Host-palisade-session="));

    // A wrong password and an unknown address answer alike.
    let wrong = password_sign_in(&app, "rep-a1@a.test", "correct horse battery stapler", "api").await;
    let unknown = password_sign_in(&app, "nobody@x.test", "correct horse battery staple", "api").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
    crate::close_event_windows(&app).await;
    let failed: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'sign_in_failed' and detail->>'method' = 'password'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(failed, 2);

    // Changing it needs a recent sign-in.
    app.clock.advance(Duration::minutes(11));
    let fresh = get_with_token(
        &app,
        signed["access_token"].as_str().unwrap(),
        "/api/v1/me/sessions",
    )
    .await;
    assert_eq!(fresh.status(), 200, "still signed in");
    let r = set_password(
        &app,
        signed["access_token"].as_str().unwrap(),
        "another long password",
    )
    .await;
    assert_eq!(error_code(r).await, "reauthentication_required");
}

#[tokio::test]
async fn password_attempts_are_limited_per_address() {
    let app = spawn_app_with(|c| {
        c.auth.password_sign_in = true;
        c.auth.password_attempts_per_email_per_hour = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            password_sign_in(&app, "rep-a2@a.test", "guess guess guess", "api")
                .await
                .status(),
            401
        );
    }
    let r = password_sign_in(&app, "rep-a2@a.test", "guess guess guess", "api").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(
        password_sign_in(&app, "rep-a1@a.test", "guess guess guess", "api")
            .await
            .status(),
        401
    );
}
