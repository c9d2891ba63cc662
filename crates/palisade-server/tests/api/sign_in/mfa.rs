//! Second factor end to end: enrolment, confirmation, verification at sign-in, replay and recovery
//! codes, lockout, re-authentication before changes, and the tenant requirement.
use chrono::Duration;
use palisade_auth::totp::TotpSecret;
use palisade_testkit::{spawn_app, spawn_app_with, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};
use crate::sign_in::api_sign_in;

/// Requests with `token` in tenant A, as `crate::sign_in::get_with_token` does.
fn in_tenant_a<'a>(app: &'a TestApp, token: &str) -> Client<'a> {
    Client::bearer(app, token).header("x-palisade-tenant", &app.world().tenant_a.to_string())
}

/// A code the authenticator does not show now nor one step either side (the skew accepted), so it
/// is wrong for certain, not with odds of a million to one.
fn wrong_code(secret: &TotpSecret, app: &TestApp) -> String {
    let now = app.clock.now();
    let near: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|s| secret.code_at(now + Duration::seconds(*s)).unwrap())
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap()
        .to_owned()
}

/// Enrols and confirms an authenticator for the session's person; returns the secret and the
/// recovery codes.
pub(crate) async fn enrol(app: &TestApp, token: &str) -> (TotpSecret, Vec<String>) {
    let me = Client::bearer(app, token);
    let e: Value = me.post_empty("/api/v1/me/mfa/totp", StatusCode::CREATED).await;
    assert!(e["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Palisade:"));
    assert!(e["qr_svg"].as_str().unwrap().contains("<svg"));
    let secret = TotpSecret::from_base32(e["secret"].as_str().unwrap()).unwrap();
    let refused: ErrorBody = me
        .post(
            "/api/v1/me/mfa/totp/confirm",
            json!({"code": wrong_code(&secret, app)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(refused.code(), "invalid_code");
    let code = secret.code_at(app.clock.now()).unwrap();
    let confirmed: Value = me
        .post(
            "/api/v1/me/mfa/totp/confirm",
            json!({ "code": code }),
            StatusCode::OK,
        )
        .await;
    let codes: Vec<String> = serde_json::from_value(confirmed["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// Proves the second factor for the session of `token`: the expected status, then the body.
async fn prove<T: DeserializeOwned>(app: &TestApp, token: &str, proof: Value, expect: StatusCode) -> T {
    Client::bearer(app, token)
        .post("/api/v1/auth/mfa", proof, expect)
        .await
}

/// A refused proof's error code.
async fn refused(app: &TestApp, token: &str, proof: Value, expect: StatusCode) -> String {
    let e: ErrorBody = prove(app, token, proof, expect).await;
    e.code().to_owned()
}

#[tokio::test]
async fn a_person_with_an_authenticator_must_use_it_at_sign_in_and_each_code_works_once() {
    let app = spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let token = first["access_token"].as_str().unwrap().to_owned();
    let me = Client::bearer(&app, &token);
    let status: Value = me.get("/api/v1/me/mfa", StatusCode::OK).await;
    assert_eq!(status["totp"], "none");
    let (secret, recovery) = enrol(&app, &token).await;
    let status: Value = me.get("/api/v1/me/mfa", StatusCode::OK).await;
    assert_eq!(status, json!({"totp": "active", "recovery_codes_left": 10}));
    // The secret is sealed at rest: neither its bytes nor its base32 text are in the row.
    let su = app.db.superuser().await;
    let sealed: Vec<u8> = su
        .query_one(
            "select secret_sealed from auth.totp_factors where user_id = $1",
            &[app.world().rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!sealed.windows(secret.bytes().len()).any(|w| w == secret.bytes()));
    assert!(!String::from_utf8_lossy(&sealed).contains(&secret.base32()));

    // A new sign-in waits for the factor: nothing works until it is verified.
    let second = api_sign_in(&app, "rep-a1@a.test").await;
    let token2 = second["access_token"].as_str().unwrap();
    let e: ErrorBody = in_tenant_a(&app, token2)
        .get("/api/v1/leads", StatusCode::UNAUTHORIZED)
        .await;
    assert_eq!(e.code(), "mfa_pending");
    // The code that confirmed enrolment is spent.
    let spent = secret.code_at(app.clock.now()).unwrap();
    assert_eq!(
        refused(&app, token2, json!({ "code": spent }), StatusCode::UNAUTHORIZED).await,
        "mfa_failed"
    );
    app.clock.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock.now()).unwrap();
    let _: Value = prove(&app, token2, json!({ "code": code }), StatusCode::OK).await;
    let _: Value = in_tenant_a(&app, token2)
        .get("/api/v1/leads", StatusCode::OK)
        .await;

    // Another session cannot replay that code; a recovery code works, once.
    let third = api_sign_in(&app, "rep-a1@a.test").await;
    let token3 = third["access_token"].as_str().unwrap();
    assert_eq!(
        refused(&app, token3, json!({ "code": code }), StatusCode::UNAUTHORIZED).await,
        "mfa_failed"
    );
    let lower = recovery[4].to_lowercase();
    let _: Value = prove(&app, token3, json!({ "recovery_code": lower }), StatusCode::OK).await;
    let fourth = api_sign_in(&app, "rep-a1@a.test").await;
    let token4 = fourth["access_token"].as_str().unwrap();
    assert_eq!(
        refused(
            &app,
            token4,
            json!({ "recovery_code": recovery[4] }),
            StatusCode::UNAUTHORIZED
        )
        .await,
        "mfa_failed"
    );
    let status: Value = Client::bearer(&app, token3)
        .get("/api/v1/me/mfa", StatusCode::OK)
        .await;
    assert_eq!(status["recovery_codes_left"], 9);
    assert_eq!(
        refused(
            &app,
            token4,
            json!({ "code": "123456", "recovery_code": recovery[0] }),
            StatusCode::UNPROCESSABLE_ENTITY
        )
        .await,
        "invalid_proof"
    );
}

#[tokio::test]
async fn five_wrong_codes_end_the_waiting_session() {
    let app = spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let (secret, _) = enrol(&app, first["access_token"].as_str().unwrap()).await;
    let wrong = wrong_code(&secret, &app);
    let waiting = api_sign_in(&app, "rep-a1@a.test").await;
    let token = waiting["access_token"].as_str().unwrap();
    for _ in 0..4 {
        assert_eq!(
            refused(&app, token, json!({"code": wrong}), StatusCode::UNAUTHORIZED).await,
            "mfa_failed"
        );
    }
    let proof = json!({"recovery_code": "AAAA-BBBB-CCCC-DDDD"});
    assert_eq!(
        refused(&app, token, proof, StatusCode::UNAUTHORIZED).await,
        "session_ended"
    );
    assert_eq!(
        refused(&app, token, json!({"code": "000000"}), StatusCode::UNAUTHORIZED).await,
        "session_ended"
    );
    // A session waiting for its factor can still sign out.
    let waiting = api_sign_in(&app, "rep-a1@a.test").await;
    let token = waiting["access_token"].as_str().unwrap();
    let () = Client::bearer(&app, token)
        .post_empty("/api/v1/auth/logout", StatusCode::NO_CONTENT)
        .await;
    assert_eq!(
        refused(&app, token, json!({"code": "000000"}), StatusCode::UNAUTHORIZED).await,
        "session_ended"
    );
    let su = app.db.superuser().await;
    let failed: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'mfa_failed'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(failed, 5);
}

#[tokio::test]
async fn changing_a_factor_needs_a_fresh_proof() {
    let app = spawn_app().await;
    let pair = api_sign_in(&app, "manager-a@a.test").await;
    let token = pair["access_token"].as_str().unwrap();
    let me = Client::bearer(&app, token);
    // Operator tokens have no session to verify.
    let e: ErrorBody = Client::new(&app, Some(Who::RepA1))
        .post_empty("/api/v1/me/mfa/totp", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "no_session");
    let (secret, _) = enrol(&app, token).await;
    // A second enrolment is refused while one is active.
    let e: ErrorBody = me.post_empty("/api/v1/me/mfa/totp", StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "mfa_already_active");
    app.clock.advance(Duration::minutes(11));
    for (method, path) in [
        (Method::DELETE, "/api/v1/me/mfa/totp"),
        (Method::POST, "/api/v1/me/mfa/recovery-codes"),
    ] {
        let e: ErrorBody = me.send(method, path, None, StatusCode::FORBIDDEN).await;
        assert_eq!(e.code(), "reauthentication_required");
    }
    let code = secret.code_at(app.clock.now()).unwrap();
    let _: Value = prove(&app, token, json!({ "code": code }), StatusCode::OK).await;
    let _: Value = me
        .post_empty("/api/v1/me/mfa/recovery-codes", StatusCode::OK)
        .await;
    let () = me.delete("/api/v1/me/mfa/totp", StatusCode::NO_CONTENT).await;
    let status: Value = me.get("/api/v1/me/mfa", StatusCode::OK).await;
    assert_eq!(status, json!({"totp": "none", "recovery_codes_left": 0}));
}

#[tokio::test]
async fn a_tenant_can_require_a_verified_factor_of_managers_and_admins() {
    let app = spawn_app().await;
    let settings = |on: bool| json!({ "require_mfa": on, "sign_in_methods": ["magic_link", "oidc", "password"], "email_domains": [] });
    // Only from a session that verified a factor itself, so no admin locks themselves out.
    let e: ErrorBody = Client::new(&app, Some(Who::AdminA))
        .put("/api/v1/settings/security", settings(true), StatusCode::CONFLICT)
        .await;
    assert_eq!(e.code(), "would_lock_you_out");
    let admin = api_sign_in(&app, "admin-a@a.test").await;
    let admin_token = admin["access_token"].as_str().unwrap();
    enrol(&app, admin_token).await;
    let _: Value = in_tenant_a(&app, admin_token)
        .put("/api/v1/settings/security", settings(true), StatusCode::OK)
        .await;
    let _: Value = in_tenant_a(&app, admin_token)
        .get("/api/v1/members", StatusCode::OK)
        .await;
    // Admins and managers without a verified factor are refused in the tenant; reps are not.
    let e: ErrorBody = Client::new(&app, Some(Who::AdminA))
        .get("/api/v1/members", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "mfa_required");
    let _: Value = Client::new(&app, Some(Who::RepA1))
        .get("/api/v1/leads", StatusCode::OK)
        .await;
    let pair = api_sign_in(&app, "manager-a@a.test").await;
    let token = pair["access_token"].as_str().unwrap();
    let e: ErrorBody = in_tenant_a(&app, token)
        .get("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "mfa_required");
    // Setting one up (outside the tenant) verifies this session; the tenant opens.
    enrol(&app, token).await;
    let _: Value = in_tenant_a(&app, token)
        .get("/api/v1/leads", StatusCode::OK)
        .await;
    // Another tenant is not affected.
    let _: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/members", StatusCode::OK)
        .await;
    let su = app.db.superuser().await;
    let n: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'settings_change' and detail->>'require_mfa' = 'true'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_tenant_limits_sign_in_methods_and_email_domains() {
    let app = spawn_app_with(|c| c.auth.password_sign_in = true).await;
    let admin = api_sign_in(&app, "admin-a@a.test").await;
    let admin = in_tenant_a(&app, admin["access_token"].as_str().unwrap());
    let path = "/api/v1/settings/security";
    // Rules that would shut out the admin's own session are refused.
    let e: ErrorBody = admin
        .put(
            path,
            json!({"require_mfa": false, "sign_in_methods": ["password"], "email_domains": []}),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(e.code(), "would_lock_you_out");
    let e: ErrorBody = admin
        .put(
            path,
            json!({"require_mfa": false, "sign_in_methods": ["magic_link"], "email_domains": ["b.test"]}),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(e.code(), "would_lock_you_out");
    let _: Value = admin
        .put(
            path,
            json!({"require_mfa": false, "sign_in_methods": ["sms"], "email_domains": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let rules: Value = admin
        .put(
            path,
            json!({"require_mfa": false, "sign_in_methods": ["magic_link"], "email_domains": ["A.TEST"]}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(rules["email_domains"], json!(["a.test"]));

    // A password session is refused in the tenant; a magic-link session of the same person is not.
    let rep = api_sign_in(&app, "rep-a1@a.test").await;
    let rep_token = rep["access_token"].as_str().unwrap();
    let () = Client::bearer(&app, rep_token)
        .put(
            "/api/v1/me/password",
            json!({"password": "a long enough password"}),
            StatusCode::NO_CONTENT,
        )
        .await;
    let by_password: Value = Client::anonymous(&app)
        .post(
            "/api/v1/auth/password",
            json!({"email": "rep-a1@a.test", "password": "a long enough password", "client": "api"}),
            StatusCode::OK,
        )
        .await;
    let e: ErrorBody = in_tenant_a(&app, by_password["access_token"].as_str().unwrap())
        .get("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "sign_in_method_not_allowed");
    let _: Value = in_tenant_a(&app, rep_token)
        .get("/api/v1/leads", StatusCode::OK)
        .await;

    // A member outside the tenant's domains is refused there.
    let by = app.world().principal(Who::AdminA).unwrap();
    palisade_core::membership::provision(
        &app.db.db,
        &by,
        "outsider@elsewhere.test",
        Some("Out"),
        palisade_db::TenantRole::Rep,
    )
    .await
    .unwrap();
    let outsider = api_sign_in(&app, "outsider@elsewhere.test").await;
    let e: ErrorBody = in_tenant_a(&app, outsider["access_token"].as_str().unwrap())
        .get("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "email_domain_not_allowed");
}

#[tokio::test]
async fn a_browser_session_waiting_for_its_factor_gets_its_csrf_token_and_verifies() {
    let app = spawn_app().await;
    let api = api_sign_in(&app, "rep-a1@a.test").await;
    let (secret, _) = enrol(&app, api["access_token"].as_str().unwrap()).await;
    // Sign in from a browser: the session cookie waits for the factor.
    let r = crate::sign_in::ask(&app, "rep-a1@a.test", "browser", None).await;
    let (nonce, _) = crate::sign_in::set_cookie(r.headers(), "__Host-palisade-nonce").unwrap();
    let mails = app.wait_for_mails(2).await;
    let link = mails[1]
        .split_whitespace()
        .find(|w| w.contains("token="))
        .unwrap();
    let token = link.split("token=").nth(1).unwrap();
    // Read raw, for the session cookie it sets.
    let r = Client::anonymous(&app)
        .header("cookie", &nonce)
        .request(Method::POST, "/api/v1/auth/magic-link/consume")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (cookie, _) = crate::sign_in::set_cookie(r.headers(), "__Host-palisade-session").unwrap();
    let browser = Client::anonymous(&app).header("cookie", &cookie);
    let current: Value = browser.get("/api/v1/auth/session", StatusCode::OK).await;
    assert_eq!(current["state"], "mfa_pending");
    let csrf = current["csrf_token"].as_str().unwrap();
    app.clock.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock.now()).unwrap();
    let e: ErrorBody = browser
        .post("/api/v1/auth/mfa", json!({ "code": code }), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "csrf_rejected");
    let _: Value = browser
        .clone()
        .header("x-csrf-token", csrf)
        .post("/api/v1/auth/mfa", json!({ "code": code }), StatusCode::OK)
        .await;
    let _: Value = browser
        .header("x-palisade-tenant", &app.world().tenant_a.to_string())
        .get("/api/v1/leads", StatusCode::OK)
        .await;
}
