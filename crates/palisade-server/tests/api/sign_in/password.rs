//! Password sign-in (enabled per deployment): Argon2id at rest, generic failures, limits, and the
//! same session and second-factor rules as every other sign-in.
use chrono::Duration;
use palisade_testkit::{spawn_app, spawn_app_with, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};
use crate::sign_in::api_sign_in;

fn sign_in_body(email: &str, password: &str, client: &str) -> Value {
    json!({"email": email, "password": password, "client": client})
}

/// Signs in with a password: the expected status, then the body.
async fn password_sign_in<T: DeserializeOwned>(
    app: &TestApp,
    email: &str,
    password: &str,
    client: &str,
    expect: StatusCode,
) -> T {
    let body = sign_in_body(email, password, client);
    Client::anonymous(app)
        .post("/api/v1/auth/password", body, expect)
        .await
}

/// Signs in with a password: the whole answer, for its headers.
async fn password_sign_in_raw(app: &TestApp, email: &str, password: &str, client: &str) -> Response {
    Client::anonymous(app)
        .request(Method::POST, "/api/v1/auth/password")
        .json(&sign_in_body(email, password, client))
        .send()
        .await
        .unwrap()
}

async fn set_password<T: DeserializeOwned>(
    app: &TestApp,
    token: &str,
    password: &str,
    expect: StatusCode,
) -> T {
    Client::bearer(app, token)
        .put("/api/v1/me/password", json!({ "password": password }), expect)
        .await
}

#[tokio::test]
async fn off_by_default_and_nothing_is_stored() {
    let app = spawn_app().await;
    let pair = api_sign_in(&app, "rep-a1@a.test").await;
    let e: ErrorBody = set_password(
        &app,
        pair["access_token"].as_str().unwrap(),
        "a perfectly long password",
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(e.code(), "password_sign_in_disabled");
    let e: ErrorBody = password_sign_in(
        &app,
        "rep-a1@a.test",
        "a perfectly long password",
        "api",
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(e.code(), "password_sign_in_disabled");
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
    let e: ErrorBody = set_password(&app, token, "too short", StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.code(), "weak_password");
    let () = set_password(
        &app,
        token,
        "correct horse battery staple",
        StatusCode::NO_CONTENT,
    )
    .await;
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

    let signed: Value = password_sign_in(
        &app,
        "Rep-A1@a.test",
        "correct horse battery staple",
        "api",
        StatusCode::OK,
    )
    .await;
    // In tenant A, as `get_with_token` asks.
    let tenant_a = app.world().tenant_a.to_string();
    let signed_in =
        Client::bearer(&app, signed["access_token"].as_str().unwrap()).header("x-palisade-tenant", &tenant_a);
    let _: Value = signed_in.get("/api/v1/leads", StatusCode::OK).await;
    let r = password_sign_in_raw(&app, "rep-a1@a.test", "correct horse battery staple", "browser").await;
    assert!(r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("__Host-palisade-session="));

    // A wrong password and an unknown address answer alike.
    let anonymous = Client::anonymous(&app);
    let wrong = anonymous
        .text(
            Method::POST,
            "/api/v1/auth/password",
            Some(sign_in_body(
                "rep-a1@a.test",
                "correct horse battery stapler",
                "api",
            )),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    let unknown = anonymous
        .text(
            Method::POST,
            "/api/v1/auth/password",
            Some(sign_in_body(
                "nobody@x.test",
                "correct horse battery staple",
                "api",
            )),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    assert_eq!(wrong, unknown);
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
    // Still signed in.
    let _: Value = signed_in.get("/api/v1/me/sessions", StatusCode::OK).await;
    let e: ErrorBody = set_password(
        &app,
        signed["access_token"].as_str().unwrap(),
        "another long password",
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(e.code(), "reauthentication_required");
}

#[tokio::test]
async fn password_attempts_are_limited_per_address() {
    let app = spawn_app_with(|c| {
        c.auth.password_sign_in = true;
        c.auth.password_attempts_per_email_per_hour = 3;
    })
    .await;
    for _ in 0..3 {
        let _: Value = password_sign_in(
            &app,
            "rep-a2@a.test",
            "guess guess guess",
            "api",
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    // Read raw, for its Retry-After.
    let r = password_sign_in_raw(&app, "rep-a2@a.test", "guess guess guess", "api").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let _: Value = password_sign_in(
        &app,
        "rep-a1@a.test",
        "guess guess guess",
        "api",
        StatusCode::UNAUTHORIZED,
    )
    .await;
}
