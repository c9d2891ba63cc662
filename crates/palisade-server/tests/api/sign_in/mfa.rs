//! Second factor end to end: enrolment, confirmation, verification at sign-in, replay and recovery
//! codes, lockout, re-authentication before changes, and the tenant requirement.
use chrono::Duration;
use palisade_auth::totp::TotpSecret;
use palisade_testkit::{spawn_app, spawn_app_with, TestApp, Who};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::sign_in::{api_sign_in, get_with_token};
use crate::{error_code, send};

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Response {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
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
async fn enrol(app: &TestApp, token: &str) -> (TotpSecret, Vec<String>) {
    let r = call(app, token, Method::POST, "/api/v1/me/mfa/totp", None).await;
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    assert!(e["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Palisade:"));
    assert!(e["qr_svg"].as_str().unwrap().contains("<svg"));
    let secret = TotpSecret::from_base32(e["secret"].as_str().unwrap()).unwrap();
    let r = call(
        app,
        token,
        Method::POST,
        "/api/v1/me/mfa/totp/confirm",
        Some(json!({"code": wrong_code(&secret, app)})),
    )
    .await;
    assert_eq!(error_code(r).await, "invalid_code");
    let code = secret.code_at(app.clock.now()).unwrap();
    let r = call(
        app,
        token,
        Method::POST,
        "/api/v1/me/mfa/totp/confirm",
        Some(json!({ "code": code })),
    )
    .await;
    assert_eq!(r.status(), 200);
    let codes: Vec<String> =
        serde_json::from_value(r.json::<Value>().await.unwrap()["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn prove(app: &TestApp, token: &str, proof: Value) -> Response {
    call(app, token, Method::POST, "/api/v1/auth/mfa", Some(proof)).await
}

#[tokio::test]
async fn a_person_with_an_authenticator_must_use_it_at_sign_in_and_each_code_works_once() {
    let app = spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let token = first["access_token"].as_str().unwrap().to_owned();
    let status: Value = call(&app, &token, Method::GET, "/api/v1/me/mfa", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["totp"], "none");
    let (secret, recovery) = enrol(&app, &token).await;
    let status: Value = call(&app, &token, Method::GET, "/api/v1/me/mfa", None)
        .await
        .json()
        .await
        .unwrap();
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
    let r = get_with_token(&app, token2, "/api/v1/leads").await;
    assert_eq!(r.status(), 401);
    assert_eq!(error_code(r).await, "mfa_pending");
    // The code that confirmed enrolment is spent.
    let spent = secret.code_at(app.clock.now()).unwrap();
    let r = prove(&app, token2, json!({ "code": spent })).await;
    assert_eq!(error_code(r).await, "mfa_failed");
    app.clock.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock.now()).unwrap();
    assert_eq!(prove(&app, token2, json!({ "code": code })).await.status(), 200);
    assert_eq!(get_with_token(&app, token2, "/api/v1/leads").await.status(), 200);

    // Another session cannot replay that code; a recovery code works, once.
    let third = api_sign_in(&app, "rep-a1@a.test").await;
    let token3 = third["access_token"].as_str().unwrap();
    assert_eq!(
        error_code(prove(&app, token3, json!({ "code": code })).await).await,
        "mfa_failed"
    );
    let lower = recovery[4].to_lowercase();
    assert_eq!(
        prove(&app, token3, json!({ "recovery_code": lower }))
            .await
            .status(),
        200
    );
    let fourth = api_sign_in(&app, "rep-a1@a.test").await;
    let token4 = fourth["access_token"].as_str().unwrap();
    assert_eq!(
        error_code(prove(&app, token4, json!({ "recovery_code": recovery[4] })).await).await,
        "mfa_failed"
    );
    let status: Value = call(&app, token3, Method::GET, "/api/v1/me/mfa", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["recovery_codes_left"], 9);
    let r = prove(
        &app,
        token4,
        json!({ "code": "123456", "recovery_code": recovery[0] }),
    )
    .await;
    assert_eq!(error_code(r).await, "invalid_proof");
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
            error_code(prove(&app, token, json!({"code": wrong})).await).await,
            "mfa_failed"
        );
    }
    let r = prove(&app, token, json!({"recovery_code": "AAAA-BBBB-CCCC-DDDD"})).await;
    assert_eq!(error_code(r).await, "session_ended");
    let r = prove(&app, token, json!({"code": "000000"})).await;
    assert_eq!(error_code(r).await, "session_ended");
    // A session waiting for its factor can still sign out.
    let waiting = api_sign_in(&app, "rep-a1@a.test").await;
    let token = waiting["access_token"].as_str().unwrap();
    assert_eq!(
        call(&app, token, Method::POST, "/api/v1/auth/logout", None)
            .await
            .status(),
        204
    );
    assert_eq!(
        error_code(prove(&app, token, json!({"code": "000000"})).await).await,
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
    // Operator tokens have no session to verify.
    let r = send(&app, Some(Who::RepA1), Method::POST, "/api/v1/me/mfa/totp", None).await;
    assert_eq!(error_code(r).await, "no_session");
    let (secret, _) = enrol(&app, token).await;
    // A second enrolment is refused while one is active.
    assert_eq!(
        error_code(call(&app, token, Method::POST, "/api/v1/me/mfa/totp", None).await).await,
        "mfa_already_active"
    );
    app.clock.advance(Duration::minutes(11));
    for (method, path) in [
        (Method::DELETE, "/api/v1/me/mfa/totp"),
        (Method::POST, "/api/v1/me/mfa/recovery-codes"),
    ] {
        let r = call(&app, token, method, path, None).await;
        assert_eq!(r.status(), 403);
        assert_eq!(error_code(r).await, "reauthentication_required");
    }
    let code = secret.code_at(app.clock.now()).unwrap();
    assert_eq!(prove(&app, token, json!({ "code": code })).await.status(), 200);
    let r = call(&app, token, Method::POST, "/api/v1/me/mfa/recovery-codes", None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        call(&app, token, Method::DELETE, "/api/v1/me/mfa/totp", None)
            .await
            .status(),
        204
    );
    let status: Value = call(&app, token, Method::GET, "/api/v1/me/mfa", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({"totp": "none", "recovery_codes_left": 0}));
}

#[tokio::test]
async fn a_tenant_can_require_a_verified_factor_of_managers_and_admins() {
    let app = spawn_app().await;
    let settings = |on: bool| {
        Some(
            json!({ "require_mfa": on, "sign_in_methods": ["magic_link", "oidc", "password"], "email_domains": [] }),
        )
    };
    // Only from a session that verified a factor itself, so no admin locks themselves out.
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/settings/security",
        settings(true),
    )
    .await;
    assert_eq!(r.status(), 409);
    assert_eq!(error_code(r).await, "would_lock_you_out");
    let admin = api_sign_in(&app, "admin-a@a.test").await;
    let admin_token = admin["access_token"].as_str().unwrap();
    enrol(&app, admin_token).await;
    let r = app
        .client
        .put(app.url("/api/v1/settings/security"))
        .bearer_auth(admin_token)
        .header("x-palisade-tenant", app.world().tenant_a.to_string())
        .json(&settings(true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        get_with_token(&app, admin_token, "/api/v1/members")
            .await
            .status(),
        200
    );
    // Admins and managers without a verified factor are refused in the tenant; reps are not.
    let r = send(&app, Some(Who::AdminA), Method::GET, "/api/v1/members", None).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "mfa_required");
    assert_eq!(
        send(&app, Some(Who::RepA1), Method::GET, "/api/v1/leads", None)
            .await
            .status(),
        200
    );
    let pair = api_sign_in(&app, "manager-a@a.test").await;
    let token = pair["access_token"].as_str().unwrap();
    assert_eq!(
        error_code(get_with_token(&app, token, "/api/v1/leads").await).await,
        "mfa_required"
    );
    // Setting one up (outside the tenant) verifies this session; the tenant opens.
    enrol(&app, token).await;
    assert_eq!(get_with_token(&app, token, "/api/v1/leads").await.status(), 200);
    // Another tenant is not affected.
    assert_eq!(
        send(&app, Some(Who::AdminB), Method::GET, "/api/v1/members", None)
            .await
            .status(),
        200
    );
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
    let w = app.world();
    let tenant = w.tenant_a.to_string();
    let admin = api_sign_in(&app, "admin-a@a.test").await;
    let admin_token = admin["access_token"].as_str().unwrap().to_owned();
    let put = |rules: Value| {
        app.client
            .put(app.url("/api/v1/settings/security"))
            .bearer_auth(&admin_token)
            .header("x-palisade-tenant", &tenant)
            .json(&rules)
            .send()
    };
    // Rules that would shut out the admin's own session are refused.
    let r = put(json!({"require_mfa": false, "sign_in_methods": ["password"], "email_domains": []}))
        .await
        .unwrap();
    assert_eq!(error_code(r).await, "would_lock_you_out");
    let r =
        put(json!({"require_mfa": false, "sign_in_methods": ["magic_link"], "email_domains": ["b.test"]}))
            .await
            .unwrap();
    assert_eq!(error_code(r).await, "would_lock_you_out");
    let r = put(json!({"require_mfa": false, "sign_in_methods": ["sms"], "email_domains": []}))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r =
        put(json!({"require_mfa": false, "sign_in_methods": ["magic_link"], "email_domains": ["A.TEST"]}))
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    let rules: Value = r.json().await.unwrap();
    assert_eq!(rules["email_domains"], json!(["a.test"]));

    // A password session is refused in the tenant; a magic-link session of the same person is not.
    let rep = api_sign_in(&app, "rep-a1@a.test").await;
    let rep_token = rep["access_token"].as_str().unwrap();
    let r = app
        .client
        .put(app.url("/api/v1/me/password"))
        .bearer_auth(rep_token)
        .json(&json!({"password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = app
        .client
        .post(app.url("/api/v1/auth/password"))
        .json(&json!({"email": "rep-a1@a.test", "password": "a long enough password", "client": "api"}))
        .send()
        .await
        .unwrap();
    let by_password: Value = r.json().await.unwrap();
    let r = get_with_token(
        &app,
        by_password["access_token"].as_str().unwrap(),
        "/api/v1/leads",
    )
    .await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "sign_in_method_not_allowed");
    assert_eq!(
        get_with_token(&app, rep_token, "/api/v1/leads").await.status(),
        200
    );

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
    let r = get_with_token(&app, outsider["access_token"].as_str().unwrap(), "/api/v1/leads").await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "email_domain_not_allowed");
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
    let r = app
        .client
        .post(app.url("/api/v1/auth/magic-link/consume"))
        .header("cookie", &nonce)
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (cookie, _) = crate::sign_in::set_cookie(r.headers(), "__Host-palisade-session").unwrap();
    let current: Value = app
        .client
        .get(app.url("/api/v1/auth/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["state"], "mfa_pending");
    let csrf = current["csrf_token"].as_str().unwrap();
    app.clock.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock.now()).unwrap();
    let verify = |csrf: Option<&str>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/auth/mfa"))
            .header("cookie", &cookie)
            .json(&json!({ "code": code }));
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        req.send()
    };
    assert_eq!(error_code(verify(None).await.unwrap()).await, "csrf_rejected");
    assert_eq!(verify(Some(csrf)).await.unwrap().status(), 200);
    let r = app
        .client
        .get(app.url("/api/v1/leads"))
        .header("cookie", &cookie)
        .header("x-palisade-tenant", app.world().tenant_a.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
