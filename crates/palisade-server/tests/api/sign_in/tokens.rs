//! Access tokens over HTTP: missing, malformed, expired, foreign, unsigned or tampered tokens are 401;
//! a valid token of a removed member sees nothing.
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use palisade_auth::{generate_secret, TokenKeys};
use palisade_testkit::{spawn_app, Who};
use reqwest::Method;

use crate::{error_code, send};

async fn get_with(app: &palisade_testkit::TestApp, auth: Option<String>) -> reqwest::Response {
    let mut req = app.client.get(app.url("/api/v1/leads"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn invalid_tokens_are_unauthenticated() {
    let app = spawn_app().await;
    let w = app.world().clone();

    let r = get_with(&app, None).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_code(r).await, "unauthenticated");
    assert_eq!(get_with(&app, Some("Basic abc".into())).await.status(), 401);
    assert_eq!(get_with(&app, Some("Bearer ".into())).await.status(), 401);
    assert_eq!(
        get_with(&app, Some("Bearer not.a.jwt".into())).await.status(),
        401
    );

    // Signed by another key.
    let other = TokenKeys::new(&generate_secret(), "palisade", "palisade-api").unwrap();
    let foreign = other
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        get_with(&app, Some(format!("Bearer {foreign}"))).await.status(),
        401
    );

    // Right key, wrong audience.
    let secret = generate_secret();
    let app_with = palisade_testkit::spawn_app_with(|c| c.auth.jwt_secret = Some(secret.clone())).await;
    let wrong_aud = TokenKeys::new(&secret, "palisade", "another-api").unwrap();
    let token = wrong_aud
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        get_with(&app_with, Some(format!("Bearer {token}")))
            .await
            .status(),
        401
    );
    let right = TokenKeys::new(&secret, "palisade", "palisade-api").unwrap();
    let token = right
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        get_with(&app_with, Some(format!("Bearer {token}")))
            .await
            .status(),
        200
    );

    // alg: none, and a tampered payload under the original signature.
    let good = app.token(Who::RepA1).unwrap();
    let mut parts = good.split('.');
    let (_, payload, sig) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let none = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt"}"#)
    );
    assert_eq!(get_with(&app, Some(format!("Bearer {none}"))).await.status(), 401);
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["tid"] = serde_json::json!(w.tenant_b);
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"at+jwt","alg":"HS256"}"#);
    let tampered = format!(
        "{header}.{}.{sig}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
    );
    assert_eq!(
        get_with(&app, Some(format!("Bearer {tampered}"))).await.status(),
        401
    );
    assert_eq!(get_with(&app, Some(format!("Bearer {good}"))).await.status(), 200);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let secret = generate_secret();
    let app = palisade_testkit::spawn_app_with(|c| c.auth.jwt_secret = Some(secret.clone())).await;
    let w = app.world().clone();
    // Signed with the server's key, expired ten minutes ago (well past the verification leeway).
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({"iss":"palisade","aud":"palisade-api","sub":w.rep_a1,"tid":w.tenant_a,
        "iat":now - 3600,"nbf":now - 3600,"exp":now - 600,"jti":uuid::Uuid::new_v4()});
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    use secrecy::ExposeSecret;
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.expose_secret().as_bytes()),
    )
    .unwrap();
    let r = get_with(&app, Some(format!("Bearer {token}"))).await;
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn the_database_not_the_token_decides_membership() {
    let app = spawn_app().await;
    let w = app.world().clone();
    // removed_a holds a valid, unexpired token scoped to tenant A.
    let r = send(&app, Some(Who::RemovedA), Method::GET, "/api/v1/leads", None).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "not_a_member");
    let r = send(
        &app,
        Some(Who::RemovedA),
        Method::GET,
        &format!("/api/v1/leads/{}", w.lead_a1),
        None,
    )
    .await;
    assert_eq!(r.status(), 403);
    // A token scoped to a tenant the user never belonged to.
    let token = app.token_for(w.rep_a1, Some(w.tenant_b));
    let r = app
        .client
        .get(app.url("/api/v1/leads"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A token with no tenant cannot reach tenant data, but can list the caller's tenants.
    let token = app.token_for(w.rep_a1, None);
    let r = app
        .client
        .get(app.url("/api/v1/leads"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .get(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Removing a member revokes access for tokens already issued.
    let before = send(&app, Some(Who::RepA2), Method::GET, "/api/v1/leads", None).await;
    assert_eq!(before.status(), 200);
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::DELETE,
        &format!("/api/v1/members/{}", w.rep_a2),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let after = send(&app, Some(Who::RepA2), Method::GET, "/api/v1/leads", None).await;
    assert_eq!(after.status(), 403);
}
